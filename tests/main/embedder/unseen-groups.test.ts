// The people nobody named guard a new head's adoption: a head that parts an unnamed group the embedding in use keeps
// whole is refused, and the result says so (QA: Andy Roddick's 10 unnamed faces became two groups of 5 after a head
// trained on 14 named people was adopted). Real lfw_subset faces throughout.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyHead, normalizeRows } from '../../../models/embedder/head.js';
import { checkUnseenGroups, type GroupRule } from '../../../main/embedder/unseen-groups.js';
import { adoptionDecision, trainEmbedder } from '../../../main/embedder/index.js';
import { BACKBONE_THRESHOLDS } from '../../../main/people/thresholds.js';
import { Library } from '../../../main/store/library.js';
import { loadLfwPeople, type LfwPerson } from '../../models/embedder/lfw-fixture.js';
import { addPersonWithFaces, tearingHead } from './fixture.js';

const DIM = 128;
const rule: GroupRule = { sameDistance: BACKBONE_THRESHOLDS.sameDistance, minSize: 3 };
const raw = (rows: Float32Array) => applyHead(null, rows, DIM);
const stacked = (descriptors: readonly Float32Array[]) => {
  const rows = new Float32Array(descriptors.length * DIM);
  descriptors.forEach((d, i) => rows.set(d, i * DIM));
  return normalizeRows(rows, DIM);
};

let people: LfwPerson[];

beforeAll(async () => {
  people = (await loadLfwPeople()).filter((p) => p.descriptors.length >= 8).slice(0, 12);
});

describe('the unnamed groups a new head must keep whole', () => {
  it('refuses a head that parts one unnamed person the current embedding keeps as one, and says how many groups it splits', () => {
    const groups = people.map((p) => stacked(p.descriptors));
    const untouched = checkUnseenGroups(groups, DIM, { embed: raw, rule }, { embed: raw, rule });
    expect(untouched).toEqual({ groups: 12, keptWhole: untouched.keptWhole, torn: 0, tornSizes: [] });
    expect(untouched.keptWhole).toBeGreaterThanOrEqual(10);

    // One person's two looks (the halves average linkage joins last), pulled apart along the line between them.
    const victim = groups.findIndex((g) => tearingHead(g, DIM, rule.minSize) !== null);
    const tearing = tearingHead(groups[victim], DIM, rule.minSize)!;
    const headed = (rows: Float32Array) => applyHead(tearing, rows, DIM);

    expect(checkUnseenGroups([groups[victim]], DIM, { embed: raw, rule }, { embed: headed, rule })).toMatchObject({ torn: 1, tornSizes: [groups[victim].length / DIM] });
    const check = checkUnseenGroups(groups, DIM, { embed: raw, rule }, { embed: headed, rule });
    expect(check.torn).toBeGreaterThanOrEqual(1);
    expect(check.keptWhole).toBe(untouched.keptWhole);

    // Better on the confirmed faces set aside, by far more than chance: adopted unless it tears a group.
    const before = { identificationAccuracy: 0.9, tar: 0.85, far: 0.001, meanMargin: 0, probes: 200, genuinePairs: 800 };
    const after = { ...before, identificationAccuracy: 0.97, tar: 0.95 };
    expect(adoptionDecision(before, after, untouched).adopt).toBe(true);
    const refused = adoptionDecision(before, after, check);
    expect(refused.adopt).toBe(false);
    expect(refused.why).toBe(`it would split ${check.torn} of the ${check.keptWhole} unnamed groups the current recognition keeps whole`);
    expect(refused.reason).toContain('same-person pairs matched 85.0% → 95.0%');
    // A head no better on the confirmed faces keeps its own reason: the groups add nothing to it.
    expect(adoptionDecision(before, before, check).why).toBe('the new one did no better');
  });

  it('a training run checks every unnamed group of the library and decides with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'familiar-unseen-groups-'));
    const library = await Library.open(dir);
    try {
      // Four named people with five confirmed faces each; eight people nobody named, grouped by the clustering.
      for (const [i, p] of people.slice(0, 4).entries()) await addPersonWithFaces(library, `named-${i}`, p.identity, p.descriptors, 5);
      for (const [i, p] of people.slice(4).entries()) await addPersonWithFaces(library, `group-${i}`, null, p.descriptors, 0);
      const result = await trainEmbedder(library, { epochs: 3, seed: 2 });
      expect(result.unseenGroups).toMatchObject({ groups: 8 });
      expect(result.unseenGroups!.keptWhole).toBeGreaterThanOrEqual(6);
      const decision = adoptionDecision(result.before, result.after, result.unseenGroups!);
      expect({ adopted: result.adopted, why: result.why }).toEqual({ adopted: decision.adopt, why: decision.why });
    } finally {
      await library.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// `familiar models use <version>` regroups every face on the version, so one that parts a group nobody named tears that
// person apart (QA: `familiar models use v1`, then `familiar recluster`, and Andy Roddick's 10 unnamed faces were in
// pieces). It refuses such a switch in a sentence with the groups and faces, says how to go ahead (--anyway), and gives
// the check's figures with --json. Real lfw_subset faces: tests/main/embedder/fixture.ts libraryWithTearingVersion.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unnamedGroupsSplitSentence, type UnnamedGroupsCheck } from '../../../preload/contract.js';
import { libraryWithTearingVersion } from '../embedder/fixture.js';
import { runCli } from './cli-process.js';

let dir: string;
let torn: { personId: string; faces: number };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-cli-models-use-'));
  const built = await libraryWithTearingVersion(dir);
  torn = built.torn;
  await built.library.close();
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const inUse = () => (JSON.parse(readFileSync(join(dir, 'library.json'), 'utf8')) as { embedding: unknown }).embedding;

describe('familiar models use', () => {
  it('refuses a version that would split groups nobody named, saying how many and how to go ahead, and changes nothing', async () => {
    const json = await runCli('models', 'use', 'v1', '--library', dir, '--json');
    expect(json.code).toBe(1);
    const answer = JSON.parse(json.out.trim().split('\n').at(-1)!) as { type: string; error: string; code: string; version: string; unnamedGroups: UnnamedGroupsCheck };
    expect(answer).toMatchObject({ type: 'error', code: 'failed', version: 'v1', unnamedGroups: { groups: 8 } });
    const check = answer.unnamedGroups;
    expect(check.torn).toBeGreaterThanOrEqual(1);
    expect(check.tornSizes).toContain(torn.faces);

    const refused = await runCli('models', 'use', 'v1', '--library', dir);
    expect(refused.code).toBe(1);
    const sentence = unnamedGroupsSplitSentence('v1', check)!;
    expect(sentence).toContain(`Recognition v1 would split ${check.torn} of the ${check.keptWhole} unnamed groups the recognition in use keeps as one person (`);
    expect(sentence).toContain(check.torn === 1 ? `(a group of ${torn.faces} faces)` : `${torn.faces}`);
    expect(refused.err).toBe(`familiar models use: ${sentence} Nothing changed. To switch all the same: familiar models use v1 --anyway\n`);
    expect(answer.error).toBe(`${sentence} Nothing changed. To switch all the same: familiar models use v1 --anyway`);
    expect(refused.out).toBe('');
    expect(inUse()).toEqual({ kind: 'backbone' });
  }, 60_000);

  it('switches with --anyway, and says what it splits', async () => {
    const used = await runCli('models', 'use', 'v1', '--anyway', '--library', dir);
    expect(used.code).toBe(0);
    const lines = used.out.trim().split('\n');
    expect(lines[0]).toMatch(/^Now using v1: every face re-embedded, index rebuilt; same-person distance 0\.087\.$/);
    expect(lines[1]).toMatch(/^Switched with --anyway: Recognition v1 would split \d+ of the \d+ unnamed groups/);
    expect(inUse()).toEqual({ kind: 'head', modelId: 'embedder-v1' });
    // A version that splits none (the untrained v2) switches without a word about groups.
    const plain = await runCli('models', 'use', 'v2', '--library', dir);
    expect(plain.code).toBe(0);
    expect(plain.out).toBe('Now using v2: every face re-embedded, index rebuilt; same-person distance 0.087.\n');
  }, 60_000);

  it('lists --anyway in its help, and names it for a typo', async () => {
    const help = await runCli('models', 'use', '--help');
    expect(help.out).toMatch(/^Usage: familiar models use <version\|raw> \[--anyway\] /);
    expect(help.out).toContain('  --anyway          Switch even to a version that would split groups nobody named');
    const typo = await runCli('models', 'use', 'v1', '--anyways', '--library', dir);
    expect(typo.code).toBe(2);
    expect(typo.err).toBe('familiar models use: unknown option --anyways; did you mean --anyway? (see familiar models use --help).\n');
  });

  it('mends a head in use whose file was lost: the refusal says to use raw, and that works', async () => {
    expect(inUse()).toEqual({ kind: 'head', modelId: 'embedder-v2' });
    rmSync(join(dir, 'models', 'embedder', 'v2.bin'));
    const same = await runCli('models', 'use', 'v2', '--library', dir);
    expect(same.code).toBe(1);
    expect(same.err).toMatch(/^familiar models use: The embedder head v2 in use cannot be loaded \(.*\); run "familiar models use raw" or another version\.\n$/);
    // What the refusal says to run: it used to be refused the same way, and only editing library.json got out.
    const raw = await runCli('models', 'use', 'raw', '--library', dir);
    expect([raw.code, raw.err]).toEqual([0, '']);
    expect(raw.out).toMatch(/^Now using raw: every face re-embedded, index rebuilt; same-person distance /);
    expect(inUse()).toEqual({ kind: 'backbone' });
    expect((await runCli('people', '--library', dir)).code).toBe(0);
  }, 60_000);
});

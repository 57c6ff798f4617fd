// Switching recognition's version regroups every face on it, so a version that parts a group nobody named tears that
// person apart: QA ran `familiar models use v1`, then `familiar recluster`, and Andy Roddick's 10 unnamed faces were in
// pieces. Training refuses such a head (unseen-groups.test.ts); a switch must not do it silently either. Real
// lfw_subset faces: named people with confirmed faces and groups nobody named, v1 a head that tears one of them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEmbedderSwitch, SwitchSplitsGroupsError, useEmbedderModel } from '../../../main/embedder/index.js';
import { createApi } from '../../../main/api/index.js';
import { Library } from '../../../main/store/library.js';
import { calls, unnamedGroupsSplitSentence } from '../../../preload/contract.js';
import { libraryWithTearingVersion, userDecisions } from './fixture.js';

let dir: string;
let library: Library;
let torn: { personId: string; faces: number };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-switch-groups-'));
  ({ library, torn } = await libraryWithTearingVersion(dir));
}, 120_000);

afterAll(async () => {
  await library?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The unnamed groups and their faces, as the People screen lists them. */
function unnamedGroups(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const p of library.people.people.filter((person) => person.name === null)) groups.set(p.id, library.faces.filter((f) => f.personId === p.id).map((f) => f.id).sort());
  return groups;
}

describe('switching to a version that would split groups nobody named', () => {
  it('is refused, saying how many groups and faces, and changes nothing', async () => {
    const before = { embedding: library.info.embedding, settings: JSON.stringify(library.settings), groups: unnamedGroups(), vectors: readFileSync(join(dir, 'vectors', 'embedding.f32')) };
    expect(before.groups.get(torn.personId)).toHaveLength(torn.faces);

    const check = (await checkEmbedderSwitch(library, 'v1')).unnamedGroups;
    expect(check.groups).toBe(8);
    expect(check.keptWhole).toBeGreaterThanOrEqual(6);
    expect(check.torn).toBeGreaterThanOrEqual(1);
    expect(check.tornSizes).toContain(torn.faces);
    expect(check.tornSizes).toEqual([...check.tornSizes].sort((a, b) => b - a));

    const refused = await useEmbedderModel(library, 'v1').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SwitchSplitsGroupsError);
    expect((refused as SwitchSplitsGroupsError).check).toEqual(check);
    const sentence = unnamedGroupsSplitSentence('v1', check)!;
    expect(sentence).toMatch(new RegExp(`^Recognition v1 would split ${check.torn} of the ${check.keptWhole} unnamed groups the recognition in use keeps as one person \\(`));
    expect((refused as Error).message).toBe(`${sentence} Nothing changed; ask again with "anyway" to switch all the same.`);

    expect(library.info.embedding).toEqual(before.embedding);
    expect(JSON.stringify(library.settings)).toBe(before.settings);
    expect(unnamedGroups()).toEqual(before.groups);
    expect(readFileSync(join(dir, 'vectors', 'embedding.f32')).equals(before.vectors)).toBe(true);
  });

  it('says nothing and switches when the version splits none, and checks a way back to raw as any other', async () => {
    expect((await checkEmbedderSwitch(library, 'v2')).unnamedGroups).toMatchObject({ groups: 8, torn: 0, tornSizes: [] });
    const used = await useEmbedderModel(library, 'v2');
    expect(used).toMatchObject({ version: 'v2', changed: true, unnamedGroups: { torn: 0 } });
    // Raw is checked like any version: on this library, as on QA's after its v1, going back splits none.
    expect((await checkEmbedderSwitch(library, 'raw')).unnamedGroups).toMatchObject({ groups: unnamedGroups().size, torn: 0 });
    expect(await useEmbedderModel(library, 'raw')).toMatchObject({ version: 'raw', changed: true });
    // The version in use: nothing to switch, nothing to check.
    expect((await checkEmbedderSwitch(library, 'raw')).unnamedGroups).toEqual({ groups: 0, keptWhole: 0, torn: 0, tornSizes: [] });
  }, 60_000);

  it('switches when asked anyway, and the regrouping on it tears the group the check named, even if stopped then', async () => {
    const decisions = userDecisions(library);
    const groupFaces = unnamedGroups().get(torn.personId)!;
    // Stop pressed once the switch is made, as people are regrouped: the switch goes to its end and says so, where it
    // said "cancelled" of a library on v1 with its people not regrouped on it (a code review).
    const stop = new AbortController();
    const onProgress = (p: { stage: string }) => void (p.stage === 'refresh-people' && stop.abort());
    const used = await useEmbedderModel(library, 'v1', { signal: stop.signal, onProgress }, { anyway: true });
    expect(stop.signal.aborted).toBe(true);
    expect(used).toMatchObject({ version: 'v1', changed: true });
    expect(used.unnamedGroups.tornSizes).toContain(torn.faces);
    expect(library.info.embedding).toEqual({ kind: 'head', modelId: 'embedder-v1' });
    // What the check foretold: the group's faces are no longer one group.
    expect(new Set(groupFaces.map((id) => library.face(id)!.personId)).size).toBeGreaterThan(1);
    expect(userDecisions(library)).toEqual(decisions);
  }, 60_000);
});

describe('the app\'s calls', () => {
  it('models.checkUse gives the figures before the Use dialog asks; models.use refuses, then switches with anyway', async () => {
    const appDir = mkdtempSync(join(tmpdir(), 'familiar-switch-groups-api-'));
    const built = await libraryWithTearingVersion(appDir);
    await built.library.close();
    const api = await createApi({ libraryDir: appDir, mode: 'browser', log: () => {} });
    try {
      const check = calls['models.checkUse'].result.parse((await api.dispatcher.call('models.checkUse', { version: 'v1' })).result);
      expect(check).toMatchObject({ version: 'v1', unnamedGroups: { groups: 8 } });
      expect(check.unnamedGroups.tornSizes).toContain(built.torn.faces);

      const refused = await api.dispatcher.call('models.use', { kind: 'embedder', version: 'v1' });
      expect(refused.error).toBe(`${unnamedGroupsSplitSentence('v1', check.unnamedGroups)} Nothing changed; ask again with "anyway" to switch all the same.`);
      // A refusal to ask again, not a fault of the app (it was "failed", an HTTP 500 with a stack in the log); so is a
      // version the library does not hold, or a name that is none.
      expect(refused.code).toBe('invalid-argument');
      for (const [call, kind] of [['models.use', { kind: 'embedder' }], ['models.checkUse', {}]] as const) {
        expect(await api.dispatcher.call(call, { ...kind, version: 'v99' })).toMatchObject({ code: 'not-found', error: expect.stringMatching(/^There is no embedder version v99 /) });
        expect(await api.dispatcher.call(call, { ...kind, version: 'nope' })).toMatchObject({ code: 'invalid-argument', error: '"nope" is not an embedder version; give "raw" or a version such as v2.' });
      }
      expect(calls['models.list'].result.parse((await api.dispatcher.call('models.list', {})).result).embedderInUse).toBe('raw');
      // The contract checks the flag.
      expect((await api.dispatcher.call('models.use', { kind: 'embedder', version: 'v1', anyway: 'yes' })).code).toBe('invalid-argument');

      const switched = await api.dispatcher.call('models.use', { kind: 'embedder', version: 'v1', anyway: true });
      expect(calls['models.use'].result.parse(switched.result).embedderInUse).toBe('v1');
    } finally {
      await api.close();
      rmSync(appDir, { recursive: true, force: true });
    }
  }, 120_000);
});

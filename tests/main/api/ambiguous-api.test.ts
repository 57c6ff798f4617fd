// `faces.ambiguous` over the real engine on a library of lfw_subset faces: the contract's shape, the people and
// evidence it names, and that an answer is reflected at once (the scan is cached per library revision).
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls as contract, type CallName } from '../../../preload/contract.js';
import { createApi, type Api } from '../../../main/api/index.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';
import { namedLibrary } from '../../helpers/review-simulation.js';

let api: Api;
let dir: string;
let truth: (faceId: string) => string | null;

async function ok<K extends CallName>(name: K, args?: unknown) {
  const answer = await api.dispatcher.call(name, args);
  if (answer.error !== undefined) throw new Error(`${name} failed: ${answer.error}`);
  return contract[name].result.parse(answer.result) as ReturnType<(typeof contract)[K]['result']['parse']>;
}

beforeAll(async () => {
  const all = await loadLfwPeople();
  const fx = await namedLibrary(all.filter((p) => p.descriptors.length >= 6), all.filter((p) => p.descriptors.length === 1), 1, 1);
  await fx.library.close();
  dir = fx.dir;
  truth = fx.truth;
  api = await createApi({ libraryDir: dir, mode: 'browser', log: () => {} });
}, 120_000);

afterAll(async () => {
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('faces.ambiguous', () => {
  it('lists "is this A or B?" questions with both people and their nearest faces, and follows every answer', async () => {
    const first = await ok('faces.ambiguous', { limit: 4 });
    expect(first.total).toBeGreaterThan(4);
    expect(first.faces).toHaveLength(4);
    for (const q of first.faces) {
      const [a, b] = q.candidates;
      expect(a.person.name).toBeTruthy();
      expect(b.person.name).toBeTruthy();
      expect(a.person.id).not.toBe(b.person.id);
      expect(a.distance).toBeLessThanOrEqual(b.distance);
      expect(a.nearestFace).toMatch(/^thumb\//);
      expect(q.face.assignedBy).not.toBe('user');
    }
    // The user answers the first question with the truth; it leaves the list at once.
    const [question] = first.faces;
    const who = truth(question.face.id);
    if (who) await ok('faces.confirm', { faceIds: [question.face.id], personId: who });
    else {
      // "Neither of them": one call, one decision.
      const [first, ...others] = question.candidates.map((c) => c.person.id);
      await ok('faces.reject', { faceIds: [question.face.id], personId: first, alsoNotPersonIds: others });
    }
    const next = await ok('faces.ambiguous', { limit: 500 });
    expect(next.faces.map((q) => q.face.id)).not.toContain(question.face.id);
    // And undo brings it back.
    await ok('undo');
    expect((await ok('faces.ambiguous', { limit: 500 })).faces.map((q) => q.face.id)).toContain(question.face.id);
  });

  it('refuses a malformed request', async () => {
    expect((await api.dispatcher.call('faces.ambiguous', { limit: 0 })).code).toBe('invalid-argument');
    expect((await api.dispatcher.call('faces.ambiguous', { limit: 5, offset: 'x' })).code).toBe('invalid-argument');
  });
});

// A No about two unnamed groups survives a regrouping that gives one of them a new id, on real faces: lfw_subset with
// 4 photos a person (seed 1) grouped by Regroup, nobody named. Hu Jintao's and Wen Jiabao's groups lie 0.043 apart,
// asked about only without the spread test (spreadFactor: Infinity, a measurement override), which stands here for
// any two lookalikes the user tells apart. Then 5 more photos of Hu Jintao, in no group yet, and a Regroup: his 4 faces
// are fewer than half of the 9 now together, so the group gets a new id (main/people/clustering.ts keeps an unnamed
// group's id only for a majority). The "not <old id>" marks follow it to the new group, whichever way they were said.
import { afterEach, describe, expect, it } from 'vitest';
import { recluster, rejectFaces, undoLast } from '../../../main/people/index.js';
import { answerSamePerson, samePersonPairs } from '../../../main/people/same-person.js';
import type { Library } from '../../../main/store/library.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';
import { addOneFacePhotos, fewPhotosLibrary } from '../embedder/fixture.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

const wide = { spreadFactor: Infinity };
const key = (a: string, b: string) => [a, b].sort().join('|');

async function lookalikes(): Promise<{ library: Library; identityOf: Map<string, string>; groupOf: (identity: string) => string; facesOf: (id: string) => Library['faces'] }> {
  const made = await fewPhotosLibrary(4);
  close = made.close;
  const { library, identityOf } = made;
  await recluster(library);
  const groupOf = (identity: string) => {
    const sizes = new Map<string, number>();
    for (const f of library.faces) if (f.personId && identityOf.get(f.id) === identity) sizes.set(f.personId, (sizes.get(f.personId) ?? 0) + 1);
    return [...sizes].sort((a, b) => b[1] - a[1])[0][0];
  };
  const facesOf = (id: string) => library.faces.filter((f) => f.personId === id);
  return { library, identityOf, groupOf, facesOf };
}

/** Photos of `identity` not in the library yet, added in no group. */
async function morePhotosOf(library: Library, identityOf: Map<string, string>, identity: string, count: number): Promise<void> {
  const held = new Set(library.faces.map((f) => Array.from(library.embeddingOf(f).subarray(0, 8)).join()));
  const person = (await loadLfwPeople()).find((p) => p.identity === identity)!;
  const fresh = person.descriptors.filter((d) => !held.has(Array.from(d.subarray(0, 8)).join())).slice(0, count);
  expect(fresh).toHaveLength(count);
  for (const [id, who] of await addOneFacePhotos(library, fresh.map((descriptor) => ({ identity, descriptor })))) identityOf.set(id, who);
}

describe('a No about two groups, then a regrouping that gives one a new id', () => {
  for (const how of ['answered No', 'marked "not" that group on the other side only'] as const) {
    it(`is not asked again (${how})`, async () => {
      const { library, identityOf, groupOf, facesOf } = await lookalikes();
      const [hu, wen] = [groupOf('Hu_Jintao'), groupOf('Wen_Jiabao')];
      expect(samePersonPairs(library, wide).map((p) => key(p.groupId, p.otherId))).toContain(key(hu, wen));
      if (how === 'answered No') await answerSamePerson(library, hu, wen, false);
      else await rejectFaces(library, facesOf(wen).map((f) => f.id), hu);
      const wenFaces = facesOf(wen).map((f) => f.id);

      await morePhotosOf(library, identityOf, 'Hu_Jintao', 5);
      await recluster(library);
      const [huNow, wenNow] = [groupOf('Hu_Jintao'), groupOf('Wen_Jiabao')];
      expect(huNow).not.toBe(hu);
      expect(wenNow).toBe(wen);
      expect(library.people.people.some((p) => p.id === hu)).toBe(false);
      // Wen Jiabao's faces say "not" the group Hu Jintao's faces are in now, none the id that is gone.
      const marks = library.faces.filter((f) => wenFaces.includes(f.id)).map((f) => f.rejectedPersonIds);
      expect(marks.every((m) => m.includes(huNow) && !m.includes(hu))).toBe(true);
      expect(samePersonPairs(library, wide).map((p) => key(p.groupId, p.otherId))).not.toContain(key(huNow, wenNow));

      // Undo of the No (the latest decision) takes the re-pointed marks back too.
      await undoLast(library);
      expect(library.faces.filter((f) => wenFaces.includes(f.id)).some((f) => f.rejectedPersonIds.includes(huNow))).toBe(false);
    }, 120_000);
  }
});

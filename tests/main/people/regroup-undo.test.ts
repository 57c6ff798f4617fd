// Undo and Redo after a Regroup that gave a group a new id, on real faces: lfw_subset with 4 photos a person (seed 1)
// grouped by Regroup, nobody named, as in same-person-regroup.test.ts. Hu Jintao's group of 4 gets a new id once 5
// more photos of him join it (the 4 are fewer than half of the 9). Undo puts faces back in the group they were in, and
// that id is gone: before, Undo of a No about his group (or Redo of it, or Undo of "not <Name>" said of some of his faces)
// brought the old group back for the faces it put back, apart from the rest of his faces (a face whose old group
// could not come back became a face in no group). The regrouping re-points what Undo and Redo keep.
import { afterEach, describe, expect, it } from 'vitest';
import { nameFaces, recluster, redoLast, rejectFaces, undoLast } from '../../../main/people/index.js';
import { answerSamePerson, samePersonPairs } from '../../../main/people/same-person.js';
import type { Library } from '../../../main/store/library.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';
import { addOneFacePhotos, fewPhotosLibrary } from '../embedder/fixture.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

const wide = { spreadFactor: Infinity };
const key = (a: string, b: string) => [a, b].sort().join('|');

async function lookalikes() {
  const made = await fewPhotosLibrary(4);
  close = made.close;
  const { library, identityOf } = made;
  await recluster(library);
  const groupOf = (identity: string) => {
    const sizes = new Map<string, number>();
    for (const f of library.faces) if (f.personId && identityOf.get(f.id) === identity) sizes.set(f.personId, (sizes.get(f.personId) ?? 0) + 1);
    return [...sizes].sort((a, b) => b[1] - a[1])[0][0];
  };
  const faceIdsOf = (id: string) => library.faces.filter((f) => f.personId === id).map((f) => f.id);
  const faces = (ids: readonly string[]) => library.faces.filter((f) => ids.includes(f.id));
  const unknown = () => library.faces.filter((f) => f.personId === null).length;
  return { library, identityOf, groupOf, faceIdsOf, faces, unknown };
}

/** 5 photos of Hu Jintao not in the library yet, added in no group, then a Regroup: his group gets a new id. */
async function morePhotosOfHuAndRegroup(library: Library, identityOf: Map<string, string>, hu: string): Promise<void> {
  const held = new Set(library.faces.map((f) => Array.from(library.embeddingOf(f).subarray(0, 8)).join()));
  const person = (await loadLfwPeople()).find((p) => p.identity === 'Hu_Jintao')!;
  const fresh = person.descriptors.filter((d) => !held.has(Array.from(d.subarray(0, 8)).join())).slice(0, 5);
  expect(fresh).toHaveLength(5);
  for (const [id, who] of await addOneFacePhotos(library, fresh.map((descriptor) => ({ identity: 'Hu_Jintao', descriptor })))) identityOf.set(id, who);
  await recluster(library);
  expect(library.people.people.some((p) => p.id === hu)).toBe(false);
}

describe('Undo and Redo after a Regroup that gave a group a new id', () => {
  it('Undo of a No puts its faces in the group that holds them now, and Redo says No about that group', async () => {
    const { library, identityOf, groupOf, faceIdsOf, faces, unknown } = await lookalikes();
    const [hu, wen] = [groupOf('Hu_Jintao'), groupOf('Wen_Jiabao')];
    const [huFaces, wenFaces] = [faceIdsOf(hu), faceIdsOf(wen)];
    await answerSamePerson(library, hu, wen, false);
    await morePhotosOfHuAndRegroup(library, identityOf, hu);
    const huNow = groupOf('Hu_Jintao');
    expect(faces(huFaces).every((f) => f.personId === huNow)).toBe(true);
    const unknownBefore = unknown();

    await undoLast(library);
    // Before the fix: his 4 faces in no group.
    expect(faces(huFaces).map((f) => f.personId)).toEqual(huFaces.map(() => huNow));
    expect(faces(wenFaces).every((f) => f.personId === wen)).toBe(true);
    expect(unknown()).toBe(unknownBefore);
    expect(library.faces.some((f) => f.rejectedPersonIds.includes(hu) || f.rejectedPersonIds.includes(huNow))).toBe(false);

    await redoLast(library);
    expect(faces(huFaces).every((f) => f.personId === huNow && f.rejectedPersonIds.includes(wen))).toBe(true);
    expect(faces(wenFaces).every((f) => f.personId === wen && f.rejectedPersonIds.includes(huNow) && !f.rejectedPersonIds.includes(hu))).toBe(true);
    expect(unknown()).toBe(unknownBefore);
    expect(samePersonPairs(library, wide).map((p) => key(p.groupId, p.otherId))).not.toContain(key(huNow, wen));
  }, 120_000);

  it('Redo of a No undone before the Regroup puts its faces in the group that holds them now, and says No about it', async () => {
    const { library, identityOf, groupOf, faceIdsOf, faces, unknown } = await lookalikes();
    const [hu, wen] = [groupOf('Hu_Jintao'), groupOf('Wen_Jiabao')];
    const [huFaces, wenFaces] = [faceIdsOf(hu), faceIdsOf(wen)];
    await answerSamePerson(library, hu, wen, false);
    await undoLast(library);
    await morePhotosOfHuAndRegroup(library, identityOf, hu);
    const huNow = groupOf('Hu_Jintao');
    expect(faces(huFaces).every((f) => f.personId === huNow)).toBe(true);
    const unknownBefore = unknown();

    await redoLast(library);
    // Before the fix: his 4 faces in no group, and Wen Jiabao's "not" the id that is gone.
    expect(faces(huFaces).map((f) => f.personId)).toEqual(huFaces.map(() => huNow));
    expect(unknown()).toBe(unknownBefore);
    expect(faces(wenFaces).every((f) => f.personId === wen && f.rejectedPersonIds.includes(huNow) && !f.rejectedPersonIds.includes(hu))).toBe(true);
    expect(samePersonPairs(library, wide).map((p) => key(p.groupId, p.otherId))).not.toContain(key(huNow, wen));
  }, 120_000);

  it('Undo of "not <Name>" said of some of his faces leaves them in the group that holds his faces now', async () => {
    const { library, identityOf, groupOf, faceIdsOf, faces, unknown } = await lookalikes();
    const [hu, wen] = [groupOf('Hu_Jintao'), groupOf('Wen_Jiabao')];
    const huFaces = faceIdsOf(hu);
    await nameFaces(library, faceIdsOf(wen), 'Wen');
    const said = huFaces.slice(0, 2);
    await rejectFaces(library, said, 'Wen');
    await morePhotosOfHuAndRegroup(library, identityOf, hu);
    const huNow = groupOf('Hu_Jintao');
    expect(faces(huFaces).every((f) => f.personId === huNow)).toBe(true);
    const unknownBefore = unknown();

    await undoLast(library);
    // Before the fix: the 2 faces back in his old group, brought back for them, apart from his 7 other faces.
    expect(faces(huFaces).map((f) => f.personId)).toEqual(huFaces.map(() => huNow));
    expect(library.people.people.some((p) => p.id === hu)).toBe(false);
    expect(faces(said).some((f) => f.rejectedPersonIds.length > 0)).toBe(false);
    expect(unknown()).toBe(unknownBefore);
  }, 120_000);
});

// Several "not" marks on one side hold apart only the pairs the user spoke of (main/people/clustering.ts,
// groupsHeldApart). On real faces (lfw_subset, 8 photos a person, seed 1), one person's 8 faces, which Regroup draws
// as one group (Abdullah Gul's, the first by name), are split into three unnamed groups A, B and C, and the user says
// No to "Are these the same person?" about C and A, then C and B. Nobody said A and B are two people, but Regroup held
// each group its cluster's marks named to its own id, so A and B stayed two groups for good. The same with one face in
// no group said not to be A nor B. Now C stays apart from both, and A and B are drawn together as the clustering draws
// them.
import { afterEach, describe, expect, it } from 'vitest';
import { recluster, rejectFaces } from '../../../main/people/index.js';
import { answerSamePerson, samePersonPairs } from '../../../main/people/same-person.js';
import type { Library } from '../../../main/store/library.js';
import { fewPhotosLibrary } from '../embedder/fixture.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

/** The first person (by name) whose 8 faces Regroup draws as one group, split into unnamed groups of 3, 3 and 2. */
async function oneManInThreeGroups(): Promise<{ library: Library; a: string; b: string; c: string; faces: string[] }> {
  const made = await fewPhotosLibrary(8);
  close = made.close;
  const { library, identityOf } = made;
  await recluster(library);
  const byIdentity = new Map<string, string[]>();
  for (const f of library.faces) byIdentity.set(identityOf.get(f.id)!, [...(byIdentity.get(identityOf.get(f.id)!) ?? []), f.id]);
  const [, faces] = [...byIdentity]
    .sort(([x], [y]) => x.localeCompare(y))
    .find(([, ids]) => ids.length === 8 && new Set(ids.map((id) => library.face(id)!.personId)).size === 1 && library.face(ids[0])!.personId !== null)!;
  const a = library.face(faces[0])!.personId!;
  const [b, c] = ['person-b0000000000', 'person-c0000000000'];
  await library.transaction((tx) => {
    for (const id of [b, c]) tx.people.people.push({ id, name: null, hidden: false, coverFaceId: null, createdAt: new Date(0).toISOString() });
    for (const f of tx.faces) {
      const i = faces.indexOf(f.id);
      if (i >= 3) Object.assign(f, { personId: i < 6 ? b : c, assignedBy: 'cluster' });
    }
  });
  return { library, a, b, c, faces };
}

const groupsOf = (library: Library, faceIds: readonly string[]) => new Set(faceIds.map((id) => library.face(id)!.personId ?? `none:${id}`));

describe('a Regroup after Nos about one group and two others', () => {
  it('keeps that group apart from both, and the two others, never said apart, one group', async () => {
    const { library, a, b, c, faces } = await oneManInThreeGroups();
    await answerSamePerson(library, c, a, false);
    await answerSamePerson(library, c, b, false);
    await recluster(library);

    // Before: A and B kept apart under their ids, three groups. Now one, under the id of either.
    const together = groupsOf(library, faces.slice(0, 6));
    expect(together.size).toBe(1);
    const [ab] = together;
    expect([a, b]).toContain(ab);
    expect(groupsOf(library, faces.slice(6))).toEqual(new Set([c]));
    // The Nos stand: C's faces are not that group's (a mark about the id gone follows its faces), nor asked about.
    expect(faces.slice(6).every((id) => library.face(id)!.rejectedPersonIds.includes(ab))).toBe(true);
    const asked = samePersonPairs(library, { spreadFactor: Infinity, reach: 1 }).map((p) => [p.groupId, p.otherId].sort().join('|'));
    expect(asked).not.toContain([ab, c].sort().join('|'));
  }, 120_000);

  it('holds a face said not to be two groups apart from both, not the groups from each other', async () => {
    const { library, a, b, faces } = await oneManInThreeGroups();
    // C's faces back in no group, the last one said not to be A nor B.
    await library.transaction((tx) => {
      for (const f of tx.faces) if (faces.indexOf(f.id) >= 6) Object.assign(f, { personId: null, assignedBy: null });
    });
    const loose = faces[7];
    await rejectFaces(library, [loose], a);
    await rejectFaces(library, [loose], b);
    await recluster(library);

    const together = groupsOf(library, faces.slice(0, 6));
    expect(together.size).toBe(1);
    const [ab] = together;
    expect([a, b]).toContain(ab);
    expect(library.face(loose)!.personId).not.toBe(ab);
    expect(library.face(loose)!.rejectedPersonIds).toContain(ab);
  }, 120_000);
});

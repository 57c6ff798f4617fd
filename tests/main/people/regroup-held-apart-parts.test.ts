// A No holds two unnamed groups apart in a Regroup (main/people/clustering.ts, groupsHeldApart): in each cluster where
// one side's faces meet the other's, each group's faces are held to it. A group whose faces the clustering now draws
// in two clusters, meeting the other side in both, was held in both: its two parts stayed one group under its id,
// glued across clusters the clustering had drawn apart. On real faces (lfw_subset, 8 photos a person, seed 1): Hu
// Jintao's and Wen Jiabao's faces mixed into two groups, 5 of one and 3 of the other each (as an import's placement
// face by face, or groups drawn under other settings, can leave them), and answered No. Regroup left both mixed for
// good, each person half in each group; without the No it parts them by person. Now the larger part keeps the id and
// the other part becomes a group of its own, still held apart from the other side, and the No stands about it too.
// Undo of the No puts each part back in its group; a re-saved copy imported meanwhile kept the No's marks, and the next
// Regroup split the person again with no decision to say so: the import now records the copy where Undo finds it.
import { afterEach, describe, expect, it } from 'vitest';
import { assignNewFaces, recluster, redoLast, undoLast } from '../../../main/people/index.js';
import { answerSamePerson, samePersonPairs } from '../../../main/people/same-person.js';
import type { Library } from '../../../main/store/library.js';
import { addFacePhotos, fewPhotosLibrary } from '../embedder/fixture.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

const key = (a: string, b: string) => [a, b].sort().join('|');

/** Hu Jintao's and Wen Jiabao's 8 faces each, regrouped as two groups of 5 of one and 3 of the other. */
async function mixedGroups(): Promise<{ library: Library; identityOf: Map<string, string>; g1: string; g2: string; hu: string[]; wen: string[] }> {
  const made = await fewPhotosLibrary(8);
  close = made.close;
  const { library, identityOf } = made;
  await recluster(library);
  const of = (who: string) => library.faces.filter((f) => identityOf.get(f.id) === who).map((f) => f.id);
  const [hu, wen] = [of('Hu_Jintao'), of('Wen_Jiabao')];
  expect([hu.length, wen.length]).toEqual([8, 8]);
  const g1 = library.face(hu[0])!.personId!;
  const g2 = library.face(wen[0])!.personId!;
  expect(g1).not.toBe(g2);
  await library.transaction((tx) => {
    for (const f of tx.faces) {
      const [i, j] = [hu.indexOf(f.id), wen.indexOf(f.id)];
      if (i >= 0) Object.assign(f, { personId: i < 5 ? g1 : g2, assignedBy: 'cluster' });
      if (j >= 0) Object.assign(f, { personId: j < 5 ? g2 : g1, assignedBy: 'cluster' });
    }
  });
  return { library, identityOf, g1, g2, hu, wen };
}

/** Who each group holding `faceIds` holds, by person: group id to the people in it. */
function peopleIn(library: Library, identityOf: Map<string, string>, faceIds: readonly string[]): Map<string | null, Set<string>> {
  const out = new Map<string | null, Set<string>>();
  for (const id of faceIds) {
    const f = library.face(id)!;
    const who = out.get(f.personId) ?? out.set(f.personId, new Set()).get(f.personId)!;
    who.add(identityOf.get(id)!);
  }
  return out;
}

describe('a group the Regroup draws in two clusters, both meeting the other side of a No', () => {
  it('without the No, Regroup parts the two mixed groups by person', async () => {
    const { library, identityOf, hu, wen } = await mixedGroups();
    await recluster(library);
    const groups = peopleIn(library, identityOf, [...hu, ...wen]);
    expect(groups.size).toBe(2);
    for (const who of groups.values()) expect(who.size).toBe(1);
  }, 120_000);

  it('keeps the id for its larger part only; the other part is a group of its own, held apart and said No about', async () => {
    const { library, identityOf, g1, g2, hu, wen } = await mixedGroups();
    await answerSamePerson(library, g1, g2, false);
    await recluster(library);
    const groups = peopleIn(library, identityOf, [...hu, ...wen]);
    // Before: two groups, each holding both people.
    for (const [id, who] of groups) expect({ id, people: who.size }).toEqual({ id, people: 1 });
    expect(groups.has(null)).toBe(false);
    // Each group's larger part (5 faces) keeps its id; each smaller part (3) is a new group, never with the other side.
    const facesOf = (id: string) => library.faces.filter((f) => f.personId === id).map((f) => f.id);
    expect(facesOf(g1).sort()).toEqual(hu.slice(0, 5).sort());
    expect(facesOf(g2).sort()).toEqual(wen.slice(0, 5).sort());
    const [g1Part, g2Part] = [library.face(wen[5])!.personId!, library.face(hu[5])!.personId!];
    expect(new Set([g1, g2, g1Part, g2Part]).size).toBe(4);
    expect(facesOf(g1Part).sort()).toEqual(wen.slice(5).sort());
    expect(facesOf(g2Part).sort()).toEqual(hu.slice(5).sort());
    // The No stands between every part of one and every part of the other: none of those pairs is asked about.
    const asked = samePersonPairs(library, { spreadFactor: Infinity, reach: 1 }).map((p) => key(p.groupId, p.otherId));
    for (const a of [g1, g1Part]) for (const b of [g2, g2Part]) expect(asked).not.toContain(key(a, b));
    // And a second Regroup keeps them so.
    const before = new Map(library.faces.map((f) => [f.id, f.personId]));
    await recluster(library);
    expect([...hu, ...wen].every((id) => library.face(id)!.personId === before.get(id))).toBe(true);
  }, 120_000);

  it('Undo of the No gives back the groups as they were, and the next Regroup groups them as if it was never said', async () => {
    const { library, identityOf, g1, g2, hu, wen } = await mixedGroups();
    const stateOf = (id: string) => {
      const f = library.face(id)!;
      return { id, personId: f.personId, assignedBy: f.assignedBy, rejectedPersonIds: [...f.rejectedPersonIds] };
    };
    const asTheyWere = library.faces.map((f) => stateOf(f.id));
    await answerSamePerson(library, g1, g2, false);
    // A re-saved copy of one of Hu Jintao's photos in the first group (its descriptor: a copy's lies within 0.007 of
    // the original's) is imported meanwhile, and takes over the No's "not" as a copy does.
    const [copy] = await addFacePhotos(library, [library.embeddingOf(library.face(hu[0])!)]);
    identityOf.set(copy, 'Hu_Jintao');
    await assignNewFaces(library, [copy]);
    expect(library.face(copy)!.rejectedPersonIds).toEqual([g2]);
    await recluster(library);
    expect(peopleIn(library, identityOf, [...hu, ...wen, copy]).size).toBe(4);

    await undoLast(library);
    // Every face as it was before the No: the parts back in their groups.
    expect(asTheyWere.map(({ id }) => stateOf(id))).toEqual(asTheyWere);
    await recluster(library);
    // As without the No (the first test): each person's faces one group, the copy with Hu's. Before, the copy kept the
    // No's marks, and this Regroup split Hu again along the old groups, with no decision to say so.
    const groups = peopleIn(library, identityOf, [...hu, ...wen, copy]);
    expect([...groups.values()].map((who) => [...who])).toEqual(expect.arrayContaining([['Hu_Jintao'], ['Wen_Jiabao']]));
    expect(groups.size).toBe(2);
    expect(library.faces.filter((f) => f.rejectedPersonIds.length > 0)).toEqual([]);

    // Redo says No again, of the copy too.
    await redoLast(library);
    expect(library.face(copy)!.rejectedPersonIds).toContain(g2);
  }, 120_000);
});

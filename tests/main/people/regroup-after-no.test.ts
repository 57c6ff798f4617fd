// A "No" survives a regroup without breaking up the group it was said about (QA): in a library of lfw photos, 3 of a
// group of 10 Jennifer Aniston faces were moved to a new person "Jennifer A", and "Is this Jennifer A?" was answered
// No for the other 7. Settings → Regroup faces then left all 7 as faces in no group: the clustering drew the 10 as one
// group again, the 3 pinned faces made it Jennifer A's, and the 7 "not Jennifer A" faces were dropped from it instead
// of staying a group of their own. "Not X" keeps faces from X only; faces alike stay together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerGroupCandidate } from '../../../main/people/group-candidates.js';
import { assignNewFaces, nameFaces, namePerson, recluster, rejectFaces } from '../../../main/people/index.js';
import type { Library } from '../../../main/store/library.js';
import { loadLfwPeople, type LfwPerson } from '../../models/embedder/lfw-fixture.js';
import { makeEmbedderFixture, type EmbedderFixture } from '../embedder/fixture.js';

let fx: EmbedderFixture;
let people: LfwPerson[];

beforeAll(async () => {
  people = await loadLfwPeople();
  fx = await makeEmbedderFixture(people, { confirmed: 0, seed: 1 });
  // Nobody named yet: every face is grouped by the clustering alone.
  await fx.library.transaction((tx) => {
    tx.people.people = [];
  });
  await recluster(fx.library);
}, 180_000);

afterAll(async () => {
  await fx?.close();
});

const facesOfIdentity = (library: Library, name: string) => {
  const identity = people.findIndex((p) => p.identity === name);
  return library.faces.filter((f) => fx.identityOf.get(f.id) === identity);
};

/** The unnamed group holding most faces of `name`, and those faces. */
function groupOf(library: Library, name: string): { groupId: string; faceIds: string[] } {
  const counts = new Map<string, string[]>();
  for (const f of facesOfIdentity(library, name)) if (f.personId !== null) counts.set(f.personId, [...(counts.get(f.personId) ?? []), f.id]);
  const [groupId, faceIds] = [...counts].sort((a, b) => b[1].length - a[1].length)[0];
  return { groupId, faceIds };
}

const personIdOf = (library: Library, name: string) => library.people.people.find((p) => p.name === name)!.id;

/** The groups `faceIds` are in after a grouping: a face in no group counts as a group of its own. */
const groupsOf = (library: Library, faceIds: readonly string[]) => new Set(library.faces.filter((f) => faceIds.includes(f.id)).map((f) => f.personId ?? `none:${f.id}`));

/** True when a group of `faceIds` holds a face the user placed with `personId` (that person's own faces). */
const withTheirFaces = (library: Library, faceIds: readonly string[], personId: string) => {
  const groups = groupsOf(library, faceIds);
  return library.faces.some((f) => f.assignedBy === 'user' && f.personId === personId && groups.has(f.personId));
};

describe('a regroup after "not them" said about a whole group', () => {
  it('keeps the faces answered "not Jennifer A" one group of their own, never with her', async () => {
    const lib = fx.library;
    const { groupId, faceIds } = groupOf(lib, 'Jennifer_Aniston');
    expect(faceIds.length).toBeGreaterThanOrEqual(8);
    const moved = faceIds.slice(0, 3);
    const rest = faceIds.slice(3);
    await nameFaces(lib, moved, 'Jennifer A');
    const jenniferA = personIdOf(lib, 'Jennifer A');
    await answerGroupCandidate(lib, groupId, jenniferA, false);
    expect(lib.faces.filter((f) => rest.includes(f.id)).every((f) => f.personId === groupId && f.rejectedPersonIds.includes(jenniferA))).toBe(true);
    const unknownBefore = lib.faces.filter((f) => f.personId === null).length;

    await recluster(lib);
    // Still one group (before the fix: each face in no group, "Who is this?" up by 7), and not hers.
    expect([...groupsOf(lib, rest)]).toEqual([groupId]);
    expect(withTheirFaces(lib, rest, jenniferA)).toBe(false);
    expect(lib.faces.filter((f) => moved.includes(f.id)).every((f) => f.personId === jenniferA)).toBe(true);
    expect(lib.faces.filter((f) => f.personId === null).length).toBeLessThanOrEqual(unknownBefore);
  });

  it('groups the faces left out of a name, and those rejected from a suggestion all at once, apart from that person', async () => {
    const lib = fx.library;
    // Naming a group, leaving 4 of its faces out: they are "not Winona R", and unknown.
    const winonaGroup = groupOf(lib, 'Winona_Ryder');
    expect(winonaGroup.faceIds.length).toBeGreaterThanOrEqual(8);
    const leftOut = winonaGroup.faceIds.slice(-4);
    await namePerson(lib, winonaGroup.groupId, 'Winona R', { leaveOut: leftOut });
    const winona = personIdOf(lib, 'Winona R');
    // A person named from 3 faces, the 6 like them suggested and rejected in one go.
    const tony = groupOf(lib, 'Tony_Blair');
    expect(tony.faceIds.length).toBeGreaterThanOrEqual(8);
    await nameFaces(lib, tony.faceIds.slice(0, 3), 'Tony B');
    const tonyB = personIdOf(lib, 'Tony B');
    const rejected = tony.faceIds.slice(3, 9);
    await rejectFaces(lib, rejected, tonyB);

    await recluster(lib);
    for (const [faceIds, personId] of [[leftOut, winona], [rejected, tonyB]] as const) {
      const groups = groupsOf(lib, faceIds);
      expect(groups.size).toBe(1);
      expect([...groups][0]).not.toMatch(/^none:/);
      expect(groups.has(personId)).toBe(false);
      expect(withTheirFaces(lib, faceIds, personId)).toBe(false);
    }
  });
});

describe("an import's grouping of faces that are not someone", () => {
  it('groups the new faces marked "not X" together, apart from X', async () => {
    const lib = fx.library;
    const { faceIds } = groupOf(lib, 'Vladimir_Putin');
    expect(faceIds.length).toBeGreaterThanOrEqual(8);
    await nameFaces(lib, faceIds.slice(0, 3), 'Vladimir P');
    const vladimir = personIdOf(lib, 'Vladimir P');
    const rest = faceIds.slice(3);
    // The rest arrive in an import already marked "not Vladimir P" (their re-saved copies were, or the user said so
    // while the import ran): the import's grouping places or groups them.
    await lib.transaction((tx) => {
      for (const f of tx.faces) if (rest.includes(f.id)) Object.assign(f, { personId: null, assignedBy: null, rejectedPersonIds: [vladimir], unplaced: true });
    });
    await assignNewFaces(lib, rest);
    const groups = groupsOf(lib, rest);
    expect(groups.size).toBe(1);
    expect([...groups][0]).not.toMatch(/^none:/);
    expect(groups.has(vladimir)).toBe(false);
  });
});

// Deleting an unnamed group, on real faces (lfw_subset backbone descriptors from the shared cache). The user says "not
// this group": the faces stay in their photos, but the group must not come back. It did: the delete left its faces
// unknown faces like any, and the grouping right after it, every Regroup and every import drew the very same group
// again (QA: deleted groups came back). Its faces are now set aside as "Don't ask about this face" sets them, which
// every grouping respects; the user can still name any of them, and Undo gives the group back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assignNewFaces, deletePerson, nameFaces, recluster, undoDecision } from '../../../main/people/index.js';
import { isPinnedUnknown } from '../../../main/people/library.js';
import { Library } from '../../../main/store/library.js';
import { loadLfwPeople, type LfwPerson } from '../../models/embedder/lfw-fixture.js';
import { addFacePhotos, addPersonWithFaces } from '../embedder/fixture.js';
import { runCli } from './fixture.js';

let people: Map<string, LfwPerson>;
let dir: string;
let library: Library;
/** Hugo Chavez's first 7 photos, in the library from the start; his other 3 are imported later. */
let hugo: string[];
/** The unnamed group the clustering made of Hugo's faces. */
let group: string;

beforeAll(async () => {
  people = new Map((await loadLfwPeople()).map((p) => [p.identity, p]));
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-delete-group-'));
  library = await Library.open(dir);
  await addPersonWithFaces(library, 'person-colin', 'Colin', people.get('Colin_Powell')!.descriptors, 5);
  hugo = await addFacePhotos(library, people.get('Hugo_Chavez')!.descriptors.slice(0, 7));
  await addFacePhotos(library, people.get('Tony_Blair')!.descriptors);
  await addFacePhotos(library, people.get('Serena_Williams')!.descriptors);
  await recluster(library);
  const groups = new Set(hugo.map((id) => library.face(id)!.personId));
  expect(groups.size).toBe(1);
  [group] = groups as Set<string>;
  expect(library.people.people.find((p) => p.id === group)).toMatchObject({ name: null });
});

afterEach(async () => {
  await library?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const groupsHolding = (ids: readonly string[]) => new Set(ids.map((id) => library.face(id)!.personId));
const snapshot = (lib: Library) => structuredClone({ faces: lib.faces, people: lib.people.people });

describe('deleting an unnamed group', () => {
  it('is not drawn again by the delete, a Regroup, an import or a restart, and its faces can still be named', async () => {
    const done = await deletePerson(library, group);
    expect(library.people.people.some((p) => p.id === group)).toBe(false);
    // Before: the grouping right after the delete put the 7 faces in a new group at once.
    expect(groupsHolding(hugo)).toEqual(new Set([null]));
    expect(hugo.every((id) => isPinnedUnknown(library.face(id)!))).toBe(true);
    expect(done.description).toBe('Deleted an unnamed group: Familiar will not group or ask about its 7 faces again.');

    await recluster(library);
    expect(groupsHolding(hugo)).toEqual(new Set([null]));

    // An import of 3 more photos of him: they may make a group of their own, never with the faces deleted.
    const more = await addFacePhotos(library, people.get('Hugo_Chavez')!.descriptors.slice(7));
    await assignNewFaces(library, more);
    await recluster(library);
    expect(groupsHolding(hugo)).toEqual(new Set([null]));
    for (const id of more) expect(library.face(id)!.personId === null || !hugo.some((h) => library.face(h)!.personId === library.face(id)!.personId)).toBe(true);

    await library.close();
    library = await Library.open(dir);
    await recluster(library);
    expect(groupsHolding(hugo)).toEqual(new Set([null]));

    // Named one by one when the user says so, and that holds.
    await nameFaces(library, [hugo[0]], 'Hugo');
    await nameFaces(library, [hugo[1]], 'Colin');
    await recluster(library);
    const hugoPerson = library.people.people.find((p) => p.name === 'Hugo')!;
    expect(library.face(hugo[0])).toMatchObject({ personId: hugoPerson.id, assignedBy: 'user' });
    expect(library.face(hugo[1])).toMatchObject({ personId: 'person-colin', assignedBy: 'user' });
    expect(groupsHolding(hugo.slice(2))).toEqual(new Set([null]));
  }, 240_000);

  it('undo gives the group back as it was, and the next Regroup keeps it', async () => {
    const before = snapshot(library);
    await deletePerson(library, group);
    await recluster(library);
    const { undone } = await undoDecision(library);
    expect(undone).toMatch(/^Deleted an unnamed group/);
    expect(snapshot(library)).toStrictEqual(before);
    await recluster(library);
    expect(groupsHolding(hugo)).toEqual(new Set([group]));
  }, 240_000);

  it('from the command line says the faces are set aside, and names no group they went to', async () => {
    await library.close(); // the CLI opens it itself (single-writer lock)
    const { code, out } = await runCli(dir, 'delete', group);
    expect(code).toBe(0);
    expect(out).toBe('Deleted an unnamed group: Familiar will not group or ask about its 7 faces again.\n"familiar undo" takes it back: the group and every face as it was.\n');
    library = await Library.open(dir);
    expect(hugo.every((id) => isPinnedUnknown(library.face(id)!))).toBe(true);
  }, 240_000);
});

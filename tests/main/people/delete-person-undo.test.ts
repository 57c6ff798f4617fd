// Deleting a person on real faces (lfw_subset backbone descriptors from the shared cache): the grouping right after
// the delete groups the faces it released, and must leave alone the faces that were unknown before. It pulled them in
// (they lie near the released faces), and Undo, which puts back what the delete itself changed, left them in the new
// group: a face the user had said was "not Tony" sat in a group of Tony's faces after Undo, with nothing to take it out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deletePeople, deletePerson, hidePerson, undoDecision } from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import type { FaceRecord, PersonRecord } from '../../../main/store/types.js';
import { loadLfwPeople, type LfwPerson } from '../../models/embedder/lfw-fixture.js';
import { addFacePhotos, addPersonWithFaces } from '../embedder/fixture.js';
import { runCli } from './fixture.js';

let people: Map<string, LfwPerson>;
let dir: string;
let library: Library;
/** Tony's faces in his person, and Tony's faces the user left unknown (one of them answered "not Tony"). */
let tonyFaces: string[];
let leftUnknown: string[];

beforeAll(async () => {
  people = new Map((await loadLfwPeople()).map((p) => [p.identity, p]));
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-delete-'));
  library = await Library.open(dir);
  const tony = people.get('Tony_Blair')!.descriptors;
  await addPersonWithFaces(library, 'person-colin', 'Colin', people.get('Colin_Powell')!.descriptors, 10);
  tonyFaces = await addPersonWithFaces(library, 'person-tony', 'Tony', tony.slice(0, 6), 3);
  await addPersonWithFaces(library, 'person-group', null, people.get('Hugo_Chavez')!.descriptors, 0);
  leftUnknown = await addFacePhotos(library, tony.slice(6));
  // What the user said of faces stays through the delete and its undo: one of Tony's is not Colin, and one of the
  // unknown faces is not Tony (the user left it out of him on purpose).
  await library.transaction((tx) => {
    const face = (id: string) => tx.faces.find((f) => f.id === id)!;
    face(tonyFaces[4]).rejectedPersonIds = ['person-colin'];
    face(leftUnknown[0]).rejectedPersonIds = ['person-tony'];
  });
});

afterEach(async () => {
  await library?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every face and person as they are (a copy; compared whatever order the keys were read back in). */
const snapshot = (lib: Library) => structuredClone({ faces: lib.faces, people: lib.people.people });
const face = (id: string): FaceRecord => library.face(id)!;

describe('deleting a person, and undoing it', () => {
  it('groups the released faces among themselves and leaves the faces that were unknown before where they were', async () => {
    const before = new Map(leftUnknown.map((id) => [id, structuredClone(face(id))]));
    await deletePerson(library, 'person-tony');
    expect(library.people.people.some((p) => p.id === 'person-tony')).toBe(false);
    const groups = new Set(tonyFaces.map((id) => face(id).personId));
    expect(groups.size).toBe(1);
    const [group] = groups;
    expect(group).not.toBeNull();
    expect(library.people.people.find((p) => p.id === group)).toMatchObject({ name: null });
    for (const [id, was] of before) expect(face(id), id).toEqual(was);
  });

  it('undo puts back the person, their faces, what the user said of them, and every face the grouping touched', async () => {
    const before = snapshot(library);
    await deletePerson(library, 'person-tony');
    expect((await undoDecision(library)).undone).toMatch(/^Deleted "Tony"/);
    expect(snapshot(library)).toStrictEqual(before);
  });

  it('released faces placed in an unconfirmed group leave it on undo, and the group keeps its own faces', async () => {
    // Tony's other faces are an unnamed group now: the released faces look like it and join it.
    await library.transaction((tx) => {
      (tx.people.people as PersonRecord[]).push({ id: 'person-more-tony', name: null, hidden: false, coverFaceId: null, createdAt: new Date().toISOString() });
      for (const f of tx.faces) if (leftUnknown.includes(f.id) && f.id !== leftUnknown[0]) Object.assign(f, { personId: 'person-more-tony', assignedBy: 'cluster' });
    });
    const before = snapshot(library);
    await deletePerson(library, 'person-tony');
    expect(tonyFaces.filter((id) => face(id).personId === 'person-more-tony').length).toBeGreaterThan(0);
    expect(face(leftUnknown[0])).toMatchObject({ personId: null, assignedBy: null });
    await undoDecision(library);
    expect(snapshot(library)).toStrictEqual(before);
  });

  it('undo from the command line puts back the same', async () => {
    const before = snapshot(library);
    await deletePerson(library, 'person-tony');
    await library.close(); // the CLI opens it itself (single-writer lock)
    const { code, out } = await runCli(dir, 'undo');
    expect(code).toBe(0);
    expect(out).toMatch(/^"Tony" is back, with \d+ faces\.\n$/);
    library = await Library.open(dir);
    expect(snapshot(library)).toStrictEqual(before);
  });
});

// People's "Delete…" on several people was one delete each, and its Undo as many undos: a decision landing in between
// (another window, the CLI, an import naming faces) was taken back by that Undo, and a deleted person stayed deleted.
describe('deleting several people at once', () => {
  it('is one decision: one undo puts them all back where they were, and a decision made before stays', async () => {
    // Someone else's decision, just before the delete: the delete's undo must not take it back.
    await hidePerson(library, 'person-colin', true);
    const before = snapshot(library);
    const hugoFaces = library.faces.filter((f) => f.personId === 'person-group').map((f) => f.id);
    const done = await deletePeople(library, ['person-tony', 'person-group']);
    expect(done.description).toBe(
      `Deleted "Tony" and an unnamed group; ${tonyFaces.length} faces no longer have a name, and Familiar will not group or ask about the ${hugoFaces.length} faces of the group again.`,
    );
    expect(done.personIds).toEqual(['person-tony', 'person-group']);
    expect(library.people.people.map((p) => p.id)).not.toContain('person-tony');
    expect(library.people.people.map((p) => p.id)).not.toContain('person-group');
    // Tony's grouped again as one person's faces are; the unnamed group's set aside, in no group (it stays gone).
    expect(new Set(tonyFaces.map((id) => face(id).personId)).size).toBe(1);
    expect(face(tonyFaces[0]).personId).not.toBeNull();
    expect(hugoFaces.map((id) => face(id))).toEqual(hugoFaces.map(() => expect.objectContaining({ personId: null, assignedBy: 'user' })));

    expect((await undoDecision(library)).undone).toBe(done.description);
    // Both back, in their places among the people, with every face as it was; Colin stays hidden.
    expect(snapshot(library)).toStrictEqual(before);
    expect(library.people.people.find((p) => p.id === 'person-colin')?.hidden).toBe(true);
  });

  it('a decision made after it is undone first, then the whole delete with one more undo', async () => {
    const before = snapshot(library);
    await deletePeople(library, ['person-tony', 'person-group']);
    await hidePerson(library, 'person-colin', true);
    expect((await undoDecision(library)).undone).toBe('Hid "Colin".');
    expect((await undoDecision(library)).undone).toMatch(/^Deleted "Tony" and an unnamed group/);
    expect(snapshot(library)).toStrictEqual(before);
  });

  it('deletes a person given twice once, and deletes nobody when one of them is not in the library', async () => {
    const done = await deletePeople(library, ['person-tony', 'Tony']);
    expect(done.personIds).toEqual(['person-tony']);
    expect(done.description).toMatch(/^Deleted "Tony"; /);
    await undoDecision(library);
    const before = snapshot(library);
    await expect(deletePeople(library, ['person-tony', 'person-nobody'])).rejects.toThrow();
    expect(snapshot(library)).toStrictEqual(before);
  });
});

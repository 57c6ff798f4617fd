// "Separate again" on real faces (lfw_subset backbone descriptors from the shared cache): Jeb merged into George W by
// mistake, then more of Jeb's photos imported. Familiar placed those with George W, as Jeb's faces were his then;
// separating Jeb again takes them back with his own, except one the user confirmed as George W.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignNewFaces, confirmFaces, mergedPeopleOf, mergePeople, separatePerson, undoLast } from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import { loadLfwPeople, type LfwPerson } from '../../models/embedder/lfw-fixture.js';
import { addFacePhotos, addPersonWithFaces } from '../embedder/fixture.js';

/** "George W", "Jeb", and someone else named in the library, so placement has a third person to weigh. */
const GEORGE = 'George_W_Bush';
const JEB = 'Tony_Blair';
const OTHER = 'Colin_Powell';

let people: Map<string, LfwPerson>;
let dir: string;
let library: Library;

beforeAll(async () => {
  people = new Map((await loadLfwPeople()).map((p) => [p.identity, p]));
  dir = mkdtempSync(join(tmpdir(), 'familiar-separate-'));
  library = await Library.open(dir);
});

afterAll(async () => {
  await library?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const snapshot = () => JSON.stringify({ faces: library.faces, people: library.people.people });

describe('separating a person merged by mistake, after more of their photos came in', () => {
  it('takes back the faces Familiar placed with the merged person since, keeps what the user confirmed, and undoes exactly', async () => {
    const george = people.get(GEORGE)!.descriptors;
    const jeb = people.get(JEB)!.descriptors;
    const georgeFaces = await addPersonWithFaces(library, 'person-george', 'George W', george.slice(0, 7), 5);
    const jebFaces = await addPersonWithFaces(library, 'person-jeb', 'Jeb', jeb.slice(0, 5), 3);
    await addPersonWithFaces(library, 'person-other', OTHER.replace(/_/g, ' '), people.get(OTHER)!.descriptors, 10);

    await mergePeople(library, 'person-george', ['person-jeb']);
    // Imported since: the rest of Jeb's photos and of George W's. Familiar places them; Jeb's go to George W.
    const laterJeb = await addFacePhotos(library, jeb.slice(5));
    const laterGeorge = await addFacePhotos(library, george.slice(7));
    await assignNewFaces(library, [...laterJeb, ...laterGeorge]);
    const face = (id: string) => library.face(id)!;
    for (const id of [...laterJeb, ...laterGeorge]) expect(face(id)).toMatchObject({ personId: 'person-george', assignedBy: 'cluster' });
    // The user looked at one of them and said it is George W: it stays with him. (Confirmed as George W, it is one of
    // his faces the others are weighed against: Jeb's photos nearer it than Jeb's own stay with George W too. This
    // one is not the nearest face of any other.)
    const confirmed = laterJeb.at(-1)!;
    const placed = laterJeb.slice(0, -1);
    await confirmFaces(library, [confirmed], 'person-george');
    expect(mergedPeopleOf(library, 'person-george')).toEqual([expect.objectContaining({ name: 'Jeb', faceCount: jebFaces.length })]);
    const before = snapshot();

    const done = await separatePerson(library, 'person-george', 'Jeb');
    const back = jebFaces.length + placed.length;
    expect(done.description).toBe(`Separated "Jeb" from "George W": ${back} faces went back to "Jeb" (${placed.length} of them placed with "George W" since the merge).`);
    expect(new Set(done.faceIds)).toEqual(new Set([...jebFaces, ...placed]));
    // Jeb's faces of the merge as they were; the later ones still Familiar's guess, now with Jeb.
    expect(jebFaces.map((id) => face(id).assignedBy)).toEqual(['user', 'user', 'user', 'cluster', 'cluster']);
    for (const id of jebFaces) expect(face(id).personId).toBe('person-jeb');
    for (const id of placed) expect(face(id)).toMatchObject({ personId: 'person-jeb', assignedBy: 'cluster' });
    expect(face(confirmed)).toMatchObject({ personId: 'person-george', assignedBy: 'user' });
    for (const id of [...georgeFaces, ...laterGeorge]) expect(face(id).personId).toBe('person-george');

    await undoLast(library);
    expect(snapshot()).toBe(before);
    expect(mergedPeopleOf(library, 'person-george').map((m) => m.name)).toEqual(['Jeb']);
  });
});

// A group that may be two people (main/people/two-people.ts), with a resized copy of one of its photos: the question,
// the split it offers, a name for the part like the cover, and what their undo says count the copy's face once, as
// People does, and the copy's face goes and comes back with its original (main/people/copy-faces.ts). On real faces
// (lfw_subset descriptors): Venus and Serena Williams's twenty photos as one unnamed group, and a copy of Venus's
// first photo, its face linked to the original's as an import links a resized copy's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listPeople, namePerson, splitPerson, twoPeopleQuestion, undoDecision } from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';
import { addFacePhotos, addPersonWithFaces } from '../embedder/fixture.js';

let dir: string;
let library: Library;
/** The sisters' faces, Venus's first; the copy's face, linked to Venus's first. */
let sisters: string[];
let copyFace: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-copy-two-people-'));
  library = await Library.open(dir);
  const everyone = await loadLfwPeople();
  const of = (identity: string) => everyone.find((p) => p.identity === identity)!.descriptors;
  sisters = await addPersonWithFaces(library, 'person-sisters', null, [...of('Venus_Williams'), ...of('Serena_Williams')], 0);
  [copyFace] = await addFacePhotos(library, [of('Venus_Williams')[0]], () => ({ personId: 'person-sisters', assignedBy: 'cluster' }));
  const original = library.face(sisters[0])!;
  await library.transaction((tx) => {
    const copy = tx.photos.find((p) => p.faceIds.includes(copyFace))!;
    copy.copyOf = { photoId: original.photoId, faces: { [copyFace]: original.id } };
  });
  expect(listPeople(library).find((p) => p.id === 'person-sisters')).toMatchObject({ faceCount: 20, photoCount: 20 });
}, 60_000);

afterEach(async () => {
  await library.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a group that may be two people, with a resized copy of one of its photos', () => {
  it("asks about the copy's face once, and its split takes it with its original, as its undo brings it back", async () => {
    const question = twoPeopleQuestion(library, 'person-sisters')!;
    expect(question.stays.length + question.leaves.length).toBe(20);
    expect([...question.stays, ...question.leaves]).not.toContain(copyFace);
    const part = question.stays.includes(sisters[0]) ? question.stays : question.leaves;

    const split = await splitPerson(library, 'person-sisters', question.leaves);
    expect(split.description).toBe(`Split ${question.leaves.length} faces off an unnamed group into a new group.`);
    const newGroup = library.face(question.leaves[0])!.personId;
    expect(library.face(copyFace)!.personId).toBe(part === question.leaves ? newGroup : 'person-sisters');
    expect(library.face(copyFace)!.personId).toBe(library.face(sisters[0])!.personId);
    expect((await undoDecision(library)).message).toBe(`The ${question.leaves.length} faces split off are back with an unnamed group.`);
    expect(library.face(copyFace)!.personId).toBe('person-sisters');
  });

  it("names the part like the cover, and its undo counts the copy's face once", async () => {
    const { stays, leaves } = twoPeopleQuestion(library, 'person-sisters')!;
    const named = await namePerson(library, 'person-sisters', 'Venus', { twoPeople: 'cover-part' });
    expect(named.description).toMatch(new RegExp(`^Named "Venus" \\(${stays.length} faces, `));
    expect(library.face(copyFace)!.personId).toBe(library.face(sisters[0])!.personId);
    expect((await undoDecision(library)).message).toBe(
      `Took back the name "Venus": its ${stays.length} faces and the ${leaves.length} set apart are one unnamed group of 20 again.`,
    );
    expect(library.face(copyFace)!.personId).toBe('person-sisters');
  });
});

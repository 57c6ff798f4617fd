// "Separate again" for a group that joined a named person, on real faces (lfw_subset backbone descriptors from the
// shared cache): "Grandpa George" is George H. W. Bush; a group of George W. Bush's photos is named "Grandpa George"
// by mistake (or answered Yes to "Is this Grandpa George?"). Long after Undo stops reaching it, the person's page
// offers to take those faces back out: they become a group of their own again, not Grandpa George, and what the user
// said since about single faces stands.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  answerGroupCandidate,
  assignNewFaces,
  confirmFaces,
  currentPersonIds,
  groupCandidateOf,
  mergedPeopleOf,
  moveFaces,
  namePerson,
  recluster,
  separatePerson,
  suggestionsFor,
  undoLast,
} from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import type { Decision } from '../../../main/people/types.js';
import { loadLfwPeople, type LfwPerson } from '../../models/embedder/lfw-fixture.js';
import { addFacePhotos, addPersonWithFaces } from '../embedder/fixture.js';

const HW = 'George_HW_Bush';
const W = 'George_W_Bush';
const OTHER = 'Colin_Powell';

let people: Map<string, LfwPerson>;
let dir: string;
let library: Library;

beforeAll(async () => {
  people = new Map((await loadLfwPeople()).map((p) => [p.identity, p]));
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-separate-joined-'));
  library = await Library.open(dir);
});

afterEach(async () => {
  await library?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Undo no longer reaches any decision made so far (more than UNDO_DEPTH were made since). */
async function forgetUndo(): Promise<void> {
  await library.transaction((tx) => {
    for (const decision of tx.people.decisions as Decision[]) decision.before = null;
  });
}

const face = (id: string) => library.face(id)!;
const snapshot = () => JSON.stringify({ faces: library.faces, people: library.people.people });

/** Grandpa George (H. W.), 7 of 9 faces confirmed; a group of 6 of George W.'s; Colin Powell, for placement to weigh. */
async function library3(): Promise<{ hw: string[]; w: string[]; wLater: Float32Array[] }> {
  const hw = await addPersonWithFaces(library, 'person-hw', 'Grandpa George', people.get(HW)!.descriptors.slice(0, 9), 7);
  const wAll = people.get(W)!.descriptors;
  const w = await addPersonWithFaces(library, 'person-w', null, wAll.slice(0, 6), 0);
  await addPersonWithFaces(library, 'person-colin', 'Colin Powell', people.get(OTHER)!.descriptors, 10);
  return { hw, w, wLater: wAll.slice(6) };
}

describe('separating a group that joined a named person by mistake', () => {
  it('gives the faces back as a group of their own, not the person, long after; later word on single faces stands; undone exactly', async () => {
    const { hw, w, wLater } = await library3();
    const named = await namePerson(library, 'person-w', 'Grandpa George');
    expect(named.description).toMatch(/^Merged an unnamed group into "Grandpa George"/);
    for (const id of w) expect(face(id).personId).toBe('person-hw');
    expect(mergedPeopleOf(library, 'person-hw')).toEqual([{ personId: 'person-w', name: null, at: expect.any(String), faceCount: 6, faceIds: w.slice(0, 4) }]);

    // Since: more of George W.'s photos imported (Familiar places them with Grandpa George, whose faces W.'s are now);
    // the user confirmed one of the group's faces as Grandpa George and moved another to Colin Powell.
    const later = await addFacePhotos(library, wLater);
    await assignNewFaces(library, later);
    const placedSince = later.filter((id) => face(id).personId === 'person-hw');
    expect(placedSince.length).toBeGreaterThan(0);
    await confirmFaces(library, [w[0]], 'person-hw');
    await moveFaces(library, [w[1]], 'person-colin');
    await forgetUndo();
    const listed = mergedPeopleOf(library, 'person-hw');
    expect(listed).toEqual([expect.objectContaining({ personId: 'person-w', name: null, faceCount: 4, faceIds: w.slice(2) })]);
    const before = snapshot();

    const done = await separatePerson(library, 'person-hw', 'person-w');
    const back = w.slice(2);
    const following = done.faceIds.filter((id) => !back.includes(id));
    expect(done.description).toBe(
      `Separated 4 faces from "Grandpa George": they are a group of their own again, marked not "Grandpa George".` +
        (following.length > 0 ? ` ${following.length} face${following.length === 1 ? '' : 's'} placed with "Grandpa George" since went with them.` : ''),
    );
    expect(done.personIds).toEqual(['person-hw', 'person-w']);
    // The group is back under its id, unnamed, its faces not Grandpa George and its core confirmed in it.
    expect(library.people.people.find((p) => p.id === 'person-w')).toMatchObject({ name: null });
    for (const id of back) expect(face(id)).toMatchObject({ personId: 'person-w', rejectedPersonIds: ['person-hw'] });
    expect(back.filter((id) => face(id).assignedBy === 'user').length).toBeGreaterThanOrEqual(3);
    // Photos imported since stay: the face the user confirmed as Grandpa George (one of W.'s) is as near them as the
    // group's, so placement between the two cannot tell (the test below has them follow the group).
    expect(following).toEqual([]);
    // The user's word since stands: one confirmed as Grandpa George, one moved to Colin Powell.
    expect(face(w[0])).toMatchObject({ personId: 'person-hw', assignedBy: 'user' });
    expect(face(w[1]).personId).toBe('person-colin');
    for (const id of hw) expect(face(id).personId).toBe('person-hw');
    expect(mergedPeopleOf(library, 'person-hw')).toEqual([]);
    expect(currentPersonIds(library, ['person-w'])).toEqual(['person-w']);
    // "These are not him": neither his suggestions nor "Is this Grandpa George?" offer them again, nor does Regroup.
    const suggested = new Set(suggestionsFor(library, 'person-hw', 500).map((s) => s.faceId));
    for (const id of back) expect(suggested.has(id)).toBe(false);
    expect(groupCandidateOf(library, 'person-w')?.personId).not.toBe('person-hw');

    // Undone like any decision: the faces with Grandpa George again, and separable again.
    await undoLast(library);
    expect(snapshot()).toBe(before);
    expect(mergedPeopleOf(library, 'person-hw')).toEqual(listed);

    await separatePerson(library, 'person-hw', 'person-w');
    // Their name is refused now, saying it is the separation that marked them (QA: "a split, or rejected suggestions").
    expect(() => namePerson(library, 'person-w', 'Grandpa George')).toThrow(
      'You separated these faces from "Grandpa George", which marked them not "Grandpa George": give them another name. ' +
        'If that was a mistake, move the faces to "Grandpa George" (select them on this group\'s page, then Move to…) or undo it. ' +
        'If the faces under "Grandpa George" are someone else, rename those first.',
    );
    await recluster(library);
    for (const id of back) expect(face(id).personId).not.toBe('person-hw');
    for (const id of hw.slice(0, 7)) expect(face(id).personId).toBe('person-hw');
  });

  it('records a Yes to "Is this Grandpa George?" the same way, lists the newest first, and takes the photos placed since along', async () => {
    const { w, wLater } = await library3();
    await answerGroupCandidate(library, 'person-w', 'person-hw', true);
    // Jeb's photos named "grandpa george" too, another day.
    const jeb = await addPersonWithFaces(library, 'person-jeb', null, people.get('Jeb_Bush')!.descriptors.slice(0, 5), 0);
    await namePerson(library, 'person-jeb', 'grandpa george');
    expect(mergedPeopleOf(library, 'person-hw').map((m) => [m.personId, m.faceCount])).toEqual([
      ['person-jeb', jeb.length],
      ['person-w', w.length],
    ]);
    // More of W.'s photos, placed with Grandpa George because W.'s faces were his then.
    const later = await addFacePhotos(library, wLater);
    await assignNewFaces(library, later);
    const placedSince = later.filter((id) => face(id).personId === 'person-hw');
    expect(placedSince.length).toBeGreaterThan(0);
    const done = await separatePerson(library, 'person-hw', 'person-w');
    const s = placedSince.length === 1 ? '' : 's';
    expect(done.description).toBe(
      `Separated 6 faces from "Grandpa George": they are a group of their own again, marked not "Grandpa George". ${placedSince.length} face${s} placed with "Grandpa George" since went with them.`,
    );
    // They went as Familiar's guesses, not marked: the user never saw them.
    for (const id of placedSince) expect(face(id)).toMatchObject({ personId: 'person-w', assignedBy: 'cluster', rejectedPersonIds: [] });
    expect(mergedPeopleOf(library, 'person-hw').map((m) => m.personId)).toEqual(['person-jeb']);
    // By name it finds no one: a group that joined has none, and the message says how to refer to it.
    await expect(separatePerson(library, 'person-hw', 'George W')).rejects.toThrow(
      'Nobody called "George W" was merged into "Grandpa George" to separate again: a group that joined them (by its id) can be.',
    );
  });
});

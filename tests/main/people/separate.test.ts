// "Separate again": two named people merged by mistake (siblings, most often) can be taken apart at any time, long
// after Undo has stopped reaching the merge. The one taken in gets back the faces that were theirs at the merge,
// under their own id and name, as they were placed; every later decision on other faces stands.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  confirmFaces,
  currentPersonIds,
  ignoreFaces,
  listPeople,
  mergedPeopleOf,
  mergePeople,
  moveFaces,
  nameFaces,
  namePerson,
  recluster,
  rejectFaces,
  separatePerson,
  setBirthday,
  undoLast,
} from '../../../main/people/index.js';
import { renameFacesInDecisions } from '../../../main/people/decisions.js';
import type { Decision, PersonView } from '../../../main/people/types.js';
import { makePeopleFixture, type PeopleFixture } from './fixture.js';

let fx: PeopleFixture;

beforeEach(async () => {
  fx = await makePeopleFixture({ faces: 240, reserve: 0 });
  await recluster(fx.library);
});

afterEach(async () => {
  await fx.close();
});

const face = (id: string) => fx.library.face(id)!;
const personOf = (id: string) => face(id).personId;
const snapshot = () => JSON.stringify({ faces: fx.library.faces, people: fx.library.people.people });

/** The three biggest groups, named George, Jeb and Laura. */
async function threeNamed(): Promise<[PersonView, PersonView, PersonView]> {
  const [a, b, c] = listPeople(fx.library);
  await namePerson(fx.library, a.id, 'George');
  await namePerson(fx.library, b.id, 'Jeb');
  await namePerson(fx.library, c.id, 'Laura');
  return [a, b, c];
}

/** Undo no longer reaches any decision made so far (more than UNDO_DEPTH were made since). */
async function forgetUndo(): Promise<void> {
  await fx.library.transaction((tx) => {
    for (const decision of tx.people.decisions as Decision[]) decision.before = null;
  });
}

describe('separating people merged by mistake', () => {
  it('gives the person taken in their faces back, as they were, long after undo stops reaching the merge', async () => {
    const [george, jeb] = await threeNamed();
    // Jeb's faces as the user left them: one said not to be George, one Familiar's guess, one of George's said not Jeb.
    await rejectFaces(fx.library, [jeb.faceIds[0]], george.id);
    await confirmFaces(fx.library, [jeb.faceIds[0]], jeb.id);
    await fx.library.transaction((tx) => {
      tx.faces.find((f) => f.id === jeb.faceIds[1])!.assignedBy = 'cluster';
    });
    await rejectFaces(fx.library, [george.faceIds[0]], jeb.id);
    await confirmFaces(fx.library, [george.faceIds[0]], george.id);
    const before = snapshot();
    const jebRecord = structuredClone(fx.library.people.people.find((p) => p.id === jeb.id)!);

    await mergePeople(fx.library, george.id, [jeb.id]);
    // Each of Jeb's faces is George's now, as it was placed: Familiar's guess stays a guess.
    for (const id of jeb.faceIds) expect(face(id)).toMatchObject({ personId: george.id, assignedBy: id === jeb.faceIds[1] ? 'cluster' : 'user' });
    expect(face(george.faceIds[0]).rejectedPersonIds).toEqual([]);
    await forgetUndo();
    expect(mergedPeopleOf(fx.library, george.id)).toEqual([{ personId: jeb.id, name: 'Jeb', at: expect.any(String), faceCount: jeb.faceIds.length, faceIds: jeb.faceIds.slice(0, 4) }]);

    const done = await separatePerson(fx.library, george.id, 'jeb');
    expect(done.description).toBe(`Separated "Jeb" from "George": ${jeb.faceIds.length} faces went back to "Jeb".`);
    expect(done.personIds).toEqual([george.id, jeb.id]);
    // Jeb is back under his id and name, with his faces placed as they were and what was said of them.
    expect(fx.library.people.people.find((p) => p.id === jeb.id)).toEqual(jebRecord);
    const jebsFaces = (state: string) => (JSON.parse(state) as { faces: Array<{ id: string }> }).faces.filter((f) => jeb.faceIds.includes(f.id) || f.id === george.faceIds[0]);
    expect(jebsFaces(snapshot())).toEqual(jebsFaces(before));
    expect(face(jeb.faceIds[1]).assignedBy).toBe('cluster');
    expect(face(jeb.faceIds[0]).rejectedPersonIds).toEqual([george.id]);
    expect(face(george.faceIds[0]).rejectedPersonIds).toEqual([jeb.id]);
    expect(mergedPeopleOf(fx.library, george.id)).toEqual([]);
    expect(currentPersonIds(fx.library, [jeb.id])).toEqual([jeb.id]);
    // A recluster keeps them apart.
    await recluster(fx.library);
    for (const id of jeb.faceIds.slice(2)) expect(personOf(id)).toBe(jeb.id);

    // Undone like any decision: merged again, and separable again.
    await undoLast(fx.library);
    for (const id of jeb.faceIds) expect(personOf(id)).toBe(george.id);
    expect(fx.library.people.people.some((p) => p.id === jeb.id)).toBe(false);
    expect(currentPersonIds(fx.library, [jeb.id])).toEqual([george.id]);
    expect(mergedPeopleOf(fx.library, george.id).map((m) => m.name)).toEqual(['Jeb']);
  });

  it('keeps every later decision: faces moved elsewhere since stay there, faces the merge did not bring stay', async () => {
    const [george, jeb, laura] = await threeNamed();
    await mergePeople(fx.library, george.id, [jeb.id]);
    // Since the merge: one of Jeb's faces moved to Laura, one of Laura's moved to George.
    await moveFaces(fx.library, [jeb.faceIds[0]], laura.id);
    await moveFaces(fx.library, [laura.faceIds[0]], george.id);
    expect(mergedPeopleOf(fx.library, george.id)[0].faceCount).toBe(jeb.faceIds.length - 1);
    const done = await separatePerson(fx.library, george.id, jeb.id);
    expect(done.faceIds).toHaveLength(jeb.faceIds.length - 1);
    expect(personOf(jeb.faceIds[0])).toBe(laura.id);
    expect(personOf(laura.faceIds[0])).toBe(george.id);
    for (const id of jeb.faceIds.slice(1)) expect(personOf(id)).toBe(jeb.id);
    for (const id of george.faceIds) expect(personOf(id)).toBe(george.id);
  });

  it('gives back the faces of theirs said since not to be the person, left in no group, as they were', async () => {
    // QA: Venus merged into Serena, one of Venus's confirmed faces then marked "not Serena": separated again, Venus
    // got 9 of her 10 faces back, the 10th stayed unknown, and no regrouping gave it to her.
    const [george, jeb, laura] = await threeNamed();
    await mergePeople(fx.library, george.id, [jeb.id]);
    const [saidNot, movedOn, setAside] = jeb.faceIds;
    await rejectFaces(fx.library, [saidNot], george.id);
    // Placed elsewhere by the user since, or set aside ("Don't ask"): their later word stands.
    await rejectFaces(fx.library, [movedOn], george.id);
    await moveFaces(fx.library, [movedOn], laura.id);
    await rejectFaces(fx.library, [setAside], george.id);
    await ignoreFaces(fx.library, [setAside]);
    expect(face(saidNot)).toMatchObject({ personId: null, assignedBy: null });
    const done = await separatePerson(fx.library, george.id, 'Jeb');
    expect(done.description).toBe(`Separated "Jeb" from "George": ${jeb.faceIds.length - 2} faces went back to "Jeb".`);
    expect(face(saidNot)).toMatchObject({ personId: jeb.id, assignedBy: 'user', rejectedPersonIds: [george.id] });
    expect(face(movedOn)).toMatchObject({ personId: laura.id, assignedBy: 'user' });
    expect(face(setAside)).toMatchObject({ personId: null, assignedBy: 'user' });
    for (const id of jeb.faceIds.slice(3)) expect(personOf(id)).toBe(jeb.id);
    // Undone, it is unknown again, "not George" as the user said.
    await undoLast(fx.library);
    expect(face(saidNot)).toMatchObject({ personId: null, assignedBy: null, rejectedPersonIds: [george.id] });
  });

  it('separates through a later merge, and hands the faces to whoever has the name by then', async () => {
    const [george, jeb, laura] = await threeNamed();
    await mergePeople(fx.library, george.id, [jeb.id]);
    await mergePeople(fx.library, laura.id, [george.id]);
    expect(mergedPeopleOf(fx.library, laura.id).map((m) => m.name)).toEqual(['George', 'Jeb']);
    await separatePerson(fx.library, laura.id, 'George');
    // George's faces at his merge included Jeb's: they go with him, and Jeb is now separable from George again.
    for (const id of [...george.faceIds, ...jeb.faceIds]) expect(personOf(id)).toBe(george.id);
    expect(mergedPeopleOf(fx.library, laura.id)).toEqual([]);
    expect(mergedPeopleOf(fx.library, george.id).map((m) => m.name)).toEqual(['Jeb']);

    // The user had moved two of Jeb's faces to a new "Jeb" by hand: that Jeb takes the rest, and old links follow.
    const newJeb = (await nameFaces(fx.library, jeb.faceIds.slice(0, 2), 'Jeb')).personIds[0];
    expect(newJeb).not.toBe(jeb.id);
    const done = await separatePerson(fx.library, george.id, 'Jeb');
    expect(done.personIds).toEqual([george.id, newJeb]);
    for (const id of jeb.faceIds) expect(personOf(id)).toBe(newJeb);
    expect(fx.library.people.people.filter((p) => p.name === 'Jeb')).toHaveLength(1);
    expect(currentPersonIds(fx.library, [jeb.id])).toEqual([newJeb]);
    expect(mergedPeopleOf(fx.library, george.id)).toEqual([]);
  });

  it('gives the faces to someone given the name since only when they look alike, else says to rename first', async () => {
    // QA: after Jeb was merged into Laura, Hillary's group was named "Jeb" (the name was free); "Separate Jeb again"
    // then gave Jeb's faces to Hillary's group without a word.
    const [, jeb, laura] = await threeNamed();
    await mergePeople(fx.library, laura.id, [jeb.id]);
    const stranger = listPeople(fx.library).find((p) => p.name === null && p.faceCount >= 3)!;
    await namePerson(fx.library, stranger.id, 'Jeb');
    const before = snapshot();
    await expect(separatePerson(fx.library, laura.id, 'Jeb')).rejects.toThrow(
      new RegExp(`^"Jeb" is now the name of someone whose faces do not look like the ${jeb.faceIds.length} faces to separate: give one of them another name first \\(such as "Jeb \\(2\\)"\\), then separate "Jeb" again\\.$`),
    );
    expect(snapshot()).toBe(before);
    // Renamed, the name is free again: Jeb comes back as himself.
    await namePerson(fx.library, stranger.id, 'Hillary');
    await separatePerson(fx.library, laura.id, 'Jeb');
    for (const id of jeb.faceIds) expect(personOf(id)).toBe(jeb.id);
    for (const id of stranger.faceIds) expect(personOf(id)).toBe(stranger.id);
  });

  it('gives the birthday the merge took to a look-alike given the name since, who has none', async () => {
    // Else it would be on no one (a review); the faces of Jeb named "Jeb" again by hand make such a one.
    const [, jeb, laura] = await threeNamed();
    await setBirthday(fx.library, jeb.id, '1953-02-11');
    await mergePeople(fx.library, laura.id, [jeb.id]);
    expect(fx.library.people.people.find((p) => p.id === laura.id)!.birthday).toBe('1953-02-11');
    const newJeb = (await nameFaces(fx.library, jeb.faceIds.slice(0, 2), 'Jeb')).personIds[0];
    expect(newJeb).not.toBe(jeb.id);
    await separatePerson(fx.library, laura.id, 'Jeb');
    for (const id of jeb.faceIds) expect(personOf(id)).toBe(newJeb);
    expect(fx.library.people.people.find((p) => p.id === laura.id)!.birthday).toBeUndefined();
    expect(fx.library.people.people.find((p) => p.id === newJeb)!.birthday).toBe('1953-02-11');
  });

  it('says why it cannot separate', async () => {
    const [george, jeb] = await threeNamed();
    await expect(separatePerson(fx.library, george.id, 'Jeb')).rejects.toThrow(/Nobody called "Jeb" was merged into "George" to separate again\. Only a named person/);
    await mergePeople(fx.library, george.id, [jeb.id]);
    await expect(separatePerson(fx.library, george.id, 'Bob')).rejects.toThrow('Nobody called "Bob" was merged into "George" to separate again: "Jeb" was.');
    // A group merged in is separable too, by its id.
    const group = listPeople(fx.library).find((p) => p.name === null)!;
    await mergePeople(fx.library, george.id, [group.id]);
    expect(mergedPeopleOf(fx.library, george.id).map((m) => m.name)).toEqual([null, 'Jeb']);
    await expect(separatePerson(fx.library, george.id, 'Bob')).rejects.toThrow('Nobody called "Bob" was merged into "George" to separate again: "Jeb" and a group that joined them (by its id) can be.');
    // Renamed after the person taken in, the two would share a name.
    await namePerson(fx.library, george.id, 'Jeb');
    await expect(separatePerson(fx.library, george.id, 'Jeb')).rejects.toThrow('"Jeb" has the name "Jeb" now: rename them first, then separate "Jeb" again.');
  });

  it('follows faces a rewritten photo gave new ids to', async () => {
    const [george, jeb] = await threeNamed();
    await mergePeople(fx.library, george.id, [jeb.id]);
    const renamed = new Map([[jeb.faceIds[0], 'renamed-face']]);
    renameFacesInDecisions(fx.library.people.decisions, renamed);
    const merge = (fx.library.people.decisions as Decision[]).find((d) => d.kind === 'merge')!;
    expect(merge.mergedAway![0].faces.map((f) => f.id)).toContain('renamed-face');
    expect(merge.mergedAway![0].faces.map((f) => f.id)).not.toContain(jeb.faceIds[0]);
  });
});

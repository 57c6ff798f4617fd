// One person appears once in a photo, also right after the user puts a face there (QA): naming, moving or confirming
// a face as someone takes back the face Familiar had placed with them in the same photo, which waits unknown, instead
// of the person showing twice in the photo until a Regroup quietly took it back. Undo gives it back; a face the user
// put there too stays.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { confirmFaces, mergePeople, moveFaces, nameFaces, nameFacesInBulk, namePerson, recluster, setCover, undoLast } from '../../../main/people/index.js';
import type { FaceRecord } from '../../../main/store/types.js';
import { makePeopleFixture, type PeopleFixture } from './fixture.js';

let fx: PeopleFixture;

beforeEach(async () => {
  fx = await makePeopleFixture({ faces: 300, groupPhotos: 40 });
  await recluster(fx.library);
});

afterEach(async () => {
  await fx?.close();
});

const face = (id: string) => fx.library.face(id)!;

/** A two-face photo: `guess` placed by the grouping with a person, named now, `other` not with them. */
async function photoWithGuess(): Promise<{ guess: FaceRecord; other: FaceRecord; personId: string; name: string }> {
  for (const photo of fx.library.photos) {
    const [a, b] = fx.library.facesOfPhoto(photo.id);
    if (!a || !b) continue;
    for (const [guess, other] of [[a, b], [b, a]]) {
      const personId = face(guess.id).personId;
      if (personId === null || face(other.id).personId === personId) continue;
      const name = `Person ${personId.slice(-6)}`;
      await namePerson(fx.library, personId, name);
      // Naming confirmed the synthetic group's every face: this one is left as the grouping placed it (QA's was).
      await fx.library.transaction((tx) => {
        tx.faces.find((f) => f.id === guess.id)!.assignedBy = 'cluster';
      });
      return { guess: face(guess.id), other: face(other.id), personId, name };
    }
  }
  throw new Error('no two-face photo with a face placed by the grouping');
}

describe('putting a face with someone in a photo where Familiar placed another face with them', () => {
  it('moving it there takes the guess back, says so, and undo gives it back', async () => {
    const { guess, other, personId, name } = await photoWithGuess();
    const guessBefore = { personId: guess.personId, assignedBy: guess.assignedBy };
    expect(guessBefore.assignedBy).not.toBe('user');
    const result = await moveFaces(fx.library, [other.id], personId);
    expect(face(other.id)).toMatchObject({ personId, assignedBy: 'user' });
    expect(face(guess.id)).toMatchObject({ personId: null, assignedBy: null });
    // Not a "no" the user said: the face may still be grouped with anyone else, and asked about.
    expect(face(guess.id).rejectedPersonIds).not.toContain(personId);
    expect(result.description).toBe(`Moved 1 face to "${name}". The face Familiar had placed with "${name}" in the same photo no longer is: one person appears once in a photo.`);
    await undoLast(fx.library);
    expect(face(guess.id)).toMatchObject(guessBefore);
    expect(face(other.id).personId).not.toBe(personId);
  });

  it('naming it with their name, or confirming it as them, does the same', async () => {
    const { guess, other, personId, name } = await photoWithGuess();
    const named = await nameFaces(fx.library, [other.id], name);
    expect(face(other.id)).toMatchObject({ personId, assignedBy: 'user' });
    expect(face(guess.id).personId).toBeNull();
    expect(named.description).toContain('no longer is');
    await undoLast(fx.library);
    expect(face(guess.id).personId).toBe(personId);

    await confirmFaces(fx.library, [other.id], personId);
    expect(face(guess.id).personId).toBeNull();
  });

  it('keeps a face the user put there too (a mirror, a photo in a photo)', async () => {
    const { guess, other, personId, name } = await photoWithGuess();
    await confirmFaces(fx.library, [guess.id], personId);
    const result = await moveFaces(fx.library, [other.id], personId);
    expect(face(guess.id)).toMatchObject({ personId, assignedBy: 'user' });
    expect(result.description).toBe(`Moved 1 face to "${name}".`);
  });
});

describe('the other decisions that put a face with someone do the same', () => {
  it('merging in a group whose face the user confirmed in that photo', async () => {
    const { guess, other, personId, name } = await photoWithGuess();
    // The other face, confirmed in a group of its own (an unnamed group the user then merges into the person).
    await fx.library.transaction((tx) => {
      tx.people.people.push({ id: 'person-merged-in', name: null, hidden: false, coverFaceId: null, createdAt: new Date().toISOString() });
      const f = tx.faces.find((x) => x.id === other.id)!;
      f.personId = 'person-merged-in';
      f.assignedBy = 'user';
    });
    const result = await mergePeople(fx.library, personId, ['person-merged-in']);
    expect(face(other.id)).toMatchObject({ personId, assignedBy: 'user' });
    expect(face(guess.id)).toMatchObject({ personId: null, assignedBy: null });
    expect(face(guess.id).rejectedPersonIds).not.toContain(personId);
    expect(result.description).toBe(
      `Merged an unnamed group into "${name}" (1 face moved). 1 face in a photo where "${name}" is confirmed waits unknown: one person appears once in a photo.`,
    );
    await undoLast(fx.library);
    expect(face(guess.id)).toMatchObject({ personId, assignedBy: 'cluster' });
  });

  it('choosing a face as the cover, where Familiar placed another face with them', async () => {
    const { guess, other, personId, name } = await photoWithGuess();
    await fx.library.transaction((tx) => {
      const f = tx.faces.find((x) => x.id === other.id)!;
      f.personId = personId;
      f.assignedBy = 'cluster';
    });
    const result = await setCover(fx.library, personId, other.id);
    expect(face(other.id)).toMatchObject({ personId, assignedBy: 'user' });
    expect(face(guess.id).personId).toBeNull();
    expect(result.description).toBe(`Chose a new cover for "${name}". The face Familiar had placed with "${name}" in the same photo no longer is: one person appears once in a photo.`);
    await undoLast(fx.library);
    expect(face(guess.id).personId).toBe(personId);
  });

  it('names read from files, which count only the faces they named', async () => {
    const { guess, other, personId, name } = await photoWithGuess();
    const result = await nameFacesInBulk(fx.library, [{ faceId: other.id, name }], 'XMP sidecars');
    expect(face(other.id)).toMatchObject({ personId, assignedBy: 'user' });
    expect(face(guess.id).personId).toBeNull();
    expect(result.description).toBe(
      'Named 1 face from XMP sidecars (1 person, 0 new). 1 face placed with the same person in the same photo waits unknown: one person appears once in a photo.',
    );
    // The files gave the same person a second face of the photo, unconfirmed: it goes too, and is not counted named.
    await undoLast(fx.library);
    const both = await nameFacesInBulk(fx.library, [{ faceId: other.id, name }, { faceId: guess.id, name, confirmed: false }], 'XMP sidecars');
    expect(face(guess.id).personId).toBeNull();
    expect(both.facesNamed).toBe(1);
  });
});

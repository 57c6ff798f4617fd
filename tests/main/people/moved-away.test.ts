// Why a face is "not" someone (main/people/moved-away.ts), read from the decision log, on real faces (lfw_subset, from
// the shared cache). QA moved Bill Clinton's face to Hillary in the photo viewer, and typing Bill on it later said "You
// said this face is not Bill Clinton", which they never said. The mark stays (it keeps the face from going back); the
// words come from what the user did. And the two calls the app reads these by, over the real handlers: photos.get's
// movedFromPersonIds, and people.namesake (main/people/name-join.ts). A move the user took back ("Not <whom it was moved
// to>") leaves the face free to be asked about as whom it left (movesTakenBack), once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../main/api/index.js';
import { mergePeople, moveFaces, nameFaces, rejectFaces, undoLast } from '../../../main/people/index.js';
import { movedAwayFrom, movesTakenBack } from '../../../main/people/moved-away.js';
import { suggestionsFor } from '../../../main/people/queries.js';
import { calls, MAX_PAGE, type CallName } from '../../../preload/contract.js';
import type { PersonRecord } from '../../../main/store/types.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';
import { makeEmbedderFixture, type EmbedderFixture } from '../embedder/fixture.js';

const NAMES = ['Bill_Clinton', 'Hillary_Clinton', 'Tom_Hanks'];
let fx: EmbedderFixture;
let bill: string;
let hillary: string;
let tom: string;

beforeAll(async () => {
  const people = (await loadLfwPeople()).filter((p) => NAMES.includes(p.identity));
  fx = await makeEmbedderFixture(people, { confirmed: 4 });
  [bill, hillary, tom] = NAMES.map((name) => fx.personIdOf(people.findIndex((p) => p.identity === name)));
}, 120_000);

afterAll(async () => {
  await fx?.close();
});

const movedFrom = (faceId: string) => movedAwayFrom(fx.library, [fx.library.face(faceId)!]).get(faceId) ?? [];
const firstFaceOf = (personId: string) => fx.library.faces.find((f) => f.personId === personId)!.id;

describe('a face moved away from someone', () => {
  it('reads as moved away, not said not to be them, until the user says so in words; undo follows', async () => {
    const lib = fx.library;
    const face = firstFaceOf(bill);
    await moveFaces(lib, [face], hillary);
    expect(lib.face(face)).toMatchObject({ personId: hillary, rejectedPersonIds: [bill] });
    expect(movedFrom(face)).toEqual([bill]);
    // "Not Hillary" said of it since: that mark is the user's word; Bill's is still a move.
    await rejectFaces(lib, [face], hillary);
    expect(lib.face(face)!.rejectedPersonIds).toEqual([bill, hillary]);
    expect(movedFrom(face)).toEqual([bill]);
    // "Not Bill" in so many words: the latest decision about it says how it was marked.
    await rejectFaces(lib, [face], bill);
    expect(movedFrom(face)).toEqual([]);
    await undoLast(lib);
    expect(movedFrom(face)).toEqual([bill]);
    await undoLast(lib);
    await undoLast(lib);
    expect(lib.face(face)).toMatchObject({ personId: bill, rejectedPersonIds: [] });
    expect(movedAwayFrom(lib, lib.faces).size).toBe(0);
  });

  it('a "Not Bill" said before, taken back by naming the face Bill, then a move away, reads as the move', async () => {
    const lib = fx.library;
    const face = firstFaceOf(bill);
    await rejectFaces(lib, [face], bill);
    await nameFaces(lib, [face], 'Bill Clinton');
    await moveFaces(lib, [face], hillary);
    expect(movedFrom(face)).toEqual([bill]);
    for (let i = 0; i < 3; i++) await undoLast(lib);
    expect(lib.face(face)).toMatchObject({ personId: bill, rejectedPersonIds: [] });
  });

  it('moved to the wrong person and said not them: the move is taken back, and Suggestions ask about it once', async () => {
    // QA: one of Serena's faces moved to Venus, then "Not Venus" on Venus's page; the face, in no group, read "You said
    // this is not Serena or Venus". Here Bill's face moved to Hillary, then said not Hillary.
    const lib = fx.library;
    const face = firstFaceOf(bill);
    const offered = (personId: string) => suggestionsFor(lib, personId).some((s) => s.faceId === face);
    await moveFaces(lib, [face], hillary);
    await rejectFaces(lib, [face], hillary);
    // The mark stays (no regrouping puts it back with Bill on its own), but it is a move's, and the move was a mistake.
    expect(lib.face(face)).toMatchObject({ personId: null, rejectedPersonIds: [bill, hillary] });
    expect(movedFrom(face)).toEqual([bill]);
    expect(movesTakenBack(lib, [lib.face(face)!]).get(face)).toEqual([bill]);
    expect(offered(bill)).toBe(true);
    expect(offered(hillary)).toBe(false);
    // A No to the suggestion is said in words: it never comes back.
    await rejectFaces(lib, [face], bill);
    expect(movesTakenBack(lib, [lib.face(face)!]).size).toBe(0);
    expect(offered(bill)).toBe(false);
    for (let i = 0; i < 3; i++) await undoLast(lib);
    expect(lib.face(face)).toMatchObject({ personId: bill, rejectedPersonIds: [] });
  });

  it('a move away still standing is not taken back: the face is not offered to whom it left', async () => {
    const lib = fx.library;
    const face = firstFaceOf(bill);
    await moveFaces(lib, [face], hillary);
    // Said not Tom: nothing about the move to Hillary, which stands.
    await rejectFaces(lib, [face], tom);
    expect(movesTakenBack(lib, [lib.face(face)!]).size).toBe(0);
    expect(suggestionsFor(lib, bill).some((s) => s.faceId === face)).toBe(false);
    await undoLast(lib);
    await undoLast(lib);
    expect(lib.face(face)).toMatchObject({ personId: bill, rejectedPersonIds: [] });
  });

  it('follows the person moved away from through a merge', async () => {
    const lib = fx.library;
    const face = firstFaceOf(bill);
    await moveFaces(lib, [face], hillary);
    // Bill merged into Tom since (a mistake, but the mark follows the faces): the move was away from Tom's faces now.
    await mergePeople(lib, tom, [bill]);
    expect(lib.face(face)!.rejectedPersonIds).toEqual([tom]);
    expect(movedFrom(face)).toEqual([tom]);
    await undoLast(lib);
    await undoLast(lib);
    expect(lib.face(face)).toMatchObject({ personId: bill, rejectedPersonIds: [] });
  });
});

describe('over the real handlers', () => {
  let api: Api;
  async function ok<K extends CallName>(name: K, args?: unknown) {
    const answer = await api.dispatcher.call(name, args);
    if (answer.error !== undefined) throw new Error(`${name} failed: ${answer.error}`);
    return calls[name].result.parse(answer.result) as ReturnType<(typeof calls)[K]['result']['parse']>;
  }

  // Last: the API opens the library itself (single-writer lock).
  it('photos.get says which marks were a move; people.namesake judges a group against the name typed', async () => {
    const lib = fx.library;
    const face = firstFaceOf(bill);
    await moveFaces(lib, [face], hillary);
    await rejectFaces(lib, [face], tom);
    // Another of Bill's faces moved to Hillary by mistake, then said not Hillary: in no group, asked about by
    // "Who is this?", which must not say the user said it is not Bill.
    const loose = firstFaceOf(bill);
    await moveFaces(lib, [loose], hillary);
    await rejectFaces(lib, [loose], hillary);
    // Tom's photos nobody placed, grouped apart from him.
    await lib.transaction((tx) => {
      (tx.people.people as PersonRecord[]).push({ id: 'group-tom', name: null, hidden: false, coverFaceId: null, createdAt: new Date().toISOString() });
      for (const f of tx.faces) if (f.personId === null && fx.identityOf.get(f.id) === NAMES.indexOf('Tom_Hanks')) Object.assign(f, { personId: 'group-tom', assignedBy: 'cluster' });
    });
    const photoId = lib.face(face)!.photoId;
    await lib.close();
    api = await createApi({ libraryDir: fx.dir, mode: 'browser', log: () => {} });
    try {
      const photo = await ok('photos.get', { photoId });
      expect(photo.faces[0]).toMatchObject({ id: face, notPersonIds: [bill, tom], movedFromPersonIds: [bill], movedFromPersonNames: ['Bill Clinton'] });
      const queue = await ok('unknown.queue', { offset: 0, limit: MAX_PAGE });
      const asked = queue.faces.faces.find((f) => f.id === loose);
      expect(asked).toMatchObject({ notPersonIds: [bill, hillary], notPersonNames: ['Bill Clinton', 'Hillary Clinton'], movedFromPersonIds: [bill], movedFromPersonNames: ['Bill Clinton'] });
      expect(await ok('faces.get', { faceId: loose })).toEqual(asked);
      // Bill's page offers it back once (the move was a mistake), saying so.
      const suggested = (await ok('suggestions.forPerson', { personId: bill, limit: 50 })).find((s) => s.face.id === loose);
      expect(suggested?.face.movedFromPersonIds).toEqual([bill]);
      const unlike = await ok('people.namesake', { personId: 'group-tom', name: 'bill clinton' });
      expect(unlike).toMatchObject({ personId: bill, name: 'Bill Clinton', together: 0, looksAlike: false, groupFace: expect.stringMatching(/^thumb\//), face: expect.stringMatching(/^thumb\//) });
      // Bill's four, but the two moved away.
      expect(unlike!.faceCount).toBe(2);
      expect((await ok('people.namesake', { personId: 'group-tom', name: 'Tom Hanks' }))!.looksAlike).toBe(true);
      expect(await ok('people.namesake', { personId: 'group-tom', name: 'Someone New' })).toBeNull();
      expect((await api.dispatcher.call('people.namesake', { personId: 'group-tom', name: '' })).code).toBe('invalid-argument');
    } finally {
      await api.close();
    }
  });
});

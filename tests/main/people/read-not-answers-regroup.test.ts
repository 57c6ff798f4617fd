// "Read names" that finds only "not this person" answers (familiar:NotNames, a name someone has been given since the
// import) owes no regrouping: an answer leaves a face in no group, as a No in the app does, and moves no other face.
// QA: reading one such answer regrouped the library, and `familiar names import` said the faces "were regrouped around
// the names an earlier, stopped run had read", a run there never was.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listPeople, nameFacesInBulk, namePerson, recluster, redoDecision, undoDecision } from '../../../main/people/index.js';
import { makePeopleFixture, type PeopleFixture } from './fixture.js';

describe('reading names owes a regrouping only when it names faces', () => {
  let fx: PeopleFixture;

  beforeEach(async () => {
    fx = await makePeopleFixture({ faces: 120, reserve: 0, groupPhotos: 0 });
    await recluster(fx.library);
  });

  afterEach(async () => {
    await fx.close();
  });

  it('takes a "not" answer alone without owing one, and still owes one for names', async () => {
    const [rose, other] = listPeople(fx.library).filter((p) => p.faceIds.length >= 3);
    await namePerson(fx.library, rose.id, 'Rose');
    const stranger = other.faceIds[0];

    const answers = await nameFacesInBulk(fx.library, [], 'photo metadata', { regroupAfter: true, rejections: [{ faceId: stranger, name: 'Rose' }] });
    expect([answers.facesNamed, answers.rejected]).toEqual([0, 1]);
    expect(fx.library.face(stranger)!.rejectedPersonIds).toEqual([rose.id]);
    expect(fx.library.people.regroupPending).toBeFalsy();

    await nameFacesInBulk(fx.library, [{ faceId: other.faceIds[1], name: 'Ivy' }], 'photo metadata', { regroupAfter: true });
    expect(fx.library.people.regroupPending).toBe(true);
  });

  it('takes back answers alone as answers, without regrouping, and names with a regrouping', async () => {
    const [rose, other] = listPeople(fx.library).filter((p) => p.faceIds.length >= 3);
    await namePerson(fx.library, rose.id, 'Rose');
    const strangers = other.faceIds.slice(0, 3);
    await nameFacesInBulk(fx.library, [], 'photo metadata', { regroupAfter: true, rejections: strangers.map((faceId) => ({ faceId, name: 'Rose' })) });

    // QA: it said "Took back the names…" of a decision that named no face, and regrouped the library.
    expect(await undoDecision(fx.library)).toMatchObject({ message: 'Took back 3 "not this person" answers read from photo metadata.', regrouped: false });
    for (const id of strangers) expect(fx.library.face(id)!.rejectedPersonIds).toEqual([]);
    expect(await redoDecision(fx.library)).toMatchObject({ regrouped: false });
    for (const id of strangers) expect(fx.library.face(id)!.rejectedPersonIds).toEqual([rose.id]);
    expect(await undoDecision(fx.library)).toMatchObject({ message: 'Took back 3 "not this person" answers read from photo metadata.', regrouped: false });

    await nameFacesInBulk(fx.library, [{ faceId: other.faceIds[3], name: 'Ivy' }], 'photo metadata', {
      regroupAfter: true,
      rejections: [{ faceId: strangers[0], name: 'Rose' }],
    });
    await recluster(fx.library);
    expect(await undoDecision(fx.library)).toMatchObject({
      message: 'Took back the names read from photo metadata (1 face), and 1 "not this person" answer.',
      regrouped: true,
    });
  });
});

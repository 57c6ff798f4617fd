// people.current over the real engine: an id a filter or a link holds follows its person through merges (and a
// name someone else had), goes null once the person is deleted, and comes back with an undone merge or when the person
// is separated again (people.separate, which people.get's `merged` offers).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls as contract, type CallName } from '../../../preload/contract.js';
import { createApi, type Api } from '../../../main/api/index.js';
import { Library } from '../../../main/store/library.js';
import { addPhotos } from '../../helpers/store-records.js';

let api: Api;
let dir: string;

async function ok<K extends CallName>(name: K, args?: unknown) {
  const answer = await api.dispatcher.call(name, args);
  if (answer.error !== undefined) throw new Error(`${name} failed: ${answer.error}`);
  return contract[name].result.parse(answer.result) as ReturnType<(typeof contract)[K]['result']['parse']>;
}

const NAMES = ['Arnold', 'Bill', 'Carl', 'Dora', 'Eve'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-current-'));
  const library = await Library.open(dir);
  await addPhotos(library, 0, NAMES.length);
  await library.transaction((tx) => {
    const createdAt = new Date(0).toISOString();
    NAMES.forEach((name, i) => {
      const id = `person-${name.toLowerCase()}`;
      tx.people.people.push({ id, name, hidden: false, coverFaceId: null, createdAt });
      const face = tx.faces.find((f) => f.id === tx.photos[i].faceIds[0])!;
      face.personId = id;
      face.assignedBy = 'user';
    });
  });
  await library.close();
  api = await createApi({ libraryDir: dir, mode: 'browser', log: () => {} });
}, 120_000);

afterAll(async () => {
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const current = async (...personIds: string[]) => (await ok('people.current', { personIds })).personIds;

describe('people.current', () => {
  it('follows merges, names someone else had and undo; a deleted person is null', async () => {
    expect(await current('person-arnold', 'person-bill', 'nobody')).toEqual(['person-arnold', 'person-bill', null]);

    const merged = await ok('people.merge', { intoId: 'person-bill', fromIds: ['person-arnold'] });
    expect(await current('person-arnold', 'person-bill')).toEqual(['person-bill', 'person-bill']);
    // The decision's id comes with it, for the toast's Undo (undo's onlyIfLatestId): another decision's is refused.
    expect(merged.decisionId).toMatch(/^decision-/);
    expect((await api.dispatcher.call('undo', { onlyIfLatestId: 'decision-0-x' })).error).toMatch(/^Nothing undone: "Merged .*" was decided since/);
    // Through a second merge: Bill into Carl takes Arnold's id along.
    await ok('people.merge', { intoId: 'person-carl', fromIds: ['person-bill'] });
    expect(await current('person-arnold', 'person-bill')).toEqual(['person-carl', 'person-carl']);
    await ok('undo');
    expect(await current('person-arnold', 'person-bill')).toEqual(['person-bill', 'person-bill']);

    // Dora renamed "Eve" joins Eve.
    await ok('people.rename', { personId: 'person-dora', name: 'Eve' });
    expect(await current('person-dora')).toEqual(['person-eve']);

    await ok('people.delete', { personIds: ['person-eve'] });
    expect(await current('person-dora', 'person-eve', 'person-arnold')).toEqual([null, null, 'person-bill']);
    // The filter's calls keep saying not-found for an id that is gone.
    expect((await api.dispatcher.call('photos.list', { personIds: ['person-arnold'] })).code).toBe('not-found');
    // A call about a person merged or deleted since it was shown (another window) says so, in words (QA: a raw id).
    expect(await api.dispatcher.call('people.merge', { intoId: 'person-carl', fromIds: ['person-arnold'] })).toEqual({
      error: 'That person was merged into "Bill" (no person has the id "person-arnold" now).',
      code: 'not-found',
    });
    expect(await api.dispatcher.call('people.rename', { personId: 'person-eve', name: 'Evie' })).toEqual({
      error: 'No person has the id "person-eve": deleted, merged or regrouped since it was shown, perhaps in another window.',
      code: 'not-found',
    });
  });

  it('people.get lists the named people merged in; people.separate gives them back, their id following, and undoes', async () => {
    // From the test above: Arnold is merged into Bill.
    const bill = await ok('people.get', { personId: 'person-bill' });
    expect(bill.merged).toEqual([{ personId: 'person-arnold', name: 'Arnold', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), faceCount: 1, faces: [expect.objectContaining({ personId: 'person-bill' })] }]);
    expect(bill.faceCount).toBe(2);
    const done = await ok('people.separate', { personId: 'person-bill', mergedId: 'person-arnold' });
    expect(done.description).toBe('Separated "Arnold" from "Bill": 1 face went back to "Arnold".');
    expect(await current('person-arnold')).toEqual(['person-arnold']);
    expect((await ok('people.get', { personId: 'person-arnold' })).name).toBe('Arnold');
    expect((await ok('people.get', { personId: 'person-bill' })).merged).toEqual([]);
    expect(await api.dispatcher.call('people.separate', { personId: 'person-bill', mergedId: 'person-arnold' })).toMatchObject({
      code: 'invalid-argument',
      error: 'Nobody called "person-arnold" was merged into "Bill" to separate again. Only a named person merged into them, or a group that joined them by a name or a Yes, can be.',
    });
    expect((await ok('undo')).undone).toBe(done.description);
    expect(await current('person-arnold')).toEqual(['person-bill']);
    expect((await ok('people.get', { personId: 'person-bill' })).merged.map((m) => m.name)).toEqual(['Arnold']);
  });
});

// photos.timeline over the real engine: the months of photos.list's photos, newest first, the undated last, for
// the same people filter, each with its count; and the month a photo falls in is the one its tile shows (local
// time), also for the shortcut that skips the date arithmetic.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { calls as contract, type CallName } from '../../../preload/contract.js';
import { createApi, type Api } from '../../../main/api/index.js';
import { monthTaken } from '../../../main/api/views.js';
import { Library } from '../../../main/store/library.js';
import { addPhotos } from '../../helpers/store-records.js';

let api: Api;
let dir: string;

async function ok<K extends CallName>(name: K, args?: unknown) {
  const answer = await api.dispatcher.call(name, args);
  if (answer.error !== undefined) throw new Error(`${name} failed: ${answer.error}`);
  return contract[name].result.parse(answer.result) as ReturnType<(typeof contract)[K]['result']['parse']>;
}

/** The month the renderer's dateLabel puts an ISO time in: local time. */
const localMonth = (iso: string) => {
  const date = new Date(iso);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
};

// Each photo's date, and who is in it (its two faces: Ada, Bob or nobody).
const ALBUM: Array<{ takenAt: string | null; faces: ['ada' | 'bob' | null, 'ada' | 'bob' | null] }> = [
  { takenAt: '2019-03-15T12:00:00.000Z', faces: ['ada', null] },
  { takenAt: '2018-12-24T18:00:00.000Z', faces: ['ada', 'bob'] },
  { takenAt: null, faces: ['ada', null] },
  { takenAt: '2019-03-02T09:30:00.000Z', faces: ['bob', null] },
  { takenAt: '2019-02-10T08:00:00.000Z', faces: ['ada', 'bob'] },
  { takenAt: '2019-03-20T16:45:00.000Z', faces: ['ada', 'bob'] },
  { takenAt: null, faces: [null, null] },
  { takenAt: '2019-02-11T10:00:00.000Z', faces: [null, null] },
  // On a month's last evening in UTC: the month of wherever the machine is.
  { takenAt: '2019-01-31T23:30:00.000Z', faces: ['ada', null] },
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-timeline-'));
  const library = await Library.open(dir);
  await addPhotos(library, 0, ALBUM.length);
  await library.transaction((tx) => {
    const createdAt = new Date(0).toISOString();
    tx.people.people.push({ id: 'person-ada', name: 'Ada', hidden: false, coverFaceId: null, createdAt });
    tx.people.people.push({ id: 'person-bob', name: 'Bob', hidden: false, coverFaceId: null, createdAt });
    tx.photos.forEach((photo, i) => {
      photo.takenAt = ALBUM[i].takenAt;
      photo.faceIds.forEach((faceId, f) => {
        const face = tx.faces.find((x) => x.id === faceId)!;
        const who = ALBUM[i].faces[f];
        face.personId = who ? `person-${who}` : null;
        face.assignedBy = who ? 'user' : null;
      });
    });
  });
  await library.close();
  api = await createApi({ libraryDir: dir, mode: 'browser', log: () => {} });
}, 120_000);

afterAll(async () => {
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('photos.timeline', () => {
  it("counts each month's photos in photos.list's order, newest first, the undated last", async () => {
    const timeline = await ok('photos.timeline', {});
    const january = localMonth('2019-01-31T23:30:00.000Z');
    const expected = [
      { month: '2019-03', count: 3 },
      { month: '2019-02', count: january === '2019-02' ? 3 : 2 },
      ...(january === '2019-01' ? [{ month: '2019-01', count: 1 }] : []),
      { month: '2018-12', count: 1 },
      { month: null, count: 2 },
    ];
    expect(timeline).toEqual(expected);
    // The runs follow the list: its photos, month by month, are the counts.
    const list = await ok('photos.list', { limit: 100 });
    const months = list.photos.map((p) => (p.takenAt ? localMonth(p.takenAt) : null));
    expect(timeline.flatMap((m) => Array<string | null>(m.count).fill(m.month))).toEqual(months);
  });

  it('counts only the photos of the people filtered, as photos.list does', async () => {
    const ada = await ok('photos.timeline', { personIds: ['person-ada'] });
    expect(ada.reduce((sum, m) => sum + m.count, 0)).toBe((await ok('photos.list', { personIds: ['person-ada'] })).total);
    expect(ada[0]).toEqual({ month: '2019-03', count: 2 });
    expect(ada.at(-1)).toEqual({ month: null, count: 1 });

    // Ada and Bob together, then with nobody else in the photo.
    expect(await ok('photos.timeline', { personIds: ['person-ada', 'person-bob'] })).toEqual([
      { month: '2019-03', count: 1 },
      { month: '2019-02', count: 1 },
      { month: '2018-12', count: 1 },
    ]);
    const onlyThem = await ok('photos.timeline', { personIds: ['person-ada', 'person-bob'], only: true });
    expect(onlyThem).toEqual([
      { month: '2019-03', count: 1 },
      { month: '2019-02', count: 1 },
      { month: '2018-12', count: 1 },
    ]);
    // Bob's one photo without Ada has a face nobody named: someone else.
    expect(await ok('photos.timeline', { personIds: ['person-bob'] })).toHaveLength(3);
    expect(await ok('photos.timeline', { personIds: ['person-bob'], only: true })).toEqual([]);
    expect((await api.dispatcher.call('photos.timeline', { personIds: ['nobody'] })).code).toBe('not-found');
  });

  it('follows a decision at once', async () => {
    const february = async () => (await ok('photos.timeline', { personIds: ['person-ada'] })).find((m) => m.month === '2019-02')?.count ?? 0;
    const before = await february();
    // The first face of the photo of February 11th, which nobody was in, is Ada.
    await ok('faces.confirm', { faceIds: ['0000000000000007-0'], personId: 'person-ada' });
    expect(await february()).toBe(before + 1);
  });
});

describe('monthTaken', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it("is the photo's local month in any time zone, with or without the shortcut", () => {
    // Every 7 hours through two years, and the turn of every month, in zones from UTC-11 to UTC+14.
    const times: string[] = [];
    for (let t = Date.UTC(2019, 0, 1); t < Date.UTC(2021, 0, 1); t += 7 * 3600_000) times.push(new Date(t).toISOString());
    for (let m = 0; m < 24; m++) for (const h of [-15, -1, 0, 1, 15]) times.push(new Date(Date.UTC(2019, m, 1) + h * 3600_000).toISOString());
    for (const tz of ['UTC', 'Pacific/Pago_Pago', 'America/New_York', 'Europe/Paris', 'Asia/Kolkata', 'Pacific/Kiritimati']) {
      process.env.TZ = tz;
      for (const iso of times) expect(monthTaken(iso), `${iso} in ${tz}`).toBe(localMonth(iso));
    }
  });

  it('has no month for a missing or unreadable date', () => {
    expect(monthTaken(null)).toBeNull();
    expect(monthTaken('')).toBeNull();
    expect(monthTaken('not a date')).toBeNull();
  });
});

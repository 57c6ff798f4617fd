// photos.timeline over the real engine: the months of photos.list's photos, newest first, the undated last, for
// the same people filter, each with its count; and the month a photo falls in is the one its tile shows (in the
// renderer's time zone), also for the shortcut that skips the date arithmetic. The people filter's index
// (NewestFirst) finds what searchPhotos finds, in the grid's order.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { calls as contract, type CallName } from '../../../preload/contract.js';
import { createApi, type Api } from '../../../main/api/index.js';
import { monthRuns, monthTaken } from '../../../main/api/months.js';
import { fileDate, NewestFirst, photoSummary } from '../../../main/api/views.js';
import { searchPhotos } from '../../../main/people/index.js';
import type { PeopleLibrary } from '../../../main/people/library.js';
import type { FaceRecord, PhotoRecord } from '../../../main/store/types.js';
import { Library } from '../../../main/store/library.js';
import { addPhotos, photo as photoRecord } from '../../helpers/store-records.js';

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
    // That face set aside ("Don't ask about this face": a box drawn where there was none, a poster): Bob alone after
    // all (QA: a set-aside empty box kept the photo out of "Only them" for good).
    const bobs = (await ok('photos.list', { personIds: ['person-bob'], limit: 10 })).photos;
    const alone = bobs.find((p) => p.takenAt === '2019-03-02T09:30:00.000Z')!;
    const other = (await ok('photos.get', { photoId: alone.id })).faces.find((f) => f.personId === null)!;
    await ok('faces.ignore', { faceIds: [other.id] });
    expect(await ok('photos.timeline', { personIds: ['person-bob'], only: true })).toEqual([{ month: '2019-03', count: 1 }]);
    expect((await ok('photos.list', { personIds: ['person-bob'], only: true })).photos.map((p) => p.id)).toEqual([alone.id]);
    await ok('undo', {});
    expect(await ok('photos.timeline', { personIds: ['person-bob'], only: true })).toEqual([]);
    expect((await api.dispatcher.call('photos.timeline', { personIds: ['nobody'] })).code).toBe('not-found');
  });

  it("counts the months in the time zone asked for (the renderer's), whatever the engine's", async () => {
    // The last photo of January in UTC is February's on Kiritimati (UTC+14), still January's in Pago Pago (UTC-11).
    const months = async (timeZone: string) => (await ok('photos.timeline', { timeZone })).map((m) => [m.month, m.count]);
    expect(await months('Pacific/Kiritimati')).toEqual([['2019-03', 3], ['2019-02', 3], ['2018-12', 1], [null, 2]]);
    expect(await months('Pacific/Pago_Pago')).toEqual([['2019-03', 3], ['2019-02', 2], ['2019-01', 1], ['2018-12', 1], [null, 2]]);
    expect((await ok('photos.timeline', { personIds: ['person-ada'], timeZone: 'Pacific/Kiritimati' }))[1]).toEqual({ month: '2019-02', count: 2 });
  });

  it('refuses a time zone it does not know, in a sentence', async () => {
    const answer = await api.dispatcher.call('photos.timeline', { timeZone: 'Mars/Olympus' });
    expect(answer.code).toBe('invalid-argument');
    expect(answer.error).toBe('photos.timeline: timeZone must be a time zone such as "Europe/Paris" ("Mars/Olympus" is not one Familiar knows).');
    expect((await api.dispatcher.call('photos.timeline', { timeZone: 'x'.repeat(10_000) })).code).toBe('invalid-argument');
  });

  it('follows a decision at once', async () => {
    const february = async () => (await ok('photos.timeline', { personIds: ['person-ada'] })).find((m) => m.month === '2019-02')?.count ?? 0;
    const before = await february();
    // The first face of the photo of February 11th, which nobody was in, is Ada.
    await ok('faces.confirm', { faceIds: ['0000000000000007-0'], personId: 'person-ada' });
    expect(await february()).toBe(before + 1);
  });
});

describe('photos.list and photos.timeline in the time zone asked for', () => {
  let served: Api;
  let servedDir: string;
  const zone = process.env.TZ;
  // A library imported before offsets were kept, and a photo whose camera said its offset (New York's).
  const DATES: Array<{ takenAt: string; takenOffset?: number }> = [
    { takenAt: '2019-10-01T01:00:00.000Z' }, // 10:00 on 1 October in Tokyo, 01:00 in UTC
    { takenAt: '2019-09-30T20:00:00.000Z' }, // 05:00 on 1 October in Tokyo, 20:00 on 30 September in UTC
    { takenAt: '2019-10-01T02:00:00.000Z', takenOffset: -4 * 60 }, // 22:00 on 30 September on its camera
  ];

  beforeAll(async () => {
    servedDir = mkdtempSync(join(tmpdir(), 'familiar-timeline-zones-'));
    const library = await Library.open(servedDir);
    await addPhotos(library, 0, DATES.length);
    await library.transaction((tx) => tx.photos.forEach((photo, i) => Object.assign(photo, DATES[i])));
    await library.close();
    served = await createApi({ libraryDir: servedDir, mode: 'browser', log: () => {} });
  }, 120_000);
  afterAll(async () => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
    await served?.close();
    if (servedDir) rmSync(servedDir, { recursive: true, force: true });
  });

  it('lists the photos in the order their months are counted in, one run a month (`familiar serve` in UTC, the browser in Tokyo)', async () => {
    process.env.TZ = 'UTC';
    const call = async <K extends CallName>(name: K, args: unknown) => {
      const answer = await served.dispatcher.call(name, args);
      if (answer.error !== undefined) throw new Error(`${name} failed: ${answer.error}`);
      return contract[name].result.parse(answer.result) as ReturnType<(typeof contract)[K]['result']['parse']>;
    };
    const tileMonth = (p: { takenAt: string | null; takenOffset: number | null }, timeZone: string) => {
      if (p.takenOffset !== null) return new Date(Date.parse(p.takenAt!) + p.takenOffset * 60_000).toISOString().slice(0, 7);
      const [month, year] = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit' }).format(new Date(p.takenAt!)).split('/');
      return `${year}-${month}`;
    };
    for (const timeZone of ['Asia/Tokyo', 'UTC']) {
      const timeline = await call('photos.timeline', { timeZone });
      const list = await call('photos.list', { timeZone, limit: 100 });
      expect(timeline.flatMap((m) => Array<string | null>(m.count).fill(m.month)), timeZone).toEqual(list.photos.map((p) => tileMonth(p, timeZone)));
      expect(new Set(timeline.map((m) => m.month)).size, timeZone).toBe(timeline.length);
    }
    expect(await call('photos.timeline', { timeZone: 'Asia/Tokyo' })).toEqual([{ month: '2019-10', count: 2 }, { month: '2019-09', count: 1 }]);
    expect((await served.dispatcher.call('photos.list', { timeZone: 'Mars/Olympus' })).code).toBe('invalid-argument');
  });
});

describe('monthTaken', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it("is the photo's month in the zone asked for, or this machine's, with or without the shortcut", () => {
    // Every 7 hours through two years (a leap year's February among them), and the turn of every month, in zones
    // from UTC-11 to UTC+14.
    const times: string[] = [];
    for (let t = Date.UTC(2019, 0, 1); t < Date.UTC(2021, 0, 1); t += 7 * 3600_000) times.push(new Date(t).toISOString());
    for (let m = 0; m < 24; m++) for (const h of [-15, -1, 0, 1, 15]) times.push(new Date(Date.UTC(2019, m, 1) + h * 3600_000).toISOString());
    const zones = ['UTC', 'Pacific/Pago_Pago', 'America/New_York', 'Europe/Paris', 'Asia/Kolkata', 'Pacific/Kiritimati'];
    for (const tz of zones) {
      process.env.TZ = tz;
      const expected = times.map(localMonth);
      times.forEach((iso, i) => expect(monthTaken(iso), `${iso} in ${tz}`).toBe(expected[i]));
      // Asked for in a zone the engine is not in.
      process.env.TZ = tz === 'Asia/Kolkata' ? 'UTC' : 'Asia/Kolkata';
      times.forEach((iso, i) => expect(monthTaken(iso, tz), `${iso} in ${tz}, asked`).toBe(expected[i]));
    }
  });

  it("gives back the camera's month where the renderer is in the importer's zone, in summer time or not", () => {
    // The importer reads the camera's clock in its own zone and keeps it in UTC (main/library/decode.ts).
    process.env.TZ = 'Europe/Berlin';
    const [march, october, december] = [2, 9, 11].map((month) => new Date(2019, month, 31, 23, 30).toISOString());
    expect([march, october]).toEqual(['2019-03-31T21:30:00.000Z', '2019-10-31T22:30:00.000Z']);
    // Read back on an engine elsewhere. One offset for every date would not do: summer's (+2) puts October in November.
    process.env.TZ = 'America/Los_Angeles';
    expect(monthTaken(march, 'Europe/Berlin')).toBe('2019-03');
    expect(monthTaken(october, 'Europe/Berlin')).toBe('2019-10');
    expect(monthTaken(december, 'Europe/Berlin')).toBe('2019-12');
    // Shown in Tokyo, the March photo's tile says April 1st, and so does its month.
    expect(monthTaken(march, 'Asia/Tokyo')).toBe('2019-04');
  });

  it("is the camera's month where the photo says its clock's offset, whatever zone is asked for or the engine is in", () => {
    process.env.TZ = 'Asia/Tokyo';
    // At 23:30 on 31 October and 00:30 on 1 November in Paris (UTC+1): in Tokyo both are 1 November, in New York 31 October.
    const paris = ['2019-10-31T22:30:00.000Z', '2019-10-31T23:30:00.000Z'];
    for (const zone of [undefined, 'America/New_York', 'Asia/Tokyo', 'Pacific/Kiritimati']) {
      expect(paris.map((iso) => monthTaken(iso, zone, 60)), `asked in ${zone}`).toEqual(['2019-10', '2019-11']);
    }
    // A clock behind UTC: 20:00 on 31 October in New York (UTC-4) is 1 November in UTC.
    expect(monthTaken('2019-11-01T00:00:00.000Z', 'Asia/Tokyo', -240)).toBe('2019-10');
    // Every 7 hours through two years and the turn of every month, at offsets from UTC-12 to UTC+14, with or without the shortcut.
    const times: string[] = [];
    for (let t = Date.UTC(2019, 0, 1); t < Date.UTC(2021, 0, 1); t += 7 * 3600_000) times.push(new Date(t).toISOString());
    for (let m = 0; m < 24; m++) for (const h of [-15, -1, 0, 1, 15]) times.push(new Date(Date.UTC(2019, m, 1) + h * 3600_000).toISOString());
    for (const offset of [-12 * 60, -330, 0, 45, 9 * 60, 14 * 60]) {
      const clockMonth = (iso: string) => new Date(Date.parse(iso) + offset * 60_000).toISOString().slice(0, 7);
      times.forEach((iso) => expect(monthTaken(iso, 'Europe/Paris', offset), `${iso} at ${offset}`).toBe(clockMonth(iso)));
    }
    // Not known: the zone asked for's month, as before.
    expect(monthTaken(paris[0], 'Asia/Tokyo', null)).toBe('2019-11');
    expect(monthTaken(paris[0], 'America/New_York')).toBe('2019-10');
  });

  it('has no month for a missing or unreadable date', () => {
    expect(monthTaken(null)).toBeNull();
    expect(monthTaken('')).toBeNull();
    expect(monthTaken('not a date')).toBeNull();
    expect(monthTaken('not a date', 'Europe/Paris')).toBeNull();
    expect(monthTaken('+010000-01-01T00:00:00.000Z', 'Europe/Paris')).toBeNull();
    expect(monthTaken('9999-12-31T23:00:00.000Z', 'Pacific/Kiritimati')).toBeNull();
  });
});

describe('NewestFirst', () => {
  it("finds the photos of every mix of people searchPhotos finds, in the grid's order", () => {
    // 300 photos of up to 4 faces each: five people, some faces nobody's, some photos twice of one person.
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const people = ['a', 'b', 'c', 'd', 'e'];
    const photos: PhotoRecord[] = [];
    const facesByPhoto = new Map<string, FaceRecord[]>();
    for (let i = 0; i < 300; i++) {
      const id = `photo-${String(i).padStart(3, '0')}`;
      const taken = random() < 0.1 ? null : new Date(Date.UTC(2000, 0, 1) + Math.floor(random() * 40) * 86_400_000).toISOString();
      const faces = Array.from({ length: Math.floor(random() * 5) }, (_, f) => ({ id: `${id}-${f}`, photoId: id, personId: random() < 0.2 ? null : people[Math.floor(random() * people.length)] }) as FaceRecord);
      photos.push({ id, takenAt: taken, paths: [`/album/${id}.jpg`], faceIds: faces.map((f) => f.id) } as PhotoRecord);
      facesByPhoto.set(id, faces);
    }
    const library = {
      photos,
      facesOfPhoto: (id: string) => facesByPhoto.get(id) ?? [],
      people: { people: people.map((id) => ({ id, name: null })) },
    } as unknown as PeopleLibrary;
    const order = new NewestFirst(library);
    const filters = [['a'], ['b', 'c'], ['c', 'b', 'a'], ['d', 'd'], ['e', 'a', 'b', 'c', 'd']];
    for (const ids of filters) {
      for (const only of [false, true]) {
        const expected = order.photos.map((p) => p.id).filter((id) => searchPhotos(library, ids, only).includes(id));
        expect(order.placesWith(ids, only)?.map((place) => order.photos[place].id), `${ids} ${only}`).toEqual(expected);
      }
    }
    expect(order.placesWith([], false)).toBeNull();
    expect(order.placesWith(['nobody'], false)).toEqual([]);
  });
});

describe("photos whose camera's clock is known", () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });
  // One evening of a family on three continents, and a photo imported before Familiar kept the offset.
  const taken = (n: number, takenAt: string, takenOffset?: number): PhotoRecord => ({ ...photoRecord(n), takenAt, ...(takenOffset !== undefined ? { takenOffset } : {}) });
  const tokyo = taken(1, '2019-10-31T22:00:00.000Z', 9 * 60); // 07:00 on 1 November
  const paris = taken(2, '2019-10-31T22:30:00.000Z', 60); // 23:30 on 31 October
  const newYork = taken(3, '2019-11-01T00:00:00.000Z', -4 * 60); // 20:00 on 31 October
  const older = taken(4, '2019-09-30T20:00:00.000Z'); // 16:00 on 30 September in New York, 05:00 on 1 October in Tokyo
  const library = { photos: [newYork, older, paris, tokyo], facesOfPhoto: () => [] };

  it("say the offset to the renderer, and are sorted and counted in months on their camera's clock in any zone", () => {
    // The engine in New York, where the older photo was imported.
    process.env.TZ = 'America/New_York';
    expect([tokyo, older].map((p) => photoSummary(p, [], { nameOf: () => null }).takenOffset)).toEqual([540, null]);
    // By the time each camera showed, as the tiles say it (by instant New York's would come first).
    for (const zone of [undefined, 'America/New_York']) {
      const order = new NewestFirst(library, zone);
      expect(order.photos.map((p) => p.id)).toEqual([tokyo.id, paris.id, newYork.id, older.id]);
      expect(order.months()).toEqual(['2019-11', '2019-10', '2019-10', '2019-09']);
    }
    // Shown in Tokyo, only the older photo's month is Tokyo's.
    const inTokyo = new NewestFirst(library, 'Asia/Tokyo');
    expect(inTokyo.photos.map((p) => p.id)).toEqual([tokyo.id, paris.id, newYork.id, older.id]);
    expect(inTokyo.months()).toEqual(['2019-11', '2019-10', '2019-10', '2019-10']);
  });
});

describe('a burst its camera dated to the second', () => {
  it('is in the order of its file numbers, latest first, whatever order it was imported in', () => {
    // QA: IMG_0041 … IMG_0044 taken at 08:08:08 came out 0041, 0044, 0043, 0042 (by id).
    const shot = (n: number, file: string): PhotoRecord => ({ ...photoRecord(n), takenAt: '2016-08-08T07:08:08.000Z', takenOffset: 60, paths: [`/album/burst/${file}`] });
    const burst = [shot(4, 'IMG_0042.jpg'), shot(1, 'IMG_0044.jpg'), shot(3, 'IMG_0041.jpg'), shot(2, 'IMG_0043.jpg')];
    const order = new NewestFirst({ photos: burst, facesOfPhoto: () => [] });
    expect(order.photos.map((p) => p.paths[0].slice(-12))).toEqual(['IMG_0044.jpg', 'IMG_0043.jpg', 'IMG_0042.jpg', 'IMG_0041.jpg']);
  });
});

describe('photos whose offset is not known, shown in a zone the engine is not in', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });
  const taken = (n: number, takenAt: string | null, takenOffset?: number, mtime?: string): PhotoRecord => ({
    ...photoRecord(n),
    takenAt,
    ...(takenOffset !== undefined ? { takenOffset } : {}),
    ...(mtime ? { fileStamps: { [`/album/${n}.jpg`]: { size: 1000, mtimeMs: Date.parse(mtime) } } } : {}),
  });

  it("sort and count them on the renderer's clock, where their tiles show them, so a month is one run", () => {
    // `familiar serve` in UTC, the browser in Tokyo (UTC+9).
    process.env.TZ = 'UTC';
    const older = taken(1, '2019-10-01T01:00:00.000Z'); // 10:00 on 1 October in Tokyo (01:00 in UTC)
    const scan = taken(2, null, undefined, '2019-09-30T20:00:00.000Z'); // dated by its file: 05:00 on 1 October in Tokyo
    const newYork = taken(3, '2019-10-01T02:00:00.000Z', -4 * 60); // 22:00 on 30 September on its camera
    const library = { photos: [newYork, scan, older], facesOfPhoto: () => [] };
    const inTokyo = new NewestFirst(library, 'Asia/Tokyo');
    // On the engine's clock the scan came after New York's photo: October, September, October.
    expect(inTokyo.photos.map((p) => p.id)).toEqual([older.id, scan.id, newYork.id]);
    expect(inTokyo.months()).toEqual(['2019-10', '2019-10', '2019-09']);
    // No zone asked for: the engine's clock, for the order and the months alike.
    const inUtc = new NewestFirst(library);
    expect(inUtc.photos.map((p) => p.id)).toEqual([older.id, newYork.id, scan.id]);
    expect(inUtc.months()).toEqual(['2019-10', '2019-09', '2019-09']);
  });

  it('make every month one run of the grid, in the month each tile says, whatever the zones', () => {
    // 400 photos around the turns of the months: a third with the camera's offset, a third imported before offsets were
    // kept, a third dated by their file.
    let seed = 11;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const photos: PhotoRecord[] = [];
    for (let n = 0; n < 400; n++) {
      const instant = new Date(Date.UTC(2019, Math.floor(random() * 14), 1) + Math.round((random() - 0.5) * 40 * 3600_000)).toISOString();
      const kind = n % 3;
      const offset = Math.round((random() * 26 - 12) * 4) * 15;
      photos.push(kind === 0 ? taken(n, instant, offset) : kind === 1 ? taken(n, instant) : taken(n, null, undefined, instant));
    }
    const library = { photos, facesOfPhoto: () => [] };
    // The month a tile says (renderer/lib/format.ts dateLabel): on the camera's clock, else in the browser's zone.
    const tileMonth = (photo: PhotoRecord, browser: string) => {
      const date = photo.takenAt ?? fileDate(photo)!;
      if (photo.takenAt !== null && photo.takenOffset !== undefined) return new Date(Date.parse(date) + photo.takenOffset * 60_000).toISOString().slice(0, 7);
      const [month, year] = new Intl.DateTimeFormat('en-US', { timeZone: browser, year: 'numeric', month: '2-digit' }).format(new Date(date)).split('/');
      return `${year}-${month}`;
    };
    for (const engine of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata']) {
      process.env.TZ = engine;
      for (const browser of ['Asia/Tokyo', 'UTC', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Australia/Adelaide']) {
        const order = new NewestFirst(library, browser);
        const months = order.months();
        expect(months, `engine in ${engine}, browser in ${browser}`).toEqual(order.photos.map((p) => tileMonth(p, browser)));
        const runs = monthRuns(months).map((run) => run.month);
        expect(new Set(runs).size, `engine in ${engine}, browser in ${browser}: ${runs.join(' ')}`).toBe(runs.length);
      }
    }
  });
});

describe('photos without a camera date', () => {
  const at = (iso: string) => Date.parse(iso);
  const photos: PhotoRecord[] = [
    { ...photoRecord(1), takenAt: '2019-03-15T12:00:00.000Z', fileStamps: { '/album/1.jpg': { size: 1000, mtimeMs: at('2024-06-01T10:00:00.000Z') } } },
    // A scan: no EXIF date; two copies, the older file's time is when it was made.
    { ...photoRecord(2), paths: ['/album/2.jpg', '/backup/2.jpg'], fileStamps: { '/album/2.jpg': { size: 1000, mtimeMs: at('2021-05-02T08:00:00.000Z') }, '/backup/2.jpg': { size: 1000, mtimeMs: at('2018-07-04T09:00:00.000Z') } } },
    { ...photoRecord(3), fileStamps: { '/album/3.jpg': { size: 1000, mtimeMs: at('2020-01-10T12:00:00.000Z') } } },
    // An older library's record: no file times kept.
    photoRecord(4),
  ];
  const library = { photos, facesOfPhoto: () => [] };

  it("are dated by their file's earliest modification time, and only they", () => {
    expect(photos.map(fileDate)).toEqual([null, '2018-07-04T09:00:00.000Z', '2020-01-10T12:00:00.000Z', null]);
    const summary = photoSummary(photos[1], [], { nameOf: () => null });
    expect([summary.takenAt, summary.fileDate]).toEqual([null, '2018-07-04T09:00:00.000Z']);
  });

  it('take their place among the dated photos in the grid and its months; only a photo with no time at all is undated', () => {
    const order = new NewestFirst(library, 'UTC');
    expect(order.photos.map((p) => p.id)).toEqual([photos[2].id, photos[0].id, photos[1].id, photos[3].id]);
    expect(order.months()).toEqual(['2020-01', '2019-03', '2018-07', null]);
  });
});

// Photos without a camera date over the real engine, as QA had them: real photos of ../shared/faces copied into year
// folders and under WhatsApp's names (it strips EXIF), every file's time today, as a copy makes it. QA: 442 such
// photos in folders "2015" … "2019" all landed under "December 2026". The grid sorts and groups them by what their
// paths state (photos.list, photos.timeline), the viewer's words say where each date is from, and a photo with a
// camera date keeps it whatever its path says.
import { copyFile, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../main/api/index.js';
import { calls, type CallName, type PhotoSummary } from '../../../preload/contract.js';
import { dateLabel } from '../../../renderer/lib/format.js';
import { fileDateSource, photoDateLabel } from '../../../renderer/lib/photo-date.js';
import { lfwPhoto } from '../library/helpers.js';

let api: Api;
let work: string;

async function ok<K extends CallName>(name: K, args?: unknown) {
  const answer = await api.dispatcher.call(name, args);
  if (answer.error !== undefined) throw new Error(`${name} failed: ${answer.error}`);
  return calls[name].result.parse(answer.result) as ReturnType<(typeof calls)[K]['result']['parse']>;
}

/** The album's files, each a different photo of lfw_subset. */
const ALBUM: Record<string, [string, number]> = {
  '2015/scan 001.jpg': ['Abdullah_Gul', 1],
  '2015/scan 002.jpg': ['Abdullah_Gul', 2],
  '2016/Rome/DSC_2016.jpg': ['Adrien_Brody', 1],
  '2017_06 Trip/IMG_2015.jpg': ['Adrien_Brody', 2],
  '2018/IMG-20180704-WA0001.jpg': ['Alejandro_Toledo', 1],
  '2018/IMG-20180704-WA0002.jpg': ['Alejandro_Toledo', 2],
  'Phone/IMG_20190302_134501.jpg': ['Abdullah_Gul', 3],
  '1990s/scan.jpg': ['Adrien_Brody', 3],
};
/** A photo whose EXIF says when it was taken, filed in 2015 under a messenger's name that says otherwise. */
const CAMERA = '2015/IMG-20150612-WA0009.jpg';
const today = new Date();
const thisMonth = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}`;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-photo-dates-'));
  const album = join(work, 'album');
  for (const [target, [person, n]] of Object.entries(ALBUM)) {
    await mkdir(dirname(join(album, target)), { recursive: true });
    await copyFile(lfwPhoto(person, n), join(album, target));
  }
  const exif = { IFD0: { Make: 'Canon' }, IFD2: { DateTimeOriginal: '2016:05:01 10:00:00', OffsetTimeOriginal: '+00:00' } };
  await writeFile(join(album, CAMERA), await sharp(lfwPhoto('Alejandro_Toledo', 3)).withExif(exif).jpeg().toBuffer());
  // Every file copied today.
  for (const target of [...Object.keys(ALBUM), CAMERA]) await utimes(join(album, target), today, today);
  api = await createApi({ libraryDir: join(work, 'library'), mode: 'browser', log: () => {} });
  expect((await api.jobs.settled((await ok('import.start', { paths: [album] })).jobId)).state).toBe('done');
}, 300_000);

afterAll(async () => {
  await api?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Each photo of photos.list by its file's path from the album, in the grid's order. */
async function listed(): Promise<Array<{ path: string; photo: PhotoSummary }>> {
  const page = await ok('photos.list', { limit: 100, timeZone: 'UTC' });
  return Promise.all(
    page.photos.map(async (photo) => {
      const detail = await ok('photos.get', { photoId: photo.id });
      return { path: detail.paths[0].slice(join(work, 'album').length + 1), photo };
    }),
  );
}

describe('photos without a camera date, copied today', () => {
  it('are sorted and grouped by the date their file names and folders state, not by the copy date', async () => {
    expect((await listed()).map((p) => p.path)).toEqual([
      // Nothing in its path says when ("1990s" is no year): the file's time, today.
      '1990s/scan.jpg',
      'Phone/IMG_20190302_134501.jpg',
      // One day's WhatsApp photos, the latest first.
      '2018/IMG-20180704-WA0002.jpg',
      '2018/IMG-20180704-WA0001.jpg',
      // "IMG_2015" and "DSC_2016" are frame numbers: the folders say the month and the year.
      '2017_06 Trip/IMG_2015.jpg',
      // The camera's date, not the folder's year or the name's day; then 2016's photo known only to its year.
      CAMERA,
      '2016/Rome/DSC_2016.jpg',
      '2015/scan 002.jpg',
      '2015/scan 001.jpg',
    ]);
    expect(await ok('photos.timeline', { timeZone: 'UTC' })).toEqual([
      // Dated by its file's time alone (the copy's date): no age is said of it (TimelineMonth.fileTimesOnly).
      { month: thisMonth, count: 1, fileTimesOnly: true },
      { month: '2019-03', count: 1 },
      { month: '2018-07', count: 2 },
      { month: '2017-06', count: 1 },
      { month: '2016-05', count: 1 },
      { month: '2016', count: 1 },
      { month: '2015', count: 2 },
    ]);
  });

  it('say where each date is from in the viewer, and no more of it than is known', async () => {
    const byPath = new Map((await listed()).map(({ path, photo }) => [path, photo]));
    const viewer = (path: string) => {
      const photo = byPath.get(path)!;
      return [photoDateLabel(photo, 'UTC'), fileDateSource(photo)];
    };
    expect(viewer('2015/scan 001.jpg')).toEqual(['2015', 'year from the folder “2015”']);
    expect(viewer('2016/Rome/DSC_2016.jpg')).toEqual(['2016', 'year from the folder “2016”']);
    expect(viewer('2017_06 Trip/IMG_2015.jpg')).toEqual(['June 2017', 'month from the folder “2017_06 Trip”']);
    expect(viewer('2018/IMG-20180704-WA0001.jpg')).toEqual(['Jul 4, 2018', 'date from the file name']);
    expect(viewer('Phone/IMG_20190302_134501.jpg')).toEqual(['Mar 2, 2019', 'date from the file name']);
    expect(viewer('1990s/scan.jpg')).toEqual([dateLabel(today.toISOString(), null, 'UTC'), 'date of the file: the photo does not say when it was taken']);
    const camera = byPath.get(CAMERA)!;
    expect([camera.takenAt, camera.fileDate, camera.fileDateFrom, fileDateSource(camera)]).toEqual(['2016-05-01T10:00:00.000Z', null, null, null]);
  });
});

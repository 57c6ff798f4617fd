// The dates of photos without a camera date, from what their paths state (main/api/photo-dates.ts): a whole date in
// the file name as cameras, phones, messengers and screenshot tools write it, else a year (or month, or day) a folder
// names, nearest first, up to the imported folder; the file's time where that falls inside what the folder says, and
// in the grid, a photo known only to its year or month in one run after that year's or month's dated photos. The
// traps are the real ones: frame numbers, decades, spans of years, hashes, days that are no days, the future.
// QA: 442 photos in folders "2015" … "2019", copied, all under "December 2026".
import { afterEach, describe, expect, it } from 'vitest';
import { dateInFileName, dateInFolderName, PhotoDates, photoDay, type PhotoDating } from '../../../main/api/photo-dates.js';
import { monthRuns } from '../../../main/api/months.js';
import { NewestFirst, photoSummary } from '../../../main/api/views.js';
import { pathRules } from '../../../main/paths.js';
import type { PhotoRecord } from '../../../main/store/types.js';
import { photo as photoRecord } from '../../helpers/store-records.js';

/** "Today" for every test: 15 November 2026, so the future is fixed. */
const NOW = Date.UTC(2026, 10, 15, 12);
const at = (year: number, month: number, day: number, time?: [number, number, number]) => ({ year, month, day, ...(time ? { time: { hour: time[0], minute: time[1], second: time[2] } } : {}) });

describe('a date in a file name', () => {
  it.each([
    // Cameras and phones: Android, Samsung, Pixel (milliseconds after the time), Oppo, Windows Phone.
    ['IMG_20150612_134501.jpg', at(2015, 6, 12, [13, 45, 1])],
    ['20150612_134501.jpg', at(2015, 6, 12, [13, 45, 1])],
    ['VID_20150612_134501.mp4', at(2015, 6, 12, [13, 45, 1])],
    ['PXL_20210704_153012345.jpg', at(2021, 7, 4, [15, 30, 12])],
    ['PXL_20210704_153012345.PORTRAIT.jpg', at(2021, 7, 4, [15, 30, 12])],
    ['IMG20210704153012.jpg', at(2021, 7, 4, [15, 30, 12])],
    ['WP_20150612_13_45_01_Pro.jpg', at(2015, 6, 12, [13, 45, 1])],
    ['WP_20150612_001.jpg', at(2015, 6, 12)],
    // Messengers: WhatsApp (which strips EXIF) on Android, on the desktop, exported on iOS; Telegram; Signal.
    ['IMG-20150612-WA0001.jpg', at(2015, 6, 12)],
    ['IMG-20150612-WA0001 (1).jpg', at(2015, 6, 12)],
    ['WhatsApp Image 2021-07-04 at 15.30.12.jpeg', at(2021, 7, 4, [15, 30, 12])],
    ['WhatsApp Image 2021-07-04 at 15.30.12 (2).jpeg', at(2021, 7, 4, [15, 30, 12])],
    ['PHOTO-2021-07-04-15-30-12.jpg', at(2021, 7, 4, [15, 30, 12])],
    ['photo_2021-07-04_15-30-12.jpg', at(2021, 7, 4, [15, 30, 12])],
    ['signal-2021-07-04-153012.jpg', at(2021, 7, 4, [15, 30, 12])],
    // Screenshots: Android, macOS (24- and 12-hour), GNOME; Dropbox's camera uploads.
    ['Screenshot_2019-03-02-14-22-11.png', at(2019, 3, 2, [14, 22, 11])],
    ['Screenshot_20190302-142211.png', at(2019, 3, 2, [14, 22, 11])],
    ['Screenshot 2019-03-02 at 14.22.11.png', at(2019, 3, 2, [14, 22, 11])],
    ['Screen Shot 2019-03-02 at 2.22.11 PM.png', at(2019, 3, 2, [14, 22, 11])],
    ['Screen Shot 2019-03-02 at 12.05.00 AM.png', at(2019, 3, 2, [0, 5, 0])],
    ['Screenshot from 2019-03-02 14-22-11.png', at(2019, 3, 2, [14, 22, 11])],
    ['2015-06-12 13.45.01.jpg', at(2015, 6, 12, [13, 45, 1])],
    ['2015-06-12 13.45.01-2.jpg', at(2015, 6, 12, [13, 45, 1])],
    ['2015_06_12.jpg', at(2015, 6, 12)],
    // Day and month in an order the name does not say: only where one order is a date, or both are the same.
    ['Photo 25-12-2015.jpg', at(2015, 12, 25)],
    ['Photo 12-25-2015.jpg', at(2015, 12, 25)],
    ['Photo 06.06.2015.jpg', at(2015, 6, 6)],
    // A time that is no time is a counter after the date, which still says the day.
    ['IMG_20150612_256199.jpg', at(2015, 6, 12)],
    // A leap day.
    ['IMG_20160229_101500.jpg', at(2016, 2, 29, [10, 15, 0])],
  ])('%s', (name, expected) => {
    expect(dateInFileName(name, NOW)).toEqual(expected);
  });

  it.each([
    // Frame numbers, a year alone, a month alone: no whole date.
    'IMG_2015.jpg',
    'DSC_2015.JPG',
    'P1020345.JPG',
    '2015.jpg',
    'Rome 2015.jpg',
    'IMG_2015-06.jpg',
    'scan 1990s.jpg',
    // Which of 12 June or 6 December: the name does not say.
    'Photo 12-06-2015.jpg',
    // Days that are no days, the future, before photography.
    'IMG_20150230_101500.jpg',
    'IMG_20151301_101500.jpg',
    'IMG_20150229.jpg',
    'IMG_20991231_000000.jpg',
    'IMG_20261205_000000.jpg',
    '18000101.jpg',
    // Numbers that only look like dates: a hash, Facebook's ids and a millisecond timestamp, a phone number.
    '5f2c3e20150612a1.jpg',
    '10150612_10152345678_1234567890_n.jpg',
    'FB_IMG_1436712345678.jpg',
    '+4915112345678.jpg',
    '201506121.jpg',
  ])('%s: no date', (name) => {
    expect(dateInFileName(name, NOW)).toBeNull();
  });
});

describe('a date in a folder name', () => {
  it.each([
    ['2015', { year: 2015 }],
    ['Christmas 1992', { year: 1992 }],
    ['1992 Christmas', { year: 1992 }],
    ['Trip 2015 (2)', { year: 2015 }],
    ['1850', { year: 1850 }],
    ['2026', { year: 2026 }],
    ['2015-06', { year: 2015, month: 6 }],
    ['2015_06 Rome', { year: 2015, month: 6 }],
    ['2015.06', { year: 2015, month: 6 }],
    ['06-2015', { year: 2015, month: 6 }],
    ['June 2015', { year: 2015, month: 6 }],
    ['2015 June', { year: 2015, month: 6 }],
    ['Rome, jun_2015', { year: 2015, month: 6 }],
    ['Sept 2015', { year: 2015, month: 9 }],
    // "Marc" is a name, "Christmas" no month; a month not yet come is only the year.
    ['Marc 2015', { year: 2015 }],
    ['2026-12', { year: 2026 }],
    ['2015-06-12 Birthday', at(2015, 6, 12)],
    ['20150612', at(2015, 6, 12)],
    ['Summer 2015 - 2015-08', { year: 2015, month: 8 }],
  ])('%s', (name, expected) => {
    expect(dateInFolderName(name, NOW)).toEqual(expected);
  });

  it.each([
    // Decades, years run into words, spans of years, two years, no year at all, the future, before photography.
    '1990s',
    "1990's",
    'Summer2015',
    'IMG2015',
    '2015-2016',
    '2015 - 2019',
    '2015-16',
    '1990-95',
    'Photos from 2015 and 2016',
    '2030',
    '1800',
    '100CANON',
    'Family',
  ])('%s: no date', (name) => {
    expect(dateInFolderName(name, NOW)).toBeNull();
  });

  // Folders are named by people in their own language, with or without its accents, its case, its abbreviations.
  it.each([
    ['2019-07 Juli', 7],
    ['Juli 2019', 7],
    ['März 2015', 3],
    // As a Mac's disk spells it: the ¨ a mark of its own after the a.
    ['Ma\u0308rz 2015', 3],
    ['Marz 2015', 3],
    ['Mrz 2015', 3],
    ['Jänner 2015', 1],
    ['Août 2012', 8],
    ['AOUT 2012', 8],
    ['janv. 2012', 1],
    ['12 juillet 2012', 7],
    ['Diciembre 2010', 12],
    ['Navidad, diciembre de 2010', 12],
    ['julho de 2015', 7],
    ['Março 2015', 3],
    ['2015 luglio', 7],
    ['Settembre 2015, Capri', 9],
    ['Outubro 2015', 10],
    ['2015 maart', 3],
    ['mrt 2015', 3],
    ['2011 maj', 5],
    ['Desember 2011', 12],
    ['Lipiec 2019', 7],
    ['15 lipca 2019', 7],
    ['Październik 2019', 10],
    ['pazdziernik 2019', 10],
    ['paź 2019', 10],
    ['2019_wrz', 9],
    // Months that are something else too are months beside a year, as "May 2015" and "Jan 2015" always were.
    ['May 2015', 5],
    ['Jan 2015', 1],
    ['Mars 2015', 3],
    ['Julio 2015', 7],
    ['Maj 2015', 5],
  ])('%s: the month is %s', (name, month) => {
    expect(dateInFolderName(name, NOW)).toEqual({ year: Number(/\d{4}/.exec(name)![0]), month });
  });

  it.each([
    // Words beside a year that are a month only in another language's abbreviation, or once their accents are
    // dropped: "set" and "out" (Italian and Portuguese), the names Marco (março), Paz (paź), Maja (Polish "3 maja").
    'Night out 2015',
    'Lego set 2015',
    'Marco 2015',
    'Paz 2015',
    'Maja 2015',
    // A month's word not beside the year, or a word beside it that only starts like a month.
    'März in Rom 2015',
    'Fotos de 2015',
    'Juliette 2015',
  ])('%s: only the year', (name) => {
    expect(dateInFolderName(name, NOW)).toEqual({ year: 2015 });
  });
});

describe('PhotoDates', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });
  /** A photo without a camera date at these paths, their file times all `mtime` (an ISO instant) if given. */
  const undated = (n: number, paths: string[], mtime?: string, takenAt: string | null = null): PhotoRecord => ({
    ...photoRecord(n),
    takenAt,
    paths,
    ...(mtime ? { fileStamps: Object.fromEntries(paths.map((path) => [path, { size: 1000, mtimeMs: Date.parse(mtime) }])) } : {}),
  });
  const COPIED = '2026-11-10T09:00:00.000Z';
  /** What PhotoSummary says of a dating: its date in ISO and where it is from. */
  const said = (dating: PhotoDating | null) => dating && { date: dating.date, from: dating.from };

  it("takes a file name's date over the file's time, on the clock the name states", () => {
    process.env.TZ = 'Europe/Rome';
    const dates = new PhotoDates(['/album'], pathRules('linux'), NOW);
    expect(said(dates.of(undated(1, ['/album/2019/IMG_20150612_134501.jpg'], COPIED)))).toEqual({ date: '2015-06-12T13:45:01.000Z', from: { source: 'name', knownTo: 'day', folder: null } });
    // A day without a time is noon of it, unless the file is from that day: then its time of day (on this clock).
    expect(dates.of(undated(2, ['/album/IMG-20150612-WA0001.jpg'], COPIED))?.date).toBe('2015-06-12T12:00:00.000Z');
    expect(dates.of(undated(3, ['/album/IMG-20150612-WA0002.jpg'], '2015-06-12T16:20:05.000Z'))?.date).toBe('2015-06-12T18:20:05.000Z');
    // The first path that states one; a camera's date is not this module's.
    expect(dates.of(undated(4, ['/album/scan.jpg', '/album/copy/IMG_20150612_134501.jpg'], COPIED))?.from.source).toBe('name');
    expect(dates.of(undated(5, ['/album/IMG_20150612_134501.jpg'], COPIED, '2014-01-01T10:00:00.000Z'))).toBeNull();
  });

  it("takes a folder's year, month or day, nearest first, and keeps the file's time when it falls inside it", () => {
    process.env.TZ = 'UTC';
    const dates = new PhotoDates(['/album'], pathRules('linux'), NOW);
    const of = (paths: string[], mtime?: string) => dates.of(undated(0, paths, mtime));
    // Copied today: placed in the folder's year (its middle), known only to the year.
    expect(said(of(['/album/2015/scan 001.jpg'], COPIED))).toEqual({ date: '2015-07-01T12:00:00.000Z', from: { source: 'folder', knownTo: 'year', folder: '2015' } });
    // Nearest first: "Rome" says nothing, "1992" above it does; the file's time in 1992 is more precise.
    expect(of(['/album/Christmas 1992/Rome/scan.jpg'], COPIED)?.from).toEqual({ source: 'folder', knownTo: 'year', folder: 'Christmas 1992' });
    expect(of(['/album/2015/Christmas 1992/scan.jpg'], COPIED)?.from.folder).toBe('Christmas 1992');
    expect(said(of(['/album/1992/scan.jpg'], '1992-12-24T20:00:00.000Z'))).toEqual({ date: '1992-12-24T20:00:00.000Z', from: { source: 'file', knownTo: 'day', folder: '1992' } });
    expect(said(of(['/album/2015_06 Rome/a.jpg'], COPIED))).toEqual({ date: '2015-06-15T12:00:00.000Z', from: { source: 'folder', knownTo: 'month', folder: '2015_06 Rome' } });
    expect(of(['/album/2015_06 Rome/a.jpg'], '2015-09-01T10:00:00.000Z')?.from.knownTo).toBe('month');
    expect(said(of(['/album/2015-06-12 Birthday/a.jpg'], COPIED))).toEqual({ date: '2015-06-12T12:00:00.000Z', from: { source: 'folder', knownTo: 'day', folder: '2015-06-12 Birthday' } });
    // Year, month and day folders, as Shotwell, Lightroom and digiKam file photos.
    expect(of(['/album/2015/06/a.jpg'], COPIED)?.from).toEqual({ source: 'folder', knownTo: 'month', folder: '2015/06' });
    expect(of(['/album/2015/June/a.jpg'], COPIED)?.from.folder).toBe('2015/June');
    expect(said(of(['/album/2015/Juni/a.jpg'], COPIED))?.date).toBe('2015-06-15T12:00:00.000Z');
    expect(said(of(['/album/2015/03 März/a.jpg'], COPIED))?.date).toBe('2015-03-15T12:00:00.000Z');
    expect(of(['/album/2015/03 Mai/a.jpg'], COPIED)?.from.folder).toBe('2015');
    expect(said(of(['/album/2015/06/12/a.jpg'], COPIED))).toEqual({ date: '2015-06-12T12:00:00.000Z', from: { source: 'folder', knownTo: 'day', folder: '2015/06/12' } });
    expect(of(['/album/2015/12 Christmas/a.jpg'], COPIED)?.from.folder).toBe('2015');
    // Nothing stated: the file's time; no time either: no date.
    expect(said(of(['/album/1990s/scan.jpg'], COPIED))).toEqual({ date: COPIED, from: { source: 'file', knownTo: 'day', folder: null } });
    expect(of(['/album/1990s/scan.jpg'])).toBeNull();
    expect(of(['/album/2015/scan.jpg'])?.from.knownTo).toBe('year');
  });

  it("keeps a file's time its folder agrees with inside the folder's date on every viewer's clock (serve)", () => {
    process.env.TZ = 'Europe/Rome';
    const dates = new PhotoDates(['/album'], pathRules('linux'), NOW);
    // 00:30 on 1 June 2015 in Rome, where the library is: 22:30 on 31 May in UTC, 11:30 on 31 May in Pago Pago. A
    // browser there showed it as 31 May under May, "which its folder "2015-06" agrees with", and aged no one by it (QA).
    const photo = undated(1, ['/album/2015-06/a.jpg'], '2015-05-31T22:30:00.000Z');
    const dating = dates.of(photo)!;
    expect(said(dating)).toEqual({ date: '2015-06-01T00:30:00.000Z', from: { source: 'file', knownTo: 'day', folder: '2015-06' } });
    for (const zone of ['UTC', 'Europe/Rome', 'Pacific/Pago_Pago', 'Pacific/Kiritimati']) {
      expect([zone, dating.month(zone), photoDay(photo, dates, zone)]).toEqual([zone, '2015-06', '2015-06-01']);
    }
    // A file's time alone stays an instant, shown on each viewer's clock.
    const alone = dates.of(undated(2, ['/album/misc/a.jpg'], '2015-05-31T22:30:00.000Z'))!;
    expect([alone.month('UTC'), alone.month('Europe/Rome')]).toEqual(['2015-05', '2015-06']);
  });

  it("takes no file time after today: a wrong computer clock's copy is not above every real photo", () => {
    const dates = new PhotoDates(['/album'], pathRules('linux'), NOW);
    expect(dates.of(undated(1, ['/album/scan.jpg'], '2030-01-01T12:00:00.000Z'))).toBeNull();
    // Within a day's clocks of now is today somewhere; another path's time, earlier, is kept.
    expect(dates.of(undated(2, ['/album/scan.jpg'], '2026-11-16T01:00:00.000Z'))?.date).toBe('2026-11-16T01:00:00.000Z');
    const twoCopies: PhotoRecord = {
      ...undated(3, ['/album/a.jpg', '/album/b.jpg']),
      fileStamps: { '/album/a.jpg': { size: 1, mtimeMs: Date.parse('2030-01-01T12:00:00.000Z') }, '/album/b.jpg': { size: 1, mtimeMs: Date.parse(COPIED) } },
    };
    expect(dates.of(twoCopies)?.date).toBe(COPIED);
  });

  it('reads folders only up to the imported folder, itself included', () => {
    const inBackup = undated(1, ['/media/Backup 2020/album/Family/scan.jpg'], COPIED);
    expect(new PhotoDates(['/media/Backup 2020/album'], pathRules('linux'), NOW).of(inBackup)?.from.source).toBe('file');
    expect(new PhotoDates(['/media/Backup 2020'], pathRules('linux'), NOW).of(inBackup)?.from.folder).toBe('Backup 2020');
    // Imported once and no longer watched: every folder of its path.
    expect(new PhotoDates([], pathRules('linux'), NOW).of(inBackup)?.from.folder).toBe('Backup 2020');
  });

  it('reads Windows paths, whose imported folder is spelt in another case', () => {
    const dates = new PhotoDates(['D:\\Photos'], pathRules('win32'), NOW);
    expect(dates.of(undated(1, ['D:\\photos\\2015\\Rome\\scan.jpg'], COPIED))?.from).toEqual({ source: 'folder', knownTo: 'year', folder: '2015' });
    expect(dates.of(undated(2, ['D:\\photos\\2015\\IMG-20160704-WA0003.jpg'], COPIED))?.date).toBe('2016-07-04T12:00:00.000Z');
    const inBackup = undated(3, ['d:\\BACKUP 2020\\photos\\Family\\scan.jpg'], COPIED);
    expect(new PhotoDates(['D:\\Backup 2020\\Photos'], pathRules('win32'), NOW).of(inBackup)?.from.source).toBe('file');
  });
});

describe('the grid of photos dated by their paths', () => {
  it("puts a year's photos known only to the year after its months, a month's after its days, each one run", () => {
    const taken = (n: number, takenAt: string) => ({ ...photoRecord(n), takenAt, takenOffset: 0 });
    const copied = (n: number, path: string) => ({ ...photoRecord(n), paths: [path], fileStamps: { [path]: { size: 1000, mtimeMs: Date.parse('2026-11-10T09:00:00.000Z') } } });
    const photos: PhotoRecord[] = [
      copied(1, '/album/2015/scan 001.jpg'),
      taken(2, '2015-01-01T00:00:00.000Z'),
      copied(3, '/album/2015/scan 002.jpg'),
      taken(4, '2014-12-31T23:59:59.000Z'),
      copied(5, '/album/2015-06/a.jpg'),
      taken(6, '2015-06-01T00:00:00.000Z'),
      taken(7, '2015-06-30T23:00:00.000Z'),
      copied(8, '/album/2015/IMG-20150612-WA0001.jpg'),
      copied(9, '/album/2015/IMG-20150612-WA0002.jpg'),
      taken(10, '2015-07-01T00:00:00.000Z'),
      copied(11, '/album/2026/new.jpg'),
    ];
    for (const zone of [undefined, 'Asia/Tokyo', 'America/Los_Angeles']) {
      const order = new NewestFirst({ photos, facesOfPhoto: () => [] }, zone, new PhotoDates(['/album'], pathRules('linux'), NOW));
      // The copy date in 2026 falls inside its folder "2026": the file's time, a day of November.
      expect(order.photos.map((p) => Number.parseInt(p.id.slice(0, 16), 16)), zone).toEqual([11, 10, 7, 9, 8, 6, 5, 2, 3, 1, 4]);
      expect(monthRuns(order.months()), zone).toEqual([
        { month: order.months()[0], count: 1 },
        { month: '2015-07', count: 1 },
        { month: '2015-06', count: 5 },
        { month: '2015-01', count: 1 },
        { month: '2015', count: 2 },
        { month: '2014-12', count: 1 },
      ]);
    }
    const summary = photoSummary(photos[0], [], { nameOf: () => null }, new PhotoDates(['/album'], pathRules('linux'), NOW));
    expect([summary.takenAt, summary.fileDate, summary.fileDateFrom]).toEqual([null, '2015-07-01T12:00:00.000Z', { source: 'folder', knownTo: 'year', folder: '2015' }]);
    expect(new PhotoDates(['/album'], pathRules('linux'), NOW).of(photos[0])!.month()).toBe('2015');
  });
});

// When a photo without a camera date (no EXIF date: scans, messenger copies, screenshots) was taken, from what its
// path states, as PhotoPrism's "taken from name" does: a date in the file name as cameras, phones, messengers and
// screenshot tools write it, else a year (or a month, or a day) in the name of a folder it is in, nearest first; and
// its file's modification time, which copying the files makes the copy date (QA: 442 photos in folders "2015" …
// "2019" all under "December 2026"). A date from the path is the clock as written, in no zone: it is kept on UTC
// ("2015-06-12T13:45:01.000Z") and shown and sorted on that clock wherever the viewer is.
import type { PhotoSummary } from '../../preload/contract.js';
import { pathRules, type PathRules } from '../paths.js';
import type { FaceRecord, PhotoRecord } from '../store/types.js';
import { beforeBirth } from '../../preload/birthdays.js';
import { clockAt, clockTaken } from './months.js';

/** A date a name states, as written: at least the year; the month, the day and the time when it says them. */
export interface StatedDate {
  year: number;
  month?: number;
  day?: number;
  /** With a day only: the time of day, on the clock the name was written by. */
  time?: { hour: number; minute: number; second: number };
}

/** Where the date of a photo without a camera date comes from, and how much of it is known (PhotoSummary.fileDateFrom). */
export type FileDateFrom = NonNullable<PhotoSummary['fileDateFrom']>;

/** A photo's date without a camera date: kept as a number, written out (`date`) only for the photos a page shows. */
export class PhotoDating {
  constructor(
    /**
     * With `from` 'file', the file's modification time: with no folder, an instant, shown in the viewer's zone; inside
     * the year, month or day a folder states, that time on this machine's clock as if it were UTC, so it stays inside
     * them in every zone. Otherwise the clock the path states as if it were UTC: to the second, or noon of a day, the
     * 15th of a month, 1 July of a year.
     */
    readonly time: number,
    readonly from: FileDateFrom,
  ) {}

  /** clock's answer for a date from the path, the same in every zone: one for all the photos a folder dates. */
  private pathClock?: number;

  /** `time` in ISO (PhotoSummary.fileDate). Not kept: 100,000 of them cost more than the whole date order. */
  get date(): string {
    return new Date(this.time).toISOString();
  }

  /**
   * The clock the grid sorts the photo by (as clockTaken does a camera's): the file's time on `timeZone`'s clock, a
   * date from the path on the clock it states. A photo known only to its month comes after that month's dated photos,
   * one known only to its year after that year's months, so each is one run of the grid ("June 2015", "2015").
   */
  clock(timeZone?: string): number | null {
    if (this.from.source === 'file' && this.from.folder === null) return clockAt(this.time, null, timeZone);
    if (this.pathClock === undefined) {
      const at = new Date(this.time);
      const { knownTo } = this.from;
      this.pathClock =
        knownTo === 'year' ? Date.UTC(at.getUTCFullYear(), 0, 1) - 0.5 : knownTo === 'month' ? Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1) - 0.25 : this.time;
    }
    return this.pathClock;
  }

  /** The month (as monthTaken writes it, on clock's clock) the photo is counted in; 'YYYY' for one known only to its year. */
  month(timeZone?: string): string | null {
    const clock = this.clock(timeZone);
    if (clock === null) return null;
    // A year's or a month's photos are sorted a fraction of a millisecond before it starts.
    const { knownTo } = this.from;
    const at = new Date(knownTo === 'day' ? clock : clock + 1);
    const year = String(at.getUTCFullYear()).padStart(4, '0');
    return knownTo === 'year' ? year : `${year}-${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
  }
}

/** The first year a photograph was taken: a year before it is a number, not a date. */
const FIRST_PHOTO_YEAR = 1826;

/**
 * The languages folders are named in: their months as Intl writes them, whole and abbreviated ("Juni", "janv.",
 * "mrt"), both as a month stands alone ("Lipiec 2019") and as it is in a date ("15 lipca 2019"); de-AT for "Jänner".
 */
const MONTH_LOCALES = ['en', 'de', 'de-AT', 'fr', 'es', 'it', 'pt', 'nl', 'sv', 'da', 'nb', 'pl'];
/** Whole, abbreviated, and whole after a day: the only one that is another word (Polish), as an abbreviation never is. */
const MONTH_STYLES: Intl.DateTimeFormatOptions[] = [{ month: 'long' }, { month: 'short' }, { month: 'long', day: 'numeric' }];
/** Abbreviations people write that Intl does not: "Sept" (Intl's only in French and Spanish), German "Mrz", "Maerz". */
const MORE_MONTH_WORDS: Array<[string, number]> = [
  ['sept', 9],
  ['mrz', 3],
  ['maerz', 3],
];
/**
 * Words a month only as another language abbreviates it, or once their accents are dropped, that beside a year are
 * most often something else: "Night out 2015", "Lego set 2015" (Portuguese and Italian), the names Marco (março is
 * March), Paz (paź is October) and Maja (Polish "3 maja", May only after a day).
 */
const NOT_MONTHS = new Set(['out', 'set', 'marco', 'paz', 'maja']);

/** A word without its case, as a Mac's disk spells it too ("Ma\u0308rz"): "märz". */
const lowerWord = (word: string) => word.normalize('NFC').toLowerCase();
/** A word without its case and its accents: "marz". */
const plainWord = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

let monthWords: Map<string, number> | undefined;

/** Each word for a month, as written and plain, lower case, with its month 1-12: made once, when a folder's name is first read. */
function wordsForMonths(): Map<string, number> {
  if (monthWords) return monthWords;
  monthWords = new Map(MORE_MONTH_WORDS);
  // A Node built without ICU's locales (small-icu) writes every language's months in English: the same words again.
  for (const locale of MONTH_LOCALES) {
    for (const style of MONTH_STYLES) {
      // The middle of each month is in that month on every clock: no timeZone, which costs 4 times the time to make.
      const format = new Intl.DateTimeFormat(locale, style);
      for (let month = 1; month <= 12; month++) {
        const written = format.formatToParts(Date.UTC(2001, month - 1, 15, 12)).find((part) => part.type === 'month')?.value ?? '';
        for (const word of [lowerWord(written), plainWord(written)]) {
          const bare = word.replace(/\.$/, '');
          if (!NOT_MONTHS.has(bare)) monthWords.set(bare, month);
        }
      }
    }
  }
  return monthWords;
}

/**
 * The month a word names ("June", "jun", "Sept", "März", "août", "lipca"), 1-12, or null: a whole name or an
 * abbreviation as dates write it, in any case, with or without its accents; not a word that only starts like one
 * ("Marc 2015", a name; "Juliette").
 */
function monthNamed(word: string): number | null {
  if (!word) return null;
  const words = wordsForMonths();
  return words.get(lowerWord(word)) ?? words.get(plainWord(word)) ?? null;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The furthest ahead of UTC a clock is (Kiribati, UTC+14): a date written there today is no future date. */
const AHEAD_MS = 14 * 3_600_000;

/** Whether the stated date is a real calendar date, from the first photographs up to today (on any clock). */
function plausible(date: StatedDate, now: number): boolean {
  const { year, month, day, time } = date;
  if (!Number.isInteger(year) || year < FIRST_PHOTO_YEAR) return false;
  if (month !== undefined && (month < 1 || month > 12)) return false;
  if (day !== undefined && (month === undefined || day < 1 || day > daysIn(year, month))) return false;
  if (time && (time.hour > 23 || time.minute > 59 || time.second > 59)) return false;
  // The span's start is not after today: "2026" is plausible all through 2026, a day only once it has come.
  return Date.UTC(year, (month ?? 1) - 1, day ?? 1, time?.hour ?? 0, time?.minute ?? 0, time?.second ?? 0) <= now + AHEAD_MS;
}

// A date in a file name, as cameras, phones, messengers and screenshot tools write one. A number only counts where
// nothing of a word runs into it (startsAWord: IMG20150612, not a hash's …e20150612…).
/** 20150612, with a time run on or after _ - T or a space: IMG_20150612_134501, PXL_20210704_153012345, IMG-20150612-WA0001. */
const COMPACT_DATE = /(?<!\d)(\d{4})(\d{2})(\d{2})(?:[_\-T ]?(\d{2})[_.:\-]?(\d{2})[_.:\-]?(\d{2})\d{0,3})?(?!\d)/g;
/** 2015-06-12, 2015_06_12, 2015.06.12, with a time after it: "2015-06-12 13.45.01", "Screenshot_2019-03-02-14-22-11", "… at 2.22.11 PM". */
const SEPARATED_DATE =
  /(?<!\d)(\d{4})([-_.])(\d{2})\2(\d{2})(?!\d)(?:[ _T\-]+(?:at[ _]+)?(?:(\d{1,2})[.:_\-](\d{2})[.:_\-](\d{2})|(\d{2})(\d{2})(\d{2}))(?!\d)(?:[ _]?([AaPp])\.?[Mm]\.?(?![A-Za-z]))?)?/g;
/** 12-06-2015 or 06.12.2015: the day and the month in an order the name does not say, read only where one order is possible. */
const YEAR_LAST_DATE = /(?<!\d)(\d{1,2})([-_.])(\d{1,2})\2(\d{4})(?!\d)/g;
const LETTERS = /^[A-Za-z]+$/;

const isAlphanumeric = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/** Whether a number at `index` of `name` starts a word: nothing of a word before it, or only a prefix of letters (IMG20150612). */
function startsAWord(name: string, index: number): boolean {
  return index === 0 || !isAlphanumeric(name.charCodeAt(index - 1)) || (index <= 12 && LETTERS.test(name.slice(0, index)));
}

function countDigits(text: string): number {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
  }
  return digits;
}

/** The first match of the global `pattern` in `name` that starts a word and that `read` takes for a date. */
function firstDate(pattern: RegExp, name: string, read: DateReader, now: number): StatedDate | null {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(name); match; match = pattern.exec(name)) {
    const date = startsAWord(name, match.index) ? read(match, now) : null;
    if (date) return date;
    pattern.lastIndex = match.index + 1;
  }
  return null;
}

const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));

function withTime(date: StatedDate, hour?: number, minute?: number, second?: number, half?: string): StatedDate {
  if (hour === undefined || minute === undefined || second === undefined) return date;
  if (half) {
    if (hour < 1 || hour > 12) return date;
    hour = (hour % 12) + (half.toLowerCase() === 'p' ? 12 : 0);
  }
  return { ...date, time: { hour, minute, second } };
}

/** A date, with its time where the time is one (a counter after the date is none); null when the date is no date. */
function dayAndTime(date: StatedDate, now: number, hour?: string, minute?: string, second?: string, half?: string): StatedDate | null {
  if (!plausible(date, now)) return null;
  const timed = withTime(date, number(hour), number(minute), number(second), half);
  return plausible(timed, now) ? timed : date;
}

type DateReader = (match: RegExpExecArray, now: number) => StatedDate | null;
/** Each pattern with how it reads a date, tried in this order. Made once: a closure a name is 100,000 a revision. */
const NAME_DATES: Array<[RegExp, DateReader]> = [
  [COMPACT_DATE, (m, now) => dayAndTime({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, now, m[4], m[5], m[6])],
  [SEPARATED_DATE, (m, now) => dayAndTime({ year: Number(m[1]), month: Number(m[3]), day: Number(m[4]) }, now, m[5] ?? m[8], m[6] ?? m[9], m[7] ?? m[10], m[11])],
  [
    YEAR_LAST_DATE,
    (m, now) => {
      const [first, second, year] = [Number(m[1]), Number(m[3]), Number(m[4])];
      // 25-12-2015 is day first, 12-25-2015 month first; 12-06-2015 could be either and says no date; 06-06-2015 either way.
      const orders = [{ year, month: second, day: first }, { year, month: first, day: second }].filter((d) => plausible(d, now));
      return orders.length === 1 || (orders.length === 2 && first === second) ? orders[0] : null;
    },
  ],
];

/**
 * The date a file name states in full (year, month and day, with the time where it says it), or null. Only whole
 * dates count: "IMG_2015.jpg" is frame 2015, and a year alone in a name says less than the folder it is in. A time
 * that is no time (a counter after the date) leaves the date alone; a date that is no real day, or is in the future,
 * or before photography, is no date.
 */
export function dateInFileName(name: string, now = Date.now()): StatedDate | null {
  // Most names (IMG_1234, DSC01234, scan 001) have too few digits for a date: no pattern is tried (100,000 photos a revision).
  if (countDigits(name) < 6) return null;
  for (const [pattern, read] of NAME_DATES) {
    const date = firstDate(pattern, name, read, now);
    if (date) return date;
  }
  return null;
}

// A year in a folder's name: four digits standing alone as a word ("2015", "Christmas 1992", "2015_06 Rome"), not
// part of one ("1990s", "1990's", "Summer2015", "IMG2015"), from the first photographs to this year.
const YEAR_WORD = /(?<![\p{L}\p{M}\p{N}])(\d{4})(?![\p{L}\p{M}\p{N}]|['’]s\b)/gu;
/** The month beside a year: 2015-06, 2015_06, 2015.06, or 06-2015, 06.2015. */
const MONTH_AFTER = /^[-_.](\d{2})(?![0-9])/;
const MONTH_BEFORE = /(?<![0-9])(\d{2})[-_.]$/;
/** A month's name beside the year: "June 2015", "2015 June", "Rome, jun_2015", "März 2015", Spanish "julio de 2015". */
const WORD_BEFORE = /([\p{L}\p{M}]+)[ _\-.,]+(?:[Dd]e[ _\-]+)?$/u;
const WORD_AFTER = /^[ _\-.,]+([\p{L}\p{M}]+)/u;
/** A folder inside a year's folder that is only a month ("06", "06 June", "June"), or inside a month's only a day ("12"). */
const MONTH_FOLDER = /^(0[1-9]|1[0-2])(?:[ _\-.]+([\p{L}\p{M}]+))?$|^([\p{L}\p{M}]+)$/u;
const DAY_FOLDER = /^(0[1-9]|[12]\d|3[01])$/;

/**
 * The date a folder's name states: a year, with the month or the day where it says them; null when it names no year,
 * or two ("2015-2016", "2015 and 2019", "2015-16": a span is no date), or one that is no year (before photography,
 * after this year). A whole date ("20150612", "2015-06-12 Birthday") is read as a file name's is.
 */
export function dateInFolderName(name: string, now = Date.now()): StatedDate | null {
  if (countDigits(name) < 4) return null;
  const found: Array<{ year: number; month?: number }> = [];
  YEAR_WORD.lastIndex = 0;
  for (let match = YEAR_WORD.exec(name); match; match = YEAR_WORD.exec(name)) {
    const year = Number(match[1]);
    if (!plausible({ year }, now)) continue;
    const before = name.slice(0, match.index);
    const after = name.slice(match.index + 4);
    const numberAfter = MONTH_AFTER.exec(after);
    // "2015-16", "1990-95": a span of years, not a month.
    if (numberAfter && Number(numberAfter[1]) > 12) return null;
    const numbered = number(numberAfter?.[1] ?? MONTH_BEFORE.exec(before)?.[1]);
    const named = monthNamed(WORD_AFTER.exec(after)?.[1] ?? '') ?? monthNamed(WORD_BEFORE.exec(before)?.[1] ?? '');
    const month = numbered !== undefined && numbered >= 1 && numbered <= 12 ? numbered : (named ?? undefined);
    found.push(month === undefined ? { year } : { year, month });
  }
  if (found.some((f) => f.year !== found[0].year)) return null;
  // A whole date ("2015-06-12 Birthday", "20150612") says the day; its time, if any, is when the folder was made.
  const whole = dateInFileName(name, now);
  if (whole && (found.length === 0 || found[0].year === whole.year)) return { year: whole.year, month: whole.month, day: whole.day };
  if (found.length === 0) return null;
  const months = new Set(found.flatMap((f) => (f.month ? [f.month] : [])));
  const date = months.size === 1 ? { year: found[0].year, month: [...months][0] } : { year: found[0].year };
  return plausible(date, now) ? date : { year: date.year };
}

/** The month a folder inside a year's folder is ("06", "06 June", "June"), or null. */
function monthFolder(name: string): number | null {
  const match = MONTH_FOLDER.exec(name);
  if (!match) return null;
  if (match[3] !== undefined) return monthNamed(match[3]);
  const month = Number(match[1]);
  return match[2] === undefined || monthNamed(match[2]) === month ? month : null;
}

/** What a folder states, for itself and the folders in it; the names from the one that stated it down ("2015/06"). */
interface FolderDate {
  date: StatedDate;
  folder: string;
  /** Stated by this folder's own name (a month folder may follow it), not one above. */
  own: boolean;
  /** Its photos' dating where their file's time is outside it, and the `from` of those whose time is inside: one for all. */
  placed: PhotoDating;
  confirmed: FileDateFrom;
  /** Where it starts and ends on this machine's clock (localSpan). */
  span: [number, number];
}

/** The file's time alone: one `from` for every photo dated so. */
const FILE_TIME: FileDateFrom = { source: 'file', knownTo: 'day', folder: null };
const FILE_NAME: FileDateFrom = { source: 'name', knownTo: 'day', folder: null };

/**
 * The earliest modification time of a photo's paths, in milliseconds; null when none is known. A time after `now` (on
 * any clock) is none: a computer whose clock was set wrong, or a file touched so, would put the photo above every real
 * one (QA: a copy dated 2030 topped the grid), as a date in its name or folder would not (plausible).
 */
function earliestTime(stamps: PhotoRecord['fileStamps'], now: number): number | null {
  if (!stamps) return null;
  let earliest = Infinity;
  for (const path in stamps) {
    const time = stamps[path].mtimeMs;
    if (time > 0 && time < earliest && time <= now + AHEAD_MS) earliest = time;
  }
  return Number.isFinite(earliest) ? earliest : null;
}

/**
 * The instants the year, month or day stated starts and ends at on this machine's clock, which a file's time is
 * compared with: it is inside them where a file manager on this machine shows it in that year, month or day.
 */
function localSpan(date: StatedDate): [number, number] {
  const { year, month, day } = date;
  if (month === undefined) return [new Date(year, 0, 1).getTime(), new Date(year + 1, 0, 1).getTime()];
  if (day === undefined) return [new Date(year, month - 1, 1).getTime(), new Date(year, month, 1).getTime()];
  return [new Date(year, month - 1, day).getTime(), new Date(year, month - 1, day + 1).getTime()];
}

const isInside = (time: number | null, [start, end]: [number, number]) => time !== null && time >= start && time < end;

/** An instant as this machine's clock reads it, written as if UTC (as a date a path states is). */
const onThisClock = (time: number): number => time - new Date(time).getTimezoneOffset() * 60_000;

/** A stated date as its clock as if on UTC: the time it says, else noon of its day, the 15th of its month, 1 July of its year. */
function clockOf(date: StatedDate): number {
  const day = date.day ?? (date.month === undefined ? 1 : 15);
  const { hour, minute, second } = date.time ?? { hour: 12, minute: 0, second: 0 };
  return Date.UTC(date.year, (date.month ?? 7) - 1, day, hour, minute, second);
}

const knownTo = (date: StatedDate): FileDateFrom['knownTo'] => (date.day !== undefined ? 'day' : date.month !== undefined ? 'month' : 'year');

/**
 * Each photo's date when it has no camera date (PhotoSummary.fileDate and fileDateFrom): the handlers make one per
 * library revision, as they do the date order (NewestFirst), which reads every photo's once (ofEach) for every zone.
 * Folders are read nearest first up to the imported folder holding the photo (`roots`, the watched folders), so
 * "Backup 2020" above the album dates nothing (a photo outside them all: every folder of its path); each folder
 * once, however many photos are in it.
 *
 * The sources, most precise first: a date in a file name (of the first path that has one); a year, month or day in a
 * folder's name (of the first path that has one), which keeps the file's time when that time falls inside it and
 * otherwise places the photo there, known only to that year, month or day; the file's time alone (the earliest of
 * its paths').
 */
export class PhotoDates {
  private all: { photos: readonly object[]; datings: Array<PhotoDating | null> } | null = null;
  private readonly byFolder = new Map<string, FolderDate | null>();
  private readonly rootKeys: Set<string>;

  constructor(
    roots: readonly string[] = [],
    private readonly rules: PathRules = pathRules(),
    private readonly now = Date.now(),
  ) {
    this.rootKeys = new Set(roots.map((root) => rules.key(rules.path.resolve(root))));
  }

  /** The photo's date without a camera date; null when it has one, or when neither its path nor its file's time says one. */
  of(photo: Pick<PhotoRecord, 'takenAt' | 'paths' | 'fileStamps'>): PhotoDating | null {
    if (photo.takenAt !== null) return null;
    const time = earliestTime(photo.fileStamps, this.now);
    for (const path of photo.paths) {
      const named = dateInFileName(this.rules.path.basename(path), this.now);
      if (!named) continue;
      // A day without a time (IMG-20150612-WA0001) takes the file's time of day when the file is from that day.
      // (Only a file's time within a day and a half of it can be: the local day is worked out for those alone.)
      const near = time !== null && !named.time && Math.abs(time - clockOf(named)) < 36 * 3_600_000;
      const local = near && isInside(time, localSpan(named)) ? new Date(time!) : null;
      const date = local ? { ...named, time: { hour: local.getHours(), minute: local.getMinutes(), second: local.getSeconds() } } : named;
      return new PhotoDating(clockOf(date), FILE_NAME);
    }
    for (const path of photo.paths) {
      const stated = this.folderDate(this.rules.path.dirname(path));
      // Inside the folder's span on this machine's clock, so kept on it: on a viewer's clock in another zone (serve) the
      // time could fall outside the year, month or day the folder states, and the photo under another month (a review).
      if (stated) return isInside(time, stated.span) ? new PhotoDating(onThisClock(time!), stated.confirmed) : stated.placed;
    }
    return time === null ? null : new PhotoDating(time, FILE_TIME);
  }

  /** `of` each of the library's photos, in their order: worked out once (the date order of every zone reads it). */
  ofEach(photos: ReadonlyArray<Pick<PhotoRecord, 'takenAt' | 'paths' | 'fileStamps'>>): ReadonlyArray<PhotoDating | null> {
    if (this.all?.photos !== photos || this.all.datings.length !== photos.length) this.all = { photos, datings: photos.map((photo) => this.of(photo)) };
    return this.all.datings;
  }

  /** What the folder `dir`, or the nearest folder above it up to the imported folder, states. */
  private folderDate(dir: string): FolderDate | null {
    let known = this.byFolder.get(dir);
    if (known !== undefined) return known;
    const name = this.rules.path.basename(dir);
    const own = name ? dateInFolderName(name, this.now) : null;
    if (own) known = folderDate(own, name);
    else {
      const parent = this.rules.path.dirname(dir);
      const top = parent === dir || this.rootKeys.has(this.rules.key(dir));
      const above = top ? null : this.folderDate(parent);
      known = above && (this.nested(above, name) ?? { ...above, own: false });
    }
    this.byFolder.set(dir, known);
    return known;
  }

  /** A month folder in its year's folder ("2015/06"), a day folder in its month's ("2015/06/12"); null otherwise. */
  private nested(above: FolderDate, name: string): FolderDate | null {
    if (!above.own || above.date.day !== undefined) return null;
    const month = above.date.month === undefined ? monthFolder(name) : null;
    const date: StatedDate | null =
      month !== null ? { year: above.date.year, month } : above.date.month !== undefined && DAY_FOLDER.test(name) ? { ...above.date, day: Number(name) } : null;
    return date && plausible(date, this.now) ? folderDate(date, `${above.folder}/${name}`) : null;
  }
}

function folderDate(date: StatedDate, folder: string): FolderDate {
  return {
    date,
    folder,
    own: true,
    placed: new PhotoDating(clockOf(date), { source: 'folder', knownTo: knownTo(date), folder }),
    confirmed: { source: 'file', knownTo: 'day', folder },
    span: localSpan(date),
  };
}

/**
 * A photo's file's modification time (the earliest of its paths'), as Immich, Google Photos and Apple Photos date a
 * photo without a camera date; null: the photo has a camera date, or no path's time is known.
 */
export function fileDate(photo: Pick<PhotoRecord, 'takenAt' | 'fileStamps'>): string | null {
  const time = photo.takenAt === null ? earliestTime(photo.fileStamps, Date.now()) : null;
  return time === null ? null : new Date(time).toISOString();
}

/**
 * The day a photo was taken, to the precision known ("2015-06-12", "2015-06" or "2015"), for the age of the people in
 * it (preload/birthdays.ts): its camera's clock, else a date its path states. Not a file's time alone: copying files
 * makes that the copy's date, and a baby's scanned photo would say the age of the scan.
 */
export function photoDay(photo: Pick<PhotoRecord, 'takenAt' | 'takenOffset' | 'paths' | 'fileStamps'>, dates: PhotoDates, timeZone?: string): string | null {
  if (photo.takenAt !== null) {
    const clock = clockTaken(photo.takenAt, photo.takenOffset, timeZone);
    return clock === null ? null : new Date(clock).toISOString().slice(0, 10);
  }
  const dating = dates.of(photo);
  if (dating === null) return null;
  const { source, knownTo, folder } = dating.from;
  // A file's time inside the span its folder states ("2015-06-12 Birthday") is that day's; elsewhere it is no word.
  if (source === 'file' && folder === null) return null;
  return new Date(dating.time).toISOString().slice(0, knownTo === 'year' ? 4 : knownTo === 'month' ? 7 : 10);
}

/**
 * The day the people in a photo were seen, for their ages (photoDay): a resized copy without a camera clock of its own
 * (a messenger's, an export that dropped it) is of its original's day when that is known. The date a copy's name or
 * folder states is when it was made or received (IMG-20240105-WA0003.jpg), not when the people were that age.
 */
export function dayOfPeopleIn(
  library: { photo(id: string): PhotoRecord | undefined },
  photo: Pick<PhotoRecord, 'takenAt' | 'takenOffset' | 'paths' | 'fileStamps' | 'copyOf'>,
  dates: PhotoDates,
  timeZone?: string,
): string | null {
  const original = photo.copyOf && photo.takenAt === null ? library.photo(photo.copyOf.photoId) : undefined;
  return (original && photoDay(original, dates, timeZone)) ?? photoDay(photo, dates, timeZone);
}

/**
 * Whether a face is in a photo dated before `birthday` (dayOfPeopleIn): someone else's (an older sibling's baby photos), or
 * dated by a clock set wrong. A photo from the day before is let be: a newborn's photo read in another zone than its
 * camera's.
 */
export function takenBeforeBirth(
  library: { photo(id: string): PhotoRecord | undefined },
  birthday: string,
  dates: PhotoDates,
): (face: Pick<FaceRecord, 'photoId'>) => boolean {
  return (face) => {
    const photo = library.photo(face.photoId);
    const day = photo ? dayOfPeopleIn(library, photo, dates) : null;
    return day !== null && takenOnDayBeforeBirth(birthday, day);
  };
}

/** Whether a photo's day (photoDay) is before `birthday`, for certain, the day before let be (takenBeforeBirth). */
export function takenOnDayBeforeBirth(birthday: string, day: string): boolean {
  return beforeBirth(birthday, day.length === 10 ? new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10) : day);
}

/** Of `faceIds`, those in photos dated before `birthday` (takenBeforeBirth). */
export function facesBeforeBirth(
  library: { face(id: string): Pick<FaceRecord, 'photoId'> | undefined; photo(id: string): PhotoRecord | undefined },
  birthday: string,
  faceIds: readonly string[],
  dates: PhotoDates,
): string[] {
  const before = takenBeforeBirth(library, birthday, dates);
  return faceIds.filter((id) => {
    const face = library.face(id);
    return face !== undefined && before(face);
  });
}

// A person's birthday, read and said as one rule by the engine (the CLI's `familiar birthday`, the store) and by the app
// (the person page's field, the ages the photo viewer shows). Loaded by Node and the browser alike, so it imports
// nothing.
//
// A birthday may be a whole date, a month or a year alone: a grandparent's day is often unknown, and a year is still
// enough to tell that a photo from before it is not of them (siblings merged: the older one's baby photos filed under
// the younger). Stored as ISO text of that precision: "2019-05-03", "2019-05" or "2019".

/** The earliest year taken as a birth year: a living person's grandparents' grandparents, with room to spare. */
export const FIRST_BIRTH_YEAR = 1800;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** The stored forms: a year, a year and month, or a whole date. */
export const BIRTHDAY_PATTERN = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** What a birthday said by the user reads as, or why it cannot be one, in a sentence. */
export type BirthdayReading = { birthday: string } | { problem: string };

const EXAMPLE = 'Write it as 2019-05-03, 3 May 2019, May 2019 or 2019.';

/**
 * The month names of the language the app runs in ("mai", "März"), beside the English ones, lower case and without a
 * final dot: the field shows a birthday in that language's words, and what it shows must read back.
 */
let localMonths: string[][] | null = null;
function monthNamesHere(): string[][] {
  if (localMonths === null) {
    const forms = (options: Intl.DateTimeFormatOptions) =>
      Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2000, i, 15)).toLocaleDateString(undefined, { ...options, timeZone: 'UTC' }).toLowerCase().replace(/\.$/, ''));
    localMonths = [forms({ month: 'long' }), forms({ month: 'short' }), forms({ day: 'numeric', month: 'long' }).map((d) => d.replace(/[\d.\s]/g, ''))];
  }
  return localMonths;
}

/** The month a word names (a whole name, or its first three letters or more: "Sept", "sept."); null for none. */
function monthOf(word: string): number | null {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return null;
  const index = MONTHS.findIndex((m) => m.startsWith(w));
  if (index !== -1) return index + 1;
  for (const names of monthNamesHere()) {
    const here = names.findIndex((m) => m === w || (w.length >= 3 && m.startsWith(w)));
    if (here !== -1) return here + 1;
  }
  return null;
}

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * Reads a birthday as the user writes it: "2019-05-03", "2019/05/03", "2019-05", "2019", "3 May 2019", "May 3, 2019",
 * "May 2019", and month names of the app's language too ("3. Mai 2019"). Day and month as numbers that could be either
 * ("03/05/2019") are refused: whether that is March or May depends on the country, and a wrong month is worse than a
 * question; "31/12/2019" can only be one. `today` is the user's date (YYYY-MM-DD): a birthday after it is refused
 * (said in `locale`'s words).
 */
export function readBirthday(text: string, today: string, locale?: string): BirthdayReading {
  const said = text.trim().replace(/\s+/g, ' ');
  if (said === '') return { problem: `A birthday must not be empty. ${EXAMPLE}` };
  let year: number;
  let month: number | null = null;
  let day: number | null = null;
  let m: RegExpMatchArray | null;
  if ((m = said.match(/^(\d{4})(?:([-/.])(\d{1,2})(?:\2(\d{1,2}))?)?$/))) {
    [year, month, day] = [Number(m[1]), m[3] === undefined ? null : Number(m[3]), m[4] === undefined ? null : Number(m[4])];
  } else if ((m = said.match(/^(\d{1,2})\.? ([\p{L}.]+),? (\d{4})$/u)) && monthOf(m[2]!) !== null) {
    [day, month, year] = [Number(m[1]), monthOf(m[2]!), Number(m[3])];
  } else if ((m = said.match(/^([\p{L}.]+) (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/u)) && monthOf(m[1]!) !== null) {
    [month, day, year] = [monthOf(m[1]!), Number(m[2]), Number(m[3])];
  } else if ((m = said.match(/^([\p{L}.]+),? (\d{4})$/u)) && monthOf(m[1]!) !== null) {
    [month, year] = [monthOf(m[1]!), Number(m[2])];
  } else if ((m = said.match(/^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})$/))) {
    // Day and month in either order: read when only one order is a date (31/12), or both say the same (05/05).
    const [a, b] = [Number(m[1]), Number(m[3])];
    year = Number(m[4]);
    if (a === b || (a > 12 && b <= 12)) [day, month] = [a, b];
    else if (b > 12 && a <= 12) [month, day] = [a, b];
    else if (a <= 12 && b <= 12) return { problem: `"${said}" could be read with the day and month either way. ${EXAMPLE}` };
    else return { problem: `"${said}" is not a day of the calendar. ${EXAMPLE}` };
  } else {
    return { problem: `"${said}" is not a date Familiar can read. ${EXAMPLE}` };
  }
  if (year < FIRST_BIRTH_YEAR) return { problem: `${year} is too long ago for a birthday (${FIRST_BIRTH_YEAR} at the earliest).` };
  if (month !== null && (month < 1 || month > 12)) return { problem: `"${said}" has no month ${month}. ${EXAMPLE}` };
  if (day !== null && (day < 1 || day > daysIn(year, month!))) return { problem: `"${said}" is not a day of the calendar. ${EXAMPLE}` };
  const birthday = month === null ? String(year) : day === null ? `${year}-${pad(month)}` : `${year}-${pad(month)}-${pad(day)}`;
  // Compared as text: the stored forms of one precision sort as their dates do, and a prefix is the same period.
  if (birthday > today.slice(0, birthday.length)) return { problem: `${birthdayInWords(birthday, locale)} is after today.` };
  return { birthday };
}

/** Today as the user's calendar has it (YYYY-MM-DD). */
export function localToday(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The latest date it is anywhere on Earth now (UTC+14): the engine's "after today", so a newborn's birthday typed where
 * the day has begun is not refused by an engine whose zone is still on the day before (`familiar serve` elsewhere).
 */
export function latestToday(now: number = Date.now()): string {
  return new Date(now + 14 * 3_600_000).toISOString().slice(0, 10);
}

/** "3 May 2019", "May 2019" or "2019": the birthday in the user's language (a date, never a moment: read in UTC). */
export function birthdayInWords(birthday: string, locale?: string): string {
  const [year, month, day] = birthday.split('-').map(Number);
  if (month === undefined) return String(year);
  const date = new Date(Date.UTC(year!, month - 1, day ?? 1));
  return date.toLocaleDateString(locale, day === undefined ? { year: 'numeric', month: 'long', timeZone: 'UTC' } : { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
}

/** How old someone was: whole years and months, `approximate` when only their birth year is known. */
export interface Age {
  years: number;
  /** Whole months past `years`; 0 when only the year is known. */
  months: number;
  approximate: boolean;
}

/**
 * Whether `date` (a photo's day as its camera's clock had it: "2015-06-12", or "2015-06" or "2015" when only that is
 * known) is before the person was born, for certain: every day it can be is before the first day the birthday can be
 * ("2019" is after "2018-12"; "2019-03" is not after "2019", nor before it).
 */
export function beforeBirth(birthday: string, date: string): boolean {
  const known = Math.min(birthday.length, date.length);
  return date.slice(0, known) < birthday.slice(0, known);
}

/**
 * How old someone born on `birthday` was on `date` (both to the precision known); null when the date is before their
 * birth. With a month alone, they are taken as born on its first; with a year alone on either side, the age is the
 * difference of the years, about.
 */
export function ageOn(birthday: string, date: string): Age | null {
  if (beforeBirth(birthday, date)) return null;
  const [by, bm, bd] = birthday.split('-').map(Number);
  const [y, m, d] = date.split('-').map(Number);
  if (bm === undefined || m === undefined) return { years: Math.max(0, y! - by!), months: 0, approximate: true };
  const whole = (months: number) => {
    const at = Math.max(0, months);
    return { years: Math.floor(at / 12), months: at % 12 };
  };
  const months = (y! - by!) * 12 + (m - bm);
  // A day unknown on either side: the photo may be before or after the day of the month they were born on. Said as
  // about only where that changes the words ("2 years" or "23 months").
  if (d === undefined || bd === undefined) {
    // Born on the first, any day of the photo's month is on or after the day of the month they were born on.
    const [least, most] = [whole(bd === 1 ? months : months - 1), whole(months)];
    const approximate = ageInWords({ ...least, approximate: false }) !== ageInWords({ ...most, approximate: false });
    return approximate ? { ...most, approximate } : { ...most, approximate: false };
  }
  return { ...whole(d < bd ? months - 1 : months), approximate: false };
}

/**
 * An age in words, as people say a child's: "newborn" in the first month, months up to two years ("18 months"), then
 * years ("3 years"). "about 3 years" when only the birth year is known.
 */
export function ageInWords(age: Age): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const months = age.years * 12 + age.months;
  if (age.approximate) return months < 12 ? (age.months === 0 ? 'under a year' : `about ${unit(months, 'month')}`) : months < 24 && age.months > 0 ? `about ${unit(months, 'month')}` : `about ${unit(age.years, 'year')}`;
  if (months === 0) return 'newborn';
  if (months < 24) return unit(months, 'month');
  return unit(age.years, 'year');
}

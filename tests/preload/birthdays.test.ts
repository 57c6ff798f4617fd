// The birthday rule the engine and the app share (preload/birthdays.ts): what a typed birthday reads as, how old
// someone was on a photo's day, and which days are before their birth, with a whole date, a month or a year known.
import { describe, expect, it } from 'vitest';
import { ageInWords, ageOn, beforeBirth, birthdayInWords, readBirthday } from '../../preload/birthdays.js';

const TODAY = '2026-12-07';
const read = (text: string) => readBirthday(text, TODAY);

describe('readBirthday', () => {
  it('reads a birthday as people write it, to the precision they give', () => {
    expect(read('2019-05-03')).toEqual({ birthday: '2019-05-03' });
    expect(read('2019-5-3')).toEqual({ birthday: '2019-05-03' });
    expect(read(' 3 May 2019 ')).toEqual({ birthday: '2019-05-03' });
    expect(read('3 may, 2019')).toEqual({ birthday: '2019-05-03' });
    expect(read('May 3, 2019')).toEqual({ birthday: '2019-05-03' });
    expect(read('May 3rd 2019')).toEqual({ birthday: '2019-05-03' });
    expect(read('Sept. 2019')).toEqual({ birthday: '2019-09' });
    expect(read('December 2026')).toEqual({ birthday: '2026-12' });
    expect(read('2019-11')).toEqual({ birthday: '2019-11' });
    expect(read('1931')).toEqual({ birthday: '1931' });
    expect(read('2026-12-07')).toEqual({ birthday: '2026-12-07' });
    expect(read('2019/05/03')).toEqual({ birthday: '2019-05-03' });
    expect(read('2019.5')).toEqual({ birthday: '2019-05' });
    expect(read('10. May 2010')).toEqual({ birthday: '2010-05-10' });
    // Day and month as numbers: read when only one order is a date, or both orders say the same.
    expect(read('31/12/2019')).toEqual({ birthday: '2019-12-31' });
    expect(read('12/31/2019')).toEqual({ birthday: '2019-12-31' });
    expect(read('05.05.2019')).toEqual({ birthday: '2019-05-05' });
  });

  it('refuses, in a sentence, what is not a birthday or could be read two ways', () => {
    expect(read('')).toEqual({ problem: expect.stringMatching(/^A birthday must not be empty\. Write it as/) });
    expect(read('03/05/2019')).toEqual({ problem: expect.stringMatching(/^"03\/05\/2019" could be read with the day and month either way\./) });
    expect(read('3.5.2019')).toEqual({ problem: expect.stringMatching(/either way/) });
    expect(read('31/13/2019')).toEqual({ problem: expect.stringMatching(/is not a day of the calendar/) });
    expect(read('2019/05-03')).toEqual({ problem: expect.stringMatching(/is not a date Familiar can read/) });
    expect(read('soon')).toEqual({ problem: expect.stringMatching(/^"soon" is not a date Familiar can read\./) });
    expect(read('Ma 2019')).toEqual({ problem: expect.stringMatching(/is not a date Familiar can read/) });
    expect(read('2019-13')).toEqual({ problem: expect.stringMatching(/has no month 13/) });
    expect(read('2019-02-29')).toEqual({ problem: expect.stringMatching(/is not a day of the calendar/) });
    expect(read('2020-02-29')).toEqual({ birthday: '2020-02-29' });
    expect(read('1799')).toEqual({ problem: '1799 is too long ago for a birthday (1800 at the earliest).' });
    expect(read('2026-12-08')).toEqual({ problem: expect.stringMatching(/2026 is after today\.$/) });
    expect(read('2027')).toEqual({ problem: '2027 is after today.' });
  });
});

describe('ages', () => {
  it('counts whole months and years, with a whole birthday', () => {
    expect(ageOn('2019-05-03', '2019-05-03')).toEqual({ years: 0, months: 0, approximate: false });
    expect(ageOn('2019-05-03', '2019-06-02')).toEqual({ years: 0, months: 0, approximate: false });
    expect(ageOn('2019-05-03', '2019-06-03')).toEqual({ years: 0, months: 1, approximate: false });
    expect(ageOn('2019-05-03', '2022-05-02')).toEqual({ years: 2, months: 11, approximate: false });
    expect(ageOn('2019-05-03', '2022-05-03')).toEqual({ years: 3, months: 0, approximate: false });
    expect(ageOn('2019-05-03', '2019-05-02')).toBeNull();
  });

  it('says an age as about where a day unknown on either side changes the words, and a year alone always', () => {
    // Born in May 2019, on 30 April 2020 they were 10 or 11 months old; in May 2021 "2 years" or "23 months".
    expect(ageOn('2019-05', '2020-04-30')).toEqual({ years: 0, months: 11, approximate: true });
    expect(ageOn('2019-05-20', '2020-05')).toEqual({ years: 1, months: 0, approximate: true });
    expect(ageOn('2019-05-03', '2021-05')).toEqual({ years: 2, months: 0, approximate: true });
    // Born on the first: every day of a month is past it.
    expect(ageOn('2024-03-01', '2024-04')).toEqual({ years: 0, months: 1, approximate: false });
    // "5 years" either way.
    expect(ageOn('2019-05-03', '2024-09')).toEqual({ years: 5, months: 4, approximate: false });
    expect(ageOn('2019-05', '2024-09-10')).toEqual({ years: 5, months: 4, approximate: false });
    expect(ageOn('2019', '2022-01-01')).toEqual({ years: 3, months: 0, approximate: true });
    expect(ageOn('2019-05-03', '2022')).toEqual({ years: 3, months: 0, approximate: true });
    expect(ageOn('2019', '2019-12-31')).toEqual({ years: 0, months: 0, approximate: true });
  });

  it('says an age as people say a child’s', () => {
    expect(ageInWords({ years: 0, months: 0, approximate: false })).toBe('newborn');
    expect(ageInWords({ years: 0, months: 1, approximate: false })).toBe('1 month');
    expect(ageInWords({ years: 1, months: 6, approximate: false })).toBe('18 months');
    expect(ageInWords({ years: 2, months: 0, approximate: false })).toBe('2 years');
    expect(ageInWords({ years: 41, months: 11, approximate: false })).toBe('41 years');
    expect(ageInWords({ years: 1, months: 0, approximate: true })).toBe('about 1 year');
    expect(ageInWords({ years: 0, months: 0, approximate: true })).toBe('under a year');
    expect(ageInWords({ years: 0, months: 11, approximate: true })).toBe('about 11 months');
    expect(ageInWords({ years: 1, months: 0, approximate: true })).toBe('about 1 year');
    expect(ageInWords({ years: 1, months: 3, approximate: true })).toBe('about 15 months');
    expect(ageInWords({ years: 2, months: 0, approximate: true })).toBe('about 2 years');
  });
});

describe('beforeBirth', () => {
  it('is sure only when every day the photo can be is before every day the birthday can be', () => {
    expect(beforeBirth('2019-05-03', '2019-05-02')).toBe(true);
    expect(beforeBirth('2019-05-03', '2019-05-03')).toBe(false);
    expect(beforeBirth('2019-05-03', '2019-05')).toBe(false);
    expect(beforeBirth('2019-05-03', '2019-04')).toBe(true);
    expect(beforeBirth('2019-05-03', '2019')).toBe(false);
    expect(beforeBirth('2019', '2018-12-31')).toBe(true);
    expect(beforeBirth('2019', '2019-01-01')).toBe(false);
    expect(beforeBirth('2019-05', '2019-04-30')).toBe(true);
    expect(beforeBirth('2019-05', '2019-05-01')).toBe(false);
  });
});

describe('birthdayInWords', () => {
  it('says as much as is known', () => {
    expect(birthdayInWords('2019-05-03', 'en-GB')).toBe('3 May 2019');
    expect(birthdayInWords('2019-05-03', 'en-US')).toBe('May 3, 2019');
    expect(birthdayInWords('2019-05', 'en-GB')).toBe('May 2019');
    expect(birthdayInWords('1931', 'en-GB')).toBe('1931');
  });
});

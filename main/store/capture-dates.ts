// Which capture dates are a camera's clock and which a clock never set or set wrong: read by the import
// (main/library/decode.ts) and by the upgrade that forgets the wrong ones an older build stored (upgrades.ts).

/** The oldest photograph is from 1826: an earlier year is a clock never set ("0000:00:00 00:00:00"). */
export const FIRST_PHOTO_YEAR = 1826;
/**
 * Year 9998 and later is a clock set wrong ("9999:12:31"), and past what the grid reads as a date (main/api/months.ts
 * clockAt, which a zone's hours could carry past 9998): such a photo was filed under "No date" while its tile said
 * "Dec 31, 9999" (a code review). Read as no date, the photo takes its file's date like one that has none.
 */
export const LAST_CLOCK_YEAR = 9997;

/** Whether a camera clock's year is one a photo can have been taken in. */
export const plausibleClockYear = (year: number): boolean => year >= FIRST_PHOTO_YEAR && year <= LAST_CLOCK_YEAR;

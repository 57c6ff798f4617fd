// The months of the Photos grid (photos.timeline): which month a photo was taken in, and runs of months in the grid's
// order. Imports nothing: the renderer's component tests count months as the engine does (tests/renderer/fake-engine.ts).

/**
 * The month a photo was taken, 'YYYY-MM': on the camera's clock where `takenOffset` says its UTC offset
 * (PhotoRecord.takenOffset), else in `timeZone` (an IANA name the caller checked, as the contract does), else in this
 * machine's zone; null without a date the app can read.
 *
 * Why this way: takenAt is an instant. The importer reads the camera's clock in the zone the photo's EXIF names
 * (OffsetTimeOriginal), else as a time in its machine's zone, and keeps that offset with the instant
 * (main/library/decode.ts): takenAt plus takenOffset is the camera's clock, the same wherever the library is served, so
 * a photo taken at 23:30 on 31 October in Paris is in October also for a browser in New York, as its tile says
 * (dateLabel shows it on the same clock), as in Apple and Google Photos.
 * A photo imported before the offset was kept has only the instant. Its month is the renderer's then, so a heading says the
 * month its tile says (shown in the viewer's zone), and it comes from the zone's rules for the photo's own date (Intl),
 * never from one offset for every date: where the renderer and the importer shared a zone, as on the desktop, that
 * gives the camera's clock back exactly, and a photo taken at 23:30 on 31 October stays in October though the offset
 * was another in summer.
 */
export function monthTaken(takenAt: string | null, timeZone?: string, takenOffset?: number | null): string | null {
  if (!takenAt) return null;
  // Away from a month's first and last day no offset (a day at most, as PhotoRecord.takenOffset keeps) moves a UTC
  // time into another month: most photos skip the date arithmetic, which is most of the cost at 100,000 photos.
  if (takenAt.length === 24 && takenAt.endsWith('Z') && takenAt[4] === '-' && takenAt[7] === '-') {
    const [year, month, day] = [Number(takenAt.slice(0, 4)), Number(takenAt.slice(5, 7)), Number(takenAt.slice(8, 10))];
    if (day >= 2 && day < daysIn(year, month)) return takenAt.slice(0, 7);
  }
  const date = new Date(takenAt);
  const utcYear = date.getUTCFullYear();
  // No camera's clock says year 1 or 9999, where a zone could carry the month out of the years 'YYYY' writes.
  if (Number.isNaN(utcYear) || utcYear < 2 || utcYear > 9998) return null;
  if (takenOffset !== undefined && takenOffset !== null) {
    const clock = new Date(date.getTime() + takenOffset * 60_000);
    return `${String(clock.getUTCFullYear()).padStart(4, '0')}-${String(clock.getUTCMonth() + 1).padStart(2, '0')}`;
  }
  if (timeZone === undefined) return `${String(date.getFullYear()).padStart(4, '0')}-${String(date.getMonth() + 1).padStart(2, '0')}`;
  // "03/2019"
  const [month, year] = monthFormat(timeZone).format(date).split('/');
  return `${year.padStart(4, '0')}-${month}`;
}

/**
 * The clock a photo was taken by, in milliseconds as if it were UTC: the camera's where `takenOffset` is known, else
 * as this machine's zone reads `takenAt`, as the importer read the photos it kept no offset for (main/library/import.ts,
 * cameraClock). What the grid sorts by (NewestFirst), so a month is one run of it; null when `takenAt` is no date.
 */
export function clockTaken(takenAt: string, takenOffset?: number | null): number | null {
  const instant = Date.parse(takenAt);
  if (Number.isNaN(instant)) return null;
  return instant + (takenOffset ?? -new Date(instant).getTimezoneOffset()) * 60_000;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const monthFormats = new Map<string, Intl.DateTimeFormat>();
function monthFormat(timeZone: string): Intl.DateTimeFormat {
  let format = monthFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', calendar: 'gregory', numberingSystem: 'latn' });
    // Zones come from callers: a few are kept, not one for every name ever asked.
    if (monthFormats.size >= 16) monthFormats.clear();
    monthFormats.set(timeZone, format);
  }
  return format;
}

/** Photos' months, in list order, as runs of one month each with how many photos each holds (photos.timeline). */
export function monthRuns(months: Iterable<string | null>): Array<{ month: string | null; count: number }> {
  const runs: Array<{ month: string | null; count: number }> = [];
  let last: { month: string | null; count: number } | undefined;
  for (const month of months) {
    if (last?.month === month) last.count++;
    else runs.push((last = { month, count: 1 }));
  }
  return runs;
}

// The months of the Photos grid (photos.timeline): which month a photo was taken in, and runs of months in the grid's
// order. Imports nothing: the renderer's component tests count months as the engine does (tests/renderer/fake-engine.ts).

/**
 * The month a photo was taken, 'YYYY-MM', in `timeZone` (an IANA name the caller checked, as the contract does), else
 * in this machine's zone; null without a date the app can read.
 *
 * Why a time zone, and why this way: takenAt is an instant. The importer reads the camera's clock (EXIF rarely says
 * its zone) as a time in this machine's zone and stores it in UTC (main/library/decode.ts), and the renderer shows
 * each photo's date in its own zone (dateLabel), which differs from this machine's when the app is served to a
 * browser elsewhere (familiar serve). The month is the renderer's, then, so a heading says the month its tiles say.
 * It comes from the zone's rules for the photo's own date (Intl), never from one offset for every date: where the
 * renderer and the importer share a zone, as on the desktop, that gives the camera's clock back exactly, and a photo
 * taken at 23:30 on 31 October stays in October though the offset was another in summer. Where they differ, the
 * camera's clock cannot be had back (the library keeps no importer's zone): the month is the one the tile says.
 */
export function monthTaken(takenAt: string | null, timeZone?: string): string | null {
  if (!takenAt) return null;
  // Away from a month's first and last day no time zone (UTC-12 to UTC+14) moves a UTC time into another month:
  // most photos skip the date arithmetic, which is most of the cost at 100,000 photos.
  if (takenAt.length === 24 && takenAt.endsWith('Z') && takenAt[4] === '-' && takenAt[7] === '-') {
    const [year, month, day] = [Number(takenAt.slice(0, 4)), Number(takenAt.slice(5, 7)), Number(takenAt.slice(8, 10))];
    if (day >= 2 && day < daysIn(year, month)) return takenAt.slice(0, 7);
  }
  const date = new Date(takenAt);
  const utcYear = date.getUTCFullYear();
  // No camera's clock says year 1 or 9999, where a zone could carry the month out of the years 'YYYY' writes.
  if (Number.isNaN(utcYear) || utcYear < 2 || utcYear > 9998) return null;
  if (timeZone === undefined) return `${String(date.getFullYear()).padStart(4, '0')}-${String(date.getMonth() + 1).padStart(2, '0')}`;
  // "03/2019"
  const [month, year] = monthFormat(timeZone).format(date).split('/');
  return `${year.padStart(4, '0')}-${month}`;
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

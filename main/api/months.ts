// The months of the Photos grid (photos.timeline): which month a photo was taken in, and runs of months in the grid's
// order. Imports nothing: the renderer's component tests count months as the engine does (tests/renderer/fake-engine.ts).

/**
 * The month a photo was taken, 'YYYY-MM': the month of the clock the grid sorts it by (clockTaken), so a month is
 * always one run of the grid: on the camera's clock where `takenOffset` says its UTC offset (PhotoRecord.takenOffset),
 * else in `timeZone` (an IANA name the caller checked, as the contract does), else in this machine's zone; null
 * without a date the app can read.
 *
 * Why this way: takenAt is an instant. The importer reads the camera's clock in the zone the photo's EXIF names
 * (OffsetTimeOriginal), else as a time in its machine's zone, and keeps that offset with the instant
 * (main/library/decode.ts): takenAt plus takenOffset is the camera's clock, the same wherever the library is served, so
 * a photo taken at 23:30 on 31 October in Paris is in October also for a browser in New York, as its tile says
 * (dateLabel shows it on the same clock), as in Apple and Google Photos.
 * A photo with only the instant (dated by its file, or imported before the offset was kept) is shown in the viewer's
 * zone (dateLabel): its month is the renderer's then, so a heading says the month its tile says, and it comes from the
 * zone's rules for the photo's own date (Intl), never from one offset for every date: where the renderer and the
 * importer shared a zone, as on the desktop, that gives the camera's clock back exactly, and a photo taken at 23:30 on
 * 31 October stays in October though the offset was another in summer.
 */
export function monthTaken(takenAt: string | null, timeZone?: string, takenOffset?: number | null): string | null {
  if (!takenAt) return null;
  // Away from a month's first and last day no offset (a day at most, as PhotoRecord.takenOffset keeps and zones have)
  // moves a UTC time into another month: most photos skip the date arithmetic, which is most of the cost at 100,000 photos.
  if (takenAt.length === 24 && takenAt.endsWith('Z') && takenAt[4] === '-' && takenAt[7] === '-') {
    const [year, month, day] = [Number(takenAt.slice(0, 4)), Number(takenAt.slice(5, 7)), Number(takenAt.slice(8, 10))];
    if (day >= 2 && day < daysIn(year, month)) return takenAt.slice(0, 7);
  }
  const clock = clockTaken(takenAt, takenOffset, timeZone);
  if (clock === null) return null;
  const date = new Date(clock);
  return `${String(date.getUTCFullYear()).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * The clock a photo was taken by, in milliseconds as if it were UTC: the camera's where `takenOffset` is known, else
 * `timeZone`'s clock at that instant (the renderer's, which shows such a photo's date in its own zone: dateLabel), else
 * this machine's. What the grid sorts by (NewestFirst) and counts months on (monthTaken), so a month is one run of it
 * and the dates the tiles say read in order; null when `takenAt` is no date the app can read.
 */
export function clockTaken(takenAt: string, takenOffset?: number | null, timeZone?: string): number | null {
  return clockAt(Date.parse(takenAt), takenOffset, timeZone);
}

/** clockTaken of an instant in milliseconds (NaN: no date): for dates kept as numbers (main/api/photo-dates.ts). */
export function clockAt(instant: number, takenOffset?: number | null, timeZone?: string): number | null {
  if (Number.isNaN(instant)) return null;
  // No camera's clock says year 1 or 9999, where a zone could carry the month out of the years 'YYYY' writes.
  const utcYear = new Date(instant).getUTCFullYear();
  if (utcYear < 2 || utcYear > 9998) return null;
  if (takenOffset !== undefined && takenOffset !== null) return instant + takenOffset * 60_000;
  if (timeZone === undefined) return instant - new Date(instant).getTimezoneOffset() * 60_000;
  return instant + zoneOffsetMs(instant, timeZone);
}

const DAY_MS = 86_400_000;

/**
 * How far `timeZone`'s clock is ahead of UTC at `instant`, in milliseconds. Intl is slow (16 µs a date: 1.6 s for
 * 100,000 photos), so the offset is looked up once a day (UTC) and kept: a day that starts and ends on one offset has
 * it all day (no zone changes its clock twice in a day); only a day with a clock change asks Intl for the instant.
 */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const zone = zoneClock(timeZone);
  const dayStart = Math.floor(instant / DAY_MS) * DAY_MS;
  const atDayStart = zone.offsetAtDay(dayStart);
  return atDayStart === zone.offsetAtDay(dayStart + DAY_MS) ? atDayStart : zone.offsetAt(instant);
}

interface ZoneClock {
  offsetAt(instant: number): number;
  /** offsetAt at the start of a UTC day, kept. */
  offsetAtDay(dayStart: number): number;
}

const zoneClocks = new Map<string, ZoneClock>();
function zoneClock(timeZone: string): ZoneClock {
  let zone = zoneClocks.get(timeZone);
  if (!zone) {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      calendar: 'gregory',
      numberingSystem: 'latn',
    });
    const days = new Map<number, number>();
    const offsetAt = (instant: number): number => {
      const second = Math.floor(instant / 1000) * 1000;
      const fields: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
      for (const part of format.formatToParts(second)) if (part.type !== 'literal') fields[part.type] = Number(part.value);
      const clock = new Date(0);
      clock.setUTCFullYear(fields.year ?? 1970, (fields.month ?? 1) - 1, fields.day ?? 1);
      clock.setUTCHours(fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0, 0);
      return clock.getTime() - second;
    };
    zone = {
      offsetAt,
      offsetAtDay: (dayStart) => {
        let offset = days.get(dayStart);
        if (offset === undefined) {
          // Twenty years of photos are 7,300 days: a library's worth is kept, not every day ever asked.
          if (days.size >= 100_000) days.clear();
          days.set(dayStart, (offset = offsetAt(dayStart)));
        }
        return offset;
      },
    };
    // Zones come from callers: a few are kept, not one for every name ever asked.
    if (zoneClocks.size >= 16) zoneClocks.clear();
    zoneClocks.set(timeZone, zone);
  }
  return zone;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
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

// The Photos screen's timeline: month headings over the grid and the date scrubber beside it, from the engine's
// month counts (photos.timeline), which follow the grid's order newest first, the photos with no date last.
import type { TimelineMonth } from '../../preload/contract.js';

/**
 * The user's time zone, for the engine to sort and count the months in of the photos whose camera's UTC offset is not
 * known (the others are in their camera's month, on the clock their tiles show): the app may be served from a machine
 * in another (familiar serve), and such a photo's tile says its date in this one (dateLabel with this zone).
 * UTC where the browser names none: the engine, told nothing, sorted them on its own clock while their tiles said the
 * browser's, and UTC is the one zone every browser can write dates in.
 */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * "March 2019", in the user's language as dateLabel (format.ts) writes dates; "2019" for the photos known only to
 * their year (a folder "2019" dates them, TimelineMonth); "No date" for the undated photos.
 */
export function monthLabel(month: string | null): string {
  if (month && /^\d{4}$/.test(month)) return month;
  const match = month ? /^(\d{4})-(\d{2})$/.exec(month) : null;
  if (!match) return 'No date';
  const date = new Date(2000, Number(match[2]) - 1, 1);
  date.setFullYear(Number(match[1]));
  return date.toLocaleDateString(undefined, { year: 'numeric', month: 'long' });
}

/** "2019", or "No date". */
export function yearLabel(month: string | null): string {
  return month && /^\d{4}(-|$)/.test(month) ? month.slice(0, 4) : 'No date';
}

export interface YearMark {
  /** The year's first month, an index into the months. */
  month: number;
  label: string;
  /** Where the year starts on the scrubber, in pixels from its top. */
  y: number;
  /** Whether its label is shown: a year too close to a label shown gets a dot instead. */
  labelled: boolean;
  /** Whether its dot is drawn, for a year without its label: not where it would sit on a label. */
  dot: boolean;
}

/**
 * The scrubber's years, each where its first month starts in the grid (`tops`, out of `total` pixels), scaled to
 * a scrubber `height` pixels high. Labels need `spacing` pixels each: a year of a few photos squeezed between two
 * busy ones shows as a dot, as in Immich, and the label under it waits for room. The last label (the oldest year,
 * or "No date") always has its room, moved up from the bottom edge if need be, and the labels above give way to it:
 * the photos with no date are a few at the end, and their label had become a bare dot (QA).
 */
export function yearMarks(months: readonly TimelineMonth[], tops: readonly number[], total: number, height: number, spacing = 18): YearMark[] {
  const marks: YearMark[] = [];
  months.forEach((month, index) => {
    const label = yearLabel(month.month);
    if (index > 0 && label === yearLabel(months[index - 1].month)) return;
    marks.push({ month: index, label, y: total > 0 ? ((tops[index] ?? 0) / total) * height : 0, labelled: false, dot: false });
  });
  const last = marks.at(-1);
  // Where the labels above the last must end; a strip too short for one label has none.
  let end = height + 1;
  if (last && height >= spacing) {
    last.y = Math.min(last.y, height - spacing);
    last.labelled = true;
    end = last.y;
  }
  let free = 0;
  for (const mark of marks.slice(0, -1)) {
    mark.labelled = mark.y >= free && mark.y + spacing <= end;
    if (mark.labelled) free = mark.y + spacing;
  }
  const labels = marks.filter((m) => m.labelled);
  for (const mark of marks) mark.dot = !mark.labelled && labels.every((l) => Math.abs(mark.y - l.y) >= spacing / 2);
  return marks;
}

/**
 * Where Page Down (`direction` 1) goes from `month`: the next year's first month (the last month in the last year).
 * Page Up (-1): this year's first month, or the year before's from there.
 */
export function yearStep(months: readonly TimelineMonth[], month: number, direction: 1 | -1): number {
  const year = (index: number) => yearLabel(months[index].month);
  if (direction === 1) {
    let next = month;
    while (next < months.length - 1 && year(next) === year(month)) next++;
    return next;
  }
  let start = month;
  // Already on a year's first month: to the first month of the year before.
  if (start > 0 && year(start - 1) !== year(start)) start--;
  while (start > 0 && year(start - 1) === year(start)) start--;
  return start;
}

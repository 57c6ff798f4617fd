// The Photos screen's timeline: month headings over the grid and the date scrubber beside it, from the engine's
// month counts (photos.timeline), which follow the grid's order newest first, the photos with no date last.
import type { TimelineMonth } from '../../preload/contract.js';

/** "March 2019", in the user's language as dateLabel (format.ts) writes dates; "No date" for the undated photos. */
export function monthLabel(month: string | null): string {
  const match = month ? /^(\d{4})-(\d{2})$/.exec(month) : null;
  if (!match) return 'No date';
  const date = new Date(2000, Number(match[2]) - 1, 1);
  date.setFullYear(Number(match[1]));
  return date.toLocaleDateString(undefined, { year: 'numeric', month: 'long' });
}

/** "2019", or "No date". */
export function yearLabel(month: string | null): string {
  return month && /^\d{4}-/.test(month) ? month.slice(0, 4) : 'No date';
}

export interface YearMark {
  /** The year's first month, an index into the months. */
  month: number;
  label: string;
  /** Where the year starts on the scrubber, in pixels from its top. */
  y: number;
  /** Whether its label is shown: a year too close below the last one shown gets a dot instead. */
  labelled: boolean;
}

/**
 * The scrubber's years, each where its first month starts in the grid (`tops`, out of `total` pixels), scaled to
 * a scrubber `height` pixels high. Labels need `spacing` pixels each: a year of a few photos squeezed between two
 * busy ones shows as a dot, as in Immich, and the label under it waits for room.
 */
export function yearMarks(months: readonly TimelineMonth[], tops: readonly number[], total: number, height: number, spacing = 18): YearMark[] {
  const marks: YearMark[] = [];
  let free = 0;
  months.forEach((month, index) => {
    const label = yearLabel(month.month);
    if (index > 0 && label === yearLabel(months[index - 1].month)) return;
    const y = total > 0 ? ((tops[index] ?? 0) / total) * height : 0;
    const labelled = y >= free && y + spacing <= height + 1;
    if (labelled) free = y + spacing;
    marks.push({ month: index, label, y, labelled });
  });
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

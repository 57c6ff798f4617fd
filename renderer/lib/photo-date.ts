// When a photo was taken, as the grid's tiles and the viewer say it: the camera's date, else the date its file name,
// a folder or its file's time gives it (PhotoSummary.fileDate and fileDateFrom, main/api/photo-dates.ts), saying
// which, and no more of it than is known: "2015" for a photo known only to its year, not a day made up.
import { dateLabel } from './format.js';
import { monthLabel } from './timeline.js';
import type { PhotoSummary } from './types.js';

type Dated = Pick<PhotoSummary, 'takenAt' | 'takenOffset' | 'fileDate' | 'fileDateFrom'>;

/**
 * "Jun 12, 2015", "June 2015" or "2015"; null without a date. `timeZone`: the one the grid was sorted in
 * (localTimeZone), which a file's time is shown in; a date from the path is on the clock it states (written as UTC).
 */
export function photoDateLabel(photo: Dated, timeZone?: string): string | null {
  if (photo.takenAt) return dateLabel(photo.takenAt, photo.takenOffset, timeZone);
  const from = photo.fileDateFrom;
  if (!photo.fileDate) return null;
  if (from?.knownTo === 'year') return photo.fileDate.slice(0, 4);
  if (from?.knownTo === 'month') return monthLabel(photo.fileDate.slice(0, 7));
  // A file's time a folder's date agrees with is on the clock of the machine that read it, as a path's date is.
  return dateLabel(photo.fileDate, from && (from.source !== 'file' || from.folder !== null) ? 0 : null, timeZone);
}

const SPAN = { day: 'date', month: 'month', year: 'year' } as const;

/**
 * Where the date of a photo without a camera date is from, as the viewer says it: "date from the file name", "year
 * from the folder “2015”", "date of the file: …"; null for a camera's date or none.
 */
export function fileDateSource(photo: Dated): string | null {
  const from = photo.fileDateFrom;
  if (photo.takenAt || !photo.fileDate) return null;
  if (from?.source === 'name') return 'date from the file name';
  if (from?.source === 'folder') return `${SPAN[from.knownTo]} from the folder “${from.folder}”`;
  if (from?.folder) return `date of the file, which its folder “${from.folder}” agrees with`;
  return 'date of the file: the photo does not say when it was taken';
}

/** The same, short, after the date on a tile: "the file name's date", "the folder's year", "the file's date". */
export function fileDateSourceShort(photo: Dated): string | null {
  const from = photo.fileDateFrom;
  if (photo.takenAt || !photo.fileDate) return null;
  if (from?.source === 'name') return "the file name's date";
  if (from?.source === 'folder') return `the folder's ${SPAN[from.knownTo]}`;
  return "the file's date";
}

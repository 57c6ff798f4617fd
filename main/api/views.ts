// Library records -> the contract's result shapes. Image fields become opaque refs (thumb/<faceId>,
// preview/<photoId>, photo/<photoId>), never paths, so nothing the renderer receives names a file.
import type {
  FaceSummary,
  PersonSummary,
  PhotoDetail,
  PhotoSummary,
} from '../../preload/contract.js';
import { isForReview, unrecognisable } from '../people/library.js';
import type { PersonView } from '../people/types.js';
import type { FaceRecord, PhotoRecord } from '../store/types.js';

export interface NameLookup {
  nameOf(personId: string): string | null;
  /** The face's photo, for what a summary says about the face itself (its size there). */
  photoOf(photoId: string): PhotoRecord | undefined;
}

export const thumbRef = (faceId: string) => `thumb/${faceId}`;
export const previewRef = (photoId: string) => `preview/${photoId}`;
export const photoRef = (photoId: string) => `photo/${photoId}`;
/** The photo past PHOTO_MAX_EDGE's pixels (main/api/files.ts), when it has more. */
export const fullPhotoRef = (photo: PhotoRecord) => (Math.max(photo.width, photo.height) > PHOTO_MAX_EDGE ? `full/${photo.id}` : null);

export function faceSummary(face: FaceRecord, names: NameLookup): FaceSummary {
  return {
    id: face.id,
    photoId: face.photoId,
    box: face.box,
    score: face.score,
    personId: face.personId,
    personName: face.personId ? names.nameOf(face.personId) : null,
    assignedBy: face.assignedBy,
    faceness: face.faceness,
    unrecognisable: isForReview(face) ? 'not-a-face' : unrecognisable(face, names.photoOf(face.photoId)),
    thumb: thumbRef(face.id),
  };
}

/** `toCheck`: the person's faces that look unlike their confirmed ones (main/people/least-alike.ts). */
export function personSummary(person: PersonView, toCheck: number): PersonSummary {
  return {
    id: person.id,
    name: person.name,
    faceCount: person.faceCount,
    photoCount: person.photoCount,
    coverFaceId: person.coverFaceId,
    cover: person.coverFaceId ? thumbRef(person.coverFaceId) : null,
    hidden: person.hidden,
    toCheck,
    confirmedCount: person.confirmedCount,
  };
}

export function photoSummary(photo: PhotoRecord, faces: readonly FaceRecord[], names: Pick<NameLookup, 'nameOf'>): PhotoSummary {
  const people = [...faces].sort((a, b) => a.box[0] - b.box[0]).flatMap((f) => (f.personId ? [names.nameOf(f.personId)] : []));
  return {
    id: photo.id,
    width: photo.width,
    height: photo.height,
    takenAt: photo.takenAt,
    missing: photo.missing,
    faceCount: photo.faceIds.length,
    people: [...new Set(people.filter((n): n is string => n !== null))],
    preview: previewRef(photo.id),
    focus: facesFocus(photo, faces),
  };
}

/** The middle of the box around every face, in shares of the photo's width and height. */
function facesFocus(photo: PhotoRecord, faces: readonly FaceRecord[]): { x: number; y: number } | null {
  if (faces.length === 0) return null;
  const left = Math.min(...faces.map((f) => f.box[0]));
  const top = Math.min(...faces.map((f) => f.box[1]));
  const right = Math.max(...faces.map((f) => f.box[0] + f.box[2]));
  const bottom = Math.max(...faces.map((f) => f.box[1] + f.box[3]));
  const share = (value: number, of: number) => Math.round(Math.min(1, Math.max(0, value / Math.max(1, of))) * 1000) / 1000;
  return { x: share((left + right) / 2, photo.width), y: share((top + bottom) / 2, photo.height) };
}

export function photoDetail(photo: PhotoRecord, faces: readonly FaceRecord[], names: NameLookup): PhotoDetail {
  return {
    ...photoSummary(photo, faces, names),
    paths: photo.paths,
    format: photo.format,
    bytes: photo.bytes,
    image: photoRef(photo.id),
    fullImage: fullPhotoRef(photo),
    faces: faces.map((f) => faceSummary(f, names)),
  };
}

/** Newest first by capture date; undated photos after dated ones; id breaks ties so pages are stable. */
export function byTakenAtDesc(a: PhotoRecord, b: PhotoRecord): number {
  if (a.takenAt !== b.takenAt) {
    if (a.takenAt === null) return 1;
    if (b.takenAt === null) return -1;
    return b.takenAt.localeCompare(a.takenAt);
  }
  return a.id.localeCompare(b.id);
}

/**
 * The month a photo was taken, 'YYYY-MM', as its tile reads it: the importer stores the capture time in UTC
 * (toISOString of the camera's local time read in this machine's zone), and the app shows it in local time, so the
 * month is the local one. null without a date the app can read.
 */
export function monthTaken(takenAt: string | null): string | null {
  if (!takenAt) return null;
  // Away from a month's first and last day no time zone (UTC-12 to UTC+14) moves a UTC time into another month:
  // most photos skip the date arithmetic, which is most of the cost at 100,000 photos.
  const day = Number(takenAt.slice(8, 10));
  if (day >= 2 && day <= 27 && takenAt.length === 24 && takenAt.endsWith('Z') && takenAt[4] === '-' && takenAt[7] === '-') return takenAt.slice(0, 7);
  const date = new Date(takenAt);
  const year = date.getFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) return null;
  return `${String(year).padStart(4, '0')}-${String(date.getMonth() + 1).padStart(2, '0')}`;
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

export function page<T>(items: readonly T[], offset: number, limit: number): T[] {
  return items.slice(offset, offset + limit);
}

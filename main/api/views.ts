// Library records -> the contract's result shapes. Image fields become opaque refs (thumb/<faceId>,
// preview/<photoId>, photo/<photoId>), never paths, so nothing the renderer receives names a file.
import type {
  FaceSummary,
  PersonSummary,
  PhotoDetail,
  PhotoSummary,
} from '../../preload/contract.js';
import { isForReview, someoneElseIn, unrecognisable } from '../people/library.js';
import { PHOTO_MAX_EDGE } from './files.js';
import type { PersonView } from '../people/types.js';
import type { FaceRecord, PhotoRecord } from '../store/types.js';
import { clockTaken, monthTaken } from './months.js';
import { PhotoDates, type PhotoDating } from './photo-dates.js';

export { fileDate } from './photo-dates.js';

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

/**
 * `movedFrom`: of the face's rejections, those a move away made (main/people/moved-away.ts movedAwayFrom), for what is
 * said of them; handlers.ts faceSummariesOf works them out for a list of faces.
 */
export function faceSummary(face: FaceRecord, names: NameLookup, movedFrom?: readonly string[]): FaceSummary {
  const notPersonNames = face.rejectedPersonIds.flatMap((id) => names.nameOf(id) ?? []);
  const movedFromPersonNames = movedFrom?.flatMap((id) => names.nameOf(id) ?? []) ?? [];
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
    ...(face.rejectedPersonIds.length ? { notPersonIds: [...face.rejectedPersonIds] } : {}),
    ...(notPersonNames.length ? { notPersonNames } : {}),
    ...(movedFrom?.length ? { movedFromPersonIds: [...movedFrom] } : {}),
    ...(movedFromPersonNames.length ? { movedFromPersonNames } : {}),
  };
}

/**
 * `toCheck`: the person's faces that look unlike their confirmed ones (main/people/least-alike.ts). `mayBeTwoPeople`:
 * their kept "two people" verdict (main/people/two-people-verdicts.ts).
 */
export function personSummary(person: PersonView, toCheck: number, mayBeTwoPeople: boolean, notPersonIds?: readonly string[]): PersonSummary {
  return {
    ...(notPersonIds?.length ? { notPersonIds: [...notPersonIds] } : {}),
    id: person.id,
    name: person.name,
    faceCount: person.faceCount,
    photoCount: person.photoCount,
    coverFaceId: person.coverFaceId,
    cover: person.coverFaceId ? thumbRef(person.coverFaceId) : null,
    hidden: person.hidden,
    toCheck,
    confirmedCount: person.confirmedCount,
    mayBeTwoPeople,
    ...(person.birthday !== undefined ? { birthday: person.birthday } : {}),
  };
}

/**
 * For each person or group, the people most of its faces were said not to be (more than half, as naming the group so
 * is refused: main/people/decisions.ts, namePerson). One walk over every face.
 */
export function saidNotByPerson(faces: readonly FaceRecord[]): Map<string, string[]> {
  const counts = new Map<string, { faces: number; not: Map<string, number> }>();
  for (const f of faces) {
    if (f.personId === null) continue;
    let entry = counts.get(f.personId);
    if (!entry) counts.set(f.personId, (entry = { faces: 0, not: new Map() }));
    entry.faces++;
    for (const id of f.rejectedPersonIds) entry.not.set(id, (entry.not.get(id) ?? 0) + 1);
  }
  const out = new Map<string, string[]>();
  for (const [personId, { faces: total, not }] of counts) {
    const most = [...not].filter(([, n]) => n * 2 > total).map(([id]) => id);
    if (most.length > 0) out.set(personId, most);
  }
  return out;
}

/** `dates`: the handlers' for the library's revision (PhotoDates), which works each photo's out once. */
export function photoSummary(photo: PhotoRecord, faces: readonly FaceRecord[], names: Pick<NameLookup, 'nameOf'>, dates: PhotoDates = new PhotoDates()): PhotoSummary {
  const dating = dates.of(photo);
  const people = [...faces].sort((a, b) => a.box[0] - b.box[0]).flatMap((f) => (f.personId ? [names.nameOf(f.personId)] : []));
  return {
    id: photo.id,
    width: photo.width,
    height: photo.height,
    takenAt: photo.takenAt,
    takenOffset: photo.takenAt !== null ? (photo.takenOffset ?? null) : null,
    takenOffsetKnown: photo.takenAt !== null && photo.takenOffset !== undefined && photo.takenOffsetKnown === true,
    fileDate: dating?.date ?? null,
    fileDateFrom: dating?.from ?? null,
    missing: photo.missing,
    // The faces given: the photo's, less the boxes the user said hold no face.
    faceCount: faces.length,
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

/** `movedFrom`: by face id, the rejections a move away made (faceSummary). */
export function photoDetail(photo: PhotoRecord, faces: readonly FaceRecord[], names: NameLookup, dates?: PhotoDates, movedFrom?: ReadonlyMap<string, readonly string[]>): PhotoDetail {
  return {
    ...photoSummary(photo, faces, names, dates),
    paths: photo.paths,
    format: photo.format,
    bytes: photo.bytes,
    image: photoRef(photo.id),
    fullImage: fullPhotoRef(photo),
    faces: faces.map((f) => faceSummary(f, names, movedFrom?.get(f.id))),
  };
}

/** The UTC offset of a camera date's clock where the photo says it (PhotoRecord.takenOffset), else null. */
const cameraOffset = (photo: PhotoRecord): number | null => photo.takenOffset ?? null;
/**
 * The number a file's name ends in, before its extension and a copy's " (1)": a camera's or messenger's counter
 * ("IMG-20150612-WA0042.jpg": 42, "scan 7.tif": 7); -1 without one. A number, not the name: compared 100,000 times.
 */
function counterIn(path: string): number {
  const start = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1;
  let end = path.lastIndexOf('.');
  if (end < start) end = path.length;
  if (path.charCodeAt(end - 1) === 41 /* ) */) end = Math.max(start, path.lastIndexOf(' (', end));
  let counter = 0;
  let scale = 1;
  for (let at = end - 1; at >= start && scale < 1e15; at--) {
    const digit = path.charCodeAt(at) - 48;
    if (digit >= 0 && digit <= 9) {
      counter += digit * scale;
      scale *= 10;
    } else if (scale > 1) break;
  }
  return scale === 1 ? -1 : counter;
}

/** The places in both ascending lists (NewestFirst.placesWith and placesWhere: people in a folder), ascending. */
export function placesInBoth(a: readonly number[], b: readonly number[]): number[] {
  const both: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) both.push(a[i++]), j++;
    else if (a[i] < b[j]) i++;
    else j++;
  }
  return both;
}

export function page<T>(items: readonly T[], offset: number, limit: number): T[] {
  return items.slice(offset, offset + limit);
}

/**
 * Every photo newest first (by its camera date, else the date its path or file gives it: PhotoDates, on the clock it
 * was taken by: clockTaken, PhotoDating.clock), and what the Photos grid asks of
 * that order: made once per library revision and time zone (the handlers keep them). The people filter reads each
 * person's photos from an index of their places in the order, built on the first filter of a revision: walking every
 * photo's faces on every page of the grid cost ~100 ms at 100,000 photos (npm run bench:store).
 *
 * `timeZone` is the renderer's (photos.list, photos.timeline): a photo whose camera's offset is not known (dated by its
 * file, or imported before offsets were kept) is sorted and counted in its month on that zone's clock, where its
 * tile shows it (dateLabel); without one, on this machine's. One clock for both, or a month would come apart in the
 * grid (Oct, Sep, Oct with `familiar serve` in UTC and the browser in Tokyo).
 */
export class NewestFirst {
  readonly photos: PhotoRecord[];
  /** Each photo's camera date and the offset of its clock where known, else its PhotoDates dating, in the same order. */
  private readonly taken: Array<string | null>;
  private readonly offsets: Array<number | null>;
  private readonly datings: Array<PhotoDating | null>;
  private placesByPerson: Map<string, number[]> | null = null;
  private monthsInOrder: Array<string | null> | null = null;
  /** Each photo's index in the library's photos, in the same order as `photos`. */
  private readonly indexes: Int32Array;
  /** The places of the photos of the last few folders asked for (placesWhere), by the folder's key. */
  private readonly placesByFolder = new Map<string, number[]>();

  constructor(
    private readonly library: { readonly photos: readonly PhotoRecord[]; facesOfPhoto(photoId: string): readonly FaceRecord[]; photo?(photoId: string): PhotoRecord | undefined },
    private readonly timeZone?: string,
    dates: PhotoDates = new PhotoDates(),
  ) {
    // Newest first by the clock each photo was taken by, so a month (monthTaken) is one run of the grid and the times
    // shown read in order; the undated (and a date that is none) last. Ties: by the number their file names end in,
    // latest first (one day's messenger copies, IMG-…-WA0001 to WA0042, a year's scans, a burst its camera dated to
    // the second: QA saw IMG_0041, 0044, 0043, 0042), else the id, so pages are stable. Each clock is worked out once,
    // not per comparison.
    const datings = dates.ofEach(library.photos);
    const dated = library.photos.map((photo, index) => {
      const offset = photo.takenAt !== null ? cameraOffset(photo) : null;
      const dating = datings[index];
      const clock = photo.takenAt !== null ? clockTaken(photo.takenAt, offset, timeZone) : dating ? dating.clock(timeZone) : null;
      return { photo, index, offset, dating, clock, counter: counterIn(photo.paths[0] ?? '') };
    });
    dated.sort((a, b) => {
      if (a.clock !== b.clock) {
        if (a.clock === null) return 1;
        if (b.clock === null) return -1;
        return b.clock - a.clock;
      }
      if (a.counter !== b.counter) return b.counter - a.counter;
      return a.photo.id.localeCompare(b.photo.id);
    });
    this.photos = dated.map((d) => d.photo);
    this.indexes = Int32Array.from(dated, (d) => d.index);
    this.taken = dated.map((d) => d.photo.takenAt);
    this.offsets = dated.map((d) => d.offset);
    this.datings = dated.map((d) => d.dating);
  }

  /**
   * The places in `photos` (ascending; not to be changed) of the photos with every one of these people, as
   * searchPhotos finds them (main/people/queries.ts); with `only`, with nobody else either (someoneElseIn: a face in
   * nobody's group is someone else, one the user set aside is not). null without people to look for: every photo.
   */
  placesWith(personIds: readonly string[], only: boolean): readonly number[] | null {
    const wanted = new Set(personIds);
    if (wanted.size === 0) return null;
    this.placesByPerson ??= this.indexPeople();
    // The fewest photos are the candidates; each is checked against its own faces.
    let candidates: number[] = [];
    for (const id of wanted) {
      const places = this.placesByPerson.get(id) ?? [];
      if (places.length === 0) return [];
      if (candidates.length === 0 || places.length < candidates.length) candidates = places;
    }
    if (wanted.size === 1 && !only) return candidates;
    return candidates.filter((place) => {
      const faces = this.library.facesOfPhoto(this.photos[place].id);
      if (only && faces.some((f) => someoneElseIn(f, wanted))) return false;
      const present = new Set(faces.map((f) => f.personId));
      for (const id of wanted) if (!present.has(id)) return false;
      return true;
    });
  }

  /**
   * The places in `photos` (ascending; not to be changed) of the photos `holds` keeps, given each photo's index in the
   * library's photos: a folder's (FolderTree.holds), kept under `key` for the grid's later pages, a few folders at a time.
   */
  placesWhere(key: string, holds: (photoIndex: number) => boolean): readonly number[] {
    let places = this.placesByFolder.get(key);
    if (!places) {
      if (this.placesByFolder.size >= 8) this.placesByFolder.clear();
      places = [];
      for (let place = 0; place < this.photos.length; place++) if (holds(this.indexes[place])) places.push(place);
      this.placesByFolder.set(key, places);
    }
    return places;
  }

  /** The index in the library's photos of the photo at `place`: the index FolderTree counts photos by. */
  photoIndex(place: number): number {
    return this.indexes[place];
  }

  /** Each photo's month (monthTaken, on the clock the order is by; 'YYYY' for a photo known only to its year), in order. */
  months(): Array<string | null> {
    this.monthsInOrder ??= this.taken.map((taken, i) => {
      const dating = this.datings[i];
      return dating ? dating.month(this.timeZone) : monthTaken(taken, this.timeZone, this.offsets[i]);
    });
    return this.monthsInOrder;
  }

  /**
   * Whether the photo at `place` is dated by its file's time alone (no camera date, nothing in its path): copying files
   * makes that the copy's date, so no age is said of the month it falls in (TimelineMonth.fileTimesOnly).
   */
  datedByFileTimeOnly(place: number): boolean {
    const dating = this.datings[place];
    return dating !== null && dating !== undefined && dating.from.source === 'file' && dating.from.folder === null;
  }

  /**
   * Each person's photos, as their places in the order, ascending: one walk over every face. A resized copy of a photo
   * in the library (PhotoRecord.copyOf) is not one of them: it is the same picture again, counted once on the People
   * card, and the filter listed it as another (QA: 11 photos of a person whose card said 10).
   */
  private indexPeople(): Map<string, number[]> {
    const index = new Map<string, number[]>();
    this.photos.forEach((photo, place) => {
      if (photo.copyOf && this.library.photo?.(photo.copyOf.photoId)) return;
      for (const face of this.library.facesOfPhoto(photo.id)) {
        if (face.personId === null) continue;
        const places = index.get(face.personId);
        if (!places) index.set(face.personId, [place]);
        else if (places.at(-1) !== place) places.push(place);
      }
    });
    return index;
  }
}

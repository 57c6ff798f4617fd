// Copies of a photo saved smaller or compressed again (an export for sharing, a messenger's copy, a "Best of 2019"
// album made from the phone's photos): their bytes differ, so they are photos of their own (a byte-for-byte copy is
// the same photo at another path: PhotoRecord.paths). Found at the end of an import (models/cluster/resized-copy.ts:
// the pictures' hashes close, their faces the same faces at the same places, and those faces' pixels unchanged in the
// files), each is linked to the photo it is a copy of (PhotoRecord.copyOf):
//  - each face of the copy takes the original's face's place when the user placed it (named, confirmed, moved, "don't
//    ask"), with what else was said of it: one decision, which Undo takes back, parting them; from then on a decision
//    about one face is the other's (people/copy-faces.ts). Links that change no face are made without a decision;
//  - nothing is taken away: the copy stays a photo of the library, in its folder, with its own faces, and the photo
//    viewer says what it is a copy of; those faces count once, as the original's (people/copy-faces.ts,
//    originalFaceOf). "Not a copy" (notACopy) parts them again; what their faces were told stays.
// The photo the library knew first is the original; of two new ones, the one with more pixels.
import { facesUnchanged, pictureHash, resizedCopyFaces, type PicturePixels, type PictureWithFaces } from '../../models/cluster/resized-copy.js';
import { EDITED_FACE_DISTANCE } from '../../models/cluster/same-face.js';
import { cosineDistanceOf } from '../../models/cluster/vectors.js';
import { plural } from '../../preload/contract.js';
import { decide } from '../people/decisions.js';
import { PeopleError } from '../people/library.js';
import { setCopyLinks, type CopyLinks } from '../people/copy-faces.js';
import type { OperationResult } from '../people/types.js';
import type { Library, LibraryTransaction } from '../store/library.js';
import type { CopyOf, FaceRecord, PhotoRecord } from '../store/types.js';
import { decodePhoto } from './decode.js';
import { ProgressTracker, type ProgressListener } from '../jobs/progress.js';

/** Nearest faces looked at for each face of a new photo: a copy's face is the nearest of all, or among them. */
const NEIGHBOURS = 8;

export interface CopiesFound {
  /** Photos linked as copies of others. */
  copies: number;
}

/**
 * A face the user placed: named, confirmed, moved, "don't ask". A face only said "not X" passes that to its copies
 * through their placement, as to any re-saved copy of it (clustering.ts rejectionsOfCopies), and the Undo of that
 * "not" takes it back from them too.
 */
const placedByUser = (f: FaceRecord) => f.assignedBy === 'user';

/**
 * Finds which of `photoIds` (an import's new photos) are copies of other photos of the library, and links them (one
 * undoable decision when a face takes another's place). A photo whose faces the user placed otherwise than the
 * original's is left alone: one of the two is wrong, and neither is taken over the other. The original's picture
 * hash, when it was analysed before hashes were kept, is read from its file now (a file gone: not compared).
 */
export async function linkCopies(library: Library, photoIds: Iterable<string>, options: LinkCopiesOptions = {}): Promise<CopiesFound> {
  const fresh = new Set(photoIds);
  const files = new PixelsRead(library.settings.analysisMaxSide);
  const hashes = new Map<string, string | null>();
  const hashOf = async (photo: PhotoRecord): Promise<string | null> => {
    if (photo.pictureHash) return photo.pictureHash;
    if (!hashes.has(photo.id)) hashes.set(photo.id, await files.of(photo).then((pixels) => pixels && pictureHash(pixels.image)));
    return hashes.get(photo.id)!;
  };
  /** The photo as resizedCopyFaces compares it, with its faces' ids in the same order; null without a hash. */
  const pictureOf = async (photo: PhotoRecord): Promise<(PictureWithFaces & { ids: string[] }) | null> => {
    const hash = await hashOf(photo);
    if (hash === null) return null;
    const faces = library.facesOfPhoto(photo.id);
    return {
      width: photo.width,
      height: photo.height,
      hash,
      faces: faces.map((f) => ({ box: f.box, landmarks: f.landmarks, vector: vectorOf(library, f), side: f.analysedSide ?? Math.min(f.box[2], f.box[3]) })),
      ids: faces.map((f) => f.id),
    };
  };
  // Known photos before new ones, larger before smaller: an original is linked (to its own original) before its copies.
  const rank = (p: PhotoRecord) => [fresh.has(p.id) ? 1 : 0, -(p.width * p.height), -p.bytes, p.id] as const;
  const before = (a: PhotoRecord, b: PhotoRecord) => {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i];
    return false;
  };
  const candidates = [...fresh]
    .map((id) => library.photo(id))
    .filter((p): p is PhotoRecord => p !== undefined && !p.copyOf && p.pictureHash !== undefined && library.facesOfPhoto(p.id).length > 0)
    .sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  const links = new Map<string, CopyOf>();
  const progress = copiesProgress(options.onProgress, candidates.length);
  for (const [checked, photo] of candidates.entries()) {
    progress.checking(checked);
    // Stopped (Familiar closing): the copies found so far are linked; the rest stay photos of their own.
    if (options.signal?.aborted) break;
    const picture = await pictureOf(photo);
    if (!picture) continue;
    for (const original of originalsNear(library, photo).filter((o) => before(o, photo))) {
      const seen = await pictureOf(original);
      const pairs = seen && resizedCopyFaces(seen, picture);
      if (!pairs || !(await unchangedInFiles(files, original, seen, photo, pairs))) continue;
      // A copy of a copy is linked to the first photo, through the faces of the one between.
      const through = links.get(original.id) ?? original.copyOf;
      const root = through && library.photo(through.photoId) ? through : undefined;
      const faces: Record<string, string> = {};
      for (const [i, j] of pairs) {
        const own = seen.ids[j];
        const to = root ? root.faces[own] : own;
        if (to !== undefined) faces[picture.ids[i]] = to;
      }
      if (Object.keys(faces).length > 0 && agrees(library, faces)) links.set(photo.id, { photoId: root?.photoId ?? original.id, faces });
      break;
    }
  }
  if (!options.signal?.aborted) progress.finished();
  if (links.size === 0) {
    await keepHashes(library, hashes);
    return { copies: 0 };
  }
  const copies: CopyLinks = { made: true, links: [...links].map(([photoId, copyOf]) => ({ photoId, copyOf })) };
  const link = (tx: LibraryTransaction) => tx.put('photos', setCopyLinks(copies, true, (id) => library.photo(id)));
  // Nothing was told of their faces (or the same of both, as of an edited file and the copy that kept the old bytes):
  // linked, with no decision for Undo to stumble on; "Not a copy" parts them.
  if (!copies.links.some(({ copyOf }) => Object.entries(copyOf.faces).some(([c, o]) => toTell(library.face(c), library.face(o)) !== null))) {
    await library.transaction(link);
    await keepHashes(library, hashes);
    return { copies: copies.links.length };
  }
  await decide(library, 'copies', (ctx) => {
    const people = new Set<string>();
    const faceIds: string[] = [];
    link(ctx.tx);
    for (const { copyOf } of copies.links) {
      for (const [copyFace, originalFace] of Object.entries(copyOf.faces)) {
        const telling = toTell(library.face(copyFace), library.face(originalFace));
        if (!telling) continue;
        const { from, to } = telling;
        ctx.touchFace(to);
        to.personId = from.personId;
        to.assignedBy = from.assignedBy;
        to.rejectedPersonIds = [...from.rejectedPersonIds];
        if (from.notAFace) to.notAFace = true;
        else delete to.notAFace;
        faceIds.push(to.id);
        if (to.personId !== null) people.add(to.personId);
      }
    }
    ctx.keep.copies = copies;
    return {
      description: `Found ${copies.links.length === 1 ? 'a photo that is a copy of another' : `${copies.links.length} photos that are copies of others`}, resized or saved again: ${plural(faceIds.length, 'face')} ${faceIds.length === 1 ? 'takes' : 'take'} what you said of the original's.`,
      personIds: [...people],
      faceIds,
    };
  });
  await keepHashes(library, hashes);
  return { copies: copies.links.length };
}

/**
 * Which of a copy's face and its original's face takes the other's place and marks: the copy the original's, or the
 * original the copy's when only the copy's was placed by the user (an import stopped before, whose names were read).
 * Null when nothing is to change.
 */
function toTell(copy: FaceRecord | undefined, original: FaceRecord | undefined): { from: FaceRecord; to: FaceRecord } | null {
  if (!copy || !original) return null;
  // agrees() saw that the user did not place the two apart.
  const [from, to] = placedByUser(original) || !placedByUser(copy) ? [original, copy] : [copy, original];
  const same =
    from.personId === to.personId && from.assignedBy === to.assignedBy && from.rejectedPersonIds.join() === to.rejectedPersonIds.join() && Boolean(from.notAFace) === Boolean(to.notAFace);
  return placedByUser(from) && !same ? { from, to } : null;
}

/**
 * "Not a copy": `photoId` is no longer taken for a copy of the photo it was linked to; their faces keep what they were
 * told, and a decision about one no longer reaches the other. Undo links them again.
 */
export function notACopy(library: Library, photoId: string): Promise<OperationResult> {
  return decide(library, 'not-copy', (ctx) => {
    const photo = library.photo(photoId);
    if (!photo) throw new PeopleError(`No photo "${photoId}" in this library.`);
    if (!photo.copyOf) throw new PeopleError('This photo is not taken for a copy of another.');
    ctx.keep.copies = { made: false, links: [{ photoId, copyOf: structuredClone(photo.copyOf) }] };
    delete photo.copyOf;
    ctx.tx.put('photos', [photo]);
    return { description: 'A photo taken for a copy of another is a photo of its own again.', personIds: [], faceIds: [] };
  });
}

/** The photos (not missing) with a face at an edit's likeness of one of `photo`'s. */
function originalsNear(library: Library, photo: PhotoRecord): PhotoRecord[] {
  const found = new Map<string, PhotoRecord>();
  for (const face of library.facesOfPhoto(photo.id)) {
    const own = vectorOf(library, face);
    if (!own) continue;
    for (const hit of library.search(library.embeddingOf(face), NEIGHBOURS)) {
      const other = library.face(hit.faceId);
      if (!other || other.photoId === photo.id || found.has(other.photoId)) continue;
      const vector = vectorOf(library, other);
      const original = library.photo(other.photoId);
      if (vector && original && !original.missing && cosineDistanceOf(own, vector) <= EDITED_FACE_DISTANCE) found.set(original.id, original);
    }
  }
  return [...found.values()];
}

/** Whether the user did not place two paired faces (copy face id → original face id) with two different people. */
function agrees(library: Library, faces: Record<string, string>): boolean {
  return Object.entries(faces).every(([c, o]) => {
    const [copy, original] = [library.face(c), library.face(o)];
    if (!copy || !original || !placedByUser(copy) || !placedByUser(original)) return true;
    return copy.personId === original.personId && copy.assignedBy === original.assignedBy;
  });
}

function vectorOf(library: Library, face: FaceRecord): Float32Array | null {
  try {
    return library.backboneOf(face);
  } catch {
    return null; // its vector was lost: nothing to compare
  }
}

export interface LinkCopiesOptions {
  /** The import's progress: said only once the check takes a while (files are read for the likely copies). */
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/** How long the check runs unsaid (most imports hold no copy, and it takes a moment), and how often it is said then. */
const COPIES_QUIET_MS = 1000;
const COPIES_SAID_EVERY_MS = 250;

/**
 * Says how far the check for copies is, once it has run COPIES_QUIET_MS: the pixel check reads two files for each
 * likely copy, and an album of a thousand exports showed the import at "Finding faces, 100 %" for a minute or two.
 * `checking(n)` is told before the n-th photo (0-based); `finished()` says "all of them" if anything was said, so
 * the last word is not "999 of 1000".
 */
function copiesProgress(onProgress: ProgressListener | undefined, total: number): { checking(checked: number): void; finished(): void } {
  if (!onProgress || total === 0) return { checking: () => {}, finished: () => {} };
  const started = performance.now();
  let said = -Infinity;
  const tracker = new ProgressTracker('import', onProgress);
  const say = (checked: number) => {
    said = performance.now();
    tracker.report('copies', checked, total, { message: `Comparing the new photos with those they may be copies of: ${checked} of ${total}` });
  };
  return {
    checking: (checked) => {
      const now = performance.now();
      if (now - started < COPIES_QUIET_MS || now - said < COPIES_SAID_EVERY_MS) return;
      say(checked);
    },
    finished: () => {
      if (said > -Infinity) say(total);
    },
  };
}

/**
 * Whether the paired faces look unchanged in the two photos' files (models/cluster/resized-copy.ts, facesUnchanged),
 * read at the size they were analysed at. Read only for the few pairs that passed the other signs; a photo none of
 * whose files reads is not taken for a copy (it stays a photo of its own: nothing lost).
 */
async function unchangedInFiles(files: PixelsRead, original: PhotoRecord, seen: PictureWithFaces, copy: PhotoRecord, pairs: ReadonlyMap<number, number>): Promise<boolean> {
  const [before, now] = [await files.of(original), await files.of(copy)];
  return before !== null && now !== null && facesUnchanged({ ...before, faces: seen.faces }, now, pairs);
}

/** Decoded pictures kept while copies are looked for: an original shared several times is compared with each copy. */
const PICTURES_KEPT = 8;

/**
 * Photos' pixels read from their files at the size they were analysed at, the last few kept: the picture hash of a
 * photo analysed before hashes were kept and its faces' pixels come from one reading, and so do an original's for
 * each of its copies (both used to read the file again).
 */
class PixelsRead {
  private readonly kept = new Map<string, Promise<PicturePixels | null>>();
  constructor(private readonly maxSide: number) {}

  of(photo: PhotoRecord): Promise<PicturePixels | null> {
    let pixels = this.kept.get(photo.id);
    if (pixels) this.kept.delete(photo.id);
    else pixels = pixelsOf(photo, this.maxSide);
    this.kept.set(photo.id, pixels);
    if (this.kept.size > PICTURES_KEPT) this.kept.delete(this.kept.keys().next().value!);
    return pixels;
  }
}

/** A photo's pixels from its first file that reads, with the size its faces' boxes are given in; null when none reads. */
async function pixelsOf(photo: PhotoRecord, maxSide: number): Promise<PicturePixels | null> {
  for (const path of photo.paths) {
    try {
      return { image: (await decodePhoto(path, maxSide)).image, width: photo.width, height: photo.height };
    } catch {
      // gone or unreadable: the next copy, if any
    }
  }
  return null;
}

/** Keeps the hashes read from files, so the next import does not read them again. */
async function keepHashes(library: Library, hashes: ReadonlyMap<string, string | null>): Promise<void> {
  const read = [...hashes].filter((entry): entry is [string, string] => entry[1] !== null);
  if (read.length === 0) return;
  await library.transaction((tx) => {
    const photos = read.flatMap(([id, hash]) => {
      const photo = library.photo(id);
      if (!photo || photo.pictureHash) return [];
      photo.pictureHash = hash;
      return [photo];
    });
    tx.put('photos', photos);
  });
}

/** A photo as the viewer names it: its id and main path (null when it has none left). */
export interface PhotoRef {
  photoId: string;
  path: string | null;
}

/**
 * What `photo` is a copy of (null when none, or its original is no longer in the library), and the photos that are
 * copies of it: the viewer says so, and offers "Not a copy".
 */
export function copyRelations(library: Pick<Library, 'copiesOf' | 'photo'>, photo: PhotoRecord): { copyOf: PhotoRef | null; copies: PhotoRef[] } {
  const ref = (p: PhotoRecord): PhotoRef => ({ photoId: p.id, path: p.paths[0] ?? null });
  const original = photo.copyOf ? library.photo(photo.copyOf.photoId) : undefined;
  return { copyOf: original ? ref(original) : null, copies: library.copiesOf(photo.id).map(ref) };
}

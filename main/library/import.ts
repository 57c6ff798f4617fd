// The import job: scan → hash → (only for photos not yet analysed by the current pipeline) decode → analyse in the
// worker pool → map faces back to original pixels → thumbnails + vectors → commit in small batches.
//
// Commits are small and frequent, so an import killed at any point loses at most the last batch and a re-run picks
// up where it stopped: photos are keyed by content hash, faces by `${photoId.slice(0,16)}-${index}`, and a photo is
// only marked analysed in the same commit that stores its faces.
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { iou } from '../../models/detector.js';
import { EDITED_FACE_DISTANCE, matchFacesByLikeness } from '../../models/cluster/same-face.js';
import { cosineDistanceOf } from '../../models/cluster/vectors.js';
import { pictureHash } from '../../models/cluster/resized-copy.js';
import { turnImage, type AnalyzeOptions } from '../../models/pipeline.js';
import type { Box, DetectedFace, Point, RgbImage } from '../../models/types.js';
import { JobCancelledError, ProgressTracker, type ProgressListener } from '../jobs/progress.js';
import { exactPathRules, insideAnyOf, isInside, onDiskSpellings, pathRules, samePath, uniquePaths, type PathRules } from '../paths.js';
import { isDiskWriteError, writeFileAtomic } from '../store/atomic.js';
import { KEPT_ANALYSES_FILE, type KeptAnalysis, type KeptFace } from '../store/kept-analyses.js';
import { THUMB_DIR, type Library } from '../store/library.js';
import type { FaceRecord, FileStamp, LostFace, PersonRecord, PhotoRecord, Settings } from '../store/types.js';
import { closerLookSide, closerLookTimeFactor, describeSmallFacesAgain, mergeCloserLook } from './closer-look.js';
import { turnedFrame } from './tagged-faces.js';
import { renameFacesInDecisions } from '../people/decisions.js';
import { importStarting } from '../people/interim-groups.js';
import { analysisHolds } from './pipeline-upgrade.js';
import { analysisToKeep, keptAnalysesOf, keptAnalysisHolds, keptDecisionsOf, keptFaces, retireOtherPipelines } from './restore-analysis.js';
import { decodePhoto, readErrorInWords, readPhotoBytes, saysItIsGone, UnreadablePhotoError, type DecodedPhoto } from './decode.js';
import { READ_FORMATS_IN_WORDS } from './formats.js';
import { inWalkOrderOf, lookingForWords, scanFolders, type ScanOptions, type ScannedFile, type SkippedFile } from './scan.js';

/** What the importer needs from the analysis pool (tests count calls through it). */
export interface FaceAnalysisService {
  /** `closerLook`: tiles of a larger decode only (main/library/closer-look.ts); `drawnBox`: a face the user drew. */
  analyze(image: RgbImage, options?: Pick<AnalyzeOptions, 'closerLook' | 'panorama' | 'drawnBox'>): Promise<DetectedFace[]>;
  /** Images analysed at once (worker threads); sets how many files are decoded ahead. */
  readonly size?: number;
}

export interface ImportOptions {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /**
   * Fires when Familiar closes (JobRegistry's `closing`), after a cancel too: the grouping a cancelled import still
   * does stops then, its faces left for the next open. Without it, `signal` aborted with ShuttingDown says so.
   */
  closing?: AbortSignal;
  /** Scan hooks (tests make a folder vanish mid-scan). */
  scan?: Pick<ScanOptions, 'beforeListing'>;
  /** Per-file limit for decode + analysis, seconds. */
  fileTimeoutSeconds?: number;
  /** Files in flight at once (hashing/decoding ahead of the analysis workers); default 4 = two per worker. */
  concurrency?: number;
  /** The closer look at small faces in large photos (main/library/closer-look.ts); default on. Benchmarks turn it off to measure it. */
  closerLook?: boolean;
  /**
   * Analyse again every photo an earlier pipeline analysed, not only those an upgrade changes
   * (main/library/pipeline-upgrade.ts): finds the faces the earlier one missed. Faces found before keep their ids.
   */
  lookAgain?: boolean;
  /** Tests: the platform whose rules tell paths apart (main/paths.ts); process.platform otherwise. */
  platform?: NodeJS.Platform;
  /** After each batch of photos written (the screens follow the import, its faces are grouped so far: main/engine.ts). */
  onStored?: () => void;
}

export interface ImportSummary {
  /** Files that hold a photo another file found in this import holds too (a copy): counted once in `photos`. */
  copies: number;
  /** Distinct photos (contents) found under the folders. */
  photos: number;
  /** Photos the library did not know before. */
  newPhotos: number;
  /** Photos that needed model work this time (new, or analysed by an older pipeline). */
  analysed: number;
  /**
   * New photos that had left the library (a folder removed, missing photos forgotten) and took their faces from what
   * their analysis found then (main/library/restore-analysis.ts): not analysed, not among `analysed`.
   */
  restored: number;
  /**
   * Faces of photos back in the library that took back what the user had said of them when they left it (a name, a
   * confirmation, a "not this person", a face set aside), kept with their analysis (restore-analysis.ts).
   */
  restoredDecisions: number;
  /**
   * Faces the user had said something of whose photo was edited while out of the library (cropped, say), and that the
   * edited photo no longer shows: what was said of them could not be given back (the edited photos count in `edited`).
   */
  keptDecisionsLost: number;
  /** Faces found in the photos analysed or restored this time. */
  faces: number;
  /** Faces in the whole library after the import. */
  totalFaces: number;
  skipped: SkippedFile[];
  /** Photos of the library whose files are all gone (kept with their labels, marked missing). */
  missing: number;
  /**
   * Photos the library knew, found at a path it did not know (moved, renamed, copied from outside the folders imported)
   * and not also where they were: a file copied beside its photo is among the `copies`. Nothing analysed again.
   */
  foundAtNewPaths: number;
  /** Photos whose file was rewritten (metadata written, cropped, retouched) that kept what the user said of their faces. */
  edited: number;
  seconds: number;
  /** What was wrong with the analyses kept of photos that left the library (damaged): their photos were analysed. */
  keptAnalysesProblem: string | null;
  /**
   * Set when the import went through every file and found no photo it could read: the folders or file it was given
   * (as the disk spells them), and when that was one file, why it is no photo Familiar reads. Null otherwise.
   */
  /** `formats`: what this build reads, in words ("JPEG, PNG, … and AVIF"), for the Import screen's sentence. */
  noPhotos: { paths: string[]; fileReason: string | null; formats?: string } | null;
  /**
   * An import that stopped before going through every file: 'cancelled' by the user (after `files` of `of`), or
   * 'interrupted' (Familiar closed or crashed during it; the next open grouped the faces it had kept, and does not
   * know how far it went: null). Null for an import that went through them all, a cancel after the last file too.
   * `grouped: false`: the user cancelled that grouping at the next open; the faces wait for the one after, or the
   * next import (main/engine.ts finishStoppedImport).
   */
  stopped: { how: 'cancelled' | 'interrupted'; files: number | null; of: number | null; grouped?: false } | null;
}

/**
 * What an import reports with each step, beside the files done (JobProgress.detail). `faces` counts the faces this
 * run found; `facesInPhotosRead` those of every photo gone through, the ones imported before included, so it goes
 * with the photo count on a resumed import (QA: "105 of 204 photos, 17 faces"). `library`: the library's counts with
 * the photos analysed but not yet written, so a header showing them agrees with the progress (QA: 76 against 89).
 * `lookAgain`: this run reads photos it read before on purpose (a look again); `readAgain`: the unchanged files of
 * known photos it reads again, a look again's or an upgrade's (the Import screen says so: it said "Familiar reads
 * each photo once" through a look again).
 */
export type ImportProgressDetail = {
  faces: number;
  facesInPhotosRead: number;
  photos: number;
  newPhotos: number;
  analysed: number;
  /** ImportSummary.restored so far. */
  restored: number;
  skipped: number;
  library: { photos: number; faces: number };
  lookAgain: boolean;
  readAgain: number;
};

/** Overlap above which a new detection is the same face as a stored one (re-analysis keeps its id and labels). */
export const SAME_FACE_IOU = 0.5;
/** A batch is committed after this long (what a crash can lose), or sooner when this many photos are pending. */
const BATCH_SECONDS = 2;
const BATCH_MAX_PHOTOS = 32;
/**
 * ...or this many known photos seen at a new path or with a new file date (files touched, a folder moved): each commit
 * is then a line of photos.journal (~0.5 MB) rather than a rewrite of photos.json, and the time between commits, which
 * grows with what the last one cost, cannot hold tens of thousands for one silent commit at the end (QA: a re-import
 * of 100,000 touched files).
 */
const BATCH_MAX_PATHS = 1000;
/**
 * New photos that wait for the last commit (AnalysedPhoto.waitsForFolders) are held up to this many faces in all, their
 * crops in memory (77 KB a face, ~40 MB; counted in faces, not photos, as group photos hold many): beyond it, the first
 * to wait are written with what the files read so far tell (exports of a whole drive unplugged would all wait, and a
 * crash would lose their analyses).
 */
const MAX_WAITING_FACES = 512;
/** ...but never more often than this many times the last commit took, so a large library is not rewritten constantly. */
const COMMIT_COST_FACTOR = 10;
const DEFAULT_FILE_TIMEOUT_SECONDS = 120;
/** Said while the face models load, before the first photo is analysed. */
const STARTING_FACE_FINDER = 'Starting the face finder: a few seconds, once';
/** A systematic failure (not one bad photo) stops the import instead of skipping the whole album. */
const MAX_CONSECUTIVE_ANALYSIS_FAILURES = 5;

interface AnalysedPhoto {
  id: string;
  path: string;
  stamp: FileStamp;
  bytes: number;
  decoded: Omit<DecodedPhoto, 'image'>;
  /** Its picture's perceptual hash (PhotoRecord.pictureHash), taken before the analysis is handed the pixels. */
  pictureHash: string;
  /** The pixels' own hash (PhotoRecord.pixelsHash), taken with it. */
  pixelsHash: string;
  faces: DetectedFace[];
  /** What it adds to the library's counts once written (ImportProgressDetail.library). */
  adds: { photos: number; faces: number };
  /** Quarter turns clockwise from the picture its path held before, when it was found by analysing it turned back (turnedBack). */
  turned?: Quarters;
  /** The gone photo (movedAndEditedFrom) it was found turned from, at a new path: `turned` is from that photo's picture. */
  movedFrom?: string;
  /** Its faces came from the analysis kept when it left the library: their ids' indices, and that analysis's pipeline and date. */
  restored?: { faceIndices: number[]; pipelineVersion: string; analysedAt: string };
  /** What the user said of its faces when it left the library (keptDecisionsOf): the faces found in the same places take it back. */
  keptDecisions?: LostFace[];
  /**
   * The photo whose kept decisions keptDecisions are, when this file is it edited while out of the library
   * (keptEditedAt): its entry is forgotten once this photo is written, with `keptDecisionsLost` of them that no face
   * of the edited picture took back.
   */
  keptFrom?: string;
  keptDecisionsLost?: number;
  /**
   * The kept entry of keptFrom is left for the photo's other paths: its unedited bytes may come back there and take it
   * back whole (a review: a copy elsewhere in the folder came back analysed anew, its names gone, once an edited copy
   * had spent the entry).
   */
  keptForOtherPaths?: true;
  /**
   * A new photo at a new path with a face at an edit's likeness of a photo whose folder is not there: written at the
   * end of the import (or once MAX_WAITING_FACES wait), when every file has been read and the folder's other photos,
   * found elsewhere, tell whether it moved (folderMoved in importFolders).
   */
  waitsForFolders?: true;
}

function hashBytes(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function describeReadError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read it: permission denied';
  if (code === 'ENOENT') return 'it vanished before it could be read';
  if (code === 'EISDIR') return 'it is a folder';
  return `cannot read it: ${readErrorInWords(err)}`;
}

function withTimeout<T>(promise: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UnreadablePhotoError(`${what} took longer than ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** A detected face's box and landmarks in original photo pixels, landmarks as the store keeps them (flat). */
function toOriginal(face: DetectedFace, d: Omit<DecodedPhoto, 'image'>): { box: Box; landmarks: number[] } {
  const [x, y, w, h] = face.box;
  return {
    box: [round(x * d.scaleX, 2), round(y * d.scaleY, 2), round(w * d.scaleX, 2), round(h * d.scaleY, 2)],
    landmarks: face.landmarks.flatMap(([px, py]) => [round(px * d.scaleX, 1), round(py * d.scaleY, 1)]),
  };
}

/** A face the user named, confirmed, rejected or drew: an analysis of its photo that does not find it keeps it. */
const byUser = (f: Pick<FaceRecord, 'assignedBy' | 'drawn'>): boolean => f.assignedBy === 'user' || f.drawn === true;

function sameStamp(a: FileStamp | undefined, b: FileStamp): boolean {
  return a !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** Whether two of the files found are one path in two spellings by `rules`: then the volume tells them apart. */
function spellingsCollide(files: readonly ScannedFile[], rules: PathRules): boolean {
  if (!rules.folds) return false;
  return new Set(files.map((f) => rules.key(f.path))).size !== files.length;
}

/** `stamps` without those of `paths`, however spelt. */
function stampsWithout(stamps: Record<string, FileStamp> | undefined, paths: Iterable<string>, rules: PathRules): Record<string, FileStamp> {
  const gone = new Set([...paths].map(rules.key));
  return Object.fromEntries(Object.entries(stamps ?? {}).filter(([path]) => !gone.has(rules.key(path))));
}

/** `photo` no longer holds `path` (in any spelling): missing once it holds none. */
function losePath(photo: PhotoRecord, path: string, rules: PathRules): void {
  photo.paths = photo.paths.filter((p) => !samePath(p, path, rules));
  if (photo.fileStamps) photo.fileStamps = stampsWithout(photo.fileStamps, [path], rules);
  if (photo.paths.length === 0) photo.missing = true;
}

/**
 * The photos that hold each path, for the commits of one import: built from the library's photos once, when first
 * asked (a re-import of 100,000 touched files built it again from every photo in each commit), then told of the photos
 * each commit changes. Told only of paths gained, it may still name a photo for a path it lost since, or a photo gone:
 * each answer is checked against the photo as it is now.
 */
class PathOwners {
  private ids: Map<string, string[]> | null = null;

  constructor(
    private readonly library: Library,
    private readonly rules: PathRules,
  ) {}

  /** The photos holding `path` in any spelling, as `photoById` has them now, in the library's order, then newest. */
  of(path: string, photoById: (id: string) => PhotoRecord | undefined): PhotoRecord[] {
    if (!this.ids) {
      this.ids = new Map();
      this.note(this.library.photos);
    }
    const key = this.rules.key(path);
    const owners: PhotoRecord[] = [];
    for (const id of this.ids.get(key) ?? []) {
      const photo = photoById(id);
      if (photo?.paths.some((at) => this.rules.key(at) === key)) owners.push(photo);
    }
    return owners;
  }

  /** `photos` hold the paths they list now (until it is first asked, the library says so itself). */
  note(photos: Iterable<PhotoRecord>): void {
    if (!this.ids) return;
    for (const photo of photos) {
      for (const path of photo.paths) {
        const key = this.rules.key(path);
        const ids = this.ids.get(key);
        if (!ids) this.ids.set(key, [photo.id]);
        else if (!ids.includes(photo.id)) ids.push(photo.id);
      }
    }
  }
}

/**
 * A photo's paths, its main one first (PhotoRecord.paths). QA: importing a copy made the copy the photo's path, so the
 * viewer, `familiar search` and the face list named "Best of 2019" for the phone's original. The paths it was known by
 * before keep their order, the first being where it was first seen; those found since follow, the earliest file first
 * (an original is older than the copies made of it), then in the scan's order. Known paths the scan did not find
 * (`gone`) and those of a photo that was missing held nothing: they go last, and leave at the end of the import
 * (settlePaths), the next path taking over.
 */
export function mainPathFirst(
  photo: Pick<PhotoRecord, 'paths' | 'fileStamps'>,
  knownBefore: (path: string) => boolean,
  gone: (path: string) => boolean,
  scanOrder: (path: string) => number,
  wasMissing: boolean,
): string[] {
  const before = photo.paths.filter(knownBefore);
  const since = photo.paths.filter((p) => !knownBefore(p));
  const fileTime = (path: string) => photo.fileStamps?.[path]?.mtimeMs || Infinity;
  since.sort((a, b) => fileTime(a) - fileTime(b) || scanOrder(a) - scanOrder(b));
  const held = wasMissing ? [] : before.filter((p) => !gone(p));
  return [...held, ...since, ...before.filter((p) => !held.includes(p))];
}

/** Two descriptors equal to float32 rounding: the same analysis of the same face. */
function sameVector(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > 1e-6) return false;
  return true;
}

/** Quarter turns clockwise: 0 is as it was. */
export type Quarters = 0 | 1 | 2 | 3;

/**
 * Pixels a lossless turn may trim from a side (jpegtran -trim drops the partial 8- or 16-pixel block at an edge
 * that a turn would move to the top or left).
 */
const TURN_TRIM = 15;

/**
 * The turns that take a picture of `before`'s size to one of `now`'s (0 for the same size, 2 too, 1 and 3 for a
 * picture on its side, every one for a square), a turn allowing for a lossless turn's trim.
 */
export function turnsFitting(before: { width: number; height: number }, now: { width: number; height: number }): Quarters[] {
  const fits = (a: number, b: number) => b <= a && a - b <= TURN_TRIM;
  const same = fits(before.width, now.width) && fits(before.height, now.height);
  const across = fits(before.width, now.height) && fits(before.height, now.width);
  const unchanged = before.width === now.width && before.height === now.height;
  return ([0, 1, 2, 3] as const).filter((q) => (q === 0 ? unchanged : q === 2 ? same : across));
}

/** A point of a `width` x `height` picture where the picture turned `quarters` clockwise shows it. */
export function turnPoint([x, y]: Point, quarters: Quarters, width: number, height: number): Point {
  return quarters === 1 ? [height - y, x] : quarters === 2 ? [width - x, height - y] : quarters === 3 ? [y, width - x] : [x, y];
}

/** A box of a `width` x `height` picture, where the picture turned `quarters` clockwise shows it. */
export function turnBox([x, y, w, h]: Box, quarters: Quarters, width: number, height: number): Box {
  const [ax, ay] = turnPoint([x, y], quarters, width, height);
  const [bx, by] = turnPoint([x + w, y + h], quarters, width, height);
  return [round(Math.min(ax, bx), 2), round(Math.min(ay, by), 2), round(Math.abs(bx - ax), 2), round(Math.abs(by - ay), 2)];
}

/** The face vector of a stored face, or null when it was lost (PhotoRecord.lostFaces): nothing to compare. */
function storedVectorOf(library: Library): (face: FaceRecord) => Float32Array | null {
  return (face) => {
    try {
      return library.backboneOf(face);
    } catch {
      return null;
    }
  };
}

/**
 * The faces of a file at a known path rewritten as its picture turned (a viewer's "rotate and save", or another EXIF
 * turn): unless the analysis of the new pixels as they are finds every face the path's photo had where it was, the
 * pixels are analysed turned back by each turn their size allows, and the turn under which most of those faces are
 * found where they were (by box and likeness: turned back, the picture is as it was), then most by likeness, then the
 * surest, wins over the analysis as it is; its faces come back in the new pixels' frame. Null when nothing was turned.
 * QA: a face turned upside down was not found at all, two of three faces lying on their side were not recognised,
 * so their names were lost; and a face on its side the analysis as it is did find, unsurely (0.53), kept that find's
 * box, 207 x 198 over a 116 x 150 face, covering a person behind it. Every turn the size allows is analysed: in the
 * middle of a square picture a face is found where it was upside down too, less surely.
 * Only for a file whose bytes changed at a known path and whose size fits a turn of the picture it held (turnsFitting:
 * the same size may be a 180° turn, the sides swapped a quarter turn): the common path (new metadata: every face found
 * as it was), a crop that cut a face out, or another picture of another size saved under the name never pay for it.
 * A same-sized other picture pays one analysis, three when square. `analyze` gets the picture turned back and by how
 * many quarters it was turned (clockwise) from the new pixels: the import takes the closer look at small faces there too.
 */
export async function turnedBack<F extends Pick<FaceRecord, 'box'>>(
  previous: { width: number; height: number; faces: readonly F[] },
  vectorOf: (face: F) => Float32Array | null,
  decoded: { width: number; height: number; image: RgbImage },
  faces: readonly DetectedFace[],
  analyze: (image: RgbImage, turnedBy: Exclude<Quarters, 0>) => Promise<DetectedFace[]>,
): Promise<{ quarters: Exclude<Quarters, 0>; faces: DetectedFace[] } | null> {
  const fitting = turnsFitting(previous, decoded);
  const turns = fitting.filter((q): q is Exclude<Quarters, 0> => q !== 0);
  if (turns.length === 0) return null;
  const comparable = previous.faces.filter((f) => vectorOf(f) !== null).length;
  if (comparable === 0) return null;
  const asItIs = findsOfBefore(previous, vectorOf, faces, fitting.includes(0) ? decoded.image : null);
  if (asItIs.unmoved === comparable) return null;
  let best = { finds: asItIs, turned: null as { quarters: Exclude<Quarters, 0>; faces: DetectedFace[] } | null };
  for (const quarters of turns) {
    // The new pixels turned back the other way: the picture as it was.
    const back = (4 - quarters) as Exclude<Quarters, 0>;
    const upright = turnImage(decoded.image, back);
    const detected = await analyze(upright.image, back);
    const finds = findsOfBefore(previous, vectorOf, detected, upright.image);
    if (!findsMore(finds, best.finds)) continue;
    best = { finds, turned: { quarters, faces: detected.map((f) => ({ ...f, box: upright.boxBack(f.box), landmarks: f.landmarks.map(upright.back) })) } };
  }
  return best.turned;
}

/** The same pixels analysed again find a face at its stored box at least this closely; a face on its side in the middle of a square photo overlapped its upright box 0.58. */
const UNMOVED_IOU = 0.8;

interface FindsOfBefore {
  /** Previous faces found by likeness. */
  found: number;
  /** ...of them where they were, and the sum of their scores. */
  inPlace: number;
  sureness: number;
  /** ...of them with the box they had. */
  unmoved: number;
}

/**
 * What `detected` (in the pixels of `image`, a picture of `previous`'s size; null when it is not) finds of the
 * previous faces.
 */
function findsOfBefore<F extends Pick<FaceRecord, 'box'>>(
  previous: { width: number; height: number; faces: readonly F[] },
  vectorOf: (face: F) => Float32Array | null,
  detected: readonly DetectedFace[],
  image: RgbImage | null,
): FindsOfBefore {
  const likeness = matchFacesByLikeness(previous.faces, vectorOf, detected.map((f) => f.descriptor));
  const overlaps = image
    ? [...likeness].map(([i, face]) => {
        const [sx, sy] = [previous.width / image.width, previous.height / image.height];
        const [x, y, w, h] = detected[i].box;
        return { overlap: iou([x * sx, y * sy, w * sx, h * sy], face.box), score: detected[i].score };
      })
    : [];
  const inPlace = overlaps.filter((o) => o.overlap >= SAME_FACE_IOU);
  return {
    found: likeness.size,
    inPlace: inPlace.length,
    sureness: inPlace.reduce((sum, o) => sum + o.score, 0),
    unmoved: overlaps.filter((o) => o.overlap >= UNMOVED_IOU).length,
  };
}

/** Whether `a` finds more of the previous faces than `b`: more where they were, else more by likeness, else more surely. */
function findsMore(a: FindsOfBefore, b: FindsOfBefore): boolean {
  if (a.inPlace !== b.inPlace) return a.inPlace > b.inPlace;
  if (a.found !== b.found) return a.found > b.found;
  return a.sureness > b.sureness;
}

/**
 * The turn that takes `before`'s faces to where the new analysis found them (`inherited`: new face index → stored
 * face; `boxes`: the new faces' boxes in original pixels), among those its size allows, or the one the analysis found
 * (AnalysedPhoto.turned); undefined when the faces moved otherwise (a crop, a mirror).
 */
function turnOfEdit(before: PhotoRecord, photo: AnalysedPhoto, inherited: ReadonlyMap<number, FaceRecord>, boxes: readonly Box[]): Quarters | undefined {
  const candidates = photo.turned !== undefined ? [photo.turned] : turnsFitting(before, photo.decoded);
  return candidates.find((quarters) =>
    [...inherited].every(([i, face]) => iou(boxes[i], turnBox(face.box, quarters, before.width, before.height)) >= SAME_FACE_IOU),
  );
}

/** A stored face of the picture `before`, moved to where the picture turned `quarters` shows it. */
function turnFace(face: FaceRecord, quarters: Quarters, before: { width: number; height: number }): void {
  if (quarters === 0) return;
  face.box = turnBox(face.box, quarters, before.width, before.height);
  const landmarks: number[] = [];
  for (let i = 0; i + 1 < face.landmarks.length; i += 2) {
    const [x, y] = turnPoint([face.landmarks[i], face.landmarks[i + 1]], quarters, before.width, before.height);
    landmarks.push(round(x, 1), round(y, 1));
  }
  face.landmarks = landmarks;
}

/** PhotoRecord.pixelsHash of the pixels the analysis is handed: their size and every byte. */
function pixelsHashOf(image: RgbImage): string {
  return createHash('sha256').update(`${image.width}x${image.height}:`).update(image.data).digest('hex');
}

/**
 * The photo this file held before its bytes changed, and which of its faces the new ones are: the library's record
 * of another content under this very path, when the two share a face (an edit), or when neither has a face and the
 * pixels are the same size (metadata written). Another picture saved under the same name (a new card's
 * DSC_0001.JPG) shares no face and is no predecessor: QA had a stranger take the old photo's confirmed name.
 */
function editedFrom(
  photoAt: (path: string) => PhotoRecord | undefined,
  library: Library,
  photo: AnalysedPhoto,
): { predecessor: PhotoRecord; inherited: Map<number, FaceRecord> } | undefined {
  const p = photoAt(photo.path);
  if (!p || p.id === photo.id) return undefined;
  const previousFaces = library.facesOfPhoto(p.id);
  if (previousFaces.length === 0 && photo.faces.length === 0) {
    // The same size, or turned on its side (a faceless photo turned in a viewer: QA found it left behind, missing).
    return turnsFitting(p, photo.decoded).length > 0 ? { predecessor: p, inherited: new Map() } : undefined;
  }
  const inherited = matchFacesByLikeness(previousFaces, storedVectorOf(library), photo.faces.map((f) => f.descriptor));
  return inherited.size > 0 ? { predecessor: p, inherited } : undefined;
}
/** A capture date with the offset it was read in (PhotoRecord.takenAt and takenOffset, or a DecodedPhoto's). */
type Dated = { takenAt: string | null; takenOffset?: number | null };

/**
 * The camera's clock a capture date was read from, 'YYYY-MM-DDTHH:MM:SS', the same on a machine in any zone: a file
 * without an EXIF offset is read in the importing machine's zone (decode.ts). A photo imported before the offset was
 * recorded is taken as read in this machine's zone, as the import then did.
 */
function cameraClock(dated: Dated): string | null {
  if (dated.takenAt === null) return null;
  const instant = Date.parse(dated.takenAt);
  if (Number.isNaN(instant)) return dated.takenAt;
  const offset = dated.takenOffset ?? -new Date(instant).getTimezoneOffset();
  return new Date(instant + offset * 60_000).toISOString().slice(0, 19);
}

/**
 * Whether two capture dates (EXIF, PhotoRecord.takenAt) may be one photo's: the same camera's clock, or one of them
 * unknown (an editor that drops the metadata). Burst shots a second apart are not one photo. Clocks, not instants: an
 * edited copy read on a machine in another zone, or one an editor left without its EXIF offset, is the same moment.
 */
const sameMoment = (a: Dated, b: Dated): boolean => a.takenAt === null || b.takenAt === null || cameraClock(a) === cameraClock(b);

/**
 * Whether a photo imported before the offset was recorded (`older`) may have been read from `now`'s camera clock in
 * another machine's zone: its instant that clock less a whole zone's offset (quarter hours, UTC-12 to UTC+14). Only
 * where faces also tell the photo (movedAndEditedFrom): a library carried to a machine in another zone.
 */
function readElsewhere(older: Dated, now: Dated): boolean {
  if (older.takenAt === null || older.takenOffset !== undefined) return false;
  const clock = cameraClock(now);
  if (clock === null) return false;
  const minutes = (Date.parse(`${clock}Z`) - Date.parse(older.takenAt)) / 60_000;
  return Number.isInteger(minutes / 15) && minutes >= -12 * 60 && minutes <= 14 * 60;
}

/**
 * The photo a new file at a new path is, moved and edited (saved again smaller, cropped, retouched, turned) when none of
 * its files is left: among `gone` (the library's photos whose every file is gone from disk, or only those with a face
 * near its faces: GonePhotos.near), the one whose faces the new photo shows as an edit shows them (likeness within
 * EDITED_FACE_DISTANCE, each face of the photo with fewer faces, as a crop may cut some out) and, when both files tell
 * it, taken at the same moment.
 * What tells a re-saved duplicate from a burst shot: a burst's frames are separate files, so the frame the library
 * knows is still on disk and nothing is taken from it (likewise a copy: the old file still there keeps its record);
 * its frames are a second or more apart when their EXIF says; and its faces are rarely within an edit's distance (4 %
 * of same-person pairs, shots of one moment). When two gone photos both fit (a burst moved away, one frame edited),
 * the new photo could be either: it takes from neither. Faceless photos have nothing to tell them apart: never.
 */
function movedAndEditedFrom(
  gone: readonly PhotoRecord[],
  library: Library,
  photo: Pick<AnalysedPhoto, 'decoded' | 'faces' | 'movedFrom'>,
): { predecessor: PhotoRecord; inherited: Map<number, FaceRecord> } | undefined {
  if (photo.faces.length === 0) return undefined;
  const vectorOf = storedVectorOf(library);
  const descriptors = photo.faces.map((f) => f.descriptor);
  const fits: Array<{ predecessor: PhotoRecord; inherited: Map<number, FaceRecord> }> = [];
  for (const candidate of gone) {
    // Found turned back from one of them (turnedBack): its faces are that photo's, turned.
    if (photo.movedFrom !== undefined && candidate.id !== photo.movedFrom) continue;
    if (!sameMoment(candidate, photo.decoded) && !readElsewhere(candidate, photo.decoded)) continue;
    const faces = library.facesOfPhoto(candidate.id);
    const comparable = faces.filter((f) => vectorOf(f) !== null).length;
    if (comparable === 0) continue;
    const inherited = matchFacesByLikeness(faces, vectorOf, descriptors);
    if (inherited.size === Math.min(comparable, descriptors.length)) fits.push({ predecessor: candidate, inherited });
  }
  return fits.length === 1 ? fits[0] : undefined;
}

/**
 * The library's photos whose every file is gone, looked at once per import, indexed by their faces and by size and
 * capture date: a new photo compares its faces only with the few gone photos that may be it (movedAndEditedFrom), and
 * its size with those a turn may take to it (movedAndTurnedFrom), not with each of thousands (undated photos, which
 * every date fits, compared every face with every gone photo's, twice).
 */
interface GonePhotos {
  /** In the library's order. */
  all: readonly PhotoRecord[];
  /** Those a turn takes to `now`'s size (turnsFitting, a turn other than none) that may have been taken at its `takenAt` (sameMoment), in the library's order. */
  turnableTo(now: { width: number; height: number } & Dated): PhotoRecord[];
  /** Those with a face within an edit's distance (EDITED_FACE_DISTANCE) of one of `descriptors`: every one they may be edited from. */
  near(descriptors: readonly Float32Array[]): PhotoRecord[];
}

/** Squared distance between unit vectors within EDITED_FACE_DISTANCE (|a - b|² = 2 × cosine distance), rounding allowed: the exact check follows. */
const EDIT_REACH_SQUARED = 2 * EDITED_FACE_DISTANCE + 1e-3;

function indexGonePhotos(gone: readonly PhotoRecord[], library: Library): GonePhotos {
  const position = new Map(gone.map((p, i) => [p, i]));
  // By longer side (a turn that fits keeps it, less a lossless turn's trim at most: turnsFitting), and camera clock.
  const bySideAndDate = new Map<string, PhotoRecord[]>();
  const sideAndDate = (side: number, clock: string | null | undefined) => (clock === undefined ? `${side}` : `${side} ${clock ?? 'undated'}`);
  const file = (key: string, photo: PhotoRecord) => (bySideAndDate.get(key) ?? bySideAndDate.set(key, []).get(key)!).push(photo);
  for (const photo of gone) {
    const side = Math.max(photo.width, photo.height);
    file(sideAndDate(side, undefined), photo);
    file(sideAndDate(side, cameraClock(photo)), photo);
  }
  // Their faces' vectors, of unit length, one after another.
  const vectorOf = storedVectorOf(library);
  const owners: PhotoRecord[] = [];
  const vectors: Float32Array[] = [];
  for (const photo of gone) {
    for (const face of library.facesOfPhoto(photo.id)) {
      const vector = vectorOf(face);
      if (!vector) continue;
      const length = Math.hypot(...vector) || 1;
      owners.push(photo);
      vectors.push(vector.map((v) => v / length));
    }
  }
  const dim = vectors[0]?.length ?? 0;
  const rows = new Float32Array(vectors.length * dim);
  vectors.forEach((v, i) => rows.set(v, i * dim));
  return {
    all: gone,
    turnableTo: (now) => {
      const side = Math.max(now.width, now.height);
      // Undated, it may be any of its size; dated, those of its date and the undated (sameMoment).
      const keys = (s: number) => (now.takenAt === null ? [sideAndDate(s, undefined)] : [sideAndDate(s, cameraClock(now)), sideAndDate(s, null)]);
      return Array.from({ length: TURN_TRIM + 1 }, (_, trim) => keys(side + trim).flatMap((k) => bySideAndDate.get(k) ?? []))
        .flat()
        .filter((p) => turnsFitting(p, now).some((q) => q !== 0))
        .sort((a, b) => position.get(a)! - position.get(b)!);
    },
    near: (descriptors) => {
      if (owners.length === 0) return []; // no face to compare with: none can be edited from
      const found = new Set<PhotoRecord>();
      for (const descriptor of descriptors) {
        if (descriptor.length !== dim) return [...gone]; // another vector size: compare with every one
        const length = Math.hypot(...descriptor) || 1;
        const query = descriptor.map((v) => v / length);
        // A face out of reach is given up at its first few dozen dimensions: another face's differ widely.
        for (let row = 0; row < owners.length; row++) {
          if (found.has(owners[row])) continue;
          let squared = 0;
          let k = 0;
          for (const at = row * dim; k < dim && squared <= EDIT_REACH_SQUARED; k++) {
            const d = rows[at + k] - query[k];
            squared += d * d;
          }
          if (k === dim && squared <= EDIT_REACH_SQUARED) found.add(owners[row]);
        }
      }
      return [...found].sort((a, b) => position.get(a)! - position.get(b)!);
    },
  };
}

/**
 * What the disk says of the file at `path`: 'gone' when its folder is there and the file is not in it; 'no-folder'
 * when its folder is not there, which alone tells nothing of its files: a drive unplugged, a share not mounted, a
 * folder renamed (remove-folder.ts isGoneFolder sees those). An edited export of a photo on an unplugged drive must
 * not take its record: the photo would come back a stranger when the drive does. The import takes such a folder for
 * moved only when its other photos are found elsewhere (folderMoved in importFolders). False when the file is there, or
 * the disk fails to answer (EIO, EACCES).
 */
async function isGoneFile(path: string): Promise<'gone' | 'no-folder' | false> {
  try {
    return (await stat(path)).isFile() ? false : 'gone';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return false;
  }
  return stat(dirname(path)).then(
    (s) => (s.isDirectory() ? 'gone' : false),
    (err: unknown) => ((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no-folder' : false),
  );
}

/** Gone photos a new photo's size fits a turn of are analysed turned back only up to this many (each costs analyses). */
const MAX_TURNED_CANDIDATES = 3;

/**
 * The decisions a dropped face kept (PhotoRecord.lostFaces), as the face found in its place takes them back: a person
 * removed meanwhile is not come back to. Placed by the user, it is the user's again; otherwise it waits to be placed.
 */
function recoveredState(
  lost: LostFace | undefined,
  people: ReadonlyArray<{ id: string }>,
): Pick<FaceRecord, 'personId' | 'assignedBy' | 'rejectedPersonIds' | 'faceness' | 'unplaced' | 'drawn' | 'notAFace'> | undefined {
  if (!lost) return undefined;
  const personGone = lost.personId !== null && !people.some((p) => p.id === lost.personId);
  const byUser = lost.assignedBy === 'user' && !personGone;
  return {
    personId: byUser ? lost.personId : null,
    assignedBy: byUser ? 'user' : null,
    rejectedPersonIds: lost.rejectedPersonIds,
    faceness: null,
    ...(byUser ? {} : { unplaced: true as const }),
    ...(lost.notAFace && { notAFace: true as const }),
  };
}

/**
 * Pairs new detections with a photo's stored faces by box overlap (greedy, best IoU first) so re-analysis keeps
 * face ids and everything the user said about them.
 */
export function matchFaces<F extends Pick<FaceRecord, 'id' | 'box'>>(stored: readonly F[], boxes: Box[]): Map<number, F> {
  const pairs: Array<{ i: number; face: F; overlap: number }> = [];
  boxes.forEach((box, i) => {
    for (const face of stored) {
      const overlap = iou(box, face.box);
      if (overlap >= SAME_FACE_IOU) pairs.push({ i, face, overlap });
    }
  });
  pairs.sort((a, b) => b.overlap - a.overlap);
  const matched = new Map<number, F>();
  const used = new Set<string>();
  for (const { i, face } of pairs) {
    if (matched.has(i) || used.has(face.id)) continue;
    matched.set(i, face);
    used.add(face.id);
  }
  return matched;
}

export async function importFolders(
  library: Library,
  getAnalyzer: () => Promise<FaceAnalysisService>,
  pipelineVersion: string,
  folders: string[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const started = performance.now();
  const { signal } = options;
  const tracker = new ProgressTracker('import', options.onProgress);
  const fileTimeout = options.fileTimeoutSeconds ?? DEFAULT_FILE_TIMEOUT_SECONDS;
  const maxSide = library.settings.analysisMaxSide;
  // The faces it stores wait for a grouping (main/engine.ts): after a crash, the next open groups them.
  await importStarting(library);

  tracker.report('scan', 0, 0, { message: 'Looking for photos' });
  // The folders as the disk spells them (c:\photos is C:\Photos), so every path found under them is stored so; one
  // folder given twice in two spellings is scanned once.
  const platformRules = pathRules(options.platform);
  const roots = uniquePaths(await onDiskSpellings(folders, platformRules), platformRules);
  const scan = await scanFolders(roots, {
    signal,
    excludeFolders: [library.dir],
    beforeListing: options.scan?.beforeListing,
    onProgress: (listed, files, holding) => tracker.report('scan', 0, 0, { message: lookingForWords('photos', files, holding, listed) }),
  });
  // Two files whose names differ only in case or normalisation: a volume that tells them apart (macOS can format one
  // so), whose paths are compared exactly rather than taken for one file (main/paths.ts).
  const rules = spellingsCollide(scan.files, platformRules) ? exactPathRules(options.platform) : platformRules;
  const key = rules.key;
  // Resolved, as the scan does: absolute in every platform's spelling (C:\Photos, D:\, \\nas\photos), no trailing separator but on a root.
  const insideRoots = insideAnyOf(roots, rules);
  // Under the folders imported, a path not found by the scan is gone, unless the scan could not read what holds it.
  const unreadByScan = insideAnyOf(scan.unread, rules);
  const skipped: SkippedFile[] = [...scan.skipped];
  const files = scan.files;
  tracker.resetWindow();

  /** By path key (main/paths.ts), as are `unreadPaths` and `stamped`: a path stored in another spelling is the same file. */
  const pathToId = new Map<string, string>();
  const unreadPaths = new Set<string>();
  const seenIds = new Set<string>();
  /**
   * The photos of the files done, for the progress: seenIds has a photo from when its file is begun, and its count ran
   * ahead of the files done, as the faces' did ("1/6 files, 4 photos" with four lanes).
   */
  const photosDone = new Set<string>();
  const newIds = new Set<string>();
  const analysedThisRun = new Set<string>();
  const foundAtNewPaths = new Set<string>();
  const edited = new Set<string>();
  /** Contents being analysed right now (a copy in the same run waits for the first). */
  const inFlight = new Map<string, Promise<void>>();
  let analysedCount = 0;
  let restoredCount = 0;
  let consecutiveAnalysisFailures = 0;
  let facesFound = 0;
  /** Faces of the photos gone through that an earlier import had found (up to date: not analysed again). */
  let facesKnown = 0;
  /** Photos and faces analysed but not written yet: the library holds them at the next commit. */
  const unwritten = { photos: 0, faces: 0 };
  let done = 0;

  // Pending batch.
  let pendingAnalysed: AnalysedPhoto[] = [];
  /** Paths seen for photos that need no model work: id → path → stamp. */
  let pendingPaths = new Map<string, Map<string, FileStamp>>();
  /** Known path → content, to skip hashing files whose size and mtime did not change. */
  const stamped = new Map<string, FileStamp & { id: string }>();
  for (const photo of library.photos) {
    for (const [path, stamp] of Object.entries(photo.fileStamps ?? {})) stamped.set(key(path), { ...stamp, id: photo.id });
  }
  // Where each photo was seen before this import, and the order the scan found the files in: which path is main.
  const pathsBefore = new Set(library.photos.flatMap((p) => p.paths.map((path) => `${p.id}\n${key(path)}`)));
  const scanIndex = new Map(files.map((f, i) => [key(f.path), i]));
  const withMainPathFirst = (photo: PhotoRecord, wasMissing: boolean) =>
    mainPathFirst(
      photo,
      (path) => pathsBefore.has(`${photo.id}\n${key(path)}`),
      (path) => insideRoots(path) && !scanIndex.has(key(path)) && !unreadByScan(path),
      (path) => scanIndex.get(key(path)) ?? files.length,
      wasMissing,
    );
  // The library's photos with faces whose every file is gone (moved or deleted): a new photo may be one of them, moved
  // and edited (movedAndEditedFrom). Looked at once, when the import first finds a new photo at a new path.
  const scannedPaths = new Set(files.map((f) => key(f.path)));
  let goneAtStart: Promise<GonePhotos> | undefined;
  let filesBySize: Map<number, ScannedFile[]> | undefined;
  /** Gone photos a new photo took over in this import. */
  const claimed = new Set<string>();
  /** A file of the photo's size at a path not read yet (or unreadable) may be the photo itself, moved: not gone yet. */
  const mayBeFoundYet = (photo: PhotoRecord) => {
    filesBySize ??= files.reduce((bySize, f) => bySize.set(f.size, [...(bySize.get(f.size) ?? []), f]), new Map<number, ScannedFile[]>());
    return (filesBySize.get(photo.bytes) ?? []).some((f) => !pathToId.has(key(f.path)));
  };
  /** Gone photos with a file whose folder is not there (isGoneFile 'no-folder'): by photo id, those folders (by key). */
  const inFoldersNotThere = new Map<string, string[]>();
  /** The ids of the library's photos with a file in each folder not there (by key). */
  const photosOfFolder = new Map<string, string[]>();
  /**
   * Whether a folder not there moved (renamed, or moved elsewhere), as far as this import tells: another of its photos
   * was found by this import, necessarily elsewhere. A drive unplugged tells nothing of the kind. Found, not found at a
   * path it did not have: an import stopped part-way stores the new paths it saw, and the one resuming it must see the
   * move too (a review). QA: a folder renamed while one of its photos was edited: the edited photo was analysed as a
   * new one, its names lost, its old record left missing.
   */
  const folderMoved = (folder: string) => (photosOfFolder.get(folder) ?? []).some((id) => seenIds.has(id));
  const folderOf = (path: string) => key(rules.path.dirname(path));
  const gonePhotos = (): Promise<GonePhotos> =>
    (goneAtStart ??= (async () => {
      // Outside the folders imported, a file is gone when its folder is there without it, or its folder is not there
      // and moved (isGoneFile, folderMoved): the folders not there, per photo; null when a file is there.
      const goneFrom = async (photo: PhotoRecord): Promise<string[] | null> => {
        const folders: string[] = [];
        for (const path of photo.paths) {
          if (insideRoots(path)) {
            if (scannedPaths.has(key(path)) || unreadByScan(path)) return null;
            continue;
          }
          const gone = await isGoneFile(path);
          if (gone === false) return null;
          if (gone === 'no-folder') folders.push(folderOf(path));
        }
        return folders;
      };
      const photos = library.photos.filter((p) => library.facesOfPhoto(p.id).length > 0);
      const gone: PhotoRecord[] = [];
      for (let start = 0; start < photos.length; start += 64) {
        const some = photos.slice(start, start + 64);
        const folders = await Promise.all(some.map(goneFrom));
        some.forEach((photo, i) => {
          if (folders[i] === null) return;
          gone.push(photo);
          if (folders[i].length > 0) inFoldersNotThere.set(photo.id, folders[i]);
        });
      }
      if (inFoldersNotThere.size > 0) {
        const notThere = new Set([...inFoldersNotThere.values()].flat());
        for (const photo of library.photos) {
          for (const folder of new Set(photo.paths.map(folderOf))) if (notThere.has(folder)) (photosOfFolder.get(folder) ?? photosOfFolder.set(folder, []).get(folder)!).push(photo.id);
        }
      }
      return indexGonePhotos(gone, library);
    })());
  /** A gone photo still gone now: not found in this import, nor taken over, nor forgotten meanwhile, nor in a folder not there that did not move. */
  const stillGone = (p: PhotoRecord) =>
    library.photo(p.id) !== undefined && !seenIds.has(p.id) && !claimed.has(p.id) && !mayBeFoundYet(p) && (inFoldersNotThere.get(p.id) ?? []).every(folderMoved);
  /**
   * Whether a new photo at a new path with these faces waits for the end of the import (AnalysedPhoto.waitsForFolders):
   * one of them is at an edit's likeness of a gone photo's in a folder not there, which the files read later may show
   * moved. Costs nothing when no gone photo's folder is missing.
   */
  const waitsForFolders = async (faces: readonly DetectedFace[]): Promise<boolean> => {
    if (faces.length === 0) return false;
    const gone = await gonePhotos();
    if (inFoldersNotThere.size === 0) return false;
    return gone.near(faces.map((f) => f.descriptor)).some((p) => inFoldersNotThere.has(p.id) && library.photo(p.id) !== undefined && !seenIds.has(p.id) && !claimed.has(p.id));
  };
  /**
   * Gone photos `decoded` (a new photo at a new path) may be turned from, to analyse it turned back from each
   * (turnedBack): those whose size fits a turn (a turn keeps it; camera photos of one size are dated apart), taken at
   * the same moment (sameMoment: a viewer may drop the date), when its faces as they are show none of them. A few at
   * most; the turns they ask for are analysed once for them all (analyseTurned), three analyses at most.
   */
  const movedAndTurnedFrom = async (decoded: Omit<DecodedPhoto, 'image'> & { image: RgbImage }, faces: DetectedFace[]): Promise<PhotoRecord[]> => {
    const gone = await gonePhotos();
    if (gone.all.length === 0) return [];
    // Found as it is in one of them: not turned.
    const near = gone.near(faces.map((f) => f.descriptor)).filter(stillGone);
    if (near.some((p) => movedAndEditedFrom([p], library, { decoded, faces }))) return [];
    const fitting = gone.turnableTo(decoded).filter(stillGone);
    return fitting.length <= MAX_TURNED_CANDIDATES ? fitting : [];
  };
  let lastCommit = performance.now();
  let commitChain: Promise<void> = Promise.resolve();
  let commitsQueued = 0;
  let lastCommitSeconds = 0;
  let failure: unknown = null;

  /** Whether the photo `id` keeps the faces it has: analysed in this run, by this pipeline, or left alone by an upgrade. */
  const keepsItsAnalysis = (id: string): boolean => {
    const known = library.photo(id);
    return (
      analysedThisRun.has(id) ||
      known?.analysis?.pipelineVersion === pipelineVersion ||
      (known !== undefined && !options.lookAgain && analysisHolds(known, library.facesOfPhoto(id), pipelineVersion, maxSide))
    );
  };
  // Photos that left the library and come back take their faces from what their analysis found then
  // (main/library/restore-analysis.ts): no face model runs for them. A look again reads only photos the library has.
  // The store is read when the first photo new to the library is decoded; what is wrong with it is said once
  // (keptAnalysesProblem) and never stops the import: the photos it cannot give are analysed.
  const kept = options.lookAgain ? null : keptAnalysesOf(library);
  let keptAnalysesProblem: string | null = null;
  const sayKeptProblem = (failure?: unknown) => {
    const problem = kept?.takeProblem() ?? (failure === undefined ? null : `${KEPT_ANALYSES_FILE} could not be read (${readErrorInWords(failure)}): the photos kept there are analysed.`);
    keptAnalysesProblem ??= problem;
  };
  let keptReady: Promise<boolean> | undefined;
  /** Kept analyses met that do not stand for this pipeline on their photo's picture: forgotten at the end. */
  const keptUseless = new Set<string>();
  /**
   * The analysis kept of the photo `id`, new to the library: `holds` when it stands for this pipeline on `decoded`.
   * One that does not is of no use but for what the user said of its faces, which the faces analysed anew take back.
   */
  const keptAnalysisOf = async (id: string, decoded: DecodedPhoto): Promise<{ analysis: KeptAnalysis; holds: boolean } | null> => {
    if (!kept) return null;
    keptReady ??= retireOtherPipelines(kept, pipelineVersion).then(
      () => true,
      (err: unknown) => {
        sayKeptProblem(err);
        return false;
      },
    );
    if (!(await keptReady)) return null;
    try {
      const analysis = await kept.find(id);
      if (!analysis) return null;
      if (keptAnalysisHolds(analysis, decoded, pipelineVersion, maxSide)) return { analysis, holds: true };
      // Forgotten once the photo is written, when the user said something of its faces (see commit's forgetKept).
      if (!analysis.decisions?.length) keptUseless.add(id);
      return { analysis, holds: false };
    } catch (err) {
      sayKeptProblem(err);
      return null;
    } finally {
      sayKeptProblem();
    }
  };
  /**
   * What the user said of the faces of a photo that left the library from `path`, when the file there now (new to the
   * library, `decoded` analysed into `faces`) is that photo edited meanwhile: cropped, turned, saved again. Its faces
   * are told by likeness, as an edit in the library tells them (editedFrom, turnedBack): each new face like a kept
   * face takes what was said of it (keptDecisions, given at the new face's box); `lost` counts the decisions no face
   * took (cut out by a crop). Null when no such photo left from there, or the file shows none of its faces.
   */
  /** The kept entries' photos by the key of each path kept with them (pathsKept), read once, when first needed. */
  let keptPhotosAt: Promise<Map<string, string[]>> | undefined;
  const keptEditedAt = async (
    path: string,
    id: string,
    decoded: Omit<DecodedPhoto, 'image'> & { image: RgbImage },
    faces: DetectedFace[],
    analyseTurned: (picture: RgbImage, turnedBy: Exclude<Quarters, 0>) => Promise<DetectedFace[]>,
  ): Promise<{ from: string; faces: DetectedFace[]; turned?: Exclude<Quarters, 0>; decisions: LostFace[]; lost: number; otherPaths: boolean } | null> => {
    if (!kept || keptReady === undefined || !(await keptReady)) return null;
    const candidates: KeptAnalysis[] = [];
    try {
      keptPhotosAt ??= kept.pathsKept().then((byPhoto) => {
        const at = new Map<string, string[]>();
        for (const [photoId, paths] of byPhoto) for (const p of paths) (at.get(key(p)) ?? at.set(key(p), []).get(key(p))!).push(photoId);
        return at;
      });
      for (const photoId of (await keptPhotosAt).get(key(path)) ?? []) {
        // Gone since the paths were read: restored, or spent by another file.
        const analysis = await kept.find(photoId);
        if (analysis?.decisions?.length) candidates.push(analysis);
      }
    } catch (err) {
      sayKeptProblem(err);
      return null;
    } finally {
      sayKeptProblem();
    }
    const backboneOf = (face: KeptFace) => face.backbone;
    for (const analysis of candidates) {
      let found = faces;
      let turned: Exclude<Quarters, 0> | undefined;
      try {
        const back = await withTimeout(turnedBack(analysis, backboneOf, decoded, faces, analyseTurned), fileTimeout * 6, 'face analysis');
        if (back) [found, turned] = [back.faces, back.quarters];
      } catch {
        // keep the faces found as it is
      }
      const like = matchFacesByLikeness(analysis.faces, backboneOf, found.map((f) => f.descriptor));
      if (like.size === 0) continue;
      const said = new Map((analysis.decisions ?? []).map((d) => [d.index, d]));
      const decisions = [...like].flatMap(([i, face]): LostFace[] => {
        const decision = said.get(face.index);
        if (!decision) return [];
        const { personId, assignedBy, rejectedPersonIds, notAFace } = decision;
        return [{ id: `${id.slice(0, 16)}-${i}`, box: toOriginal(found[i], decoded).box, personId, assignedBy, rejectedPersonIds: [...rejectedPersonIds], ...(notAFace && { notAFace }) }];
      });
      const otherPaths = (analysis.paths ?? []).some((p) => key(p) !== key(path));
      return { from: analysis.photoId, faces: found, ...(turned && { turned }), decisions, lost: said.size - decisions.length, otherPaths };
    }
    return null;
  };
  /** The kept analyses of `photoIds` are spent: the library holds them (written), or they were of no use. */
  const forgetKept = (photoIds: readonly string[]) => (kept && photoIds.length > 0 ? kept.forget(photoIds).then(() => sayKeptProblem(), sayKeptProblem) : Promise.resolve());

  // Files whose size and date match a known path: no reading. Those whose photo keeps its analysis (and the copies of
  // one analysed here) cost nothing; the pace and time left are measured on the others, which take the time. A look
  // again or an upgrade analyses known files: they count (QA: "ETA 00:00", no pace, through a whole look again).
  const knownUnchanged = (file: ScannedFile) => {
    const previous = stamped.get(key(file.path));
    return previous !== undefined && sameStamp(previous, { size: file.size, mtimeMs: file.mtimeMs });
  };
  const quickFiles = new Set<ScannedFile>();
  const toAnalyse = new Set<string>();
  for (const file of files) {
    if (!knownUnchanged(file)) continue;
    const id = stamped.get(key(file.path))!.id;
    if (keepsItsAnalysis(id) || toAnalyse.has(id)) quickFiles.add(file);
    else toAnalyse.add(id);
  }
  const quickTotal = quickFiles.size;
  let quickDone = 0;
  /** Files found quick only once read (the same pixels under new bytes): out of the pace's done and total alike. */
  let quickDoneLate = 0;
  const detail = (): ImportProgressDetail => ({
    faces: facesFound,
    facesInPhotosRead: facesKnown + facesFound,
    photos: photosDone.size,
    newPhotos: newIds.size,
    analysed: analysedCount,
    restored: restoredCount,
    skipped: skipped.length,
    library: { photos: library.photos.length + unwritten.photos, faces: library.faces.length + unwritten.faces },
    lookAgain: options.lookAgain === true,
    readAgain: toAnalyse.size,
  });
  // The sentence stays while the face models load: the unchanged files counted meanwhile took it away, and the
  // count then sat still with nothing said (QA: "26 of 27" for seconds).
  const report = () =>
    tracker.report(
      'analyse',
      done,
      files.length,
      { detail: detail(), ...(analyzerPromise && !analyzer ? { message: STARTING_FACE_FINDER } : {}) },
      { done: done - quickDone - quickDoneLate, total: files.length - quickTotal - quickDoneLate },
    );

  /** Whether the photo `id` seen at `path` with `stamp` tells the library nothing new: an unchanged re-import writes nothing. */
  const seenAsKnown = (id: string, path: string, stamp: FileStamp): boolean => {
    const existing = library.photo(id);
    return (
      existing !== undefined &&
      !existing.missing &&
      existing.paths.includes(path) &&
      sameStamp(existing.fileStamps?.[path], stamp) &&
      !existing.paths.some((p) => p !== path && samePath(p, path, rules))
    );
  };
  const pathOwners = new PathOwners(library, rules);
  let restoredDecisions = 0;
  /** What the user said of faces that photos edited while out of the library no longer show (AnalysedPhoto.keptDecisionsLost). */
  let keptDecisionsLost = 0;
  /**
   * Per known photo seen at a path it did not have: its stored paths (by key) that are the same file on disk as one
   * seen (realpath), each with the path seen. QA: a folder imported through a link (~/Pictures -> /data/Pictures), then
   * by its own path, held every photo twice, said they were "found at a new path", and Remove by either path missed
   * them. Asked of the disk only for photos seen at a new path: moves, copies, another spelling.
   */
  const sameFilesRespelt = async (paths: Map<string, Map<string, FileStamp>>): Promise<Map<string, Map<string, string>>> => {
    const found = new Map<string, Map<string, string>>();
    for (const [id, seen] of paths) {
      const existing = library.photo(id);
      if (!existing) continue;
      const known = new Set(existing.paths.map(key));
      const fresh = [...seen.keys()].filter((p) => !known.has(key(p)));
      const others = existing.paths.filter((p) => !seen.has(p) && !fresh.some((f) => samePath(f, p, rules)));
      if (fresh.length === 0 || others.length === 0) continue;
      const real = (path: string) => realpath(path).catch(() => null);
      const freshByReal = new Map<string, string>();
      for (const path of fresh) {
        const r = await real(path);
        if (r !== null) freshByReal.set(r, path);
      }
      const sameFile = new Map<string, string>();
      for (const path of others) {
        const r = await real(path);
        const seenAs = r === null ? undefined : freshByReal.get(r);
        if (seenAs !== undefined) sameFile.set(key(path), seenAs);
      }
      if (sameFile.size > 0) found.set(id, sameFile);
    }
    return found;
  };

  const commit = async (batch: AnalysedPhoto[], paths: Map<string, Map<string, FileStamp>>) => {
    // Drop path sightings that change nothing (any the commits before this one made so), so nothing is rewritten for them.
    for (const [id, seen] of paths) if ([...seen].every(([path, stamp]) => seenAsKnown(id, path, stamp))) paths.delete(id);
    if (batch.length === 0 && paths.size === 0) return;
    const now = new Date().toISOString();
    // 1. Face ids (keeping stored ones by overlap), thumbnails, then vectors — all before any document names them.
    const photoAt = (path: string) => pathOwners.of(path, (id) => library.photo(id)).at(-1);
    const gone = batch.some((photo) => photo.faces.length > 0 && !library.photo(photo.id) && !photoAt(photo.path)) ? await gonePhotos() : undefined;
    const goneNear = (photo: AnalysedPhoto) => (gone?.near(photo.faces.map((f) => f.descriptor)) ?? []).filter(stillGone);
    const plans = batch.map((photo) => {
      const stored = library.facesOfPhoto(photo.id);
      const mapped = photo.faces.map((f) => toOriginal(f, photo.decoded));
      const matched = matchFaces(stored, mapped.map((m) => m.box));
      // Faces dropped with their lost vectors: the faces found in their places take back their ids and decisions. So
      // do those of a photo back in the library, from what was kept when it left (not a photo the library holds).
      const ownLost = stored.length === 0 ? (library.photo(photo.id)?.lostFaces ?? []) : [];
      const fromKept = stored.length === 0 && !library.photo(photo.id) && (photo.keptDecisions?.length ?? 0) > 0;
      const lost = fromKept ? photo.keptDecisions! : ownLost;
      const recovered = matchFaces(lost, mapped.map((m) => m.box));
      const usedIndices = new Set([...stored, ...lost].map((f) => Number(f.id.split('-').pop())));
      let nextIndex = 0;
      // Faces back from the analysis kept when the photo left the library take the ids they had (their kept
      // decisions are theirs: the same boxes).
      const ids =
        photo.restored && stored.length === 0 && ownLost.length === 0
          ? photo.restored.faceIndices.map((index) => `${photo.id.slice(0, 16)}-${index}`)
          : photo.faces.map((_, i) => {
              const keep = matched.get(i) ?? recovered.get(i);
              if (keep) return keep.id;
              while (usedIndices.has(nextIndex)) nextIndex++;
              usedIndices.add(nextIndex);
              return `${photo.id.slice(0, 16)}-${nextIndex}`;
            });
      const keptIds = new Set(ids);
      // Faces the new analysis no longer finds: dropped, unless the user confirmed or drew them (their work is never
      // lost; a drawn face is one the detector missed before).
      const carried = stored.filter((f) => !keptIds.has(f.id) && byUser(f));
      const dropped = stored.filter((f) => !keptIds.has(f.id) && !byUser(f)).map((f) => f.id);
      // A face found again with the descriptor it already has (looking again with a lower threshold, a closer look
      // that leaves it alone) keeps its vector row: appending it again would leave a dead row per face.
      const keptRows = photo.faces.map((f, i) => {
        const previous = matched.get(i);
        return previous && sameVector(library.backboneOf(previous), f.descriptor) ? previous.vectorRow : undefined;
      });
      // A face found again described further from what it was than an edit moves a face (a face lying on its side an
      // earlier pipeline described from guessed landmarks, now turned upright): where the grouping placed it no longer
      // holds, so it is placed again like a new face. Where the user placed it stays.
      const describedAnew = photo.faces.map((f, i) => {
        const previous = matched.get(i);
        return previous !== undefined && keptRows[i] === undefined && cosineDistanceOf(library.backboneOf(previous), f.descriptor) > EDITED_FACE_DISTANCE;
      });
      // A file whose bytes changed under the same pixels (another app wrote its metadata) is the photo that was
      // there: its faces keep the names, confirmations and rejections of the faces they overlap. QA: a rejected face
      // came back as a suggestion after digiKam touched the file, and the photo showed twice.
      // At a new path, it may be a photo whose files are all gone, moved and edited (movedAndEditedFrom).
      const fresh = stored.length === 0 && !library.photo(photo.id);
      const edit = fresh ? (editedFrom(photoAt, library, photo) ?? (photoAt(photo.path) ? undefined : movedAndEditedFrom(goneNear(photo), library, photo))) : undefined;
      const moved = edit !== undefined && !edit.predecessor.paths.some((p) => samePath(p, photo.path, rules));
      if (edit) claimed.add(edit.predecessor.id);
      const predecessor = edit?.predecessor;
      // Another picture now at a path a photo was known by (not an edit: no face in common): that photo is no longer there.
      const owner = library.photo(photo.id) ? undefined : photoAt(photo.path);
      const displaced = owner && owner.id !== photo.id && owner !== predecessor ? owner : undefined;
      const inherited = edit?.inherited ?? new Map<number, FaceRecord>();
      const inheritedIds = new Set([...inherited.values()].map((f) => f.id));
      // The predecessor goes when this path was its only one; its user-placed faces no new face matched come along,
      // at their boxes, when the other faces stayed in place. On a cropped or mirrored picture those boxes would frame
      // something else: then the predecessor stays, missing, holding them until the user forgets it.
      const unmatchedByUser = predecessor ? library.facesOfPhoto(predecessor.id).filter((f) => !inheritedIds.has(f.id) && byUser(f)) : [];
      // Boxes of the old photo still frame faces only when nothing moved: the same size, and every face found again
      // where it was (a mirrored or another picture moves them; QA found a name kept on a box over another face).
      // A picture turned as a whole (a viewer's "rotate and save") moved them all alike: they frame their faces turned.
      const turn = predecessor && turnOfEdit(predecessor, photo, inherited, mapped.map((m) => m.box));
      const stayedInPlace = turn !== undefined;
      // Moved, it has no file left anywhere: the new one takes its place.
      const replaces = predecessor !== undefined && (moved || predecessor.paths.length === 1) && (stayedInPlace || unmatchedByUser.length === 0);
      const adopted = replaces ? unmatchedByUser : [];
      const retired = replaces ? library.facesOfPhoto(predecessor!.id).filter((f) => !adopted.includes(f)).map((f) => f.id) : [];
      const renamed = new Map([...inherited].map(([i, f]) => [f.id, ids[i]]));
      return { photo, mapped, matched, recovered, fromKept, ids, stored, latecomers: [] as FaceRecord[], carried: [...carried, ...adopted], dropped: [...dropped, ...retired], keptRows, describedAnew, predecessor, inherited, replaces, renamed, displaced, turn };
    });
    for (const plan of plans) {
      for (let i = 0; i < plan.ids.length; i++) {
        const crop = plan.photo.faces[i].crop;
        const webp = await sharp(crop.data, { raw: { width: crop.width, height: crop.height, channels: 3 } }).webp({ quality: 85 }).toBuffer();
        await writeFileAtomic(join(library.dir, THUMB_DIR, `${plan.ids[i]}.webp`), webp, { durable: false });
      }
    }
    const rows = await library.appendVectors(plans.flatMap((p) => p.photo.faces.filter((_, i) => p.keptRows[i] === undefined).map((f) => f.descriptor)));
    const respelt = await sameFilesRespelt(paths);
    // 2. One transaction: faces.json then photos.json.
    const dropped = await library.transaction((tx) => {
      let row = 0;
      const replaced = new Set<string>();
      const newFaces: FaceRecord[] = [];
      const unplacedFrom = new Map<string, string>();
      for (const plan of plans) {
        plan.photo.faces.forEach((f, i) => {
          const previous = plan.matched.get(i) ?? plan.inherited.get(i);
          // Re-read the stored face now: a user decision made while this batch was analysed wins.
          const current = previous ? library.face(previous.id) : recoveredState(plan.recovered.get(i), tx.people.people);
          // Those taken back by an edited photo are said with the edited photos (edited), not with the photos restored.
          if (!previous && plan.fromKept && !plan.photo.keptFrom && current && (current.assignedBy === 'user' || current.rejectedPersonIds.length > 0)) restoredDecisions++;
          const placeAgain = plan.describedAnew[i] && current !== undefined && current.assignedBy !== 'user';
          if (placeAgain && current.personId !== null) unplacedFrom.set(plan.ids[i], current.personId);
          newFaces.push({
            id: plan.ids[i],
            photoId: plan.photo.id,
            box: plan.mapped[i].box,
            score: round(f.score, 4),
            landmarks: plan.mapped[i].landmarks,
            vectorRow: plan.keptRows[i] ?? rows[row++],
            personId: placeAgain ? null : (current?.personId ?? null),
            assignedBy: placeAgain ? null : (current?.assignedBy ?? null),
            rejectedPersonIds: current?.rejectedPersonIds ?? [],
            // The same face analysed again: the autoencoder's verdict on it stands (a stray detection set aside for
            // review stays set aside) until the next faceness check.
            faceness: current?.faceness ?? null,
            analysedSide: round(f.analysedSide, 1),
            thumb: `${THUMB_DIR}/${plan.ids[i]}.webp`,
            // Scored and placed after the whole import (main/engine.ts); a face analysed again keeps its state.
            ...(!current || current.unplaced || placeAgain ? { unplaced: true as const } : {}),
            ...(current?.drawn ? { drawn: true as const } : {}),
            // A box the user said holds no face is found again in the same place: it stays no face.
            ...(current?.notAFace ? { notAFace: true as const } : {}),
          });
        });
        for (const face of plan.stored) replaced.add(face.id);
        for (const face of plan.carried) replaced.delete(face.id);
        // A face added to the photo since the plan (the user marked one meanwhile) stays, unless this analysis took
        // its id (then the face found here, in the same photo, stands in for it).
        const storedIds = new Set(plan.stored.map((f) => f.id));
        const arrived = library.facesOfPhoto(plan.photo.id).filter((f) => !storedIds.has(f.id));
        plan.latecomers = arrived.filter((f) => !plan.ids.includes(f.id));
        for (const face of arrived) if (plan.ids.includes(face.id)) replaced.add(face.id);
        if (plan.replaces) for (const id of plan.dropped) replaced.add(id);
      }
      // A person's cover is not a face that just left them to be placed again (people.json is written only then).
      const uncovered = (person: PersonRecord) => person.coverFaceId !== null && unplacedFrom.get(person.coverFaceId) === person.id;
      if (library.people.people.some(uncovered)) {
        for (const person of tx.people.people) if (uncovered(person)) person.coverFaceId = null;
      }
      // A re-analysed face takes its old record's place and a new one goes last, so the store appends the change to
      // faces.journal instead of rewriting faces.json (main/store/faces-journal.ts). Put and removed by id, the faces
      // of this batch are all the store compares with what disk holds, and no lookup of every face is built.
      const staying: FaceRecord[] = [];
      const added: FaceRecord[] = [];
      for (const face of newFaces) {
        if (library.face(face.id) !== undefined && replaced.delete(face.id)) staying.push(face);
        else added.push(face);
      }
      if (replaced.size > 0) tx.remove('faces', replaced);
      tx.put('faces', [...staying, ...added]);
      /** The faces put in this transaction, by id. */
      const facesPut = new Map(newFaces.map((f) => [f.id, f]));
      /** The faces of a photo as this transaction leaves them so far (the library's lookups hold them as they were). */
      const facesNowOf = (photoId: string) => {
        const now = new Set<FaceRecord>();
        for (const f of library.facesOfPhoto(photoId)) if (!replaced.has(f.id) && (facesPut.get(f.id) ?? f) === f && f.photoId === photoId) now.add(f);
        for (const f of facesPut.values()) if (f.photoId === photoId) now.add(f);
        return [...now];
      };

      // Photos: those of this batch, and the few others a path moved from, put by id (no lookup of every photo built).
      const photoNow = new Map<string, PhotoRecord>();
      const photoById = (id: string) => photoNow.get(id) ?? library.photo(id);
      const changedPhotos = new Set<PhotoRecord>();
      const removedPhotos = new Set<string>();
      for (const plan of plans) {
        const { photo, decoded } = { photo: plan.photo, decoded: plan.photo.decoded };
        const faceIds = [...plan.ids, ...plan.carried.map((f) => f.id), ...plan.latecomers.map((f) => f.id)];
        const existing = photoById(photo.id);
        const record: PhotoRecord = {
          id: photo.id,
          // In its place when known (in the spelling on disk), or new: withMainPathFirst orders them below.
          paths: uniquePaths([...(existing?.paths.map((p) => (samePath(p, photo.path, rules) ? photo.path : p)) ?? []), photo.path], rules),
          missing: false,
          width: decoded.width,
          height: decoded.height,
          orientation: decoded.orientation,
          takenAt: decoded.takenAt,
          ...(decoded.takenOffset !== null ? { takenOffset: decoded.takenOffset } : {}),
          ...(decoded.takenOffset !== null && decoded.takenOffsetKnown ? { takenOffsetKnown: true } : {}),
          bytes: photo.bytes,
          format: decoded.format,
          analysis: photo.restored ? { pipelineVersion: photo.restored.pipelineVersion, analysedAt: photo.restored.analysedAt } : { pipelineVersion, analysedAt: now },
          pictureHash: photo.pictureHash,
          pixelsHash: photo.pixelsHash,
          faceIds,
          fileStamps: { ...stampsWithout(existing?.fileStamps, [photo.path], rules), [photo.path]: photo.stamp },
        };
        record.paths = withMainPathFirst(record, existing?.missing ?? false);
        if (existing) {
          // Read again undated, or without an EXIF offset: nothing of an earlier reading's offset stays with it.
          if (record.takenOffset === undefined) delete existing.takenOffset;
          if (record.takenOffsetKnown === undefined) delete existing.takenOffsetKnown;
          Object.assign(existing, record);
          // Analysed again: what was kept of its dropped faces went to the faces found in their places.
          delete existing.lostFaces;
          changedPhotos.add(existing);
        } else {
          photoNow.set(record.id, record);
          changedPhotos.add(record);
        }
      }
      for (const plan of plans) {
        const displaced = plan.displaced && !removedPhotos.has(plan.displaced.id) && photoById(plan.displaced.id);
        if (displaced) {
          // Missing once it has no path left: its faces and names stay until the user forgets it (remove --missing).
          // Keeping the path would let a look at the disk find "it" there again.
          losePath(displaced, plan.photo.path, rules);
          changedPhotos.add(displaced);
        }
        // Edited while out of the library, it kept what the user said of its faces as an edit in it does.
        if (plan.photo.keptFrom !== undefined && plan.recovered.size > 0) edited.add(plan.photo.id);
        const predecessor = plan.predecessor && !removedPhotos.has(plan.predecessor.id) && photoById(plan.predecessor.id);
        if (!predecessor) continue;
        if (plan.inherited.size > 0) edited.add(plan.photo.id);
        if (plan.replaces) {
          removedPhotos.add(predecessor.id);
          changedPhotos.delete(predecessor);
          const carried = facesNowOf(predecessor.id);
          for (const face of carried) {
            face.photoId = plan.photo.id; // user faces carried along, turned with the picture
            if (plan.turn) turnFace(face, plan.turn, predecessor);
            facesPut.set(face.id, face);
          }
          tx.put('faces', carried);
          for (const person of tx.people.people) {
            if (person.coverFaceId !== null && plan.renamed.has(person.coverFaceId)) person.coverFaceId = plan.renamed.get(person.coverFaceId)!;
          }
          // Undo steps taken before the rewrite reach the faces that took over.
          renameFacesInDecisions(tx.people.decisions, plan.renamed);
        } else {
          // Its old bytes live on under its other paths, or it waits as missing with the faces no new face took over.
          losePath(predecessor, plan.photo.path, rules);
          changedPhotos.add(predecessor);
        }
      }
      // A path that now holds another known photo (one file copied over another) no longer holds the photo it did:
      // that one loses the path, missing once it has none left. QA: `who` named the old photo's person for the file.
      pathOwners.note(changedPhotos);
      const ownersOf = (path: string) => pathOwners.of(path, (id) => (removedPhotos.has(id) ? undefined : photoById(id)));
      for (const [id, seen] of paths) {
        for (const path of seen.keys()) {
          for (const other of ownersOf(path)) {
            if (other.id === id) continue;
            losePath(other, path, rules);
            changedPhotos.add(other);
          }
        }
      }
      for (const [id, seen] of paths) {
        const existing = removedPhotos.has(id) ? undefined : photoById(id);
        if (!existing) continue;
        changedPhotos.add(existing);
        // The same file reached by another path (its folder through a link, then by its own path) takes that path.
        const spelt = new Map([...seen.keys()].map((p) => [key(p), p]));
        const sameFile = respelt.get(id) ?? new Map<string, string>();
        const known = new Set(existing.paths.map(key));
        const respelling = new Set([...sameFile.values()].map(key));
        // A path it had before its folder was removed (a copy elsewhere kept it) is where it was, not a new one (QA).
        const hadBefore = new Set((existing.removedPaths ?? []).map(key));
        const fresh = [...seen.keys()].filter((p) => !known.has(key(p)));
        if (fresh.some((p) => !respelling.has(key(p)) && !hadBefore.has(key(p))) && !newIds.has(id)) foundAtNewPaths.add(id);
        if (existing.removedPaths) {
          const notSeen = existing.removedPaths.filter((p) => !spelt.has(key(p)));
          if (notSeen.length > 0) existing.removedPaths = notSeen;
          else delete existing.removedPaths;
        }
        // A path stored in another spelling (imported as c:\photos, or the folder renamed Photos since) takes the one
        // on disk, in its place; no path is listed twice. The main path stays first (withMainPathFirst).
        existing.paths = uniquePaths([...existing.paths.map((p) => spelt.get(key(p)) ?? sameFile.get(key(p)) ?? p), ...fresh], rules);
        const wasMissing = existing.missing;
        existing.missing = false;
        existing.fileStamps = { ...stampsWithout(existing.fileStamps, [...seen.keys(), ...sameFile.keys()], rules), ...Object.fromEntries(seen) };
        existing.paths = withMainPathFirst(existing, wasMissing);
      }
      pathOwners.note(changedPhotos);
      if (removedPhotos.size > 0) tx.remove('photos', removedPhotos);
      tx.put('photos', changedPhotos);
      return plans.flatMap((p) => p.dropped);
    });
    if (dropped.length) await library.removeThumbs(dropped);
  };

  /** Photos that wait for the last commit (AnalysedPhoto.waitsForFolders), and the paths their copies were seen at meanwhile. */
  const waiting: AnalysedPhoto[] = [];
  const waitingPaths = new Map<string, Map<string, FileStamp>>();
  const flush = (force: boolean) => {
    if (!force) {
      waiting.push(...pendingAnalysed.filter((photo) => photo.waitsForFolders));
      pendingAnalysed = pendingAnalysed.filter((photo) => !photo.waitsForFolders);
      for (const photo of waiting) {
        const seen = pendingPaths.get(photo.id);
        if (!seen) continue;
        waitingPaths.set(photo.id, new Map([...(waitingPaths.get(photo.id) ?? []), ...seen]));
        pendingPaths.delete(photo.id);
      }
      // Too many faces waiting: the first photos go with this batch, as the files read so far tell.
      let facesWaiting = waiting.reduce((sum, photo) => sum + photo.faces.length, 0);
      let goingNow = 0;
      while (goingNow < waiting.length && facesWaiting > MAX_WAITING_FACES) facesWaiting -= waiting[goingNow++].faces.length;
      for (const photo of waiting.splice(0, goingNow)) {
        delete photo.waitsForFolders;
        pendingAnalysed.push(photo);
        const seen = waitingPaths.get(photo.id);
        if (seen) pendingPaths.set(photo.id, new Map([...seen, ...(pendingPaths.get(photo.id) ?? [])]));
        waitingPaths.delete(photo.id);
      }
    }
    const waited = (performance.now() - lastCommit) / 1000;
    const due =
      waited >= Math.max(BATCH_SECONDS, COMMIT_COST_FACTOR * lastCommitSeconds) || pendingAnalysed.length >= BATCH_MAX_PHOTOS || pendingPaths.size >= BATCH_MAX_PATHS;
    if (!force && !due) return Promise.resolve();
    const batch = force ? [...waiting.splice(0), ...pendingAnalysed] : pendingAnalysed;
    const paths = pendingPaths;
    if (force) {
      for (const [id, seen] of waitingPaths) paths.set(id, new Map([...seen, ...(paths.get(id) ?? [])]));
      waitingPaths.clear();
    }
    pendingAnalysed = [];
    pendingPaths = new Map();
    lastCommit = performance.now();
    commitsQueued++;
    commitChain = commitChain
      .then(async () => {
        const t = performance.now();
        await commit(batch, paths);
        lastCommitSeconds = (performance.now() - t) / 1000;
        // Written: their kept analyses are spent (a crash before this leaves entries the library's photos hold again, never read).
        await forgetKept(batch.filter((photo) => (photo.restored || photo.keptDecisions) && !photo.keptForOtherPaths).map((photo) => photo.keptFrom ?? photo.id));
        for (const photo of batch) keptDecisionsLost += photo.keptDecisionsLost ?? 0;
        for (const photo of batch) {
          unwritten.photos -= photo.adds.photos;
          unwritten.faces -= photo.adds.faces;
        }
        // Unchanged paths were dropped from `paths`: nothing written, nothing to tell.
        if (batch.length > 0 || paths.size > 0) options.onStored?.();
      })
      .finally(() => commitsQueued--);
    commitChain.catch((err: unknown) => {
      failure ??= err; // stops the lanes; rethrown by the final flush
    });
    // Lanes keep analysing while a batch is written; they wait only if writing falls two batches behind.
    return force || commitsQueued > 1 ? waitForCommits(commitChain) : Promise.resolve();
  };
  // While lanes wait for the commits, the progress is said again every second: a commit that writes photos.json whole
  // (seconds, at 100,000 photos) otherwise read as a hang.
  let waitingLanes = 0;
  let sayingStillAtIt: NodeJS.Timeout | undefined;
  const waitForCommits = async (commits: Promise<void>) => {
    if (waitingLanes++ === 0) sayingStillAtIt = setInterval(report, 1000);
    try {
      await commits;
    } finally {
      if (--waitingLanes === 0) clearInterval(sayingStillAtIt);
    }
  };

  let analyzer: FaceAnalysisService | null = null;
  let analyzerPromise: Promise<FaceAnalysisService> | null = null;
  /** Why the face finder could not start, when it could not. */
  let startFailure: unknown = null;
  const needAnalyzer = () => {
    if (!analyzerPromise) {
      // Loading the face models takes several seconds with no photo done: said, so the import does not look stuck
      // (QA: "143 found" at 0 % for twelve seconds).
      tracker.report('analyse', done, files.length, { message: STARTING_FACE_FINDER, detail: detail() });
      analyzerPromise = getAnalyzer().then(
        (a) => {
          // The seconds the models took to load are no measure of the photos' pace (QA: "0.1 photos/s, 43:05 left" at
          // the start of an import that took 88 s).
          tracker.resetWindow();
          return (analyzer = a);
        },
        (err: unknown) => {
          startFailure = err;
          throw err;
        },
      );
    }
    return analyzerPromise;
  };

  /**
   * Reads `file` into the library. Returns the faces of a photo the library has already that it is the first file of
   * (facesKnown), for the lane to count with the file done: counted as it began, they ran ahead of the files done (QA:
   * an unchanged re-import's first line read "1/19 files, 4 faces", the faces of the files the other lanes had begun).
   */
  const processFile = async (file: ScannedFile): Promise<number> => {
    if (file.size === 0) {
      unreadPaths.add(key(file.path));
      skipped.push({ path: file.path, reason: 'empty file (0 bytes)' });
      return 0;
    }
    let id: string;
    // A file not seen before (or changed) is read once: hashed here, and decoded from the same bytes if it needs
    // analysing (never from the path: see readPhotoBytes).
    let bytes: Buffer | undefined;
    const stamp: FileStamp = { size: file.size, mtimeMs: file.mtimeMs };
    const previous = stamped.get(key(file.path));
    try {
      if (previous && sameStamp(previous, stamp)) id = previous.id;
      else id = hashBytes((bytes = await readPhotoBytes(file.path)));
    } catch (err) {
      unreadPaths.add(key(file.path));
      skipped.push({ path: file.path, reason: err instanceof UnreadablePhotoError ? err.message : describeReadError(err) });
      return 0;
    }
    pathToId.set(key(file.path), id);
    // Another copy of this content is being analysed in this run: wait for it, then it is a known photo.
    while (inFlight.has(id)) await inFlight.get(id);
    const known = library.photo(id);
    const upToDate = keepsItsAnalysis(id);
    const firstSight = !seenIds.has(id);
    seenIds.add(id);
    if (upToDate) {
      // A copy of a photo analysed in this run is counted in facesFound already.
      const knownFaces = firstSight && !analysedThisRun.has(id) ? library.facesOfPhoto(id).length : 0;
      if (seenAsKnown(id, file.path, stamp)) return knownFaces;
      const seen = pendingPaths.get(id) ?? new Map<string, FileStamp>();
      seen.set(file.path, stamp);
      pendingPaths.set(id, seen);
      return knownFaces;
    }
    if (!known) newIds.add(id);
    let release!: () => void;
    inFlight.set(id, new Promise<void>((r) => (release = r)));
    try {
      // The hash and the pixels must come from the same content: a file known by its stamp is read now, and one
      // rewritten since it was hashed is left for next time.
      const readNow = bytes === undefined;
      const content = bytes ?? (await readPhotoBytes(file.path));
      bytes = undefined; // only `content` holds the file from here, released with it
      if (readNow && hashBytes(content) !== id) throw new UnreadablePhotoError('it changed while being read; import again once it is complete');
      const decoded = await withTimeout(decodePhoto(content, maxSide), fileTimeout, 'decoding');
      const { image, ...meta } = decoded;
      const keptEntry = known ? null : await keptAnalysisOf(id, decoded);
      const keptDecisions = keptEntry?.analysis.decisions?.length ? keptDecisionsOf(keptEntry.analysis) : undefined;
      if (keptEntry?.holds) {
        const keptAnalysis = keptEntry.analysis;
        // Back in the library: its faces are those its analysis found, their crops cut from the pixels decoded.
        const hash = pictureHash(image);
        const faces = await withTimeout(keptFaces(keptAnalysis, decoded, content), fileTimeout, 'decoding');
        restoredCount++;
        facesFound += faces.length;
        unwritten.photos += 1;
        unwritten.faces += faces.length;
        const restored = { faceIndices: keptAnalysis.faces.map((f) => f.index), pipelineVersion: keptAnalysis.pipelineVersion, analysedAt: keptAnalysis.analysedAt };
        pendingAnalysed.push({ id, path: file.path, stamp, bytes: file.size, decoded: meta, pictureHash: hash, pixelsHash: pixelsHashOf(image), faces, adds: { photos: 1, faces: faces.length }, restored, keptDecisions });
        analysedThisRun.add(id);
        return 0;
      }
      const hash = pictureHash(image);
      const pixelsHash = pixelsHashOf(image);
      // New bytes at a path the library knows, and the very pixels this pipeline analysed: another app wrote its
      // metadata (a rating, keywords, names: digiKam's and Lightroom's "write metadata to file"). Its faces are those
      // found before, cut from these pixels, and no face model runs (QA: a rating written into 30 photos had them all
      // analysed again, longer than their first import took). The commit hands the faces' decisions over as for any
      // edit (editedFrom). Not a look again, which is asked to analyse; nor by the perceptual hash, which a face
      // blurred for privacy often leaves as it was.
      const heldBefore = !known && previous && previous.id !== id ? library.photo(previous.id) : undefined;
      const samePixels =
        heldBefore?.pixelsHash === pixelsHash && heldBefore.analysis?.pipelineVersion === pipelineVersion && options.lookAgain !== true;
      const sameFaces = samePixels ? analysisToKeep(library, heldBefore) : null;
      if (sameFaces && keptAnalysisHolds(sameFaces, decoded, pipelineVersion, maxSide)) {
        const faces = await withTimeout(keptFaces(sameFaces, decoded, content), fileTimeout, 'decoding');
        facesFound += faces.length;
        unwritten.photos += 1;
        unwritten.faces += faces.length;
        pendingAnalysed.push({ id, path: file.path, stamp, bytes: file.size, decoded: meta, pictureHash: hash, pixelsHash, faces, adds: { photos: 1, faces: faces.length } });
        analysedThisRun.add(id);
        // Quick, as an unchanged file is: the pace of analysis (doctor's estimates) is measured without it.
        quickFiles.add(file);
        return 0;
      }
      const service = analyzer ?? (await needAnalyzer()); // a pool that cannot start stops the import
      let faces: DetectedFace[];
      let turned: AnalysedPhoto['turned'];
      let movedFrom: string | undefined;
      let editedWhileOut: Awaited<ReturnType<typeof keptEditedAt>> = null;
      /**
       * The analysis of `picture`: the decoded pixels as they are, or turned `turnedBy` quarters clockwise (turnedBack
       * looks at them as the picture was). Both take the closer look at small faces, in the same frame.
       */
      const analyse = async (picture: RgbImage, turnedBy?: Exclude<Quarters, 0>): Promise<DetectedFace[]> => {
        const frame = turnedFrame(meta, turnedBy);
        let found = await withTimeout(service.analyze(picture), fileTimeout, 'face analysis');
        if (options.closerLook === false) return found;
        const closer = closerLookSide(found, { ...frame, image: picture }, maxSide);
        if (closer !== null) {
          // The closer look only adds: if it fails (a worker dies, the larger decode times out), the photo keeps the
          // faces the first analysis found rather than being skipped.
          try {
            const decodedLarger = await withTimeout(decodePhoto(content, closer.side), fileTimeout, 'decoding');
            const larger = turnedBy ? turnImage(decodedLarger.image, turnedBy).image : decodedLarger.image;
            const closerFound = await withTimeout(
              service.analyze(larger, { closerLook: true, panorama: closer.panorama }),
              fileTimeout * closerLookTimeFactor(closer),
              'face analysis',
            );
            found = mergeCloserLook(found, closerFound, picture.width / larger.width);
          } catch {
            // keep the first analysis's faces
          }
        }
        // Likewise: a face that cannot be described again keeps its first description.
        try {
          found = await withTimeout(describeSmallFacesAgain(content, found, frame, service, maxSide, turnedBy), fileTimeout, 'face analysis');
        } catch {
          // keep the faces as they are
        }
        return found;
      };
      try {
        faces = await analyse(image);
        // New bytes at a path the library knows: maybe the picture it held, turned (turnedBack). New bytes at a new
        // path: maybe a photo whose files are all gone, moved and turned (movedAndTurnedFrom).
        const atPath = !known && previous && previous.id !== id ? library.photo(previous.id) : undefined;
        const before = atPath ? [atPath] : !known && !previous ? await movedAndTurnedFrom({ ...meta, image }, faces) : [];
        // Every candidate is turned back from the same pixels: each turn is analysed once, however many ask for it.
        const turnedAnalyses = new Map<Quarters, Promise<DetectedFace[]>>();
        const analyseTurned = (picture: RgbImage, turnedBy: Exclude<Quarters, 0>): Promise<DetectedFace[]> => {
          let analysis = turnedAnalyses.get(turnedBy);
          if (!analysis) turnedAnalyses.set(turnedBy, (analysis = analyse(picture, turnedBy)));
          return analysis;
        };
        for (const candidate of before) {
          try {
            const back = await withTimeout(
              turnedBack({ ...candidate, faces: library.facesOfPhoto(candidate.id) }, storedVectorOf(library), { ...meta, image }, faces, analyseTurned),
              // Each turn analysed may take a closer look too.
              fileTimeout * 6,
              'face analysis',
            );
            if (back) {
              [faces, turned] = [back.faces, back.quarters];
              if (candidate !== atPath) movedFrom = candidate.id;
              break;
            }
          } catch {
            // keep the faces found as it is
          }
        }
        // New bytes at a path the library knew before a removal, and no analysis kept of these bytes: maybe the photo
        // that left from there, edited meanwhile. QA: a group photo cropped while its folder was out came back unnamed.
        if (!known && !previous && !keptEntry && movedFrom === undefined) {
          editedWhileOut = await keptEditedAt(file.path, id, { ...meta, image }, faces, analyseTurned);
          if (editedWhileOut) [faces, turned] = [editedWhileOut.faces, editedWhileOut.turned];
        }
        consecutiveAnalysisFailures = 0;
      } catch (err) {
        if (err instanceof UnreadablePhotoError) throw err;
        // A worker that died on one photo is replaced by the pool: skip the photo, unless every photo fails.
        const message = err instanceof Error ? err.message : String(err);
        if (++consecutiveAnalysisFailures >= MAX_CONSECUTIVE_ANALYSIS_FAILURES) {
          throw new Error(`Face analysis failed on ${consecutiveAnalysisFailures} photos in a row (last: ${message}); the import stopped.`);
        }
        throw new UnreadablePhotoError(`face analysis failed: ${message}`);
      }
      // New at a new path, maybe a photo of a folder moved meanwhile: decided once every file has been read.
      const waits = !known && !previous && movedFrom === undefined && !editedWhileOut && (await waitsForFolders(faces));
      analysedCount++;
      facesFound += faces.length;
      const adds = known ? { photos: 0, faces: faces.length - library.facesOfPhoto(id).length } : { photos: 1, faces: faces.length };
      unwritten.photos += adds.photos;
      unwritten.faces += adds.faces;
      pendingAnalysed.push({
        id,
        path: file.path,
        stamp,
        bytes: file.size,
        decoded: meta,
        pictureHash: hash,
        pixelsHash,
        faces,
        adds,
        ...(turned ? { turned } : {}),
        ...(movedFrom ? { movedFrom } : {}),
        ...(keptDecisions ? { keptDecisions } : {}),
        ...(editedWhileOut ? { keptDecisions: editedWhileOut.decisions, keptFrom: editedWhileOut.from, keptDecisionsLost: editedWhileOut.lost, ...(editedWhileOut.otherPaths && { keptForOtherPaths: true as const }) } : {}),
        ...(waits ? { waitsForFolders: true as const } : {}),
      });
      analysedThisRun.add(id);
    } catch (err) {
      if (!(err instanceof UnreadablePhotoError)) {
        const code = (err as NodeJS.ErrnoException).code;
        if (!code) throw err; // the pool or the store failed: the import cannot go on
        skipped.push({ path: file.path, reason: describeReadError(err) });
      } else {
        skipped.push({ path: file.path, reason: err.message });
      }
      // A photo the path held keeps it, as the disk still has a file there: "remove --missing" and doctor, which look
      // only for the file, would not call it missing, and every import would again (QA: a loop between the two).
      pathToId.delete(key(file.path));
      unreadPaths.add(key(file.path));
      newIds.delete(id);
      seenIds.delete(id);
    } finally {
      inFlight.delete(id);
      release();
    }
    return 0;
  };

  // Decode a little ahead of the workers so they never wait, without holding many decoded photos in memory.
  const lanes = Math.max(1, options.concurrency ?? 4);
  let next = 0;
  const lane = async () => {
    while (next < files.length && !signal?.aborted && failure === null) {
      const file = files[next++];
      const quick = quickFiles.has(file);
      let knownFaces: number;
      try {
        knownFaces = await processFile(file);
      } catch (err) {
        failure ??= err;
        return;
      }
      facesKnown += knownFaces; // after the await: `facesKnown += await …` would add to the count read before it
      // A file not read (skipped, empty) holds no photo.
      const id = pathToId.get(key(file.path));
      if (id !== undefined && seenIds.has(id)) photosDone.add(id);
      done++;
      if (quick) quickDone++;
      else if (quickFiles.has(file)) quickDoneLate++;
      report();
      await flush(false).catch((err: unknown) => {
        failure ??= err;
      });
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  report();
  // Stopped part-way, the photos waiting for the end to tell whether their folder moved are not written as new ones:
  // the import that resumes reads them again, with every file to tell (a review: a cancel lost the names the wait
  // was for). A crash loses them the same way.
  // Nor are they counted as analysed or new in the stopped import's summary (a review: it counted them).
  if ((signal?.aborted && done < files.length) || failure !== null) {
    for (const photo of waiting.splice(0)) {
      analysedCount--;
      facesFound -= photo.faces.length;
      unwritten.photos -= photo.adds.photos;
      unwritten.faces -= photo.adds.faces;
      newIds.delete(photo.id);
    }
    waitingPaths.clear();
  }
  await flush(true);
  // The face finder failed to start after the stop was asked: part of the stop, not the import's failure. A worker
  // process forked as Ctrl-C came dies of it before it is in a process group of its own (QA: "The face analysis worker
  // crashed: write EPIPE" for a clean Ctrl-C); the next import starts it again, and says so if it truly cannot start.
  if (failure !== null && failure === startFailure && signal?.aborted) failure = null;
  if (failure) {
    if (isDiskWriteError(failure)) {
      const code = (failure as NodeJS.ErrnoException).code;
      const why = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : code === 'EROFS' ? 'the library folder is read-only' : 'it refused the write';
      throw new Error(
        `Could not write to the library at ${library.dir} (${why}: ${(failure as Error).message}); it keeps its state from before the failed write — free space or fix the folder and import again to continue.`,
      );
    }
    throw failure;
  }
  // A photo seen at a path it had, and at a new one too, was not found elsewhere: the new file is a copy, counted among
  // the copies (QA: a file duplicated in a folder imported again was said a copy, and a photo found at a new path).
  const seenWhereItWas = new Set([...pathToId].filter(([path, id]) => pathsBefore.has(`${id}\n${path}`)).map(([, id]) => id));
  const summaryNow = (): ImportSummary => ({
    copies: [...pathToId.values()].filter((id) => seenIds.has(id)).length - seenIds.size,
    photos: seenIds.size,
    newPhotos: newIds.size,
    analysed: analysedCount,
    restored: restoredCount,
    restoredDecisions,
    keptDecisionsLost,
    faces: facesFound,
    totalFaces: library.faces.filter((f) => !f.notAFace).length,
    skipped: skipped.sort(inWalkOrderOf(roots, platformRules)),
    missing: library.photos.filter((p) => p.missing).length,
    foundAtNewPaths: [...foundAtNewPaths].filter((id) => !seenWhereItWas.has(id)).length,
    edited: edited.size,
    seconds: round((performance.now() - started) / 1000, 2),
    keptAnalysesProblem,
    noPhotos: null,
    stopped: null,
  });
  // What was written is kept: said, so the caller can group those faces and tell the user how far it got. The paths
  // are not settled (the files not gone through are not missing). A cancel that came once every file was gone through
  // stopped nothing: the import ends as it would have.
  if (signal?.aborted && done < files.length) throw new JobCancelledError('import', { ...summaryNow(), stopped: { how: 'cancelled', files: done, of: files.length } });
  // The kept analyses of no use, and those of other pipelines (retired when first read), leave the file.
  if (kept && keptReady) {
    await forgetKept([...keptUseless]);
    await kept.tidy((id) => library.photo(id) !== undefined).then(() => sayKeptProblem(), sayKeptProblem);
  }

  // Paths under the imported folders that no longer hold their photo: moved, deleted or replaced. Every photo of the
  // library is looked at (outside the folders, on disk), said as it goes (QA met half a minute of silence at the end of
  // a re-import of 100,000 photos).
  tracker.resetWindow();
  const onDisk = heldOnDisk(library, filesOnDisk(platformRules), platformRules);
  await settlePaths(
    library,
    (photo, path) => (insideRoots(path) ? Promise.resolve(pathToId.get(key(path)) === photo.id || unreadPaths.has(key(path)) || unreadByScan(path)) : onDisk(photo, path)),
    (checked, of) => tracker.report('settle', checked, of, { message: settlingWords(checked, of) }),
  );
  await library.saveIndex();

  const summary = summaryNow();
  if (summary.photos === 0 && !options.lookAgain && roots.length > 0) summary.noPhotos = await whyNoPhotos(roots, skipped, rules);
  return summary;
}

/**
 * Why an import given `roots` found no photo: one file given is named with the reason it is none (QA: a text file
 * named .jpg got "Your library is up to date"); folders are only listed, their files' reasons are in `skipped`.
 */
async function whyNoPhotos(roots: string[], skipped: readonly SkippedFile[], rules: PathRules): Promise<ImportSummary['noPhotos']> {
  const file = roots.length === 1 && (await stat(roots[0]).then((s) => s.isFile(), () => false)) ? roots[0] : null;
  const reason = file === null ? null : (skipped.find((s) => samePath(s.path, file, rules))?.reason ?? 'Familiar could not read it');
  return { paths: roots, fileReason: reason, formats: READ_FORMATS_IN_WORDS };
}

/** What an import says while it looks for the photos moved or deleted (its 'settle' stage). */
export function settlingWords(checked: number, of: number): string {
  return `Looking for photos moved or deleted: ${checked.toLocaleString('en')} of ${of.toLocaleString('en')} checked`;
}

/** Whether a JobCancelledError's `kept` is what a cancelled import kept (importFolders). */
export function isKeptImport(kept: unknown): kept is ImportSummary {
  return typeof kept === 'object' && kept !== null && 'photos' in kept && 'stopped' in kept;
}

/** How files are looked at on disk (node's; tests put a failing disk in its place). */
export interface FileLooks {
  stat: (path: string) => Promise<{ isFile(): boolean }>;
  readdir: (folder: string, options: { withFileTypes: true }) => Promise<Dirent[]>;
}

const nodeFileLooks: FileLooks = { stat, readdir };

/**
 * Whether the file at `path` is there, as far as the disk tells: a stat that fails for any reason but "no such file"
 * (no permission to look, a share that did not answer) tells nothing, and counts as there. QA: a folder made unreadable
 * turned its photos "missing from disk", and "remove --missing" then forgot them with their names.
 */
const isFileOnDisk = (path: string, looks: FileLooks) => looks.stat(path).then((s) => s.isFile(), (err: unknown) => !saysItIsGone(err));

/**
 * Whether each file asked of is on disk, as isFileOnDisk says, from its folder's listing, read once: the photos outside
 * the folders an import reads were a stat each at every import (100,000 photos elsewhere in the library: seconds, and
 * minutes on a network drive). A folder gone holds none of its files; a name listed as a link, or in a folder that
 * cannot be listed, is asked of the disk.
 */
function filesOnDisk(rules: PathRules = pathRules(), looks: FileLooks = nodeFileLooks): (path: string) => Promise<boolean> {
  const listings = new Map<string, Promise<Map<string, Dirent> | 'gone' | null>>();
  const listing = (folder: string) =>
    looks.readdir(folder, { withFileTypes: true }).then(
      (entries) => new Map(entries.map((entry) => [rules.key(entry.name), entry])),
      (err: unknown) => (saysItIsGone(err) ? 'gone' : null),
    );
  return async (path) => {
    const folder = rules.path.dirname(path);
    let listed = listings.get(folder);
    if (!listed) listings.set(folder, (listed = listing(folder)));
    const entries = await listed;
    if (entries === 'gone') return false;
    const entry = entries?.get(rules.key(rules.path.basename(path)));
    if (entries && !entry?.isSymbolicLink()) return entry?.isFile() ?? false;
    return isFileOnDisk(path, looks);
  };
}

/**
 * Whether a photo's path still holds it, as far as a look at the disk (no read) tells: its file is there, and, for a
 * photo missing already, no photo found since holds that path. A file replaced by another photo (a camera's
 * IMG_0001.jpg again) left the old one missing at the import, and "remove --missing" and doctor, seeing a file there,
 * found it on disk (QA).
 */
function heldOnDisk(library: Library, onDisk: (path: string) => Promise<boolean>, rules: PathRules = pathRules()): (photo: PhotoRecord, path: string) => Promise<boolean> {
  let holders: Map<string, string> | null = null;
  const holderOf = (path: string) => {
    holders ??= new Map(library.photos.filter((p) => !p.missing).flatMap((p) => p.paths.map((path) => [rules.key(path), p.id] as const)));
    return holders.get(rules.key(path));
  };
  return async (photo, path) => {
    if (photo.missing) {
      const holder = holderOf(path);
      if (holder !== undefined && holder !== photo.id) return false;
    }
    return onDisk(path);
  };
}

/**
 * Where the folders of an import under way are remembered (settings.json), written before any file is read and
 * cleared when the import ends: after a crash or a kill the next open still knows what to offer to resume, a first
 * import's folder not being watched yet (QA: the user had to remember the path).
 */
export const UNFINISHED_IMPORTS_KEY = 'unfinishedImports';

/** The folders of imports that never ended, as stored; a value that is not a list of paths (hand-edited) is none. */
export function storedUnfinishedImports(settings: Readonly<Settings>, rules: PathRules = pathRules()): string[] {
  const value = settings[UNFINISHED_IMPORTS_KEY];
  return Array.isArray(value) ? uniquePaths(value.filter((v): v is string => typeof v === 'string' && v !== ''), rules) : [];
}

/** Which of `paths` are folders, absolute and as the disk spells them: what an import of them is remembered by. */
export async function foldersAmong(paths: readonly string[], rules: PathRules = pathRules()): Promise<string[]> {
  const folders: string[] = [];
  for (const path of paths) {
    const absolute = rules.path.resolve(path);
    if (await stat(absolute).then((s) => s.isDirectory(), () => false)) folders.push(absolute);
  }
  return uniquePaths(await onDiskSpellings(folders, rules), rules);
}

const sameStoredValue = (stored: unknown, next: readonly string[] | undefined) => JSON.stringify(stored) === JSON.stringify(next);

/** Remembers `folders` as being imported, durably (one atomic settings write) before the import reads a file. */
export async function rememberUnfinishedImport(library: Library, folders: readonly string[], rules: PathRules = pathRules()): Promise<void> {
  const known = storedUnfinishedImports(library.settings, rules);
  const next = [...known, ...folders.filter((f) => !known.some((k) => samePath(k, f, rules)))];
  if (sameStoredValue(library.settings[UNFINISHED_IMPORTS_KEY], next)) return;
  await library.transaction((tx) => {
    tx.settings[UNFINISHED_IMPORTS_KEY] = next;
  });
}

/**
 * Forgets the import of `folders` (ended, or cancelled with Resume at hand), and any unfinished one inside them: their
 * files have now all been gone through. Other folders stay: an import that never ended before this one still waits.
 */
export async function forgetUnfinishedImport(library: Library, folders: readonly string[], rules: PathRules = pathRules()): Promise<void> {
  const known = storedUnfinishedImports(library.settings, rules);
  const left = known.filter((k) => !folders.some((f) => isInside(f, k, rules)));
  // A malformed value goes too, once an import ends.
  if (sameStoredValue(library.settings[UNFINISHED_IMPORTS_KEY], left.length > 0 ? left : undefined)) return;
  await library.transaction((tx) => {
    if (left.length > 0) tx.settings[UNFINISHED_IMPORTS_KEY] = left;
    else delete tx.settings[UNFINISHED_IMPORTS_KEY];
  });
}

/** Per photo whose paths changed: the paths that still hold it, and whether none does. */
export type PathChanges = Map<string, { paths: string[]; missing: boolean }>;

/** Told as photos are looked at: how many of how many, every fraction of a second (at 100,000 photos it takes a while). */
type CheckedListener = (checked: number, of: number) => void;

/** Time between two CheckedListener calls. */
const CHECKED_EVERY_MS = 200;

/**
 * Which paths no longer hold their photo (`holds` says); a photo with none left is missing and keeps its last known
 * paths: the user may plug the drive back in. A photo found again is no longer missing. Reads, changes nothing.
 */
async function pathChanges(
  library: Library,
  holds: (photo: PhotoRecord, path: string) => Promise<boolean>,
  onChecked?: CheckedListener,
  photos: readonly PhotoRecord[] = library.photos,
): Promise<PathChanges> {
  const changes: PathChanges = new Map();
  const settle = async (photo: PhotoRecord) => {
    const kept: string[] = [];
    for (const path of photo.paths) if (await holds(photo, path)) kept.push(path);
    const next = kept.length > 0 ? { paths: kept, missing: false } : { paths: photo.paths, missing: true };
    if (next.missing !== photo.missing || next.paths.length !== photo.paths.length) changes.set(photo.id, next);
  };
  // 64 photos at a time, as lookAgain does: one stat after another, 100,000 photos on a network drive take minutes,
  // and "Forget them…" asks for this before its dialog shows.
  onChecked?.(0, photos.length);
  let saidAt = performance.now();
  for (let start = 0; start < photos.length; start += 64) {
    await Promise.all(photos.slice(start, start + 64).map(settle));
    if (performance.now() - saidAt < CHECKED_EVERY_MS) continue;
    onChecked?.(Math.min(start + 64, photos.length), photos.length);
    // Photos answered without a look at the disk leave no turn to anything else (a Ctrl-C, the progress sent on).
    await new Promise(setImmediate);
    saidAt = performance.now();
  }
  onChecked?.(photos.length, photos.length);
  return changes;
}

/** pathChanges, written: only the photos that changed (at 100,000 photos, every one compared and rewritten took seconds). */
async function settlePaths(library: Library, holds: (photo: PhotoRecord, path: string) => Promise<boolean>, onChecked?: CheckedListener): Promise<void> {
  const changes = await pathChanges(library, holds, onChecked);
  if (changes.size === 0) return;
  await library.transaction((tx) => {
    const changed: PhotoRecord[] = [];
    for (const [id, change] of changes) {
      const photo = library.photo(id);
      if (!photo) continue;
      photo.paths = change.paths;
      photo.missing = change.missing;
      if (photo.fileStamps) {
        photo.fileStamps = Object.fromEntries(Object.entries(photo.fileStamps).filter(([path]) => change.paths.includes(path)));
      }
      changed.push(photo);
    }
    tx.put('photos', changed);
  });
}

/**
 * Looks at every photo's files on disk, as an import does for the photos outside the folders it scans: deleted or
 * moved outside Familiar since, and no import of their folder noticed. Run before the photos missing from disk are
 * counted or forgotten, so "familiar remove --missing" right after deleting a folder finds it.
 */
export function refreshMissingPhotos(library: Library): Promise<void> {
  return settlePaths(library, heldOnDisk(library, filesOnDisk()));
}

/**
 * Marks the photos under `folders` (watched folders found gone: moved, renamed, deleted; remove-folder.ts isGoneFolder)
 * as no longer there, without looking at any file: a photo with a copy elsewhere only forgets the paths under them.
 * Judged inside the transaction, on the photos as they are then: an import committing meanwhile (the folder's photos
 * found at their new place) is not overwritten. Writes only when a photo there is not yet so.
 */
export async function settleGoneFolders(library: Library, folders: readonly string[], rules: PathRules = pathRules()): Promise<void> {
  if (folders.length === 0) return;
  const gone = insideAnyOf(folders, rules);
  const unsettled = (p: PhotoRecord) => !p.missing && p.paths.some(gone);
  if (!library.photos.some(unsettled)) return;
  await library.transaction((tx) => {
    // A photo missing already stays as it is (found nowhere, it keeps the paths it was last seen at).
    for (const photo of tx.photos) {
      if (!unsettled(photo)) continue;
      const kept = photo.paths.filter((path) => !gone(path));
      if (kept.length === 0) {
        photo.missing = true;
        continue;
      }
      photo.paths = kept;
      if (photo.fileStamps) photo.fileStamps = Object.fromEntries(Object.entries(photo.fileStamps).filter(([path]) => kept.includes(path)));
    }
  });
}

/**
 * What refreshMissingPhotos would change, for a reader that may not write (a dry run); of `photos` only when given (a
 * folder to remove looks at its own photos, not the library's).
 */
export function missingPathChanges(library: Library, looks?: FileLooks, photos?: readonly PhotoRecord[]): Promise<PathChanges> {
  return pathChanges(library, heldOnDisk(library, filesOnDisk(pathRules(), looks)), undefined, photos);
}

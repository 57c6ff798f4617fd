// Names in and out of Familiar as standard XMP face regions (MWG regions, plus Microsoft's), so a user's names are
// never locked inside this app: digiKam, Immich and PhotoPrism read the sidecars export writes (docs/names.md: who
// does not), and a library named in digiKam, Lightroom, Immich or Windows arrives here already named.
//
// Export writes a sidecar next to each photo or into a folder of the user's choice. Beside the photo it uses the
// sidecar an app already keeps there, `IMG_1.jpg.xmp` (digiKam, darktable, Immich) or `IMG_1.xmp` (Lightroom,
// darktable for raw files), any case, both when both are there, and makes `IMG_1.jpg.xmp` when there is none. It
// never touches a photo. Into a sidecar another app wrote or changed it writes only its own face regions and names,
// keeping everything else, after a one-time backup of the file (one folder in the library per export run, see
// SidecarBackups); where that app's
// region on a face names someone else, Familiar's name is not written and is reported as a conflict. The user's
// "No, not Rose" answers go in too (familiar:NotNames), and import gives them back. Import reads the sidecar and the photo's embedded XMP
// (and a folder of sidecars, each matched to its photo even if the photos moved since: matchSidecarsToPhotos),
// matches each named region to a detected face by overlap (a region with none is kept as a face the user drew:
// main/library/drawn-faces.ts looks closer for the face the detector missed, else keeps the box as drawn), reads Google Takeout's people lists where there are no regions (takeout-names.ts), and names
// the faces in one undoable decision; a face the user already placed differently keeps the user's answer and is
// reported as a conflict.
import { constants as fsConstants, type Dirent } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, parse as parsePath, relative, resolve, sep } from 'node:path';
import type { Box } from '../../models/types.js';
import { ensureDir, writeFileAtomic } from '../store/atomic.js';
import type { Library } from '../store/library.js';
import type { FaceRecord, PersonRecord, PhotoRecord } from '../store/types.js';
import { JobCancelledError, ProgressTracker, throwIfCancelled, type ProgressListener } from '../jobs/progress.js';
import type { FaceAnalysisService } from '../library/import.js';
import { centredOnEachOther } from '../../models/detector.js';
import { readEmbeddedXmp } from '../library/embedded-xmp.js';
import { saysItIsGone } from '../library/decode.js';
import { isRawName } from '../library/camera-raw.js';
import { isImageName, isNamesSidecarName } from '../library/formats.js';
import { lookingForWords } from '../library/scan.js';
import { addDrawnFaces, DrawnFaceError, MIN_DRAWN_SIDE, type DrawnFaceRefusal } from '../library/drawn-faces.js';
import { takeOutFaces } from '../library/tagged-faces.js';
import { iou as iouOfBoxes } from '../../models/detector.js';
import {
  buildFamiliarSidecar,
  buildSidecarOver,
  mergeIntoSidecar,
  parseXmpRegions,
  photoXmpWorthKeeping,
  regionsFitPhoto,
  sidecarIsUntouched,
  XmpError,
  type NormalizedRect,
  type ParsedXmpRegions,
  type SidecarInput,
  type XmpFaceRegion,
  type XmpNotNames,
} from '../library/xmp-regions.js';
import { countedOnce } from './copy-faces.js';
import { nameFacesInBulk, recordFacesFound, validateName } from './decisions.js';
import { assignNewFaces } from './clustering.js';
import { importStarting } from './interim-groups.js';
import { scoreFaceness } from '../autoencoder/faceness-job.js';
import { FolderListing, placeTakeoutNames, readTakeoutPeople, type TakeoutPhoto } from './takeout-names.js';
import { PicasaTags } from './picasa-names.js';
import { thresholdsFor } from './thresholds.js';
import { pathRules, samePath, uniquePaths, type PathRules } from '../paths.js';
import { ExportLayout } from './export-layout.js';
import { isComparable, isPinnedUnknown, PeopleError, type PeopleLibrary } from './library.js';
import { foldName, namesakesOf, sameName } from '../../preload/names.js';
import type { Decision, OperationResult } from './types.js';

export interface SkippedSidecar {
  path: string;
  reason: string;
}

/** A face Familiar did not write into a sidecar because that sidecar's own region on the face names someone else. */
export interface SidecarNameConflict {
  path: string;
  /** Familiar's name for the face. */
  name: string;
  /** The name the sidecar gives it. */
  otherName: string;
  reason: string;
}

export interface NamesExportOptions {
  /**
   * Write the sidecars under this folder instead of next to the photos: each under the name of the folder imported that
   * holds its photo, as the photo lies in it (export-layout.ts).
   */
  to?: string;
  /**
   * Only faces the user named, confirmed or moved (the default), or false for every face shown under a named person,
   * Familiar's own placements marked unconfirmed. digiKam writes only confirmed faces to files, and so does Familiar by
   * default: QA found two strangers in a beach photo exported as "Uncle Raj" and "Auntie May".
   */
  confirmedOnly?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /**
   * Told of each sidecar the export writes (its text) or removes (null), once done: the folder watcher hears these
   * changes too, and they are no other app's names to read back (main/api/handlers.ts).
   */
  onSidecarWritten?: SidecarWritten;
}

/** A sidecar the export wrote (its text as written) or removed (null). */
export type SidecarWritten = (path: string, text: string | null) => void;

export interface NamesExportResult {
  /** Photos with at least one named face. */
  photosWithNames: number;
  /** Photos with no named face but a "not this person" answer about a named person: they get a sidecar too. */
  photosWithAnswersOnly: number;
  /**
   * The files of those two kinds of photos: a photo in two folders (a copy) is two files, each given its own sidecar,
   * so the sidecars outnumber the photos (QA: "130 photos … and 4 …: 136 sidecars written").
   */
  files: number;
  written: number;
  unchanged: number;
  /** Sidecars Familiar wrote earlier for photos that no longer have a named face. */
  removed: number;
  skipped: SkippedSidecar[];
  /**
   * Of `written`, sidecars another app wrote or changed: Familiar's regions and names went into them, and everything
   * else in them stayed.
   */
  intoOtherApps: number;
  /** Copies kept of other apps' sidecars before Familiar first wrote into them, in `backupFolder`. */
  backups: number;
  /** The folder this export kept them in (sidecar-backups/<when>/ in the library), each at its own path; null = none kept. */
  backupFolder: string | null;
  /** Faces not written because the sidecar names them otherwise (the sidecar's answer is left as it is). */
  conflicts: SidecarNameConflict[];
  /** Where the sidecars went: null = next to the photos. */
  folder: string | null;
  /** Named people the user hid: their names stay in Familiar and were not written (said, not silent). */
  hiddenPeople: number;
  /**
   * Photos with something to write whose every file is gone from disk (moved or deleted outside Familiar, a drive
   * unplugged): no sidecar can go beside them (said, not silent: QA's export of a moved folder said "0 written" only).
   */
  missingPhotos: number;
  /**
   * Faces under a named person that Familiar placed and the user never confirmed, left out because the export was
   * confirmed-only (said, not silent: QA had 22 and wondered where they went). 0 when they were written.
   */
  unconfirmedLeftOut: number;
}

export interface NamesImportOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /**
   * The face pipeline, started on first need: with it, a named region with no detected face under it is kept as a face
   * the user drew (main/library/drawn-faces.ts): a closer look finds the face the detector missed, else the region is
   * kept as drawn, and the face is named. Without it, such regions are dropped, and said (droppedRegions). With it too,
   * where another app marked a face and named no one, a closer look adds the face the detector missed, if it finds one.
   */
  analyzer?: () => Promise<FaceAnalysisService>;
  /**
   * The caller places the unnamed faces found (an import, with the faces it found itself, so they group together);
   * without it they are placed here, after the decision.
   */
  onUnnamedFacesFound?: (faceIds: readonly string[]) => void;
  /** Only these photos (an import reads the names of the photos it added); by default every photo. */
  photoIds?: ReadonlySet<string>;
  /**
   * The caller regroups the library after the names (recluster), and the names' transaction records that it is owed
   * (PeopleDocument.regroupPending). An import places its new faces instead, and leaves this off.
   */
  regroupAfter?: boolean;
  /**
   * A folder of sidecars: one an export wrote to (`exportNamesToXmp({ to })`, here or another Familiar's `names export
   * --to`), or one another app (digiKam, Lightroom, Immich) keeps. Each sidecar in it is read, before those beside the
   * photos, for the photo it belongs to (matchSidecarsToPhotos): the photos may be at another path now.
   */
  from?: string;
  /** Tests: the platform whose rules tell file names apart (main/paths.ts). */
  platform?: NodeJS.Platform;
}

/** A name read from a photo's tags that no face took (NamesImportResult.droppedRegions). */
export interface DroppedRegion {
  path: string;
  name: string;
  reason: string;
}

export interface NameConflict {
  faceId: string;
  path: string;
  /** The name the metadata gives. */
  name: string;
  /** Why Familiar kept its own answer. */
  reason: string;
}

export interface NamesImportResult {
  /** Photos whose tags were read: a photo in two places (a copy in another folder) is one photo, as the library counts it. */
  photosRead: number;
  /** Photos whose metadata named at least one face region. */
  photosWithNames: number;
  /**
   * Photos whose metadata marks a face and names no one there (Picasa's and digiKam's unnamed faces): the read looks
   * closer at each mark no face of Familiar's is on. Said when they were all the tags read, and nothing changed.
   */
  photosWithUnnamedMarks: number;
  facesNamed: number;
  /**
   * Of `facesNamed`, those named from Familiar's own sidecars (its export, read back after a folder was imported
   * again), not from tags another app saved: the import summary says whose names they were.
   */
  namedFromFamiliar: number;
  /** Faces already under the person the metadata names. */
  alreadyNamed: number;
  /**
   * People renamed as the tags now name them: their name came from an earlier read of names only (another library's
   * export, digiKam), and the faces that read confirmed are all tagged the new name (renamed where it came from).
   */
  renamed: Array<{ from: string; to: string }>;
  /**
   * "No, not Rose" answers read from the sidecars (familiar:NotNames, written by a Familiar export) and given to faces
   * here: one per face and person. A name no one here has, even after this import, is not kept (docs/names.md).
   */
  rejectionsRead: number;
  /**
   * Faces added for named regions no detected face matched, as faces the user drew (FaceRecord.drawn) and named: found
   * by a closer look where the detector had missed them, or the region kept as drawn (`facesKeptAsDrawn`). Undo of the
   * names takes them out again.
   */
  facesAdded: number;
  /** Of `facesAdded`, regions where even a closer look found no face: kept as drawn, on the other app's word (FaceRecord.undetected). */
  facesKeptAsDrawn: number;
  /**
   * Faces the detector had missed, found by a closer look where another app marked a face and nobody named it (Picasa's
   * and digiKam's unnamed faces, Lightroom's unnamed regions): added unnamed, each placed with the person or group it
   * looks like as an import places new faces. Not in `facesAdded`; taken out by undo of the read as those are. A place
   * where the closer look finds no face is not looked at again until the photo is analysed again.
   */
  unnamedFacesFound: number;
  /**
   * Names given that no face here took: regions that could not be kept as a face (too small, outside the photo, around
   * faces Familiar has already), names Google Takeout lists that no face in the photo was clearly theirs. Counted in
   * `droppedRegions` too, which says which.
   */
  unmatchedRegions: number;
  /** Each of `unmatchedRegions`: the file that named it, the name, and why it was dropped. */
  droppedRegions: DroppedRegion[];
  /** Of `unmatchedRegions`, tags whose name no person may have (validateName: too long, control characters): never a conflict. */
  unusableNames: number;
  conflicts: NameConflict[];
  skipped: SkippedSidecar[];
  /** Names no one in the library had: new people. */
  newPeople: string[];
  /** The decision that named them (undo takes it back), null when nothing changed. */
  decision: OperationResult | null;
  /** What `from` held and how much of it matched a photo here; null without `from`. */
  fromFolder: FromFolderResult | null;
}

/** The sidecars of a `from` folder, and which of them belong to a photo of this library (see matchSidecarsToPhotos). */
export interface FromFolderResult {
  folder: string;
  /** XMP sidecars found in it (any depth). */
  sidecars: number;
  /** Matched to a photo by the photo id Familiar writes into its sidecars (the photo's content: found wherever it is now). */
  matchedById: number;
  /** Matched by the end of their path (IMG_1.jpg.xmp or IMG_1.xmp under the same folders as IMG_1.jpg here). */
  matchedByPath: number;
  /** Sidecars no photo here matches. */
  unmatched: number;
  /** The first few of them, for the user to see what they are. */
  unmatchedExamples: string[];
  /** Names read from Picasa's contacts.xml in it (picasa-names.ts); 0 or absent when it held none. */
  picasaContacts?: number;
}

/** Sidecars bigger than this are not face metadata; refusing them keeps a stray huge file from stalling the job. */
const MAX_SIDECAR_BYTES = 16 * 1024 * 1024;
/** How much a region and a detected face must overlap to be the same face (other apps draw looser boxes). */
const MIN_MATCH_IOU = 0.25;
/** Two apps' regions (or a region and a place looked at before) overlapping this much mark the same face. */
const SAME_PLACE_IOU = 0.5;
/** The date in Familiar's own sidecars, as buildFamiliarSidecar writes it. */
const EXPORTED_AT = /familiar:ExportedAt="([^"]*)"/;
/** The keywords Familiar added to a sidecar, recorded there (see mergeIntoSidecar). */
const RECORDS_KEYWORDS = /:AddedKeywords>/;
/** IPTC's Person Shown in a sidecar (see buildFamiliarSidecar). */
const WRITES_PERSON_SHOWN = /:PersonInImage>/;

/**
 * Photos handled at once. The work is small reads and writes, mostly waiting on the disk: overlapping them made
 * bench:names' import 2x faster. Each photo is handled by one worker, so its faces are never touched twice at once.
 */
const FILE_CONCURRENCY = 8;

async function forEachBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    try {
      while (next < items.length && !failed) await fn(items[next++]);
    } catch (err) {
      failed = true;
      throw err;
    }
  };
  // Every worker is done before this settles, a failed one's siblings after their item: what a stopped read undoes
  // (the faces its closer looks added) is then all there is to undo.
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
}

/** Results list files in path order, whatever order the workers finished in. */
const byPath = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path);

/**
 * The sidecar path for a photo: next to it, or under `folder` at the photo's whole path, as exports wrote them before
 * they went under each folder imported (export-layout.ts); `names import --from` still reads that layout.
 */
export function sidecarPathFor(photoPath: string, folder?: string): string {
  if (!folder) return `${photoPath}.xmp`;
  return underFolder(folder, photoPath) + '.xmp';
}

/** Where `path` goes in a folder that mirrors whole paths (a run's sidecar backups; an export's `to` before). */
function underFolder(folder: string, path: string): string {
  const absolute = resolve(path);
  const root = parsePath(absolute).root;
  // C:\Photos\a.jpg -> <folder>/C/Photos/a.jpg; /home/a.jpg -> <folder>/home/a.jpg;
  // \\nas\photos\a.jpg -> <folder>/UNC/nas/photos/a.jpg (server and share stay apart: \\na\sphotos is another place).
  const rootParts = root.split(/[:\\/]+/).filter((part) => part !== '');
  const isUnc = /^[\\/]{2}[^\\/]/.test(root);
  return join(resolve(folder), ...(isUnc ? ['UNC', ...rootParts] : rootParts), absolute.slice(root.length));
}

function facesByPhoto(faces: readonly FaceRecord[]): Map<string, FaceRecord[]> {
  const out = new Map<string, FaceRecord[]>();
  for (const f of faces) {
    let list = out.get(f.photoId);
    if (!list) out.set(f.photoId, (list = []));
    list.push(f);
  }
  return out;
}

async function readSmallFile(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return null;
    if (info.size > MAX_SIDECAR_BYTES) throw new XmpError(`it is ${(info.size / 1024 / 1024).toFixed(0)} MB, too big to be a metadata sidecar`);
    return await readFile(path, 'utf8');
  } catch (err) {
    // A name too long for the disk: no sidecar can be there (QA: a photo named with 251 characters was "skipped").
    if (saysItIsGone(err) || (err as NodeJS.ErrnoException).code === 'ENAMETOOLONG') return null;
    throw err;
  }
}

/** Why validateName refused a name, as a clause: "a name is at most 120 characters". */
export function unusableNameReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.charAt(0).toLowerCase() + message.slice(1).replace(/\.$/, '');
}

function describeError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'the disk is read-only';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'ENOTDIR') return 'part of the path is a file, not a folder';
  if (code === 'ENOENT') return 'no folder can be made there';
  if (code === 'ENAMETOOLONG') return 'its name would be too long for the disk (a sidecar adds ".xmp" to the photo\'s name): rename the photo to give it one';
  return err instanceof Error ? err.message : String(err);
}

const sameRect = (a: NormalizedRect, b: NormalizedRect): boolean => {
  const close = (x: number, y: number) => Math.abs(x - y) < 1e-4;
  return close(a.x, b.x) && close(a.y, b.y) && close(a.width, b.width) && close(a.height, b.height);
};

const sameRegions = (a: readonly XmpFaceRegion[], b: readonly XmpFaceRegion[]): boolean =>
  a.length === b.length &&
  // Confirming a face exported as a guess changes its sidecar too (its mark, keywords and Windows' region).
  a.every((r, i) => r.name === b[i].name && r.confirmed === b[i].confirmed && sameRect(r.rect, b[i].rect));

const sameNotNames = (a: readonly XmpNotNames[], b: readonly XmpNotNames[]): boolean =>
  a.length === b.length && a.every((entry, i) => entry.names.join('\n') === b[i].names.join('\n') && sameRect(entry.rect, b[i].rect));

/** Writes every named face of the library as XMP face regions (see the file comment). Safe to re-run: unchanged sidecars are not rewritten. */
export async function exportNamesToXmp(library: PeopleLibrary & Pick<Library, 'dir'>, options: NamesExportOptions = {}): Promise<NamesExportResult> {
  const names = new Map<string, string>();
  // A hidden person is one the user chose not to see; their name stays here.
  for (const p of library.people.people) if (p.name !== null && !p.hidden) names.set(p.id, p.name);
  const faces = facesByPhoto(library.faces);
  const photos = library.photos.filter((p) => !p.missing);
  const tracker = new ProgressTracker('export-names', options.onProgress);
  const folder = options.to ? resolve(options.to) : null;
  // A folder that cannot be made is one sentence now, not one failure per photo.
  if (folder) {
    await ensureDir(folder).catch((err: unknown) => {
      throw new PeopleError(`Cannot export to ${folder}: ${describeError(err)}.`);
    });
  }
  const exportedAt = new Date().toISOString();
  const wrote: SidecarWritten = options.onSidecarWritten ?? (() => {});
  const hiddenPeople = library.people.people.filter((p) => p.name !== null && p.hidden && library.faces.some((f) => f.personId === p.id)).length;
  const result: NamesExportResult = {
    photosWithNames: 0,
    photosWithAnswersOnly: 0,
    files: 0,
    written: 0,
    unchanged: 0,
    removed: 0,
    skipped: [],
    intoOtherApps: 0,
    backups: 0,
    backupFolder: null,
    conflicts: [],
    folder,
    hiddenPeople,
    unconfirmedLeftOut: 0,
    missingPhotos: 0,
  };
  const backups = new SidecarBackups(join(library.dir, SIDECAR_BACKUP_DIR), exportedAt);
  const listing = new FolderListing();
  const rules = pathRules();
  // Under `to`: each photo under the folder imported that holds it, by that folder's name (export-layout.ts).
  const layout = folder ? ExportLayout.of(library, rules) : null;
  const writing = { message: 'Writing the names as face tags' };
  tracker.report('write', 0, photos.length, writing);
  let done = 0;
  await forEachBounded(photos, FILE_CONCURRENCY, async (photo) => {
    throwIfCancelled(options.signal, 'export-names');
    const underNames = (faces.get(photo.id) ?? []).filter((f) => f.personId !== null && names.has(f.personId));
    const named = underNames
      .filter((f) => options.confirmedOnly === false || f.assignedBy === 'user')
      .map((f) => ({ name: names.get(f.personId!)!, box: rectOfBox(f.box), confirmed: f.assignedBy === 'user' }))
      .sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y);
    if (named.length > 0) result.photosWithNames++;
    result.unconfirmedLeftOut += underNames.length - named.length;
    // Who the user said each face is not ("No, not Rose"), named people only: it travels with the names, so a fresh
    // library, or this one after the folder was removed and imported again, does not ask again (familiar:NotNames).
    const notNames = (faces.get(photo.id) ?? [])
      .map((f) => ({ box: rectOfBox(f.box), names: f.rejectedPersonIds.filter((id) => names.has(id)).map((id) => names.get(id)!) }))
      .filter((entry) => entry.names.length > 0)
      .sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y);
    if (named.length === 0 && notNames.length > 0) result.photosWithAnswersOnly++;
    // One sidecar per file, however many spellings of its path an older version stored (main/paths.ts).
    let onDisk = false;
    for (const path of uniquePaths(photo.paths)) {
      // A path where the photo was once seen and is gone now (moved, or a deleted copy) gets no sidecar.
      if (!(await stat(path).then((s) => s.isFile(), () => false))) continue;
      onDisk = true;
      if (named.length > 0 || notNames.length > 0) result.files++;
      // Beside the photo: the sidecars apps already keep there, else digiKam's naming. Under `to`: Familiar's layout.
      const sidecars = folder ? [layout!.sidecarPath(path, folder)] : await sidecarsInUse(path, listing, rules);
      for (const sidecar of sidecars) await exportOne(photo, path, sidecar, { named, notNames }, folder, exportedAt, backups, result, wrote);
    }
    if (!onDisk && (named.length > 0 || notNames.length > 0)) result.missingPhotos++;
    tracker.report('write', ++done, photos.length, writing);
  });
  result.backupFolder = backups.folder;
  result.skipped.sort(byPath);
  result.conflicts.sort((a, b) => byPath(a, b) || a.name.localeCompare(b.name));
  return result;
}

/**
 * The photos whose names these files hold (a watched folder's changed sidecars): beside IMG_1.jpg, IMG_1.jpg.xmp and
 * IMG_1.xmp; a .picasa.ini names every photo of its folder. At worst a photo too many: reading a photo's names again
 * changes nothing the user said.
 */
export function photosNamedBySidecars(photos: readonly PhotoRecord[], files: readonly string[], rules: PathRules = pathRules()): Set<string> {
  const xmpStems = new Set<string>();
  const iniFolders = new Set<string>();
  for (const file of files) {
    const { dir, base, name } = parsePath(file);
    if (!isNamesSidecarName(base)) continue;
    if (base.toLowerCase().endsWith('.xmp')) xmpStems.add(rules.key(join(dir, name)));
    else iniFolders.add(rules.key(dir));
  }
  const named = new Set<string>();
  for (const photo of photos) {
    if (photo.missing) continue;
    const namedHere = (path: string) => {
      const { dir, name } = parsePath(path);
      return iniFolders.has(rules.key(dir)) || xmpStems.has(rules.key(path)) || xmpStems.has(rules.key(join(dir, name)));
    };
    if (photo.paths.some(namedHere)) named.add(photo.id);
  }
  return named;
}

/** What sits beside a photo under the names apps give its sidecar, as the folder lists them (any case of `.xmp`). */
async function sidecarsBeside(photoPath: string, listing: FolderListing, rules: PathRules): Promise<{ full: string[]; stem: string[]; sharedWith: string | null }> {
  const { dir, name, base } = parsePath(photoPath);
  const byStem = stemsOf(await listing.entries(dir), rules);
  const isXmp = (entry: string) => parsePath(entry).ext.toLowerCase() === '.xmp';
  // IMG_1.jpg.xmp: the stem of the sidecar is the photo's whole name.
  const full = (byStem.get(rules.key(base)) ?? []).filter(isXmp).map((entry) => join(dir, entry));
  const sameStem = byStem.get(rules.key(name)) ?? [];
  const stem = sameStem.filter(isXmp).map((entry) => join(dir, entry));
  // Beside IMG_1.jpg and IMG_1.png, IMG_1.xmp could be either picture's. Beside IMG_1.jpg and IMG_1.cr2 it is the
  // shot's (Lightroom's sidecar of the RAW), and the JPEG is what the library holds of that shot (scan.ts).
  const sharedWith = sameStem.find((entry) => !samePath(entry, base, rules) && isImageName(entry) && !isRawName(entry)) ?? null;
  return { full, stem, sharedWith };
}

/**
 * The sidecars a photo's names go into: each one an app already keeps beside it (IMG_1.jpg.xmp, IMG_1.xmp, any case),
 * or IMG_1.jpg.xmp when there is none. IMG_1.xmp beside another picture named IMG_1 is neither's, and is not used.
 */
async function sidecarsInUse(photoPath: string, listing: FolderListing, rules: PathRules): Promise<string[]> {
  const { full, stem, sharedWith } = await sidecarsBeside(photoPath, listing, rules);
  const found = [...full, ...(sharedWith === null ? stem : [])];
  return found.length > 0 ? found : [sidecarPathFor(photoPath)];
}

/** What exportOne does with a sidecar already there. */
type SidecarAction = 'rebuild' | 'merge';

async function exportOne(
  photo: PhotoRecord,
  photoPath: string,
  sidecar: string,
  { named, notNames }: Pick<SidecarInput, 'notNames'> & { named: Array<{ name: string; box: ReturnType<typeof rectOfBox>; confirmed: boolean }> },
  folder: string | null,
  exportedAt: string,
  backups: SidecarBackups,
  result: NamesExportResult,
  wrote: SidecarWritten,
): Promise<void> {
  // What the sidecar has to say: names, or who faces are not. A photo with neither gets no sidecar of Familiar's.
  const saysSomething = named.length > 0 || (notNames?.length ?? 0) > 0;
  try {
    const existingText = await readSmallFile(sidecar);
    const previousDate = existingText?.match(EXPORTED_AT)?.[1];
    // The photo's own XMP, when it holds anything: Familiar's own sidecar starts from it, so apps that read the
    // sidecar instead of the photo do not lose its ratings, keywords and regions (buildSidecarOver). Read only for a
    // photo with names to write, for a sidecar Familiar makes or may have made; a photo that cannot be read is skipped
    // with the reason, rather than given a sidecar that could hide what it holds.
    const photoXmp = saysSomething && (existingText === null || previousDate !== undefined) ? await readEmbeddedXmp(photoPath) : null;
    const over = photoXmp !== null && photoXmpWorthKeeping(photoXmp) ? photoXmp : null;
    const written = named.map((face) => [face.box.x, face.box.y, face.box.width, face.box.height] as Box);
    const framesWrittenFace = (rect: { x: number; y: number; width: number; height: number }) =>
      written.some((box) => regionMatchScore([rect.x * photo.width, rect.y * photo.height, rect.width * photo.width, rect.height * photo.height], box) > 0);
    const input = (at: string): SidecarInput => ({ displayWidth: photo.width, displayHeight: photo.height, orientation: photo.orientation, faces: named, notNames, exportedAt: at, photoId: photo.id });
    const build = (at: string) => (over !== null ? buildSidecarOver(over, input(at), framesWrittenFace) : buildFamiliarSidecar(input(at)));
    // Fast path for re-runs: Familiar's own sidecar, untouched since, is byte for byte what it would write again.
    if (saysSomething && previousDate !== undefined && build(previousDate) === existingText) {
      result.unchanged++;
      return;
    }
    // A photo with nothing to say and a sidecar Familiar never wrote into: nothing to do, and nothing to parse.
    if (!saysSomething && existingText !== null && !existingText.includes(FAMILIAR_NAMESPACE)) return;
    let existing: ParsedXmpRegions | null = null;
    let action: SidecarAction = 'rebuild';
    if (existingText !== null) {
      try {
        existing = parseXmpRegions(existingText, photo.orientation);
      } catch (err) {
        if (!(err instanceof XmpError)) throw err;
        result.skipped.push({ path: sidecar, reason: `a file that is not XMP is there (${err.message}); Familiar leaves it alone` });
        return;
      }
      // A sidecar Familiar wrote carries a digest of itself: one that no longer matches was edited by another app
      // (QA: a name changed with exiftool was overwritten). One built over the photo's own XMP holds that XMP too:
      // still exactly as written, it is Familiar's. Any other is another app's, and Familiar writes into it.
      const untouched = sidecarIsUntouched(existingText);
      const familiars = existing.writtenByFamiliar && !existing.sharedWithOtherApp && untouched !== false && (untouched === true || !existing.hasOtherContent);
      if (!familiars) action = 'merge';
      // Replacing goes through a new file, which a read-only file's own mode would not stop: honour it here.
      if (((await stat(sidecar)).mode & 0o222) === 0) {
        if (saysSomething || action === 'rebuild') result.skipped.push({ path: sidecar, reason: 'the sidecar is read-only; Familiar leaves it as it is' });
        return;
      }
    }
    if (action === 'merge') {
      await mergeInto(photo, sidecar, existingText!, existing!, input(exportedAt), backups, result, wrote);
      return;
    }
    if (!saysSomething) {
      if (existing) {
        await unlink(sidecar);
        wrote(sidecar, null);
        result.removed++;
      }
      return;
    }
    const text = build(exportedAt);
    // A sidecar written before Familiar recorded the keywords it adds is written once more, to record them: without
    // the record, a later export into it after another app edits it could not take out an old name's keywords.
    const recordMissing = RECORDS_KEYWORDS.test(text) && !RECORDS_KEYWORDS.test(existingText ?? '');
    // So is one written before Familiar wrote IPTC's Person Shown: its names reach the apps that show only that.
    const personShownMissing = WRITES_PERSON_SHOWN.test(text) && !WRITES_PERSON_SHOWN.test(existingText ?? '');
    const rebuilt = parseXmpRegions(text, photo.orientation);
    if (existing && over === null && !recordMissing && !personShownMissing && sameRegions(existing.regions, rebuilt.regions) && sameNotNames(existing.notNames, rebuilt.notNames)) {
      result.unchanged++;
      return;
    }
    // A photo's folder exists already; its place under an export's folder may not.
    if (folder) await ensureDir(dirname(sidecar));
    await writeFileAtomic(sidecar, text, { durable: false, keepOwnership: true });
    wrote(sidecar, text);
    result.written++;
  } catch (err) {
    result.skipped.push({ path: sidecar, reason: describeError(err) });
  }
}

/** The namespace of Familiar's marks: a sidecar without it has nothing of Familiar's in it. */
const FAMILIAR_NAMESPACE = 'https://familiar.app/ns/1.0/';
/** The library's folder of the copies exports keep of other apps' sidecars (SidecarBackups). */
export const SIDECAR_BACKUP_DIR = 'sidecar-backups';

/**
 * The copies one export keeps of other apps' sidecars before it first writes into them: one folder per run,
 * `sidecar-backups/<when>/` in the library, each file at its own path under it (/photos/IMG_1.jpg.xmp as
 * <run>/photos/IMG_1.jpg.xmp), made when the first copy is needed. A first export into 10,000 digiKam sidecars
 * leaves one folder to keep or delete, not 10,000 `.familiar-backup` files among the photos (as Familiar did before).
 */
class SidecarBackups {
  private made: Promise<string> | null = null;
  /** The run's folder, once made. */
  folder: string | null = null;

  constructor(
    private readonly under: string,
    private readonly startedAt: string,
  ) {}

  /** Copies `sidecar` into the run's folder; false when it is there already (written into twice in one run). */
  async keep(sidecar: string): Promise<boolean> {
    const folder = await (this.made ??= this.make(sidecar));
    const copy = underFolder(folder, sidecar);
    await ensureDir(dirname(copy));
    return copyFile(sidecar, copy, fsConstants.COPYFILE_EXCL).then(
      () => true,
      (err: NodeJS.ErrnoException) => (err.code === 'EEXIST' ? false : Promise.reject(err)),
    );
  }

  /** Makes the run's folder, with a word on what it holds (`example`: the first sidecar kept). */
  private async make(example: string): Promise<string> {
    await ensureDir(this.under);
    // 2026-12-01T10-15-30Z: a name every file system takes; a second run within the same second gets "-2".
    const name = this.startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
    for (let n = 1; ; n++) {
      const folder = join(this.under, n === 1 ? name : `${name}-${n}`);
      const made = await mkdir(folder).then(
        () => true,
        (err: NodeJS.ErrnoException) => (err.code === 'EEXIST' ? false : Promise.reject(err)),
      );
      if (!made) continue;
      await writeFile(
        join(folder, 'README.txt'),
        `Familiar's names export of ${this.startedAt} wrote names into the sidecars of other apps kept here, as they were just before.\n` +
          `Each sits at its own path under this folder (${underFolder(folder, example)} was ${resolve(example)}): ` +
          'copy one back over its sidecar to undo what Familiar wrote into it. Familiar never reads this folder; delete it when you no longer need it.\n',
      );
      this.folder = folder;
      return folder;
    }
  }
}

/** Writes Familiar's regions into a sidecar another app wrote or changed (mergeIntoSidecar), after a one-time backup. */
async function mergeInto(
  photo: PhotoRecord,
  sidecar: string,
  existingText: string,
  existing: ParsedXmpRegions,
  input: Parameters<typeof mergeIntoSidecar>[1],
  backups: SidecarBackups,
  result: NamesExportResult,
  wrote: SidecarWritten,
): Promise<void> {
  const box = (rect: NormalizedRect): Box => [rect.x * photo.width, rect.y * photo.height, rect.width * photo.width, rect.height * photo.height];
  // The same face as the import tells it: the region over the face, by overlap or each holding the other's centre.
  const sameFace = (a: NormalizedRect, b: NormalizedRect) => regionMatchScore(box(a), box(b)) > 0;
  let merged: ReturnType<typeof mergeIntoSidecar>;
  try {
    merged = mergeIntoSidecar(existingText, input, sameFace);
  } catch (err) {
    if (!(err instanceof XmpError)) throw err;
    result.skipped.push({ path: sidecar, reason: `${err.message}; Familiar leaves it alone` });
    return;
  }
  for (const c of merged.conflicts) {
    result.conflicts.push({
      path: sidecar,
      name: c.name,
      otherName: c.otherName,
      reason: `this sidecar already names the face "${c.otherName}"; Familiar's "${c.name}" was not written over it`,
    });
  }
  if (merged.text === null) {
    // Up to date, unless every face it would hold is one the sidecar names otherwise and no face is said not to be
    // someone (then it says nothing of Familiar's).
    if (input.faces.length > merged.conflicts.length || (input.notNames?.length ?? 0) > 0) result.unchanged++;
    return;
  }
  // One backup, before Familiar first changes another app's file, into this run's folder: the file as that app left
  // it. A sidecar Familiar has written into before had its backup then (it carries Familiar's mark since).
  if (!existing.sharedWithOtherApp) {
    const copied = await backups.keep(sidecar).catch((err: unknown) => {
      throw new Error(`no backup could be made before writing into it (${describeError(err)}), so Familiar leaves it alone`);
    });
    if (copied) result.backups++;
  }
  await writeFileAtomic(sidecar, merged.text, { durable: false, keepOwnership: true });
  wrote(sidecar, merged.text);
  result.written++;
  result.intoOtherApps++;
}

export { readEmbeddedXmp };

/** The store's Box as the named fields buildFamiliarSidecar takes. */
const rectOfBox = ([x, y, width, height]: Box) => ({ x, y, width, height });

/**
 * How well a region drawn by another app covers a detected face: their IoU, or, for the looser boxes some apps draw
 * (whole head and hair), a match when each box holds the other's centre. 0 = not the same face.
 */
export function regionMatchScore(region: Box, face: Box): number {
  const overlap = iouOfBoxes(region, face);
  if (overlap >= MIN_MATCH_IOU) return overlap;
  return centredOnEachOther(region, face) ? MIN_MATCH_IOU : 0;
}

/** Pairs regions with faces one to one, best overlap first. */
export function matchRegionsToFaces(regions: readonly Box[], faces: readonly Box[]): Array<number | null> {
  const candidates: Array<{ region: number; face: number; score: number }> = [];
  regions.forEach((r, i) =>
    faces.forEach((f, j) => {
      const score = regionMatchScore(r, f);
      if (score > 0) candidates.push({ region: i, face: j, score });
    }),
  );
  candidates.sort((a, b) => b.score - a.score);
  const out: Array<number | null> = regions.map(() => null);
  const taken = new Set<number>();
  for (const c of candidates) {
    if (out[c.region] !== null || taken.has(c.face)) continue;
    out[c.region] = c.face;
    taken.add(c.face);
  }
  return out;
}

const STEMS = new WeakMap<ReadonlySet<string>, { rules: PathRules; byStem: Map<string, string[]> }>();

/** A folder's names by the key of their stem (IMG_1 of IMG_1.jpg and IMG_1.xmp): one pass per folder listing. */
function stemsOf(entries: ReadonlySet<string>, rules: PathRules): Map<string, string[]> {
  const known = STEMS.get(entries);
  if (known?.rules === rules) return known.byStem;
  const byStem = new Map<string, string[]>();
  for (const entry of entries) {
    const stem = rules.key(parsePath(entry).name);
    const same = byStem.get(stem);
    if (same) same.push(entry);
    else byStem.set(stem, [entry]);
  }
  STEMS.set(entries, { rules, byStem });
  return byStem;
}

/** How many unmatched sidecars of a `from` folder the result names (the count is always whole). */
const UNMATCHED_SHOWN = 10;

/**
 * Every `.xmp` file under `folder` (any case, any depth), not following links; not the copies an export keeps.
 * `onProgress`: the folders listed, sidecars found and folders holding them so far, every few folders and at the end.
 */
async function sidecarsUnder(folder: string, onProgress: (listed: number, found: number, holding: number) => void): Promise<string[]> {
  const out: string[] = [];
  let listed = 0;
  let holding = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // A folder that cannot be listed holds nothing Familiar can read.
    }
    if (++listed % 20 === 0) onProgress(listed, out.length, holding);
    let holds = false;
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== SIDECAR_BACKUP_DIR) await walk(path);
      else if (entry.isFile() && parsePath(entry.name).ext.toLowerCase() === '.xmp') {
        out.push(path);
        if (!holds) [holds, holding] = [true, holding + 1];
      }
    }
  };
  await walk(folder);
  onProgress(listed, out.length, holding);
  return out.sort();
}

/** A photo's path cut into the keys of its parts, the file name last. */
interface PathParts {
  photo: PhotoRecord;
  path: string;
  parts: string[];
}

const partsOf = (path: string, rules: PathRules): string[] =>
  path
    .split(rules.path.sep === '\\' ? /[\\/]+/ : /\/+/)
    .filter((part) => part !== '')
    .map(rules.key);

/** How many parts, counted from the end, two paths have in common. */
function commonTail(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/**
 * Which photo each sidecar under `from` belongs to. The photos may have moved since the sidecars were written (another
 * folder, another user's home, another machine), so the sidecar's place is the last thing asked, in this order:
 *  1. the photo id Familiar wrote into it (familiar:PhotoId, from the photo's content): the photo wherever it is now;
 *  2. the end of its path: IMG_1.jpg.xmp (or Lightroom's IMG_1.xmp) under the longest run of the same folders as a
 *     photo here, that photo only (2019/IMG_1.jpg.xmp is /new/2019/IMG_1.jpg's, not /new/2020/IMG_1.jpg's). This is
 *     how the sidecars of digiKam, Lightroom and Immich, which carry no photo id, find their photos;
 *  3. two photos as good as each other by 2: the one an export would have put the sidecar at (under its folder imported,
 *     or at its whole path as older versions did).
 * Unreadable and ambiguous sidecars go into `skipped` with the reason; the rest no photo matches are counted.
 */
async function matchSidecarsToPhotos(
  from: string,
  photos: readonly PhotoRecord[],
  layout: ExportLayout,
  rules: PathRules,
  skipped: SkippedSidecar[],
  signal: AbortSignal | undefined,
  tracker: ProgressTracker,
): Promise<{ byPhoto: Map<string, string[]>; summary: FromFolderResult }> {
  const summary: FromFolderResult = { folder: from, sidecars: 0, matchedById: 0, matchedByPath: 0, unmatched: 0, unmatchedExamples: [] };
  const byPhoto = new Map<string, string[]>();
  const sidecars = await sidecarsUnder(from, (listed, found, holding) => tracker.report('scan', 0, 0, { message: lookingForWords('sidecars', found, holding, listed) }));
  summary.sidecars = sidecars.length;
  if (sidecars.length === 0) return { byPhoto, summary };
  const byId = new Map(photos.map((p) => [p.id, p]));
  // Indexed by file name (IMG_1.jpg) and by stem (IMG_1): a sidecar looks only at the photos of its own name.
  const byName = new Map<string, PathParts[]>();
  const byStem = new Map<string, PathParts[]>();
  const add = <T>(index: Map<string, T[]>, key: string, item: T) => {
    const list = index.get(key);
    if (list) list.push(item);
    else index.set(key, [item]);
  };
  for (const photo of photos) {
    for (const path of uniquePaths(photo.paths, rules)) {
      const parts = partsOf(path, rules);
      const entry = { photo, path, parts };
      add(byName, parts.at(-1)!, entry);
      add(byStem, rules.key(rules.path.parse(path).name), entry);
    }
  }
  const matched = (sidecar: string, photo: PhotoRecord) => add(byPhoto, photo.id, sidecar);
  const unmatched: string[] = [];
  const matchOne = async (sidecar: string): Promise<void> => {
    throwIfCancelled(signal, 'import-names');
    let photoId: string | null;
    try {
      const text = await readSmallFile(sidecar);
      if (text === null) return;
      photoId = parseXmpRegions(text, 1).photoId;
    } catch (err) {
      skipped.push({ path: sidecar, reason: err instanceof XmpError ? `unreadable XMP: ${err.message}` : describeError(err) });
      return;
    }
    const known = photoId !== null ? byId.get(photoId) : undefined;
    if (known) {
      summary.matchedById++;
      matched(sidecar, known);
      return;
    }
    const parts = relative(from, sidecar).split(sep).map(rules.key);
    // IMG_1.jpg.xmp is IMG_1.jpg's; IMG_1.xmp, when no photo is called IMG_1, is the sidecar of the IMG_1 here.
    parts[parts.length - 1] = parts[parts.length - 1].slice(0, -'.xmp'.length);
    const candidates = byName.get(parts.at(-1)!) ?? byStem.get(parts.at(-1)!) ?? [];
    const named = byName.has(parts.at(-1)!);
    let best = 0;
    let winners: PathParts[] = [];
    for (const candidate of candidates) {
      // The file name itself counts as one part in common, the stem too.
      const tail = named ? commonTail(parts, candidate.parts) : 1 + commonTail(parts.slice(0, -1), candidate.parts.slice(0, -1));
      if (tail > best) [best, winners] = [tail, [candidate]];
      else if (tail === best) winners.push(candidate);
    }
    const photosAmong = (list: PathParts[]) => new Set(list.map((w) => w.photo.id)).size;
    const tied = photosAmong(winners);
    if (tied > 1) {
      // Where an export would have written each one's sidecar, under the folder imported (export-layout.ts) or, by an
      // older version, at the photo's whole path: IMG_1.jpg.xmp, or IMG_1.xmp beside it.
      const asWritten = (exported: string, w: PathParts) => (named ? exported : join(dirname(exported), rules.path.parse(w.path).name + parsePath(sidecar).ext));
      const mirrors = (w: PathParts) => [layout.sidecarPath(w.path, from), sidecarPathFor(w.path, from)].some((exported) => samePath(asWritten(exported, w), sidecar, rules));
      winners = winners.filter(mirrors);
      if (photosAmong(winners) !== 1) {
        skipped.push({ path: sidecar, reason: `it could belong to any of ${tied} photos here (the same name in folders of the same names), so it names none` });
        return;
      }
    }
    if (winners.length === 0) {
      unmatched.push(sidecar);
      return;
    }
    summary.matchedByPath++;
    matched(sidecar, winners[0].photo);
  };
  // Each sidecar is read: a folder of thousands takes a while, said as it goes.
  const matching = { message: 'Matching the sidecars to photos' };
  tracker.resetWindow();
  tracker.report('match', 0, sidecars.length, matching);
  let looked = 0;
  await forEachBounded(sidecars, FILE_CONCURRENCY, async (sidecar) => {
    await matchOne(sidecar);
    tracker.report('match', ++looked, sidecars.length, matching);
  });
  // In path order, whatever order the workers finished in.
  for (const list of byPhoto.values()) list.sort();
  unmatched.sort();
  summary.unmatched = unmatched.length;
  summary.unmatchedExamples = unmatched.slice(0, UNMATCHED_SHOWN);
  return { byPhoto, summary };
}

/**
 * The "No, not Rose" answers the sidecars carry that the library takes: of a person who has the name here, or whom this
 * import's names enrol (nameFacesInBulk finds them once enrolled). Not one the face already has, and never over the
 * user's own confirmation of that person, which is listed in `conflicts` instead. A name no one has is dropped: once
 * someone is given it, reading the names again ("Read names from other apps") takes the answer.
 */
function notAnswers(
  library: Pick<Library, 'face'>,
  saidNot: ReadonlyMap<string, { names: string[]; path: string }>,
  namesakes: (name: string) => PersonRecord[],
  assignments: ReadonlyArray<{ name: string }>,
  conflicts: NameConflict[],
): Array<{ faceId: string; name: string }> {
  const out: Array<{ faceId: string; name: string }> = [];
  for (const [faceId, { names, path }] of saidNot) {
    const face = library.face(faceId)!;
    const taken: string[] = [];
    for (const raw of names) {
      let name: string;
      try {
        name = validateName(raw);
      } catch {
        continue; // not a name Familiar could have written: no one to say "not" of
      }
      if (taken.some((other) => sameName(other, name))) continue;
      const same = namesakes(name);
      if (same.length > 1) continue;
      if (same.length === 0 && !assignments.some((a) => sameName(a.name, name))) continue;
      const person = same[0];
      if (person && face.rejectedPersonIds.includes(person.id)) continue;
      if (person && face.assignedBy === 'user' && face.personId === person.id) {
        conflicts.push({ faceId, path, name: `not ${name}`, reason: `you confirmed this face as "${person.name}"` });
        continue;
      }
      taken.push(name);
      out.push({ faceId, name });
    }
  }
  return out;
}

/** A named region and whether a Familiar library wrote it (this one, or another on a different machine). */
type SourcedRegion = XmpFaceRegion & { fromFamiliar: boolean };

/**
 * Named regions of one photo from all its metadata (each sidecar convention, then the embedded packet), and who its
 * faces are not (familiar:NotNames, from the same files).
 */
async function regionsOf(
  photo: PhotoRecord,
  path: string,
  skipped: SkippedSidecar[],
  listing: FolderListing,
  knownPhoto: (id: string) => boolean,
  fromSidecars: readonly string[],
  rules: PathRules,
): Promise<{ regions: SourcedRegion[]; notNames: XmpNotNames[]; keywords: string[]; unnamed: NormalizedRect[] }> {
  const out: SourcedRegion[] = [];
  const notNames: XmpNotNames[] = [];
  /** Faces the files mark and name no one in (ParsedXmpRegions.unnamedFaces). */
  const unnamed: NormalizedRect[] = [];
  /** Who its people keywords name (ParsedXmpRegions.peopleKeywords), from all its files. */
  const keywords: string[] = [];
  const { base } = parsePath(path);
  // Names compared as the file system does, the extension in any case (IMG_1.JPG.XMP); on a Mac IMG_1.xmp is
  // img_1.xmp too, so it could be img_1.png's.
  const beside = await sidecarsBeside(path, listing, rules);
  // A folder that cannot be listed still has the usual sidecar read.
  const full = beside.full.length > 0 ? beside.full : [`${path}.xmp`];
  // `from` may be the photos' own folder: a sidecar beside the photo is read once.
  const exported = fromSidecars.filter((sidecar) => ![...full, ...beside.stem].some((other) => samePath(other, sidecar, rules)));
  // Lightroom and darktable's other convention: IMG_1.xmp beside IMG_1.jpg. Beside IMG_1.jpg and IMG_1.png it
  // could be either picture's, so it names neither (QA: one photo's name confirmed on the other's face).
  if (beside.sharedWith !== null) {
    for (const sidecar of beside.stem) {
      if (!skipped.some((entry) => entry.path === sidecar)) skipped.push({ path: sidecar, reason: `it could belong to ${base} or to ${beside.sharedWith}, so it names neither` });
    }
  }
  const sources: Array<{ path: string; read: () => Promise<string | null> }> = [
    ...[...exported, ...full, ...(beside.sharedWith === null ? beside.stem : [])].map((file) => ({ path: file, read: () => readSmallFile(file) })),
    { path, read: () => readEmbeddedXmp(path) },
  ];
  for (const source of sources) {
    let text: string | null;
    try {
      text = await source.read();
    } catch (err) {
      skipped.push({ path: source.path, reason: describeError(err) });
      continue;
    }
    if (text === null) continue;
    try {
      const parsed = parseXmpRegions(text, photo.orientation);
      // Familiar wrote it for a picture this library knows, and another picture is at the path now (saved over it).
      if (parsed.writtenByFamiliar && parsed.photoId !== null && parsed.photoId !== photo.id && knownPhoto(parsed.photoId)) {
        skipped.push({ path: source.path, reason: 'Familiar wrote it for the picture that was at this path before, and another picture is there now' });
        continue;
      }
      if ((parsed.regions.length > 0 || parsed.notNames.length > 0) && parsed.appliedTo && !regionsFitPhoto(parsed.appliedTo, photo)) {
        // A sidecar left beside a photo that was replaced or cropped since: its regions would name the wrong faces.
        const { width, height } = parsed.appliedTo;
        skipped.push({
          path: source.path,
          reason: `its face regions were drawn on a ${width}×${height} picture, and this photo is ${photo.width}×${photo.height} (replaced or cropped since they were written)`,
        });
        continue;
      }
      // Unnamed faces drawn on another picture are passed over without a word: they name no one to lose.
      if (!parsed.appliedTo || regionsFitPhoto(parsed.appliedTo, photo)) unnamed.push(...parsed.unnamedFaces);
      // In another app's sidecar Familiar wrote into, only the regions still carrying Familiar's mark are Familiar's.
      out.push(...parsed.regions.map((r) => ({ ...r, fromFamiliar: r.byFamiliar === true || (parsed.writtenByFamiliar && !parsed.sharedWithOtherApp) })));
      notNames.push(...parsed.notNames);
      for (const name of parsed.peopleKeywords) if (!keywords.some((known) => sameName(known, name))) keywords.push(name);
    } catch (err) {
      if (!(err instanceof XmpError)) throw err;
      skipped.push({ path: source.path, reason: `unreadable XMP: ${err.message}` });
    }
  }
  // The same face named in a sidecar and in the file: keep the first (the sidecar is what apps edit).
  const unique: SourcedRegion[] = [];
  for (const r of out) {
    if (!unique.some((u) => sameName(u.name, r.name) && iouOfBoxes(toBox(u.rect, 1, 1), toBox(r.rect, 1, 1)) > 0.5)) unique.push(r);
  }
  return { regions: unique, notNames, keywords, unnamed };
}

/** A named region no detected face matched, to keep as a face the user drew. */
interface MissedRegion {
  /** Photo pixels. */
  box: Box;
  /** Validated. */
  name: string;
  /** The file whose tags name it. */
  path: string;
  fromFamiliar: boolean;
  /** Another Familiar only grouped the face with them (familiar:Confirmed="False"): placed unconfirmed here too. */
  guess: boolean;
}

/** Why a region named in a photo's tags could not be kept as a face, in the summary's words. */
function droppedBecause(refusal: DrawnFaceRefusal, message: string): string {
  switch (refusal) {
    case 'outside':
      return 'its region lies outside the photo';
    case 'too-small':
      return `its region is too small to hold a face (under ${MIN_DRAWN_SIDE} pixels)`;
    case 'marked':
      return 'its region is around faces Familiar has already, not one face alone';
    case 'no-face':
      return 'Familiar found no face in its region';
    default:
      return message;
  }
}

/** A region's rectangle (fractions of the displayed photo) in photo pixels. */
const toBox = (rect: XmpFaceRegion['rect'], width: number, height: number): Box => [rect.x * width, rect.y * height, rect.width * width, rect.height * height];

/** Reads names from the XMP face regions of every photo in the library and names the matching faces (see the file comment). */
export async function importNamesFromOtherApps(library: Library, options: NamesImportOptions = {}): Promise<NamesImportResult> {
  // Photos with no detected face too: a named region there is a face the detector missed.
  const photos = library.photos.filter((p) => !p.missing && (!options.photoIds || options.photoIds.has(p.id)));
  const facesOf = facesByPhoto(library.faces);
  const people = library.people.people;
  const personById = new Map(people.map((p) => [p.id, p]));
  // Looked up for every region: indexed once, not a scan of everyone per face. Names are found as the app and
  // `familiar name` find them (preload/names.ts): "Zoë" written by digiKam is the library's Zoe.
  const peopleByName = new Map<string, PersonRecord[]>();
  for (const p of people) if (p.name !== null) peopleByName.set(foldName(p.name), [...(peopleByName.get(foldName(p.name)) ?? []), p]);
  const namesakes = (name: string) => namesakesOf(peopleByName.get(foldName(name)) ?? [], name);
  /** Why a name cannot be given (a face kept for it would stay unnamed), or null when it can. */
  const unusableName = (raw: string): string | null => {
    let name: string;
    try {
      name = validateName(raw);
    } catch (err) {
      return (err as Error).message;
    }
    const same = namesakes(name).length;
    return same > 1 ? `${same} people are called "${name}"; merge them first` : null;
  };
  const tracker = new ProgressTracker('import-names', options.onProgress);
  const result: NamesImportResult = {
    photosRead: 0,
    photosWithNames: 0,
    photosWithUnnamedMarks: 0,
    facesNamed: 0,
    namedFromFamiliar: 0,
    alreadyNamed: 0,
    renamed: [],
    rejectionsRead: 0,
    facesAdded: 0,
    facesKeptAsDrawn: 0,
    unnamedFacesFound: 0,
    unmatchedRegions: 0,
    droppedRegions: [],
    unusableNames: 0,
    conflicts: [],
    skipped: [],
    newPeople: [],
    decision: null,
    fromFolder: null,
  };
  const assignments: Array<{ faceId: string; name: string; confirmed?: false }> = [];
  const assigned = new Set<string>();
  /** Faces named from a region Familiar wrote (its own sidecars), of `assignments`. */
  const fromFamiliarFaces = new Set<string>();
  const listing = new FolderListing();
  const rules = pathRules(options.platform);
  /** Photos whose files say who is in them, not which face (Takeout, people keywords): placed after the read. */
  const listedPhotos: TakeoutPhoto[] = [];
  /**
   * Named regions no detected face matched, by photo (from any of its files): kept as drawn faces after the read. And
   * the unnamed faces other apps marked where Familiar found none (photo pixels, with the file that marks the first),
   * looked at closer after the read for a face the detector missed.
   */
  const missed = new Map<string, { photo: PhotoRecord; regions: MissedRegion[]; unnamed: Box[]; unnamedAt?: string }>();
  const drop = (path: string, name: string, reason: string) => {
    result.unmatchedRegions++;
    result.droppedRegions.push({ path, name, reason });
  };
  /**
   * Of the faces a photo's files mark and name no one in, those on no face Familiar has, no named region and no place
   * looked at before: to look closer at after the read (`missed`). Picasa marked every face it found, so an
   * album it scanned shows where a small, dark or turned face is that the detector passed over.
   */
  const lookCloserAt = (photo: PhotoRecord, path: string, rects: readonly NormalizedRect[], named: readonly SourcedRegion[], faceBoxes: readonly Box[]) => {
    if (rects.length === 0) return;
    const onFace = matchRegionsToFaces(rects.map((rect) => toBox(rect, photo.width, photo.height)), faceBoxes);
    const lookedAtBefore = photo.analysis?.lookedCloserAt ?? [];
    const entry = missed.get(photo.id) ?? { photo, regions: [], unnamed: [] };
    rects.forEach((rect, i) => {
      const box = toBox(rect, photo.width, photo.height);
      // On a face Familiar has, also one another region of the files took (an app that marked it twice).
      if (onFace[i] !== null || faceBoxes.some((face) => iouOfBoxes(face, box) > MIN_MATCH_IOU)) return;
      if (named.some((r) => iouOfBoxes(toBox(r.rect, 1, 1), toBox(rect, 1, 1)) > SAME_PLACE_IOU)) return;
      if ([...lookedAtBefore, ...entry.unnamed].some((other) => iouOfBoxes(other, box) > SAME_PLACE_IOU)) return;
      entry.unnamed.push(box);
      entry.unnamedAt ??= path;
    });
    if (entry.unnamed.length > 0) missed.set(photo.id, entry);
  };
  /** Who the sidecars say each face is not (familiar:NotNames), by face id, with the file that says it first. */
  const saidNot = new Map<string, { names: string[]; path: string }>();
  const saysNot = (face: FaceRecord, name: string) => saidNot.get(face.id)?.names.some((other) => sameName(other, name)) ?? false;
  /**
   * Counted in faces: the sidecars beside a photo's two files name its face twice (QA: "110 already were" in 108
   * photos), and a resized copy's face is its original's (countedOnce, after the read), as facesNamed counts them.
   */
  const alreadyNamedFaces = new Set<string>();
  const conflictsSaid = new Set<string>();
  // Once a face and name, as the first file says it: a photo's copy in another folder says it again.
  const conflictAbout = (face: FaceRecord, rawName: string, path: string, reason: string) => {
    const key = `${face.id}\n${rawName}`;
    if (conflictsSaid.has(key)) return;
    conflictsSaid.add(key);
    result.conflicts.push({ faceId: face.id, path, name: rawName, reason });
  };
  const fromReads = namedByReads(library);
  /**
   * Faces confirmed as someone whose name only reads gave, tagged with another name: a rename made where the name came
   * from (another library, digiKam), taken after the read when the faces those reads confirmed agree on it (renames).
   */
  const otherNames: Array<{ face: FaceRecord; personId: string; name: string; rawName: string; path: string }> = [];
  /** People whose own name the files still give a face those reads confirmed: no rename (the other library split them). */
  const calledSoStill = new Set<string>();
  /** One (face, name) the metadata gives: named, unless the user's own answers say otherwise (then a conflict). */
  const consider = (face: FaceRecord, rawName: string, path: string, fromFamiliar: boolean, guess = false) => {
    if (assigned.has(face.id)) return;
    // A face another Familiar only grouped with the person (familiar:Confirmed="False"): placed with them here too,
    // unconfirmed, and only where nothing the user said stands against it; never a conflict to report. QA: an export
    // read into a new library turned every guess, a stranger in a stock photo too, into a confirmation.
    if (guess) {
      let name: string;
      try {
        name = validateName(rawName);
      } catch {
        return;
      }
      const same = namesakes(name);
      if (face.assignedBy === 'user' || isPinnedUnknown(face) || saysNot(face, name) || same.length > 1 || (same.length === 1 && face.rejectedPersonIds.includes(same[0].id))) return;
      if (same.length === 1 && face.personId === same[0].id) {
        alreadyNamedFaces.add(face.id);
        return;
      }
      assigned.add(face.id);
      assignments.push({ faceId: face.id, name, confirmed: false });
      if (fromFamiliar) fromFamiliarFaces.add(face.id);
      return;
    }
    const conflict = (reason: string) => conflictAbout(face, rawName, path, reason);
    let name: string;
    try {
      name = validateName(rawName);
    } catch (err) {
      // No answer of the user's stands against it: a name nobody may have (QA: a brand-new library was told 4 tags
      // "disagreed with your own answers" for a 132-character name). Once per face and name, as a conflict is.
      const key = `${face.id}\n${rawName}`;
      if (conflictsSaid.has(key)) return;
      conflictsSaid.add(key);
      result.unusableNames++;
      drop(path, rawName, `the name cannot be used: ${unusableNameReason(err)}`);
      return;
    }
    const current = face.personId !== null ? personById.get(face.personId) : undefined;
    const same = namesakes(name);
    if (current?.name && same.some((p) => p.id === current.id)) {
      // Familiar's sidecars also carry the faces it only grouped with a person: reading them back into a library
      // that shows them there already must not turn its guesses into the user's confirmations.
      if (face.assignedBy === 'user' || fromFamiliar) {
        if (face.assignedBy === 'user' && fromReads.faces.has(face.id)) calledSoStill.add(current.id);
        alreadyNamedFaces.add(face.id);
        return;
      }
    } else if (face.assignedBy === 'user' && current?.name && fromReads.people.has(current.id)) {
      // Named here by an earlier read only: perhaps renamed where that name came from. Decided once all is read.
      otherNames.push({ face, personId: current.id, name, rawName, path });
      return;
    } else if (face.assignedBy === 'user' && current) {
      // Confirmed by the user, or by an earlier read of names (another library's export): either way this library's answer.
      conflict(`this face is confirmed as ${current.name ? `"${current.name}"` : 'one of an unnamed group'} here`);
      return;
    } else if (isPinnedUnknown(face)) {
      // A box said to hold no face is shown nowhere: said so, not as a face the user cannot find.
      conflict(face.notAFace ? 'you said this box holds no face' : 'you marked this face as nobody you know');
      return;
    }
    if (same.length > 1) {
      conflict(`${same.length} people are called "${name}"; merge them first`);
      return;
    }
    if (same.length === 1 && face.rejectedPersonIds.includes(same[0].id)) {
      conflict(`you said this face is not "${same[0].name}"`);
      return;
    }
    // Another app's region names the face as the user, in a Familiar, said it is not: the user's "No" stands, as it
    // does in the library the sidecar came from.
    if (saysNot(face, name)) {
      conflict(`a sidecar Familiar wrote says this face is not "${name}"`);
      return;
    }
    assigned.add(face.id);
    assignments.push({ faceId: face.id, name });
    if (fromFamiliar) fromFamiliarFaces.add(face.id);
  };
  // The sidecars of `from`, each with the photo it belongs to, wherever that photo is now.
  let fromSidecars = new Map<string, string[]>();
  if (options.from !== undefined) {
    const found = await matchSidecarsToPhotos(resolve(options.from), photos, ExportLayout.of(library, rules), rules, result.skipped, options.signal, tracker);
    tracker.resetWindow();
    fromSidecars = found.byPhoto;
    result.fromFolder = found.summary;
  }
  // Picasa's face tags, in a file of each folder (picasa-names.ts), and the contact names its contacts.xml in `from` holds.
  const picasa = await PicasaTags.load(
    photos.flatMap((photo) => uniquePaths(photo.paths, rules).map((path) => dirname(path))),
    listing,
    options.from === undefined ? undefined : resolve(options.from),
  );
  result.skipped.push(...picasa.unreadable);
  if (result.fromFolder) result.fromFolder.picasaContacts = picasa.contactsXmlNames;
  const reading = { message: 'Reading the face tags other apps wrote' };
  tracker.report('read', 0, photos.length, reading);
  let done = 0;
  await forEachBounded(photos, FILE_CONCURRENCY, async (photo) => {
    throwIfCancelled(options.signal, 'import-names');
    const faces = facesOf.get(photo.id) ?? [];
    // Counted in photos, as the library counts them: a photo in two folders is one photo read (QA: "462 photos read"
    // in a library of 450), with names if either file's tags name someone.
    let read = false;
    let withNames = false;
    let withUnnamedMarks = false;
    for (const [index, path] of uniquePaths(photo.paths, rules).entries()) {
      let regions: SourcedRegion[];
      let notNames: XmpNotNames[];
      let keywords: string[];
      let unnamed: NormalizedRect[];
      try {
        // A photo under two paths reads the sidecars `from` holds for it once, with its first path.
        const fromThis = index === 0 ? (fromSidecars.get(photo.id) ?? []) : [];
        ({ regions, notNames, keywords, unnamed } = await regionsOf(photo, path, result.skipped, listing, (id) => library.photo(id) !== undefined, fromThis, rules));
      } catch (err) {
        result.skipped.push({ path, reason: describeError(err) });
        continue;
      }
      read = true;
      // Picasa's, after the XMP's: the same face named in both is the XMP's (Picasa itself read a photo's XMP first).
      const faceBoxes = faces.map((f) => f.box);
      const onFaces = (rects: NormalizedRect[]) => matchRegionsToFaces(rects.map((rect) => toBox(rect, photo.width, photo.height)), faceBoxes).filter((m) => m !== null).length;
      const picasaTags = picasa.regionsFor(path, photo, onFaces);
      for (const tag of picasaTags.named) {
        if (!regions.some((r) => sameName(r.name, tag.name) && iouOfBoxes(toBox(r.rect, 1, 1), toBox(tag.rect, 1, 1)) > 0.5)) regions.push({ ...tag, fromFamiliar: false });
      }
      if (unnamed.length + picasaTags.unnamed.length > 0) withUnnamedMarks = true;
      if (options.analyzer) lookCloserAt(photo, path, [...unnamed, ...picasaTags.unnamed], regions, faceBoxes);
      // Who each face is not, matched to the faces as regions are: before the names, which it may refuse.
      matchRegionsToFaces(
        notNames.map((entry) => toBox(entry.rect, photo.width, photo.height)),
        faces.map((f) => f.box),
      ).forEach((match, i) => {
        if (match === null) return;
        const known = saidNot.get(faces[match].id);
        if (known) known.names.push(...notNames[i].names);
        else saidNot.set(faces[match].id, { names: [...notNames[i].names], path });
      });
      if (regions.length === 0) {
        // No face regions: perhaps people keywords (Lightroom's People|Anna, digiKam's People/Anna), else Google
        // Takeout's list of who is in the photo; either says who, not which face: placed after the read.
        if (keywords.length > 0) {
          withNames = true;
          listedPhotos.push({ path, faces, names: keywords, listedBy: 'keywords' });
          continue;
        }
        try {
          const takeout = await readTakeoutPeople(path, listing);
          if (takeout && takeout.names.length > 0) {
            withNames = true;
            listedPhotos.push({ path, faces, names: takeout.names, listedBy: 'takeout' });
          }
        } catch (err) {
          result.skipped.push({ path, reason: `unreadable Google Takeout metadata: ${describeError(err)}` });
        }
        continue;
      }
      withNames = true;
      const matches = matchRegionsToFaces(
        regions.map((r) => toBox(r.rect, photo.width, photo.height)),
        faces.map((f) => f.box),
      );
      regions.forEach((region, i) => {
        const match = matches[i];
        if (match === null) {
          const unusable = unusableName(region.name);
          if (unusable !== null) drop(path, region.name, unusable);
          else if (!options.analyzer) drop(path, region.name, 'no detected face is there, and the face analysis was not at hand to keep the region as a face');
          else {
            const entry = missed.get(photo.id) ?? { photo, regions: [], unnamed: [] };
            const guess = region.fromFamiliar && region.confirmed === false;
            entry.regions.push({ box: toBox(region.rect, photo.width, photo.height), name: validateName(region.name), path, fromFamiliar: region.fromFamiliar, guess });
            missed.set(photo.id, entry);
          }
          return;
        }
        consider(faces[match], region.name, path, region.fromFamiliar, region.fromFamiliar && region.confirmed === false);
      });
    }
    if (read) result.photosRead++;
    if (withNames) result.photosWithNames++;
    if (withUnnamedMarks) result.photosWithUnnamedMarks++;
    tracker.report('read', ++done, photos.length, reading);
  });
  // Said once, at the first such file: an album tagged in Picasa before 3.9 has one in every folder (QA: the same
  // sentence for each folder of the import's skipped files).
  const unknown = [...picasa.unknownContacts].sort(([a], [b]) => a.localeCompare(b));
  if (unknown.length > 0) {
    const faces = unknown.reduce((sum, [, count]) => sum + count, 0);
    const where = unknown.length === 1 ? 'in this Picasa file' : `in this Picasa file and ${unknown.length - 1} more (${unknown.slice(1, 4).map(([path]) => path).join(', ')}${unknown.length > 4 ? ', …' : ''})`;
    result.skipped.push({
      path: unknown[0][0],
      reason:
        `${faces} face${faces === 1 ? ' is' : 's are'} tagged ${where} with Picasa contacts whose names the files do not hold: Picasa kept them in its ` +
        'contacts.xml (in Google/Picasa2/contacts); read names from that folder (in the desktop app, Settings › Read names from a folder…; or familiar names import --from DIR)',
    });
  }
  if (listedPhotos.length > 0) {
    // What each listed name looks like: the faces the user has named so (Takeout's own one-face photos add more).
    // Keyed by the person a listed name finds (of Jose and José, each their own), else by the name as compared.
    const nameKey = (name: string) => {
      const same = namesakes(name);
      return same.length === 1 ? same[0].id : foldName(name);
    };
    const known = new Map<string, Float32Array[]>();
    for (const face of library.faces) {
      const person = face.assignedBy === 'user' && face.personId !== null ? personById.get(face.personId) : undefined;
      // Not a box kept as drawn (isComparable): its vector may be of no face.
      if (!person?.name || !isComparable(face)) continue;
      const list = known.get(person.id) ?? [];
      list.push(library.embeddingOf(face));
      known.set(person.id, list);
    }
    const sameDistance = thresholdsFor(library.info, library.settings).sameDistance;
    const placed = placeTakeoutNames(listedPhotos, known, (f) => library.embeddingOf(f), sameDistance, nameKey);
    for (const p of placed) consider(p.face, p.name, p.path, false);
    for (const p of listedPhotos) {
      const said = p.listedBy === 'takeout' ? 'Google Takeout lists them in this photo' : 'a people keyword names them in this photo, with no face region';
      for (const name of p.names) {
        if (!placed.some((x) => x.path === p.path && sameName(x.name, name))) drop(p.path, name, `${said}, and no face in it was clearly theirs`);
      }
    }
  }
  // Each region no detected face matched is kept as a face the user drew, as the viewer keeps a box drawn around a face
  // Familiar missed (main/library/drawn-faces.ts): a closer look finds the face, else the box is kept as drawn. The
  // user named someone there, in this Familiar or another app; dropping the name would lose it without a word.
  /** The faces added, for the decision: undo of the names takes them out again. */
  const facesAdded: string[] = [];
  /** Of those, the unnamed faces found where other apps marked one: placed after the decision, as an import's are. */
  const unnamedFound: string[] = [];
  /** Places looked at closer that added no face, by photo: kept with the photo's analysis, so no read looks there again. */
  const lookedAt = new Map<string, Box[]>();
  const lookAt = [...missed.values()];
  try {
    await lookCloser();
    throwIfCancelled(options.signal, 'import-names');
  } catch (err) {
    // Stopped (or failed) before the decision whose undo would take them out: the faces added so far leave now, and the
    // read leaves the library as it found it; the names it read were not given either.
    if (facesAdded.length > 0) {
      try {
        const rows = await library.transaction((tx) => takeOutFaces(tx, library, facesAdded));
        await library.releaseRows(new Set(rows));
      } catch {
        // What stopped the read is what to say. The faces then stay, unnamed: the next read finds them and names them.
      }
    }
    throw err;
  }
  async function lookCloser(): Promise<void> {
    if (lookAt.length === 0 || !options.analyzer) return;
    const analyzer = await options.analyzer();
    // Unplaced faces are to be stored, which a grouping on open must then look at (a no-op inside an import).
    if (lookAt.some((entry) => entry.unnamed.length > 0)) await importStarting(library);
    tracker.resetWindow();
    const lookingCloser = {
      message: lookAt.some((entry) => entry.regions.length > 0) ? 'Adding the faces tagged where Familiar had found none' : 'Looking closer where other apps marked faces Familiar had not found',
    };
    tracker.report('look', 0, lookAt.length, lookingCloser);
    let looked = 0;
    await forEachBounded(lookAt, analyzer.size ?? 1, async ({ photo, regions, unnamed, unnamedAt }) => {
      throwIfCancelled(options.signal, 'import-names');
      if (regions.length > 0) await keepNamedRegions(analyzer, photo, regions);
      if (unnamed.length > 0) await lookForUnnamed(analyzer, photo, unnamed, unnamedAt!);
      tracker.report('look', ++looked, lookAt.length, lookingCloser);
    });
    await keepPlacesLookedAt(library, lookedAt);
  }
  async function lookForUnnamed(analyzer: FaceAnalysisService, photo: PhotoRecord, boxes: Box[], path: string): Promise<void> {
    let found: Awaited<ReturnType<typeof addDrawnFaces>>;
    try {
      // Only a face the detector confirms: an unnamed mark is no one's word that a face is there (Picasa's own
      // detector marked hands and posters too).
      // Stored unplaced: placed below, or by the import with its own faces, and one stopped before that leaves them for
      // the next import or open to group, not in no group.
      found = await addDrawnFaces(library, photo.id, boxes, analyzer, { alsoAt: path, detectedOnly: true, unplaced: true });
    } catch (err) {
      if (err instanceof JobCancelledError) throw err;
      // The photo changed or gone since its import: its marks name no one to lose, so nothing is said of them.
      if (err instanceof DrawnFaceError) return;
      result.skipped.push({ path, reason: `could not look for the faces other apps marked in it: ${describeError(err)}` });
      return;
    }
    found.forEach((outcome, i) => {
      if (!(outcome instanceof DrawnFaceError) && outcome.added) {
        facesAdded.push(outcome.faceId);
        unnamedFound.push(outcome.faceId);
        result.unnamedFacesFound++;
        return;
      }
      // No face there, one Familiar has (a mark too loose to match it), or too small to hold one: the same next time.
      lookedAt.set(photo.id, [...(lookedAt.get(photo.id) ?? []), boxes[i]]);
    });
  }
  async function keepNamedRegions(analyzer: FaceAnalysisService, photo: PhotoRecord, regions: MissedRegion[]): Promise<void> {
    let kept: Awaited<ReturnType<typeof addDrawnFaces>>;
    try {
      kept = await addDrawnFaces(library, photo.id, regions.map((r) => r.box), analyzer, { alsoAt: regions[0].path });
    } catch (err) {
      if (err instanceof JobCancelledError) throw err;
      const reason = `could not look for the tagged faces: ${describeError(err)}`;
      for (const r of regions) drop(r.path, r.name, reason);
      for (const path of new Set(regions.map((r) => r.path))) result.skipped.push({ path, reason });
      return;
    }
    kept.forEach((outcome, i) => {
      const region = regions[i];
      if (outcome instanceof DrawnFaceError) {
        drop(region.path, region.name, droppedBecause(outcome.refusal, outcome.message));
        return;
      }
      if (!outcome.added) {
        // The region is around a face Familiar has (found by another region of this photo, or a loose box around a
        // detected face): that face takes the name, unless another name went to it.
        const face = library.face(outcome.faceId);
        const given = assignments.find((a) => a.faceId === outcome.faceId);
        if (!face || (given && !sameName(given.name, region.name))) drop(region.path, region.name, 'its region is around a face another tag names');
        else if (!given) consider(face, region.name, region.path, region.fromFamiliar, region.guess);
        return;
      }
      facesAdded.push(outcome.faceId);
      assigned.add(outcome.faceId);
      assignments.push({ faceId: outcome.faceId, name: region.name, ...(region.guess ? { confirmed: false as const } : {}) });
      if (region.fromFamiliar) fromFamiliarFaces.add(outcome.faceId);
      result.facesAdded++;
      if (outcome.undetected) result.facesKeptAsDrawn++;
    });
  }
  const renames = renamesRead(otherNames, fromReads.faces, calledSoStill, namesakes);
  for (const other of otherNames) {
    const renamed = renames.find((r) => r.personId === other.personId);
    if (renamed && sameName(renamed.name, other.name)) alreadyNamedFaces.add(other.face.id);
    else conflictAbout(other.face, other.rawName, other.path, `this face is confirmed as "${renamed?.name ?? personById.get(other.personId)!.name}" here`);
  }
  result.alreadyNamed = countedOnce(library, alreadyNamedFaces);
  const rejections = notAnswers(library, saidNot, namesakes, assignments, result.conflicts);
  result.skipped.sort(byPath);
  result.droppedRegions.sort((a, b) => byPath(a, b) || a.name.localeCompare(b.name));
  result.conflicts.sort((a, b) => byPath(a, b) || a.faceId.localeCompare(b.faceId));
  if (assignments.length > 0 || rejections.length > 0 || renames.length > 0) {
    // As the decision enrolled them: one a name whatever its spellings, unless the faces under two spellings do not
    // look alike (Jose and José, two people).
    const { facesNamed, rejected, newPeople, renamed, ...decision } = await nameFacesInBulk(library, assignments, 'photo metadata (XMP face regions)', {
      regroupAfter: options.regroupAfter ?? false,
      rejections,
      renames,
      facesAdded,
      unnamedFound: unnamedFound.length,
    });
    result.newPeople = [...newPeople].sort((a, b) => a.localeCompare(b));
    result.renamed = renamed;
    result.decision = decision;
    result.facesNamed = facesNamed;
    // Counted as facesNamed is: a resized copy's face and its original's are one.
    result.namedFromFamiliar = countedOnce(library, decision.faceIds.filter((id) => fromFamiliarFaces.has(id)));
    result.rejectionsRead = rejected;
  } else if (unnamedFound.length > 0) {
    result.decision = await recordFacesFound(library, unnamedFound, 'photo metadata (XMP face regions)');
  }
  // Placed as an import places the faces it finds: with the person they clearly look like, else grouped with the
  // unknown faces near them, and, with a face studio trained, one that does not look like a face waits for review.
  // After the decision, whose undo takes the faces out, placements and all.
  if (unnamedFound.length > 0) {
    if (options.onUnnamedFacesFound) options.onUnnamedFacesFound(unnamedFound);
    else {
      await scoreFaceness(library, { faceIds: unnamedFound });
      await assignNewFaces(library, unnamedFound);
    }
  }
  return result;
}

/**
 * What the decision log says came from reads of other apps' tags alone: the named people an import-names decision
 * named and the user never named here (no 'name' or 'enrol' of theirs), and the faces whose latest decision is such a
 * read. Their name is the other library's (or digiKam's) word, not this user's: a rename made there may follow.
 */
function namedByReads(library: Library): { people: Set<string>; faces: Set<string> } {
  const read = new Set<string>();
  const namedHere = new Set<string>();
  const latestKind = new Map<string, Decision['kind']>();
  for (const d of library.people.decisions as Decision[]) {
    if (d.undoneAt !== null) continue;
    if (d.kind === 'import-names') for (const id of d.personIds) read.add(id);
    if (d.kind === 'name' || d.kind === 'enrol') for (const id of d.personIds) namedHere.add(id);
    for (const id of d.faceIds) latestKind.set(id, d.kind);
  }
  return {
    people: new Set([...read].filter((id) => !namedHere.has(id))),
    faces: new Set([...latestKind].filter(([, kind]) => kind === 'import-names').map(([id]) => id)),
  };
}

/**
 * The renames the tags read make: a person named by reads alone whose faces those reads confirmed are all tagged one
 * other name now, with none still tagged their name, and nobody else here called it. Faces the user confirmed as them
 * here follow the person; their tags vote for nothing.
 */
function renamesRead(
  otherNames: ReadonlyArray<{ face: FaceRecord; personId: string; name: string }>,
  readFaces: ReadonlySet<string>,
  calledSoStill: ReadonlySet<string>,
  namesakes: (name: string) => PersonRecord[],
): Array<{ personId: string; name: string }> {
  const renames: Array<{ personId: string; name: string }> = [];
  for (const personId of new Set(otherNames.map((o) => o.personId))) {
    const votes = otherNames.filter((o) => o.personId === personId && readFaces.has(o.face.id));
    if (votes.length === 0 || calledSoStill.has(personId)) continue;
    const name = votes[0].name;
    if (!votes.every((v) => sameName(v.name, name))) continue;
    if (namesakes(name).some((p) => p.id !== personId) || renames.some((r) => sameName(r.name, name))) continue;
    renames.push({ personId, name });
  }
  return renames;
}

/** Keeps with each photo's analysis the places a closer look added no face at (PhotoAnalysis.lookedCloserAt). */
async function keepPlacesLookedAt(library: Library, byPhoto: ReadonlyMap<string, readonly Box[]>): Promise<void> {
  if (byPhoto.size === 0) return;
  await library.transaction((tx) => {
    const changed: PhotoRecord[] = [];
    for (const [id, boxes] of byPhoto) {
      const photo = library.photo(id);
      if (!photo?.analysis) continue;
      photo.analysis = { ...photo.analysis, lookedCloserAt: [...(photo.analysis.lookedCloserAt ?? []), ...boxes] };
      changed.push(photo);
    }
    tx.put('photos', changed);
  });
}

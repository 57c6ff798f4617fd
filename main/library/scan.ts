// Recursive folder scan: image-named regular files, hidden folders and files skipped, symlinks followed but each
// real folder visited once (so a symlink loop ends), a folder that vanishes or cannot be read reported and passed.
// Folders of the system and of other apps are not entered (see skipsEntry): importing a whole drive or the home
// folder must not import the recycle bin, app caches or Apple Photos' resized copies.
import { homedir } from 'node:os';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { throwIfCancelled } from '../jobs/progress.js';
import { exactPathRules, isInside, pathKey, pathRules, type PathRules } from '../paths.js';
import { readErrorInWords, saysItIsGone } from './decode.js';
import { isRawName } from './camera-raw.js';
import { isImageName, READ_FORMATS_IN_WORDS, unreadablePhotoReason } from './formats.js';
import { plural } from '../../preload/contract.js';

export interface ScannedFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface SkippedFile {
  path: string;
  reason: string;
  /** A folder, not a file (one it could not read or find): the import says "Skipped 1 folder and 2 files". */
  folder?: true;
}

/**
 * Files in the order the scan walks them: folder by folder, each folder's names in code-unit order, a folder before
 * what is in it. The import skips files as its workers finish them, in no set order; listed so, a damaged drive's
 * thousands of skipped files read folder by folder, and the same folder gives the same list every time.
 */
function inWalkOrder(a: { path: string }, b: { path: string }): number {
  const left = a.path.split(/[\\/]/);
  const right = b.path.split(/[\\/]/);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i] < right[i] ? -1 : 1;
  }
  return left.length - right.length;
}

/**
 * inWalkOrder for a scan of several folders: the scan walks them in the order given (`familiar import /b /a` lists
 * /b first), so each file goes by the first of `roots` that holds it, then by inWalkOrder within it.
 */
export function inWalkOrderOf(roots: readonly string[], rules: PathRules = pathRules()): (a: { path: string }, b: { path: string }) => number {
  const rootIndexes = new Map<string, number>();
  const rootIndex = (path: string) => {
    let index = rootIndexes.get(path);
    if (index === undefined) {
      const found = roots.findIndex((root) => isInside(root, path, rules));
      index = found < 0 ? roots.length : found;
      rootIndexes.set(path, index);
    }
    return index;
  };
  return (a, b) => rootIndex(a.path) - rootIndex(b.path) || inWalkOrder(a, b);
}

export interface ScanOptions {
  signal?: AbortSignal;
  /** Called before each folder is listed (tests use it to make a folder vanish mid-scan). */
  beforeListing?: (dir: string) => void | Promise<void>;
  /**
   * Called every few folders (and every few hundred files) with the photo files found so far, those skipped (a broken
   * link, a photo this build cannot read) included: what the import says it found is then what it imports and skips.
   * `foldersHolding`: the folders listed that hold any of them (an album's empty parent of its subfolders is not one).
   */
  onProgress?: (foldersListed: number, filesFound: number, foldersHolding: number) => void;
  /**
   * Folders never entered: the library's own (its thumbnails are images, and a library kept inside the photo folder,
   * or an import of the home folder that holds the app's data, would import them, again on every run).
   */
  excludeFolders?: readonly string[];
  /** Tests: the platform and home folder the rules for system folders follow (os.homedir() and process.platform). */
  platform?: NodeJS.Platform;
  homeDir?: string;
}

export interface ScanResult {
  files: ScannedFile[];
  skipped: SkippedFile[];
  /**
   * Folders and files that are there but could not be read (a disk error, no permission, a network drive that did not
   * answer): what the library holds at or under them is not known to be gone, and must not turn missing. Those not
   * there (ENOENT, ENOTDIR) are not listed: their photos are gone.
   */
  unread: string[];
}

/** Whether a failure to read a path says nothing of whether it is there. */
const tellsNothingOfBeingThere = (err: unknown) => !saysItIsGone(err);

/**
 * A name not in UTF-8 (an old archive's, a share mounted with another charset): Node reads its bad bytes as U+FFFD, and
 * no file has that name, so it cannot be opened by it (QA: "it vanished during the scan" sent the user looking for a
 * disk fault).
 */
export const NAME_NOT_UTF8 = 'its name is not UTF-8 text, which Familiar needs to open it: rename it (convmv converts a whole folder) and import again';

/** Whether a path's name has bytes that are not UTF-8, as Node read it (NAME_NOT_UTF8). */
export const nameNotUtf8 = (path: string): boolean => path.includes('\uFFFD');

function describe(err: unknown, path: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' && nameNotUtf8(path)) return NAME_NOT_UTF8;
  if (code === 'ENOENT') return 'it vanished during the scan';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  if (code === 'ENOTDIR') return 'it is no longer a folder';
  return readErrorInWords(err);
}

/** Folders Windows keeps at the top of every drive (recycle bins of each Windows version, restore points). */
const SYSTEM_FOLDERS = new Set(['$recycle.bin', 'recycler', 'system volume information']);
/** The only folders of an Apple Photos library (`*.photoslibrary`) that hold the user's own files. */
const PHOTOS_LIBRARY_ORIGINALS = new Set(['originals', 'masters']);
const isPhotosLibrary = (dir: string) => /\.photoslibrary$/i.test(basename(dir));

interface SkipRules {
  /** The home folder as realpath spells it, as a path key (main/paths.ts). */
  home: string;
  platform: NodeJS.Platform;
}

/**
 * Whether the scan passes by the file or folder `name` in the folder `dir` (realpath `realDir`). Hidden names (.git,
 * .thumbnails, .Trashes) and Windows' system folders anywhere; the app data under the home folder (AppData; on macOS
 * Library), which holds caches, icons and other apps' thumbnails by the thousand; inside an Apple Photos library all
 * but its originals (the user's photos: `originals`, `Masters` before macOS 10.15), since the rest are Apple's resized
 * copies and caches of the same pictures. A user moving from Apple Photos drags the whole package in.
 */
function skipsEntry(dir: string, realDir: string, name: string, rules: SkipRules): boolean {
  const lower = name.toLowerCase();
  if (name.startsWith('.') || SYSTEM_FOLDERS.has(lower)) return true;
  if (isPhotosLibrary(dir)) return !PHOTOS_LIBRARY_ORIGINALS.has(lower);
  if (pathKey(realDir, rules.platform) === rules.home) {
    if (lower === 'appdata') return true;
    if (lower === 'library' && rules.platform === 'darwin') return true;
  }
  return false;
}

/**
 * What a search of folders has found so far, as an import (and the names' --from) says it while it runs: "Looking for
 * photos: 1,234 found in 56 folders", the folders that hold them (`holding`), not every folder looked through: an
 * album of three subfolders and no photo at its top said "found in 4 folders" (QA). Zero reads as what happened:
 * files given by name list no folder (QA: a look again said "found in 0 folders"), and the folders `listed` so far may
 * hold nothing yet.
 */
export function lookingForWords(what: string, found: number, holding: number, listed = holding): string {
  const looking = `Looking for ${what}`;
  if (found === 0) return listed === 0 ? `${looking}: none found` : `${looking}: ${plural(listed, 'folder')} looked through, none found so far`;
  // Files given by name are in no folder listed.
  if (holding === 0) return `${looking}: ${plural(found, 'file')} to read`;
  return `${looking}: ${found.toLocaleString('en')} found in ${plural(holding, 'folder')}`;
}

/** Files of a folder looked at (stat) at once. */
const FILES_AT_ONCE = 16;
/** Said at least every this many files found, however large the folders (a folder of 5,000 photos was 5,000 silent stats). */
const FILES_BETWEEN_REPORTS = 500;

/**
 * Whether a picture file looks whole from its ends: not empty, and a JPEG (what cameras write beside a RAW) starting
 * and ending as one does. A file cut short by a copy stopped part way lacks its end marker.
 */
async function looksWhole(path: string): Promise<boolean> {
  let file;
  try {
    file = await open(path, 'r');
    const { size } = await file.stat();
    if (size < 64) return false;
    if (!/\.(jpe?g|jpe|jfif)$/i.test(path)) return true;
    const head = Buffer.alloc(3);
    await file.read(head, 0, 3, 0);
    // Some cameras pad after the end marker; none pads a kilobyte.
    const tail = Buffer.alloc(Math.min(size, 1024));
    await file.read(tail, 0, tail.length, size - tail.length);
    return head.equals(Buffer.from([0xff, 0xd8, 0xff])) && tail.includes(Buffer.from([0xff, 0xd9]));
  } catch {
    return false;
  } finally {
    await file?.close().catch(() => undefined);
  }
}

/** The shot a file is of: its name without the extension, in any case (cameras write IMG_1.CR2 beside IMG_1.JPG). */
function shotOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? name.slice(0, dot) : name).toLowerCase();
}

export async function scanFolders(roots: string[], options: ScanOptions = {}): Promise<ScanResult> {
  const files: ScannedFile[] = [];
  const skipped: SkippedFile[] = [];
  const unread: string[] = [];
  /** Files skipped (not folders): counted as found, so "156 found" is not followed by 153 imported and 4 skipped (QA). */
  let skippedFiles = 0;
  const skipFile = (path: string, reason: string) => {
    skipped.push({ path, reason });
    skippedFiles++;
  };
  const found = () => files.length + skippedFiles;
  // Keyed by realpath, exactly: it spells one file one way (the way it is on disk), and on a volume that tells case
  // apart two names differing in case are two files, which folding would take for one.
  const visitedDirs = new Set<string>();
  // Everything inside them too, however reached: a link into the library's thumbnails imported them, and each import
  // through it the thumbnails of the last one's (QA: 3 photos became 15).
  const excluded: string[] = [];
  for (const folder of options.excludeFolders ?? []) excluded.push(await realpath(folder).catch(() => resolve(folder)));
  // realpath spells them as the disk does, in this system's own separators.
  const exact = exactPathRules();
  const isExcluded = (real: string) => excluded.some((folder) => isInside(folder, real, exact));
  const seenFiles = new Set<string>();
  let listed = 0;
  /** Folders listed that hold a file found (foldersHolding). */
  let holding = 0;
  const platform = options.platform ?? process.platform;
  const home = options.homeDir ?? homedir();
  const rules: SkipRules = { platform, home: pathKey(await realpath(home).catch(() => resolve(home)), platform) };

  /** What a file is: a photo file and its real path, one skipped and why, or nothing to import (a folder, another kind of file). */
  type Looked = { file: ScannedFile; real: string } | { skip: string; unread?: true } | null;
  /** `real`: its real path when known (a file listed in a folder whose real path is known): else realpath asks the disk. */
  const lookAt = async (path: string, name: string, real?: string): Promise<Looked> => {
    if (!isImageName(name)) {
      const reason = unreadablePhotoReason(name);
      return reason ? { skip: reason } : null;
    }
    let info;
    try {
      info = await stat(path); // follows a symlinked file
    } catch (err) {
      return { skip: `cannot read it: ${describe(err, path)}`, ...(tellsNothingOfBeingThere(err) && { unread: true as const }) };
    }
    if (info.isDirectory()) return null; // handled as a folder by the caller
    if (!info.isFile()) return { skip: 'not a regular file (a device, pipe or socket)' };
    return { file: { path, size: info.size, mtimeMs: info.mtimeMs }, real: real ?? (await realpath(path).catch(() => path)) };
  };
  let reportedAt = 0;
  const report = () => {
    reportedAt = found();
    options.onProgress?.(listed, reportedAt, holding);
  };
  /** A folder listed: whether a file found so far is in it (given by name: no folder). */
  type Listed = { holds: boolean } | null;
  const foundIn = (folder: Listed) => {
    if (!folder || folder.holds) return;
    folder.holds = true;
    holding++;
  };
  /** Taken in the order the folders list them, whatever order the looks end in. */
  const take = (path: string, looked: Looked, folder: Listed) => {
    if (looked === null) return;
    const before = found();
    if ('skip' in looked) {
      skipFile(path, looked.skip);
      if (looked.unread) unread.push(path);
    }
    else if (!seenFiles.has(looked.real) && !isExcluded(looked.real)) {
      // (A file seen already was reached through a symlink: one path is enough.)
      seenFiles.add(looked.real);
      files.push(looked.file);
    }
    if (found() > before) foundIn(folder);
    if (found() - reportedAt >= FILES_BETWEEN_REPORTS) report();
  };
  const visitFile = async (path: string, name: string, folder: Listed) => take(path, await lookAt(path, name), folder);
  const skipFolder = (dir: string, err: unknown) => {
    skipped.push({ path: dir, reason: `folder skipped: ${describe(err, dir)}`, folder: true });
    if (tellsNothingOfBeingThere(err)) unread.push(dir);
  };

  const visitDir = async (dir: string): Promise<void> => {
    throwIfCancelled(options.signal, 'import');
    let real: string;
    try {
      real = await realpath(dir);
    } catch (err) {
      skipFolder(dir, err);
      return;
    }
    if (visitedDirs.has(real) || isExcluded(real)) return; // symlink loop, a folder linked twice, or an excluded folder
    visitedDirs.add(real);
    let entries;
    try {
      await options.beforeListing?.(dir);
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      skipFolder(dir, err);
      return;
    }
    listed++;
    const folder = { holds: false };
    if (listed % 20 === 0) report();
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // A camera writing RAW and JPEG together makes two files of one shot (IMG_1.CR2, IMG_1.JPG): the JPEG is the
    // picture, and the RAW's faces would be the same people twice. A RAW alone is read by the JPEG inside it, and so
    // is one whose twin is empty or cut short (a card copy stopped part way): the shot is not lost with its JPEG.
    const rawShots = new Set(entries.filter((entry) => isRawName(entry.name)).map((entry) => shotOf(entry.name)));
    const shotsWithPicture = new Set<string>();
    if (rawShots.size > 0) {
      const twins = entries.filter((entry) => rawShots.has(shotOf(entry.name)) && isImageName(entry.name) && !isRawName(entry.name));
      // A few at a time: a camera's folder holds thousands of pairs, and as many files open at once would fail (EMFILE)
      // and import every RAW beside its JPEG.
      for (let start = 0; start < twins.length; start += FILES_AT_ONCE) {
        const some = twins.slice(start, start + FILES_AT_ONCE);
        const whole = await Promise.all(some.map((entry) => looksWhole(join(dir, entry.name))));
        some.forEach((entry, i) => whole[i] && shotsWithPicture.add(shotOf(entry.name)));
      }
    }
    // A folder's files are looked at several at a time (one stat after another, 100,000 photos took most of a
    // re-import that read nothing), their real path told by the folder's (no realpath each), and taken in order.
    let looking: Array<[string, Promise<Looked>]> = [];
    const takeLooked = async () => {
      for (const [path, looked] of looking) take(path, await looked, folder);
      looking = [];
    };
    for (const entry of entries) {
      if (skipsEntry(dir, real, entry.name, rules)) continue;
      if (isRawName(entry.name) && shotsWithPicture.has(shotOf(entry.name))) continue;
      const path = join(dir, entry.name);
      if (entry.isFile()) {
        looking.push([path, lookAt(path, entry.name, join(real, entry.name))]);
        if (looking.length >= FILES_AT_ONCE) await takeLooked();
        continue;
      }
      await takeLooked();
      if (entry.isDirectory()) {
        await visitDir(path);
      } else if (entry.isSymbolicLink()) {
        const target = await stat(path).catch((err: unknown) => err as Error);
        if (target instanceof Error) {
          // A link into a drive that did not answer may hold the library's photos, a folder of them or one.
          if (tellsNothingOfBeingThere(target)) unread.push(path);
          if (isImageName(entry.name) || (target as NodeJS.ErrnoException).code === 'ELOOP') {
            const code = (target as NodeJS.ErrnoException).code;
            // ENOENT here is a link to nothing, not a file that vanished mid-scan.
            skipFile(path, code === 'ENOENT' ? 'broken symbolic link: what it points to does not exist' : `broken symbolic link: ${describe(target, path)}`);
            foundIn(folder);
          }
        } else if (target.isDirectory()) {
          await visitDir(path);
        } else {
          await visitFile(path, entry.name, folder);
        }
      } else {
        await visitFile(path, entry.name, folder);
      }
    }
    await takeLooked();
  };

  for (const root of roots) {
    const path = resolve(root);
    const info = await lstat(path).catch((err: unknown) => err as Error);
    if (info instanceof Error) {
      if (tellsNothingOfBeingThere(info)) skipFolder(path, info);
      else skipped.push({ path, reason: 'folder not found', folder: true });
      continue;
    }
    const target = info.isSymbolicLink() ? await stat(path).catch((err: unknown) => err as Error) : info;
    if (target instanceof Error && tellsNothingOfBeingThere(target)) skipFolder(path, target);
    else if (target instanceof Error) skipped.push({ path, reason: 'not a folder or an image file' });
    else if (target.isDirectory() && isExcluded(await realpath(path).catch(() => path))) {
      // Given by name: said, not passed by in silence (review: "No photos in" a folder holding photos).
      skipped.push({ path, reason: "folder skipped: it is inside Familiar's library folder, which holds its own pictures of faces", folder: true });
    } else if (target.isDirectory()) await visitDir(path);
    else if (target.isFile()) {
      // A file given by name is said to be no photo, where a folder's other files (notes, videos) are passed by.
      const before = found();
      await visitFile(path, path, null);
      if (found() === before && !isImageName(path)) {
        skipFile(path, `its name does not end as a photo file does (Familiar reads ${READ_FORMATS_IN_WORDS})`);
      }
    } else skipped.push({ path, reason: 'not a folder or an image file' });
  }
  report();
  return { files, skipped, unread };
}

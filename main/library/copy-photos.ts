// "Copy these photos to a folder": the photos of some people (Grandma's, for her birthday slideshow; the ones of
// the two cousins together) as files in a folder of the user's choosing, for another app, a print shop or a USB stick.
// The photos are copied as they are on disk, byte for byte, with their dates; nothing in the library changes.
//
// Safe to run again into the same folder: a file there with the same content, under whatever name, is that photo
// already, not copied twice. Two photos with one name (IMG_0001.JPG from two cameras) become "IMG_0001.JPG" and
// "IMG_0001 (2).JPG", and nothing in the folder is ever replaced. Each copy is written under a temporary name and given
// its own when whole, so a stop, a crash or a full disk leaves no half photo.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, constants as fsConstants, unlinkSync } from 'node:fs';
import { access, copyFile, link, lstat, mkdir, readdir, realpath, rename, stat, unlink, utimes } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative } from 'node:path';
import { isInside } from '../paths.js';
import { JobCancelledError, ProgressTracker, type ProgressListener } from '../jobs/progress.js';
import type { PhotoRecord } from '../store/types.js';

export interface CopyPhotosOptions {
  /** The folder to copy into (absolute; made when missing, once there is a photo to copy). */
  to: string;
  /** The library's own folder: never a destination (its documents are not a place for photos). */
  libraryDir: string;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface PhotoNotCopied {
  /** The photo's file as the library knows it. */
  path: string;
  reason: string;
}

export interface CopyPhotosSummary {
  /** The folder copied into. */
  folder: string;
  photos: number;
  copied: number;
  /** Already in the folder with the same content (an earlier copy into it): left as they are. */
  alreadyThere: number;
  /** Photos whose file is not on disk (moved, deleted, or on a drive that is not plugged in). */
  missing: PhotoNotCopied[];
  /** Photos that could not be read or written, each with why. */
  failed: PhotoNotCopied[];
  /** Bytes written. */
  bytes: number;
}

/** A reason the copy cannot start at all: said to the user as it is. */
export class CopyPhotosError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyPhotosError';
  }
}

/** Errors after which every further photo would fail the same way: the copy stops and says so. */
const STOPS_THE_COPY = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);

/** What to do about a copy stopped by one of STOPS_THE_COPY. */
const AFTER_THE_STOP: Record<string, string> = {
  ENOSPC: 'free some space and copy again to finish',
  EDQUOT: 'free some space and copy again to finish',
  EROFS: 'copy into a folder on another disk, or make this one writable and copy again to finish',
};

/**
 * The temporary names copies are written under, in the folder they go to (a rename within one folder is whole): short,
 * so a photo's name of up to 255 bytes still fits beside it.
 */
const PARTIAL_PREFIX = '.familiar-partial-';
const PARTIAL_NAME = /^\.familiar-partial-[0-9a-f]{12}$/;
/** A temporary file older than this is left over from a copy that was killed (a second Ctrl-C, a crash): removed. */
const STALE_PARTIAL_MS = 60 * 60 * 1000;
/** The longest file name the common file systems take, in bytes (UTF-8; Windows counts 255 UTF-16 units). */
const MAX_NAME_BYTES = 255;

/** Temporary files being written in this process: removed if it exits part way (process.exit on a second Ctrl-C). */
const partialsInFlight = new Set<string>();
let cleanupOnExit = false;

/**
 * Throws, saying why, when `folder` cannot take the copies: not a full path, a file (or under one), or inside the
 * library's own folder, however reached (a symbolic link to it). A folder holding the library (the home folder) is fine:
 * the copies go into the folder itself, never into its subfolders.
 */
export async function checkCopyDestination(folder: string, libraryDir: string): Promise<void> {
  if (!isAbsolute(folder)) throw new CopyPhotosError(`"${folder}" is not a full path on this computer.`);
  const refuse = () => new CopyPhotosError(`${folder} is inside Familiar's own library folder (${libraryDir}): choose another folder to copy the photos into.`);
  if (isInside(libraryDir, folder)) throw refuse();
  const { existing, rest } = await nearestExisting(folder);
  if ((await lstat(existing).catch(() => null))?.isSymbolicLink() && !(await stat(existing).catch(() => null))) {
    throw new CopyPhotosError(`${existing} is a link to a folder that is not there: choose another folder to copy the photos into.`);
  }
  const info = await stat(existing).catch(() => null);
  if (info && !info.isDirectory()) {
    throw new CopyPhotosError(`${existing === folder ? folder : existing} is a file, not a folder: choose a folder to copy the photos into.`);
  }
  const real = join(await realpath(existing).catch(() => existing), rest);
  if (isInside(await realpath(libraryDir).catch(() => libraryDir), real)) throw refuse();
}

/** The deepest part of `path` that exists, and the rest of `path` below it. */
async function nearestExisting(path: string): Promise<{ existing: string; rest: string }> {
  let existing = path;
  // ENOTDIR: a part of the path is a file, which is what the caller says. lstat: a broken link is there, as a link.
  while ((await lstat(existing).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' || err.code === 'ENOTDIR' ? null : true))) === null) {
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  return { existing, rest: relative(existing, path) };
}

export async function copyPhotosTo(photos: readonly PhotoRecord[], options: CopyPhotosOptions): Promise<CopyPhotosSummary> {
  const folder = options.to;
  await checkCopyDestination(folder, options.libraryDir);
  const summary: CopyPhotosSummary = { folder, photos: photos.length, copied: 0, alreadyThere: 0, missing: [], failed: [], bytes: 0 };
  const progress = new ProgressTracker('copy-photos', options.onProgress);
  const copying = { message: 'Copying photos' };
  progress.report('copy', 0, photos.length, copying);
  // Made when the first photo goes in: nothing to copy makes no empty folder.
  let destination: Destination | null = null;
  for (const [i, photo] of photos.entries()) {
    if (options.signal?.aborted) throw new JobCancelledError('copy-photos', summary);
    const source = await fileOnDisk(photo.paths);
    if (source === null) summary.missing.push({ path: photo.paths[0] ?? photo.id, reason: 'not on disk: moved, deleted, or on a drive that is not plugged in' });
    else {
      destination ??= await Destination.open(folder);
      try {
        if (await destination.holds(source)) summary.alreadyThere++;
        else {
          await destination.copy(source);
          summary.copied++;
          summary.bytes += source.size;
        }
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        summary.failed.push({ path: source.path, reason: reasonOf(err) });
        if (code !== undefined && STOPS_THE_COPY.has(code)) {
          // Not a CopyPhotosError (a folder refused before anything started): the copy failed part way.
          throw new Error(`${capitalised(reasonOf(err))} (${folder}): ${summary.copied} of ${photos.length} photos were copied before the copy stopped; ${AFTER_THE_STOP[code]}.`);
        }
      }
    }
    progress.report('copy', i + 1, photos.length, copying);
  }
  return summary;
}

interface SourceFile {
  path: string;
  size: number;
  /** Seconds, as utimes takes them (a Date would round them to the millisecond). */
  mtime: number;
  atime: number;
}

/** The first of a photo's paths that is a file on disk (a photo kept in two folders is copied once). */
async function fileOnDisk(paths: readonly string[]): Promise<SourceFile | null> {
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (info?.isFile()) return { path, size: info.size, mtime: info.mtimeMs / 1000, atime: info.atimeMs / 1000 };
  }
  return null;
}

/**
 * The folder copied into: its files by size, each hashed only when a photo of the same size comes (a photo copied
 * before under another name, from another of its paths, is found by its content), and the names it holds.
 */
class Destination {
  private readonly bySize = new Map<number, string[]>();
  private readonly digests = new Map<string, Promise<string>>();
  /** Names given in this run: two photos named alike never aim at one file. */
  private readonly taken = new Set<string>();

  private constructor(readonly folder: string) {}

  static async open(folder: string): Promise<Destination> {
    await makeFolder(folder);
    const destination = new Destination(folder);
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (PARTIAL_NAME.test(entry.name)) {
        await removeIfStale(path);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      // A link to a photo counts as the photo: followed.
      const info = await stat(path).catch(() => null);
      if (info?.isFile()) destination.add(path, info.size);
    }
    return destination;
  }

  /** Whether a file here has `source`'s content. */
  async holds(source: SourceFile): Promise<boolean> {
    const sameSize = this.bySize.get(source.size);
    if (!sameSize?.length) return false;
    const wanted = await this.digestOf(source.path);
    for (const path of sameSize) if ((await this.digestOf(path).catch(() => null)) === wanted) return true;
    return false;
  }

  /** Copies `source` in under its own name, or the first "name (n).ext" free. */
  async copy(source: SourceFile): Promise<void> {
    const { stem, ext } = nameParts(basename(source.path));
    await withPartial(this.folder, source, async (partial) => {
      for (let n = 1; ; n++) {
        const target = join(this.folder, n === 1 ? stem + ext : withinNameLimit(stem, ` (${n})`, ext));
        if (this.taken.has(target) || !(await publish(partial, target))) continue;
        // The copy keeps the photo's file dates, so apps that sort by file date put it where the original is. Set once
        // it has its name: the temporary file keeps the date it was written, by which a killed copy's is told stale.
        // Where the disk cannot take them (a file system without such dates), the copy is whole all the same.
        await utimes(target, source.atime, source.mtime).catch(() => undefined);
        this.taken.add(target);
        this.add(target, source.size);
        return;
      }
    });
  }

  private add(path: string, size: number): void {
    const paths = this.bySize.get(size);
    if (paths) paths.push(path);
    else this.bySize.set(size, [path]);
  }

  private digestOf(path: string): Promise<string> {
    let digest = this.digests.get(path);
    if (!digest) this.digests.set(path, (digest = sha256Of(path)));
    return digest;
  }
}

/** A file name's stem and extension; an extension too long to leave room for " (n)" counts as part of the stem. */
function nameParts(name: string): { stem: string; ext: string } {
  const ext = extname(name);
  if (Buffer.byteLength(ext) > MAX_NAME_BYTES / 2) return { stem: name, ext: '' };
  return { stem: name.slice(0, name.length - ext.length), ext };
}

/**
 * `stem + suffix + ext`, the stem cut short where the whole would be longer than a file name can be: between the
 * characters a reader sees (an emoji of several code points stays whole).
 */
function withinNameLimit(stem: string, suffix: string, ext: string): string {
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(stem)].map((g) => g.segment);
  while (graphemes.length > 1 && Buffer.byteLength(graphemes.join('') + suffix + ext) > MAX_NAME_BYTES) graphemes.pop();
  return graphemes.join('') + suffix + ext;
}

async function makeFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (err) {
    // mkdir says ENOENT when it cannot make a missing parent (a read-only disk): the parent that exists says why.
    const { existing } = await nearestExisting(folder);
    const why = await access(existing, fsConstants.W_OK).then(
      () => err,
      (parentErr: unknown) => parentErr,
    );
    throw new Error(`Familiar cannot make the folder ${folder}: ${reasonOf(why)}.`);
  }
}

/**
 * Writes `source` whole into a temporary file in `folder` and hands it to `publishIt`; the temporary file
 * is gone after, whatever happens (also if the process exits meanwhile).
 */
async function withPartial(folder: string, source: SourceFile, publishIt: (partial: string) => Promise<void>): Promise<void> {
  const partial = join(folder, `${PARTIAL_PREFIX}${randomBytes(6).toString('hex')}`);
  if (!cleanupOnExit) {
    cleanupOnExit = true;
    process.once('exit', () => {
      for (const path of partialsInFlight) {
        try {
          unlinkSync(path);
        } catch {
          // Gone already, or the disk went away: nothing more to do on the way out.
        }
      }
    });
  }
  partialsInFlight.add(partial);
  try {
    // A clone where the file system can (APFS, Btrfs): instant, and no extra space.
    await copyFile(source.path, partial, fsConstants.COPYFILE_FICLONE);
    await publishIt(partial);
  } finally {
    await unlink(partial).catch(() => undefined);
    partialsInFlight.delete(partial);
  }
}

/** Errors of a file system without hard links (FAT and exFAT: USB sticks, memory cards). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/**
 * Gives `partial` the name `target` unless something is there already (a file, a link, even a broken one): false then.
 * A hard link fails rather than replace, so another copy into the same folder at the same time (the CLI beside the app)
 * never loses a photo; without hard links, the name is looked at just before the rename.
 */
async function publish(partial: string, target: string): Promise<boolean> {
  try {
    await link(partial, target);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(code)) throw err;
  }
  if (await lstat(target).then(() => true, (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? false : Promise.reject(err)))) return false;
  await rename(partial, target);
  return true;
}

/** A temporary file a killed copy left: removed once it is old enough not to be another copy's, running now. */
async function removeIfStale(path: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (info && Date.now() - info.mtimeMs > STALE_PARTIAL_MS) await unlink(path).catch(() => undefined);
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function reasonOf(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'EROFS':
      return 'the folder is on a read-only disk';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENAMETOOLONG':
      return 'the name is too long for the folder';
    case 'EIO':
      return 'the disk could not be read or written (input/output error)';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

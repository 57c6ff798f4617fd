// "Copy these photos to a folder": the photos of some people (Grandma's, for her birthday slideshow; the ones of
// the two cousins together) as files in a folder of the user's choosing, for another app, a print shop or a USB stick.
// The photos are copied as they are on disk, byte for byte, with their dates; nothing in the library changes.
//
// Safe to run again into the same folder: a file there with the same content is that photo already, not copied twice.
// Two photos with one name (IMG_0001.JPG from two cameras) become "IMG_0001.JPG" and "IMG_0001 (2).JPG". Each copy
// is written under a temporary name and renamed when whole, so a stop, a crash or a full disk leaves no half photo.
import { createHash } from 'node:crypto';
import { createReadStream, constants as fsConstants } from 'node:fs';
import { copyFile, mkdir, rename, stat, unlink, utimes } from 'node:fs/promises';
import { basename, extname, isAbsolute, join } from 'node:path';
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

/** The temporary name a copy is written under, in the folder it goes to (a rename within one folder is whole). */
const PARTIAL_SUFFIX = '.familiar-partial';

/** Throws, saying why, when `folder` cannot take the copies: not a full path, or in or around the library's own files. */
export function checkCopyDestination(folder: string, libraryDir: string): void {
  if (!isAbsolute(folder)) throw new CopyPhotosError(`"${folder}" is not a full path on this computer.`);
  if (isInside(libraryDir, folder) || isInside(folder, libraryDir)) {
    throw new CopyPhotosError(`${folder} holds Familiar's own library files (${libraryDir}): choose another folder to copy the photos into.`);
  }
}

export async function copyPhotosTo(photos: readonly PhotoRecord[], options: CopyPhotosOptions): Promise<CopyPhotosSummary> {
  const folder = options.to;
  checkCopyDestination(folder, options.libraryDir);
  const there = await stat(folder).catch(() => null);
  if (there && !there.isDirectory()) throw new CopyPhotosError(`${folder} is a file, not a folder: choose a folder to copy the photos into.`);
  // Made when the first photo goes in: nothing to copy makes no empty folder.
  let folderMade = there !== null;

  const summary: CopyPhotosSummary = { folder, photos: photos.length, copied: 0, alreadyThere: 0, missing: [], failed: [], bytes: 0 };
  const progress = new ProgressTracker('copy-photos', options.onProgress);
  const copying = { message: 'Copying photos' };
  progress.report('copy', 0, photos.length, copying);
  /** Names given in this run: two photos named alike never aim at one file. */
  const taken = new Set<string>();
  for (const [i, photo] of photos.entries()) {
    if (options.signal?.aborted) throw new JobCancelledError('copy-photos', summary);
    const source = await fileOnDisk(photo.paths);
    if (source === null) summary.missing.push({ path: photo.paths[0] ?? photo.id, reason: 'not on disk: moved, deleted, or on a drive that is not plugged in' });
    else {
      if (!folderMade) {
        await makeFolder(folder);
        folderMade = true;
      }
      try {
        const outcome = await copyOne(source, folder, taken);
        if (outcome.copied) {
          summary.copied++;
          summary.bytes += outcome.bytes;
        } else summary.alreadyThere++;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        summary.failed.push({ path: source.path, reason: reasonOf(err) });
        if (code !== undefined && STOPS_THE_COPY.has(code)) {
          // Not a CopyPhotosError (a folder refused before anything started): the copy failed part way.
          throw new Error(`${capitalised(reasonOf(err))} (${folder}): ${summary.copied} of ${photos.length} photos were copied before the copy stopped; free the space and copy again to finish.`);
        }
      }
    }
    progress.report('copy', i + 1, photos.length, copying);
  }
  return summary;
}

async function makeFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (err) {
    throw new Error(`Familiar cannot make the folder ${folder}: ${reasonOf(err)}.`);
  }
}

interface SourceFile {
  path: string;
  size: number;
  mtime: Date;
  atime: Date;
}

/** The first of a photo's paths that is a file on disk (a photo kept in two folders is copied once). */
async function fileOnDisk(paths: readonly string[]): Promise<SourceFile | null> {
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (info?.isFile()) return { path, size: info.size, mtime: info.mtime, atime: info.atime };
  }
  return null;
}

/**
 * Copies `source` into `folder` under its own name, or the first "name (n).ext" free for it; a file already under one
 * of those names with the same content is this photo, copied before.
 */
async function copyOne(source: SourceFile, folder: string, taken: Set<string>): Promise<{ copied: boolean; bytes: number }> {
  const name = basename(source.path);
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let sourceDigest: string | null = null;
  for (let n = 1; ; n++) {
    const target = join(folder, n === 1 ? name : `${stem} (${n})${ext}`);
    if (taken.has(target)) continue;
    const there = await stat(target).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
    if (there === null) {
      taken.add(target);
      await writeWhole(source, target);
      return { copied: true, bytes: source.size };
    }
    if (there.isFile() && there.size === source.size) {
      sourceDigest ??= await digestOf(source.path);
      if ((await digestOf(target)) === sourceDigest) {
        taken.add(target);
        return { copied: false, bytes: 0 };
      }
    }
  }
}

async function writeWhole(source: SourceFile, target: string): Promise<void> {
  const partial = `${target}${PARTIAL_SUFFIX}`;
  try {
    // A clone where the file system can (APFS, Btrfs): instant, and no extra space.
    await copyFile(source.path, partial, fsConstants.COPYFILE_FICLONE);
    // The copy keeps the photo's file dates: apps that sort by file date put it where the original is.
    await utimes(partial, source.atime, source.mtime);
    await rename(partial, target);
  } catch (err) {
    await unlink(partial).catch(() => undefined);
    throw err;
  }
}

async function digestOf(path: string): Promise<string> {
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

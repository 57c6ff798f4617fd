// Crash-safe file primitives. A document is replaced by writing a sibling temp file, fsyncing it, renaming it over
// the target and fsyncing the folder: at any instant the target holds either the old or the new bytes, never a mix.
import { constants } from 'node:fs';
import { copyFile, link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

let tempCounter = 0;

function tempNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${++tempCounter}.tmp`);
}

/** fsync a folder so a rename inside it survives power loss (a no-op where folders cannot be opened, e.g. Windows). */
export async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch {
    // Opening or syncing a directory is not supported on every platform; rename atomicity still holds.
  } finally {
    await handle?.close();
  }
}

export interface AtomicWriteOptions {
  /** fsync file and folder (documents, vectors). Off for cheap regenerable files such as thumbnails. */
  durable?: boolean;
  /**
   * The file replaced keeps its permissions, and its owner and group where this process may set them: a file beside
   * the user's photos that other apps or people share (a sidecar digiKam wrote, mode 600 or 660 on a family NAS)
   * became 644 and the exporter's, open to all or closed to the others' apps (a code review).
   */
  keepOwnership?: boolean;
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const durable = options.durable ?? true;
  const temp = tempNameFor(file);
  const replaced = options.keepOwnership ? await stat(file).catch(() => null) : null;
  const handle = await open(temp, 'w');
  try {
    if (replaced) {
      // Owner first: chown may clear the set-id bits chmod then puts back. Not allowed (not root, another owner): the
      // group alone where the user is in it, else the new file is the user's, with the old file's mode. A file system
      // without permissions (FAT, some network shares) refuses both: the file is written all the same.
      await handle.chown(replaced.uid, replaced.gid).catch(() => handle.chown(-1, replaced.gid).catch(() => {}));
      await handle.chmod(replaced.mode & 0o7777).catch(() => {});
    }
    await handle.writeFile(data);
    if (durable) await handle.sync();
  } catch (err) {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw err;
  }
  await handle.close();
  try {
    await renameReplacing(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
  if (durable) await fsyncDir(dirname(file));
}

/** Errors Windows gives a rename over a file another process has open (antivirus, the search indexer, backup tools). */
const HELD_BY_ANOTHER_PROCESS = new Set(['EPERM', 'EACCES', 'EBUSY']);
/** Waits between attempts: about 2.5 s in all, long enough for a scanner to let go of a file it just saw appear. */
const WINDOWS_RENAME_RETRY_MS = [10, 20, 40, 80, 150, 250, 400, 500, 500, 500];

export interface RenameReplacingOptions {
  /** Tests: exercise the Windows branch anywhere. */
  platform?: NodeJS.Platform;
  rename?: (from: string, to: string) => Promise<void>;
  wait?: (ms: number) => Promise<void>;
}

/**
 * Renames `from` over `to`, replacing it. On Windows a rename onto a file that another process holds open fails with
 * EPERM, EACCES or EBUSY for as long as it holds it (an antivirus scanner or the indexer reading the file just written
 * is the usual case, and lets go within moments): those are retried with a short backoff before the error is given
 * up. Elsewhere rename replaces atomically whatever has the file open, so it is tried once.
 */
export async function renameReplacing(from: string, to: string, options: RenameReplacingOptions = {}): Promise<void> {
  const doRename = options.rename ?? rename;
  if ((options.platform ?? process.platform) !== 'win32') return doRename(from, to);
  const wait = options.wait ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await doRename(from, to);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (attempt >= WINDOWS_RENAME_RETRY_MS.length || !code || !HELD_BY_ANOTHER_PROCESS.has(code)) throw err;
      await wait(WINDOWS_RENAME_RETRY_MS[attempt]);
    }
  }
}

/**
 * Makes `to` a hard link of `from` (no copy of a large file, and no free space needed), or a copy on file systems
 * without hard links (FAT32, exFAT, some network shares). False when `from` does not exist: link may refuse for want
 * of hard links before it looks for the file, so the copy can be the first to find that out.
 */
export async function linkOrCopy(from: string, to: string): Promise<boolean> {
  const missing = (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? false : Promise.reject(err));
  return link(from, to).then(
    () => true,
    (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? false : copyFile(from, to).then(() => true, missing)),
  );
}

export async function readFileIfExists(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Makes `dir` and any missing parents, one level at a time. Node's `mkdir(…, { recursive: true })` spins forever at
 * full CPU where a parent refuses every child with ENOENT (a folder under /proc): here each level is made once, and
 * the first refusal is the error.
 */
export async function ensureDir(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    const info = await stat(at).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
    if (info) {
      if (!info.isDirectory()) throw Object.assign(new Error(`${at} is a file, not a folder`), { code: 'ENOTDIR' });
      break;
    }
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const folder of missing.reverse()) {
    await mkdir(folder).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  }
}

/** True for errors that mean "the disk refused the write" rather than a bug: reported to the user as such. */
export function isDiskWriteError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'EDQUOT' || code === 'EIO';
}

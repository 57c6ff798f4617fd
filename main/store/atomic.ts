// Crash-safe file primitives. A document is replaced by writing a sibling temp file, fsyncing it, renaming it over
// the target and fsyncing the folder: at any instant the target holds either the old or the new bytes, never a mix.
import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
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
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const durable = options.durable ?? true;
  const temp = tempNameFor(file);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    if (durable) await handle.sync();
  } catch (err) {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw err;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
  if (durable) await fsyncDir(dirname(file));
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

// A folder tree watched for changes, with one watch per folder. Node's recursive fs.watch is native on macOS and
// Windows (one watch for the tree), but on Linux it adds an inotify watch for every file as well as every folder: a
// library of 100,000 photos took 100,000 of the user's inotify watches (8,192 on older systems, and each costs kernel
// memory), and past the limit the folder was not watched at all (QA). A folder's inotify watch hears about the files in
// it, so a watch per folder is enough; new subfolders are watched as they come.
import { existsSync, lstatSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { EventEmitter } from 'node:events';
import { basename, join, relative } from 'node:path';

/** What a tree watcher says: a change, with the name relative to the tree's root (null: something changed). */
export type TreeListener = (event: string, name: string | null) => void;

/** The part of FSWatcher a FolderWatcher uses: close it, and hear its errors. */
export interface TreeWatcher {
  close(): void;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * Watches the tree under `root`. On Linux, a watch per folder (LinuxTreeWatcher); elsewhere Node's recursive watch,
 * which is one native watch. Throws as fs.watch does when the root itself cannot be watched.
 */
export function watchTree(root: string, listener: TreeListener, platform: NodeJS.Platform = process.platform): TreeWatcher {
  if (platform === 'linux') return new LinuxTreeWatcher(root, listener);
  return watch(root, { recursive: true, persistent: false }, (event, name) => listener(event, name === null ? null : String(name)));
}

/** Errors of a subfolder's watch that pass it over: it is not readable, or went before its watch began. */
const PASSED_OVER = new Set(['EACCES', 'EPERM', 'ENOENT', 'ENOTDIR', 'ELOOP']);

/** One inotify watch per folder of the tree, the new ones added as they appear and the gone ones dropped. */
export class LinuxTreeWatcher extends EventEmitter implements TreeWatcher {
  /** By folder: its watch, and the folder's inode (one removed and made again at once has another). */
  private readonly folders = new Map<string, { watcher: FSWatcher; ino: number }>();
  private closed = false;

  constructor(
    private readonly root: string,
    private readonly listener: TreeListener,
    private readonly options: { watchFolder?: typeof watch } = {},
  ) {
    super();
    // The root must be watchable: its failure is the caller's (a folder gone, not a folder). Below it, a subfolder
    // that cannot be read is passed over, as Node's recursive watch passes over it; running out of watches (ENOSPC)
    // is the caller's too, said and tried again, never a tree watched in part without a word (a review).
    try {
      this.add(root, { rootMustWatch: true });
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /** How many folders are watched (one inotify watch each). */
  get size(): number {
    return this.folders.size;
  }

  close(): void {
    this.closed = true;
    for (const { watcher } of this.folders.values()) watcher.close();
    this.folders.clear();
  }

  /** Watches `folder` and every folder under it not watched yet; throws what it cannot pass over. */
  private add(folder: string, { rootMustWatch = false } = {}): void {
    const pending = [folder];
    while (pending.length > 0 && !this.closed) {
      const dir = pending.pop()!;
      if (this.folders.has(dir)) continue;
      let watcher: FSWatcher;
      let ino: number;
      try {
        ino = lstatSync(dir).ino;
        watcher = (this.options.watchFolder ?? watch)(dir, { persistent: false }, (event, name) => this.heard(dir, event, name === null ? null : String(name)));
      } catch (err) {
        if ((rootMustWatch && dir === folder) || !PASSED_OVER.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
        continue;
      }
      watcher.on('error', (err) => this.lost(dir, err));
      this.folders.set(dir, { watcher, ino });
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      // Not through links: a link to a folder above would loop, and Node's recursive watch does not follow them either.
      for (const entry of entries) if (entry.isDirectory()) pending.push(join(dir, entry.name));
    }
  }

  private heard(dir: string, event: string, name: string | null): void {
    if (this.closed) return;
    // The watched folder itself renamed or removed: its own name comes, not a name in it, and its watch hears nothing
    // more, even of a folder made again at once under the same name (an inode number can come back with it). Said as
    // "something changed", which has the caller look; a subfolder there again is watched anew, and a root there again
    // is the caller's to watch again (an error: it tries again).
    const here = dir === this.root ? isFolderOrLinkToOne(dir) : isFolder(dir);
    const itself = name !== null && name === basename(dir) && !existsSync(join(dir, name));
    if (name === null || itself || !here) {
      if (dir === this.root) {
        if (itself && here) this.emit('error', new Error('the folder was removed and made again; watched again shortly'));
        return this.listener(event, null);
      }
      if (itself || !here) this.drop(dir);
      if (here && !this.folders.has(dir) && !this.watchNew(dir)) return;
      return this.listener(event, null);
    }
    const path = join(dir, name);
    if (event === 'rename') {
      const now = folderInode(path);
      const watched = this.folders.get(path);
      // A name gone, or another folder under it now (removed and made again at once): the old watch ends.
      if (watched && watched.ino !== now) this.drop(path);
      // A folder made or moved in is watched. What it holds came before its watch, and a name with a dot in it
      // ("Trip.2023") is no folder to the caller: "something changed" has the caller look (a review).
      if (now !== null && !this.folders.has(path)) {
        if (this.watchNew(path)) this.listener(event, null);
        return;
      }
    }
    this.listener(event, relative(this.root, path));
  }

  /** Watches a folder that came while watching; what cannot be watched (no watches left) is the caller's error. */
  private watchNew(folder: string): boolean {
    try {
      this.add(folder);
      return true;
    } catch (err) {
      this.emit('error', err as Error);
      return false;
    }
  }

  /** A folder's watch that failed: the root's is the caller's to handle; a subfolder's (gone) is dropped. */
  private lost(dir: string, err: Error): void {
    if (dir === this.root) {
      this.emit('error', err);
      return;
    }
    this.drop(dir);
  }

  /** Stops watching `path` and the folders under it, when it was a folder watched (a file's name costs a lookup). */
  private drop(path: string): void {
    if (path === this.root || !this.folders.has(path)) return;
    for (const [dir, { watcher }] of this.folders) {
      if (dir === path || dir.startsWith(`${path}/`)) {
        watcher.close();
        this.folders.delete(dir);
      }
    }
  }
}

/** The inode of the folder at `path`, or null when it is no folder (gone, a file, a link). */
function folderInode(path: string): number | null {
  try {
    const info = lstatSync(path);
    return info.isDirectory() ? info.ino : null;
  } catch {
    return null;
  }
}

/** A folder, not a link to one. */
function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The root may be reached through a link (a library on another drive): what it leads to is looked at. */
function isFolderOrLinkToOne(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

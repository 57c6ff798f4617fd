// A folder tree watched for changes, with one watch per folder. Node's recursive fs.watch is native on macOS and
// Windows (one watch for the tree), but on Linux it adds an inotify watch for every file as well as every folder: a
// library of 100,000 photos took 100,000 of the user's inotify watches (8,192 on older systems, and each costs kernel
// memory), and past the limit the folder was not watched at all (QA). A folder's inotify watch hears about the files in
// it, so a watch per folder is enough; new subfolders are watched as they come.
import { lstatSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { EventEmitter } from 'node:events';
import { join, relative } from 'node:path';

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

/** One inotify watch per folder of the tree, the new ones added as they appear and the gone ones dropped. */
export class LinuxTreeWatcher extends EventEmitter implements TreeWatcher {
  private readonly folders = new Map<string, FSWatcher>();
  private closed = false;

  constructor(
    private readonly root: string,
    private readonly listener: TreeListener,
  ) {
    super();
    // The root must be watchable: its failure is the caller's (a folder gone, not a folder). Below it, a subfolder
    // that cannot be watched (no permission) is passed over, as Node's recursive watch passes over what it cannot read.
    this.add(root, { mustWatch: true });
  }

  /** How many folders are watched (one inotify watch each). */
  get size(): number {
    return this.folders.size;
  }

  close(): void {
    this.closed = true;
    for (const watcher of this.folders.values()) watcher.close();
    this.folders.clear();
  }

  /** Watches `folder` and every folder under it not watched yet. */
  private add(folder: string, { mustWatch = false } = {}): void {
    const pending = [folder];
    while (pending.length > 0 && !this.closed) {
      const dir = pending.pop()!;
      if (this.folders.has(dir)) continue;
      let watcher: FSWatcher;
      try {
        watcher = watch(dir, { persistent: false }, (event, name) => this.heard(dir, event, name === null ? null : String(name)));
      } catch (err) {
        if (mustWatch && dir === folder) throw err;
        continue;
      }
      watcher.on('error', (err) => this.lost(dir, err));
      this.folders.set(dir, watcher);
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
    if (name === null) return this.listener(event, null);
    const path = join(dir, name);
    // A folder made or moved in: watched, with what it holds (a folder copied in arrives full, its files heard by no
    // watch yet). A name gone: its watch, if it was a folder, ends with it.
    if (event === 'rename') {
      if (isFolder(path)) this.add(path);
      else this.drop(path);
    }
    this.listener(event, relative(this.root, path));
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
    for (const [dir, watcher] of this.folders) {
      if (dir === path || dir.startsWith(`${path}/`)) {
        watcher.close();
        this.folders.delete(dir);
      }
    }
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

// Watches the folders the user imported and asks for a re-import when photos appear, change or go away there, and for
// the names to be read again when another app (digiKam, Lightroom, Picasa) saves a sidecar or .picasa.ini there.
// Events are debounced per folder (a camera card copy fires thousands); the import itself is incremental, so a
// spurious wake-up costs a scan, never model work. A folder that cannot be watched (gone, unmounted, no inotify
// slots left) is reported once and tried again every RETRY_MS: a drive plugged in again, a folder renamed back, is
// watched from then on, and its photos looked at once (QA: absent as the app started, it was never watched until the
// next start). One folder in two spellings (C:\Photos, c:\photos on Windows) is watched once (main/paths.ts).
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { pathRules, samePath, uniquePaths, type PathRules } from '../paths.js';
import type { Library } from '../store/library.js';
import { isImageName, isNamesSidecarName } from './formats.js';
import { watchTree, type TreeWatcher } from './tree-watch.js';
import {
  goneWatchedFolders,
  movedFolders,
  photosUnder,
  rememberUnwatched,
  unwatchedFolders,
  watchedFolders,
  watchedFoldersWith,
  WATCHED_FOLDERS_KEY,
} from './remove-folder.js';

/**
 * Taken before an import: the photos of the watched folders gone from disk. Found under the folders imported, they
 * were moved there, and watchImportedFolders watches the new place instead.
 */
export async function photosOfGoneFolders(library: Library): Promise<Map<string, string[]>> {
  return photosUnder(library, await goneWatchedFolders(library.settings));
}

/**
 * After an import that finished, in the app or with `familiar import` (one library, one rule: the user expects the
 * app to keep a folder up to date however it was imported): its folders are watched for new photos, an empty one too.
 * `folders` are absolute and spelt as the disk spells them (onDiskSpelling); `gone` is photosOfGoneFolders, taken
 * before the import. Answers the folders it began to watch.
 */
export async function watchImportedFolders(library: Library, folders: readonly string[], gone: ReadonlyMap<string, readonly string[]>): Promise<string[]> {
  const before = watchedFolders(library.settings);
  const watched = watchedFoldersWith(library.settings, folders, undefined, movedFolders(library, gone, folders));
  if (watched || unwatchedFolders(library.settings).some((f) => folders.some((w) => samePath(w, f)))) {
    await library.transaction((tx) => {
      if (watched) tx.settings[WATCHED_FOLDERS_KEY] = watched;
      rememberUnwatched(tx, [], folders);
    });
  }
  return watchedFolders(library.settings).filter((f) => !before.includes(f));
}

/**
 * After `familiar import --no-watch` finished: its folders (absolute, as the disk spells them) are remembered as
 * imported and not watched, so the folder tree keeps each as one folder above its subfolders. A watched one stays watched.
 */
export async function rememberImportedOnce(library: Library, folders: readonly string[]): Promise<void> {
  const watched = watchedFolders(library.settings);
  const fresh = folders.filter((f) => !watched.some((w) => samePath(w, f)) && !unwatchedFolders(library.settings).some((u) => samePath(u, f)));
  if (fresh.length > 0) await library.transaction((tx) => rememberUnwatched(tx, fresh));
}

export interface FolderWatcherOptions {
  /** Called once per quiet period with the folder whose photos changed. */
  onChange: (folder: string) => void;
  /**
   * Called once per quiet period with the folder and the sidecars in it that changed (absolute paths): XMP sidecars and
   * Picasa's .picasa.ini, where other apps keep the names they give. After onChange when both changed.
   */
  onSidecarsChange?: (folder: string, files: string[]) => void;
  /** How long a folder must be quiet before onChange fires. */
  debounceMs?: number;
  onError?: (folder: string, error: Error) => void;
  /** How often a folder that could not be watched is tried again (RETRY_MS). */
  retryMs?: number;
  /** Tests: the platform whose rules tell paths apart (main/paths.ts). */
  platform?: NodeJS.Platform;
}

/** How often the folders that could not be watched are tried again: a drive's return is seen within it. */
export const RETRY_MS = 30_000;

export class FolderWatcher {
  /** By path key: the folder as the list spelt it, its watcher, and the spelling it was started with. */
  private readonly watchers = new Map<string, { folder: string; watcher: TreeWatcher; startedAs: string }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** By path key: what changed in the folder since its last quiet period. */
  private readonly pending = new Map<string, { photos: boolean; sidecars: Set<string> }>();
  /** By path key: the folders listed that could not be watched (reported once), tried again every retryMs. */
  private readonly failed = new Map<string, string>();
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly rules: PathRules;
  private closed = false;

  constructor(private readonly options: FolderWatcherOptions) {
    this.rules = pathRules(options.platform);
  }

  /** Watches exactly these folders from now on (adds new ones, drops ones no longer listed). */
  watch(folders: readonly string[]): void {
    if (this.closed) return;
    const { key } = this.rules;
    const wanted = new Map(uniquePaths(folders.map((f) => this.rules.path.resolve(f)), this.rules).map((f) => [key(f), f]));
    for (const [at, { watcher }] of this.watchers) {
      if (!wanted.has(at)) {
        watcher.close();
        this.watchers.delete(at);
      }
    }
    for (const at of this.failed.keys()) if (!wanted.has(at)) this.failed.delete(at);
    for (const [at, folder] of wanted) {
      const watching = this.watchers.get(at);
      if (watching) {
        watching.folder = folder; // the list's spelling now (an import spelt it as the disk does)
        continue;
      }
      if (this.failed.has(at)) {
        this.failed.set(at, folder); // tried again with the others, not reported again
        continue;
      }
      this.start(at, folder);
    }
    this.retrySoon();
  }

  /** Watches `folder`; when it cannot be, reports it (once until it is watched) and keeps it to try again. */
  private start(at: string, folder: string): boolean {
    const cannot = (err: unknown) => {
      const reported = this.failed.has(at);
      this.failed.set(at, folder);
      if (!reported) this.options.onError?.(folder, err instanceof Error ? err : new Error(String(err)));
      this.retrySoon();
    };
    try {
      // One watch per folder of the tree on Linux, not per photo (main/library/tree-watch.ts).
      const watcher = watchTree(folder, (_event, name) => {
        const current = this.watchers.get(at)?.folder ?? folder;
        // A null name means "something changed" (some platforms); a folder name may hold new photos too.
        if (name === null || isImageName(String(name)) || !String(name).includes('.')) this.changed(current);
        else if (isNamesSidecarName(basename(String(name)))) this.sidecarsChanged(current, [this.rules.path.resolve(current, String(name))]);
      });
      watcher.on('error', (err: Error) => {
        watcher.close();
        if (this.watchers.get(at)?.watcher === watcher) this.watchers.delete(at);
        if (!this.closed) cannot(err);
      });
      this.watchers.set(at, { folder, watcher, startedAs: folder });
      this.failed.delete(at);
      return true;
    } catch (err) {
      cannot(err);
      return false;
    }
  }

  /** Tries the folders that could not be watched again after retryMs; one that can be now has its photos looked at. */
  private retrySoon(): void {
    if (this.closed || this.retryTimer || this.failed.size === 0) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.closed) return;
      for (const [at, folder] of [...this.failed]) {
        // What happened there while it was not watched (photos added, the drive's photos back) is not known: look.
        if (this.start(at, folder)) this.changed(folder);
      }
      this.retrySoon();
    }, this.options.retryMs ?? RETRY_MS);
    this.retryTimer.unref();
  }

  get watching(): string[] {
    return [...this.watchers.values()].map((w) => w.folder);
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.failed.clear();
    for (const { watcher } of this.watchers.values()) watcher.close();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.watchers.clear();
    this.timers.clear();
    this.pending.clear();
  }

  /** Treats `folder`'s photos as changed: onChange fires after the next quiet period (e.g. to retry when busy). */
  changed(folder: string): void {
    this.note(folder).photos = true;
    this.wait(folder);
  }

  /** Treats these sidecars of `folder` as changed: onSidecarsChange fires after the next quiet period. */
  sidecarsChanged(folder: string, files: readonly string[]): void {
    const pending = this.note(folder);
    for (const file of files) pending.sidecars.add(file);
    this.wait(folder);
  }

  private note(folder: string): { photos: boolean; sidecars: Set<string> } {
    const at = this.rules.key(folder);
    let pending = this.pending.get(at);
    if (!pending) this.pending.set(at, (pending = { photos: false, sidecars: new Set() }));
    return pending;
  }

  /** (Re)starts the folder's quiet period; at its end, says what changed in it. */
  private wait(folder: string): void {
    const at = this.rules.key(folder);
    clearTimeout(this.timers.get(at));
    this.timers.set(
      at,
      setTimeout(() => {
        this.timers.delete(at);
        const pending = this.pending.get(at);
        this.pending.delete(at);
        if (this.closed || !pending) return;
        // The folder itself gone (a drive unplugged, the folder renamed): its watcher hears nothing more, even once it
        // is back. It is tried again as one that could not be watched, and looked at when it is back.
        const watching = this.watchers.get(at);
        if (watching && !existsSync(watching.startedAs)) {
          watching.watcher.close();
          this.watchers.delete(at);
          this.failed.set(at, folder);
          this.options.onError?.(folder, new Error('the folder is gone (a drive unplugged, or the folder moved); watched again once it is back'));
          this.retrySoon();
          return;
        }
        if (pending.photos) this.options.onChange(folder);
        if (pending.sidecars.size > 0) this.options.onSidecarsChange?.(folder, [...pending.sidecars].sort());
      }, this.options.debounceMs ?? 4_000),
    );
  }
}

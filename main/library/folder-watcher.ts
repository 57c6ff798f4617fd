// Watches the folders the user imported and asks for a re-import when photos appear, change or go away there.
// Events are debounced per folder (a camera card copy fires thousands); the import itself is incremental, so a
// spurious wake-up costs a scan, never model work. A folder that cannot be watched (gone, unmounted, no inotify
// slots left) is reported once and retried on the next refresh.
import { watch, type FSWatcher } from 'node:fs';
import { resolve } from 'node:path';
import { isImageName } from './formats.js';

export interface FolderWatcherOptions {
  /** Called once per quiet period with the folder whose contents changed. */
  onChange: (folder: string) => void;
  /** How long a folder must be quiet before onChange fires. */
  debounceMs?: number;
  onError?: (folder: string, error: Error) => void;
}

export class FolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: FolderWatcherOptions) {}

  /** Watches exactly these folders from now on (adds new ones, drops ones no longer listed). */
  watch(folders: readonly string[]): void {
    if (this.closed) return;
    const wanted = new Set(folders.map((f) => resolve(f)));
    for (const [folder, watcher] of this.watchers) {
      if (!wanted.has(folder)) {
        watcher.close();
        this.watchers.delete(folder);
      }
    }
    for (const folder of wanted) {
      if (this.watchers.has(folder)) continue;
      try {
        const watcher = watch(folder, { recursive: true, persistent: false }, (_event, name) => {
          // A null name means "something changed" (some platforms); a folder name may hold new photos too.
          if (name === null || isImageName(String(name)) || !String(name).includes('.')) this.changed(folder);
        });
        watcher.on('error', (err) => {
          watcher.close();
          this.watchers.delete(folder);
          this.options.onError?.(folder, err);
        });
        this.watchers.set(folder, watcher);
      } catch (err) {
        this.options.onError?.(folder, err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  get watching(): string[] {
    return [...this.watchers.keys()];
  }

  close(): void {
    this.closed = true;
    for (const watcher of this.watchers.values()) watcher.close();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.watchers.clear();
    this.timers.clear();
  }

  /** Treats `folder` as changed: onChange fires after the next quiet period (e.g. to retry when busy). */
  changed(folder: string): void {
    clearTimeout(this.timers.get(folder));
    this.timers.set(
      folder,
      setTimeout(() => {
        this.timers.delete(folder);
        if (!this.closed) this.options.onChange(folder);
      }, this.options.debounceMs ?? 4_000),
    );
  }
}

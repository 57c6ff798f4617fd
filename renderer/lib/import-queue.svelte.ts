// Folders added while an import runs: the engine runs one import at a time, so they wait here and are imported, all in
// one import, when the running one ends (QA: a folder dropped mid-import was refused in a toast, and the user had to
// come back for it once the first was done). Kept across reloads; Familiar closing or a stopped import leaves them
// waiting for "Import now" rather than starting work unasked.
import { untrack } from 'svelte';
import type { FamiliarClient } from './api.js';
import { startImport } from './jobs.js';
import type { LiveState } from './live.svelte.js';
import { CallError } from '../../preload/contract.js';
import { errorSentence } from './live.svelte.js';

const QUEUE_KEY = 'familiar.importQueue';
/** How soon to ask again when the engine says an import runs that this window has not heard of yet. */
const BUSY_RETRY_MS = 1000;

export class ImportQueue {
  /** The paths waiting, in the order they were added. */
  paths = $state<string[]>([]);
  /** Whether they start on their own when the running import ends: not after one was stopped, nor at launch. */
  armed = $state(false);
  /** Why the last start failed, said beside the folders until the list changes. */
  problem = $state<string | null>(null);
  private retry: ReturnType<typeof setTimeout> | undefined;
  /** Whether the list is kept in storage: then what is saved there is the list, which another tab may have changed. */
  private stored = true;

  constructor() {
    this.load();
  }

  /** Takes the list as saved: by this page before a reload, or by another tab of `familiar serve` since. */
  private load(): void {
    try {
      const saved = JSON.parse(globalThis.localStorage?.getItem(QUEUE_KEY) ?? 'null') as { paths?: unknown; armed?: unknown } | null;
      const valid = Array.isArray(saved?.paths) && saved.paths.every((p) => typeof p === 'string');
      this.paths = valid ? (saved!.paths as string[]) : [];
      // Armed only until the import it waited for is seen to end (follow): a reload mid-import keeps it going.
      this.armed = valid && saved!.armed === true;
    } catch {
      // Nothing saved that can be read: nothing waits.
    }
  }

  /** Adds paths to import after the running import; those waiting already are not added twice. */
  add(paths: string[]): void {
    this.paths = [...this.paths, ...paths.filter((p) => !this.paths.includes(p))];
    this.armed = true;
    this.problem = null;
    this.save();
  }

  remove(path: string): void {
    this.paths = this.paths.filter((p) => p !== path);
    this.problem = null;
    this.save();
  }

  private save(): void {
    try {
      if (this.paths.length) globalThis.localStorage?.setItem(QUEUE_KEY, JSON.stringify({ paths: this.paths, armed: this.armed }));
      else globalThis.localStorage?.removeItem(QUEUE_KEY);
      this.stored = true;
    } catch {
      // Storage refused: the folders wait for this page's lifetime only.
      this.stored = false;
    }
  }

  private disarm(): void {
    this.armed = false;
    this.save();
  }

  /** The folders waiting follow the import just started (a Resume after a stop): its card lists them as next. */
  followNextImport(): void {
    if (!this.paths.length || this.armed) return;
    this.armed = true;
    this.save();
  }

  /**
   * Imports every folder waiting now, as one import; on a refusal they stay, with the reason. `after`: the import they
   * waited for, which the new one's card speaks of.
   */
  async start(client: FamiliarClient, live: LiveState, after?: string): Promise<void> {
    clearTimeout(this.retry);
    // What is saved now: another tab may have started them already (its import ended for it too), or changed the list.
    if (this.stored) this.load();
    // A plain copy: the state proxy cannot cross the bridge (structured clone).
    const paths = [...this.paths];
    if (!paths.length) return;
    this.paths = [];
    this.problem = null;
    this.save();
    try {
      await startImport(client, live, paths, after);
    } catch (error) {
      this.paths = [...paths, ...this.paths.filter((p) => !paths.includes(p))];
      // Saved again before anything else is awaited: a reload or another tab meanwhile finds them, not an empty list.
      this.save();
      if (error instanceof CallError && error.code === 'busy') {
        // An import began that this window has not heard of yet (the folder watcher's): its end starts these.
        this.armed = true;
        this.save();
        if (!importRunning(live)) this.retry = setTimeout(() => void this.startIfIdle(client, live, after), BUSY_RETRY_MS);
        return;
      }
      // One folder gone (a drive unplugged) need not hold the others: those still there start, the rest wait with why.
      const refused = await refusedOf(client, paths);
      const importable = paths.filter((p) => !refused.some((r) => r.path === p));
      if (refused.length && importable.length) {
        this.paths = this.paths.filter((p) => !importable.includes(p));
        await startImport(client, live, importable, after).catch(() => (this.paths = [...importable, ...this.paths]));
      }
      this.problem = refused.length && importable.length ? refused.map((r) => r.why).join(' ') : errorSentence(error);
      this.disarm();
    }
  }

  /** Starts the folders waiting if they are to start on their own and no import runs. */
  startIfIdle(client: FamiliarClient, live: LiveState, after?: string): Promise<void> {
    return this.armed && this.paths.length && !importRunning(live) && live.connection === 'connected' ? this.start(client, live, after) : Promise.resolve();
  }

  /**
   * Starts the folders waiting when the imports running end: not when one was stopped (the user may want the rest
   * stopped too; they wait for "Import now"). Returns the function that stops following.
   */
  follow(client: FamiliarClient, live: LiveState): () => void {
    let runningBefore = new Set<string>();
    // Another tab of `familiar serve` changed the list: shown here as it is (the same list, in the same storage).
    const onStorage = (event: StorageEvent) => {
      if (event.key === QUEUE_KEY || event.key === null) this.load();
    };
    globalThis.addEventListener?.('storage', onStorage);
    /**
     * The import that ended while the page was not in contact yet (its end said before the jobs were read again after
     * a lost connection): the folders waiting start once it is. Without this they waited, armed, for good (QA).
     */
    let endedOutOfContact: string | null = null;
    const stop = $effect.root(() => {
      $effect(() => {
        const imports = Object.values(live.jobs).filter((j) => j.kind === 'import');
        const running = new Set(imports.filter((j) => !j.info).map((j) => j.jobId));
        const ended = imports.filter((j) => j.info && runningBefore.has(j.jobId));
        runningBefore = running;
        if (running.size || !ended.length) return;
        untrack(() => {
          if (ended.some((j) => j.info!.state === 'cancelled')) this.disarm();
          else if (live.connection !== 'connected') endedOutOfContact = ended.at(-1)!.jobId;
          else void this.startIfIdle(client, live, ended.at(-1)!.jobId);
        });
      });
      $effect(() => {
        if (live.connection !== 'connected' || endedOutOfContact === null) return;
        const after = endedOutOfContact;
        endedOutOfContact = null;
        untrack(() => void this.startIfIdle(client, live, after));
      });
    });
    return () => {
      clearTimeout(this.retry);
      globalThis.removeEventListener?.('storage', onStorage);
      stop();
    };
  }
}

/** The paths import.check refuses, each with why (none when the engine cannot be asked). */
async function refusedOf(client: FamiliarClient, paths: readonly string[]): Promise<Array<{ path: string; why: string }>> {
  const answers = await Promise.all(
    paths.map((path) =>
      client.call('import.check', { paths: [path] }).then(
        () => null,
        (error: unknown) => (error instanceof CallError && (error.code === 'not-found' || error.code === 'invalid-argument') ? { path, why: errorSentence(error) } : null),
      ),
    ),
  );
  return answers.filter((a) => a !== null);
}

/** Whether this window knows of an import running. */
export function importRunning(live: LiveState): boolean {
  return Object.values(live.jobs).some((j) => j.kind === 'import' && !j.info);
}

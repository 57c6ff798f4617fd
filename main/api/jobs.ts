// Long jobs (import, recluster, training) started from the UI: each runs in the engine's worker threads, reports
// JobProgress here, and this registry turns that into `job.progress` / `job.done` events and `jobs.list` rows.
// Progress is forwarded at most every PROGRESS_INTERVAL_MS per job (the last one of a stage and every epoch's summary
// always go out), so a fast job cannot flood the IPC channel or the SSE stream. What a running job changes in the
// library (an import's photos as they are stored, its people as they are grouped) goes out as `library.changed` at
// most every LIBRARY_CHANGE_INTERVAL_MS: every screen reloads on it, and at 100,000 photos a reload is not free.
import { randomUUID } from 'node:crypto';
import { JobCancelledError, ShuttingDown, type JobProgress } from '../jobs/progress.js';
import type { JobInfo, JobKind } from '../../preload/contract.js';
import { ApiError } from './errors.js';
import { systemErrorInWords } from '../jobs/system-errors.js';
import type { EventHub } from './events.js';

export const PROGRESS_INTERVAL_MS = 100;
/** The least time between two `library.changed` a running job sends (its end sends one at once). */
export const LIBRARY_CHANGE_INTERVAL_MS = 4000;
/** Epoch reports a training job keeps for windows opened mid-run (JobInfo.history). */
const MAX_HISTORY = 1000;
const FINISHED_KEPT = 20;

/**
 * A job's work. `signal` fires on the user's Cancel and when the app closes (its reason then ShuttingDown); `closing`
 * only when the app closes, a job the user cancelled before included: what a cancelled job still finishes (an import
 * grouping the faces it kept) stops then, rather than holding up the close. `changed` says what the job has changed so
 * far while it runs (sent throttled, and only when something was: LIBRARY_CHANGE_INTERVAL_MS); its end is said without it.
 */
export type JobRunner = (
  signal: AbortSignal,
  onProgress: (progress: JobProgress) => void,
  closing: AbortSignal,
  changed: (what: LibraryChange[]) => void,
) => Promise<JobInfo['result']>;

type LibraryChange = 'photos' | 'faces' | 'people' | 'models';

/** Results of jobs that did all their work although a cancel came: they end 'done', not 'cancelled'. */
const ranToTheEnd = new WeakSet<object>();

/**
 * Marks a job's result as the end of all its work: a cancel that came too late to stop anything (an import cancelled
 * once every file was read) leaves the job 'done'. A result returned after a cancel without it is 'cancelled'.
 */
export function finishedDespiteCancel<T extends object>(result: T): T {
  ranToTheEnd.add(result);
  return result;
}

/** The point of the training charts a progress report stands for: its epoch, and its batch within it if any. */
function chartPoint(progress: JobProgress | undefined): string {
  return `${progress?.detail?.epoch}/${progress?.detail?.batch ?? ''}`;
}

/**
 * Makes room in a training job's history: every other batch report of each epoch goes, its last one kept (each pass
 * keeps the shape of its line, however long the run), and the epochs' own reports stay; without batch reports, one
 * epoch from the middle (the first and the latest epochs stay).
 */
function thinHistory(history: JobProgress[]): void {
  const batchesSeen = new Map<unknown, number>();
  const kept: JobProgress[] = [];
  for (const progress of [...history].reverse()) {
    if (progress.detail?.batch === undefined) {
      kept.push(progress);
      continue;
    }
    const later = batchesSeen.get(progress.detail.epoch) ?? 0;
    batchesSeen.set(progress.detail.epoch, later + 1);
    if (later % 2 === 0) kept.push(progress);
  }
  if (kept.length < history.length) history.splice(0, history.length, ...kept.reverse());
  else history.splice(MAX_HISTORY / 2, 1);
}

const jobNoun: Record<JobKind, string> = {
  import: 'An import',
  recluster: 'A recluster',
  'train-embedder': 'An embedder training run',
  'train-autoencoder': 'An autoencoder training run',
  'export-names': 'A names export',
  'import-names': 'A names import',
  'score-faceness': 'A faceness check',
  'remove-photos': 'A removal of photos',
  'copy-photos': 'A copy of photos',
};

interface Running {
  info: JobInfo;
  controller: AbortController;
  done: Promise<void>;
}

export class JobRegistry {
  private readonly jobs = new Map<string, Running>();
  /** Fired by shutdown (then replaced: a job started after it is not stopped at once). */
  private closing = new AbortController();

  constructor(
    private readonly events: EventHub,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts a job; one job of each kind at a time (a second import while one runs is refused, not queued). */
  start(kind: JobKind, run: JobRunner): string {
    for (const job of this.jobs.values()) {
      if (job.info.kind === kind && job.info.state === 'running') {
        throw new ApiError('busy', `${jobNoun[kind]} is already running; wait for it or cancel it.`);
      }
    }
    const id = randomUUID();
    const controller = new AbortController();
    const info: JobInfo = {
      id,
      kind,
      state: 'running',
      startedAt: new Date(this.now()).toISOString(),
      finishedAt: null,
      progress: null,
      error: null,
      result: null,
    };
    let lastSent = -Infinity;
    let lastStage = '';
    /** The report held back by the throttle goes out once the interval is up, unless a newer one went first. */
    let heldBack: ReturnType<typeof setTimeout> | undefined;
    const history: JobProgress[] | null = kind.startsWith('train') ? [] : null;
    const onProgress = (progress: JobProgress) => {
      info.progress = progress;
      const t = this.now();
      const stageEnded = progress.stage !== lastStage || progress.done >= progress.total;
      // An epoch's summary (an epoch named, no batch within it) is a point on the chart: never dropped. QA saw 4 of 9.
      const epochSummary = typeof progress.detail?.epoch === 'number' && progress.detail.batch === undefined;
      if (!stageEnded && !epochSummary && t - lastSent < PROGRESS_INTERVAL_MS) {
        // Not dropped for good: a burst of quick reports followed by a slow step (an import's unchanged files, then
        // the face finder starting) showed "1 of 27" for seconds while the engine was at 26 (QA).
        heldBack ??= setTimeout(() => {
          heldBack = undefined;
          if (info.state === 'running' && info.progress) send(info.progress, this.now());
        }, PROGRESS_INTERVAL_MS);
        return;
      }
      send(progress, t);
    };
    const send = (progress: JobProgress, t: number) => {
      clearTimeout(heldBack);
      heldBack = undefined;
      lastSent = t;
      lastStage = progress.stage;
      const epoch = progress.detail?.epoch;
      if (history && typeof epoch === 'number') {
        // One report per point of the charts, the latest: each epoch's, and each batch's within one (the face studio
        // charts its loss per batch: QA saw one dot for minutes).
        if (chartPoint(history.at(-1)) === chartPoint(progress)) history[history.length - 1] = progress;
        else history.push(progress);
        if (history.length > MAX_HISTORY) thinHistory(history);
        info.history = history;
      }
      this.events.emit('job.progress', { jobId: id, kind, progress });
    };
    // The first change goes out at once, later ones gathered until the interval is up (then the last is not lost).
    let lastChange = -Infinity;
    const pending = new Set<LibraryChange>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const sendChanges = () => {
      timer = undefined;
      if (info.state !== 'running' || pending.size === 0) return;
      lastChange = this.now();
      this.events.emit('library.changed', { what: [...pending] });
      pending.clear();
    };
    const libraryChanged = (what: LibraryChange[]) => {
      if (info.state !== 'running' || what.length === 0) return;
      for (const w of what) pending.add(w);
      const wait = lastChange + LIBRARY_CHANGE_INTERVAL_MS - this.now();
      if (wait <= 0) sendChanges();
      else timer ??= setTimeout(sendChanges, wait);
    };
    const done = (async () => {
      try {
        const result = await run(controller.signal, onProgress, this.closing.signal, libraryChanged);
        info.result = result ?? null;
        info.state = controller.signal.aborted && !(typeof result === 'object' && result !== null && ranToTheEnd.has(result)) ? 'cancelled' : 'done';
      } catch (err) {
        if (err instanceof JobCancelledError || controller.signal.aborted) {
          info.state = 'cancelled';
        } else {
          info.state = 'failed';
          // A full disk said as such, as the CLI says it, not as "ENOSPC: no space left on device, write" (QA).
          info.error = systemErrorInWords(err, kind === 'import' ? 'resume the import' : 'try again') ?? (err instanceof Error ? err.message : String(err));
        }
      }
      info.finishedAt = new Date(this.now()).toISOString();
      // Its end says what it changed: nothing gathered is sent after it, nor a report held back.
      clearTimeout(timer);
      clearTimeout(heldBack);
      this.events.emit('job.done', { job: { ...info } });
      const changed = changedBy(kind);
      if (changed.length > 0) this.events.emit('library.changed', { what: changed });
      this.forgetOldJobs();
    })();
    this.jobs.set(id, { info, controller, done });
    return id;
  }

  /** Starts a job after cancelling and awaiting the running one of the same kind (its work is superseded). */
  async replace(kind: JobKind, run: JobRunner): Promise<string> {
    const running = [...this.jobs.values()].filter((j) => j.info.kind === kind && j.info.state === 'running');
    for (const job of running) job.controller.abort();
    await Promise.all(running.map((j) => j.done));
    return this.start(kind, run);
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job) throw new ApiError('not-found', `No job has the id "${jobId}".`);
    if (job.info.state !== 'running') return false;
    job.controller.abort();
    return true;
  }

  list(): JobInfo[] {
    return [...this.jobs.values()]
      .map((j) => ({ ...j.info, ...(j.info.history ? { history: [...j.info.history] } : {}) }))
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** Resolves when the job has finished (any state); for tests and orderly shutdown. */
  async settled(jobId: string): Promise<JobInfo> {
    const job = this.jobs.get(jobId);
    if (!job) throw new ApiError('not-found', `No job has the id "${jobId}".`);
    await job.done;
    return { ...job.info };
  }

  /**
   * Cancels every running job and waits for them to stop (window closed, server stopped). Their signal says why
   * (ShuttingDown), and `closing` reaches those the user cancelled before: an import leaves grouping the faces it kept
   * to the next open instead of holding up the close.
   */
  async shutdown(): Promise<void> {
    const running = [...this.jobs.values()].filter((j) => j.info.state === 'running');
    for (const job of running) job.controller.abort(new ShuttingDown());
    const closing = this.closing;
    this.closing = new AbortController();
    closing.abort(new ShuttingDown());
    await Promise.all(running.map((j) => j.done));
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((j) => j.info.state !== 'running');
    finished.sort((a, b) => (a.info.finishedAt ?? '').localeCompare(b.info.finishedAt ?? ''));
    for (const job of finished.slice(0, Math.max(0, finished.length - FINISHED_KEPT))) this.jobs.delete(job.info.id);
  }
}

function changedBy(kind: JobKind): LibraryChange[] {
  if (kind === 'import' || kind === 'remove-photos') return ['photos', 'faces', 'people'];
  if (kind === 'recluster' || kind === 'import-names') return ['people', 'faces'];
  if (kind === 'export-names' || kind === 'copy-photos') return [];
  return ['models', 'people', 'faces'];
}

// Progress of a long job, as reported to the CLI's progress bar, the UI and the HTTP event stream.

export interface JobProgress {
  /** Which job: 'import', 'recluster', 'train-embedder', 'train-autoencoder', ... */
  job: string;
  /** Current stage within the job, e.g. 'scan', 'analyse', 'cluster', 'epoch'. */
  stage: string;
  done: number;
  total: number;
  /** Seconds left, or null while there is not enough history to estimate. */
  etaSeconds: number | null;
  /** Items per second over the recent window, or null. */
  ratePerSecond: number | null;
  message?: string;
  /** Job-specific figures (faces found, loss, validation metric, sample image ids...). */
  detail?: Record<string, unknown>;
}

export type ProgressListener = (progress: JobProgress) => void;

/**
 * Thrown by jobs when their AbortSignal fires; callers treat it as a clean stop, not a failure. `kept`: what a job
 * that keeps its work as it goes had done when it stopped (an import's summary of the photos it kept), for the
 * caller to report; undefined when it kept nothing worth saying.
 */
export class JobCancelledError extends Error {
  constructor(
    job: string,
    readonly kept?: unknown,
  ) {
    super(`The ${job} job was cancelled.`);
    this.name = 'JobCancelledError';
  }
}

/**
 * The reason a job's signal carries when the app closes (JobRegistry.shutdown) rather than when the user cancels:
 * work the next open does anyway (grouping the faces an import kept) is left to it, so closing is not held up.
 */
export class ShuttingDown extends Error {
  constructor() {
    super('Familiar is closing.');
    this.name = 'ShuttingDown';
  }
}

export function isShuttingDown(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && signal.reason instanceof ShuttingDown;
}

export function throwIfCancelled(signal: AbortSignal | undefined, job: string): void {
  if (signal?.aborted) throw new JobCancelledError(job);
}

/**
 * Turns done/total counts into rate and ETA. The pace is an exponential moving average of seconds per item, each
 * stretch of work weighing by the share of the work it covers (about the last quarter counts most), so a slow start
 * fades and a pause that recurs every item (a training pass's check at its end) is averaged in rather than swinging
 * the estimate: a 15-second window made the face studio's time left wander 6:03, 4:43, 6:43, 6:51 (QA).
 */
export class ProgressTracker {
  /** Where the stretch being measured started. */
  private anchor: { t: number; done: number } | null = null;
  /** Smoothed seconds per item, null until a stretch has been measured. */
  private secondsPerItem: number | null = null;
  /** Items timed since the stage started. */
  private measuredItems = 0;

  constructor(
    private readonly job: string,
    private readonly listener: ProgressListener | undefined,
    /** A stretch shorter than this is not measured on its own: it joins the next (reports come many a second). */
    private readonly minStretchMs = 500,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * `work`: when some of the items cost almost nothing (files an import already knows), the pace and the time left
   * are measured on the items that do cost (QA: "303 photos/s, 0 s left" with 18 photos still to analyse).
   */
  report(
    stage: string,
    done: number,
    total: number,
    extra: Pick<JobProgress, 'message' | 'detail'> = {},
    work: { done: number; total: number } = { done, total },
  ): JobProgress {
    const t = this.now();
    if (!this.anchor || work.done < this.anchor.done) this.anchor = { t, done: work.done };
    const items = work.done - this.anchor.done;
    const ms = t - this.anchor.t;
    // Work reported in no time before any was timed was done before (a resumed run replaying its passes): it says
    // nothing of the pace. Later, items finishing together (a pool's) are timed with the stretch they close.
    if (items > 0 && ms < 1 && this.measuredItems === 0) this.anchor = { t, done: work.done };
    else if (items > 0 && ms >= this.minStretchMs) {
      const measured = ms / 1000 / items;
      this.measuredItems += items;
      // Until a quarter of the work has been timed, the plain average of all of it: the first stretch alone (a pass's
      // batches without its check) would set the pace for minutes.
      const weight = Math.max(1 - Math.exp(-items / Math.max(work.total / 4, Number.EPSILON)), items / this.measuredItems);
      this.secondsPerItem = this.secondsPerItem === null ? measured : this.secondsPerItem + weight * (measured - this.secondsPerItem);
      this.anchor = { t, done: work.done };
    }
    const ratePerSecond = this.secondsPerItem ? 1 / this.secondsPerItem : null;
    const etaSeconds = work.done >= work.total || done >= total ? 0 : this.secondsPerItem === null ? null : (work.total - work.done) * this.secondsPerItem;
    const progress: JobProgress = { job: this.job, stage, done, total, etaSeconds, ratePerSecond, ...extra };
    this.listener?.(progress);
    return progress;
  }

  /**
   * A pace to estimate the time left by until some work has been timed (the last run of the same job on this
   * computer): the first stretch timed replaces it.
   */
  assumePace(secondsPerItem: number): void {
    if (this.measuredItems === 0 && Number.isFinite(secondsPerItem) && secondsPerItem > 0) this.secondsPerItem = secondsPerItem;
  }

  /** Starts a new stage: the pace of the previous stage says nothing about this one. */
  resetWindow(): void {
    this.anchor = null;
    this.secondsPerItem = null;
    this.measuredItems = 0;
  }
}

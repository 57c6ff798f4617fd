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

/** Turns done/total counts into rate and ETA over a sliding window, so a slow start does not skew the estimate. */
export class ProgressTracker {
  private samples: Array<{ t: number; done: number }> = [];

  constructor(
    private readonly job: string,
    private readonly listener: ProgressListener | undefined,
    private readonly windowMs = 15_000,
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
    this.samples.push({ t, done: work.done });
    while (this.samples.length > 2 && t - this.samples[0].t > this.windowMs) this.samples.shift();
    const first = this.samples[0];
    const elapsed = (t - first.t) / 1000;
    const ratePerSecond = elapsed > 0.5 && work.done > first.done ? (work.done - first.done) / elapsed : null;
    const etaSeconds = ratePerSecond ? Math.max(0, (work.total - work.done) / ratePerSecond) : done >= total ? 0 : null;
    const progress: JobProgress = { job: this.job, stage, done, total, etaSeconds, ratePerSecond, ...extra };
    this.listener?.(progress);
    return progress;
  }

  /** Starts a new stage: the rate of the previous stage says nothing about this one. */
  resetWindow(): void {
    this.samples = [];
  }
}

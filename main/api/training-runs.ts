// A training run Familiar closed or crashed during ends with no new version, and the next run of the engine knows no
// job of it: the Training card said "Not trained yet" as if nothing had run (QA). So each run is written down while it
// runs, in `training-runs.json` in the library folder, with the pass it is at; closing marks it interrupted, and a run
// still written down at the next open was cut short by a crash. The next run of the same model clears it.
import { join } from 'node:path';
import type { InterruptedTraining } from '../../preload/contract.js';
import { isShuttingDown, type JobProgress } from '../jobs/progress.js';
import { readFileIfExists, writeFileAtomic } from '../store/atomic.js';
import type { JobRunner } from './jobs.js';

export const TRAINING_RUNS_FILE = 'training-runs.json';

type ModelKind = 'embedder' | 'autoencoder';

interface Run {
  startedAt: string;
  /** The pass under way (1-based), and the passes planned; null before the first pass started. */
  pass: number | null;
  passes: number | null;
}

interface Runs {
  running: Partial<Record<ModelKind, Run>>;
  interrupted: Partial<Record<ModelKind, InterruptedTraining>>;
}

function readable(text: string | null): Runs {
  try {
    const parsed = JSON.parse(text ?? '') as Partial<Runs>;
    return { running: { ...parsed.running }, interrupted: { ...parsed.interrupted } };
  } catch {
    // None yet, or unreadable: nothing is known to have been interrupted (the file only ever says that).
    return { running: {}, interrupted: {} };
  }
}

export class TrainingRuns {
  private readonly file: string;
  /** Every read and write in turn, so a pass's write never lands after the run's end. */
  private queue: Promise<Runs>;

  constructor(
    libraryDir: string,
    private readonly readOnly: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.file = join(libraryDir, TRAINING_RUNS_FILE);
    this.queue = readFileIfExists(this.file).then(
      (bytes) => {
        const runs = readable(bytes && String(bytes));
        // Still running when the engine last stopped: it never said it was closing, so it crashed.
        for (const [kind, run] of Object.entries(runs.running) as Array<[ModelKind, Run]>) {
          runs.interrupted[kind] = { pass: run.pass, passes: run.passes, startedAt: run.startedAt, cause: 'crashed' };
        }
        const crashed = Object.keys(runs.running).length > 0;
        runs.running = {};
        return crashed ? this.write(runs) : runs;
      },
      () => ({ running: {}, interrupted: {} }),
    );
  }

  /** Where each model's last run was interrupted, when it was. */
  async interrupted(): Promise<Runs['interrupted']> {
    return { ...(await this.queue).interrupted };
  }

  /** Runs a training job written down: started, each new pass, and how it ended. */
  recorded(kind: ModelKind, run: JobRunner): JobRunner {
    return async (signal, onProgress, closing, changed) => {
      await this.change((runs) => {
        delete runs.interrupted[kind];
        runs.running[kind] = { startedAt: new Date(this.now()).toISOString(), pass: null, passes: null };
      });
      let written: Pick<Run, 'pass' | 'passes'> = { pass: null, passes: null };
      const passing = (progress: JobProgress) => {
        onProgress(progress);
        const passes = progress.total;
        if (typeof progress.detail?.epoch !== 'number' || !(passes > 0)) return;
        // The pass under way: an epoch's summary says the pass done, so the next one is under way.
        const pass = Math.min(passes, Math.floor(progress.done) + 1);
        if (pass === written.pass && passes === written.passes) return;
        const now = { pass, passes };
        written = now;
        // Once a pass, not durable: a crash that loses the latest pass's note only says an earlier pass.
        void this.change((runs) => void (runs.running[kind] && Object.assign(runs.running[kind], now)), { durable: false });
      };
      try {
        return await run(signal, passing, closing, changed);
      } finally {
        // Closing stops it where it is: said after the next open. Done, failed or cancelled by the user: it is over.
        const closed = isShuttingDown(signal);
        await this.change((runs) => {
          const ran = runs.running[kind];
          delete runs.running[kind];
          if (closed && ran) runs.interrupted[kind] = { ...ran, cause: 'closed' };
        });
      }
    };
  }

  private change(edit: (runs: Runs) => void, options: { durable?: boolean } = {}): Promise<Runs> {
    this.queue = this.queue.then(async (runs) => {
      edit(runs);
      return this.write(runs, options.durable);
    });
    return this.queue;
  }

  private async write(runs: Runs, durable = true): Promise<Runs> {
    if (this.readOnly) return runs;
    // Not being able to write it down never stops a training run: only what the card says after a crash is lost.
    await writeFileAtomic(this.file, JSON.stringify(runs), { durable }).catch(() => {});
    return runs;
  }
}

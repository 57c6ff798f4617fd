// The --json stream every long-running command writes on stdout, one JSON object per line:
//   {"type":"progress",...}  (at most a few a second, plus the last one)
//   {"type":"summary",...}   the result, last
//   {"type":"stopped",...}   instead of the summary, when Ctrl-C (or SIGTERM) stopped the job
import type { JobProgress } from '../jobs/progress.js';
import type { CommandContext } from './command.js';

export interface ProgressPrinter {
  onProgress: (p: JobProgress) => void;
  /** Writes the last progress event if the throttle held it back. */
  end: () => void;
}

/** Minimum time between two progress lines of one stage. */
export const JSON_PROGRESS_INTERVAL_MS = 250;

export function jsonProgress(ctx: CommandContext, intervalMs = JSON_PROGRESS_INTERVAL_MS, now: () => number = () => performance.now()): ProgressPrinter {
  let last = -Infinity;
  let lastStage: string | null = null;
  let lastDone = -1;
  let pending: JobProgress | null = null;
  const write = (p: JobProgress) => {
    pending = null;
    lastDone = p.done;
    ctx.stdout.write(JSON.stringify({ type: 'progress', ...p }) + '\n');
  };
  return {
    onProgress: (p) => {
      const t = now();
      // The end of a stage always shows (once), whatever the throttle.
      const stageEnd = p.total > 0 && p.done >= p.total && !(p.stage === lastStage && p.done === lastDone);
      if (p.stage !== lastStage || stageEnd || t - last >= intervalMs) {
        last = t;
        lastStage = p.stage;
        write(p);
      } else pending = p;
    },
    end: () => {
      if (pending) write(pending);
    },
  };
}

export function printSummary(ctx: Pick<CommandContext, 'stdout'>, value: object): void {
  ctx.stdout.write(JSON.stringify({ type: 'summary', ...value }) + '\n');
}

export function printStopped(ctx: Pick<CommandContext, 'stdout'>, job: string, message: string): void {
  ctx.stdout.write(JSON.stringify({ type: 'stopped', job, message }) + '\n');
}

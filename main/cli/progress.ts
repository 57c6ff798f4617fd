// The --json stream every long-running command writes on stdout, one JSON object per line:
//   {"type":"progress",...}  (at most a few a second, plus the last one)
//   {"type":"summary",...}   the result, last
//   {"type":"stopped",...}   instead of the summary, when Ctrl-C (or SIGTERM) stopped the job
import type { JobProgress } from '../jobs/progress.js';
import { plural, type ErrorCode } from '../../preload/contract.js';
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

/** A time left as a clock: "01:15", "1:02:03"; "--:--" while it is not known. */
export function clock(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

function bar(p: JobProgress, width = 24): string {
  const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}%`;
}

/**
 * A stage counted in `unit`s, as a line: "Reading names: 120/5,000 photos, 35.2 photos/s, ETA 02:21" (the pace once
 * measured); a stage with nothing to count yet, its message alone.
 */
export function countedLine(p: JobProgress, unit: string): string {
  const what = p.message ?? p.stage;
  if (p.total === 0) return what;
  const rate = p.ratePerSecond === null ? '' : `, ${p.ratePerSecond.toFixed(1)} ${unit}s/s`;
  return `${what}: ${p.done.toLocaleString('en')}/${plural(p.total, unit)}${rate}, ETA ${clock(p.etaSeconds)}`;
}

/**
 * The progress of a long command as a person follows it: with --json, jsonProgress; on a terminal, one line redrawn in
 * place, after a bar where `withBar` says; elsewhere (a log, a pipe) a plain line every few seconds and at the end of
 * each stage.
 */
export function progressPrinter(ctx: CommandContext, line: (p: JobProgress) => string, withBar: (p: JobProgress) => boolean = (p) => p.total > 0): ProgressPrinter {
  if (ctx.json) return jsonProgress(ctx);
  if (ctx.stdout.isTTY) {
    let last = 0;
    let shown = false;
    return {
      onProgress: (p) => {
        const now = performance.now();
        if (now - last < 100 && p.done < p.total) return;
        last = now;
        shown = true;
        const text = withBar(p) ? `${bar(p)} ${line(p)}` : line(p);
        const width = ctx.stdout.columns ?? 100;
        ctx.stdout.write(`\r${text.slice(0, width - 1).padEnd(Math.min(width - 1, text.length + 8))}`);
      },
      end: () => {
        if (shown) ctx.stdout.write('\n');
      },
    };
  }
  let last = -Infinity;
  let lastStage = '';
  let lastDone = -1;
  return {
    onProgress: (p) => {
      const now = performance.now();
      if (p.stage === lastStage && ((now - last < 5000 && p.done < p.total) || (p.total > 0 && p.done === lastDone))) return;
      last = now;
      lastStage = p.stage;
      lastDone = p.done;
      ctx.stdout.write(line(p) + '\n');
    },
    end: () => {},
  };
}

export function printSummary(ctx: Pick<CommandContext, 'stdout'>, value: object): void {
  ctx.stdout.write(JSON.stringify({ type: 'summary', ...value }) + '\n');
}

/** A failure said after a summary (an import that read no file): the error line main.ts writes for a thrown one. */
export function printError(ctx: Pick<CommandContext, 'stdout'>, error: string, code: ErrorCode): void {
  ctx.stdout.write(JSON.stringify({ type: 'error', error, code }) + '\n');
}

export function printStopped(ctx: Pick<CommandContext, 'stdout'>, job: string, message: string): void {
  ctx.stdout.write(JSON.stringify({ type: 'stopped', job, message }) + '\n');
}

// Turns a training job's progress history into chart series: losses on one chart, other metrics on another.
import type { JobProgress } from './types.js';

export interface Point {
  x: number;
  y: number;
}

export interface SeriesSet {
  losses: Array<{ label: string; points: Point[] }>;
  metrics: Array<{ label: string; points: Point[] }>;
}

const skipKeys = new Set(['epoch', 'epochs', 'step', 'steps', 'batch', 'batches', 'faces', 'people', 'seconds', 'etaSeconds']);

export function humanize(key: string): string {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return spaced.replace(/\bval\b/, 'validation').replace(/^\w/, (c) => c.toUpperCase());
}

/** One point per epoch (the last report of each), keyed by the numeric fields of `detail`. */
export function trainingSeries(history: JobProgress[]): SeriesSet {
  const byKey = new Map<string, Map<number, number>>();
  for (const report of history) {
    const detail = report.detail ?? {};
    const x = typeof detail.epoch === 'number' ? detail.epoch : report.done;
    for (const [key, value] of Object.entries(detail)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || skipKeys.has(key)) continue;
      if (!byKey.has(key)) byKey.set(key, new Map());
      byKey.get(key)!.set(x, value);
    }
  }
  const series = [...byKey.entries()].map(([key, points]) => ({
    key,
    label: humanize(key),
    points: [...points.entries()].sort((a, b) => a[0] - b[0]).map(([x, y]) => ({ x, y })),
  }));
  return {
    losses: series.filter((s) => /loss/i.test(s.key)).slice(0, 2),
    metrics: series.filter((s) => !/loss/i.test(s.key)).slice(0, 2),
  };
}

// Turns a training job's progress history into chart series: losses on one chart, other metrics on charts of
// their own scale (PSNR in dB and SSIM in 0..1 on one axis flattened SSIM into a line along the bottom).
import { isShareMetric, metricLabel, plural } from './format.js';
import type { JobProgress } from './types.js';

export interface Point {
  x: number;
  y: number;
}

export interface Series {
  /** What the line is, in plain words (the legend, the chart's spoken summary). */
  label: string;
  points: Point[];
  /** Values are shares between 0 and 1 (accuracy, TAR): charted in percent. */
  share?: boolean;
  /** Its technical name (loss, TAR, PSNR…), for those who look for it: the chart's tooltip. */
  term?: string;
  /** Which way is good, said beside the chart's title; none for a diagnostic that is neither. */
  better?: 'lower' | 'higher';
  /** Measured on the confirmed faces set aside to check the model, not on those it learns from. */
  heldOut?: boolean;
}

export interface SeriesSet {
  losses: Series[];
  /** Each inner list shares one chart: series whose largest values are within a factor of 4 of each other. */
  metricCharts: Series[][];
}

/** Largest absolute value of a series (0 for an empty one). */
function magnitude(series: Series): number {
  return series.points.reduce((m, p) => Math.max(m, Math.abs(p.y)), 0);
}

/** Groups series so each chart's series are on a comparable scale, in their original order. */
export function groupByScale(series: Series[], factor = 4): Series[][] {
  const charts: Series[][] = [];
  for (const s of series) {
    const m = magnitude(s);
    const fits = charts.find((chart) => {
      const c = magnitude(chart[0]);
      return Math.max(m, c) <= factor * Math.max(Math.min(m, c), 1e-12);
    });
    if (fits) fits.push(s);
    else charts.push([s]);
  }
  return charts;
}

const skipKeys = new Set(['epoch', 'epochs', 'step', 'steps', 'batch', 'batches', 'faces', 'people', 'seconds', 'etaSeconds']);

export function humanize(key: string): string {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return spaced
    .replace(/\bval\b/, 'validation')
    .replace(/\b(psnr|ssim|tar|far|auc)\b/g, (acronym) => acronym.toUpperCase())
    .replace(/^\w/, (c) => c.toUpperCase());
}

/**
 * The figures the training jobs report per epoch, in the words a chart's legend uses: the chart's title says what is
 * measured ("How far off it still is"), so the legend only says on which faces. Other keys read as the table names them.
 */
const CHART_WORDS: Record<string, Pick<Series, 'label' | 'term' | 'better'>> = {
  // The embedder's epoch loss (the autoencoder's batch loss of the same name is not charted, below).
  loss: { label: 'Faces it learns from', term: 'Triplet loss', better: 'lower' },
  trainLoss: { label: 'Faces it learns from', term: 'Training loss', better: 'lower' },
  validationLoss: { label: 'Faces set aside', term: 'Validation loss', better: 'lower' },
  validationAccuracy: { label: 'Faces recognised', term: 'Identification accuracy', better: 'higher' },
  validationTar: { label: 'Same-person pairs matched', term: 'TAR at the calibrated false-match rate', better: 'higher' },
  validationPsnr: { label: 'Detail kept', term: 'PSNR (dB)', better: 'higher' },
  validationSsim: { label: 'Likeness', term: 'SSIM', better: 'higher' },
  activeTriplets: { label: 'Examples still teaching it', term: 'Active triplets' },
};

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
    label: CHART_WORDS[key]?.label ?? metricLabel(key, humanize),
    term: CHART_WORDS[key]?.term,
    better: CHART_WORDS[key]?.better ?? (/loss/i.test(key) ? ('lower' as const) : undefined),
    points: [...points.entries()].sort((a, b) => a[0] - b[0]).map(([x, y]) => ({ x, y })),
  }));
  return {
    // The autoencoder reports its running batch loss as `loss` and the epoch's as `trainLoss`: with both, the batch
    // loss pushed validation loss off the chart. (The embedder's `loss` is its epoch loss.)
    losses: series.filter((s) => /loss/i.test(s.key) && !(s.key === 'loss' && byKey.has('trainLoss'))).slice(0, 2),
    // The held-out figures say whether training helps; diagnostics (active triplets) only when there are none.
    metricCharts: groupByScale(
      series
        .filter((s) => !/loss/i.test(s.key))
        .sort((a, b) => Number(/^validation/i.test(b.key)) - Number(/^validation/i.test(a.key)))
        .slice(0, 2)
        .map(({ key, label, term, better, points }) => ({ label, term, better, points, share: isShareMetric(key), heldOut: /^validation/i.test(key) })),
    ),
  };
}

/**
 * "Pass 3 of 12" while a training job runs an epoch (a pass over the faces: its detail names the epoch, the
 * autoencoder reports batches as fractions of one), else "<stage> · 40 of 125" in whole steps.
 */
export function trainingProgressLabel(progress: JobProgress): string {
  const epoch = progress.detail?.epoch;
  if (typeof epoch === 'number' && Number.isFinite(epoch)) return `Pass ${Math.round(epoch)} of ${progress.total}`;
  const words = trainingStages[progress.stage];
  if (progress.stage === 'epoch' || progress.stage === 'train') {
    // Recognition ('epoch') stops early once more passes stop helping, so its total is at most; the face studio
    // ('train') makes every pass.
    const passes = plural(progress.total, 'pass', 'passes');
    return progress.done === 0 ? `Starting: ${progress.stage === 'epoch' ? 'up to ' : ''}${passes}` : `Pass ${Math.floor(progress.done)} of ${progress.total}`;
  }
  return `${words ?? humanize(progress.stage)} · ${Math.floor(progress.done).toLocaleString()} of ${progress.total.toLocaleString()}`;
}

/** The stages of the training jobs, in words. */
const trainingStages: Record<string, string> = {
  load: 'Reading face thumbnails',
  score: 'Checking that each face found is a face',
  're-embed': 'Looking at every face again',
  'refresh-people': 'Regrouping people',
  done: 'Finishing',
};

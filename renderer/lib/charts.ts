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
  /** The values' unit, on the axis ("13.1 dB"); none for losses and shares (charted in percent). */
  unit?: string;
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

/** Units in the words a chart says them in beside its title ("in decibels, higher is better"). */
const UNIT_WORDS: Record<string, string> = { dB: 'in decibels' };

/**
 * What a chart says beside its title: its values' unit in words, and which way is better ("in decibels, higher is
 * better"; QA: "Detail kept 11.8" said nothing of what 11.8 was).
 */
export function chartHint(series: Pick<Series, 'unit' | 'better'>[]): string | undefined {
  const [first] = series;
  const words = [first?.unit ? UNIT_WORDS[first.unit] ?? first.unit : null, first?.better ? `${first.better} is better` : null].filter(Boolean);
  return words.length ? words.join(', ') : undefined;
}

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
const CHART_WORDS: Record<string, Pick<Series, 'label' | 'term' | 'better' | 'unit'>> = {
  // The embedder's epoch loss (the autoencoder's batch loss of the same name is not charted, below).
  loss: { label: 'Faces it learns from', term: 'Triplet loss', better: 'lower' },
  trainLoss: { label: 'Faces it learns from', term: 'Training loss', better: 'lower' },
  recentLoss: { label: 'Faces it learns from', term: 'Training loss, mean of the last quarter pass of batches', better: 'lower' },
  validationLoss: { label: 'Faces set aside', term: 'Validation loss', better: 'lower' },
  validationAccuracy: { label: 'Faces recognised', term: 'Identification accuracy', better: 'higher' },
  validationTar: { label: 'Same-person pairs matched', term: 'TAR at the calibrated false-match rate', better: 'higher' },
  validationPsnr: { label: 'Detail kept', term: 'PSNR (dB): peak signal-to-noise ratio of its drawings against the photos', better: 'higher', unit: 'dB' },
  validationSsim: { label: 'Likeness', term: 'SSIM', better: 'higher' },
  activeTriplets: { label: 'Examples still teaching it', term: 'Active triplets' },
};

/**
 * Where a report stands on a chart's axis, in passes: its epoch, or for a batch within one (the face studio reports
 * each) the passes done so far, batch 5 of 20 of the second pass at 1.25.
 */
function passesDone(report: JobProgress): number {
  const { epoch, batch, batches } = report.detail ?? {};
  if (typeof epoch !== 'number') return report.done;
  return typeof batch === 'number' && typeof batches === 'number' && batches > 0 ? epoch - 1 + batch / batches : epoch;
}

/** One point per epoch, and per batch for the figures reported per batch (the last report of each), keyed by the numeric fields of `detail`. */
export function trainingSeries(history: JobProgress[]): SeriesSet {
  const byKey = new Map<string, Map<number, number>>();
  for (const report of history) {
    const detail = report.detail ?? {};
    const x = passesDone(report);
    for (const [key, value] of Object.entries(detail)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || skipKeys.has(key)) continue;
      if (!byKey.has(key)) byKey.set(key, new Map());
      byKey.get(key)!.set(x, value);
    }
  }
  // The face studio's loss per batch (a mean of recent batches: QA saw one dot for minutes), with the passes that have
  // no batch of their own (a resumed run's earlier passes, replayed as their figures) at their pass's training loss.
  const recent = byKey.get('recentLoss');
  const passLoss = byKey.get('trainLoss');
  if (recent && passLoss) {
    for (const [epoch, loss] of passLoss) if (![...recent.keys()].some((x) => x > epoch - 1 && x <= epoch)) recent.set(epoch, loss);
    byKey.delete('trainLoss');
  }
  const series = [...byKey.entries()].map(([key, points]) => ({
    key,
    label: CHART_WORDS[key]?.label ?? metricLabel(key, humanize),
    term: CHART_WORDS[key]?.term,
    better: CHART_WORDS[key]?.better ?? (/loss/i.test(key) ? ('lower' as const) : undefined),
    unit: CHART_WORDS[key]?.unit,
    points: [...points.entries()].sort((a, b) => a[0] - b[0]).map(([x, y]) => ({ x, y })),
  }));
  return {
    // The autoencoder reports each batch's own loss as `loss`: it swings with the batch's damage, and pushed the
    // validation loss off the chart; its mean over recent batches (`recentLoss`), or the epoch's (`trainLoss`), is
    // charted instead. (The embedder's `loss` is its epoch loss.)
    losses: series
      .filter((s) => /loss/i.test(s.key) && !(s.key === 'loss' && (byKey.has('trainLoss') || byKey.has('recentLoss'))))
      .sort((a, b) => Number(/^validation/i.test(a.key)) - Number(/^validation/i.test(b.key)))
      .slice(0, 2),
    // The held-out figures say whether training helps; diagnostics (active triplets) only when there are none.
    metricCharts: groupByScale(
      series
        .filter((s) => !/loss/i.test(s.key))
        .sort((a, b) => Number(/^validation/i.test(b.key)) - Number(/^validation/i.test(a.key)))
        .slice(0, 2)
        .map(({ key, label, term, better, unit, points }) => ({ label, term, better, points, share: isShareMetric(key), heldOut: /^validation/i.test(key), ...(unit && { unit }) })),
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

/**
 * The passes charts stacked in one card span together: from the first whole pass before any point to the last point,
 * so one pass lies at one place in each (QA: the loss per batch began at pass 0, the figures per pass under it at 1).
 */
export function spanOfPasses(series: Array<{ points: Array<{ x: number }> }>): { from: number; to: number } | undefined {
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  return xs.length ? { from: Math.floor(Math.min(...xs)), to: Math.max(...xs) } : undefined;
}

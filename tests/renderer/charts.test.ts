import { describe, expect, it } from 'vitest';
import { chartHint, groupByScale, trainingProgressLabel, trainingSeries } from '../../renderer/lib/charts.js';
import type { JobProgress } from '../../renderer/lib/types.js';

const report = (epoch: number, detail: Record<string, number>): JobProgress =>
  ({ job: 'train-autoencoder', stage: 'epoch', done: epoch, total: 3, etaSeconds: null, ratePerSecond: null, detail: { epoch, ...detail } }) as JobProgress;

describe('training charts', () => {
  it('puts metrics of different scales on charts of their own and losses together', () => {
    // The autoencoder reports PSNR in dB and SSIM in 0..1: on one axis SSIM was a flat line along the bottom.
    const history = [1, 2, 3].map((e) => report(e, { trainLoss: 0.3 / e, validationLoss: 0.32 / e, validationPsnr: 14 + e, validationSsim: 0.2 + e / 10 }));
    const series = trainingSeries(history);
    // Plain words in the legend, the technical name beside them for the tooltip, and which way is better.
    expect(series.losses.map((s) => [s.label, s.term, s.better])).toEqual([
      ['Faces it learns from', 'Training loss', 'lower'],
      ['Faces set aside', 'Validation loss', 'lower'],
    ]);
    expect(series.metricCharts.map((chart) => chart.map((s) => [s.label, s.unit, s.better]))).toEqual([[['Detail kept', 'dB', 'higher']], [['Likeness', undefined, 'higher']]]);
    // QA: "Detail kept 11.8" said nothing of what 11.8 was: the chart says its unit in words beside its title.
    expect(series.metricCharts.map(chartHint)).toEqual(['in decibels, higher is better', 'higher is better']);
    expect(chartHint(series.losses)).toBe('lower is better');
    expect(series.metricCharts[1][0].points).toEqual([{ x: 1, y: 0.3 }, { x: 2, y: 0.4 }, { x: 3, y: 0.5 }].map((p) => ({ ...p, y: expect.closeTo(p.y, 10) })));
  });

  it('keeps metrics of one scale on one chart', () => {
    const accuracy = { label: 'Validation accuracy', points: [{ x: 1, y: 0.9 }] };
    const tar = { label: 'Validation tar', points: [{ x: 1, y: 0.5 }] };
    const psnr = { label: 'PSNR', points: [{ x: 1, y: 18 }] };
    expect(groupByScale([accuracy, tar])).toEqual([[accuracy, tar]]);
    expect(groupByScale([accuracy, psnr, tar])).toEqual([[accuracy, tar], [psnr]]);
    expect(groupByScale([])).toEqual([]);
  });

  it('charts the held-out figures before the diagnostics', () => {
    // The embedder reports activeTriplets first: it took the chart the user reads validation TAR on.
    const history = [1, 2].map((e) => report(e, { loss: 0.01 / e, activeTriplets: 0.08 / e, validationAccuracy: 0.98, validationTar: 0.9 + e / 100 }));
    const [checked] = trainingSeries(history).metricCharts;
    expect(checked.map((s) => [s.label, s.heldOut, s.share])).toEqual([
      ['Faces recognised', true, true],
      ['Same-person pairs matched', true, true],
    ]);
    // Without held-out figures the diagnostic is charted, and says no direction is better.
    const [diagnostic] = trainingSeries([1, 2].map((e) => report(e, { loss: 0.01 / e, activeTriplets: 0.08 / e }))).metricCharts;
    expect(diagnostic.map((s) => [s.label, s.term, s.better, s.heldOut])).toEqual([['Examples still teaching it', 'Active triplets', undefined, false]]);
  });

  it('charts train and validation loss rather than the loss of the batch running', () => {
    // The autoencoder reports its batch loss as `loss` while an epoch runs: it pushed validation loss off the chart.
    const history = [
      ...[1, 2].map((e) => report(e, { trainLoss: 0.3 / e, validationLoss: 0.32 / e })),
      report(3, { loss: 0.1 }),
    ];
    expect(trainingSeries(history).losses.map((s) => s.label)).toEqual(['Faces it learns from', 'Faces set aside']);
    // The embedder's `loss` is its epoch loss, charted first; a key without words of its own is spelled out.
    expect(trainingSeries([report(1, { loss: 0.2, valLoss: 0.3 })]).losses.map((s) => [s.label, s.better])).toEqual([
      ['Faces it learns from', 'lower'],
      ['Validation loss', 'lower'],
    ]);
  });

  it("charts the face studio's loss per batch, at its fraction of the pass, from the first batch on", () => {
    // QA: the loss chart was one dot for minutes, a pass taking minutes. The job reports each batch's loss and the mean
    // of the last few (`recentLoss`); the mean is charted, the figures on the faces set aside at each pass's end.
    const batch = (epoch: number, n: number, recentLoss: number): JobProgress =>
      ({ job: 'train-autoencoder', stage: 'train', done: epoch - 1 + n / 4, total: 12, etaSeconds: 60, ratePerSecond: null, detail: { epoch, batch: n, batches: 4, loss: recentLoss * 1.2, recentLoss } }) as JobProgress;
    const firstPass = [[1, 0.29], [2, 0.28], [3, 0.27]].map(([n, loss]) => batch(1, n, loss));
    expect(trainingSeries(firstPass).losses.map((s) => [s.label, s.points])).toEqual([
      ['Faces it learns from', [{ x: 0.25, y: 0.29 }, { x: 0.5, y: 0.28 }, { x: 0.75, y: 0.27 }]],
    ]);
    const later = [...firstPass, batch(1, 4, 0.26), report(1, { trainLoss: 0.27, validationLoss: 0.25, validationPsnr: 12 }), batch(2, 1, 0.24)];
    const { losses, metricCharts } = trainingSeries(later);
    expect(losses.map((s) => [s.label, s.points.map((p) => p.x)])).toEqual([
      ['Faces it learns from', [0.25, 0.5, 0.75, 1, 1.25]],
      ['Faces set aside', [1]],
    ]);
    expect(losses[0].points.map((p) => p.y)).toEqual([0.29, 0.28, 0.27, 0.26, 0.24]);
    expect(metricCharts[0][0].points).toEqual([{ x: 1, y: 12 }]);
    // A resumed run replays its earlier passes' figures only: those passes are charted at their training loss.
    const resumed = trainingSeries([report(1, { trainLoss: 0.3 }), report(2, { trainLoss: 0.25 }), batch(3, 2, 0.22)]);
    expect(resumed.losses[0].points).toEqual([{ x: 1, y: 0.3 }, { x: 2, y: 0.25 }, { x: 2.5, y: 0.22 }]);
  });

  it('labels progress in whole passes (epochs)', () => {
    // The autoencoder reports each batch as a fraction of an epoch: "Train · 1.137254901960784 of 12" was shown.
    const batch = { job: 'train-autoencoder', stage: 'train', done: 1 + 8 / 51, total: 12, etaSeconds: 60, ratePerSecond: null, detail: { epoch: 2, batch: 8, batches: 51 } } as JobProgress;
    expect(trainingProgressLabel(batch)).toBe('Pass 2 of 12');
    const starting = { job: 'train-embedder', stage: 'epoch', done: 0, total: 40, etaSeconds: null, ratePerSecond: null } as JobProgress;
    expect(trainingProgressLabel(starting)).toBe('Starting: up to 40 passes');
    // The face studio makes every pass: no "up to".
    expect(trainingProgressLabel({ ...starting, job: 'train-autoencoder', stage: 'train', total: 12 })).toBe('Starting: 12 passes');
    const reembed = { job: 'train-embedder', stage: 're-embed', done: 40.5, total: 125, etaSeconds: null, ratePerSecond: null } as JobProgress;
    expect(trainingProgressLabel(reembed)).toBe('Looking at every face again · 40 of 125');
  });
});

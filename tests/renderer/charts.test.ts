import { describe, expect, it } from 'vitest';
import { groupByScale, trainingSeries } from '../../renderer/lib/charts.js';
import type { JobProgress } from '../../renderer/lib/types.js';

const report = (epoch: number, detail: Record<string, number>): JobProgress =>
  ({ job: 'train-autoencoder', stage: 'epoch', done: epoch, total: 3, etaSeconds: null, ratePerSecond: null, detail: { epoch, ...detail } }) as JobProgress;

describe('training charts', () => {
  it('puts metrics of different scales on charts of their own and losses together', () => {
    // The autoencoder reports PSNR in dB and SSIM in 0..1: on one axis SSIM was a flat line along the bottom.
    const history = [1, 2, 3].map((e) => report(e, { trainLoss: 0.3 / e, validationLoss: 0.32 / e, validationPsnr: 14 + e, validationSsim: 0.2 + e / 10 }));
    const series = trainingSeries(history);
    expect(series.losses.map((s) => s.label)).toEqual(['Train loss', 'Validation loss']);
    expect(series.metricCharts.map((chart) => chart.map((s) => s.label))).toEqual([['Validation PSNR'], ['Validation SSIM']]);
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
});

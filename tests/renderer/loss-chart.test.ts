// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import LossChart from '../../renderer/components/LossChart.svelte';
import { spanOfPasses } from '../../renderer/lib/charts.js';

const ticks = (container: HTMLElement) => [...container.querySelectorAll('text.tick')].map((t) => t.textContent ?? '');
/** The value axis's ticks, bottom to top, and the pass axis's. */
const yTicks = (container: HTMLElement) => [...container.querySelectorAll('text.tick.y')].map((t) => t.textContent ?? '');
const xTicks = (container: HTMLElement) => [...container.querySelectorAll('text.tick.x')].map((t) => t.textContent ?? '');

describe('LossChart', () => {
  it('draws one epoch without negative losses, "-0" or an epoch past the data', () => {
    const { container } = render(LossChart, { props: { title: 'Loss', series: [{ label: 'Loss', points: [{ x: 1, y: 0.3 }], tone: 1 }] } });
    const labels = ticks(container);
    expect(labels.some((t) => t.startsWith('-'))).toBe(false);
    expect(labels).toContain('1');
    expect(labels).not.toContain('2');
    expect(container.querySelector('svg')!.getAttribute('aria-label')).toBe('Loss. Loss: 0.300 after pass 1');
    // A single series named like the chart needs no legend.
    expect(container.querySelectorAll('.key')).toHaveLength(0);
  });

  it('gives each tick of a PSNR axis its unit, and never shows "-0"', () => {
    // QA: "Detail kept 11.8" said nothing of what 11.8 was.
    const { container } = render(LossChart, {
      props: { title: 'Detail kept', unit: 'dB', series: [{ label: 'Detail kept', term: 'PSNR (dB)', points: [{ x: 1, y: 12 }, { x: 2, y: 14.5 }], tone: 1 }] },
    });
    expect(yTicks(container)).toEqual(['11 dB', '12 dB', '13 dB', '14 dB', '15 dB']);
    expect(container.querySelector('svg')!.getAttribute('aria-label')).toBe('Detail kept. Detail kept: 14.5 dB after pass 2');
    const flat = render(LossChart, { props: { title: 'Loss', series: [{ label: 'a', points: [{ x: 1, y: 0.00001 }, { x: 2, y: 0 }], tone: 1 }] } });
    expect(ticks(flat.container).some((t) => /^-0(\.0+)?$/.test(t))).toBe(false);
  });

  it('draws points within a pass from the start of the run, and says when the latest was measured', () => {
    const { container } = render(LossChart, {
      props: { title: 'Loss', series: [{ label: 'Faces it learns from', points: [{ x: 0.25, y: 0.3 }, { x: 0.5, y: 0.28 }, { x: 1.4, y: 0.25 }], tone: 1 }] },
    });
    // The end says its unit: "1.4" alone read as a count gone wrong after a cancel within a pass (QA).
    expect(xTicks(container)).toEqual(['0', '1.4 passes']);
    expect(container.querySelector('path.line')).toBeTruthy();
    expect(container.querySelector('svg')!.getAttribute('aria-label')).toBe('Loss. Faces it learns from: 0.250 during pass 2');
  });

  it('puts one pass at one place in charts stacked in a card, a loss per batch from pass 0 above figures per pass from 1', () => {
    // QA: the loss chart began at 0 and the chart under it at 1, so pass 2 lay at two places one above the other.
    const loss = [{ label: 'Faces it learns from', points: [0.5, 1, 1.5, 2].map((x) => ({ x, y: 0.3 / x })), tone: 1 as const }];
    const figures = [{ label: 'Faces recognised', points: [{ x: 1, y: 0.9 }, { x: 2, y: 0.95 }], tone: 1 as const }];
    const passSpan = spanOfPasses([...loss, ...figures]);
    expect(passSpan).toEqual({ from: 0, to: 2 });
    const lossChart = render(LossChart, { props: { title: 'Loss', series: loss, passSpan } }).container;
    const figureChart = render(LossChart, { props: { title: 'Figures', share: true, series: figures, passSpan } }).container;
    const lastDot = (chart: HTMLElement) => chart.querySelector('circle.dot')!.getAttribute('cx');
    expect(lastDot(figureChart)).toBe(lastDot(lossChart));
    expect(xTicks(figureChart)).toEqual(['0', '2 passes']);
    // Alone, the figures keep their own axis.
    const alone = render(LossChart, { props: { title: 'Alone', share: true, series: figures } }).container;
    expect(xTicks(alone)).toEqual(['1', '2 passes']);
    expect(spanOfPasses([{ points: [] }])).toBeUndefined();
  });

  it('says which way is better beside its title and in its spoken name, and keeps the technical name for the tooltip', () => {
    const { container } = render(LossChart, {
      props: { title: 'How far off it still is', hint: 'lower is better', term: 'Loss', series: [{ label: 'Faces it learns from', points: [{ x: 1, y: 0.3 }, { x: 2, y: 0.2 }], tone: 1 }] },
    });
    expect(container.querySelector('figcaption')!.textContent?.replace(/\s+/g, ' ').trim()).toBe('How far off it still is lower is better');
    expect(container.querySelector('svg')!.getAttribute('aria-label')).toBe('How far off it still is, lower is better. Faces it learns from: 0.200 after pass 2');
    expect(container.querySelector('figure')!.getAttribute('title')).toBe('Loss');
  });

  it('tells apart the ticks of a loss near zero', () => {
    // A head that already separates the confirmed faces reports losses of a few 1e-5: every tick read "0.0000".
    const near = render(LossChart, { props: { title: 'Loss', series: [{ label: 'a', points: [{ x: 1, y: 2.1e-5 }, { x: 2, y: 0 }, { x: 3, y: 4.2e-5 }], tone: 1 }] } });
    const near3 = yTicks(near.container);
    expect(near3.length).toBeGreaterThanOrEqual(3);
    expect(new Set(near3).size).toBe(near3.length);
  });

  it('reads its value axis in round steps, from one round value to another (QA: 21.2%, 60.6%, 100.0%)', () => {
    // The figures of a recognition run QA trained: pairs matched from 25 % to 95 %, and a loss from 0.021 to 0.
    const shares = render(LossChart, {
      props: { title: 'Checked', share: true, series: [{ label: 'Same-person pairs matched', points: [{ x: 1, y: 0.25 }, { x: 2, y: 0.6 }, { x: 3, y: 0.95 }], tone: 1 }] },
    });
    expect(yTicks(shares.container)).toEqual(['0%', '50%', '100%']);
    const loss = render(LossChart, { props: { title: 'Loss', series: [{ label: 'a', points: [{ x: 1, y: 0.021 }, { x: 2, y: 0.004 }, { x: 3, y: 0 }], tone: 1 }] } });
    expect(yTicks(loss.container)).toEqual(['0.00', '0.01', '0.02', '0.03']);
    // The summary keeps the figure itself, not a rounded tick.
    expect(loss.container.querySelector('svg')!.getAttribute('aria-label')).toBe('Loss. a: 0.000 after pass 3');
    // Top and bottom ticks are the chart's edges: every point lies between them.
    const gridYs = [...loss.container.querySelectorAll('line.grid')].map((l) => Number(l.getAttribute('y1')));
    const dotY = Number(loss.container.querySelector('circle.dot')!.getAttribute('cy'));
    expect(dotY).toBeLessThanOrEqual(Math.max(...gridYs));
    expect(dotY).toBeGreaterThanOrEqual(Math.min(...gridYs));
  });
});

// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import LossChart from '../../renderer/components/LossChart.svelte';

const ticks = (container: HTMLElement) => [...container.querySelectorAll('text.tick')].map((t) => t.textContent ?? '');

describe('LossChart', () => {
  it('draws one epoch without negative losses, "-0" or an epoch past the data', () => {
    const { container } = render(LossChart, { props: { title: 'Loss', series: [{ label: 'Loss', points: [{ x: 1, y: 0.3 }], tone: 1 }] } });
    const labels = ticks(container);
    expect(labels.some((t) => t.startsWith('-'))).toBe(false);
    expect(labels).toContain('1');
    expect(labels).not.toContain('2');
    expect(container.querySelector('svg')!.getAttribute('aria-label')).toBe('Loss. Loss: 0.300 at epoch 1');
    // A single series named like the chart needs no legend.
    expect(container.querySelectorAll('.key')).toHaveLength(0);
  });

  it('says dB on a PSNR axis and never shows "-0"', () => {
    const { container } = render(LossChart, {
      props: { title: 'Detail', series: [{ label: 'Detail kept (PSNR)', points: [{ x: 1, y: 12 }, { x: 2, y: 14.5 }], tone: 1 }] },
    });
    expect(ticks(container).filter((t) => t.endsWith(' dB'))).toHaveLength(3);
    const flat = render(LossChart, { props: { title: 'Loss', series: [{ label: 'a', points: [{ x: 1, y: 0.00001 }, { x: 2, y: 0 }], tone: 1 }] } });
    expect(ticks(flat.container).some((t) => /^-0(\.0+)?$/.test(t))).toBe(false);
  });
});

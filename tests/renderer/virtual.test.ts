import { describe, expect, it } from 'vitest';
import { gridLayout, pagesFor } from '../../renderer/lib/virtual.js';

describe('virtual grid layout', () => {
  it('lays out square photo tiles from the width and scroll position', () => {
    const layout = gridLayout({ count: 10_000, width: 1000, viewportHeight: 600, scrollTop: 18_000, minTile: 180, gap: 4 });
    expect(layout.columns).toBe(5);
    expect(layout.tileWidth).toBeCloseTo(196.8);
    expect(layout.rowHeight).toBeCloseTo(200.8);
    expect(layout.rows).toBe(2000);
    expect(layout.firstRow).toBeGreaterThan(80);
    expect(layout.endRow - layout.firstRow).toBeLessThanOrEqual(9);
    expect(pagesFor(390, 420, 200)).toEqual([1, 2]);
    expect(pagesFor(5, 5, 200)).toEqual([]);
  });

  it('lays out cards of a fixed height with their own row gap, rendering the rows on screen and two either side', () => {
    // The People list: 164-px-wide cards, 232 high, 10 px apart across and 8 down, in a 1,100 x 800 viewport.
    const layout = gridLayout({ count: 3000, width: 1100, viewportHeight: 800, scrollTop: 24_000, minTile: 164, gap: 10, rowGap: 8, tileHeight: 232 });
    expect(layout.columns).toBe(6);
    expect(layout.rowHeight).toBe(240);
    expect(layout.rows).toBe(500);
    expect(layout.firstRow).toBe(100 - 2);
    expect(layout.endRow).toBe(Math.ceil(24_800 / 240) + 2);
    expect(layout.totalHeight).toBe(500 * 240 - 8);
    // The end of the list clamps; a grid scrolled above its top (a bar above it) starts at row 0.
    expect(gridLayout({ count: 3000, width: 1100, viewportHeight: 800, scrollTop: 200_000, minTile: 164, gap: 10, rowGap: 8, tileHeight: 232 }).endRow).toBe(500);
    expect(gridLayout({ count: 3000, width: 1100, viewportHeight: 800, scrollTop: -60, minTile: 164, gap: 10, rowGap: 8, tileHeight: 232 }).firstRow).toBe(0);
  });

  it('shows the first rows of a grid not laid out yet, instead of nothing or everything', () => {
    const layout = gridLayout({ count: 500, width: 0, viewportHeight: 800, scrollTop: 0, minTile: 180, gap: 4 });
    expect(layout.columns).toBe(1);
    expect(layout.firstRow).toBe(0);
    expect(layout.endRow).toBe(2);
  });
});

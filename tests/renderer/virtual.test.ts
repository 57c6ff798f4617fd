import { describe, expect, it } from 'vitest';
import { gridLayout, pagesFor, placeSections, sectionAt, sectionOf, sectionsHeight, sectionsInView, sectionsOf } from '../../renderer/lib/virtual.js';

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

describe('virtual grid in sections (the Photos grid by month)', () => {
  // Months of 10, 3, 5 and 2 photos in rows of 4: 191-px rows (187 + a 4-px gap) under 44-px headings.
  const sections = sectionsOf([10, 3, 5, 2], 20);
  const placed = placeSections(sections, 4, 191, 44);

  it('starts every section on a new row under its heading, and knows where each is without measuring', () => {
    expect(sections).toEqual([
      { start: 0, count: 10 },
      { start: 10, count: 3 },
      { start: 13, count: 5 },
      { start: 18, count: 2 },
    ]);
    expect(placed.map((p) => [p.top, p.rowsTop, p.rows, p.bottom])).toEqual([
      [0, 44, 3, 617],
      [617, 661, 1, 852],
      [852, 896, 2, 1278],
      [1278, 1322, 1, 1513],
    ]);
    expect(sectionsHeight(placed, 4)).toBe(1509);
    expect(sectionAt(placed, 0)).toBe(0);
    expect(sectionAt(placed, 616)).toBe(0);
    expect(sectionAt(placed, 617)).toBe(1);
    expect(sectionAt(placed, 99_999)).toBe(3);
    expect([0, 9, 10, 12, 13, 19].map((i) => sectionOf(sections, i))).toEqual([0, 0, 1, 1, 2, 3]);
  });

  it('renders the rows in view and the headings among them, one after the other', () => {
    // 700 to 1,000 px: the end of February's row, December's heading and row; nothing of March or "No date".
    expect(sectionsInView(placed, { scrollTop: 700, viewportHeight: 300, rowHeight: 191, overscanRows: 0 })).toEqual([
      { section: 1, header: false, firstRow: 0, endRow: 1 },
      { section: 2, header: true, firstRow: 0, endRow: 1 },
    ]);
    // From inside March's second row to its third: those rows, no heading.
    expect(sectionsInView(placed, { scrollTop: 300, viewportHeight: 200, rowHeight: 191, overscanRows: 0 })).toEqual([{ section: 0, header: false, firstRow: 1, endRow: 3 }]);
    // Not laid out yet: the first two rows, across sections, with their headings.
    const unmeasured = placeSections(sectionsOf([1, 1, 1], 3), 1, 4, 44);
    expect(sectionsInView(unmeasured, { scrollTop: 0, viewportHeight: 800, rowHeight: 4, measured: false })).toEqual([
      { section: 0, header: true, firstRow: 0, endRow: 1 },
      { section: 1, header: true, firstRow: 0, endRow: 1 },
    ]);
  });

  it('fits counts that lag the list: the last section takes the difference, and an empty one takes no room', () => {
    expect(sectionsOf([3, 2], 7)).toEqual([{ start: 0, count: 3 }, { start: 3, count: 4 }]);
    expect(sectionsOf([3, 2], 2)).toEqual([{ start: 0, count: 2 }, { start: 2, count: 0 }]);
    expect(sectionsOf([], 5)).toEqual([{ start: 0, count: 5 }]);
    const [, empty] = placeSections(sectionsOf([3, 2], 2), 4, 100, 44);
    expect(empty.bottom - empty.top).toBe(0);
  });

  it('lays out one section without a heading exactly as the plain grid', () => {
    for (const scrollTop of [-60, 0, 150, 18_000, 401_000]) {
      const plain = gridLayout({ count: 10_000, width: 1000, viewportHeight: 600, scrollTop, minTile: 180, gap: 4 });
      const placedOne = placeSections(sectionsOf([10_000], 10_000), plain.columns, plain.rowHeight, 0);
      expect(sectionsHeight(placedOne, 4)).toBeCloseTo(plain.totalHeight);
      const [part] = sectionsInView(placedOne, { scrollTop, viewportHeight: 600, rowHeight: plain.rowHeight });
      if (plain.endRow > plain.firstRow) expect([part.firstRow, part.endRow]).toEqual([plain.firstRow, plain.endRow]);
      else expect(part).toBeUndefined();
    }
  });
});

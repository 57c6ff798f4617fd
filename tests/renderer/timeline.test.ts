import { describe, expect, it } from 'vitest';
import { monthLabel, yearLabel, yearMarks, yearStep } from '../../renderer/lib/timeline.js';

const months = (...list: Array<string | null>) => list.map((month) => ({ month, count: 1 }));

describe('Photos timeline', () => {
  it('names months and years as the photo tiles write dates, and the undated photos "No date"', () => {
    expect(monthLabel('2019-03')).toBe('March 2019');
    expect(monthLabel('0099-12')).toBe('December 99');
    expect(monthLabel(null)).toBe('No date');
    expect(yearLabel('2019-03')).toBe('2019');
    expect(yearLabel(null)).toBe('No date');
  });

  it('marks each year where it starts, with a dot for a year too close to the label above', () => {
    const list = months('2021-05', '2021-01', '2020-12', '2019-06', '2018-02', null);
    // A 1,000-px grid on a 100-px strip: 2019 starts 5 px under 2020 and gets a dot.
    const marks = yearMarks(list, [0, 100, 300, 350, 600, 900], 1000, 100);
    expect(marks.map((m) => [m.label, m.month, m.y, m.labelled])).toEqual([
      ['2021', 0, 0, true],
      ['2020', 2, 30, true],
      ['2019', 3, 35, false],
      ['2018', 4, 60, true],
      // "No date" at 90 px would run past the bottom of the strip.
      ['No date', 5, 90, false],
    ]);
  });

  it('steps a year with Page Up and Page Down', () => {
    const list = months('2021-05', '2021-01', '2020-12', '2020-03', '2019-06', null);
    expect(yearStep(list, 0, 1)).toBe(2);
    expect(yearStep(list, 2, 1)).toBe(4);
    expect(yearStep(list, 4, 1)).toBe(5);
    expect(yearStep(list, 5, 1)).toBe(5);
    expect(yearStep(list, 3, -1)).toBe(2);
    expect(yearStep(list, 2, -1)).toBe(0);
    expect(yearStep(list, 5, -1)).toBe(4);
    expect(yearStep(list, 0, -1)).toBe(0);
  });
});

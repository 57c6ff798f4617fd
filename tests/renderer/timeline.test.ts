import { describe, expect, it } from 'vitest';
import { monthLabel, yearLabel, yearMarks, yearStep } from '../../renderer/lib/timeline.js';

const months = (...list: Array<string | null>) => list.map((month) => ({ month, count: 1 }));

describe('Photos timeline', () => {
  it('names months and years as the photo tiles write dates, and the undated photos "No date"', () => {
    expect(monthLabel('2019-03')).toBe('March 2019');
    expect(monthLabel('0099-12')).toBe('December 99');
    expect(monthLabel(null)).toBe('No date');
    expect(yearLabel('2019-03')).toBe('2019');
    // Photos a folder "2019" dates only to its year: the year, not a month made up.
    expect(monthLabel('2019')).toBe('2019');
    expect(yearLabel('2019')).toBe('2019');
    expect(yearLabel(null)).toBe('No date');
  });

  it('marks each year where it starts, with a dot for a year too close to the label above', () => {
    const list = months('2021-05', '2021-01', '2020-12', '2019-06', '2018-02', null);
    // A 1,000-px grid on a 100-px strip: 2019 starts 10 px under 2020 and gets a dot.
    const marks = yearMarks(list, [0, 100, 300, 400, 600, 900], 1000, 100);
    expect(marks.map((m) => [m.label, m.month, m.y, m.labelled])).toEqual([
      ['2021', 0, 0, true],
      ['2020', 2, 30, true],
      ['2019', 3, 40, false],
      ['2018', 4, 60, true],
      // "No date" at 90 px would run past the bottom of the strip: it moves up to where its label fits (QA: it
      // was a bare dot).
      ['No date', 5, 82, true],
    ]);
  });

  it('keeps the last label, and the label above it gives way', () => {
    const list = months('2021-05', '2020-12', '2019-06', null);
    // 2019 at 70 px would run into "No date" moved up to 82: 2019 gets the dot.
    const marks = yearMarks(list, [0, 300, 700, 960], 1000, 100);
    expect(marks.map((m) => [m.label, m.y, m.labelled, m.dot])).toEqual([
      ['2021', 0, true, false],
      ['2020', 30, true, false],
      ['2019', 70, false, true],
      ['No date', 82, true, false],
    ]);
    // Nor does a dot sit on a label: 2019 at 78 px would be under "No date".
    expect(yearMarks(list, [0, 300, 780, 960], 1000, 100).find((m) => m.label === '2019')).toMatchObject({ labelled: false, dot: false });
    // Labels never overlap: each shown one is 18 px below the one before.
    const shown = marks.filter((m) => m.labelled).map((m) => m.y);
    shown.slice(1).forEach((y, i) => expect(y - shown[i]).toBeGreaterThanOrEqual(18));
    // A single year, and a strip too short for any label.
    expect(yearMarks(months('2021-05'), [0], 1000, 100)).toEqual([{ month: 0, label: '2021', y: 0, labelled: true, dot: false }]);
    expect(yearMarks(list, [0, 300, 700, 960], 1000, 10).some((m) => m.labelled)).toBe(false);
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

import { describe, expect, it } from 'vitest';
import { moveInGrid, moveInSections } from '../../renderer/lib/gridnav.js';

describe('grid keyboard movement', () => {
  it('moves by cell, row and page inside the grid, and ignores other keys', () => {
    // 100 cells in rows of 6; 4 rows on screen.
    const move = (key: string, from: number) => moveInGrid(key, from, 100, 6, 4);
    expect(move('ArrowRight', 10)).toBe(11);
    expect(move('ArrowLeft', 10)).toBe(9);
    expect(move('ArrowDown', 10)).toBe(16);
    expect(move('ArrowUp', 10)).toBe(4);
    expect(move('PageDown', 10)).toBe(34);
    expect(move('PageUp', 40)).toBe(16);
    expect(move('Home', 40)).toBe(0);
    expect(move('End', 40)).toBe(99);
    // Clamped at both ends; a page is at least a row.
    expect(move('ArrowUp', 3)).toBe(0);
    expect(move('PageDown', 90)).toBe(99);
    expect(moveInGrid('PageDown', 0, 100, 6, 0)).toBe(6);
    expect(move('a', 10)).toBeNull();
  });
});

describe('grid keyboard movement across sections (months)', () => {
  // Months of 10, 3, 5 and 2 photos in rows of 4: March 0-9 (rows 0-3, 4-7, 8-9), February 10-12, December 13-17
  // (13-16, 17), no date 18-19.
  const sections = [
    { start: 0, count: 10 },
    { start: 10, count: 3 },
    { start: 13, count: 5 },
    { start: 18, count: 2 },
  ];
  const move = (key: string, from: number, rowsPerPage = 1) => moveInSections(key, from, sections, 4, rowsPerPage);

  it('goes up and down the rows on screen, into the next month at the same column', () => {
    expect(move('ArrowDown', 1)).toBe(5);
    expect(move('ArrowDown', 9)).toBe(11);
    // A shorter row below: its last cell.
    expect(move('ArrowDown', 6)).toBe(9);
    expect(move('ArrowDown', 11)).toBe(14);
    expect(move('ArrowDown', 16)).toBe(17);
    expect(move('ArrowUp', 11)).toBe(9);
    expect(move('ArrowUp', 12)).toBe(9);
    expect(move('ArrowUp', 18)).toBe(17);
    // Left and right follow the order, across months.
    expect(move('ArrowRight', 9)).toBe(10);
    expect(move('ArrowLeft', 10)).toBe(9);
    // Pages of rows; past either end, the first or last photo.
    expect(move('PageDown', 1, 3)).toBe(11);
    expect(move('PageUp', 11, 3)).toBe(1);
    expect(move('ArrowDown', 18)).toBe(19);
    expect(move('PageDown', 5, 10)).toBe(19);
    expect(move('ArrowUp', 3)).toBe(0);
    expect(move('Home', 15)).toBe(0);
    expect(move('End', 3)).toBe(19);
    expect(move('Enter', 3)).toBeNull();
  });

  it('moves in one section exactly as in a plain grid', () => {
    for (const key of ['ArrowRight', 'ArrowLeft', 'ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End', 'x']) {
      for (let from = 0; from < 100; from++) {
        expect(moveInSections(key, from, [{ start: 0, count: 100 }], 6, 4), `${key} from ${from}`).toBe(moveInGrid(key, from, 100, 6, 4));
      }
    }
  });
});

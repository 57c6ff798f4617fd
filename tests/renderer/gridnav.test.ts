import { describe, expect, it } from 'vitest';
import { moveInGrid } from '../../renderer/lib/gridnav.js';

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

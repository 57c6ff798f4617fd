// Keyboard movement in a wrapped grid of cells, by index: the columns and the rows a page holds come from the
// grid's layout (lib/virtual.ts), so it works the same when only the rows on screen are rendered.

/** The index the key moves to from `index`, or null when the key is not a grid movement. */
export function moveInGrid(key: string, index: number, count: number, columns: number, rowsPerPage = 1): number | null {
  let next: number;
  switch (key) {
    case 'ArrowRight':
      next = index + 1;
      break;
    case 'ArrowLeft':
      next = index - 1;
      break;
    case 'ArrowDown':
      next = index + columns;
      break;
    case 'ArrowUp':
      next = index - columns;
      break;
    case 'PageDown':
      next = index + columns * Math.max(1, rowsPerPage);
      break;
    case 'PageUp':
      next = index - columns * Math.max(1, rowsPerPage);
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = count - 1;
      break;
    default:
      return null;
  }
  return Math.min(count - 1, Math.max(0, next));
}

/** How many rows each key moves, in a grid of `rowsPerPage` rows on screen; null for a key that is not a row move. */
function rowsMoved(key: string, rowsPerPage: number): number | null {
  const page = Math.max(1, rowsPerPage);
  return ({ ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page } as Record<string, number>)[key] ?? null;
}

/**
 * The same keys in a grid cut into sections, each starting a new row under its heading (the Photos grid's months).
 * Up and down go to the row above or below on screen, crossing into the next section at the same column (or the
 * last cell of a shorter row); left and right step through the order. Past the first or last row, as in a plain
 * grid, they stop on the first or last cell. With one section it moves exactly as moveInGrid.
 */
export function moveInSections(key: string, index: number, sections: ReadonlyArray<{ start: number; count: number }>, columns: number, rowsPerPage = 1): number | null {
  const last = sections.at(-1);
  const count = last ? last.start + last.count : 0;
  const rows = rowsMoved(key, rowsPerPage);
  if (rows === null || count === 0) return moveInGrid(key, index, count, columns, rowsPerPage);
  const from = Math.min(count - 1, Math.max(0, index));
  // Rows counted from the grid's top, across sections.
  let rowsBefore = 0;
  let row = 0;
  let column = 0;
  const firstRows: number[] = [];
  for (const section of sections) {
    firstRows.push(rowsBefore);
    if (from >= section.start && from < section.start + section.count) {
      row = rowsBefore + Math.floor((from - section.start) / columns);
      column = (from - section.start) % columns;
    }
    rowsBefore += Math.ceil(section.count / columns);
  }
  const target = row + rows;
  if (target < 0) return 0;
  if (target >= rowsBefore) return count - 1;
  let section = sections.length - 1;
  while (firstRows[section] > target) section--;
  const { start, count: inSection } = sections[section];
  return Math.min(start + inSection - 1, start + (target - firstRows[section]) * columns + column);
}

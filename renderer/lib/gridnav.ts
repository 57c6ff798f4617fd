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

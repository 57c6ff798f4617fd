// Arrow-key movement in a wrapped grid of focusable cells: columns are read from the layout, so the same
// code serves every grid width the window allows.

export function gridColumns(cells: HTMLElement[]): number {
  if (cells.length === 0) return 1;
  const top = cells[0].offsetTop;
  const firstRow = cells.findIndex((cell) => cell.offsetTop !== top);
  return firstRow === -1 ? cells.length : Math.max(1, firstRow);
}

/** The index the key moves to from `index`, or null when the key is not a grid movement. */
export function moveInGrid(key: string, index: number, count: number, columns: number): number | null {
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

/** Handles an arrow key inside `container` whose cells carry `data-cell`; returns the new index or null. */
export function handleGridKey(event: KeyboardEvent, container: HTMLElement, index: number): number | null {
  const cells = Array.from(container.querySelectorAll<HTMLElement>('[data-cell]'));
  const next = moveInGrid(event.key, index, cells.length, gridColumns(cells));
  if (next === null) return null;
  event.preventDefault();
  cells[next]?.focus();
  cells[next]?.scrollIntoView?.({ block: 'nearest' });
  return next;
}

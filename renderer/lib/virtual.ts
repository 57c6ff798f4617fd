// Which rows of a fixed-row-height grid are on screen: the photo grid, the People list and a person's faces render only those
// (plus a margin), so a library of 100,000 photos or 10,000 face groups costs the same DOM as one of 100.

export interface GridLayout {
  columns: number;
  /** A cell's width: the row's width shared among the columns, less the gaps. */
  tileWidth: number;
  /** A row's height with the gap below it. */
  rowHeight: number;
  rows: number;
  /** First and last (exclusive) row to render. */
  firstRow: number;
  endRow: number;
  totalHeight: number;
}

export function gridLayout(options: {
  count: number;
  width: number;
  viewportHeight: number;
  scrollTop: number;
  minTile: number;
  /** Between columns, and between rows unless `rowGap` says otherwise. */
  gap: number;
  rowGap?: number;
  /** Cells of a fixed height (cards with a caption); without it cells are square. */
  tileHeight?: number;
  overscanRows?: number;
}): GridLayout {
  const { count, width, viewportHeight, scrollTop, minTile, gap } = options;
  const overscan = options.overscanRows ?? 2;
  const rowGap = options.rowGap ?? gap;
  const columns = Math.max(1, Math.floor((width + gap) / (minTile + gap)));
  const tileWidth = Math.max(0, (width - gap * (columns - 1)) / columns);
  const cellHeight = options.tileHeight ?? tileWidth;
  const rowHeight = cellHeight + rowGap;
  const rows = Math.ceil(count / columns);
  // Square cells in a grid not laid out yet have no height: show its first rows rather than hundreds of empty ones.
  const measured = cellHeight > 0;
  const firstRow = measured ? Math.max(0, Math.floor(scrollTop / rowHeight) - overscan) : 0;
  const endRow = measured ? Math.min(rows, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan) : Math.min(rows, overscan);
  return { columns, tileWidth, rowHeight, rows, firstRow, endRow, totalHeight: Math.max(0, rows * rowHeight - rowGap) };
}

/** The page numbers (of `pageSize` items) that hold items [start, end). */
export function pagesFor(start: number, end: number, pageSize: number): number[] {
  if (end <= start) return [];
  const pages: number[] = [];
  for (let p = Math.floor(start / pageSize); p <= Math.floor((end - 1) / pageSize); p++) pages.push(p);
  return pages;
}

/** Where `grid` starts in `scroller`'s content: the bars above a virtual grid scroll with it. */
export function offsetIn(scroller: HTMLElement, grid: HTMLElement): number {
  return grid.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
}

/** Scrolls `scroller` the least that shows row `row` whole, of a grid starting `gridTop` into its content. */
export function scrollRowIntoView(scroller: HTMLElement, gridTop: number, row: number, layout: Pick<GridLayout, 'rowHeight'>, tileHeight: number): void {
  const top = gridTop + row * layout.rowHeight;
  const bottom = top + tileHeight;
  if (top < scroller.scrollTop) scroller.scrollTop = top;
  else if (bottom > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = bottom - scroller.clientHeight;
}

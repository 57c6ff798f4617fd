// Which rows of a fixed-row-height grid are on screen: the photo grid renders only those (plus a margin),
// so a library of 100,000 photos costs the same DOM as one of 100.

export interface GridLayout {
  columns: number;
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
  gap: number;
  overscanRows?: number;
}): GridLayout {
  const { count, width, viewportHeight, scrollTop, minTile, gap } = options;
  const overscan = options.overscanRows ?? 2;
  const columns = Math.max(1, Math.floor((width + gap) / (minTile + gap)));
  const tile = (width - gap * (columns - 1)) / columns;
  const rowHeight = tile + gap;
  const rows = Math.ceil(count / columns);
  const firstRow = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const endRow = Math.min(rows, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { columns, rowHeight, rows, firstRow, endRow, totalHeight: Math.max(0, rows * rowHeight - gap) };
}

/** The page numbers (of `pageSize` items) that hold items [start, end). */
export function pagesFor(start: number, end: number, pageSize: number): number[] {
  if (end <= start) return [];
  const pages: number[] = [];
  for (let p = Math.floor(start / pageSize); p <= Math.floor((end - 1) / pageSize); p++) pages.push(p);
  return pages;
}

// Which rows of a fixed-row-height grid are on screen: the photo grid, the People list and a person's faces render only those
// (plus a margin), so a library of 100,000 photos or 10,000 face groups costs the same DOM as one of 100. A grid may
// be cut into sections under headings (the Photos grid's months): see placeSections.
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
  const { count, viewportHeight, scrollTop } = options;
  const overscan = options.overscanRows ?? 2;
  const rowGap = options.rowGap ?? options.gap;
  const { columns, tileWidth, cellHeight, rowHeight } = gridColumns(options);
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

/**
 * Room left beyond a span scrolled into view: the focus ring is drawn outside the cell (2 px outline 2 px off it,
 * styles/app.css), and a cell flush with the scroller's edge had it cut off (QA, People at 800x600).
 */
const FOCUS_RING_ROOM = 6;

/** Scrolls `scroller` the least that shows [top, bottom) of its content whole (a row, with its heading above it). */
export function scrollSpanIntoView(scroller: HTMLElement, spanTop: number, spanBottom: number): void {
  const top = Math.max(0, spanTop - FOCUS_RING_ROOM);
  const bottom = spanBottom + FOCUS_RING_ROOM;
  if (top < scroller.scrollTop) scroller.scrollTop = top;
  else if (bottom > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = Math.min(top, bottom - scroller.clientHeight);
}

// ---------------------------------------------------------------- sections
// A grid cut into sections, each under a heading (the Photos grid's months). Every row is still one height and
// every heading another, so where anything sits is arithmetic over the sections (a few hundred months), never
// over the items: a jump to a month 90,000 photos down costs what a jump to the next one does. The alternative,
// headings as grid cells a whole row high, would keep one row kind but waste a row of space per month, and
// measuring rows of any height as they render would make the scrollbar and every jump a guess.

/** Items [start, start + count) under one heading. */
export interface Section {
  start: number;
  count: number;
}

/** A section's place in the grid's content, in pixels from the grid's top. */
export interface PlacedSection extends Section {
  rows: number;
  /** Where its heading starts. */
  top: number;
  /** Where its first row starts, under the heading. */
  rowsTop: number;
  /** Past its last row and the gap below it: the next section's top. */
  bottom: number;
}

/** What of one section is rendered: its heading or not, and its rows [firstRow, endRow). */
export interface SectionPart {
  section: number;
  header: boolean;
  firstRow: number;
  endRow: number;
}

/**
 * Sections of `counts` items each, in order, covering exactly items [0, total), one for each count (an empty one
 * takes no room): the counts may lag the list by a moment (they come from another call), so the last section takes
 * up or gives back the difference.
 */
export function sectionsOf(counts: readonly number[], total: number): Section[] {
  let start = 0;
  const sections = counts.map((wanted) => {
    const count = Math.max(0, Math.min(Math.floor(wanted), total - start));
    const section = { start, count };
    start += count;
    return section;
  });
  const last = sections.at(-1);
  if (start < total) {
    if (last) last.count += total - start;
    else sections.push({ start: 0, count: total });
  }
  return sections;
}

/** How many columns fit in `width`, how wide each is and how far apart rows are. */
export function gridColumns(options: { width: number; minTile: number; gap: number; rowGap?: number; tileHeight?: number }) {
  const { width, minTile, gap } = options;
  const rowGap = options.rowGap ?? gap;
  const columns = Math.max(1, Math.floor((width + gap) / (minTile + gap)));
  const tileWidth = Math.max(0, (width - gap * (columns - 1)) / columns);
  const cellHeight = options.tileHeight ?? tileWidth;
  return { columns, tileWidth, cellHeight, rowHeight: cellHeight + rowGap };
}

/** Where each section goes: its heading (`headerHeight` high, 0 for none), then its rows; an empty one takes no room. */
export function placeSections(sections: readonly Section[], columns: number, rowHeight: number, headerHeight: number): PlacedSection[] {
  let top = 0;
  return sections.map((section) => {
    const rows = Math.ceil(section.count / columns);
    const rowsTop = top + (rows > 0 ? headerHeight : 0);
    const placed = { ...section, rows, top, rowsTop, bottom: rowsTop + rows * rowHeight };
    top = placed.bottom;
    return placed;
  });
}

/** The grid's height: every section, less the gap under the last row. */
export function sectionsHeight(placed: readonly PlacedSection[], rowGap: number): number {
  const last = placed.at(-1);
  return last ? Math.max(0, last.bottom - rowGap) : 0;
}

/** The last section starting at or above `y` (the one a line at `y` crosses); 0 above the first. */
export function sectionAt(placed: readonly Pick<PlacedSection, 'top'>[], y: number): number {
  let [low, high] = [0, placed.length - 1];
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (placed[middle].top <= y) low = middle;
    else high = middle - 1;
  }
  return Math.max(0, low);
}

/**
 * The first cell whose row starts at or below `y` in the grid's content (a pixel of rounding aside): the first cell
 * wholly on screen in a window whose top is `y`. Past the last row, the number of cells.
 */
export function firstCellFrom(placed: readonly PlacedSection[], columns: number, rowHeight: number, y: number): number {
  for (let section = sectionAt(placed, y); section < placed.length; section++) {
    const place = placed[section];
    const row = Math.max(0, Math.ceil((y - 1 - place.rowsTop) / rowHeight));
    if (row < place.rows) return place.start + row * columns;
  }
  const last = placed.at(-1);
  return last ? last.start + last.count : 0;
}

/** The section holding item `index`. */
export function sectionOf(sections: readonly Section[], index: number): number {
  let [low, high] = [0, sections.length - 1];
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (sections[middle].start <= index) low = middle;
    else high = middle - 1;
  }
  return Math.max(0, low);
}

/**
 * The parts of the sections to render for a window [scrollTop, scrollTop + viewportHeight) of the grid's content:
 * the rows in it and `overscanRows` either side, and the headings among them. They follow each other without a gap
 * in the content, so the page stacks them under one spacer. A grid not laid out yet (`measured` false: square
 * cells of no width) shows its first `overscanRows` rows rather than hundreds of empty ones.
 */
export function sectionsInView(
  placed: readonly PlacedSection[],
  options: { scrollTop: number; viewportHeight: number; rowHeight: number; overscanRows?: number; measured?: boolean },
): SectionPart[] {
  const overscan = options.overscanRows ?? 2;
  const { rowHeight } = options;
  const parts: SectionPart[] = [];
  if (options.measured === false) {
    let left = overscan;
    for (let section = 0; section < placed.length && left > 0; section++) {
      const place = placed[section];
      const endRow = Math.min(place.rows, left);
      if (endRow > 0) parts.push({ section, header: place.rowsTop > place.top, firstRow: 0, endRow });
      left -= endRow;
    }
    return parts;
  }
  const from = options.scrollTop - overscan * rowHeight;
  const to = options.scrollTop + options.viewportHeight + overscan * rowHeight;
  for (let section = sectionAt(placed, from); section < placed.length && placed[section].top < to; section++) {
    const place = placed[section];
    if (place.bottom <= from) continue;
    const firstRow = Math.min(place.rows, Math.max(0, Math.floor((from - place.rowsTop) / rowHeight)));
    const endRow = Math.min(place.rows, Math.max(0, Math.ceil((to - place.rowsTop) / rowHeight)));
    const header = place.rowsTop > from && place.rowsTop > place.top;
    if (header || endRow > firstRow) parts.push({ section, header, firstRow, endRow });
  }
  return parts;
}

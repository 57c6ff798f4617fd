// The Photos screen's folder tree: which rows are on show, and where the keys of ARIA's tree pattern go. The folders
// come from photos.folders, each before its subfolders; the first row, "All photos", is no folder.
import type { PhotoFolder } from '../../preload/contract.js';

/** The first row's words: no folder chosen. */
export const ALL_PHOTOS = 'All photos';

export interface TreeRow {
  /** null: "All photos". */
  folder: PhotoFolder | null;
  /** The row's key: the folder's id, '' for "All photos". */
  key: string;
  /** aria-level, aria-posinset, aria-setsize: a flat list of rows tells assistive technology the tree's shape so. */
  level: number;
  position: number;
  siblings: number;
  /** undefined for a folder without subfolders (no aria-expanded at all). */
  expanded: boolean | undefined;
  /** The row of the folder it is in, -1 for a top folder. */
  parentRow: number;
}

/** "All photos", then each folder whose every parent is expanded. */
export function visibleRows(folders: readonly PhotoFolder[], expanded: ReadonlySet<string>): TreeRow[] {
  const tops = folders.filter((f) => f.parentId === null).length;
  const rows: TreeRow[] = [{ folder: null, key: '', level: 1, position: 1, siblings: tops + 1, expanded: undefined, parentRow: -1 }];
  const rowOf = new Map<string, number>();
  const seen = new Map<string | null, number>([[null, 1]]);
  /** The depth below which folders are hidden by a collapsed folder; Infinity while none is. */
  let hiddenBelow = Infinity;
  for (const folder of folders) {
    if (folder.depth > hiddenBelow) continue;
    hiddenBelow = Infinity;
    const open = folder.subfolders > 0 ? expanded.has(folder.id) : undefined;
    if (open === false) hiddenBelow = folder.depth;
    const position = (seen.get(folder.parentId) ?? 0) + 1;
    seen.set(folder.parentId, position);
    const parentRow = folder.parentId === null ? -1 : (rowOf.get(folder.parentId) ?? -1);
    rowOf.set(folder.id, rows.length);
    rows.push({ folder, key: folder.id, level: folder.depth + 1, position, siblings: folder.parentId === null ? tops + 1 : (rows[parentRow]?.folder?.subfolders ?? 1), expanded: open, parentRow });
  }
  return rows;
}

/** The folders holding this one, top first: expanded so that a folder chosen from a link is on show. */
export function foldersAbove(folders: readonly PhotoFolder[], id: string): string[] {
  const byId = new Map(folders.map((f) => [f.id, f]));
  const above: string[] = [];
  for (let at = byId.get(id)?.parentId ?? null; at !== null; at = byId.get(at)?.parentId ?? null) above.unshift(at);
  return above;
}

/** What a key does on a row: move the focus to another row, open or close the folder, or choose it. */
export type TreeAction = { focus: number } | { expand: string } | { collapse: string } | { choose: number };

/**
 * ARIA's tree pattern: ↓/↑ the next or previous row, Home/End the first or last, → opens a closed folder or goes into
 * an open one, ← closes an open folder or goes to the folder it is in, Enter and Space choose the row, and a letter
 * goes to the next folder whose name starts with it. null: the key is not the tree's.
 */
export function treeKey(rows: readonly TreeRow[], index: number, key: string): TreeAction | null {
  const row = rows[index];
  if (!row) return null;
  switch (key) {
    case 'ArrowDown':
      return { focus: Math.min(rows.length - 1, index + 1) };
    case 'ArrowUp':
      return { focus: Math.max(0, index - 1) };
    case 'Home':
      return { focus: 0 };
    case 'End':
      return { focus: rows.length - 1 };
    case 'ArrowRight':
      if (row.expanded === false) return { expand: row.key };
      return row.expanded ? { focus: index + 1 } : null;
    case 'ArrowLeft':
      if (row.expanded) return { collapse: row.key };
      return row.parentRow >= 0 ? { focus: row.parentRow } : null;
    case 'Enter':
    case ' ':
      return { choose: index };
  }
  if ([...key].length !== 1 || key.trim() === '') return null;
  // The next row whose name starts with the letter typed, after this one, round to the top.
  const letter = key.toLocaleLowerCase();
  for (let step = 1; step < rows.length; step++) {
    const at = (index + step) % rows.length;
    if ((rows[at].folder?.name ?? ALL_PHOTOS).toLocaleLowerCase().startsWith(letter)) return { focus: at };
  }
  return null;
}

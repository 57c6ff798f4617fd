// A long list the engine serves a page at a time (the photo grid, a person's faces), fetched as its rows come
// into view. After a change to the library the pages on screen are fetched again and stay visible until their
// fresh copies arrive, so a grid neither blanks nor loses its place after each decision.
import { SvelteMap } from 'svelte/reactivity';
import { pagesFor } from './virtual.js';

export interface Page<T> {
  total: number;
  items: T[];
}

export class PagedList<T> {
  readonly pages = new SvelteMap<number, T[]>();
  /** How many items the list has; null until its first page arrives. */
  total = $state<number | null>(null);
  /** Why the first page could not load; later pages report through `onLaterError`. */
  error = $state<unknown>(null);
  private readonly requested = new Set<number>();
  private generation = 0;
  /** Which list the pages hold (whose faces, in which order; which photos). */
  private key = $state<string | null>(null);

  constructor(
    readonly pageSize: number,
    private readonly fetch: (offset: number, limit: number) => Promise<Page<T>>,
    private readonly onLaterError: (error: unknown) => void,
  ) {}

  /** The list `total` counts: the key of the last reload (a screen whose filter changed says no count until it is its). */
  get listKey(): string | null {
    return this.key;
  }

  at(index: number): T | null {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize] ?? null;
  }

  /** The pages holding items [start, end). */
  pagesFor(start: number, end: number): number[] {
    return pagesFor(start, Math.min(end, this.total ?? 0), this.pageSize);
  }

  /** Fetches the pages holding items [start, end) not asked for yet. */
  want(start: number, end: number): void {
    for (const page of this.pagesFor(start, end)) void this.fetchPage(page);
  }

  /**
   * Fetches again. Of the same list (`key` unchanged), the pages `onScreen` stay until their fresh copies arrive
   * and the rest are dropped; of another list, everything goes. `reordered`: the other list holds the same items in
   * another order, so their count stays (a grid keeps its size, its items loading) while the pages `onScreen` come.
   */
  reload(key: string, onScreen: number[], reordered = false): void {
    this.generation++;
    this.requested.clear();
    this.error = null;
    const same = key === this.key;
    const keep = new Set(same && this.total !== null ? onScreen : []);
    if (!same && !(reordered && this.total !== null)) this.total = null;
    this.key = key;
    for (const page of [...this.pages.keys()]) if (!keep.has(page)) this.pages.delete(page);
    const wanted = keep.size > 0 ? keep : this.total !== null && onScreen.length > 0 ? onScreen : [0];
    for (const page of wanted) void this.fetchPage(page);
  }

  /** Items [start, end), fetching the pages not held yet (a Shift-click range, "select all"). */
  async slice(start: number, end: number): Promise<T[]> {
    const items: T[] = [];
    const first = Math.floor(start / this.pageSize);
    for (let page = first; page * this.pageSize < end; page++) {
      items.push(...(this.pages.get(page) ?? (await this.load(page))));
    }
    return items.slice(start - first * this.pageSize, end - first * this.pageSize);
  }

  private async fetchPage(page: number): Promise<void> {
    if (this.requested.has(page)) return;
    this.requested.add(page);
    const mine = this.generation;
    try {
      await this.load(page);
    } catch (e) {
      if (mine !== this.generation) return;
      this.requested.delete(page);
      if (this.total === null) this.error = e;
      else this.onLaterError(e);
    }
  }

  /** Fetches one page and keeps it, unless the list was fetched again meanwhile. */
  private async load(page: number): Promise<T[]> {
    const mine = this.generation;
    const result = await this.fetch(page * this.pageSize, this.pageSize);
    if (mine === this.generation) {
      this.total = result.total;
      this.pages.set(page, result.items);
    }
    return result.items;
  }
}

// The cursor of a one-at-a-time queue (Who is this?, Which one?, a person's suggestions).

/** `index` kept inside a queue of `length` items (0 when it is empty). */
export function clampCursor(index: number, length: number): number {
  return Math.min(Math.max(0, length - 1), Math.max(0, index));
}

/** Where the cursor lands after the queue reloads: on the same item if it is still there, else as near as it can. */
export function cursorAfterReload<T>(items: readonly T[], previous: number, previousKey: string | null, keyOf: (item: T) => string): number {
  const again = previousKey === null ? -1 : items.findIndex((item) => keyOf(item) === previousKey);
  return again >= 0 ? again : clampCursor(previous, items.length);
}

/**
 * The items the user stepped past in a one-at-a-time queue. After an answer the queue goes on with the first item
 * not skipped: an answer can raise a new, less sure question that sorts before the one on screen, and following the
 * cursor would pass it by.
 */
export class SkippedItems<T> {
  private readonly keys = new Set<string>();

  constructor(private readonly keyOf: (item: T) => string) {}

  /**
   * The cursor moved from `from` to `to`: every item passed going forward is skipped; every item gone back over is not,
   * the one gone back to included. A jump back in the strip is as many ←: after an answer the queue goes on from there
   * (QA: naming a group picked back in the strip went on where the user had been, passing by the ones between).
   */
  moved(items: readonly T[], from: number, to: number): void {
    for (let i = Math.max(0, from); i < Math.min(to, items.length); i++) this.keys.add(this.keyOf(items[i]));
    for (let i = Math.max(0, to); i < Math.min(from, items.length); i++) this.keys.delete(this.keyOf(items[i]));
  }

  /** The first item the user has not skipped (the first of all once every one was). */
  firstOpen(items: readonly T[]): number {
    return Math.max(0, items.findIndex((item) => !this.keys.has(this.keyOf(item))));
  }
}

/**
 * Items put right after another one instead of at their place in the engine's order: a group split off the one on
 * screen comes next (QA: it went to its place by size, "4 of 51", and the three groups before it were passed by).
 * They keep that place through reloads, and back after an undo; when the item they follow goes (named), they follow
 * the one that came before it.
 */
export class PlacedItems<T> {
  /** Key of a placed item → key of the item it follows (null: it comes first). In the order they were placed. */
  private readonly after = new Map<string, string | null>();
  /** The keys in the order last arranged: where to look for the one before an item that has gone. */
  private lastOrder: string[] = [];

  constructor(private readonly keyOf: (item: T) => string) {}

  /** `key` comes right after `afterKey` from now on. */
  place(key: string, afterKey: string | null): void {
    this.after.delete(key);
    this.after.set(key, afterKey);
  }

  /** `items` (in the engine's order) with the placed ones moved after theirs. */
  arrange(items: readonly T[]): T[] {
    const arranged = [...items];
    for (const [key, anchor] of this.after) {
      const from = arranged.findIndex((item) => this.keyOf(item) === key);
      if (from < 0) continue;
      const [placed] = arranged.splice(from, 1);
      const followed = this.present(anchor, arranged);
      if (followed === undefined) {
        arranged.splice(from, 0, placed);
        continue;
      }
      // The item it followed has gone: it follows the one before that from now on, also once this order is forgotten.
      if (followed !== anchor) this.after.set(key, followed);
      arranged.splice(followed === null ? 0 : arranged.findIndex((item) => this.keyOf(item) === followed) + 1, 0, placed);
    }
    this.lastOrder = arranged.map(this.keyOf);
    return arranged;
  }

  /** `anchor` if it is among `items`, else the nearest one before it last time that is (null: none); undefined: unknown. */
  private present(anchor: string | null, items: readonly T[]): string | null | undefined {
    if (anchor === null) return null;
    const here = new Set(items.map(this.keyOf));
    if (here.has(anchor)) return anchor;
    const at = this.lastOrder.indexOf(anchor);
    if (at < 0) return undefined;
    for (let i = at - 1; i >= 0; i--) if (here.has(this.lastOrder[i])) return this.lastOrder[i];
    return null;
  }
}

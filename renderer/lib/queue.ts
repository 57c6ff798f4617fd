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
 * The order of a one-at-a-time queue while the user works through it: each item keeps the place it had when first
 * seen, whatever the engine's order (by size) says of it later: a group that grew (a merge, a Yes to "Are these the
 * same person?") jumped ahead of the groups the user had passed, and the one on screen moved away. A new item
 * goes after the one it follows in the engine's order, or where it is put (`place`: a group split off the one on
 * screen comes next; QA: at its place by size it was "4 of 51", and the three groups before it were passed by). An
 * item that goes (named) keeps its place while gone: what followed it follows the one before it, and it comes back
 * there after an undo.
 */
export class QueueOrder<T> {
  /** Every key seen, gone ones too, in the order the queue shows them. */
  private order: string[] = [];

  constructor(private readonly keyOf: (item: T) => string) {}

  /** `key` comes right after `afterKey` (null: first) from now on; after a key never seen, it keeps its own place. */
  place(key: string, afterKey: string | null): void {
    if (key === afterKey || (afterKey !== null && !this.order.includes(afterKey))) return;
    this.order = this.order.filter((k) => k !== key);
    this.order.splice(afterKey === null ? 0 : this.order.indexOf(afterKey) + 1, 0, key);
  }

  /** `items` (in the engine's order) in the queue's order: the items seen before where they were, new ones added. */
  arrange(items: readonly T[]): T[] {
    const byKey = new Map(items.map((item) => [this.keyOf(item), item]));
    const known = new Set(this.order);
    // Each new key goes after the nearest key before it in the engine's order that the queue had (null: none).
    const newAfter = new Map<string | null, string[]>();
    let previous: string | null = null;
    for (const key of byKey.keys()) {
      if (known.has(key)) previous = key;
      else if (newAfter.has(previous)) newAfter.get(previous)!.push(key);
      else newAfter.set(previous, [key]);
    }
    if (newAfter.size > 0) this.order = [...(newAfter.get(null) ?? []), ...this.order.flatMap((key) => [key, ...(newAfter.get(key) ?? [])])];
    return this.order.flatMap((key) => (byKey.has(key) ? [byKey.get(key)!] : []));
  }
}

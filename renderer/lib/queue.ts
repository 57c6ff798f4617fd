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

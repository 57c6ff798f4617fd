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

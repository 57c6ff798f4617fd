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
 *
 * Items a named person is likely to be ("Is this Ada?": `likely`, their distances) come before the others, nearest
 * first (QA: two faces of Barack Obama at 0.010 came 82nd and 84th, behind 81 strangers). Only among the items the
 * user has not come to yet (`reach`): those the user has had on screen, and every one before them, stay where they
 * were, so an answer that makes a face likely (a name given) brings it next, never in under the cursor.
 */
export class QueueOrder<T> {
  /** Every key seen, gone ones too, in the order the queue shows them (the likely ones aside). */
  private order: string[] = [];
  /** The keys the user has come to, gone ones too, in the order shown: they keep those places. */
  private reached: string[] = [];
  /** The keys of the last arrangement, in its order. */
  private shown: string[] = [];

  constructor(private readonly keyOf: (item: T) => string) {}

  /** `key` comes right after `afterKey` (null: first) from now on; after a key never seen, it keeps its own place. */
  place(key: string, afterKey: string | null): void {
    if (key === afterKey || (afterKey !== null && !this.order.includes(afterKey))) return;
    this.order = this.order.filter((k) => k !== key);
    this.order.splice(afterKey === null ? 0 : this.order.indexOf(afterKey) + 1, 0, key);
    // Put next to an item the user came to (the one on screen), it comes before the items not reached yet, likely or not.
    if (afterKey === null ? this.reached.length > 0 : this.reached.includes(afterKey)) {
      this.reached = this.reached.filter((k) => k !== key);
      this.reached.splice(afterKey === null ? 0 : this.reached.indexOf(afterKey) + 1, 0, key);
    }
  }

  /** The user has come to `key` (on screen): it, and every item shown before it, keep their places from now on. */
  reach(key: string): void {
    const at = this.shown.indexOf(key);
    if (at < 0) return;
    const known = new Set(this.reached);
    this.reached.push(...this.shown.slice(0, at + 1).filter((k) => !known.has(k)));
  }

  /**
   * `items` (in the engine's order) in the queue's order: the items the user came to where they were, then those a
   * named person is likely to be (`likely`: each one's distance, by key), nearest first, then the others, the items
   * seen before where they were and new ones added.
   */
  arrange(items: readonly T[], likely: ReadonlyMap<string, number> = new Map()): T[] {
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
    const reached = new Set(this.reached);
    const ahead = this.order.filter((key) => byKey.has(key) && !reached.has(key));
    // Stable: items as near keep the queue's order.
    const nearestFirst = ahead.filter((key) => likely.has(key)).sort((a, b) => likely.get(a)! - likely.get(b)!);
    this.shown = [...this.reached.filter((key) => byKey.has(key)), ...nearestFirst, ...ahead.filter((key) => !likely.has(key))];
    return this.shown.map((key) => byKey.get(key)!);
  }
}

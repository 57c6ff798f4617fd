import { describe, expect, it } from 'vitest';
import { clampCursor, cursorAfterReload, QueueOrder, SkippedItems } from '../../renderer/lib/queue.js';

describe('queue cursor', () => {
  it('stays inside the queue, and at 0 when it is empty', () => {
    expect(clampCursor(5, 3)).toBe(2);
    expect(clampCursor(-1, 3)).toBe(0);
    expect(clampCursor(1, 3)).toBe(1);
    expect(clampCursor(4, 0)).toBe(0);
  });

  it('follows the item it was on when the queue reloads, else keeps its place', () => {
    const key = (s: string) => s;
    expect(cursorAfterReload(['a', 'x', 'b', 'c'], 1, 'b', key)).toBe(2);
    expect(cursorAfterReload(['a', 'c'], 1, 'b', key)).toBe(1);
    expect(cursorAfterReload(['a'], 3, 'b', key)).toBe(0);
    expect(cursorAfterReload(['a', 'b'], 1, null, key)).toBe(1);
  });

  it('goes on after an answer with the first item not skipped, a new one before the cursor included', () => {
    const skipped = new SkippedItems<string>((s) => s);
    skipped.moved(['a', 'b', 'c', 'd'], 0, 2); // skipped a and b, now on c
    // c answered; the reload brings a new question x before where the user was.
    expect(skipped.firstOpen(['a', 'x', 'b', 'd'])).toBe(1);
    expect(skipped.firstOpen(['a', 'b', 'd'])).toBe(2);
    skipped.moved(['a', 'b', 'd'], 2, 1); // went back to b
    expect(skipped.firstOpen(['a', 'b', 'd'])).toBe(1);
    expect(skipped.firstOpen(['a'])).toBe(0);
    expect(skipped.firstOpen([])).toBe(0);
  });

  it('takes a jump back (the strip) as that many steps back: the items gone back over are open again', () => {
    const skipped = new SkippedItems<string>((s) => s);
    const items = ['a', 'b', 'c', 'd', 'e'];
    skipped.moved(items, 0, 3); // skipped a, b and c, now on d
    skipped.moved(items, 3, 1); // picked b in the strip
    // b answered: the queue goes on with c, not with d where the user had been.
    expect(skipped.firstOpen(['a', 'c', 'd', 'e'])).toBe(1);
    skipped.moved(items, 1, 4); // then on to e: b, c and d skipped again
    expect(skipped.firstOpen(items)).toBe(4);
  });

  it('keeps a group split off the one on screen right after it, then after the one before it once it is named', () => {
    const placed = new QueueOrder<string>((s) => s);
    expect(placed.arrange(['pair', 'a', 'b', 'c', 'd'])).toEqual(['pair', 'a', 'b', 'c', 'd']);
    placed.place('venus', 'b');
    expect(placed.arrange(['a', 'b', 'c', 'venus', 'd'])).toEqual(['a', 'b', 'venus', 'c', 'd']);
    // The pair named: its split-off part takes its place (first), through reloads, and back there after an undo.
    placed.place('venus', 'pair');
    expect(placed.arrange(['pair', 'a', 'b', 'c', 'd'])).toEqual(['pair', 'a', 'b', 'c', 'd']);
    expect(placed.arrange(['a', 'b', 'c', 'venus', 'd'])).toEqual(['venus', 'a', 'b', 'c', 'd']);
    expect(placed.arrange(['a', 'b', 'c', 'd'])).toEqual(['a', 'b', 'c', 'd']);
    expect(placed.arrange(['a', 'b', 'c', 'venus', 'd'])).toEqual(['venus', 'a', 'b', 'c', 'd']);
    // Placed after an item never seen: left where the engine put it.
    placed.place('e', 'nobody');
    expect(placed.arrange(['a', 'e', 'b'])).toEqual(['a', 'e', 'b']);
  });

  it('keeps each item where it was first seen when the engine orders them anew (a group grew), the gone ones too', () => {
    const order = new QueueOrder<string>((s) => s);
    expect(order.arrange(['a', 'b', 'c', 'd'])).toEqual(['a', 'b', 'c', 'd']);
    // d grew past everyone (a merge), b shrank: nobody moves.
    expect(order.arrange(['d', 'a', 'c', 'b'])).toEqual(['a', 'b', 'c', 'd']);
    // b named, then back after an undo: at its place, not at the end.
    expect(order.arrange(['d', 'a', 'c'])).toEqual(['a', 'c', 'd']);
    expect(order.arrange(['d', 'a', 'c', 'b'])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('puts a new item after the one it follows in the engine\'s order, and first when it follows none', () => {
    const order = new QueueOrder<string>((s) => s);
    order.arrange(['a', 'b', 'c']);
    expect(order.arrange(['c', 'x', 'y', 'a', 'b'])).toEqual(['a', 'b', 'c', 'x', 'y']);
    expect(order.arrange(['n', 'a', 'b', 'c', 'x', 'y'])).toEqual(['n', 'a', 'b', 'c', 'x', 'y']);
    // A new order altogether (every id new, a regroup): the engine's.
    expect(order.arrange(['r', 's', 't'])).toEqual(['r', 's', 't']);
  });

  it('puts the items a named person is likely to be first, nearest first, then the others in their order', () => {
    const order = new QueueOrder<string>((s) => s);
    // QA: the two faces of Barack Obama 0.010 from his named faces came 82nd and 84th, behind the strangers.
    const likely = new Map([['obama2', 0.0098], ['obama1', 0.0102], ['group-ada', 0.03]]);
    expect(order.arrange(['big', 'small', 'face1', 'obama1', 'face2', 'obama2', 'group-ada'], likely)).toEqual(['obama2', 'obama1', 'group-ada', 'big', 'small', 'face1', 'face2']);
    // Likely no more (a No said elsewhere) before the user came to them: back at their places among the others.
    expect(order.arrange(['big', 'small', 'face1', 'obama1', 'face2', 'obama2', 'group-ada'])).toEqual(['big', 'small', 'face1', 'obama1', 'face2', 'obama2', 'group-ada']);
  });

  it('moves only the items the user has not come to: a face made likely by a name comes next, not in under the cursor', () => {
    const order = new QueueOrder<string>((s) => s);
    expect(order.arrange(['a', 'b', 'c', 'f1', 'f2', 'f3'])).toEqual(['a', 'b', 'c', 'f1', 'f2', 'f3']);
    // On b: a and b keep their places; b named, its faces f3 and f1 are likely now.
    order.reach('b');
    expect(order.arrange(['a', 'c', 'f1', 'f2', 'f3'], new Map([['f3', 0.02], ['f1', 0.04]]))).toEqual(['a', 'f3', 'f1', 'c', 'f2']);
    // Back after an undo, b is where it was; a likely item the user came to stays where they met it.
    order.reach('f3');
    expect(order.arrange(['a', 'b', 'c', 'f1', 'f2', 'f3'], new Map([['f1', 0.04], ['c', 0.01]]))).toEqual(['a', 'b', 'f3', 'c', 'f1', 'f2']);
    // A group split off the one on screen comes right after it, before the likely ones.
    order.place('split', 'f3');
    expect(order.arrange(['a', 'b', 'c', 'f1', 'f2', 'f3', 'split'], new Map([['c', 0.01]]))).toEqual(['a', 'b', 'f3', 'split', 'c', 'f1', 'f2']);
  });

  it('moves an item put after another one there (a merged group to where the user is), and keeps it there', () => {
    const order = new QueueOrder<string>((s) => s);
    order.arrange(['big', 'a', 'b', 'small']);
    // small merged into big: big comes where small was, small gone.
    order.place('big', 'small');
    expect(order.arrange(['big', 'a', 'b'])).toEqual(['a', 'b', 'big']);
    expect(order.arrange(['a', 'big', 'b'])).toEqual(['a', 'b', 'big']);
    order.place('a', null);
    expect(order.arrange(['big', 'b', 'a'])).toEqual(['a', 'b', 'big']);
    order.place('b', 'b');
    expect(order.arrange(['big', 'b', 'a'])).toEqual(['a', 'b', 'big']);
  });
});

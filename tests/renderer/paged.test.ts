import { describe, expect, it } from 'vitest';
import { PagedList, type Page } from '../../renderer/lib/paged.svelte.js';

/** A list of `size` numbers served 10 at a time, each request waiting until the test answers it. */
function served(size: number) {
  const requests: Array<{ offset: number; answer: (items?: number[]) => void; fail: (error: Error) => void }> = [];
  const laterErrors: unknown[] = [];
  let items = Array.from({ length: size }, (_, i) => i);
  const list = new PagedList<number>(
    10,
    (offset, limit) =>
      new Promise<Page<number>>((resolve, reject) => {
        requests.push({
          offset,
          answer: (override) => resolve({ total: items.length, items: override ?? items.slice(offset, offset + limit) }),
          fail: reject,
        });
      }),
    (error) => laterErrors.push(error),
  );
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { list, requests, laterErrors, settle, setItems: (next: number[]) => (items = next) };
}

describe('PagedList', () => {
  it('fetches the pages a range needs, once each', async () => {
    const { list, requests, settle } = served(95);
    list.reload('all', []);
    expect(requests.map((r) => r.offset)).toEqual([0]);
    requests[0].answer();
    await settle();
    expect(list.total).toBe(95);
    list.want(5, 35);
    list.want(0, 20);
    expect(requests.map((r) => r.offset)).toEqual([0, 10, 20, 30]);
    // Past the end is not asked for.
    list.want(90, 200);
    expect(requests.map((r) => r.offset)).toEqual([0, 10, 20, 30, 90]);
    for (const r of requests.slice(1)) r.answer();
    await settle();
    expect(list.at(37)).toBe(37);
    expect(list.at(94)).toBe(94);
    expect(list.at(45)).toBeNull();
  });

  it('keeps the pages on screen while it fetches the same list again, and drops the others', async () => {
    const { list, requests, settle, setItems } = served(50);
    list.reload('all', []);
    requests[0].answer();
    await settle();
    list.want(0, 50);
    for (const r of requests.slice(1)) r.answer();
    await settle();
    // Item 12 goes; pages 1 and 2 are on screen.
    setItems(Array.from({ length: 50 }, (_, i) => i).filter((i) => i !== 12));
    list.reload('all', list.pagesFor(15, 25));
    expect(list.at(12)).toBe(12);
    expect(list.at(2)).toBeNull();
    expect(requests.slice(5).map((r) => r.offset)).toEqual([10, 20]);
    for (const r of requests.slice(5)) r.answer();
    await settle();
    expect(list.total).toBe(49);
    expect(list.at(12)).toBe(13);
  });

  it('starts afresh for another list, and ignores answers meant for the one before', async () => {
    const { list, requests, settle } = served(30);
    list.reload('ada', []);
    list.reload('bob', [0]);
    expect(list.total).toBeNull();
    requests[0].answer([100, 101]);
    await settle();
    expect(list.at(0)).toBeNull();
    requests[1].answer();
    await settle();
    expect(list.at(0)).toBe(0);
  });

  it('reports a first page that fails as the list\'s error, and a later one to the screen', async () => {
    const { list, requests, laterErrors, settle } = served(30);
    list.reload('all', []);
    requests[0].fail(new Error('The library is locked.'));
    await settle();
    expect((list.error as Error).message).toBe('The library is locked.');
    list.reload('all', []);
    expect(list.error).toBeNull();
    requests[1].answer();
    await settle();
    list.want(10, 20);
    requests[2].fail(new Error('gone'));
    await settle();
    expect(list.error).toBeNull();
    expect(laterErrors.map((e) => (e as Error).message)).toEqual(['gone']);
    // A page that failed is asked for again next time.
    list.want(10, 20);
    expect(requests).toHaveLength(4);
  });

  it('gives a range of items, fetching only the pages it lacks', async () => {
    const { list, requests, settle } = served(50);
    list.reload('all', []);
    requests[0].answer();
    await settle();
    const first = list.slice(0, 25);
    await settle();
    expect(requests.map((r) => r.offset)).toEqual([0, 10]);
    requests[1].answer();
    await settle();
    expect(requests.map((r) => r.offset)).toEqual([0, 10, 20]);
    requests[2].answer();
    expect(await first).toEqual(Array.from({ length: 25 }, (_, i) => i));
    // A range in the middle, across pages never shown.
    const middle = list.slice(27, 43);
    await settle();
    requests[3].answer();
    await settle();
    requests[4].answer();
    expect(await middle).toEqual(Array.from({ length: 16 }, (_, i) => 27 + i));
  });
});

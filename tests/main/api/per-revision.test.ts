import { describe, expect, it } from 'vitest';
import { keptPerRevision, perRevision } from '../../../main/api/per-revision.js';

/** A computation the test finishes by hand, counting how many were started. */
function controlled() {
  const runs: Array<{ revision: number; resolve: (v: string) => void; reject: (e: Error) => void }> = [];
  let revision = 1;
  const compute = () => new Promise<string>((resolve, reject) => runs.push({ revision, resolve, reject }));
  return { runs, compute, revision: () => revision, change: () => revision++ };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('perRevision', () => {
  it('shares one computation among the callers of a revision', async () => {
    const c = controlled();
    const get = perRevision(c.revision, c.compute);
    const [a, b] = [get(), get()];
    await tick();
    expect(c.runs).toHaveLength(1);
    c.runs[0].resolve('r1');
    expect(await a).toBe('r1');
    expect(await b).toBe('r1');
    expect(await get()).toBe('r1');
    expect(c.runs).toHaveLength(1);
  });

  it('runs one computation at a time: changes during one queue a single next one, for the newest revision', async () => {
    const c = controlled();
    const get = perRevision(c.revision, c.compute);
    const first = get();
    await tick();
    c.change();
    c.change();
    const waiting = [get(), get(), get()];
    await tick();
    expect(c.runs).toHaveLength(1); // still the first, nothing beside it
    c.runs[0].resolve('old');
    expect(await first).toBe('old');
    await tick();
    expect(c.runs).toHaveLength(2);
    expect(c.runs[1].revision).toBe(3);
    c.runs[1].resolve('new');
    expect(await Promise.all(waiting)).toEqual(['new', 'new', 'new']);
  });

  it('does not keep a failed computation', async () => {
    const c = controlled();
    const get = perRevision(c.revision, c.compute);
    const failed = get();
    await tick();
    c.runs[0].reject(new Error('disk gone'));
    await expect(failed).rejects.toThrow('disk gone');
    const again = get();
    await tick();
    expect(c.runs).toHaveLength(2);
    c.runs[1].resolve('ok');
    expect(await again).toBe('ok');
  });
});

describe('keptPerRevision', () => {
  it('derives once per revision, when first asked after a change', () => {
    let revision = 1;
    let derived = 0;
    const get = keptPerRevision(() => revision, () => ({ revision, run: ++derived }));
    expect(derived).toBe(0);
    const first = get();
    expect(get()).toBe(first);
    revision = 2;
    revision = 3;
    expect(derived).toBe(1);
    expect(get()).toEqual({ revision: 3, run: 2 });
    expect(get()).toBe(get());
    expect(derived).toBe(2);
  });
});

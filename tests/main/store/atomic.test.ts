// renameReplacing: on Windows a rename over a file that antivirus or the indexer holds open fails for a moment with
// EPERM / EACCES / EBUSY; those are retried with a short backoff. Elsewhere, and for other errors, one attempt.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renameReplacing } from '../../../main/store/atomic.js';

const failure = (code: string) => Object.assign(new Error(`${code}: operation not permitted, rename`), { code });

/** A rename that fails with `codes` in turn, then succeeds; records its calls and the waits between them. */
function flakyRename(codes: string[]) {
  const calls: Array<[string, string]> = [];
  const waits: number[] = [];
  return {
    calls,
    waits,
    rename: async (from: string, to: string) => {
      calls.push([from, to]);
      const code = codes[calls.length - 1];
      if (code) throw failure(code);
    },
    wait: async (ms: number) => {
      waits.push(ms);
    },
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('renameReplacing', () => {
  it('on Windows, retries a rename over a file another process holds until it lets go', async () => {
    const fs = flakyRename(['EPERM', 'EACCES', 'EBUSY']);
    await renameReplacing('a.tmp', 'a.json', { platform: 'win32', rename: fs.rename, wait: fs.wait });
    expect(fs.calls).toHaveLength(4);
    expect(fs.calls.every(([from, to]) => from === 'a.tmp' && to === 'a.json')).toBe(true);
    expect(fs.waits).toHaveLength(3);
    expect(fs.waits[1]).toBeGreaterThan(fs.waits[0]); // backing off
  });

  it('on Windows, gives up after a few seconds with the last error', async () => {
    const fs = flakyRename(Array(100).fill('EPERM'));
    await expect(renameReplacing('a.tmp', 'a.json', { platform: 'win32', rename: fs.rename, wait: fs.wait })).rejects.toMatchObject({ code: 'EPERM' });
    const waited = fs.waits.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(2000);
    expect(waited).toBeLessThanOrEqual(3000);
    expect(fs.calls).toHaveLength(fs.waits.length + 1);
  });

  it('does not retry errors that waiting cannot cure, nor anywhere but Windows', async () => {
    const full = flakyRename(['ENOSPC']);
    await expect(renameReplacing('a.tmp', 'a.json', { platform: 'win32', rename: full.rename, wait: full.wait })).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(full.calls).toHaveLength(1);
    for (const platform of ['linux', 'darwin'] as const) {
      const held = flakyRename(['EPERM']);
      await expect(renameReplacing('a.tmp', 'a.json', { platform, rename: held.rename, wait: held.wait })).rejects.toMatchObject({ code: 'EPERM' });
      expect(held.calls).toHaveLength(1);
      expect(held.waits).toEqual([]);
    }
  });

  it('replaces the target with the real rename', async () => {
    await writeFile(join(dir, 'a.tmp'), 'new');
    await writeFile(join(dir, 'a.json'), 'old');
    await renameReplacing(join(dir, 'a.tmp'), join(dir, 'a.json'));
    expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe('new');
    await writeFile(join(dir, 'b.tmp'), 'new');
    await renameReplacing(join(dir, 'b.tmp'), join(dir, 'b.json'), { platform: 'win32' });
    expect(await readFile(join(dir, 'b.json'), 'utf8')).toBe('new');
  });
});

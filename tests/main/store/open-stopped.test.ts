// An open asked to stop (OpenOptions.signal: Ctrl-C while `familiar import` opens a library of 100,000 photos, which
// takes seconds) stops at its next step: it throws JobCancelledError, lets go of the lock, and leaves the library as it
// was, or as a crash there would (the index it was building again is built by the next open). QA: Ctrl-C waited for
// the whole open.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobCancelledError } from '../../../main/jobs/progress.js';
import { Library } from '../../../main/store/library.js';
import { writeKnownAlbum } from '../../../scripts/bench-reimport.js';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-open-stopped-'));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Every file of the library folder and a digest of its bytes. */
async function contentsOf(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile()) files.set(path, createHash('sha256').update(await readFile(path)).digest('hex'));
  }
  return files;
}

describe('an open asked to stop', () => {
  it('stops before it reads a document, or between two, changing nothing and letting go of the lock', async () => {
    const { library: dir } = await writeKnownAlbum(join(work, 'documents'), 300);
    const before = await contentsOf(dir);
    for (const stopAt of [null, 'reading photos.json', 'reading faces.json', 'reading settings.json']) {
      const asked = new AbortController();
      if (stopAt === null) asked.abort();
      const steps: string[] = [];
      const opening = Library.open(dir, {
        signal: asked.signal,
        onStep: (step) => {
          steps.push(step);
          if (step === stopAt) asked.abort();
        },
      });
      await expect(opening).rejects.toBeInstanceOf(JobCancelledError);
      expect(steps.at(-1) ?? null).toBe(stopAt);
      expect(existsSync(join(dir, '.lock'))).toBe(false);
      expect(await contentsOf(dir)).toEqual(before);
    }
    const reopened = await Library.open(dir);
    try {
      expect(reopened.repairs).toEqual([]);
      expect(reopened.photos).toHaveLength(300);
    } finally {
      await reopened.close();
    }
  });

  it('stops while it builds the face index again, which the next open builds', async () => {
    const { library: dir } = await writeKnownAlbum(join(work, 'index'), 2500);
    await rm(join(dir, 'index'), { recursive: true });
    const asked = new AbortController();
    const built: string[] = [];
    const opening = Library.open(dir, {
      signal: asked.signal,
      onStep: (step) => {
        if (!step.startsWith('building the face index again')) return;
        built.push(step);
        asked.abort();
      },
    });
    await expect(opening).rejects.toBeInstanceOf(JobCancelledError);
    expect(built).toEqual(['building the face index again: 2,000 of 2,500 faces']);
    expect(existsSync(join(dir, '.lock'))).toBe(false);
    const reopened = await Library.open(dir);
    try {
      expect(reopened.repairs).toEqual([{ part: 'index/embedding.hnsw', problem: 'missing', action: 'rebuilt from 2,500 stored vectors' }]);
      expect(reopened.indexSize).toBe(2500);
      expect(reopened.faces).toHaveLength(2500);
    } finally {
      await reopened.close();
    }
  });
});

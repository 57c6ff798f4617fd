// Hostile and broken files (issue 7, point 3): a seeded corpus generated here (mutated JPEG/PNG/WebP/GIF/TIFF,
// bombs, absurd sizes, EXIF garbage, non-images, a deep tree, symlink loops, a file rewritten while the import
// reads it) goes through `familiar import` in a child process: no crash, no hang, every file imported or
// reported as skipped with a reason, the good photos imported. Each file is also decoded alone, in-process, to
// check the per-file limits (time, memory) that main/library/decode.ts enforces.
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../../main/store/library.js';
import { sharedFaces } from './helpers/crash-seeds.js';
import { generateFuzzCorpus, keepChanging, type FuzzFile } from './helpers/fuzz-corpus.js';
import { decodeCorpus, importCorpus } from './helpers/fuzz-run.js';

let work: string;
let corpusDir: string;
let corpus: FuzzFile[];
const goodPhotos = [join(sharedFaces, 'face_recognition', 'obama', 'obama_small.jpg'), join(sharedFaces, 'face_recognition', 'biden', 'biden.jpg')];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-reliability-fuzz-'));
  corpusDir = join(work, 'album');
  corpus = await generateFuzzCorpus(corpusDir, { seed: 2026, mutantsPerKind: 2, goodPhotos });
}, 60_000);
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a hostile album', () => {
  it('decodes each file alone within the time and memory limits, or refuses it with a reason', async () => {
    const result = await decodeCorpus(corpus, { hangSeconds: 90 });
    expect(result.crashes).toEqual([]);
    expect(result.hangs).toEqual([]);
    expect(result.tried).toBe(corpus.length);
    // The bombs are refused from their headers: nothing close to their pixel count is ever allocated.
    expect(result.peakRssGrowthMb).toBeLessThan(1024);
    for (const f of corpus.filter((f) => f.expect === 'import')) expect(result.refused.get(f.path), f.kind).toBeUndefined();
    for (const [path, reason] of result.refused) {
      expect(reason, path).toMatch(/\w{4,}/);
      expect(reason, path).not.toMatch(/:\)?$|\(\)$/); // a sentence, not a truncated library message
    }
  }, 240_000);

  it('imports the good photos and skips the rest with reasons, while a file changes under it', async () => {
    const live = join(corpusDir, 'changing', 'live.jpg');
    const valid = await readFile(goodPhotos[0]);
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(join(corpusDir, 'changing'), { recursive: true });
    await writeFile(live, valid);
    const changer = keepChanging(live, valid, 99);
    const libraryDir = join(work, 'library');
    let outcome;
    try {
      outcome = await importCorpus(corpus, corpusDir, libraryDir, { hangSeconds: 300 });
    } finally {
      await changer.stop();
    }
    expect(outcome.problems).toEqual([]);
    expect(outcome.crashed).toBe(false);
    expect(outcome.hung).toBe(false);
    expect(outcome.unaccounted).toEqual([]);
    const library = await Library.open(libraryDir, { readOnly: true });
    try {
      const imported = new Set(library.photos.flatMap((p) => p.paths));
      for (const f of corpus.filter((f) => f.expect === 'import')) expect(imported.has(f.path), f.kind).toBe(true);
      expect(library.faces.length).toBeGreaterThanOrEqual(2);
    } finally {
      await library.close();
    }
  }, 300_000);
});

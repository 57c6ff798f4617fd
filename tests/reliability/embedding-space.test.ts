// After a trained head is adopted, faces imported later must be embedded with that head: an import that appends
// raw backbone vectors next to head-embedded ones silently mixes two spaces (search, clustering and "who is this"
// then compare incomparable vectors). Checked through Engine.open, which `familiar import` and the API use.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { trainEmbedder } from '../../main/embedder/index.js';
import { loadVersion, versionOfSource } from '../../main/embedder/versions.js';
import { Engine } from '../../main/engine.js';
import { Library } from '../../main/store/library.js';
import { applyHead } from '../../models/embedder/head.js';
import { PixelHashAnalyzer, writeDistinctPhotos } from './helpers/fake-analyzer.js';
import { writeSyntheticLibrary } from './helpers/library-state.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-reliability-space-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

it('embeds faces imported after a head was adopted with that head', async () => {
  const dir = join(work, 'library');
  await writeSyntheticLibrary(dir, { people: 24, facesPerPerson: 14, named: 16, confirmedPerPerson: 10, rejectionsPerPerson: 2, noise: 1.1, spread: 0.8, seed: 7 });
  const library = await Library.open(dir);
  try {
    const result = await trainEmbedder(library, { epochs: 6 });
    expect(result.adopted, result.reason).toBe(true);
  } finally {
    await library.close();
  }
  const album = await writeDistinctPhotos(join(work, 'album'), 4).then(() => join(work, 'album'));
  const engine = await Engine.open(dir, { analyzer: new PixelHashAnalyzer() });
  try {
    const before = new Set(engine.library.faces.map((f) => f.id));
    await engine.import([album]);
    const added = engine.library.faces.filter((f) => !before.has(f.id));
    expect(added).toHaveLength(4);
    const { head } = await loadVersion(dir, versionOfSource(engine.library.info.embedding));
    for (const face of added) {
      const expected = applyHead(head, Float32Array.from(engine.library.backboneOf(face)));
      const stored = engine.library.embeddingOf(face);
      for (let i = 0; i < expected.length; i++) expect(stored[i]).toBeCloseTo(expected[i], 4);
    }
  } finally {
    await engine.close();
  }
}, 120_000);

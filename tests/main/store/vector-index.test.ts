// The hnsw index is a cache of the vectors: a save that leaves no file (hnswlib on Windows under a non-ASCII folder,
// C:\Users\José\…, opens the path in the ANSI code page and writes nothing without a word) or fails in any other way
// must cost a rebuild on the next open, never an import or the open itself.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { Library } from '../../../main/store/library.js';
import { addPhotos, unitVector } from '../../helpers/store-records.js';
import { PixelHashAnalyzer, writeDistinctPhotos } from '../../reliability/helpers/fake-analyzer.js';

/** What hnswlib's writeIndexSync does: the real write, or a test's stand-in. */
const hnswWrite = vi.hoisted(() => ({ instead: null as null | ((file: string) => void), calls: 0 }));

// hnswlib's native methods cannot be spied on (their properties are not configurable): a subclass stands in.
vi.mock('hnswlib-node', async (importOriginal) => {
  const real = (await importOriginal<{ default: typeof import('hnswlib-node') }>()).default;
  class HierarchicalNSW extends real.HierarchicalNSW {
    override writeIndexSync(file: string): void {
      hnswWrite.calls++;
      if (hnswWrite.instead) hnswWrite.instead(file);
      else super.writeIndexSync(file);
    }
  }
  const wrapped = { ...real, HierarchicalNSW };
  return { ...wrapped, default: wrapped };
});

let dir: string;
beforeEach(async () => {
  hnswWrite.instead = null;
  hnswWrite.calls = 0;
  dir = await mkdtemp(join(tmpdir(), 'familiar-index-josé-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** hnswlib returning as if it had written, with no file: what it does on Windows under a non-ASCII path. */
const writeNothing = () => {
  hnswWrite.instead = () => {};
};

describe('saving the face index', () => {
  it('goes on without persisting it when hnswlib writes no file, and the next open rebuilds it', async () => {
    writeNothing();
    const library = await Library.open(join(dir, 'library'));
    await addPhotos(library, 1, 4);
    await library.saveIndex();
    await library.close();
    expect(hnswWrite.calls).toBeGreaterThan(0);
    // Neither a temp file nor an index whose meta would be trusted is left behind.
    expect(await readdir(join(dir, 'library', 'index')).catch(() => [])).toEqual([]);

    const reopened = await Library.open(join(dir, 'library'));
    expect(reopened.faces).toHaveLength(8);
    expect(reopened.repairs.map((r) => r.part)).toEqual(['index/embedding.hnsw']);
    expect(reopened.search(unitVector(5), 1)[0].faceId).toBe(reopened.faces[3].id); // photo 2's second face
    await reopened.close();

    // Where hnswlib can write, the next rebuild is kept again.
    hnswWrite.instead = null;
    const rebuilt = await Library.open(join(dir, 'library'));
    await rebuilt.close();
    const again = await Library.open(join(dir, 'library'));
    expect(again.repairs).toEqual([]);
    await again.close();
  });

  it('goes on when the write throws', async () => {
    hnswWrite.instead = () => {
      throw new Error('Cannot open file');
    };
    const library = await Library.open(join(dir, 'library'));
    await addPhotos(library, 1, 2);
    await expect(library.saveIndex()).resolves.toBeUndefined();
    await library.close();
    expect(await readdir(join(dir, 'library', 'index')).catch(() => [])).toEqual([]);
  });

  it('lets an import finish, and the library open again, when the index file never appears', async () => {
    writeNothing();
    const album = join(dir, 'album');
    await writeDistinctPhotos(album, 4);
    const engine = await Engine.open(join(dir, 'library'), { analyzer: new PixelHashAnalyzer() });
    try {
      const summary = await engine.import([album]);
      expect(summary.skipped).toEqual([]);
      expect(engine.library.faces).toHaveLength(4);
    } finally {
      await engine.close();
    }
    const reopened = await Engine.open(join(dir, 'library'), { analyzer: new PixelHashAnalyzer() });
    try {
      expect(reopened.library.faces).toHaveLength(4);
      expect(reopened.library.indexSize).toBe(4);
      const summary = await reopened.import([album]);
      expect(summary.skipped).toEqual([]);
    } finally {
      await reopened.close();
    }
  });
});

// The hnsw index is a cache of the vectors: a save that leaves no file (hnswlib on Windows under a non-ASCII folder,
// C:\Users\José\…, opens the path in the ANSI code page and writes nothing without a word) or fails in any other way
// must cost a rebuild on the next open, never an import or the open itself.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { Library } from '../../../main/store/library.js';
import { renumberHnswLabels } from '../../../main/store/vector-index.js';
import { addPhotos, DIM, unitVector } from '../../helpers/store-records.js';
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

describe('renumbering a saved index (a compaction)', () => {
  /** hnswlib's file of an index over rows 10, 20, ... (one vector each), with rows `deleted` marked deleted. */
  async function savedIndex(rows: number[], deleted: number[]): Promise<string> {
    const index = new hnswlib.HierarchicalNSW('cosine', DIM);
    index.initIndex({ maxElements: 64, m: 16, efConstruction: 200, randomSeed: 100, allowReplaceDeleted: true });
    for (const row of rows) index.addPoint(Array.from(unitVector(row)), row, true);
    for (const row of deleted) index.markDelete(row);
    const file = join(dir, 'saved.hnsw');
    index.writeIndexSync(file);
    return file;
  }

  it('gives every live element its new row and each deleted one a label no row has, and the graph still answers', async () => {
    const file = await savedIndex([10, 20, 30, 40, 50], [20, 40]);
    const bytes = await readFile(file);
    expect(renumberHnswLabels(bytes, DIM, new Map([[10, 0], [30, 1], [50, 2]]))).toBe(true);
    await writeFile(file, bytes);
    const index = new hnswlib.HierarchicalNSW('cosine', DIM);
    index.readIndexSync(file, true);
    expect(index.getIdsList().sort((a, b) => a - b)).toEqual([0, 1, 2, 2 ** 52 + 1, 2 ** 52 + 3]);
    for (const [row, renumbered] of [[10, 0], [30, 1], [50, 2]]) {
      expect(index.searchKnn(Array.from(unitVector(row)), 1).neighbors).toEqual([renumbered]);
    }
    // New rows after the compaction take the deleted elements' places without touching anyone else's label.
    index.addPoint(Array.from(unitVector(60)), 3, true);
    index.addPoint(Array.from(unitVector(70)), 4, true);
    index.addPoint(Array.from(unitVector(80)), 5, true);
    expect(index.getIdsList().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const [row, label] of [[10, 0], [30, 1], [50, 2], [60, 3], [70, 4], [80, 5]]) {
      expect(index.searchKnn(Array.from(unitVector(row)), 1).neighbors).toEqual([label]);
    }
  });

  it('declines an index that holds other rows, another width, or a file cut short', async () => {
    const file = await savedIndex([10, 20, 30], []);
    const bytes = () => readFile(file);
    expect(renumberHnswLabels(await bytes(), DIM, new Map([[10, 0], [20, 1]]))).toBe(false); // row 30 unknown
    expect(renumberHnswLabels(await bytes(), DIM, new Map([[10, 0], [20, 1], [30, 2], [40, 3]]))).toBe(false); // row 40 missing
    expect(renumberHnswLabels(await bytes(), DIM / 2, new Map([[10, 0], [20, 1], [30, 2]]))).toBe(false);
    const whole = await bytes();
    expect(renumberHnswLabels(whole.subarray(0, whole.length - 1), DIM, new Map([[10, 0], [20, 1], [30, 2]]))).toBe(false);
    expect(renumberHnswLabels(Buffer.alloc(50), DIM, new Map())).toBe(false);
  });
});

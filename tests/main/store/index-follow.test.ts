// The index follows the faces when it is next needed (Library.syncIndex), and takes in a look-again's new vectors by
// being built again in one pass (VectorIndex.follow): the same answers as point by point, and the saved index is
// still only trusted by an open when it is the index of the faces on disk.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Library, type OpenOptions } from '../../../main/store/library.js';
import { addPhotos, unitVector } from '../../helpers/store-records.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-index-follow-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const POINT_BY_POINT: OpenOptions = { rebuildIndexShare: Infinity };
const queries = Array.from({ length: 20 }, (_, i) => unitVector(5000 + i));

/** A look-again as the import stores it: every face a new vector row, appended first, then one transaction. */
async function lookAgain(library: Library): Promise<void> {
  const rows = await library.appendVectors(library.faces.map((_, i) => unitVector(1000 + i)));
  await library.transaction((tx) => tx.faces.forEach((face, i) => (face.vectorRow = rows[i])));
}

/** The k nearest faces by brute force. */
function exactNearest(library: Library, query: Float32Array, k: number): string[] {
  const distance = (v: Float32Array) => 1 - v.reduce((sum, x, i) => sum + x * query[i], 0);
  return library.faces
    .map((f) => ({ id: f.id, d: distance(library.embeddingOf(f)) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, k)
    .map((h) => h.id);
}

const answers = (library: Library) => queries.map((q) => library.search(q, 10).map((h) => h.faceId));

describe('the index after a look-again', () => {
  it('answers as the index built point by point does, and as a brute-force search does', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 150); // 300 faces
    await library.close();
    const copy = `${dir}-point-by-point`;
    await cp(dir, copy, { recursive: true });
    try {
      const rebuilt = await Library.open(dir);
      await lookAgain(rebuilt);
      const pointByPoint = await Library.open(copy, POINT_BY_POINT);
      await lookAgain(pointByPoint);

      expect(answers(rebuilt)).toEqual(answers(pointByPoint));
      expect(answers(rebuilt)).toEqual(queries.map((q) => exactNearest(rebuilt, q, 10)));
      for (const face of rebuilt.faces) expect(rebuilt.search(rebuilt.embeddingOf(face), 1)[0].faceId).toBe(face.id);
      expect(rebuilt.indexSize).toBe(300);
      // Faces added and removed after it are followed point by point.
      await addPhotos(rebuilt, 200, 3);
      await rebuilt.transaction((tx) => {
        const [gone] = tx.photos.splice(0, 1);
        tx.faces.splice(0, tx.faces.length, ...tx.faces.filter((f) => f.photoId !== gone.id));
      });
      expect(rebuilt.indexSize).toBe(rebuilt.faces.length);
      for (const face of rebuilt.faces) expect(rebuilt.search(rebuilt.embeddingOf(face), 1)[0].faceId).toBe(face.id);
      await pointByPoint.close();
      await rebuilt.close();

      const reopened = await Library.open(dir);
      expect(reopened.repairs).toEqual([]); // the index saved on close is the index of these faces
      for (const face of reopened.faces) expect(reopened.search(reopened.embeddingOf(face), 1)[0].faceId).toBe(face.id);
      await reopened.close();
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it('leaves the saved index to be rebuilt by an open after a crash before it was saved again', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 40);
    await library.saveIndex();
    await lookAgain(library);
    // What a crash leaves: the documents of the look-again, the index saved before it.
    const crashed = `${dir}-crashed`;
    await cp(dir, crashed, { recursive: true, filter: (source) => !source.endsWith('.lock') });
    await library.close();
    try {
      const reopened = await Library.open(crashed);
      expect(reopened.repairs.find((r) => r.part === 'index/embedding.hnsw')).toEqual({
        part: 'index/embedding.hnsw',
        problem: 'its checksum does not match the stored vectors',
        action: 'rebuilt from 80 stored vectors',
      });
      for (const face of reopened.faces) {
        expect(Array.from(reopened.embeddingOf(face))).toEqual(Array.from(unitVector(1000 + reopened.faces.indexOf(face))));
        expect(reopened.search(reopened.embeddingOf(face), 1)[0].faceId).toBe(face.id);
      }
      await reopened.close();
    } finally {
      await rm(crashed, { recursive: true, force: true });
    }
  });
});

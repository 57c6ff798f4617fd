// Vector rows given back (Library.releaseRows: a folder removed, a marked face undone) are the next new faces' rows.
// hnswlib keeps a removed face's element, marked deleted, under its row: the face that reuses the row must get that
// element back, never another deleted one's place. Otherwise two elements share the label, and when the other one is
// reused hnswlib forgets the live face (taking it out then failed with "Label not found" after the documents were
// written, and its point stayed in the graph).
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Library } from '../../../main/store/library.js';
import { addPhotos, DIM, unitVector } from '../../helpers/store-records.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-row-reuse-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What remove-folder does: the photos and their faces out in one transaction, then their rows given back. */
async function removePhotos(library: Library, numbers: number[]): Promise<number> {
  const gone = new Set(numbers.map((n) => library.photos.find((p) => p.id.startsWith(n.toString(16).padStart(16, '0')))!.id));
  const rows = new Set(library.faces.filter((f) => gone.has(f.photoId)).map((f) => f.vectorRow));
  await library.transaction((tx) => {
    tx.faces.splice(0, tx.faces.length, ...tx.faces.filter((f) => !gone.has(f.photoId)));
    tx.photos.splice(0, tx.photos.length, ...tx.photos.filter((p) => !gone.has(p.id)));
  });
  return library.releaseRows(rows);
}

/** Every face is the nearest to its own vector, and the index holds exactly the faces. */
function expectEveryFaceFound(library: Library): void {
  expect(library.indexSize).toBe(library.faces.length);
  for (const face of library.faces) {
    expect(library.indexHas(face.vectorRow)).toBe(true);
    const [hit] = library.search(library.embeddingOf(face), 1);
    expect(hit.faceId).toBe(face.id);
    expect(hit.distance).toBeLessThan(1e-4);
  }
}

const rowsOf = (library: Library, n: number) => library.faces.filter((f) => f.photoId.startsWith(n.toString(16).padStart(16, '0'))).map((f) => f.vectorRow);

describe('a vector row given back and used again', () => {
  it('holds the new face in the index, which can be taken out and put back again', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 5); // rows 0-9
    // Deleted elements besides the released rows' own: hnswlib would pick among all of them.
    expect(await removePhotos(library, [2])).toBe(0); // rows 2, 3: in the middle, kept
    expect(await removePhotos(library, [5])).toBe(2); // rows 8, 9: cut
    await addPhotos(library, 6, 1);
    expect(rowsOf(library, 6)).toEqual([8, 9]);
    expectEveryFaceFound(library);
    expect(library.search(unitVector(12), 1)[0].faceId).toBe(`${(6).toString(16).padStart(16, '0')}-0`);

    // Taking the reused rows' faces out again, and giving the rows to other faces once more.
    await expect(removePhotos(library, [6])).resolves.toBe(2);
    expect(library.search(unitVector(12), 3).map((h) => h.distance).every((d) => d > 1e-3)).toBe(true);
    expectEveryFaceFound(library);
    await addPhotos(library, 7, 2);
    expect(rowsOf(library, 7)).toEqual([8, 9]);
    expectEveryFaceFound(library);
    await library.close();

    const reopened = await Library.open(dir);
    expect(reopened.repairs).toEqual([]);
    expectEveryFaceFound(reopened);
    await reopened.close();
  });

  it('gives back the rows an earlier removal left in the middle once they end the files, so an open finds nothing to repair', async () => {
    // QA: a subfolder removed (its rows in the middle), then its folder (the rows at the end): the next open trimmed
    // the first removal's rows as an interrupted import's, and `familiar people` said the library needed repair.
    const library = await Library.open(dir);
    await addPhotos(library, 1, 5); // rows 0-9
    expect(await removePhotos(library, [3])).toBe(0); // rows 4, 5: in the middle, kept
    expect(await removePhotos(library, [4, 5])).toBe(6); // rows 6-9, and 4-5 below them
    await addPhotos(library, 6, 1);
    expect(rowsOf(library, 6)).toEqual([4, 5]);
    expectEveryFaceFound(library);
    await library.close();

    const reopened = await Library.open(dir, { readOnly: true });
    expect(reopened.repairs).toEqual([]);
    expectEveryFaceFound(reopened);
    await reopened.close();
  });

  it('holds it when the library was closed and opened between giving the rows back and using them', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 5);
    expect(await removePhotos(library, [4, 5])).toBe(4); // rows 6-9
    await library.close();

    const reopened = await Library.open(dir);
    expect(reopened.repairs).toEqual([]);
    await addPhotos(reopened, 6, 2);
    expect([...rowsOf(reopened, 6), ...rowsOf(reopened, 7)]).toEqual([6, 7, 8, 9]);
    expectEveryFaceFound(reopened);
    await expect(removePhotos(reopened, [6])).resolves.toBe(0); // rows 6, 7: photo 7 still holds 8, 9
    expectEveryFaceFound(reopened);
    await addPhotos(reopened, 8, 1);
    expectEveryFaceFound(reopened);
    await reopened.close();

    const again = await Library.open(dir);
    expect(again.repairs).toEqual([]);
    expectEveryFaceFound(again);
    await again.close();
  });

  it('holds it through an open that compacts the vector files', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 10); // rows 0-19
    expect(await removePhotos(library, [2, 3, 4, 5, 6])).toBe(0); // rows 2-11: the middle, for compaction
    expect(await removePhotos(library, [10])).toBe(2); // rows 18, 19
    await addPhotos(library, 11, 1); // rows 18, 19 again
    await library.close();

    const compacted = await Library.open(dir, { compactWhen: { minUnusedRows: 1, minUnusedShare: 0.1 } });
    expect(compacted.repairs.map((r) => r.action)).toEqual(['compacted: the vector files hold the 10 rows in use; the index was renumbered with them']);
    expectEveryFaceFound(compacted);
    await expect(removePhotos(compacted, [11])).resolves.toBe(2);
    await addPhotos(compacted, 12, 2);
    expectEveryFaceFound(compacted);
    await compacted.close();

    const reopened = await Library.open(dir);
    expect(reopened.repairs).toEqual([]);
    expectEveryFaceFound(reopened);
    await reopened.close();
  });

  it('rebuilds on open a saved index that gives one row to two elements (saved before this was fixed)', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 5); // rows 0-9
    const vectors = library.faces.map((f) => Array.from(library.embeddingOf(f)));
    await library.close();

    // What the earlier code left: row 9's element deleted, and row 9 added again in row 10's deleted place.
    const hnsw = new hnswlib.HierarchicalNSW('cosine', DIM);
    hnsw.initIndex({ maxElements: 64, m: 16, efConstruction: 200, randomSeed: 100, allowReplaceDeleted: true });
    vectors.forEach((v, row) => hnsw.addPoint(v, row, true));
    hnsw.addPoint(Array.from(unitVector(99)), 10, true);
    hnsw.markDelete(9);
    hnsw.markDelete(10);
    hnsw.addPoint(vectors[9], 9, true);
    expect(hnsw.getIdsList().length).toBeLessThan(hnsw.getCurrentCount()); // row 9 is two elements' label
    const file = join(dir, 'index', 'embedding.hnsw');
    hnsw.writeIndexSync(file);
    // Its meta as that code wrote it: the same rows and vectors, so only the file's own hash changes.
    const metaFile = join(dir, 'index', 'embedding.meta.json');
    const meta = JSON.parse(await readFile(metaFile, 'utf8'));
    meta.fileSha256 = createHash('sha256').update(await readFile(file)).digest('hex');
    await writeFile(metaFile, JSON.stringify(meta));

    const reopened = await Library.open(dir);
    expect(reopened.repairs).toEqual([{ part: 'index/embedding.hnsw', problem: 'it held some faces twice', action: 'rebuilt from 10 stored vectors' }]);
    expectEveryFaceFound(reopened);
    await removePhotos(reopened, [5]);
    await addPhotos(reopened, 6, 3);
    expectEveryFaceFound(reopened);
    await reopened.close();
  });
});

// Compacting the vector files on open (main/store/compaction.ts): rows no face uses go, every face keeps its own
// vectors, the index and the backup follow, and a crash at any step is finished by the next open.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMPACTION_MARKER, type CompactionStep } from '../../../main/store/compaction.js';
import { Library } from '../../../main/store/library.js';
import { addPhotos, DIM, unitVector } from '../../helpers/store-records.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const ALWAYS = { minUnusedRows: 1, minUnusedShare: 0.1 };
const rowsOnDisk = (dir: string, file: string) => statSync(join(dir, 'vectors', file)).size / (DIM * 4);

/**
 * 30 photos of two faces (rows 0-59); photos 5-19 removed (30 rows in the middle unused); one face analysed again with
 * a new descriptor (its old row unused). Returns the library folder and each face's vectors, closed.
 */
async function libraryWithUnusedRows(): Promise<{ dir: string; vectors: Map<string, { backbone: number[]; embedding: number[] }> }> {
  const dir = mkdtempSync(join(tmpdir(), 'familiar-compaction-'));
  dirs.push(dir);
  const library = await Library.open(dir);
  await addPhotos(library, 0, 30);
  const gone = new Set(library.photos.slice(5, 20).map((p) => p.id));
  const [newRow] = await library.appendVectors([unitVector(1000)]);
  await library.transaction((tx) => {
    tx.faces.splice(0, tx.faces.length, ...tx.faces.filter((f) => !gone.has(f.photoId)));
    tx.photos.splice(0, tx.photos.length, ...tx.photos.filter((p) => !gone.has(p.id)));
    tx.faces[0].vectorRow = newRow;
  });
  const vectors = new Map(library.faces.map((f) => [f.id, { backbone: Array.from(library.backboneOf(f)), embedding: Array.from(library.embeddingOf(f)) }]));
  await library.close();
  return { dir, vectors };
}

function expectSameVectors(library: Library, vectors: Map<string, { backbone: number[]; embedding: number[] }>): void {
  expect(library.faces.map((f) => f.id).sort()).toEqual([...vectors.keys()].sort());
  for (const f of library.faces) {
    expect(Array.from(library.backboneOf(f))).toEqual(vectors.get(f.id)!.backbone);
    expect(Array.from(library.embeddingOf(f))).toEqual(vectors.get(f.id)!.embedding);
  }
  // The index answers with the rows' new numbers: every face is its own nearest.
  for (const f of library.faces.slice(0, 10)) expect(library.search(library.embeddingOf(f), 1)[0].faceId).toBe(f.id);
}

describe('compacting the vector files', () => {
  it('drops the rows no face uses on open; every face keeps its vectors, and the backup and index follow', async () => {
    const { dir, vectors } = await libraryWithUnusedRows();
    expect(rowsOnDisk(dir, 'backbone.f32')).toBe(61);
    const library = await Library.open(dir, { compactWhen: ALWAYS });
    expect(library.repairs).toEqual([
      {
        part: 'vectors',
        problem: '31 of 61 vector rows belonged to no face any more (faces removed, or photos analysed again)',
        action: 'compacted: the vector files hold the 30 rows in use; the index was renumbered with them',
      },
    ]);
    expect(library.faces.map((f) => f.vectorRow).sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
    expectSameVectors(library, vectors);
    await library.close();
    for (const file of ['backbone.f32', 'embedding.f32']) expect(rowsOnDisk(dir, file)).toBe(30);
    expect(readdirSync(join(dir, 'vectors')).sort()).toEqual(['backbone.f32', 'embedding.f32']);

    // Nothing left to do or repair; and faces.json restored from its backup points at the compacted rows too.
    const again = await Library.open(dir, { compactWhen: ALWAYS });
    expect(again.repairs).toEqual([]);
    await again.close();
    writeFileSync(join(dir, 'faces.json'), '{"schemaVersion": 2, "faces": [');
    const restored = await Library.open(dir);
    expect(restored.repairs.map((r) => r.part)).toEqual(['faces.json']);
    expectSameVectors(restored, vectors);
    await restored.close();
  });

  it('renumbers the saved index, which then follows faces added and removed, across opens', async () => {
    const { dir, vectors } = await libraryWithUnusedRows();
    const library = await Library.open(dir, { compactWhen: ALWAYS });
    expect(library.indexSize).toBe(30);
    // Faces added after the compaction take new rows (and the places of the index's deleted elements); some go.
    await addPhotos(library, 100, 10);
    const gone = new Set(library.photos.slice(0, 3).map((p) => p.id));
    await library.transaction((tx) => {
      tx.faces.splice(0, tx.faces.length, ...tx.faces.filter((f) => !gone.has(f.photoId)));
      tx.photos.splice(0, tx.photos.length, ...tx.photos.filter((p) => !gone.has(p.id)));
    });
    const everyFaceIsItsOwnNearest = (lib: Library) => {
      expect(lib.indexSize).toBe(lib.faces.length);
      for (const f of lib.faces) expect(lib.search(lib.embeddingOf(f), 1)[0].faceId).toBe(f.id);
    };
    everyFaceIsItsOwnNearest(library);
    for (const f of library.faces.filter((f) => vectors.has(f.id))) expect(Array.from(library.embeddingOf(f))).toEqual(vectors.get(f.id)!.embedding);
    await library.close();
    const reopened = await Library.open(dir);
    expect(reopened.repairs).toEqual([]); // the saved index matches: nothing rebuilt
    everyFaceIsItsOwnNearest(reopened);
    await reopened.close();
  });

  it('builds the index again when the saved one is not the index of these faces', async () => {
    const { dir, vectors } = await libraryWithUnusedRows();
    writeFileSync(join(dir, 'index', 'embedding.meta.json'), 'damaged');
    const library = await Library.open(dir, { compactWhen: ALWAYS });
    expect(library.repairs.map((r) => r.action)).toEqual(['compacted: the vector files hold the 30 rows in use; the index was rebuilt']);
    expectSameVectors(library, vectors);
    await library.close();
    const reopened = await Library.open(dir);
    expect(reopened.repairs).toEqual([]);
    await reopened.close();
  });

  it('waits until enough rows are unused', async () => {
    const { dir } = await libraryWithUnusedRows();
    const library = await Library.open(dir, { compactWhen: { minUnusedRows: 32, minUnusedShare: 0 } });
    expect(library.repairs).toEqual([]);
    await library.close();
    expect(rowsOnDisk(dir, 'backbone.f32')).toBe(61);
  });

  it('refuses to guess when the marker of an interrupted compaction is damaged, and changes nothing', async () => {
    const { dir } = await libraryWithUnusedRows();
    const crash = new Error('crash');
    const crashAfterCommit = (at: CompactionStep) => {
      if (at === 'committed') throw crash;
    };
    await expect(Library.open(dir, { compactWhen: ALWAYS, afterCompactionStep: crashAfterCommit })).rejects.toBe(crash);
    writeFileSync(join(dir, 'vectors', COMPACTION_MARKER), '{"generation": 1, "liveRows": [0, 1,');
    const files = readdirSync(join(dir, 'vectors')).sort();
    await expect(Library.open(dir)).rejects.toThrow(/compaction\.json is damaged, and it is the only record of how the faces' vectors were renumbered/);
    expect(readdirSync(join(dir, 'vectors')).sort()).toEqual(files);
  });

  for (const step of ['files-written', 'committed', 'faces-written', 'files-moved'] as CompactionStep[]) {
    it(`is finished by the next open after a crash once ${step}`, async () => {
      const { dir, vectors } = await libraryWithUnusedRows();
      const crash = new Error(`crash after ${step}`);
      await expect(
        Library.open(dir, {
          compactWhen: ALWAYS,
          afterCompactionStep: (at) => {
            if (at === step) throw crash;
          },
        }),
      ).rejects.toBe(crash);

      // A reader in between sees every face with its own vectors and changes nothing.
      const before = readdirSync(join(dir, 'vectors')).sort();
      const reader = await Library.open(dir, { readOnly: true });
      expectSameVectors(reader, vectors);
      await reader.close();
      expect(readdirSync(join(dir, 'vectors')).sort()).toEqual(before);

      // The next open (which would not compact by itself) finishes, or forgets a compaction not yet committed.
      const library = await Library.open(dir);
      expectSameVectors(library, vectors);
      await library.close();
      expect(readdirSync(join(dir, 'vectors')).sort()).toEqual(['backbone.f32', 'embedding.f32']);
      expect(rowsOnDisk(dir, 'backbone.f32')).toBe(step === 'files-written' ? 61 : 30);
      expect(rowsOnDisk(dir, 'embedding.f32')).toBe(step === 'files-written' ? 61 : 30);
      expect(readdirSync(join(dir, 'vectors'))).not.toContain(COMPACTION_MARKER);

      // And the backup agrees with the files.
      writeFileSync(join(dir, 'faces.json'), 'not json');
      const restored = await Library.open(dir);
      expectSameVectors(restored, vectors);
      await restored.close();
    });
  }
});

import { mkdtemp, mkdir, readFile, rm, stat, truncate, writeFile, appendFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LibraryDamagedError, LibraryLockedError, NewerSchemaError } from '../../../main/store/errors.js';
import { Library } from '../../../main/store/library.js';
import type { FaceRecord, PhotoRecord } from '../../../main/store/types.js';

const DIM = 128;

function unitVector(seed: number): Float32Array {
  const v = new Float32Array(DIM);
  let s = seed * 9301 + 49297;
  for (let i = 0; i < DIM; i++) {
    s = (s * 9301 + 49297) % 233280;
    v[i] = s / 233280 - 0.5;
  }
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function photo(n: number): PhotoRecord {
  return {
    id: n.toString(16).padStart(16, '0').padEnd(64, 'a'),
    paths: [`/album/${n}.jpg`],
    missing: false,
    width: 100,
    height: 80,
    orientation: 1,
    takenAt: null,
    bytes: 1000,
    format: 'jpeg',
    analysis: { pipelineVersion: 'test', analysedAt: new Date(0).toISOString() },
    faceIds: [],
  };
}

function face(p: PhotoRecord, index: number, row: number): FaceRecord {
  const id = `${p.id.slice(0, 16)}-${index}`;
  return {
    id,
    photoId: p.id,
    box: [10, 10, 20, 20],
    score: 0.9,
    landmarks: [[15, 15]],
    vectorRow: row,
    personId: null,
    assignedBy: null,
    rejectedPersonIds: [],
    faceness: null,
    thumb: `thumbs/${id}.webp`,
  };
}

/** Stores `count` photos with two faces each, the way the importer does: vectors first, then one transaction. */
async function addPhotos(library: Library, from: number, count: number): Promise<void> {
  for (let n = from; n < from + count; n++) {
    const p = photo(n);
    const rows = await library.appendVectors([unitVector(n * 2), unitVector(n * 2 + 1)]);
    await library.transaction((tx) => {
      const faces = rows.map((row, i) => face(p, i, row));
      tx.faces.push(...faces);
      p.faceIds = faces.map((f) => f.id);
      tx.photos.push(p);
    });
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Library', () => {
  it('stores documents and vectors, searches them, and reopens from the persisted index', async () => {
    const library = await Library.open(dir);
    expect(library.repairs).toEqual([]);
    await addPhotos(library, 1, 5);
    expect(library.faces).toHaveLength(10);
    expect(library.vectorRows).toBe(10);
    const target = library.faces[7];
    const hits = library.search(unitVector(9), 3);
    expect(hits[0].faceId).toBe(target.id);
    expect(hits[0].distance).toBeLessThan(1e-4);
    // A filter leaving fewer candidates than asked for still answers (exactly).
    const only = library.search(unitVector(9), 5, (f) => f.id === library.faces[2].id);
    expect(only.map((h) => h.faceId)).toEqual([library.faces[2].id]);
    await library.close();

    expect((await stat(join(dir, 'vectors', 'backbone.f32'))).size).toBe(10 * DIM * 4);
    const reopened = await Library.open(dir);
    expect(reopened.repairs).toEqual([]); // the index on disk matched: no rebuild
    expect(reopened.indexSize).toBe(10);
    expect(Array.from(reopened.embeddingOf(reopened.face(target.id)!))).toEqual(Array.from(unitVector(9)));
    expect(reopened.search(unitVector(9), 1)[0].faceId).toBe(target.id);
    await reopened.close();
  });

  it('writes faces.json as JSON.stringify would, with landmarks serialised once and never edited in place', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 3);
    const first = library.faces[0];
    // Each decision rewrites faces.json; the landmarks' text is reused, so an edit in place must not go unsaved.
    expect(() => {
      (first.landmarks as Array<[number, number]>)[0] = [1, 1];
    }).toThrow(TypeError);
    await library.transaction((tx) => {
      tx.faces[1].landmarks = [[40.5, 41.25], [42, 43]];
      tx.faces[2].personId = 'person-x';
      tx.faces[2].faceness = 0.5;
    });
    const written = JSON.parse(await readFile(join(dir, 'faces.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify({ schemaVersion: written.schemaVersion, faces: library.faces })));
    expect(written.faces[1].landmarks).toEqual([[40.5, 41.25], [42, 43]]);
    await library.close();
    const reopened = await Library.open(dir);
    expect(reopened.repairs).toEqual([]);
    expect(reopened.faces[2]).toMatchObject({ personId: 'person-x', faceness: 0.5 });
    await reopened.close();

    // Landmarks are checked by hand (not rebuilt by zod): a damaged point is still a damaged document.
    const text = await readFile(join(dir, 'faces.json'), 'utf8');
    await writeFile(join(dir, 'faces.json'), text.replace('"landmarks":[[40.5,41.25]', '"landmarks":[[40.5,"x"]'));
    const repaired = await Library.open(dir);
    expect(repaired.repairs.find((r) => r.part === 'faces.json')?.problem).toMatch(/landmarks.*must be a list of \[x, y\] points/);
    expect(repaired.faces[1].landmarks).toEqual([[15, 15]]); // the copy kept before the last write
    await repaired.close();
  });

  it('refuses a second writer with a clear message and takes over the lock of a dead process', async () => {
    const library = await Library.open(dir);
    await expect(Library.open(dir)).rejects.toThrow(LibraryLockedError);
    await expect(Library.open(dir)).rejects.toThrow(/in use by another Familiar process/);
    const reader = await Library.open(dir, { readOnly: true });
    expect(reader.faces).toHaveLength(0);
    await reader.close();
    await library.close();

    // A lock left by a process that no longer exists (pid far above pid_max on Linux).
    await writeFile(join(dir, '.lock'), JSON.stringify({ pid: 2 ** 30, host: hostname(), startedAt: 'earlier' }));
    const takeover = await Library.open(dir);
    expect(takeover.repairs.map((r) => r.part)).toContain('.lock');
    await takeover.close();
  });

  it('restores a truncated document from its last good copy and reports it', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 3);
    await library.close();
    const facesFile = join(dir, 'faces.json');
    const full = await readFile(facesFile);
    await writeFile(facesFile, full.subarray(0, full.length / 2));

    const reopened = await Library.open(dir);
    const restored = reopened.repairs.find((r) => r.part === 'faces.json');
    expect(restored?.action).toMatch(/restored from the last good copy/);
    // The backup is the version before the last write: the third photo's faces are gone from faces.json, so that
    // photo is marked for re-analysis and its orphaned vector rows are trimmed; nothing else is lost.
    expect(reopened.faces).toHaveLength(4);
    expect(reopened.photos).toHaveLength(3);
    expect(reopened.photos.filter((p) => p.analysis === null)).toHaveLength(1);
    expect(reopened.vectorRows).toBe(4);
    expect(reopened.indexSize).toBe(4);
    await reopened.close();
    expect(JSON.parse(await readFile(facesFile, 'utf8')).faces).toHaveLength(4);
  });

  it('never starts empty over a damaged document without a backup', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 1); // one write each: no previous version to keep yet
    await library.close();
    await rm(join(dir, 'backups'), { recursive: true, force: true });
    await writeFile(join(dir, 'photos.json'), '{"schemaVersion":1,"photos":[{"id":');
    await expect(Library.open(dir)).rejects.toThrow(LibraryDamagedError);
    await expect(Library.open(dir)).rejects.toThrow(/will not start an empty one/);
    expect(await readFile(join(dir, 'photos.json'), 'utf8')).toBe('{"schemaVersion":1,"photos":[{"id":'); // untouched
  });

  it('refuses a library written by a newer schema without changing it', async () => {
    const library = await Library.open(dir);
    await library.close();
    const text = JSON.stringify({ schemaVersion: 99, photos: 'new shape' });
    await writeFile(join(dir, 'photos.json'), text);
    await expect(Library.open(dir)).rejects.toThrow(NewerSchemaError);
    await expect(Library.open(dir)).rejects.toThrow(/newer version of Familiar \(schema 99/);
    expect(await readFile(join(dir, 'photos.json'), 'utf8')).toBe(text);
  });

  it('trims vectors nobody references and drops faces pointing past the vectors', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 3);
    await library.appendVectors([unitVector(100), unitVector(101)]); // an import killed before its commit
    await library.close();
    await appendFile(join(dir, 'vectors', 'backbone.f32'), Buffer.alloc(100)); // and half a row

    let reopened = await Library.open(dir);
    expect(reopened.vectorRows).toBe(6);
    expect(reopened.repairs.map((r) => r.part)).toContain('vectors');
    await reopened.close();

    // Now the opposite: both vector files lost their last rows (e.g. restored from an older copy). One file cut
    // short alone is restored from the other while no head is in use (tests/reliability/damaged-library.test.ts).
    await truncate(join(dir, 'vectors', 'embedding.f32'), 5 * DIM * 4);
    await truncate(join(dir, 'vectors', 'backbone.f32'), 5 * DIM * 4);
    reopened = await Library.open(dir);
    expect(reopened.faces).toHaveLength(5);
    expect(reopened.photos.find((p) => p.id === photo(3).id)?.analysis).toBeNull();
    expect(reopened.repairs.find((r) => r.part === 'faces.json')?.problem).toMatch(/pointed past the 5 stored vectors/);
    expect(reopened.indexSize).toBe(5);
    await reopened.close();
  });

  it('rebuilds a missing or corrupt index from the vectors', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 4);
    await library.close();
    await writeFile(join(dir, 'index', 'embedding.hnsw'), 'garbage');
    let reopened = await Library.open(dir);
    expect(reopened.repairs.find((r) => r.part === 'index/embedding.hnsw')?.action).toBe('rebuilt from 8 stored vectors');
    expect(reopened.search(unitVector(6), 1)[0].faceId).toBe(reopened.faces[4].id);
    await reopened.close();
    await rm(join(dir, 'index'), { recursive: true });
    reopened = await Library.open(dir);
    expect(reopened.indexSize).toBe(8);
    await reopened.close();
  });

  it('keeps the previous state when a write fails', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 2);
    // Make the next faces.json write fail: its backup slot is occupied by a non-empty folder.
    await rm(join(dir, 'backups', 'faces.json'), { force: true });
    await mkdir(join(dir, 'backups', 'faces.json', 'blocker'), { recursive: true });
    await expect(addPhotos(library, 3, 1)).rejects.toThrow();
    expect(library.faces).toHaveLength(4);
    expect(library.photos).toHaveLength(2);
    expect(library.indexSize).toBe(4);
    await rm(join(dir, 'backups', 'faces.json'), { recursive: true });
    await addPhotos(library, 3, 1); // keeps running
    expect(library.faces).toHaveLength(6);
    await library.close();
  });
});

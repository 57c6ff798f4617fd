// hnswlib-node cosine index over the embedding rows of the library's faces (label = vectorRow), persisted as
// index/embedding.hnsw + embedding.meta.json. The meta records which rows were indexed and a checksum of their
// vectors; if the files are missing, unreadable or disagree with the vectors, the index is rebuilt from them.
import { createHash } from 'node:crypto';
import { open, stat, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { ensureDir, readFileIfExists, renameReplacing, writeFileAtomic } from './atomic.js';
import type { VectorFile } from './vectors.js';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

export const INDEX_DIR = 'index';
const INDEX_FILE = 'embedding.hnsw';
const META_FILE = 'embedding.meta.json';
const M = 16;
/**
 * Bytes every indexed vector takes in hnswlib's file at least: the vector, its label and its level-0 links (2·M).
 * Measured 660 bytes a face at 128 dimensions, which this gives as 652 (upper levels add the rest).
 */
const bytesPerEntry = (dim: number) => dim * 4 + 2 * M * 4 + 4 + 8;
/** Room an index write must find free beyond its estimated size. */
const SPARE_BYTES = 1024 * 1024;
const EF_CONSTRUCTION = 200;
const EF_SEARCH = 64;

interface IndexMeta {
  dim: number;
  count: number;
  /** Of the indexed rows and their vectors. */
  checksum: string;
  /** Of the .hnsw file itself: hnswlib's reader trusts its input, so a damaged file must never reach it. */
  fileSha256: string;
}

export interface IndexHit {
  row: number;
  /** Cosine distance, 1 - cos. */
  distance: number;
}

/** Checksum of exactly what the index holds: the sorted rows and their vectors. */
function checksumOf(rows: number[], vectors: VectorFile): string {
  const hash = createHash('sha256');
  const sorted = [...rows].sort((a, b) => a - b);
  hash.update(new Uint8Array(new Uint32Array(sorted).buffer));
  for (const row of sorted) {
    const v = vectors.row(row);
    hash.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
  return hash.digest('hex');
}

export class VectorIndex {
  private hnsw: Hnsw;
  private readonly rows = new Set<number>();
  private dirty = false;

  private constructor(
    private readonly dir: string,
    private readonly dim: number,
    capacity: number,
  ) {
    this.hnsw = new HierarchicalNSW('cosine', dim);
    this.hnsw.initIndex({ maxElements: Math.max(capacity, 256), m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 100, allowReplaceDeleted: true });
    this.hnsw.setEf(EF_SEARCH);
  }

  /**
   * Opens the persisted index if it matches `rows` of `vectors`, else rebuilds it. `rebuiltBecause` is null when the
   * stored index was used (or there is nothing to index), else why it was rebuilt.
   */
  static async open(libraryDir: string, vectors: VectorFile, rows: number[]): Promise<{ index: VectorIndex; rebuiltBecause: string | null }> {
    const dir = join(libraryDir, INDEX_DIR);
    const reason = await VectorIndex.checkStored(dir, vectors, rows);
    if (reason === null) {
      const index = new VectorIndex(dir, vectors.dim, rows.length);
      try {
        index.hnsw.readIndexSync(join(dir, INDEX_FILE), true);
        index.hnsw.setEf(EF_SEARCH);
        for (const row of rows) index.rows.add(row);
        return { index, rebuiltBecause: null };
      } catch (err) {
        return { index: VectorIndex.build(dir, vectors, rows), rebuiltBecause: `the index file could not be read (${(err as Error).message})` };
      }
    }
    const index = VectorIndex.build(dir, vectors, rows);
    return { index, rebuiltBecause: rows.length === 0 && reason === 'missing' ? null : reason };
  }

  private static async checkStored(dir: string, vectors: VectorFile, rows: number[]): Promise<string | null> {
    const metaBytes = await readFileIfExists(join(dir, META_FILE));
    const indexBytes = await readFileIfExists(join(dir, INDEX_FILE));
    if (!metaBytes || !indexBytes) return 'missing';
    let meta: IndexMeta;
    try {
      meta = JSON.parse(metaBytes.toString('utf8')) as IndexMeta;
    } catch {
      return 'its meta file is damaged';
    }
    if (meta.dim !== vectors.dim) return `it has ${meta.dim} dimensions, the vectors ${vectors.dim}`;
    if (meta.count !== rows.length) return `it holds ${meta.count} vectors, the library ${rows.length}`;
    // A file cut short (written on a full disk) is not handed to hnswlib, whose reader can crash on it.
    if (indexBytes.length < rows.length * bytesPerEntry(vectors.dim)) return 'the index file is cut short';
    if (createHash('sha256').update(indexBytes).digest('hex') !== meta.fileSha256) return 'the index file is damaged';
    if (meta.checksum !== checksumOf(rows, vectors)) return 'its checksum does not match the stored vectors';
    return null;
  }

  static build(dir: string, vectors: VectorFile, rows: number[]): VectorIndex {
    const index = new VectorIndex(dir, vectors.dim, Math.ceil(rows.length * 1.25));
    for (const row of rows) index.add(row, vectors.row(row));
    index.dirty = true;
    return index;
  }

  get size(): number {
    return this.rows.size;
  }

  has(row: number): boolean {
    return this.rows.has(row);
  }

  indexedRows(): number[] {
    return [...this.rows];
  }

  add(row: number, vector: Float32Array): void {
    if (this.rows.has(row)) return;
    if (this.hnsw.getCurrentCount() >= this.hnsw.getMaxElements()) this.hnsw.resizeIndex(Math.ceil(this.hnsw.getMaxElements() * 1.5) + 16);
    this.hnsw.addPoint(Array.from(vector), row, true);
    this.rows.add(row);
    this.dirty = true;
  }

  remove(row: number): void {
    if (!this.rows.delete(row)) return;
    this.hnsw.markDelete(row);
    this.dirty = true;
  }

  search(vector: Float32Array, k: number, filter?: (row: number) => boolean): IndexHit[] {
    const n = Math.min(k, this.rows.size);
    if (n <= 0) return [];
    const result = this.hnsw.searchKnn(Array.from(vector), n, filter);
    return result.neighbors.map((row, i) => ({ row, distance: result.distances[i] }));
  }

  /** Writes index then meta (each atomically): a crash between them leaves a stale meta, which forces a rebuild. */
  async save(vectors: VectorFile): Promise<void> {
    if (!this.dirty) return;
    await ensureDir(this.dir);
    const temp = join(this.dir, `.${INDEX_FILE}.${process.pid}.tmp`);
    let fileSha256: string;
    // hnswlib writes a file cut short on a full disk without a word, and its reader can crash on such a file (QA:
    // a segmentation fault after the disk filled). So the room is checked before, and the size after.
    const expected = this.rows.size * bytesPerEntry(this.dim);
    const free = await statfs(this.dir).then((f) => f.bavail * f.bsize, () => Number.POSITIVE_INFINITY);
    if (free < expected + SPARE_BYTES) throw diskFull(this.dir);
    try {
      this.hnsw.writeIndexSync(temp);
      // On Windows hnswlib opens the path in the ANSI code page: under a folder with other characters (C:\Users\José)
      // it writes nothing and says nothing. The index is then kept in memory only (see Library.saveIndexOrLeaveIt).
      const written = await stat(temp).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
      if (written === null) throw new IndexNotWrittenError(temp);
      if (written.size < expected) throw diskFull(this.dir);
      const handle = await open(temp, 'r+');
      try {
        fileSha256 = createHash('sha256').update(await handle.readFile()).digest('hex');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await renameReplacing(temp, join(this.dir, INDEX_FILE));
    } catch (err) {
      await unlink(temp).catch(() => {});
      throw err;
    }
    const rows = this.indexedRows();
    const meta: IndexMeta = { dim: this.dim, count: rows.length, checksum: checksumOf(rows, vectors), fileSha256 };
    await writeFileAtomic(join(this.dir, META_FILE), JSON.stringify(meta));
    this.dirty = false;
  }

  /** Makes the saved index of a library stale without opening it: the next open rebuilds it. */
  static async discard(libraryDir: string): Promise<void> {
    await unlink(join(libraryDir, INDEX_DIR, META_FILE)).catch(() => {});
  }

  /** Forgets the persisted copy (e.g. before the vectors it describes change). */
  async invalidate(): Promise<void> {
    await unlink(join(this.dir, META_FILE)).catch(() => {});
    this.dirty = true;
  }
}

/** The error a write on a full disk raises, for an index write found short: callers treat it as one. */
function diskFull(dir: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, writing the face index in ${dir}`), { code: 'ENOSPC' });
}

/** hnswlib returned from a write that produced no file (a path it cannot open on Windows). */
export class IndexNotWrittenError extends Error {
  constructor(readonly file: string) {
    super(`The face index could not be written to ${file} (no file was produced); it is rebuilt on the next open.`);
    this.name = 'IndexNotWrittenError';
  }
}

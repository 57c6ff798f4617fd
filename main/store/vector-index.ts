// hnswlib-node cosine index over the embedding rows of the library's faces (label = vectorRow), persisted as
// index/embedding.hnsw + embedding.meta.json. The meta records which rows were indexed and a checksum of their
// vectors; if the files are missing, unreadable or disagree with the vectors, the index is rebuilt from them.
import { createHash } from 'node:crypto';
import { open, stat, statfs, unlink } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { plural } from '../../preload/contract.js';
import hnswlib from 'hnswlib-node';
import { ensureDir, readFileIfExists, renameReplacing, writeFileAtomic } from './atomic.js';
import { throwIfCancelled } from '../jobs/progress.js';
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
/** Points put in the graph between two turns of other work (a Ctrl-C) while it is built: a fraction of a second. */
const POINTS_BETWEEN_TURNS = 2000;
const EF_SEARCH = 64;
/**
 * Share of the rows an index must take in anew from which follow() builds it again in one pass. At 100,000 faces a
 * fresh insert costs hnswlib about 75 µs, an insert in a deleted element's place (replaceDeleted) 280 µs when few are
 * deleted and far more when most are: a full look-again took 315 s point by point, 9 s built again (bench:store).
 * Point by point is dearer from about a fifth on.
 */
export const REBUILD_SHARE = 0.2;

interface IndexMeta {
  dim: number;
  count: number;
  /** Of the indexed rows and their vectors. */
  checksum: string;
  /** Of the .hnsw file itself: hnswlib's reader trusts its input, so a damaged file must never reach it. */
  fileSha256: string;
}

/** An index built again on open (VectorIndex.buildStepwise): what stops it, and who is told how far it got. */
export interface Building {
  signal?: AbortSignal;
  onBuilt?: (built: number, of: number) => void;
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
  // Consecutive rows in one update (the same bytes in the same order): after a compaction every row is.
  const all = vectors.all();
  for (let first = 0; first < sorted.length; ) {
    let end = first + 1;
    while (end < sorted.length && sorted[end] === sorted[end - 1] + 1) end++;
    vectors.row(sorted[end - 1]); // throws for a row past the end, as reading each row did
    const run = all.subarray(sorted[first] * vectors.dim, (sorted[end - 1] + 1) * vectors.dim);
    hash.update(new Uint8Array(run.buffer, run.byteOffset, run.byteLength));
    first = end;
  }
  return hash.digest('hex');
}

export class VectorIndex {
  private hnsw: Hnsw;
  private readonly rows = new Set<number>();
  /**
   * Rows whose element hnswlib keeps, marked deleted, under their label (a face removed). A row given back
   * (Library.releaseRows) and used again by a new face must get that element back: added with replaceDeleted it would
   * take another deleted element's place, leaving two elements with its label, and when that first element is reused
   * hnswlib forgets the live one (its markDelete then fails with "Label not found", the point stays in the graph).
   * May hold rows whose element was since given to another row (add then falls back to replaceDeleted).
   */
  private readonly deletedRows = new Set<number>();
  private dirty = false;

  private constructor(
    private readonly dir: string,
    private readonly dim: number,
    capacity: number,
  ) {
    this.hnsw = VectorIndex.emptyGraph(dim, capacity);
  }

  private static emptyGraph(dim: number, capacity: number): Hnsw {
    const hnsw = new HierarchicalNSW('cosine', dim);
    hnsw.initIndex({ maxElements: Math.max(capacity, 256), m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 100, allowReplaceDeleted: true });
    hnsw.setEf(EF_SEARCH);
    return hnsw;
  }

  /**
   * Opens the persisted index if it matches `rows` of `vectors`, else rebuilds it. `rebuiltBecause` is null when the
   * stored index was used (or there is nothing to index), else why it was rebuilt.
   */
  static async open(libraryDir: string, vectors: VectorFile, rows: number[], building?: Building): Promise<{ index: VectorIndex; rebuiltBecause: string | null }> {
    const dir = join(libraryDir, INDEX_DIR);
    const reason = await VectorIndex.checkStored(dir, vectors, rows);
    if (reason === null) {
      const index = new VectorIndex(dir, vectors.dim, rows.length);
      let labelsHeldTwice: boolean;
      try {
        index.hnsw.readIndexSync(join(dir, INDEX_FILE), true);
        index.hnsw.setEf(EF_SEARCH);
        for (const row of rows) index.rows.add(row);
        labelsHeldTwice = !index.learnDeletedRows();
      } catch (err) {
        return { index: await VectorIndex.buildStepwise(dir, vectors, rows, building), rebuiltBecause: `the index file could not be read (${(err as Error).message})` };
      }
      // Saved by a build that reused a removed face's row in another element's place (see deletedRows).
      if (labelsHeldTwice) return { index: await VectorIndex.buildStepwise(dir, vectors, rows, building), rebuiltBecause: 'it held some faces twice' };
      return { index, rebuiltBecause: null };
    }
    const index = await VectorIndex.buildStepwise(dir, vectors, rows, building);
    return { index, rebuiltBecause: rows.length === 0 && reason === 'missing' ? null : reason };
  }

  private static async checkStored(dir: string, vectors: VectorFile, rows: number[]): Promise<string | null> {
    const stored = await VectorIndex.readStored(dir, vectors, rows);
    return typeof stored === 'string' ? stored : null;
  }

  /** The saved index file when it is the index of `rows` of `vectors`, else why it is not. */
  private static async readStored(dir: string, vectors: VectorFile, rows: number[]): Promise<Buffer | string> {
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
    if (meta.count !== rows.length) return `it holds ${plural(meta.count, 'vector')}, the library ${rows.length}`;
    // A file cut short (written on a full disk) is not handed to hnswlib, whose reader can crash on it.
    if (indexBytes.length < rows.length * bytesPerEntry(vectors.dim)) return 'the index file is cut short';
    if (createHash('sha256').update(indexBytes).digest('hex') !== meta.fileSha256) return 'the index file is damaged';
    if (meta.checksum !== checksumOf(rows, vectors)) return 'its checksum does not match the stored vectors';
    return indexBytes;
  }

  static build(dir: string, vectors: VectorFile, rows: readonly number[]): VectorIndex {
    const index = new VectorIndex(dir, vectors.dim, Math.ceil(rows.length * 1.25));
    for (const row of rows) index.add(row, vectors.row(row));
    index.dirty = true;
    return index;
  }

  /**
   * build(), giving other work a turn every few thousand points, saying how far it got, and stopping there
   * (JobCancelledError) once `signal` fires: at 100,000 faces it takes most of a minute, which a Ctrl-C had to wait
   * out. The same index as build().
   */
  static async buildStepwise(dir: string, vectors: VectorFile, rows: readonly number[], building: Building = {}): Promise<VectorIndex> {
    const index = new VectorIndex(dir, vectors.dim, Math.ceil(rows.length * 1.25));
    for (let i = 0; i < rows.length; i++) {
      if (i > 0 && i % POINTS_BETWEEN_TURNS === 0) {
        building.onBuilt?.(i, rows.length);
        await new Promise(setImmediate);
        throwIfCancelled(building.signal, 'open');
      }
      index.add(rows[i], vectors.row(rows[i]));
    }
    index.dirty = true;
    return index;
  }

  /**
   * Makes the index hold exactly `rows` of `vectors`: point by point, or built again in one pass when at least
   * `rebuildShare` of the rows are new to it (a look-again gives every face a new vector row), which also leaves no
   * deleted elements behind. Either way it is the index open would build for these rows, so searches answer the same.
   */
  follow(rows: readonly number[], vectors: VectorFile, rebuildShare = REBUILD_SHARE): void {
    const wanted = new Set(rows);
    const added: number[] = [];
    for (const row of wanted) if (!this.rows.has(row)) added.push(row);
    if (added.length > 0 && added.length >= wanted.size * rebuildShare) {
      // Every vector is read before the graph is replaced: a row outside the files throws with the index unchanged.
      const points = [...wanted].map((row) => ({ row, vector: vectors.row(row) }));
      this.hnsw = VectorIndex.emptyGraph(this.dim, Math.ceil(wanted.size * 1.25));
      this.rows.clear();
      this.deletedRows.clear();
      for (const { row, vector } of points) this.add(row, vector);
      this.dirty = true;
      return;
    }
    for (const row of this.rows) if (!wanted.has(row)) this.remove(row);
    for (const row of added) this.add(row, vectors.row(row));
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

  /**
   * Fills deletedRows from a file just read: every label hnswlib knows that is not a live row. False when an element's
   * label is another's too, or a live row has no element: the file is not the index of these rows.
   */
  private learnDeletedRows(): boolean {
    const labels = this.hnsw.getIdsList();
    if (labels.length !== this.hnsw.getCurrentCount()) return false;
    let live = 0;
    for (const label of labels) {
      if (this.rows.has(label)) live++;
      else this.deletedRows.add(label);
    }
    return live === this.rows.size;
  }

  add(row: number, vector: Float32Array): void {
    if (this.rows.has(row)) return;
    if (!(this.deletedRows.delete(row) && this.revive(row, vector))) {
      if (this.hnsw.getCurrentCount() >= this.hnsw.getMaxElements()) this.hnsw.resizeIndex(Math.ceil(this.hnsw.getMaxElements() * 1.5) + 16);
      this.hnsw.addPoint(Array.from(vector), row, true);
    }
    this.rows.add(row);
    this.dirty = true;
  }

  /** Gives a row its own deleted element back, with its new vector. False when that element went to another row. */
  private revive(row: number, vector: Float32Array): boolean {
    try {
      this.hnsw.unmarkDelete(row);
    } catch {
      return false; // "Label not found": a later add took the element over (replaceDeleted)
    }
    this.hnsw.addPoint(Array.from(vector), row, false); // an existing label: its vector replaced, its links redone
    return true;
  }

  remove(row: number): void {
    if (!this.rows.delete(row)) return;
    this.hnsw.markDelete(row);
    this.deletedRows.add(row);
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

  /**
   * The saved index file of a library when it is the index of `rows` of `vectors` (checked as open checks it), else
   * null. A compaction renumbers it (saveRenumbered) instead of rebuilding it.
   */
  static async readSaved(libraryDir: string, vectors: VectorFile, rows: number[]): Promise<Buffer | null> {
    const stored = await VectorIndex.readStored(join(libraryDir, INDEX_DIR), vectors, rows);
    return typeof stored === 'string' ? null : stored;
  }

  /**
   * Saves `file` (from readSaved) as the index of `vectors` with every row renumbered by `newRow`: its graph and
   * vectors stay as they are, only the labels change, which takes a moment where building the index again takes most
   * of a minute at 100,000 faces. The meta is written last, as save() does. False when the file is not laid out as
   * renumberHnswLabels expects or holds other rows (nothing written: open rebuilds the index).
   */
  static async saveRenumbered(libraryDir: string, file: Buffer, newRow: ReadonlyMap<number, number>, vectors: VectorFile): Promise<boolean> {
    if (!renumberHnswLabels(file, vectors.dim, newRow)) return false;
    const dir = join(libraryDir, INDEX_DIR);
    await ensureDir(dir);
    await writeFileAtomic(join(dir, INDEX_FILE), file);
    const rows = [...newRow.values()];
    const meta: IndexMeta = { dim: vectors.dim, count: rows.length, checksum: checksumOf(rows, vectors), fileSha256: createHash('sha256').update(file).digest('hex') };
    await writeFileAtomic(join(dir, META_FILE), JSON.stringify(meta));
    return true;
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

// hnswlib's index file (hnswalg.h, saveIndex): a header of 13 fields, then each element's level-0 block (its link
// count and flags, links, vector, label), then each element's upper-level links. Native byte order and size_t.
const HEADER_BYTES = 96;
const SIZE_T = 8;
/** Labels given to deleted elements (plus their place): never a row number, and no two elements share a label. */
const DELETED_LABEL_BASE = 2 ** 52;

/**
 * Rewrites, in place, the label of every element of hnswlib index `file` (vectors of `dim` floats): a live element's
 * label is a row, and becomes newRow.get(row); a deleted element gets a label no row will ever have. False, with
 * `file` unusable, when the layout is not the one expected (another hnswlib, a 32-bit build, damage) or the live
 * labels are not exactly the keys of `newRow`.
 */
export function renumberHnswLabels(file: Buffer, dim: number, newRow: ReadonlyMap<number, number>): boolean {
  if (endianness() !== 'LE' || file.length < HEADER_BYTES) return false;
  const field = (at: number) => Number(file.readBigUInt64LE(at));
  const [offsetLevel0, maxElements, count, bytesPerElement, labelOffset, dataOffset] = [0, 8, 16, 24, 32, 40].map(field);
  const [maxM, maxM0] = [56, 64].map(field);
  const linksLevel0 = maxM0 * 4 + 4;
  if (offsetLevel0 !== 0 || count > maxElements || count >= 2 ** 32 || dataOffset !== linksLevel0 || labelOffset !== dataOffset + dim * 4 || bytesPerElement !== labelOffset + SIZE_T) {
    return false;
  }
  // The upper levels follow the level-0 blocks: walking them must end exactly at the end of the file.
  let at = HEADER_BYTES + count * bytesPerElement;
  for (let i = 0; i < count; i++) {
    if (at + 4 > file.length) return false;
    const bytes = file.readUInt32LE(at);
    if (bytes % (maxM * 4 + 4) !== 0) return false;
    at += 4 + bytes;
  }
  if (at !== file.length) return false;
  let live = 0;
  const seen = new Set<number>();
  for (let i = 0; i < count; i++) {
    const element = HEADER_BYTES + i * bytesPerElement;
    // Labels as two 32-bit halves: rows are below 2^32, and BigInt for each of 100,000 labels is slow.
    const label = element + labelOffset;
    if ((file[element + 2] & 1) !== 0) {
      // Deleted: DELETED_LABEL_BASE + i.
      file.writeUInt32LE(i, label);
      file.writeUInt32LE(DELETED_LABEL_BASE / 2 ** 32, label + 4);
      continue;
    }
    const row = file.readUInt32LE(label);
    const renumbered = newRow.get(row);
    if (file.readUInt32LE(label + 4) !== 0 || renumbered === undefined || seen.has(row)) return false;
    seen.add(row);
    file.writeUInt32LE(renumbered, label);
    live++;
  }
  return live === newRow.size;
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

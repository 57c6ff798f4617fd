// A file of Float32 rows (vectors/backbone.f32, vectors/embedding.f32), mirrored in memory. Rows are appended and
// fsynced before any document references them; a crash can only leave extra rows (or half a row) at the tail,
// which open() trims.
import { open, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensureDir, writeFileAtomic } from './atomic.js';

const BYTES_PER_FLOAT = 4;

export class VectorFile {
  private buffer: Float32Array;
  private count: number;

  private constructor(
    readonly file: string,
    readonly dim: number,
    data: Float32Array,
    rows: number,
    private readonly readOnly: boolean,
  ) {
    this.buffer = data;
    this.count = rows;
  }

  /** Loads the rows; `partialBytes` > 0 means the file ended mid-row (a write was interrupted). */
  static async load(file: string, dim: number, readOnly: boolean): Promise<{ vectors: VectorFile; partialBytes: number }> {
    const rowBytes = dim * BYTES_PER_FLOAT;
    const handle = await open(file, 'r').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
    if (handle === null) return { vectors: new VectorFile(file, dim, new Float32Array(64 * dim), 0, readOnly), partialBytes: 0 };
    try {
      // Read straight into the rows' array: reading the file into a buffer and copying it allocated every file twice
      // (at 100,000 faces 50-100 MB more a file, and the full garbage collections that allocation brings).
      const size = (await handle.stat()).size;
      const data = new Float32Array(Math.max(Math.floor(size / rowBytes), 64) * dim);
      const into = new Uint8Array(data.buffer, 0, Math.floor(size / rowBytes) * rowBytes);
      let length = 0;
      while (length < into.length) {
        const { bytesRead } = await handle.read(into, length, Math.min(into.length - length, 1 << 30), length);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      // The partial row past the last whole one, if any (a short read means the file was cut meanwhile).
      if (length === into.length) length = size;
      const rows = Math.floor(length / rowBytes);
      return { vectors: new VectorFile(file, dim, data, rows, readOnly), partialBytes: length - rows * rowBytes };
    } finally {
      await handle.close();
    }
  }

  get rows(): number {
    return this.count;
  }

  /** View of one row (valid until the next append). */
  row(index: number): Float32Array {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) {
      throw new RangeError(`Vector row ${index} is outside ${this.file} (${this.count} rows).`);
    }
    return this.buffer.subarray(index * this.dim, (index + 1) * this.dim);
  }

  /** All rows as one view (row-major), valid until the next append. */
  all(): Float32Array {
    return this.buffer.subarray(0, this.count * this.dim);
  }

  /** Appends rows (row-major, length multiple of dim) durably; returns the first new row number. */
  async append(rows: Float32Array): Promise<number> {
    if (this.readOnly) throw new Error(`${this.file} is open read-only.`);
    if (rows.length % this.dim !== 0) throw new RangeError(`Appending ${rows.length} floats to rows of ${this.dim}.`);
    const first = this.count;
    const added = rows.length / this.dim;
    if (added === 0) return first;
    await ensureDir(dirname(this.file));
    // Positional write at the logical end: a write that failed half-way (disk full) is simply overwritten by the next
    // append, and leftover bytes past the last referenced row are trimmed on open.
    const handle = await open(this.file, 'r+').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return open(this.file, 'w');
      throw err;
    });
    try {
      await handle.write(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength), 0, rows.byteLength, first * this.dim * BYTES_PER_FLOAT);
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.ensureCapacity(first + added);
    this.buffer.set(rows, first * this.dim);
    this.count = first + added;
    return first;
  }

  /** Drops rows past `rows` (file and memory). */
  async truncateTo(rows: number): Promise<void> {
    if (rows >= this.count && !this.readOnly) {
      const size = (await stat(this.file).catch(() => null))?.size ?? 0;
      if (size > rows * this.dim * BYTES_PER_FLOAT) await truncate(this.file, rows * this.dim * BYTES_PER_FLOAT);
      return;
    }
    this.count = Math.min(this.count, rows);
    if (!this.readOnly) await truncate(this.file, rows * this.dim * BYTES_PER_FLOAT).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /** Sets every row (a repair on open): rewritten atomically on disk, or only in memory when read-only. */
  async overwrite(rows: Float32Array): Promise<void> {
    if (rows.length % this.dim !== 0) throw new RangeError(`Overwriting rows of ${this.dim} with ${rows.length} floats.`);
    if (!this.readOnly) {
      await ensureDir(dirname(this.file));
      await writeFileAtomic(this.file, new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength));
    }
    const copy = new Float32Array(Math.max(rows.length, 64 * this.dim));
    copy.set(rows);
    this.buffer = copy;
    this.count = rows.length / this.dim;
  }

  /** Replaces every row at once (atomic rename): used when the embedding in use changes. */
  static async replace(file: string, dim: number, rows: Float32Array): Promise<VectorFile> {
    await ensureDir(dirname(file));
    await writeFileAtomic(file, new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength));
    const copy = new Float32Array(Math.max(rows.length, 64 * dim));
    copy.set(rows);
    return new VectorFile(file, dim, copy, rows.length / dim, false);
  }

  private ensureCapacity(rows: number): void {
    if (rows * this.dim <= this.buffer.length) return;
    const grown = new Float32Array(Math.max(rows, Math.ceil((this.buffer.length / this.dim) * 1.5)) * this.dim);
    grown.set(this.buffer.subarray(0, this.count * this.dim));
    this.buffer = grown;
  }
}

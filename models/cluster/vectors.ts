// Face vectors as one row-major Float32Array: a million 128-d faces are one 512 MB buffer, not a million objects.
// Rows are L2-normalized, so cosine distance is 1 - dot product.

export interface VectorSet {
  dim: number;
  count: number;
  /** count * dim floats, row i at [i * dim, (i + 1) * dim). */
  data: Float32Array;
}

/** Copies rows into one buffer and L2-normalizes each (a zero row stays zero and is far from everything). */
export function vectorSetFromRows(rows: ArrayLike<number>[], dim?: number): VectorSet {
  const d = dim ?? (rows.length > 0 ? rows[0].length : 0);
  const data = new Float32Array(rows.length * d);
  rows.forEach((row, i) => {
    if (row.length !== d) throw new Error(`Vector ${i} has ${row.length} numbers where ${d} were expected.`);
    for (let j = 0; j < d; j++) data[i * d + j] = row[j];
  });
  const set = { dim: d, count: rows.length, data };
  normalizeRows(set);
  return set;
}

export function normalizeRows(set: VectorSet): void {
  const { dim, count, data } = set;
  for (let i = 0; i < count; i++) {
    let sum = 0;
    const base = i * dim;
    for (let j = 0; j < dim; j++) sum += data[base + j] * data[base + j];
    if (sum === 0) continue;
    const inv = 1 / Math.sqrt(sum);
    for (let j = 0; j < dim; j++) data[base + j] *= inv;
  }
}

export function row(set: VectorSet, i: number): Float32Array {
  return set.data.subarray(i * set.dim, (i + 1) * set.dim);
}

export function dot(set: VectorSet, i: number, j: number): number {
  const { dim, data } = set;
  const a = i * dim;
  const b = j * dim;
  let s = 0;
  for (let k = 0; k < dim; k++) s += data[a + k] * data[b + k];
  return s;
}

/** Cosine distance of two unit rows, clamped to [0, 2] against rounding. */
export function cosineDistance(set: VectorSet, i: number, j: number): number {
  const d = 1 - dot(set, i, j);
  return d < 0 ? 0 : d > 2 ? 2 : d;
}

export function cosineDistanceOf(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < a.length; k++) {
    s += a[k] * b[k];
    na += a[k] * a[k];
    nb += b[k] * b[k];
  }
  if (na === 0 || nb === 0) return 1;
  const d = 1 - s / Math.sqrt(na * nb);
  return d < 0 ? 0 : d > 2 ? 2 : d;
}

/** A subset of rows (by index) as a new set. */
export function selectRows(set: VectorSet, indices: ArrayLike<number>): VectorSet {
  const { dim } = set;
  const data = new Float32Array(indices.length * dim);
  for (let i = 0; i < indices.length; i++) data.set(row(set, indices[i]), i * dim);
  return { dim, count: indices.length, data };
}

/** Mean of some rows, L2-normalized: a person's centroid direction. */
export function centroid(set: VectorSet, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(set.dim);
  for (let i = 0; i < indices.length; i++) {
    const base = indices[i] * set.dim;
    for (let k = 0; k < set.dim; k++) out[k] += set.data[base + k];
  }
  let norm = 0;
  for (let k = 0; k < set.dim; k++) norm += out[k] * out[k];
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let k = 0; k < set.dim; k++) out[k] *= inv;
  }
  return out;
}

// The trainable embedder head: backbone vector (128-d) -> embedding used everywhere (clustering, kNN, suggestions).
//
//   y = x + x·A + relu(x·W1 + b1)·W2 + b2,   embedding = y / |y|
//
// The residual path makes the head start as (almost exactly) the identity: A and b2 start at zero and W2 very
// small, so an untrained head reproduces the raw backbone's neighbourhoods, and weight decay on A, W2 pulls a
// head trained on few faces back towards the raw backbone instead of letting it drift for unseen people.
// A is a full linear map (a learned Mahalanobis metric); the MLP branch adds the non-linear corrections.
// hiddenDim 0 is a linear head (no MLP branch: w1, b1, w2 are empty), the training default: with a few faces
// per person the MLP branch fitted the confirmations and cost verification on everyone else.
import { gaussian } from './random.js';

export const HEAD_FORMAT = 'familiar-embedder-head';
export const HEAD_FORMAT_VERSION = 1;

export interface HeadWeights {
  inputDim: number;
  hiddenDim: number;
  /** inputDim x inputDim, row-major (x·A). */
  linear: Float32Array;
  /** inputDim x hiddenDim. */
  w1: Float32Array;
  /** hiddenDim. */
  b1: Float32Array;
  /** hiddenDim x inputDim. */
  w2: Float32Array;
  /** inputDim. */
  b2: Float32Array;
}

export const HEAD_TENSORS = ['linear', 'w1', 'b1', 'w2', 'b2'] as const;
export type HeadTensorName = (typeof HEAD_TENSORS)[number];

export function headTensorShape(name: HeadTensorName, inputDim: number, hiddenDim: number): number[] {
  switch (name) {
    case 'linear':
      return [inputDim, inputDim];
    case 'w1':
      return [inputDim, hiddenDim];
    case 'b1':
      return [hiddenDim];
    case 'w2':
      return [hiddenDim, inputDim];
    case 'b2':
      return [inputDim];
  }
}

/** A fresh head that is the identity up to a tiny perturbation of the MLP branch (so W1 receives gradients). */
export function createInitialHead(inputDim: number, hiddenDim: number, random: () => number, w2Scale = 1e-3): HeadWeights {
  const w1 = new Float32Array(inputDim * hiddenDim);
  const he = Math.sqrt(2 / inputDim);
  for (let i = 0; i < w1.length; i++) w1[i] = gaussian(random) * he;
  const w2 = new Float32Array(hiddenDim * inputDim);
  for (let i = 0; i < w2.length; i++) w2[i] = gaussian(random) * w2Scale;
  return {
    inputDim,
    hiddenDim,
    linear: new Float32Array(inputDim * inputDim),
    w1,
    b1: new Float32Array(hiddenDim),
    w2,
    b2: new Float32Array(inputDim),
  };
}

/** L2-normalises each row of a row-major matrix in place (zero rows stay zero). */
export function normalizeRows(rows: Float32Array, dim: number): Float32Array {
  for (let offset = 0; offset < rows.length; offset += dim) {
    let sum = 0;
    for (let k = 0; k < dim; k++) sum += rows[offset + k] * rows[offset + k];
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let k = 0; k < dim; k++) rows[offset + k] *= scale;
  }
  return rows;
}

/**
 * Applies a head to `rows` (row-major, n x inputDim) in plain JS, returning L2-normalised embeddings.
 * `head === null` is the raw backbone (just normalised). No tensors: cheap enough (~80k multiply-adds per face)
 * for the import job to embed new faces with the active head on any thread.
 */
export function applyHead(head: HeadWeights | null, rows: Float32Array, inputDim = head?.inputDim ?? 128): Float32Array {
  if (rows.length % inputDim !== 0) {
    throw new Error(`The vectors have ${rows.length} values, not a multiple of the ${inputDim}-d input.`);
  }
  if (!head) return normalizeRows(Float32Array.from(rows), inputDim);
  const { hiddenDim, linear, w1, b1, w2, b2 } = head;
  const n = rows.length / inputDim;
  const out = new Float32Array(rows.length);
  const hidden = new Float32Array(hiddenDim);
  for (let r = 0; r < n; r++) {
    const x = r * inputDim;
    hidden.set(b1);
    for (let i = 0; i < inputDim; i++) {
      const xi = rows[x + i];
      if (xi === 0) continue;
      const w1Row = i * hiddenDim;
      for (let h = 0; h < hiddenDim; h++) hidden[h] += xi * w1[w1Row + h];
      const linRow = i * inputDim;
      for (let j = 0; j < inputDim; j++) out[x + j] += xi * linear[linRow + j];
    }
    for (let j = 0; j < inputDim; j++) out[x + j] += rows[x + j] + b2[j];
    for (let h = 0; h < hiddenDim; h++) {
      const a = hidden[h];
      if (a <= 0) continue;
      const w2Row = h * inputDim;
      for (let j = 0; j < inputDim; j++) out[x + j] += a * w2[w2Row + j];
    }
  }
  return normalizeRows(out, inputDim);
}

export interface SerializedHead {
  /** JSON-safe description: format, dimensions and where each tensor sits in `data`. */
  manifest: {
    format: typeof HEAD_FORMAT;
    formatVersion: number;
    inputDim: number;
    hiddenDim: number;
    tensors: Array<{ name: HeadTensorName; shape: number[]; offset: number; length: number }>;
  };
  /** All tensors, float32 little-endian, concatenated. */
  data: Uint8Array;
}

export function serializeHead(head: HeadWeights): SerializedHead {
  const tensors: SerializedHead['manifest']['tensors'] = [];
  let offset = 0;
  for (const name of HEAD_TENSORS) {
    const length = head[name].length;
    tensors.push({ name, shape: headTensorShape(name, head.inputDim, head.hiddenDim), offset, length });
    offset += length;
  }
  const floats = new Float32Array(offset);
  for (const t of tensors) floats.set(head[t.name], t.offset);
  const data = new Uint8Array(floats.byteLength);
  const view = new DataView(data.buffer);
  for (let i = 0; i < floats.length; i++) view.setFloat32(i * 4, floats[i], true);
  return {
    manifest: { format: HEAD_FORMAT, formatVersion: HEAD_FORMAT_VERSION, inputDim: head.inputDim, hiddenDim: head.hiddenDim, tensors },
    data,
  };
}

/** Reads a head back; any mismatch (format, sizes, non-finite weights) is a clear error, never a silent bad model. */
export function deserializeHead(manifest: unknown, data: Uint8Array): HeadWeights {
  const m = manifest as Partial<SerializedHead['manifest']> | null;
  if (!m || m.format !== HEAD_FORMAT) throw new Error('This file is not a Familiar embedder head.');
  if (m.formatVersion !== HEAD_FORMAT_VERSION) {
    throw new Error(`This embedder head has format version ${m.formatVersion}; this Familiar reads version ${HEAD_FORMAT_VERSION}.`);
  }
  const inputDim = Number(m.inputDim);
  const hiddenDim = Number(m.hiddenDim);
  if (!Number.isInteger(inputDim) || inputDim <= 0 || !Number.isInteger(hiddenDim) || hiddenDim < 0) {
    throw new Error('The embedder head has invalid dimensions.');
  }
  if (data.byteLength % 4 !== 0) throw new Error('The embedder head weights file is truncated.');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const total = data.byteLength / 4;
  const head: Partial<HeadWeights> = { inputDim, hiddenDim };
  for (const name of HEAD_TENSORS) {
    const entry = m.tensors?.find((t) => t.name === name);
    const expected = headTensorShape(name, inputDim, hiddenDim).reduce((a, b) => a * b, 1);
    if (!entry || entry.length !== expected || entry.offset < 0 || entry.offset + entry.length > total) {
      throw new Error(`The embedder head's "${name}" weights are missing or have the wrong size.`);
    }
    const values = new Float32Array(expected);
    for (let i = 0; i < expected; i++) {
      const v = view.getFloat32((entry.offset + i) * 4, true);
      if (!Number.isFinite(v)) throw new Error(`The embedder head's "${name}" weights contain a non-finite value.`);
      values[i] = v;
    }
    head[name] = values;
  }
  return head as HeadWeights;
}

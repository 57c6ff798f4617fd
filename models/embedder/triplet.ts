// Triplet selection for the embedder head (FaceNet, Schroff et al. 2015): every (anchor, positive) pair of a
// batch gets the semi-hard negative — the closest negative that is still farther than the positive — and,
// when no negative is that far, the farthest of the closer ones (so training never collapses onto the
// hardest, often mislabelled, negatives). The user's rejections ("this face is not P") are explicit
// negatives: each pair of P also gets the closest face in the batch that was rejected from P, whatever its
// distance, because the user said the backbone got exactly that one wrong.

/** Batch description for mining: one entry per slot in the batch. */
export interface MiningBatch {
  /** Person index of each slot, or -1 when the face is only in the batch as a rejection (identity unknown). */
  labels: Int32Array;
  /** Person indices each slot's face was rejected from (empty arrays for most faces). */
  rejected: ReadonlyArray<readonly number[]>;
}

export interface Triplets {
  anchors: Int32Array;
  positives: Int32Array;
  negatives: Int32Array;
  /** How many of the triplets (at the end of the arrays) come from explicit rejections. */
  rejectionCount: number;
}

/** Squared Euclidean distances between all rows of a row-major n x dim matrix (n x n, row-major). */
export function pairwiseSquaredDistances(rows: Float32Array, dim: number): Float32Array {
  const n = rows.length / dim;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += rows[i * dim + k] * rows[i * dim + k];
    norms[i] = s;
  }
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += rows[i * dim + k] * rows[j * dim + k];
      const d = Math.max(0, norms[i] + norms[j] - 2 * dot);
      out[i * n + j] = d;
      out[j * n + i] = d;
    }
  }
  return out;
}

/** True when slot j is known not to be the same person as slot i (different person, or a rejection either way). */
export function isNegativePair(batch: MiningBatch, i: number, j: number): boolean {
  const li = batch.labels[i];
  const lj = batch.labels[j];
  if (li >= 0 && lj >= 0 && li !== lj) return true;
  if (li >= 0 && batch.rejected[j].includes(li)) return true;
  if (lj >= 0 && batch.rejected[i].includes(lj)) return true;
  return false;
}

/**
 * Semi-hard triplets over all (anchor, positive) pairs of the batch, plus one rejection triplet per pair whose
 * person has a rejected face in the batch. `distances` is the n x n squared-distance matrix of the current
 * embeddings (mining is a selection: it needs no gradient).
 */
export function mineSemiHardTriplets(distances: Float32Array, batch: MiningBatch): Triplets {
  const n = batch.labels.length;
  if (distances.length !== n * n) throw new Error(`Mining needs a ${n}x${n} distance matrix, got ${distances.length} values.`);
  const anchors: number[] = [];
  const positives: number[] = [];
  const negatives: number[] = [];
  const rejA: number[] = [];
  const rejP: number[] = [];
  const rejN: number[] = [];
  // Per anchor: its negatives, and the faces rejected from its person.
  for (let a = 0; a < n; a++) {
    const label = batch.labels[a];
    if (label < 0) continue;
    const negativeSlots: number[] = [];
    let closestRejected = -1;
    for (let j = 0; j < n; j++) {
      if (j === a || !isNegativePair(batch, a, j)) continue;
      negativeSlots.push(j);
      if (batch.rejected[j].includes(label) && (closestRejected < 0 || distances[a * n + j] < distances[a * n + closestRejected])) {
        closestRejected = j;
      }
    }
    if (negativeSlots.length === 0) continue;
    for (let p = 0; p < n; p++) {
      if (p === a || batch.labels[p] !== label) continue;
      const dap = distances[a * n + p];
      let semiHard = -1;
      let farthestCloser = -1;
      for (const j of negativeSlots) {
        const dan = distances[a * n + j];
        if (dan > dap) {
          if (semiHard < 0 || dan < distances[a * n + semiHard]) semiHard = j;
        } else if (farthestCloser < 0 || dan > distances[a * n + farthestCloser]) {
          farthestCloser = j;
        }
      }
      anchors.push(a);
      positives.push(p);
      negatives.push(semiHard >= 0 ? semiHard : farthestCloser);
      if (closestRejected >= 0) {
        rejA.push(a);
        rejP.push(p);
        rejN.push(closestRejected);
      }
    }
  }
  return {
    anchors: Int32Array.from([...anchors, ...rejA]),
    positives: Int32Array.from([...positives, ...rejP]),
    negatives: Int32Array.from([...negatives, ...rejN]),
    rejectionCount: rejA.length,
  };
}

/** Mean hinge max(0, d(a,p) - d(a,n) + margin) over the triplets, from a squared-distance matrix (plain JS). */
export function tripletLossFromDistances(distances: Float32Array, n: number, triplets: Triplets, margin: number): number {
  const count = triplets.anchors.length;
  if (count === 0) return 0;
  let sum = 0;
  for (let t = 0; t < count; t++) {
    const a = triplets.anchors[t];
    sum += Math.max(0, distances[a * n + triplets.positives[t]] - distances[a * n + triplets.negatives[t]] + margin);
  }
  return sum / count;
}

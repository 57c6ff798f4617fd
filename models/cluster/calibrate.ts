// Thresholds measured on labelled faces: the "same person" distance (verification) and the incremental placement
// rule (threshold + margin), both from every pair / every face of a labelled set.
import { exactKnnGraph, type NeighbourGraph } from './knn.js';
import { placeFace, type PlacementRule } from './placement.js';
import { cosineDistance, type VectorSet } from './vectors.js';

export interface VerificationCalibration {
  /** Distance maximizing balanced accuracy ((TPR + TNR) / 2) over all pairs. */
  threshold: number;
  balancedAccuracy: number;
  /** Share of same-person pairs accepted at the largest threshold whose false-accept rate is <= 1e-3. */
  tarAtFar1e3: number;
  thresholdAtFar1e3: number;
  /** Distance under which 95% of same-person pairs fall: the loose bound for suggestions. */
  genuine95: number;
  genuinePairs: number;
  impostorPairs: number;
}

export function calibrateVerification(set: VectorSet, identity: ArrayLike<number>): VerificationCalibration {
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (let i = 0; i < set.count; i++) {
    for (let j = i + 1; j < set.count; j++) (identity[i] === identity[j] ? genuine : impostor).push(cosineDistance(set, i, j));
  }
  if (genuine.length === 0 || impostor.length === 0) throw new Error('Calibration needs at least two faces of one person and two people.');
  genuine.sort((a, b) => a - b);
  impostor.sort((a, b) => a - b);
  // Sweep thresholds over the merged sorted distances.
  let gi = 0;
  let ii = 0;
  let best = { threshold: 0, balancedAccuracy: 0 };
  let far = { threshold: 0, tar: 0 };
  const candidates = [...new Set([...genuine, ...impostor].map((d) => Number(d.toFixed(4))))].sort((a, b) => a - b);
  for (const t of candidates) {
    while (gi < genuine.length && genuine[gi] <= t) gi++;
    while (ii < impostor.length && impostor[ii] <= t) ii++;
    const tpr = gi / genuine.length;
    const fpr = ii / impostor.length;
    const ba = (tpr + 1 - fpr) / 2;
    if (ba > best.balancedAccuracy) best = { threshold: t, balancedAccuracy: ba };
    if (fpr <= 1e-3) far = { threshold: t, tar: tpr };
  }
  return {
    threshold: best.threshold,
    balancedAccuracy: best.balancedAccuracy,
    tarAtFar1e3: far.tar,
    thresholdAtFar1e3: far.threshold,
    genuine95: genuine[Math.min(genuine.length - 1, Math.floor(genuine.length * 0.95))],
    genuinePairs: genuine.length,
    impostorPairs: impostor.length,
  };
}

export interface PlacementScore extends PlacementRule {
  /** Share of placed faces placed with their own identity. */
  precision: number;
  /** Share of faces whose identity has other faces that got placed (correctly). */
  coverage: number;
  /** Share of one-off faces (no other face of theirs) wrongly placed into someone. */
  strangersPlaced: number;
}

/**
 * Leave-one-out: every face is "new", every other face is already in its identity's person. Scores the placement
 * rule for each (threshold, margin) pair.
 */
export function sweepPlacement(
  set: VectorSet,
  identity: ArrayLike<number>,
  thresholds: number[],
  margins: number[],
  graph: NeighbourGraph = exactKnnGraph(set, 20),
): PlacementScore[] {
  const counts = new Map<number, number>();
  for (let i = 0; i < set.count; i++) counts.set(identity[i], (counts.get(identity[i]) ?? 0) + 1);
  const out: PlacementScore[] = [];
  const neighbours = Array.from({ length: set.count }, (_, i) => {
    const list = [];
    for (let r = 0; r < graph.k; r++) {
      const j = graph.ids[i * graph.k + r];
      if (j < 0) break;
      list.push({ personId: String(identity[j]), distance: graph.dists[i * graph.k + r] });
    }
    return list;
  });
  for (const threshold of thresholds) {
    for (const margin of margins) {
      let placed = 0;
      let correct = 0;
      let placeable = 0;
      let strangers = 0;
      let strangersPlaced = 0;
      for (let i = 0; i < set.count; i++) {
        const own = (counts.get(identity[i]) ?? 0) > 1;
        if (own) placeable++;
        else strangers++;
        const p = placeFace(neighbours[i], { threshold, margin });
        if (!p) continue;
        placed++;
        if (p.personId === String(identity[i])) correct++;
        else if (!own) strangersPlaced++;
      }
      out.push({
        threshold,
        margin,
        precision: placed > 0 ? correct / placed : 1,
        coverage: placeable > 0 ? correct / placeable : 0,
        strangersPlaced: strangers > 0 ? strangersPlaced / strangers : 0,
      });
    }
  }
  return out;
}

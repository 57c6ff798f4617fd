// Chinese Whispers (Biemann 2006), as dlib uses it for faces: link faces closer than a threshold, start with every
// face in its own class, then repeatedly let each face (in a seeded random order) adopt the class with the largest
// total edge weight among its neighbours. Deterministic for a given seed.
import { finalizeLabels } from './labels.js';
import { radiusAdjacency, type NeighbourGraph } from './knn.js';
import { seededRandom, shuffledIndices } from './random.js';

export interface ChineseWhispersParams {
  /** Faces closer than this (cosine distance) are linked. */
  threshold: number;
  /** dlib uses 100. */
  iterations?: number;
  /** Weight edges by closeness (1 - d / threshold) instead of dlib's unit weights. */
  weighted?: boolean;
  /** Smallest group that counts as a person. */
  minSize?: number;
  seed?: number;
}

export function chineseWhispers(graph: NeighbourGraph, params: ChineseWhispersParams): Int32Array {
  const { threshold, iterations = 100, weighted = false, minSize = 2, seed = 1 } = params;
  const n = graph.count;
  const adj = radiusAdjacency(graph, threshold);
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) label[i] = i;
  const random = seededRandom(seed);
  const score = new Float64Array(n);
  const touched: number[] = [];
  for (let it = 0; it < iterations; it++) {
    const order = shuffledIndices(n, random);
    let changed = 0;
    for (let o = 0; o < n; o++) {
      const i = order[o];
      const start = adj.offsets[i];
      const end = adj.offsets[i + 1];
      if (start === end) continue;
      for (let e = start; e < end; e++) {
        const l = label[adj.targets[e]];
        if (score[l] === 0) touched.push(l);
        score[l] += weighted ? Math.max(1e-6, 1 - adj.dists[e] / threshold) : 1;
      }
      let best = label[i];
      let bestScore = -1;
      for (const l of touched) {
        // Ties go to the smaller label so the result does not depend on Map/array iteration details.
        if (score[l] > bestScore || (score[l] === bestScore && l < best)) {
          best = l;
          bestScore = score[l];
        }
      }
      for (const l of touched) score[l] = 0;
      touched.length = 0;
      if (best !== label[i]) {
        label[i] = best;
        changed++;
      }
    }
    if (changed === 0) break;
  }
  return finalizeLabels(label, minSize);
}

import { describe, expect, it } from 'vitest';
import { exactKnnGraph, hnswKnnGraph, radiusAdjacency } from '../../../models/cluster/knn.js';
import { ClusterSession, IMMICH_DEFAULTS, METHOD_NAMES, sweepGrid, type ClusterParams } from '../../../models/cluster/methods.js';
import { scoreClustering } from '../../../models/cluster/metrics.js';
import { syntheticFaces } from '../../../models/cluster/synthetic.js';
import { vectorSetFromRows } from '../../../models/cluster/vectors.js';
import { chineseWhispers } from '../../../models/cluster/chinese-whispers.js';
import { hdbscan } from '../../../models/cluster/hdbscan.js';
import { agglomerative } from '../../../models/cluster/agglomerative.js';

// People whose faces overlap a little (harder than the defaults) plus 10% one-off strangers.
const data = syntheticFaces({ faces: 1200, maxPersonSize: 60, spread: 0.045, personSpread: 0.08, seed: 11 });

const good: Record<string, ClusterParams> = {
  immich: { method: 'immich', maxDistance: 0.25, minFaces: 3 },
  dbscan: { method: 'dbscan', eps: 0.25, minPoints: 3 },
  'chinese-whispers': { method: 'chinese-whispers', threshold: 0.25 },
  agglomerative: { method: 'agglomerative', cut: 0.3 },
  hdbscan: { method: 'hdbscan', minClusterSize: 2, minSamples: 2, selection: 'eom', maxDistance: 0.3 },
};

describe('clustering methods on synthetic people', () => {
  const session = new ClusterSession(data.set, 32);

  for (const method of METHOD_NAMES) {
    it(`${method} recovers the people with high precision and leaves strangers unknown`, () => {
      const labels = session.run(good[method]);
      const s = scoreClustering(labels, data.identity);
      expect(s.bcubedPrecision).toBeGreaterThan(0.97);
      expect(s.bcubedF1).toBeGreaterThan(0.9);
      // Strangers (the last 10%) mostly stay unknown.
      const strangers = Array.from(labels.slice(data.set.count - 120));
      expect(strangers.filter((l) => l === -1).length).toBeGreaterThan(100);
    });
  }

  it("Immich's defaults (0.5) merge distinct people on an embedding this tight: thresholds are per model", () => {
    const s = scoreClustering(session.run(IMMICH_DEFAULTS), data.identity);
    expect(s.bcubedPrecision).toBeLessThan(0.8);
  });

  it('the order-dependent methods give the same labels twice (seeded)', () => {
    for (const method of ['immich', 'chinese-whispers'] as const) {
      const a = new ClusterSession(data.set, 32).run(good[method]);
      const b = new ClusterSession(data.set, 32).run(good[method]);
      expect(Array.from(a)).toEqual(Array.from(b));
    }
  });

  it('each method has a sweep grid', () => {
    for (const method of METHOD_NAMES) expect(sweepGrid(method).length).toBeGreaterThan(5);
  });
});

describe('neighbour graphs', () => {
  it('the HNSW graph agrees with the exact graph on nearly every nearest neighbour', () => {
    const small = syntheticFaces({ faces: 800, seed: 3 });
    const exact = exactKnnGraph(small.set, 10);
    const approx = hnswKnnGraph(small.set, 10, { efSearch: 64 });
    let hits = 0;
    for (let i = 0; i < small.set.count; i++) {
      const truth = new Set(exact.ids.subarray(i * 10, i * 10 + 10));
      for (const j of approx.ids.subarray(i * 10, i * 10 + 10)) if (truth.has(j)) hits++;
    }
    expect(hits / (small.set.count * 10)).toBeGreaterThan(0.95);
  });

  it('radius adjacency is symmetric and excludes far pairs', () => {
    const set = vectorSetFromRows([
      [1, 0, 0],
      [0.99, 0.1, 0],
      [0, 1, 0],
    ]);
    const adj = radiusAdjacency(exactKnnGraph(set, 2), 0.1);
    const neighbours = (i: number) => Array.from(adj.targets.subarray(adj.offsets[i], adj.offsets[i + 1]));
    expect(neighbours(0)).toEqual([1]);
    expect(neighbours(1)).toEqual([0]);
    expect(neighbours(2)).toEqual([]);
  });
});

describe('method details', () => {
  // Two tight pairs and a lone point, in 3-d.
  const set = vectorSetFromRows([
    [1, 0, 0],
    [0.995, 0.1, 0],
    [0, 1, 0],
    [0.1, 0.995, 0],
    [0, 0, 1],
  ]);
  const graph = exactKnnGraph(set, 4);

  it('chinese whispers links only faces within the threshold', () => {
    expect(Array.from(chineseWhispers(graph, { threshold: 0.05 }))).toEqual([0, 0, 1, 1, -1]);
  });

  it('average linkage does not chain through one close pair', () => {
    // A chain a-b-c with |ab| and |bc| small but |ac| large: average linkage keeps c out at a cut between.
    const chain = vectorSetFromRows([
      [1, 0, 0],
      [Math.cos(0.4), Math.sin(0.4), 0],
      [Math.cos(1), Math.sin(1), 0],
    ]);
    // |ab| = 0.079, |bc| = 0.175 (single linkage at 0.2 would chain all three), mean of |ac|, |bc| = 0.317.
    const labels = agglomerative(chain, null, { cut: 0.2 });
    expect(labels[0]).toBe(labels[1]);
    expect(labels[2]).toBe(-1);
  });

  it('hdbscan with a distance cap makes one group of a data set that is one person and a stranger', () => {
    // Five faces of one person close together, one stranger far away: the shape of a first import of one child.
    const rows = [
      [1, 0, 0],
      [0.99, 0.1, 0],
      [0.99, 0, 0.1],
      [0.98, 0.1, 0.1],
      [0.99, -0.1, 0],
      [0, 0, 1],
    ];
    const set = vectorSetFromRows(rows.map((r) => { const n = Math.hypot(...r); return r.map((v) => v / n); }));
    const graph = exactKnnGraph(set, 5);
    const capped = hdbscan(set, graph, { minClusterSize: 3, minSamples: 2, selection: 'eom', maxDistance: 0.08 });
    expect(Array.from(capped.slice(0, 5)).every((l) => l === capped[0] && l >= 0)).toBe(true);
    expect(capped[5]).toBe(-1);
    // Without a cap the one component is the whole data set: no cluster, as in the reference implementation.
    expect(Array.from(hdbscan(set, graph, { minClusterSize: 3, minSamples: 2, selection: 'eom' })).every((l) => l === -1)).toBe(true);
  });

  it('hdbscan leaves the lone face as noise', () => {
    const labels = hdbscan(set, graph, { minClusterSize: 2, minSamples: 1, selection: 'eom' });
    expect(labels[4]).toBe(-1);
    expect(labels[0]).toBe(labels[1]);
    expect(labels[2]).toBe(labels[3]);
    expect(labels[0]).not.toBe(labels[2]);
  });
});

// k-nearest-neighbour graphs over a VectorSet. Small sets are searched exactly (every pair); large ones through an
// hnswlib HNSW index, because an exact graph is O(n^2): 100k faces would be 5e9 dot products.
import { createRequire } from 'node:module';
import type { HierarchicalNSW as HnswIndex } from 'hnswlib-node';
import { type VectorSet } from './vectors.js';

const require = createRequire(import.meta.url);

/** Each face's k nearest other faces, nearest first. Rows with fewer neighbours are padded with -1 / Infinity. */
export interface NeighbourGraph {
  count: number;
  k: number;
  ids: Int32Array;
  dists: Float32Array;
}

export interface KnnOptions {
  /** Sets up to this size are searched exactly. */
  exactLimit?: number;
  /** HNSW parameters for larger sets. */
  m?: number;
  efConstruction?: number;
  efSearch?: number;
  seed?: number;
}

export const DEFAULT_EXACT_LIMIT = 5000;

export function knnGraph(set: VectorSet, k: number, options: KnnOptions = {}): NeighbourGraph {
  return set.count <= (options.exactLimit ?? DEFAULT_EXACT_LIMIT) ? exactKnnGraph(set, k) : hnswKnnGraph(set, k, options);
}

function emptyGraph(count: number, k: number): NeighbourGraph {
  return { count, k, ids: new Int32Array(count * k).fill(-1), dists: new Float32Array(count * k).fill(Infinity) };
}

export function exactKnnGraph(set: VectorSet, k: number): NeighbourGraph {
  const { count: n, dim, data } = set;
  const kk = Math.max(0, Math.min(k, n - 1));
  const graph = emptyGraph(n, kk);
  if (kk === 0) return graph;
  const { ids, dists } = graph;
  for (let i = 0; i < n; i++) {
    const base = i * kk;
    let filled = 0;
    const a = i * dim;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const b = j * dim;
      let s = 0;
      for (let t = 0; t < dim; t++) s += data[a + t] * data[b + t];
      let d = 1 - s;
      if (d < 0) d = 0;
      // Insertion into the sorted row: k is small (tens), so this beats a heap.
      if (filled < kk) filled++;
      else if (d >= dists[base + kk - 1]) continue;
      let p = filled - 1;
      while (p > 0 && dists[base + p - 1] > d) {
        dists[base + p] = dists[base + p - 1];
        ids[base + p] = ids[base + p - 1];
        p--;
      }
      dists[base + p] = d;
      ids[base + p] = j;
    }
  }
  return graph;
}

type HnswModule = typeof import('hnswlib-node');

export function createHnswIndex(dim: number, maxElements: number, options: KnnOptions = {}): HnswIndex {
  const { HierarchicalNSW } = require('hnswlib-node') as HnswModule;
  const index = new HierarchicalNSW('cosine', dim);
  index.initIndex(Math.max(1, maxElements), options.m ?? 12, options.efConstruction ?? 64, options.seed ?? 100);
  return index;
}

/** Approximate graph: builds a throwaway HNSW index over the rows (label = row) and queries every row. */
export function hnswKnnGraph(set: VectorSet, k: number, options: KnnOptions = {}): NeighbourGraph {
  const { count: n, dim, data } = set;
  const kk = Math.max(0, Math.min(k, n - 1));
  const graph = emptyGraph(n, kk);
  if (kk === 0) return graph;
  const index = createHnswIndex(dim, n, options);
  const scratch = new Array<number>(dim);
  const rowArray = (i: number) => {
    for (let t = 0; t < dim; t++) scratch[t] = data[i * dim + t];
    return scratch;
  };
  for (let i = 0; i < n; i++) index.addPoint(rowArray(i), i);
  index.setEf(Math.max(options.efSearch ?? 48, kk + 1));
  fillFromIndex(graph, n, (i) => index.searchKnn(rowArray(i), kk + 1), kk);
  return graph;
}

/** Queries an existing index (e.g. the library's persisted one) for every row; `labelToRow` maps its labels. */
export function graphFromIndex(
  set: VectorSet,
  k: number,
  search: (query: number[], k: number) => { neighbors: number[]; distances: number[] },
  labelToRow: (label: number) => number = (l) => l,
): NeighbourGraph {
  const { count: n, dim, data } = set;
  const kk = Math.max(0, Math.min(k, n - 1));
  const graph = emptyGraph(n, kk);
  const scratch = new Array<number>(dim);
  fillFromIndex(
    graph,
    n,
    (i) => {
      for (let t = 0; t < dim; t++) scratch[t] = data[i * dim + t];
      const r = search(scratch, kk + 1);
      return { neighbors: r.neighbors.map(labelToRow), distances: r.distances };
    },
    kk,
  );
  return graph;
}

function fillFromIndex(
  graph: NeighbourGraph,
  n: number,
  query: (i: number) => { neighbors: number[]; distances: number[] },
  kk: number,
): void {
  for (let i = 0; i < n; i++) {
    const { neighbors, distances } = query(i);
    // hnswlib returns nearest first; skip the row itself (and rows the caller mapped to -1).
    let p = 0;
    for (let r = 0; r < neighbors.length && p < kk; r++) {
      const j = neighbors[r];
      if (j === i || j < 0) continue;
      graph.ids[i * kk + p] = j;
      graph.dists[i * kk + p] = Math.max(0, distances[r]);
      p++;
    }
  }
}

/** Symmetric adjacency (CSR) of the graph's edges within maxDistance: i~j when either lists the other. */
export interface Adjacency {
  offsets: Int32Array;
  targets: Int32Array;
  dists: Float32Array;
}

export function radiusAdjacency(graph: NeighbourGraph, maxDistance: number): Adjacency {
  const { count: n, k, ids, dists } = graph;
  const degree = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      const j = ids[i * k + r];
      if (j < 0 || dists[i * k + r] > maxDistance) break;
      degree[i]++;
      degree[j]++;
    }
  }
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + degree[i];
  const cursor = offsets.slice(0, n);
  const rawTargets = new Int32Array(offsets[n]);
  const rawDists = new Float32Array(offsets[n]);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      const j = ids[i * k + r];
      const d = dists[i * k + r];
      if (j < 0 || d > maxDistance) break;
      rawTargets[cursor[i]] = j;
      rawDists[cursor[i]++] = d;
      rawTargets[cursor[j]] = i;
      rawDists[cursor[j]++] = d;
    }
  }
  // Remove duplicates (i lists j and j lists i).
  const outOffsets = new Int32Array(n + 1);
  const targets = new Int32Array(offsets[n]);
  const outDists = new Float32Array(offsets[n]);
  const seen = new Int32Array(n).fill(-1);
  let w = 0;
  for (let i = 0; i < n; i++) {
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      const j = rawTargets[e];
      if (seen[j] === i) continue;
      seen[j] = i;
      targets[w] = j;
      outDists[w++] = rawDists[e];
    }
    outOffsets[i + 1] = w;
  }
  return { offsets: outOffsets, targets: targets.slice(0, w), dists: outDists.slice(0, w) };
}

// Average-linkage agglomerative clustering (UPGMA) cut at a distance: two groups merge while the mean distance over
// all their cross pairs is below the cut, so one close pair cannot chain two people together (single linkage's
// failure), and the cut reads directly as "how different may two faces of one person be on average".
//  - Small sets: exact, nearest-neighbour-chain algorithm over the full distance matrix (O(n^2) time and memory).
//  - Large sets: the same merge rule, exact (from the groups' vector sums), between groups the kNN graph links.
import { finalizeLabels } from './labels.js';
import type { NeighbourGraph } from './knn.js';
import { UnionFind } from './union-find.js';
import type { VectorSet } from './vectors.js';
import { MinHeap } from './heap.js';

/** One merge of the dendrogram: the groups holding faces a and b joined at this height. */
export interface Merge {
  a: number;
  b: number;
  height: number;
}

export const DENSE_LIMIT = 5000;

export function averageLinkageMerges(
  set: VectorSet,
  graph: NeighbourGraph | null,
  options: { maxHeight?: number; denseLimit?: number } = {},
): Merge[] {
  if (set.count <= (options.denseLimit ?? DENSE_LIMIT) || !graph) return denseAverageLinkage(set);
  return sparseAverageLinkage(set, graph, options.maxHeight ?? 1);
}

/** Cuts the dendrogram: applies every merge no higher than `cut`. */
export function cutDendrogram(count: number, merges: Merge[], cut: number, minSize = 2): Int32Array {
  const uf = new UnionFind(count);
  for (const m of merges) if (m.height <= cut) uf.union(m.a, m.b);
  const raw = new Int32Array(count);
  for (let i = 0; i < count; i++) raw[i] = uf.find(i);
  return finalizeLabels(raw, minSize);
}

export function agglomerative(
  set: VectorSet,
  graph: NeighbourGraph | null,
  params: { cut: number; minSize?: number },
): Int32Array {
  const merges = averageLinkageMerges(set, graph, { maxHeight: params.cut });
  return cutDendrogram(set.count, merges, params.cut, params.minSize ?? 2);
}

/**
 * Merges group b into group a of a dense n x n distance matrix: the Lance-Williams update for average linkage
 * (the merged group lives on in slot a; an Infinity, a cannot-link, stays Infinity), sizes and the active flags.
 */
export function mergeAverageLinkage(D: Float32Array, n: number, size: Float64Array | Int32Array, active: Uint8Array, a: number, b: number): void {
  const sa = size[a];
  const sb = size[b];
  for (let c = 0; c < n; c++) {
    if (!active[c] || c === a || c === b) continue;
    const d = (sa * D[a * n + c] + sb * D[b * n + c]) / (sa + sb);
    D[a * n + c] = d;
    D[c * n + a] = d;
  }
  size[a] = sa + sb;
  active[b] = 0;
}

function denseAverageLinkage(set: VectorSet): Merge[] {
  const n = set.count;
  const { dim, data } = set;
  const D = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      const a = i * dim;
      const b = j * dim;
      for (let t = 0; t < dim; t++) s += data[a + t] * data[b + t];
      const d = Math.max(0, 1 - s);
      D[i * n + j] = d;
      D[j * n + i] = d;
    }
  }
  const size = new Float64Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  const activeList: number[] = Array.from({ length: n }, (_, i) => i);
  let activeCount = n;
  const merges: Merge[] = [];
  const chain: number[] = [];
  while (activeCount > 1) {
    if (chain.length === 0) {
      for (const i of activeList) if (active[i]) {
        chain.push(i);
        break;
      }
    }
    for (;;) {
      const a = chain[chain.length - 1];
      const prev = chain.length >= 2 ? chain[chain.length - 2] : -1;
      let best = prev;
      let bestD = prev >= 0 ? D[a * n + prev] : Infinity;
      for (let c = 0; c < n; c++) {
        if (!active[c] || c === a) continue;
        const d = D[a * n + c];
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      if (best === prev) break;
      chain.push(best);
    }
    const b = chain.pop()!;
    const a = chain.pop()!;
    merges.push({ a, b, height: D[a * n + b] });
    mergeAverageLinkage(D, n, size, active, a, b);
    activeCount--;
  }
  merges.sort((x, y) => x.height - y.height);
  return merges;
}

/**
 * Average linkage over the groups the kNN graph links. With unit vectors the mean cosine distance between two
 * groups is exact from their vector sums: mean(1 - a.b) = 1 - (sumA . sumB) / (|A| |B|). The graph only decides
 * which pairs are candidates. Candidates are evaluated lazily: after a merge, the old entries of the merged
 * groups stay in the heap and are re-evaluated (and re-queued at their true distance) when they surface, so a
 * growing group does not recompute every neighbour at every merge. The merged group's distance to a neighbour is
 * a weighted mean of its parts' distances, so the smaller old entry is a lower bound whenever both parts were
 * linked to it, and merges come out in (near) increasing order.
 */
function sparseAverageLinkage(set: VectorSet, graph: NeighbourGraph, maxHeight: number): Merge[] {
  const { count: n, k, ids, dists } = graph;
  const dim = set.dim;
  const sums = new Float64Array(n * dim);
  for (let i = 0; i < n * dim; i++) sums[i] = set.data[i];
  const size = new Float64Array(n).fill(1);
  const version = new Int32Array(n);
  const uf = new UnionFind(n);
  // Each group's id is the face it started from; `owner` maps a union-find root to that id.
  const owner = new Int32Array(n);
  for (let i = 0; i < n; i++) owner[i] = i;
  const groupOf = (i: number) => owner[uf.find(i)];
  const average = (a: number, b: number) => {
    let s = 0;
    const x = a * dim;
    const y = b * dim;
    for (let t = 0; t < dim; t++) s += sums[x + t] * sums[y + t];
    return Math.max(0, 1 - s / (size[a] * size[b]));
  };
  // Heap entries: [height, a, b, version a, version b].
  const heap = new MinHeap<[number, number, number, number, number]>((x, y) => x[0] - y[0]);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      const j = ids[i * k + r];
      if (j < 0) break;
      const d = dists[i * k + r];
      if (d <= maxHeight && (i < j || !listed(graph, j, i))) heap.push([d, i, j, 0, 0]);
    }
  }
  const merges: Merge[] = [];
  while (heap.size > 0) {
    const [h, a0, b0, va, vb] = heap.pop()!;
    const a = groupOf(a0);
    const b = groupOf(b0);
    if (a === b) continue;
    if (a !== a0 || b !== b0 || version[a] !== va || version[b] !== vb) {
      const d = average(a, b);
      if (d <= maxHeight) heap.push([d, a, b, version[a], version[b]]);
      continue;
    }
    merges.push({ a, b, height: h });
    const root = uf.union(a, b);
    owner[root] = a;
    for (let t = 0; t < dim; t++) sums[a * dim + t] += sums[b * dim + t];
    size[a] += size[b];
    version[a]++;
  }
  return merges;
}

/** Whether i lists j among its neighbours (so the pair is queued once). */
function listed(graph: NeighbourGraph, i: number, j: number): boolean {
  const { k, ids } = graph;
  for (let r = 0; r < k; r++) {
    const x = ids[i * k + r];
    if (x < 0) return false;
    if (x === j) return true;
  }
  return false;
}

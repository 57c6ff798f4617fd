// Average-linkage agglomerative clustering (UPGMA) cut at a distance: two groups merge while the mean distance over
// all their cross pairs is below the cut, so one close pair cannot chain two people together (single linkage's
// failure), and the cut reads directly as "how different may two faces of one person be on average".
//  - Small sets: exact, nearest-neighbour-chain algorithm over the full distance matrix (O(n^2) time and memory).
//  - Large sets: the same merge rule over a kNN graph; pairs the graph does not hold count as `missingDistance`
//    (default 1, orthogonal), which can only keep groups apart: precision first, at some cost in recall.
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
  options: { maxHeight?: number; missingDistance?: number; denseLimit?: number } = {},
): Merge[] {
  if (set.count <= (options.denseLimit ?? DENSE_LIMIT) || !graph) return denseAverageLinkage(set);
  return sparseAverageLinkage(graph, options.maxHeight ?? 1, options.missingDistance ?? 1);
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
  params: { cut: number; minSize?: number; missingDistance?: number },
): Int32Array {
  const merges = averageLinkageMerges(set, graph, { maxHeight: params.cut, missingDistance: params.missingDistance });
  return cutDendrogram(set.count, merges, params.cut, params.minSize ?? 2);
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
    // Lance-Williams update for average linkage; the merged group lives on in slot a.
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
    activeCount--;
  }
  merges.sort((x, y) => x.height - y.height);
  return merges;
}

function sparseAverageLinkage(graph: NeighbourGraph, maxHeight: number, missing: number): Merge[] {
  const { count: n, k, ids, dists } = graph;
  // Per group: neighbouring group -> [sum of known cross distances, number of known cross pairs].
  const links: Array<Map<number, { sum: number; count: number }>> = new Array(n);
  for (let i = 0; i < n; i++) links[i] = new Map();
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      const j = ids[i * k + r];
      if (j < 0) break;
      if (links[i].has(j)) continue;
      const e = { sum: dists[i * k + r], count: 1 };
      links[i].set(j, e);
      links[j].set(i, { sum: e.sum, count: 1 });
    }
  }
  const size = new Float64Array(n).fill(1);
  const version = new Int32Array(n);
  const alive = new Uint8Array(n).fill(1);
  const average = (a: number, b: number, e: { sum: number; count: number }) => {
    const pairs = size[a] * size[b];
    return (e.sum + (pairs - e.count) * missing) / pairs;
  };
  // Heap entries: [height, a, b, version a, version b].
  const heap = new MinHeap<[number, number, number, number, number]>((x, y) => x[0] - y[0]);
  for (let i = 0; i < n; i++) {
    for (const [j, e] of links[i]) {
      if (j <= i) continue;
      const h = average(i, j, e);
      if (h <= maxHeight) heap.push([h, i, j, 0, 0]);
    }
  }
  const merges: Merge[] = [];
  while (heap.size > 0) {
    const [h, a0, b0, va, vb] = heap.pop()!;
    if (!alive[a0] || !alive[b0] || version[a0] !== va || version[b0] !== vb) continue;
    // Keep the bigger map, fold the smaller one in.
    const [a, b] = links[a0].size >= links[b0].size ? [a0, b0] : [b0, a0];
    merges.push({ a, b, height: h });
    const la = links[a];
    la.delete(b);
    for (const [c, e] of links[b]) {
      if (c === a) continue;
      const lc = links[c];
      lc.delete(b);
      const existing = la.get(c);
      if (existing) {
        existing.sum += e.sum;
        existing.count += e.count;
        lc.set(a, { sum: existing.sum, count: existing.count });
      } else {
        la.set(c, { sum: e.sum, count: e.count });
        lc.set(a, { sum: e.sum, count: e.count });
      }
    }
    links[b] = new Map();
    alive[b] = 0;
    size[a] += size[b];
    version[a]++;
    for (const [c, e] of la) {
      const hc = average(a, c, e);
      if (hc <= maxHeight) {
        const [x, y] = a < c ? [a, c] : [c, a];
        heap.push([hc, x, y, version[x], version[y]]);
      }
    }
  }
  return merges;
}

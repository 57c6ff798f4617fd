// HDBSCAN (Campello, Moulavi & Sander 2013; McInnes & Healy's implementation as the reference):
//  1. core distance = distance to the minSamples-th nearest face (the face itself counts as the first);
//  2. mutual reachability d'(a,b) = max(core a, core b, d(a,b)), and its minimum spanning tree
//     (exact Prim over all pairs for small sets, Kruskal over the kNN graph's edges for large ones);
//  3. the single-linkage hierarchy of that tree, condensed with minClusterSize;
//  4. clusters chosen by excess of mass (stability) or as the leaves; faces outside every chosen cluster are noise
//     and stay unknown.
// Optional maxDistance drops tree edges longer than it, so no cluster ever bridges a larger gap. Each component left
// is a candidate cluster born at the cap (lambda 1/maxDistance): nothing above the cap is part of the hierarchy. A
// component whose first two parts lie within the cap of each other on average is one group all the same, and so is
// any cluster whose two parts, each chosen whole, lie within the optional halvesWithin of each other on average.
import { finalizeLabels, UNASSIGNED } from './labels.js';
import type { NeighbourGraph } from './knn.js';
import { UnionFind } from './union-find.js';
import type { VectorSet } from './vectors.js';

export interface HdbscanParams {
  minClusterSize: number;
  minSamples?: number;
  selection?: 'eom' | 'leaf';
  maxDistance?: number;
  allowSingleCluster?: boolean;
  /**
   * false: each component under maxDistance is born at lambda 0 and kept whole however it parts, as before components
   * were born at the cap (only to measure, `npm run bench:cluster`).
   */
  bornAtCap?: boolean;
  /**
   * A cluster below its component whose two parts are each chosen whole and lie within this mean distance of each other
   * is kept as one cluster (one person's halves), where the excess of mass would take the two parts. The clusters above
   * it choose as before. Off when absent.
   */
  halvesWithin?: number;
}

export interface SpanningEdge {
  a: number;
  b: number;
  weight: number;
}

export const HDBSCAN_DENSE_LIMIT = 5000;

export function coreDistances(graph: NeighbourGraph, minSamples: number): Float32Array {
  const { count: n, k, dists } = graph;
  const core = new Float32Array(n);
  if (minSamples <= 1) return core;
  const r = minSamples - 2;
  for (let i = 0; i < n; i++) core[i] = r < k ? dists[i * k + r] : Infinity;
  return core;
}

/** Minimum spanning tree (forest) of the mutual-reachability graph, edges sorted by weight. */
export function mutualReachabilityTree(set: VectorSet, graph: NeighbourGraph, minSamples: number, denseLimit = HDBSCAN_DENSE_LIMIT): SpanningEdge[] {
  const core = coreDistances(graph, minSamples);
  const edges = set.count <= denseLimit ? primTree(set, core) : kruskalTree(graph, core);
  edges.sort((x, y) => x.weight - y.weight);
  return edges;
}

function primTree(set: VectorSet, core: Float32Array): SpanningEdge[] {
  const { count: n, dim, data } = set;
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  const from = new Int32Array(n).fill(-1);
  const edges: SpanningEdge[] = [];
  let current = 0;
  for (let added = 1; added < n; added++) {
    inTree[current] = 1;
    const a = current * dim;
    let next = -1;
    let nextW = Infinity;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      const b = j * dim;
      let s = 0;
      for (let t = 0; t < dim; t++) s += data[a + t] * data[b + t];
      const w = Math.max(1 - s, core[current], core[j], 0);
      if (w < best[j]) {
        best[j] = w;
        from[j] = current;
      }
      if (best[j] < nextW) {
        nextW = best[j];
        next = j;
      }
    }
    edges.push({ a: from[next], b: next, weight: nextW });
    current = next;
  }
  return edges;
}

function kruskalTree(graph: NeighbourGraph, core: Float32Array): SpanningEdge[] {
  const { count: n, k, ids, dists } = graph;
  // Typed arrays and an index sort: a million faces give tens of millions of candidate edges.
  const weight = new Float32Array(n * k);
  let m = 0;
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      const j = ids[i * k + r];
      if (j < 0) break;
      weight[i * k + r] = Math.max(dists[i * k + r], core[i], core[j]);
      m++;
    }
  }
  const order = new Uint32Array(m);
  let p = 0;
  for (let i = 0; i < n; i++) for (let r = 0; r < k && ids[i * k + r] >= 0; r++) order[p++] = i * k + r;
  order.sort((x, y) => weight[x] - weight[y]);
  const uf = new UnionFind(n);
  const edges: SpanningEdge[] = [];
  for (let e = 0; e < m && edges.length < n - 1; e++) {
    const slot = order[e];
    const a = Math.floor(slot / k);
    const b = ids[slot];
    if (uf.union(a, b) >= 0) edges.push({ a, b, weight: weight[slot] });
  }
  return edges;
}

export function hdbscan(set: VectorSet, graph: NeighbourGraph, params: HdbscanParams, tree?: SpanningEdge[]): Int32Array {
  const edges = tree ?? mutualReachabilityTree(set, graph, params.minSamples ?? params.minClusterSize);
  return hdbscanFromTree(set.count, edges, params, set);
}

/**
 * Steps 3-4 from a sorted spanning tree, so a parameter sweep can reuse one tree. `set` (the faces' unit vectors)
 * judges whether a capped component's two first parts are alike; without it, they are never.
 */
export function hdbscanFromTree(n: number, sortedEdges: SpanningEdge[], params: HdbscanParams, set?: VectorSet): Int32Array {
  const { minClusterSize: mcs, selection = 'eom', maxDistance = Infinity, allowSingleCluster = false } = params;
  // Single-linkage hierarchy: leaves 0..n-1, merge nodes n.. with two children, a height and a size.
  const maxNodes = 2 * n;
  const left = new Int32Array(maxNodes).fill(-1);
  const right = new Int32Array(maxNodes).fill(-1);
  const height = new Float64Array(maxNodes);
  const size = new Int32Array(maxNodes).fill(1);
  const hasParent = new Uint8Array(maxNodes);
  const uf = new UnionFind(n);
  const nodeOfRoot = new Int32Array(n);
  for (let i = 0; i < n; i++) nodeOfRoot[i] = i;
  let nextNode = n;
  for (const e of sortedEdges) {
    if (e.weight > maxDistance) break;
    const ra = uf.find(e.a);
    const rb = uf.find(e.b);
    if (ra === rb) continue;
    const na = nodeOfRoot[ra];
    const nb = nodeOfRoot[rb];
    const node = nextNode++;
    left[node] = na;
    right[node] = nb;
    height[node] = e.weight;
    size[node] = size[na] + size[nb];
    hasParent[na] = 1;
    hasParent[nb] = 1;
    nodeOfRoot[uf.union(ra, rb)] = node;
  }
  const roots: number[] = [];
  for (let x = 0; x < nextNode; x++) if (!hasParent[x]) roots.push(x);

  // Condensed tree. Cluster 0 is a virtual root above every component (lambda 0).
  const clusterParent: number[] = [-1];
  const birth: number[] = [0];
  const stability: number[] = [0];
  const hasChildCluster: boolean[] = [false];
  const fallOutCluster = new Int32Array(n).fill(0);
  const members: number[] = [0];
  // A split's two children get consecutive ids: the first of them, per cluster (-1 for a leaf).
  const firstChild: number[] = [-1];
  const newCluster = (parent: number, lambda: number, count: number) => {
    const id = clusterParent.length;
    clusterParent.push(parent);
    members.push(count);
    birth.push(lambda);
    stability.push(0);
    hasChildCluster.push(false);
    firstChild.push(-1);
    if (!hasChildCluster[parent]) firstChild[parent] = id;
    hasChildCluster[parent] = true;
    stability[parent] += (lambda - birth[parent]) * count;
    return id;
  };
  const stack: number[] = [];
  const dropPoints = (node: number, cluster: number, lambda: number) => {
    stack.length = 0;
    stack.push(node);
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x < n) {
        fallOutCluster[x] = cluster;
        stability[cluster] += lambda - birth[cluster];
      } else {
        stack.push(left[x], right[x]);
      }
    }
  };
  const work: Array<[node: number, cluster: number]> = [];
  const bigRoots = roots.filter((r) => size[r] >= mcs);
  for (const r of roots) if (size[r] < mcs) dropPoints(r, 0, 0);
  // Without a distance cap the one component is the whole data set, which is no cluster (it can only split). With
  // one, each component is a group of faces within reach of each other, however many components there are: a library
  // of one child's photos (and a stranger or two) is one group, not none.
  const singleIsCluster = allowSingleCluster || Number.isFinite(maxDistance);
  // A component is born where the cap cuts it off, not at distance infinity (lambda 0): born at 0, it held every face's
  // 1/distance from 0 up, more than its parts ever could from where they part, so the excess of mass kept whole any
  // chain of people with few photos each (lfw_subset cut to 3 photos a person: one group of 285 faces, 117 people).
  const born = Number.isFinite(maxDistance) && params.bornAtCap !== false ? 1 / maxDistance : 0;
  if (bigRoots.length === 1 && !singleIsCluster) work.push([bigRoots[0], 0]);
  else for (const r of bigRoots) work.push([r, newCluster(0, born, size[r])]);
  while (work.length > 0) {
    const [x, c] = work.pop()!;
    if (x < n) {
      dropPoints(x, c, birth[c]);
      continue;
    }
    const lambda = height[x] > 0 ? 1 / height[x] : 1e12;
    const l = left[x];
    const r = right[x];
    const bigL = size[l] >= mcs;
    const bigR = size[r] >= mcs;
    if (bigL && bigR) {
      work.push([l, newCluster(c, lambda, size[l])]);
      work.push([r, newCluster(c, lambda, size[r])]);
    } else if (bigL) {
      dropPoints(r, c, lambda);
      work.push([l, c]);
    } else if (bigR) {
      dropPoints(l, c, lambda);
      work.push([r, c]);
    } else {
      dropPoints(l, c, lambda);
      dropPoints(r, c, lambda);
    }
  }

  // Selection. Child clusters always have larger ids than their parent, and a split's two children consecutive ids.
  const count = clusterParent.length;
  const tentative = new Uint8Array(count);
  const childSum = new Float64Array(count);
  // How far apart each split's two parts lie on average, from the sums of the faces under each (linear in the faces).
  const halvesReach = params.halvesWithin ?? -1;
  const partsApart = selection === 'eom' && set && (born > 0 || halvesReach >= 0) ? splitDistances(set, fallOutCluster, clusterParent, firstChild, members) : null;
  for (let c = count - 1; c >= 1; c--) {
    const a = firstChild[c];
    if (selection === 'leaf') {
      tentative[c] = hasChildCluster[c] ? 0 : 1;
    } else if (!hasChildCluster[c] || childSum[c] <= stability[c]) {
      tentative[c] = 1;
    } else if (born > 0 && partsApart && clusterParent[c] === 0 && partsApart[c] <= maxDistance) {
      // A component whose first two parts lie within the cap of each other on average: one person's faces that part
      // into two tight sets (lighting, age), not two people.
      tentative[c] = 1;
    } else if (partsApart && tentative[a] && tentative[a + 1] && partsApart[c] <= halvesReach) {
      // One person's halves (halvesWithin). The clusters above weigh it as before, as its two parts, so no choice
      // above it changes.
      tentative[c] = 1;
      stability[c] = childSum[c];
    } else {
      stability[c] = childSum[c];
    }
    childSum[clusterParent[c]] += stability[c];
  }
  const selectedAncestor = new Int32Array(count).fill(UNASSIGNED);
  for (let c = 1; c < count; c++) {
    const above = selectedAncestor[clusterParent[c]];
    selectedAncestor[c] = above !== UNASSIGNED ? above : tentative[c] ? c : UNASSIGNED;
  }
  const raw = new Int32Array(n);
  for (let i = 0; i < n; i++) raw[i] = fallOutCluster[i] === 0 ? UNASSIGNED : selectedAncestor[fallOutCluster[i]];
  return finalizeLabels(raw, 2);
}

/**
 * For each cluster that splits, the mean cosine distance between the faces under its two children (Infinity for the
 * rest), from unit vectors' sums: 1 - ΣA·ΣB / (|A||B|). Clusters are visited children first (a child's id is larger
 * than its parent's), and a cluster's sum is added into its parent's and dropped, so few sums are held at once.
 */
function splitDistances(set: VectorSet, fallOutCluster: Int32Array, clusterParent: readonly number[], firstChild: readonly number[], members: readonly number[]): Float64Array {
  const count = clusterParent.length;
  const apart = new Float64Array(count).fill(Infinity);
  const { dim, data } = set;
  // The faces falling out of each cluster, grouped by cluster (counting sort).
  const start = new Int32Array(count + 1);
  for (let i = 0; i < fallOutCluster.length; i++) start[fallOutCluster[i] + 1]++;
  for (let c = 0; c < count; c++) start[c + 1] += start[c];
  const at = start.slice(0, count);
  const faces = new Int32Array(fallOutCluster.length);
  for (let i = 0; i < fallOutCluster.length; i++) faces[at[fallOutCluster[i]]++] = i;
  const sums = new Map<number, Float64Array>();
  for (let c = count - 1; c >= 1; c--) {
    const a = firstChild[c];
    let sum: Float64Array;
    if (a < 0) {
      sum = new Float64Array(dim);
    } else {
      const sa = sums.get(a)!;
      const sb = sums.get(a + 1)!;
      let dot = 0;
      for (let t = 0; t < dim; t++) dot += sa[t] * sb[t];
      apart[c] = 1 - dot / (members[a] * members[a + 1]);
      for (let t = 0; t < dim; t++) sa[t] += sb[t];
      sums.delete(a);
      sums.delete(a + 1);
      sum = sa;
    }
    for (let p = start[c]; p < start[c + 1]; p++) {
      const row = faces[p] * dim;
      for (let t = 0; t < dim; t++) sum[t] += data[row + t];
    }
    sums.set(c, sum);
  }
  return apart;
}

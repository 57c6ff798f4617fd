// One entry point over every clustering method, with the caches a parameter sweep needs (one kNN graph per set,
// one dendrogram, one spanning tree per minSamples), and a readable name for each parameter choice.
import { averageLinkageMerges, cutDendrogram, DENSE_LIMIT, type Merge } from './agglomerative.js';
import { chineseWhispers } from './chinese-whispers.js';
import { dbscan, immichCluster } from './dbscan.js';
import { hdbscanFromTree, mutualReachabilityTree, type SpanningEdge } from './hdbscan.js';
import { knnGraph, type KnnOptions, type NeighbourGraph } from './knn.js';
import type { VectorSet } from './vectors.js';

export type ClusterParams =
  | { method: 'immich'; maxDistance: number; minFaces: number; seed?: number }
  | { method: 'dbscan'; eps: number; minPoints: number }
  | { method: 'chinese-whispers'; threshold: number; weighted?: boolean; minSize?: number; iterations?: number; seed?: number }
  | { method: 'agglomerative'; cut: number; minSize?: number }
  | { method: 'hdbscan'; minClusterSize: number; minSamples: number; selection: 'eom' | 'leaf'; maxDistance?: number; bornAtCap?: boolean; halvesWithin?: number };

export type MethodName = ClusterParams['method'];

export const METHOD_NAMES: MethodName[] = ['immich', 'dbscan', 'chinese-whispers', 'agglomerative', 'hdbscan'];

/** Immich's published defaults (machineLearning.facialRecognition: maxDistance 0.5, minFaces 3): the reference row. */
export const IMMICH_DEFAULTS: ClusterParams = { method: 'immich', maxDistance: 0.5, minFaces: 3 };

export function describeParams(p: ClusterParams): string {
  const num = (x: number) => String(Number(x.toFixed(3)));
  switch (p.method) {
    case 'immich':
      return `maxDistance=${num(p.maxDistance)} minFaces=${p.minFaces}`;
    case 'dbscan':
      return `eps=${num(p.eps)} minPoints=${p.minPoints}`;
    case 'chinese-whispers':
      return `threshold=${num(p.threshold)}${p.weighted ? ' weighted' : ''}`;
    case 'agglomerative':
      return `cut=${num(p.cut)}`;
    case 'hdbscan':
      return `minClusterSize=${p.minClusterSize} minSamples=${p.minSamples} ${p.selection}${p.maxDistance !== undefined ? ` maxDistance=${num(p.maxDistance)}` : ''}`;
  }
}

/** The distance within which a method treats two faces as one person (its radius, cut or edge limit). */
export function sameGroupDistance(p: ClusterParams): number | undefined {
  switch (p.method) {
    case 'immich':
      return p.maxDistance;
    case 'dbscan':
      return p.eps;
    case 'chinese-whispers':
      return p.threshold;
    case 'agglomerative':
      return p.cut;
    case 'hdbscan':
      return p.maxDistance;
  }
}

/** The fewest faces a method lets form a group. */
export function smallestGroup(p: ClusterParams): number {
  switch (p.method) {
    case 'immich':
      return Math.max(2, p.minFaces);
    case 'dbscan':
      return Math.max(2, p.minPoints);
    case 'chinese-whispers':
      return Math.max(2, p.minSize ?? 2);
    case 'agglomerative':
      return Math.max(2, p.minSize ?? 2);
    case 'hdbscan':
      return Math.max(2, p.minClusterSize);
  }
}

/** Neighbours each face needs in the graph for a parameter choice (radius methods are truncated at this many). */
export function neighboursNeeded(p: ClusterParams): number {
  switch (p.method) {
    case 'immich':
      return Math.max(p.minFaces, 16);
    case 'dbscan':
      return Math.max(p.minPoints, 32);
    case 'hdbscan':
      return Math.max(p.minSamples, 16);
    default:
      return 32;
  }
}

/** Clusters one set under many parameter choices, sharing the expensive parts. */
export class ClusterSession {
  private graph: NeighbourGraph | undefined;
  private merges: Merge[] | undefined;
  private readonly trees = new Map<number, SpanningEdge[]>();

  constructor(
    readonly set: VectorSet,
    private readonly k = 32,
    private readonly knnOptions: KnnOptions = {},
    graph?: NeighbourGraph,
  ) {
    this.graph = graph;
  }

  neighbourGraph(): NeighbourGraph {
    this.graph ??= knnGraph(this.set, this.k, this.knnOptions);
    return this.graph;
  }

  run(p: ClusterParams): Int32Array {
    if (this.set.count === 0) return new Int32Array(0);
    const graph = this.neighbourGraph();
    switch (p.method) {
      case 'immich':
        return immichCluster(graph, p);
      case 'dbscan':
        return dbscan(graph, p);
      case 'chinese-whispers':
        return chineseWhispers(graph, p);
      case 'agglomerative': {
        // The exact dendrogram serves every cut of a sweep; the large-set path is computed per cut (its lazy
        // evaluation stops at the cut).
        if (this.set.count > DENSE_LIMIT) return cutDendrogram(this.set.count, averageLinkageMerges(this.set, graph, { maxHeight: p.cut }), p.cut, p.minSize ?? 2);
        this.merges ??= averageLinkageMerges(this.set, graph);
        return cutDendrogram(this.set.count, this.merges, p.cut, p.minSize ?? 2);
      }
      case 'hdbscan': {
        let tree = this.trees.get(p.minSamples);
        if (!tree) {
          tree = mutualReachabilityTree(this.set, graph, p.minSamples);
          this.trees.set(p.minSamples, tree);
        }
        return hdbscanFromTree(this.set.count, tree, p, this.set);
      }
    }
  }
}

export function clusterVectors(set: VectorSet, params: ClusterParams, knnOptions: KnnOptions = {}, graph?: NeighbourGraph): Int32Array {
  return new ClusterSession(set, neighboursNeeded(params), knnOptions, graph).run(params);
}

/** The parameter grid the comparison sweeps for each method (distances are cosine distances). */
export function sweepGrid(method: MethodName): ClusterParams[] {
  const range = (from: number, to: number, step: number) => {
    const out: number[] = [];
    for (let x = from; x <= to + 1e-9; x += step) out.push(Number(x.toFixed(4)));
    return out;
  };
  // Fine steps where face-api's L2-normalised descriptors put same-person pairs (~0.03-0.12), coarse above (trained
  // heads and other backbones spread further; Immich's ArcFace default sits at 0.5).
  const distances = [...range(0.02, 0.15, 0.005), ...range(0.16, 0.3, 0.02), ...range(0.35, 0.6, 0.05)];
  switch (method) {
    case 'immich':
      return [1, 2, 3, 5].flatMap((minFaces) => distances.map((maxDistance) => ({ method, maxDistance, minFaces })));
    case 'dbscan':
      return [2, 3, 4, 5].flatMap((minPoints) => distances.map((eps) => ({ method, eps, minPoints })));
    case 'chinese-whispers':
      return [false, true].flatMap((weighted) => distances.map((threshold) => ({ method, threshold, weighted })));
    case 'agglomerative':
      return distances.map((cut) => ({ method, cut }));
    case 'hdbscan':
      return [2, 3, 5].flatMap((minClusterSize) =>
        [1, 2, 3, 5].flatMap((minSamples) =>
          (['eom', 'leaf'] as const).flatMap((selection) =>
            [undefined, ...range(0.05, 0.15, 0.01), 0.2, 0.3].map((maxDistance) => ({ method, minClusterSize, minSamples, selection, maxDistance }) as ClusterParams),
          ),
        ),
      );
  }
}

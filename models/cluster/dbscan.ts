// Density-based clustering on a neighbour graph.
//  - dbscan: the textbook algorithm (Ester et al. 1996). A core face has at least minPoints faces (itself included)
//    within eps; clusters are the connected cores plus the border faces they reach; the rest is noise.
//  - immich: Immich's facial-recognition job, reproduced faithfully as the reference: faces are visited in order,
//    a face is "core" when the search for its minFaces nearest faces within maxDistance (itself included) fills up;
//    it joins the person of its first match that has one (else the nearest face with a person within maxDistance),
//    a core face with no such match founds a new person, non-core faces are deferred to a second pass and never
//    found a person. The result depends on the visiting order, as in Immich.
import { UnionFind } from './union-find.js';
import { finalizeLabels, UNASSIGNED } from './labels.js';
import type { NeighbourGraph } from './knn.js';
import { seededRandom, shuffledIndices } from './random.js';

export interface DbscanParams {
  eps: number;
  minPoints: number;
}

export function dbscan(graph: NeighbourGraph, { eps, minPoints }: DbscanParams): Int32Array {
  const { count: n, k, ids, dists } = graph;
  const neighbourCount = (i: number) => {
    let c = 1; // itself
    for (let r = 0; r < k; r++) {
      if (ids[i * k + r] < 0 || dists[i * k + r] > eps) break;
      c++;
    }
    return c;
  };
  const core = new Uint8Array(n);
  for (let i = 0; i < n; i++) core[i] = neighbourCount(i) >= minPoints ? 1 : 0;
  const uf = new UnionFind(n);
  // Core-core links within eps, from either side's list (the graph may list i->j but not j->i).
  for (let i = 0; i < n; i++) {
    if (!core[i]) continue;
    for (let r = 0; r < k; r++) {
      const j = ids[i * k + r];
      if (j < 0 || dists[i * k + r] > eps) break;
      if (core[j]) uf.union(i, j);
    }
  }
  const raw = new Int32Array(n).fill(UNASSIGNED);
  for (let i = 0; i < n; i++) if (core[i]) raw[i] = uf.find(i);
  // Border faces join their nearest core neighbour's cluster (also looking at cores that list them).
  const bestDist = new Float32Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      const j = ids[i * k + r];
      const d = dists[i * k + r];
      if (j < 0 || d > eps) break;
      if (!core[i] && core[j] && d < bestDist[i]) {
        bestDist[i] = d;
        raw[i] = uf.find(j);
      }
      if (core[i] && !core[j] && d < bestDist[j]) {
        bestDist[j] = d;
        raw[j] = uf.find(i);
      }
    }
  }
  return finalizeLabels(raw, Math.min(2, minPoints));
}

export interface ImmichParams {
  /** Cosine distance (Immich default 0.5). */
  maxDistance: number;
  /** Immich default 3. */
  minFaces: number;
  /** Visiting order: Immich's follows the database; a seeded shuffle keeps the comparison fair and repeatable. */
  seed?: number;
}

export function immichCluster(graph: NeighbourGraph, { maxDistance, minFaces, seed = 1 }: ImmichParams): Int32Array {
  const { count: n, k, ids, dists } = graph;
  const person = new Int32Array(n).fill(UNASSIGNED);
  let nextPerson = 0;
  const order = shuffledIndices(n, seededRandom(seed));
  const deferred: number[] = [];
  const visit = (i: number, isDeferred: boolean) => {
    // searchFaces(numResults = minFaces, maxDistance): the face itself first, then its nearest within maxDistance.
    const matches = [i];
    for (let r = 0; r < k && matches.length < minFaces; r++) {
      const j = ids[i * k + r];
      if (j < 0 || dists[i * k + r] > maxDistance) break;
      matches.push(j);
    }
    if (minFaces > 1 && matches.length <= 1) return;
    const isCore = matches.length >= minFaces;
    if (!isCore && !isDeferred) {
      deferred.push(i);
      return;
    }
    let p = UNASSIGNED;
    for (const j of matches) {
      if (person[j] !== UNASSIGNED) {
        p = person[j];
        break;
      }
    }
    if (p === UNASSIGNED) {
      // Second search: the nearest face that has a person, within maxDistance.
      for (let r = 0; r < k; r++) {
        const j = ids[i * k + r];
        if (j < 0 || dists[i * k + r] > maxDistance) break;
        if (person[j] !== UNASSIGNED) {
          p = person[j];
          break;
        }
      }
    }
    if (p === UNASSIGNED && isCore) p = nextPerson++;
    if (p !== UNASSIGNED) person[i] = p;
  };
  for (let o = 0; o < n; o++) if (person[order[o]] === UNASSIGNED) visit(order[o], false);
  for (const i of deferred) if (person[i] === UNASSIGNED) visit(i, true);
  // Immich shows one-face people too; here a person needs two faces to be one, like every other method.
  return finalizeLabels(person, 2);
}

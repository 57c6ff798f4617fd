// Which faces a group may keep, judged by how alike they are to the group as a whole. The clustering (HDBSCAN with
// a distance cap) joins a face to a group through its single nearest link: a stranger photographed once, within the
// cap of one face of a person, became part of that person's group, and a second stranger near the first came along
// (QA: Bob Ferguson and Bobby Bowden in Hans Blix's group; after an embedder switch, three strangers as one group).
// Naming such a group puts the name on the strangers too.
//
// So a face stays in its group only when its mean distance to the group's other faces (average linkage's measure of a
// face against a group) is within the group's reach: twice the spread of the other faces (the median of their mean
// distances to each other; with fewer than 3 others there is no spread to go by), never tighter than the placement
// distance and never looser than the clustering's own distance. The face least like the group is judged first, and
// the group again without it, so a stranger chained through another leaves after them. A face with company (enough
// faces within the placement distance to make a group) stays: it is part of a second person in the group, which the
// two-people check and question are for (a lookalike's ten photos were otherwise peeled one by one). A small group
// is not dissolved for being loose: a person's four or five photos lie as loosely as chained strangers did, and since
// a chain of faces no longer outscores its parts (models/cluster/hdbscan.ts) such strangers seldom form one. Faces set
// aside wait under "Who is this?" as single faces. Measured in docs/clustering.md ("Strangers' single faces").
import { clusterMembers, finalizeLabels, UNASSIGNED } from '../../models/cluster/labels.js';
import type { VectorSet } from '../../models/cluster/vectors.js';

/** A face's mean distance to the rest of its group may be this many times the group's spread. */
export const SPREAD_FACTOR = 2;

export interface AdmissionOptions {
  /** The clustering's own distance (HDBSCAN's maxDistance): no face lies farther from its group on average. */
  reach: number;
  /** Within this mean distance a face always stays, and faces this near each other are company (the placement distance). */
  floor: number;
  /** The smallest group: a group left with fewer faces is no group. */
  minSize: number;
  /** Rows the user placed: a group holding one is theirs, and is left as it is (recluster's placement check holds it). */
  vouched?: (row: number) => boolean;
  /** Off: the labels as they are (to measure the rule, `npm run bench:cluster`). */
  enabled?: boolean;
}

export interface Admission {
  labels: Int32Array;
  /** Faces that left their group (the group kept its other faces). */
  facesSetAside: number;
  /** Groups of few, loosely alike faces that were no group, and groups left under the smallest size. */
  groupsDissolved: number;
}

/** Each row's mean cosine distance to the other rows (from the rows' sum: linear in the group's size). */
function meanDistances(set: VectorSet, rows: readonly number[]): Float64Array {
  const { dim, data } = set;
  const sum = new Float64Array(dim);
  for (const r of rows) for (let t = 0; t < dim; t++) sum[t] += data[r * dim + t];
  const out = new Float64Array(rows.length);
  const others = rows.length - 1;
  rows.forEach((r, i) => {
    let toAll = 0;
    let self = 0;
    for (let t = 0; t < dim; t++) {
      const x = data[r * dim + t];
      toAll += x * sum[t];
      self += x * x;
    }
    out[i] = 1 - (toAll - self) / others;
  });
  return out;
}

/** The spread of a set of faces: the median of each one's mean distance to the others (suggestions measure a person so). */
export function spreadOf(set: VectorSet, rows: readonly number[]): number {
  return median(meanDistances(set, rows));
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The spread of the group without its face `out`: the median of the other faces' mean distances to each other, from
 * their mean distances with it (`means`) less their distance to it.
 */
function spreadWithout(set: VectorSet, rows: readonly number[], means: Float64Array, out: number): number {
  const { dim, data } = set;
  const m = rows.length;
  if (m < 3) return 0;
  const others = new Float64Array(m - 1);
  let p = 0;
  for (let i = 0; i < m; i++) {
    if (i === out) continue;
    let dot = 0;
    for (let t = 0; t < dim; t++) dot += data[rows[i] * dim + t] * data[rows[out] * dim + t];
    others[p++] = (means[i] * (m - 1) - (1 - dot)) / (m - 2);
  }
  return median(others);
}

/** The fewest other faces whose spread judges a face: the distance between two faces is no measure of a group. */
const SPREAD_FROM = 3;

/** Whether the face at `i` has, among `rows`, enough faces within `distance` to make a group with them. */
function hasCompany(set: VectorSet, rows: readonly number[], i: number, distance: number, minSize: number): boolean {
  const { dim, data } = set;
  let near = 0;
  for (let j = 0; j < rows.length && near < minSize - 1; j++) {
    if (j === i) continue;
    let dot = 0;
    for (let t = 0; t < dim; t++) dot += data[rows[i] * dim + t] * data[rows[j] * dim + t];
    if (1 - dot <= distance) near++;
  }
  return near >= minSize - 1;
}

/**
 * The faces of `rows` the group keeps (all of them, or none when it is no group). The face least like the rest (the
 * largest mean distance) is judged first, against the spread of the rest, so a stranger does not widen the reach that
 * judges them. A face with company (enough faces within the placement distance to make a group) is part of a second
 * person in the group, not a stray: the two-people check and question are for those.
 */
export function admittedFaces(set: VectorSet, rows: readonly number[], options: AdmissionOptions): number[] {
  const kept = [...rows];
  for (;;) {
    if (kept.length < 2) break;
    const means = meanDistances(set, kept);
    const order = [...means.keys()].sort((a, b) => means[b] - means[a]);
    let stray = -1;
    for (const i of order) {
      if (means[i] <= options.floor) break;
      const spread = kept.length - 1 >= SPREAD_FROM ? spreadWithout(set, kept, means, i) : Infinity;
      if (means[i] <= Math.min(options.reach, Math.max(options.floor, SPREAD_FACTOR * spread))) break;
      if (hasCompany(set, kept, i, options.floor, options.minSize)) continue;
      stray = i;
      break;
    }
    if (stray < 0) break;
    kept.splice(stray, 1);
  }
  if (kept.length < options.minSize) return [];
  return kept;
}

/** Applies admittedFaces to every group of `labels`; faces set aside become unknown. */
export function admitAlikeFaces(set: VectorSet, labels: Int32Array, options: AdmissionOptions): Admission {
  if (options.enabled === false) return { labels, facesSetAside: 0, groupsDissolved: 0 };
  const out = Int32Array.from(labels);
  let facesSetAside = 0;
  let groupsDissolved = 0;
  for (const rows of clusterMembers(labels)) {
    if (options.vouched && rows.some(options.vouched)) continue;
    const kept = admittedFaces(set, rows, options);
    if (kept.length === rows.length) continue;
    if (kept.length === 0) groupsDissolved++;
    else facesSetAside += rows.length - kept.length;
    const keep = new Set(kept);
    for (const r of rows) if (!keep.has(r)) out[r] = UNASSIGNED;
  }
  return { labels: finalizeLabels(out, 1), facesSetAside, groupsDissolved };
}

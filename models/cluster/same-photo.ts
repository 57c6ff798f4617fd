// One person appears at most once in a photo. Two faces of one photo are therefore two people, however close their
// embeddings: the one piece of "not the same person" evidence every library holds before the user says a word.
// Siblings, twins and cousins are photographed together, and a weak embedding (children, small faces in group
// shots) puts them within the same-person distance of each other; a clustering that ignores the photo merges them.
//
// A clustered group holding two faces of one photo is handled in one of two ways, by how many of its photos do:
//  - Often (more than one person appearing twice in a photo explains: see `SAME_PERSON_TWICE_RATE`): the group is
//    several people. It is drawn again on its own faces by average linkage with a cannot-link between faces of one
//    photo: sub-groups merge while their mean distance is within `cut` and no photo would appear twice. Sub-groups
//    smaller than `minSize` become unknown, as any small group does.
//  - Rarely (a photo of a photo, a mirror, a photo-booth strip, or one stranger): the group is one person and keeps
//    its faces, except that in each such photo only the face nearest the group's mean stays; the others become
//    unknown. Redrawing a coherent person around one such photo would cut them in two.
// A group too large for the pairwise pass is always handled the second way.
import { mergeAverageLinkage } from './agglomerative.js';
import { clusterMembers, UNASSIGNED } from './labels.js';
import { centroid, cosineDistance, cosineDistanceOf, row, type VectorSet } from './vectors.js';

export interface SamePhotoOptions {
  /** Largest mean cosine distance at which two sub-groups merge (the clustering's own same-person distance). */
  cut: number;
  /** Sub-groups smaller than this are released to unknown. */
  minSize: number;
  /** Groups larger than this are not redrawn pairwise (m² distances); they release their extra faces per photo. */
  pairwiseLimit?: number;
}

export interface SamePhotoResult {
  /** Relabelled 0..c-1, no label holding two rows of one photo; -1 = unknown. */
  labels: Int32Array;
  /** Groups that held two faces of one photo. */
  groupsWithConflicts: number;
  /** Of those, the groups redrawn as several people (the rest kept one face per photo). */
  groupsSplit: number;
  /** Rows that were in a group before and are unknown now. */
  released: number;
}

/** 4,000 faces: a 64 MB distance matrix, about 4 s. A larger group keeps one face per photo instead. */
export const PAIRWISE_LIMIT = 4000;

/**
 * How often one person may be expected to appear twice in one of their photos (photos of photos, mirrors, booth
 * strips, collages): an assumption, deliberately generous. A group whose photos show someone twice far more often
 * than this (one-sided Poisson test at `SPLIT_SIGNIFICANCE`) is taken for several people.
 */
export const SAME_PERSON_TWICE_RATE = 0.01;
export const SPLIT_SIGNIFICANCE = 0.01;

/**
 * True when `shared` photos out of `photos` holding the group twice is too many for one person: P(X >= shared) <
 * SPLIT_SIGNIFICANCE for X ~ Poisson(photos x SAME_PERSON_TWICE_RATE). One such photo among a handful never is;
 * two among four are; 5 among 2,000 are not, 60 among 2,000 are.
 */
export function looksLikeSeveralPeople(shared: number, photos: number): boolean {
  const mean = photos * SAME_PERSON_TWICE_RATE;
  let below = 0;
  let term = Math.exp(-mean);
  for (let k = 0; k < shared; k++) {
    below += term;
    term *= mean / (k + 1);
  }
  return 1 - below < SPLIT_SIGNIFICANCE;
}

/** The group's distinct photos, and how many of them hold two or more of its faces. */
export function photosOfGroup(rows: readonly number[], photoOf: ArrayLike<number>): { photos: number; shared: number } {
  const count = new Map<number, number>();
  for (const r of rows) count.set(photoOf[r], (count.get(photoOf[r]) ?? 0) + 1);
  let shared = 0;
  for (const c of count.values()) if (c > 1) shared++;
  return { photos: count.size, shared };
}

/** True when two rows of the group are faces of one photo. */
export function hasSamePhotoConflict(rows: readonly number[], photoOf: ArrayLike<number>): boolean {
  return photosOfGroup(rows, photoOf).shared > 0;
}

/** Redraws every group of `labels` that holds two faces of one photo; other groups keep their members. */
export function separateSamePhotoFaces(vectors: VectorSet, labels: ArrayLike<number>, photoOf: ArrayLike<number>, options: SamePhotoOptions): SamePhotoResult {
  const out = new Int32Array(labels.length).fill(UNASSIGNED);
  let next = 0;
  let groupsWithConflicts = 0;
  let groupsSplit = 0;
  let released = 0;
  const keep = (rows: readonly number[]) => {
    const label = next++;
    for (const r of rows) out[r] = label;
  };
  for (const rows of clusterMembers(labels)) {
    const { photos, shared } = photosOfGroup(rows, photoOf);
    if (shared === 0) {
      keep(rows);
      continue;
    }
    groupsWithConflicts++;
    const split = rows.length <= (options.pairwiseLimit ?? PAIRWISE_LIMIT) && looksLikeSeveralPeople(shared, photos);
    if (split) groupsSplit++;
    const parts = split ? constrainedAverageLinkage(vectors, rows, photoOf, options.cut) : [onePerPhoto(vectors, rows, photoOf)];
    let kept = 0;
    for (const part of parts) {
      if (part.length < options.minSize) continue;
      keep(part);
      kept += part.length;
    }
    released += rows.length - kept;
  }
  return { labels: out, groupsWithConflicts, groupsSplit, released };
}

/**
 * Average-linkage (UPGMA) clustering of `rows` with a cannot-link between rows of one photo, stopped at `cut`.
 * A forbidden pair has distance Infinity, and the Lance-Williams update keeps it Infinity for any group that holds
 * either row, so no merge ever puts a photo twice into a group. Each active group caches its nearest allowed
 * group; after a merge only the groups that pointed at the two merged ones are searched again.
 */
export function constrainedAverageLinkage(vectors: VectorSet, rows: readonly number[], photoOf: ArrayLike<number>, cut: number): number[][] {
  const m = rows.length;
  const d = new Float32Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const v = photoOf[rows[i]] === photoOf[rows[j]] ? Infinity : cosineDistance(vectors, rows[i], rows[j]);
      d[i * m + j] = v;
      d[j * m + i] = v;
    }
  }
  const active = new Uint8Array(m).fill(1);
  const size = new Int32Array(m).fill(1);
  const members: number[][] = rows.map((r) => [r]);
  const nearest = new Int32Array(m).fill(-1);
  const nearestDistance = new Float64Array(m).fill(Infinity);
  const findNearest = (i: number) => {
    let best = -1;
    let bestDistance = Infinity;
    for (let j = 0; j < m; j++) {
      if (j === i || !active[j]) continue;
      const v = d[i * m + j];
      if (v < bestDistance) {
        bestDistance = v;
        best = j;
      }
    }
    nearest[i] = best;
    nearestDistance[i] = bestDistance;
  };
  for (let i = 0; i < m; i++) findNearest(i);
  for (;;) {
    let a = -1;
    let best = Infinity;
    for (let i = 0; i < m; i++) {
      if (active[i] && nearestDistance[i] < best) {
        best = nearestDistance[i];
        a = i;
      }
    }
    if (a < 0 || best > cut) break;
    const b = nearest[a];
    mergeAverageLinkage(d, m, size, active, a, b);
    members[a].push(...members[b]);
    members[b] = [];
    findNearest(a);
    for (let k = 0; k < m; k++) {
      if (!active[k] || k === a) continue;
      if (nearest[k] === a || nearest[k] === b) findNearest(k);
      else if (d[k * m + a] < nearestDistance[k]) {
        nearest[k] = a;
        nearestDistance[k] = d[k * m + a];
      }
    }
  }
  return members.filter((group, i) => active[i] && group.length > 0);
}

/** The group's rows with, for each photo, only the face nearest the group's mean. */
function onePerPhoto(vectors: VectorSet, rows: readonly number[], photoOf: ArrayLike<number>): number[] {
  const mean = centroid(vectors, rows);
  const best = new Map<number, { row: number; distance: number }>();
  for (const r of rows) {
    const distance = cosineDistanceOf(row(vectors, r), mean);
    const current = best.get(photoOf[r]);
    if (!current || distance < current.distance) best.set(photoOf[r], { row: r, distance });
  }
  return [...best.values()].map((b) => b.row);
}

// How unlike a face is to a person: the score behind "least alike first" on a person's page
// (main/people/least-alike.ts). Plain JS on unit vectors (the library's embeddings are L2-normalised).
import { evenlySampled } from './random.js';
import { twoParts } from './two-people.js';
import { row as rowOf, type VectorSet } from './vectors.js';

/** A face's distance to a person is its mean distance to this many of the person's nearest confirmed faces. */
export const NEAREST_CONFIRMED = 3;

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Mean cosine distance from `vector` to its `k` nearest `references`, leaving out the reference at index `skip` (the
 * face itself, when it is one of them). 0 when no other reference is left: a person's only confirmed face is the
 * reference itself. Near enough to follow a child across the years, and less swayed by one odd confirmation than
 * the single nearest.
 */
export function meanDistanceToNearest(vector: ArrayLike<number>, references: readonly ArrayLike<number>[], k = NEAREST_CONFIRMED, skip = -1): number {
  const nearest: number[] = [];
  for (let i = 0; i < references.length; i++) {
    if (i === skip) continue;
    const d = 1 - dot(vector, references[i]);
    if (nearest.length === k && d >= nearest[k - 1]) continue;
    if (nearest.length === k) nearest.pop();
    let at = nearest.length;
    while (at > 0 && nearest[at - 1] > d) at--;
    nearest.splice(at, 0, d);
  }
  return nearest.length === 0 ? 0 : Math.max(0, nearest.reduce((s, d) => s + d, 0) / nearest.length);
}

/** The unit vector along the mean of `vectors`: a group's average face. */
export function averageDirection(vectors: readonly ArrayLike<number>[]): Float64Array {
  const mean = new Float64Array(vectors[0]?.length ?? 0);
  for (const v of vectors) for (let i = 0; i < v.length; i++) mean[i] += v[i];
  const norm = Math.sqrt(dot(mean, mean)) || 1;
  return mean.map((x) => x / norm);
}

/** Cosine distance from a unit vector to a unit direction. */
export function distanceToDirection(vector: ArrayLike<number>, direction: ArrayLike<number>): number {
  return Math.max(0, 1 - dot(vector, direction));
}

/** Faces compared with (evenly sampled beyond): bounds the work for a person with thousands. */
export const MAX_REFERENCE = 256;

export interface PersonLikeness {
  /**
   * Per face, its distance to the person: the mean distance to its 3 nearest confirmed faces (leaving itself out), or,
   * with none confirmed, to the group's average face. What "unlike" is judged on (with confirmed faces only).
   */
  toPerson: Float64Array;
  /**
   * The key of the least-alike order: `toPerson`, raised for the faces in the smaller part when the person's faces
   * fall in two parts farther apart than `cut` (average linkage's last merge, as models/cluster/two-people.ts) to
   * their distance from the larger part. A block of five of a sister's photos named with her brother are each
   * other's nearest faces, so their own distances stay small; against the brother's part they are not.
   */
  order: Float64Array;
}

/**
 * Per face of one person (`vectors`), its distance to the person (PersonLikeness.toPerson): cheap next to the order,
 * so the People list can count every person's unlike faces without splitting anyone in two.
 */
export function distancesToPerson(vectors: VectorSet, confirmedRows: readonly number[]): Float64Array {
  const row = (r: number) => rowOf(vectors, r);
  const toPerson = new Float64Array(vectors.count);
  if (confirmedRows.length > 0) {
    const reference = evenlySampled(confirmedRows, MAX_REFERENCE);
    const referenceVectors = reference.map(row);
    const referenceIndex = new Map(reference.map((r, i) => [r, i]));
    for (let r = 0; r < vectors.count; r++) toPerson[r] = meanDistanceToNearest(row(r), referenceVectors, NEAREST_CONFIRMED, referenceIndex.get(r) ?? -1);
  } else {
    const all = Array.from({ length: vectors.count }, (_, r) => row(r));
    const mean = averageDirection(all);
    for (let r = 0; r < vectors.count; r++) toPerson[r] = distanceToDirection(all[r], mean);
  }
  return toPerson;
}

/** Likeness of every face of one person (`vectors`), given which rows the user confirmed. */
export function personLikeness(vectors: VectorSet, confirmedRows: readonly number[], cut: number): PersonLikeness {
  const row = (r: number) => rowOf(vectors, r);
  const toPerson = distancesToPerson(vectors, confirmedRows);
  const order = Float64Array.from(toPerson);
  const parts = vectors.count >= 2 ? twoParts(vectors, Array.from({ length: vectors.count }, (_, r) => r), { cut, minSize: 1 }) : null;
  if (parts) {
    const [larger, smaller] = parts[0].length >= parts[1].length ? parts : [parts[1], parts[0]];
    const reference = evenlySampled(larger, MAX_REFERENCE).map(row);
    for (const r of smaller) order[r] = Math.max(order[r], meanDistanceToNearest(row(r), reference));
  }
  return { toPerson, order };
}

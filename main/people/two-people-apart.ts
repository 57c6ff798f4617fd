// Whether the two parts the "may be two people" question found lie apart as two people do (two-people.ts): plain
// numbers in, so the worker thread (two-parts-worker.ts) and the engine's thread give the same verdict.
//
// The last merge's height alone (0.65 of the same-person distance) asked about one person photographed two ways: on
// lfw_subset Fidel Castro, Andy Roddick, Anna Kournikova and three more, each alone, fall in two parts 0.059-0.083
// apart, but each part is loose, so the parts lie only 1.23-1.48 times as far apart as each part's own faces. Two
// people are two tight parts at a distance: Serena and Venus Williams 1.81 times. Measured in docs/clustering.md
// ("Asking when a group may be two people").
import { twoParts, type TwoPeopleOptions } from '../../models/cluster/two-people.js';
import type { VectorSet } from '../../models/cluster/vectors.js';
import { spreadOf } from './group-admission.js';

/**
 * How many times farther apart the two parts' faces must lie, on average, than each part's own faces (the mean of the
 * two parts' spreads, group admission's measure) for the question to be asked.
 */
export const TWO_PEOPLE_SEPARATION = 1.5;

export interface TwoPeopleQuestionOptions extends TwoPeopleOptions {
  /** TWO_PEOPLE_SEPARATION; 0 asks on the last merge's height alone (the rule before). */
  separation: number;
}

/**
 * The two parts' mean distance across (every face of one to every face of the other) over the mean of their spreads
 * (the median of each face's mean distance to the others of its part). Rows are L2-normalized.
 */
export function separationOf(vectors: VectorSet, parts: readonly [readonly number[], readonly number[]]): number {
  const across = distanceAcross(vectors, parts);
  const within = (spreadOf(vectors, parts[0]) + spreadOf(vectors, parts[1])) / 2;
  return within > 0 ? across / within : Infinity;
}

/**
 * The mean cosine distance from every face of one part to every face of the other (average linkage's height for their
 * merge), from the parts' vector sums. Rows are L2-normalized.
 */
export function distanceAcross(vectors: VectorSet, parts: readonly [readonly number[], readonly number[]]): number {
  const { dim, data } = vectors;
  const sums = parts.map((rows) => {
    const sum = new Float64Array(dim);
    for (const r of rows) for (let t = 0; t < dim; t++) sum[t] += data[r * dim + t];
    return sum;
  });
  let dot = 0;
  for (let t = 0; t < dim; t++) dot += sums[0][t] * sums[1][t];
  return 1 - dot / (parts[0].length * parts[1].length);
}

/**
 * Whether two sets of faces lie farther apart, on average, than `sameDistance`: the model alone calls them two people,
 * as the clustering's own split does (models/cluster/two-people.ts). `vectorOf`: a face's L2-normalized embedding.
 */
export function liesBeyond<F>(a: readonly F[], b: readonly F[], vectorOf: (face: F) => Float32Array, sameDistance: number): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const dim = vectorOf(a[0]).length;
  const faces = [...a, ...b];
  const data = new Float32Array(faces.length * dim);
  faces.forEach((f, r) => data.set(vectorOf(f), r * dim));
  const rows = faces.map((_, r) => r);
  return distanceAcross({ dim, count: faces.length, data }, [rows.slice(0, a.length), rows.slice(a.length)]) > sameDistance;
}

/** The question's two parts (twoParts' rule, then the parts lying apart as two people do), or null when it is not asked. */
export function twoPeopleParts(vectors: VectorSet, rows: readonly number[], options: TwoPeopleQuestionOptions): [number[], number[]] | null {
  const parts = twoParts(vectors, rows, options);
  return parts && (options.separation <= 0 || separationOf(vectors, parts) >= options.separation) ? parts : null;
}

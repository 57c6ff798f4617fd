// How unlike a face is to a person: the score behind "least alike first" on a person's page
// (main/people/least-alike.ts). Plain JS on unit vectors (the library's embeddings are L2-normalised).

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

// Distances change with the head, so the people module's thresholds (settings.peopleThresholds, keyed per
// embedding model) and the same-person distance are carried over to a new head at the same operating point,
// measured on the user's own confirmed faces before and after (models/embedder/metrics.ts transferThreshold).
//
// Two things keep the carried thresholds honest (QA: after training, a stranger joined Tom Hanks and three of Jeb's
// faces were offered as George W; docs/embedder.md, "Thresholds follow the model"):
//  - They are measured on pairs with a held-out face, one the head never trained on. The head pushes the different
//    people it trained on apart, so among its own training faces different people no longer come close (on the QA
//    library the nearest two were 0.100 apart, the farthest same-person pair 0.125), and the same false-accept rate
//    there put the placement distance where it accepted 99.85 % of same-person pairs instead of 85 %.
//  - The thresholds that decide without the user (placing a face, grouping, naming, "same person") never accept a
//    larger share of same-person pairs than before. A head is trained on the people the user named, so it tells them
//    apart better than it tells a stranger from them: at the same false-accept rate on the user's people, more
//    strangers pass. On lfw_subset families of lookalikes (30 people, 6 photos of each confirmed, 4 trainings;
//    scratch/transfer-eval.ts, not committed), placement took 90 of 1,602 strangers where the raw embedding took 30;
//    carried this way, 23, placing as many of the people's own photos (470 of 480, raw 470). On 60 people picked at
//    random (3 trainings): 44 of 1,202 strangers before, 22 now, raw 27; own photos 530 of 541, raw 533.
//    The suggestion distance keeps the false-accept rate: the user confirms each suggestion.
import { pairDistances, transferThreshold, trueAcceptRate, type LabelledVectors, type PairDistances } from '../../models/embedder/metrics.js';
import type { PeopleThresholds } from '../people/types.js';

/** Cluster-parameter fields that are distances (the others are counts, seeds or flags). */
const CLUSTER_DISTANCE_KEYS = new Set(['maxDistance', 'eps', 'threshold', 'cut', 'missingDistance']);

/**
 * Fewer held-out same-person pairs than this measure no operating point: the thresholds stay as they are, the
 * numbers the backbone uses (a head spreads distances out, so they are stricter on it, never looser).
 */
export const MIN_CALIBRATION_PAIRS = 20;

/**
 * The pairs thresholds are carried on: every held-out face (confirmed, never trained on) with every other confirmed
 * face, same person or not. `embed` puts backbone rows into the embedding being measured (the one in use, or the new
 * head). `trained` may hold faces known only through rejections (label -1): they are left out.
 */
export function heldOutPairs(trained: LabelledVectors, heldOut: LabelledVectors, embed: (rows: Float32Array) => Float32Array): PairDistances {
  const { dim } = heldOut;
  const keep = [...trained.labels.keys()].filter((i) => trained.labels[i] >= 0);
  const rows = new Float32Array(keep.length * dim);
  keep.forEach((i, k) => rows.set(trained.vectors.subarray(i * dim, (i + 1) * dim), k * dim));
  const others: LabelledVectors = { dim, vectors: embed(rows), labels: Int32Array.from(keep.map((i) => trained.labels[i])) };
  const held: LabelledVectors = { dim, vectors: embed(Float32Array.from(heldOut.vectors)), labels: heldOut.labels };
  const across = pairDistances(held, others);
  const within = pairDistances(held);
  return { genuine: Float32Array.from([...across.genuine, ...within.genuine]), impostor: Float32Array.from([...across.impostor, ...within.impostor]) };
}

/** The distance that accepts the same share of same-person pairs after as `threshold` did before. */
function sameTrueAcceptRate(threshold: number, before: PairDistances, after: PairDistances): number {
  const share = trueAcceptRate(before.genuine, threshold);
  const sorted = Float32Array.from(after.genuine).sort();
  // Every pair before: every pair after, and no farther.
  if (share >= 1) return sorted[sorted.length - 1] + 1e-3;
  const index = Math.floor(share * sorted.length);
  const lower = index > 0 ? sorted[index - 1] : Math.max(0, sorted[0] - 1e-3);
  return (lower + sorted[index]) / 2;
}

/** Whether the pairs can measure an operating point at all. */
export function enoughPairs(before: PairDistances, after: PairDistances): boolean {
  return Math.min(before.genuine.length, after.genuine.length) >= MIN_CALIBRATION_PAIRS && before.impostor.length > 0 && after.impostor.length > 0;
}

/**
 * A threshold that decides without the user, carried to another embedding: the same false-accept rate on the
 * different-person pairs, but never a larger share of the same-person pairs than before (see the top of this file).
 */
export function carryCautiously(threshold: number, before: PairDistances, after: PairDistances): number {
  if (!enoughPairs(before, after)) return threshold;
  return Math.min(transferThreshold(threshold, before, after), sameTrueAcceptRate(threshold, before, after));
}

/** The people module's thresholds carried over (pairs from heldOutPairs, before and after). */
export function transferPeopleThresholds(thresholds: PeopleThresholds, before: PairDistances, after: PairDistances): PeopleThresholds {
  if (!enoughPairs(before, after)) return thresholds;
  const move = (d: number) => carryCautiously(d, before, after);
  const cluster = Object.fromEntries(
    Object.entries(thresholds.cluster).map(([key, value]) => [key, CLUSTER_DISTANCE_KEYS.has(key) && typeof value === 'number' ? move(value) : value]),
  ) as PeopleThresholds['cluster'];
  const placeDistance = move(thresholds.placeDistance);
  // The margin is a difference of distances: it scales with the placement distance.
  const placeMargin = thresholds.placeDistance > 0 ? (thresholds.placeMargin * placeDistance) / thresholds.placeDistance : thresholds.placeMargin;
  return {
    cluster,
    placeDistance,
    placeMargin,
    // Every suggestion is the user's to confirm: the wider net keeps the false-accept rate alone.
    suggestDistance: transferThreshold(thresholds.suggestDistance, before, after),
    whoDistance: move(thresholds.whoDistance),
    sameDistance: move(thresholds.sameDistance),
  };
}

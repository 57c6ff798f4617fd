// Distances change with the head, so the people module's thresholds (settings.peopleThresholds, keyed per
// embedding model) are carried over to a new head at the same operating point, measured on the user's own
// confirmed faces before and after (models/embedder/metrics.ts transferThreshold).
import { transferThreshold, type PairDistances } from '../../models/embedder/metrics.js';
import type { PeopleThresholds } from '../people/types.js';

/** Cluster-parameter fields that are distances (the others are counts, seeds or flags). */
const CLUSTER_DISTANCE_KEYS = new Set(['maxDistance', 'eps', 'threshold', 'cut', 'missingDistance']);

export function transferPeopleThresholds(thresholds: PeopleThresholds, before: PairDistances, after: PairDistances): PeopleThresholds {
  const move = (d: number) => transferThreshold(d, before, after);
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
    suggestDistance: move(thresholds.suggestDistance),
    whoDistance: move(thresholds.whoDistance),
    sameDistance: move(thresholds.sameDistance),
  };
}

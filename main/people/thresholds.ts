// Thresholds per embedding model: measured defaults (docs/clustering.md, scripts/compare-clustering.ts) keyed by
// the embedding in use, overridable per library in settings.json under `peopleThresholds[modelKey]`. A trained
// head changes distances, so its thresholds are separate from the raw backbone's.
import type { LibraryInfo, Settings } from '../store/types.js';
import type { PeopleThresholds } from './types.js';

/** Key of the embedding in use: 'backbone' (face-api ResNet 128-d, raw) or 'head:<modelId>'. */
export function embeddingModelKey(info: Pick<LibraryInfo, 'embedding'>): string {
  return info.embedding.kind === 'backbone' ? 'backbone' : `head:${info.embedding.modelId}`;
}

/**
 * Measured on ../shared/faces/lfw_subset with the face-api ResNet backbone, L2-normalised, pipeline
 * ssd0.4-padretry-lm68-dlib33align-resnet128mirror-v3 (docs/clustering.md, scripts/compare-clustering.ts; v4 changes
 * detections on non-square photos only slightly, and tests/models/cluster/lfw-quality.test.ts holds on it):
 * same-person pairs sit at cosine distance ~0.03-0.08, different people above.
 *  - cluster: HDBSCAN, BCubed precision 98.2%, F1 96.8%: the best F1 at >= 98% precision of every method but
 *    HDBSCAN's leaf selection, which scores higher on LFW's ten faces per person but shatters people with
 *    hundreds of faces; unlike Chinese Whispers (96.7%) it does not depend on the order faces are visited in,
 *    so groups do not reshuffle from one recluster to the next;
 *  - placement: 99.6% of placed faces land in their own person, 97.1% of faces placed, 1% of strangers placed;
 *  - same: the distance of best balanced accuracy over all pairs (98.5%);
 *  - suggestions: looser than placement (95% of same-person pairs are under 0.072); the user confirms each.
 */
export const BACKBONE_THRESHOLDS: PeopleThresholds = {
  cluster: { method: 'hdbscan', minClusterSize: 3, minSamples: 2, selection: 'eom', maxDistance: 0.08 },
  placeDistance: 0.055,
  placeMargin: 0.01,
  suggestDistance: 0.12,
  whoDistance: 0.055,
  sameDistance: 0.087,
};

export const DEFAULT_THRESHOLDS: Record<string, PeopleThresholds> = { backbone: BACKBONE_THRESHOLDS };

export function thresholdsFor(info: Pick<LibraryInfo, 'embedding'>, settings: Readonly<Settings>): PeopleThresholds {
  const key = embeddingModelKey(info);
  const stored = (settings.peopleThresholds as Record<string, Partial<PeopleThresholds>> | undefined)?.[key];
  // A head without measured thresholds starts from the backbone's: heads are trained to tighten, not scatter.
  // settings.samePersonDistance is the one user-visible "same person" threshold (the Settings screen edits it, an
  // embedder switch carries it to the new model), so "same" never disagrees with `familiar faces --embeddings`.
  return { ...(DEFAULT_THRESHOLDS[key] ?? BACKBONE_THRESHOLDS), ...stored, sameDistance: settings.samePersonDistance };
}

/**
 * The same-person distance measured for the embedding in use, before any change in Settings: the backbone's, or the
 * one training carried to a head (stored with its thresholds). A head's distances are on their own scale: measured
 * against the backbone's 0.087, the head's own 0.141 read as a looser Settings value, and the reaches grew with it
 * (QA: three of Jeb's faces and a stranger offered as George W after training).
 */
export function calibratedSameDistance(library: { info: Pick<LibraryInfo, 'embedding'>; settings: Readonly<Settings> }): number {
  const key = embeddingModelKey(library.info);
  const stored = (library.settings.peopleThresholds as Record<string, Partial<PeopleThresholds>> | undefined)?.[key]?.sameDistance;
  return typeof stored === 'number' && Number.isFinite(stored) ? stored : (DEFAULT_THRESHOLDS[key] ?? BACKBONE_THRESHOLDS).sameDistance;
}

/**
 * The thresholds the questions reach by ("Are these the same person?", "Is this <Name>?" about a group, a person's
 * suggestions, "Which one?"): thresholdsFor's, with a same-person distance never tighter than the calibrated one. A
 * stricter Settings value makes the automatic grouping join fewer faces; what it no longer joins is for the user to
 * decide, so the questions must still reach it. QA at 0.05: George HW Bush split into two groups of 5,
 * 0.041 apart, and no question ever linked them (each reach had shrunk with the setting). A looser value still
 * widens them, as before. Measured in docs/clustering.md ("A stricter same-person distance").
 */
export function questionThresholds(library: { info: Pick<LibraryInfo, 'embedding'>; settings: Readonly<Settings> }): PeopleThresholds {
  const thresholds = thresholdsFor(library.info, library.settings);
  return { ...thresholds, sameDistance: Math.max(thresholds.sameDistance, calibratedSameDistance(library)) };
}

// Thresholds per embedding model: measured defaults (docs/clustering.md, scripts/compare-clustering.ts) keyed by
// the embedding in use, overridable per library in settings.json under `peopleThresholds[modelKey]`. A trained
// head changes distances, so its thresholds are separate from the raw backbone's.
import type { LibraryInfo, Settings } from '../store/types.js';
import type { PeopleThresholds } from './types.js';

/** Key of the embedding in use: 'backbone' (face-api ResNet 128-d, raw) or 'head:<modelId>'. */
export function embeddingModelKey(info: Pick<LibraryInfo, 'embedding'>): string {
  return info.embedding.kind === 'backbone' ? 'backbone' : `head:${info.embedding.modelId}`;
}

/** Measured on ../shared/faces/lfw_subset with the face-api ResNet backbone (see docs/clustering.md). */
export const BACKBONE_THRESHOLDS: PeopleThresholds = {
  cluster: { method: 'agglomerative', cut: 0.2 },
  placeDistance: 0.16,
  placeMargin: 0.02,
  suggestDistance: 0.3,
  whoDistance: 0.16,
  sameDistance: 0.2,
};

export const DEFAULT_THRESHOLDS: Record<string, PeopleThresholds> = { backbone: BACKBONE_THRESHOLDS };

export function thresholdsFor(info: Pick<LibraryInfo, 'embedding'>, settings: Readonly<Settings>): PeopleThresholds {
  const key = embeddingModelKey(info);
  const stored = (settings.peopleThresholds as Record<string, Partial<PeopleThresholds>> | undefined)?.[key];
  // A head without measured thresholds starts from the backbone's: heads are trained to tighten, not scatter.
  return { ...(DEFAULT_THRESHOLDS[key] ?? BACKBONE_THRESHOLDS), ...stored };
}

// Where the two-people judgements are made: "may be two people" (two-people.ts), a merge of two named people lying
// beyond the same-person distance (decisions.ts), a confirmed face unlike the others (least-alike.ts). On the
// embedding in use and, while a trained head is in use, on the backbone's own vectors too, each at its own
// same-person distance. A head learns what the user's confirmations say, a wrong merge included, and then sees
// nothing left to ask: QA merged Amy into Penny (0.117 apart on the backbone, beyond its 0.087); the head trained on
// that merge put them 0.098 apart, under its 0.110, and the page that had flagged a Leonard face confirmed into Amy
// said "0 of 15 faces look unlike". A head may raise a question; only the user's answer closes one.
import { normalizeRows } from '../../models/embedder/head.js';
import { thresholdKey } from '../embedder/versions.js';
import type { Library } from '../store/library.js';
import type { FaceRecord, Settings } from '../store/types.js';
import { BACKBONE_THRESHOLDS, thresholdsFor } from './thresholds.js';

/** One space faces are judged in: each face's L2-normalised vector there, and the same-person distance it has. */
export interface JudgingSpace {
  dim: number;
  vectorOf(face: FaceRecord): Float32Array;
  sameDistance: number;
}

/**
 * What the spaces are read from: the backbone's vectors when the store has them (a Library does). Not PeopleLibrary
 * (people/library.ts): the store opens through this module, and the renderer's type-check reads the store's types.
 */
type SpaceLibrary = Pick<Library, 'info' | 'settings' | 'embeddingOf'> & Partial<Pick<Library, 'backboneOf'>>;

/** The embedding in use, at the same-person distance in use. */
export function spaceInUse(library: SpaceLibrary): JudgingSpace {
  return { dim: library.info.embeddingDim, vectorOf: (face) => library.embeddingOf(face), sameDistance: thresholdsFor(library.info, library.settings).sameDistance };
}

/**
 * The backbone's same-person distance while a head is in use: the one the library had with the backbone (remembered
 * when it switched: main/embedder/switch.ts), else the backbone's measured one.
 */
export function backboneSameDistance(settings: Readonly<Settings>): number {
  const remembered = settings[thresholdKey('raw')];
  return typeof remembered === 'number' && Number.isFinite(remembered) ? remembered : BACKBONE_THRESHOLDS.sameDistance;
}

/** Every space a judgement is made in, the embedding in use first; the backbone too while a head is in use. */
export function judgingSpaces(library: SpaceLibrary): JudgingSpace[] {
  const inUse = spaceInUse(library);
  const backboneOf = library.backboneOf?.bind(library);
  if (library.info.embedding.kind === 'backbone' || !backboneOf) return [inUse];
  const dim = library.info.backboneDim;
  const backbone: JudgingSpace = { dim, vectorOf: (face) => normalizeRows(Float32Array.from(backboneOf(face)), dim), sameDistance: backboneSameDistance(library.settings) };
  return [inUse, backbone];
}

/** What the judgements depend on besides the faces: the embedding in use and each space's distance (for caches' keys). */
export function judgingKey(library: SpaceLibrary): string {
  return `${JSON.stringify(library.info.embedding)}|${judgingSpaces(library).map((s) => s.sameDistance).join('|')}`;
}

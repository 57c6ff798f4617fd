// How many passes the face studio (the autoencoder) needs to learn to draw faces: the Studio's notice advises it for a
// version trained too briefly, and the Training form starts from it, so the advice and the form agree (QA: the notice
// said 40 passes, the form still offered 12).
import { TRAINING_DEFAULTS, TRAINING_LIMITS } from '../../preload/contract.js';
import type { ModelVersion } from './types.js';

/**
 * Faces drawn in training, all passes together, before the drawings look like faces: about 200 batches of 32 (8
 * passes over 800 faces drew recognisable faces in docs/autoencoder.md; 2 passes over 154 or 280 drew grey noise).
 */
const FACES_DRAWN_FOR_CLEAR = 6400;

/** Passes over `faces` faces to draw them clearly: fewer faces make each pass shorter, so they need more; never fewer than the default, capped at the limit. */
export function passesToDrawFaces(faces: number): number {
  return Math.min(TRAINING_LIMITS.epochs.max, Math.max(TRAINING_DEFAULTS.autoencoder.epochs, Math.ceil(FACES_DRAWN_FOR_CLEAR / Math.max(1, faces) / 5) * 5));
}

/**
 * The passes to train the version in use again with, when it was trained for too few to draw faces; else null. The
 * engine's measure of its drawings decides when it has one (training now keeps making passes until they differ):
 * a version that drew the faces apart after fewer passes than the rule of thumb is not sent round again (QA).
 */
export function passesToTrainAgain(inUse: Pick<ModelVersion, 'faces' | 'epochs' | 'drawsMuchAlike'> | undefined): number | null {
  if (!inUse || inUse.epochs === undefined) return null;
  const needed = passesToDrawFaces(inUse.faces);
  if (inUse.drawsMuchAlike !== undefined) {
    return inUse.drawsMuchAlike ? Math.min(TRAINING_LIMITS.epochs.max, Math.max(needed, Math.ceil((inUse.epochs * 1.5) / 5) * 5)) : null;
  }
  return inUse.epochs < needed ? needed : null;
}

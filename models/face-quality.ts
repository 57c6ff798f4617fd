// Whether a detected face carries enough of a face for its descriptor to tell people apart.
//
// The detector finds faces the recognition net cannot recognise: strangers 15-30 px tall at a photo's edge, a blurred
// ear, a pattern that only looks like a face. Their descriptors carry little identity and fall together near one
// region of the space, so clustering drew them into a "person" of strangers. On lfw_subset (every face of every
// photo, `npm run bench:cluster`, section "Faces too small to recognise") that was the largest group of all: 30
// faces of 30 different people. Every one of LFW's labelled faces passes the three tests below.
import { landmarkFitResidual } from './aligner.js';
import type { Box, Point } from './types.js';

/**
 * Shorter side of a face box, in the pixels the descriptor was computed from, below which the face is not grouped on
 * its own. The recognition net sees a 150 px chip: a 20 px face blown up to it shows a blur. On lfw_subset the
 * labelled faces are 76 px and larger (1st percentile) while the bystanders' 5th percentile is 19 px.
 */
export const MIN_RECOGNISABLE_SIDE = 32;

/**
 * Landmark fit residual (models/aligner.ts: mean distance to dlib's face template after a similarity fit, over the
 * eye distance) above which the 68 points do not describe a face: the 99th percentile of LFW's labelled faces is
 * 0.11, a profile 0.25; the non-faces that joined the group of strangers scored 0.5-1.1.
 */
export const MAX_RECOGNISABLE_FIT_RESIDUAL = 0.3;

/**
 * A box that touches the photo's edge and is this much narrower than it is tall (or the reverse) holds part of a
 * face: the detector's boxes are clipped to the photo. A whole face's box is at least 0.57 as wide as tall on every
 * labelled face of lfw_subset, ORL and yalefaces; the strangers cut off at LFW's edges have a median of 0.54. A
 * tight crop (a passport photo, face-api.js's samples) also touches the edges, but with a whole face's proportions.
 */
export const MAX_CUT_ASPECT = 0.6;

/** How many pixels from the photo's edge a box counts as touching it. */
const EDGE_PIXELS = 2;

/** Why a face is not recognisable on its own, or null when it is. */
export type Unrecognisable = 'small' | 'cut' | 'unclear';

export interface QualityInput {
  /** Shorter box side in the analysed image's pixels (DetectedFace.analysedSide). */
  analysedSide: number;
  /** The 68 landmarks, in any pixel frame (the residual is scale-free). */
  landmarks: readonly Point[];
  /** The box and the photo's size, in the same pixels (original photo pixels for a stored face); null: unknown. */
  box: Box;
  frame: { width: number; height: number } | null;
}

export function whyUnrecognisable(face: QualityInput): Unrecognisable | null {
  if (face.analysedSide < MIN_RECOGNISABLE_SIDE) return 'small';
  if (face.frame && isCutOff(face.box, face.frame)) return 'cut';
  if (face.landmarks.length === 68 && !(landmarkFitResidual(face.landmarks as Point[]) <= MAX_RECOGNISABLE_FIT_RESIDUAL)) return 'unclear';
  return null;
}

function isCutOff([x, y, w, h]: Box, frame: { width: number; height: number }): boolean {
  const touches = x <= EDGE_PIXELS || y <= EDGE_PIXELS || x + w >= frame.width - EDGE_PIXELS || y + h >= frame.height - EDGE_PIXELS;
  return touches && w > 0 && h > 0 && Math.min(w / h, h / w) < MAX_CUT_ASPECT;
}

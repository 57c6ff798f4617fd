// Whether two faces are one face: the same photo saved again, cropped, mirrored or retouched (an edit), not another
// photo of the same person. Read by the import (a known path's new bytes) and by the grouping (a re-saved copy's face
// takes over the rejections of the face it was), so kept free of either's dependencies.
import { cosineDistanceOf } from './vectors.js';

/**
 * An edited copy's face (saved again, cropped, mirrored, retouched) lies this close to the face it was, in backbone
 * cosine distance: measured 0.0007 for a crop, 0.0075 mirrored and brightened. Another photo of the same person lies
 * further: 4 % of lfw_subset's same-person pairs are within it (shots of one moment), 72 % within 0.05 (QA: another
 * photo of the same man saved over the file passed for an edit at 0.05).
 */
export const EDITED_FACE_DISTANCE = 0.02;

/**
 * Pairs a photo's new faces with the faces of the photo its file held before, by likeness (nearest first, one to
 * one): an edit moves boxes (a crop, a turn) but leaves each face looking like itself.
 */
export function matchFacesByLikeness<F>(previous: readonly F[], vectorOf: (face: F) => Float32Array | null, descriptors: readonly Float32Array[]): Map<number, F> {
  const pairs: Array<{ i: number; face: F; distance: number }> = [];
  const vectors = previous.map((face) => ({ face, vector: vectorOf(face) }));
  descriptors.forEach((descriptor, i) => {
    for (const { face, vector } of vectors) {
      if (!vector) continue;
      const distance = cosineDistanceOf(vector, descriptor);
      if (distance <= EDITED_FACE_DISTANCE) pairs.push({ i, face, distance });
    }
  });
  pairs.sort((a, b) => a.distance - b.distance);
  const matched = new Map<number, F>();
  const used = new Set<F>();
  for (const { i, face } of pairs) {
    if (matched.has(i) || used.has(face)) continue;
    matched.set(i, face);
    used.add(face);
  }
  return matched;
}

// The text of faces.json and of faces.journal lines: what JSON.stringify gives, with each face's landmarks serialised
// once (docs/architecture.md, "Scale").
import type { FaceRecord, FacesDocument } from './types.js';

/**
 * JSON of each face's landmarks, by array identity. Their 136 numbers are most of what serialising a face costs
 * (number-to-text conversion). Landmarks are never edited in place: analysis and re-analysis store new arrays. The
 * list is frozen when first cached, so replacing a point in it throws instead of going unsaved (freezing every
 * point too cost seconds on a large library's first write).
 */
const landmarksJson = new WeakMap<object, string>();

function cachedLandmarksJson(landmarks: FaceRecord['landmarks']): string {
  let json = landmarksJson.get(landmarks);
  if (json === undefined) {
    json = JSON.stringify(landmarks);
    Object.freeze(landmarks);
    landmarksJson.set(landmarks, json);
  }
  return json;
}

/** One face's JSON, landmarks last. */
export function faceJson(face: FaceRecord): string {
  const { landmarks, ...rest } = face;
  const head = JSON.stringify(rest);
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"landmarks":${cachedLandmarksJson(landmarks)}}`;
}

/** faces.json's text: what JSON.stringify(data) gives (landmarks last in each face), with landmarks from the cache. */
export function facesJson(data: FacesDocument): string {
  const { faces, ...top } = data;
  const head = JSON.stringify(top);
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"faces":[${faces.map(faceJson).join(',')}]}`;
}

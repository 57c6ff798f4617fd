// How a stored face keeps its 68 landmarks: one flat list [x0, y0, x1, y1, ...] (schema version 2). As 68 [x, y]
// pairs, a 100,000-face library held 6.8 million little arrays that every open parsed and every major garbage
// collection traced for as long as the app ran (docs/architecture.md, "Scale").
import type { Point } from '../../models/types.js';

/** The models' points as the store keeps them. */
export function flattenLandmarks(points: readonly Point[]): number[] {
  const flat = new Array<number>(points.length * 2);
  for (let i = 0; i < points.length; i++) {
    flat[2 * i] = points[i][0];
    flat[2 * i + 1] = points[i][1];
  }
  return flat;
}

/** The stored list as the models' points (for the aligner and the quality check). */
export function landmarkPoints(flat: readonly number[]): Point[] {
  const points = new Array<Point>(flat.length >> 1);
  for (let i = 0; i < points.length; i++) points[i] = [flat[2 * i], flat[2 * i + 1]];
  return points;
}

/**
 * A face record as schema version 1 wrote it (landmarks as [x, y] pairs) brought to the flat list, in place. Records
 * already flat, or not records at all, are left for the shape check to judge.
 */
export function upgradeFaceLandmarks(face: unknown): void {
  if (typeof face !== 'object' || face === null) return;
  const record = face as { landmarks?: unknown };
  const value = record.landmarks;
  if (!Array.isArray(value) || value.length === 0 || !Array.isArray(value[0])) return;
  if (!value.every((p) => Array.isArray(p) && p.length === 2)) return;
  record.landmarks = (value as Array<[unknown, unknown]>).flat();
}

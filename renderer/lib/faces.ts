// What a face's fields say of it, the same way on every screen.
import type { FaceSummary } from './types.js';

/**
 * A face the user set aside ("Don't ask about this face", a deleted group's faces): in no group, and theirs to decide,
 * so no grouping or question brings it up again (main/people/library.ts, isPinnedUnknown). It can still be named.
 */
export const isSetAside = (face: Pick<FaceSummary, 'personId' | 'assignedBy'>): boolean => face.personId === null && face.assignedBy === 'user';

/**
 * A photo's faces as they stand in it, left to right: the order its face boxes are read out and numbered in, and its list
 * of faces (QA: the boxes read "Face 1 (middle), Face 2 (left), Face 3 (right)").
 */
export const leftToRight = <Face extends Pick<FaceSummary, 'box'>>(faces: readonly Face[]): Face[] => [...faces].sort((a, b) => a.box[0] - b.box[0]);

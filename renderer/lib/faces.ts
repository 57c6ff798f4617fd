// What a face's fields say of it, the same way on every screen.
import type { FaceSummary } from './types.js';

/**
 * A face the user set aside ("Don't ask about this face", a deleted group's faces): in no group, and theirs to decide,
 * so no grouping or question brings it up again (main/people/library.ts, isPinnedUnknown). It can still be named.
 */
export const isSetAside = (face: Pick<FaceSummary, 'personId' | 'assignedBy'>): boolean => face.personId === null && face.assignedBy === 'user';

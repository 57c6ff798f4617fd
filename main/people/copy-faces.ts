// The faces of a photo and of its copies (PhotoRecord.copyOf: the photo resized or compressed again) are one face
// each: what the user says of one is said of the others. decide() (decisions.ts) has every decision's changes follow
// to them, in the same step, so one Undo takes both back; undo and redo set the links a decision made or took apart.
import type { CopyOf, FaceRecord, PhotoRecord } from '../store/types.js';

/** The links a decision made (`made`) or took apart: each copy with its original (Decision.copies). */
export interface CopyLinks {
  made: boolean;
  links: Array<{ photoId: string; copyOf: CopyOf }>;
}

/**
 * Per face of a photo with copies, or of a copy, the other faces that are it: the original's face and each copy's.
 * Links to a photo no longer in the library, or to a face no longer in it, count for nothing.
 */
export function copyTwins(library: { photos: readonly PhotoRecord[]; photo(id: string): PhotoRecord | undefined; face(id: string): FaceRecord | undefined }): Map<string, string[]> {
  const byOriginalFace = new Map<string, string[]>();
  for (const photo of library.photos) {
    if (!photo.copyOf || !library.photo(photo.copyOf.photoId)) continue;
    for (const [copyFace, originalFace] of Object.entries(photo.copyOf.faces)) {
      if (!library.face(copyFace) || !library.face(originalFace)) continue;
      byOriginalFace.set(originalFace, [...(byOriginalFace.get(originalFace) ?? [originalFace]), copyFace]);
    }
  }
  const twins = new Map<string, string[]>();
  for (const faces of byOriginalFace.values()) for (const id of faces) twins.set(id, faces.filter((other) => other !== id));
  return twins;
}

type FaceStateFields = Pick<FaceRecord, 'personId' | 'assignedBy' | 'rejectedPersonIds'>;

const sameState = (a: FaceStateFields, b: FaceStateFields) =>
  a.personId === b.personId && a.assignedBy === b.assignedBy && a.rejectedPersonIds.length === b.rejectedPersonIds.length && a.rejectedPersonIds.every((id) => b.rejectedPersonIds.includes(id));

/**
 * After a decision changed `changed` (each with its state before), the twins it left alone take each changed face's
 * person, assignment and rejections. A twin the decision changed itself keeps what the decision gave it. `touch`
 * records a twin before it changes (decide's touchFace, for undo).
 */
export function followToCopies(
  changed: ReadonlyMap<string, { face: FaceRecord; before: FaceStateFields }>,
  twins: ReadonlyMap<string, readonly string[]>,
  face: (id: string) => FaceRecord | undefined,
  touch: (face: FaceRecord) => void,
): void {
  for (const { face: source, before } of changed.values()) {
    if (sameState(source, before)) continue;
    for (const id of twins.get(source.id) ?? []) {
      const twin = face(id);
      if (!twin || changed.has(id) || sameState(twin, source)) continue;
      touch(twin);
      twin.personId = source.personId;
      twin.assignedBy = source.assignedBy;
      twin.rejectedPersonIds = [...source.rejectedPersonIds];
    }
  }
}

/** Sets the links of `copies` as the decision left them (`made`), or as they were before it (`!made`: undo). */
export function setCopyLinks(copies: CopyLinks, linked: boolean, photo: (id: string) => PhotoRecord | undefined): PhotoRecord[] {
  const changed: PhotoRecord[] = [];
  for (const { photoId, copyOf } of copies.links) {
    const record = photo(photoId);
    if (!record) continue;
    if (linked) record.copyOf = structuredClone(copyOf);
    else delete record.copyOf;
    changed.push(record);
  }
  return changed;
}

// The faces of a photo and of its copies (PhotoRecord.copyOf: the photo resized or compressed again) are one face
// each: what the user says of one is said of the others. decide() (decisions.ts) has every decision's changes follow
// to them, in the same step, so one Undo takes both back; undo and redo set the links a decision made or took apart.
import type { Library } from '../store/library.js';
import type { CopyOf, FaceRecord, PhotoRecord } from '../store/types.js';

/** The links a decision made (`made`) or took apart: each copy with its original (Decision.copies). */
export interface CopyLinks {
  made: boolean;
  links: Array<{ photoId: string; copyOf: CopyOf }>;
}

/**
 * Per face of `faces` in a photo with copies, or in a copy, the other faces that are it: the original's face and each
 * copy's. Links to a photo no longer in the library, or to a face no longer in it, count for nothing. Only these faces'
 * photos and their copies are looked at (Library.copiesOf): a decision costs the faces it changed, not the library.
 */
export function copyTwins(library: Pick<Library, 'photo' | 'face' | 'copiesOf'>, faces: Iterable<FaceRecord>): Map<string, string[]> {
  /** The face `originalFace` of photo `originalId` and each copy's face linked to it; empty when no copy's is. */
  const oneFace = (originalId: string, originalFace: string): string[] => {
    if (!library.photo(originalId) || !library.face(originalFace)) return [];
    const linked = library
      .copiesOf(originalId)
      .flatMap((copy) => Object.entries(copy.copyOf!.faces).flatMap(([copyFace, of]) => (of === originalFace && library.face(copyFace) ? [copyFace] : [])));
    return linked.length > 0 ? [originalFace, ...linked] : [];
  };
  const twins = new Map<string, string[]>();
  for (const face of faces) {
    const link = library.photo(face.photoId)?.copyOf;
    const asOriginal = oneFace(face.photoId, face.id);
    const asCopy = link?.faces[face.id] !== undefined ? oneFace(link.photoId, link.faces[face.id]) : [];
    const others = [...new Set([...asOriginal, ...asCopy])].filter((id) => id !== face.id);
    if (others.length > 0) twins.set(face.id, others);
  }
  return twins;
}

/**
 * The original's face that a copy's face is (PhotoRecord.copyOf), while both are in the library; undefined for any
 * other face. A copy's face is the same sighting again: it is not counted, shown with the person, offered or grouped
 * a second time (QA: a resized copy of an Abdullah Gul photo was his 11th face in 10 photos).
 */
export function originalFaceOf(library: Pick<Library, 'photo' | 'face'>, face: FaceRecord): FaceRecord | undefined {
  const link = library.photo(face.photoId)?.copyOf;
  const originalFaceId = link?.faces[face.id];
  return originalFaceId !== undefined && library.photo(link!.photoId) ? library.face(originalFaceId) : undefined;
}

/**
 * Every face that is its original's sighting again (originalFaceOf), read from the links: costs the copies, not the
 * faces. A kept verdict compares it with the one it last read to find the links made, parted or left without their
 * original since (two-people-verdicts.ts).
 */
export function facesCountedAsOriginals(library: Pick<Library, 'photo' | 'face' | 'copies'>): Set<string> {
  const counted = new Set<string>();
  for (const copy of library.copies()) {
    const link = copy.copyOf!;
    if (!library.photo(link.photoId)) continue;
    for (const [copyFace, originalFace] of Object.entries(link.faces)) {
      if (library.face(copyFace)?.photoId === copy.id && library.face(originalFace)) counted.add(copyFace);
    }
  }
  return counted;
}

/** `faces` less the faces of copies (originalFaceOf); the list itself when the library links no copy. */
export function withoutCopyFaces(library: Pick<Library, 'photo' | 'face' | 'hasCopies'>, faces: readonly FaceRecord[]): readonly FaceRecord[] {
  return library.hasCopies ? faces.filter((f) => originalFaceOf(library, f) === undefined) : faces;
}

/**
 * How many faces `faceIds` are as People counts them: a copy's face and its original's are one face (originalFaceOf),
 * and a copy's face given without its original's counts as that one. What a decision says and its Undo says count
 * so (QA: "Named "Abdullah Gul" (11 faces, ...)" of a group People showed with 10). A face no longer in the library
 * counts as itself.
 */
export function countedOnce(library: Pick<Library, 'photo' | 'face' | 'hasCopies'>, faceIds: Iterable<string>): number {
  const ids = [...faceIds];
  if (!library.hasCopies) return new Set(ids).size;
  const faceOf = (id: string) => {
    const face = library.face(id);
    return (face && originalFaceOf(library, face)?.id) ?? id;
  };
  return new Set(ids.map(faceOf)).size;
}

type FaceStateFields = Pick<FaceRecord, 'personId' | 'assignedBy' | 'rejectedPersonIds' | 'notAFace'>;

const sameState = (a: FaceStateFields, b: FaceStateFields) =>
  a.personId === b.personId &&
  a.assignedBy === b.assignedBy &&
  Boolean(a.notAFace) === Boolean(b.notAFace) &&
  a.rejectedPersonIds.length === b.rejectedPersonIds.length &&
  a.rejectedPersonIds.every((id) => b.rejectedPersonIds.includes(id));

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
      if (source.notAFace) twin.notAFace = true;
      else delete twin.notAFace;
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

// Which photos are copies of which (PhotoRecord.copyOf), kept by the Library between transactions. Every decision
// has what the user says of a face follow to the same face in the photo's copies (main/people/copy-faces.ts): found
// by walking every photo, that cost a decision the whole library once any photo was a copy (bench:decisions).
//
// The lookup follows what writers say they put and took out (LibraryTransaction.put, remove), reading each photo's
// link when next asked, so a link set or taken apart earlier in the same transaction counts (an import's copies linked,
// then their faces told in the same decision). A writer that reaches the whole list, or a list read again from disk,
// has it built again from every photo, when next asked.
import type { PhotoRecord } from './types.js';

export class CopyLookup {
  /** Per original photo id, its copies by id. */
  private readonly copiesByOriginal = new Map<string, Map<string, PhotoRecord>>();
  /** Per copy id, the original it is filed under. */
  private readonly originalOfCopy = new Map<string, string>();
  /** Photos put (or taken out: null) since the lookup last read their links, by id. */
  private readonly pending = new Map<string, PhotoRecord | null>();
  private stale = true;

  constructor(private readonly allPhotos: () => readonly PhotoRecord[]) {}

  /** Any photo may have changed: built again from every photo when next asked. */
  invalidate(): void {
    this.stale = true;
    this.pending.clear();
  }

  /** These records were put in their ids' places: their links are read when next asked. */
  follow(photos: readonly PhotoRecord[]): void {
    if (!this.stale) for (const photo of photos) this.pending.set(photo.id, photo);
  }

  /** The photos with these ids were taken out. */
  forget(ids: readonly string[]): void {
    if (!this.stale) for (const id of ids) this.pending.set(id, null);
  }

  /** The photos linked as copies of `photoId`. */
  copiesOf(photoId: string): PhotoRecord[] {
    this.catchUp();
    const copies = this.copiesByOriginal.get(photoId);
    // A link taken apart in place, not yet put, no longer counts.
    return copies ? [...copies.values()].filter((copy) => copy.copyOf?.photoId === photoId) : [];
  }

  /** Every photo linked as a copy of another. */
  all(): PhotoRecord[] {
    this.catchUp();
    const all: PhotoRecord[] = [];
    // A link taken apart in place, not yet put, no longer counts.
    for (const [originalId, copies] of this.copiesByOriginal) for (const copy of copies.values()) if (copy.copyOf?.photoId === originalId) all.push(copy);
    return all;
  }

  /** How many photos are linked as copies of another. */
  get copies(): number {
    this.catchUp();
    return this.originalOfCopy.size;
  }

  private catchUp(): void {
    if (this.stale) {
      this.copiesByOriginal.clear();
      this.originalOfCopy.clear();
      for (const photo of this.allPhotos()) if (photo.copyOf) this.file(photo, photo.copyOf.photoId);
      this.stale = false;
      return;
    }
    for (const [id, photo] of this.pending) {
      const was = this.originalOfCopy.get(id);
      if (was !== undefined) {
        const copies = this.copiesByOriginal.get(was)!;
        copies.delete(id);
        if (copies.size === 0) this.copiesByOriginal.delete(was);
        this.originalOfCopy.delete(id);
      }
      if (photo?.copyOf) this.file(photo, photo.copyOf.photoId);
    }
    this.pending.clear();
  }

  private file(photo: PhotoRecord, originalId: string): void {
    let copies = this.copiesByOriginal.get(originalId);
    if (!copies) this.copiesByOriginal.set(originalId, (copies = new Map()));
    copies.set(photo.id, photo);
    this.originalOfCopy.set(photo.id, originalId);
  }
}

// The library's lookup of which photos are copies of which (Library.copiesOf and copies, main/store/copy-lookup.ts): a
// decision reaches a face's copies through it instead of walking every photo (bench:decisions), and the People cards'
// marker reads every link through it (two-people-verdicts.ts). It must say what the photos say
// after every way a link is made or taken apart: an import's link, "Not a copy" and its undo and redo, a photo taken
// out, a writer reaching every photo, a failed commit, and a library opened again.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notACopy } from '../../../main/library/copies.js';
import { confirmFaces, nameFaces, redoLast, undoLast } from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import type { PhotoRecord } from '../../../main/store/types.js';
import { addPhotos, photo } from '../../helpers/store-records.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-copy-lookup-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const original = photo(1);
const copy = photo(3);
const faceOf = (p: PhotoRecord, index: number) => `${p.id.slice(0, 16)}-${index}`;
const copiesOf = (library: Library, p: PhotoRecord) => library.copiesOf(p.id).map((c) => c.id);
const allCopies = (library: Library) => library.copies().map((c) => c.id);
const personOf = (library: Library, faceId: string) => library.people.people.find((p) => p.id === library.face(faceId)?.personId)?.name ?? null;

/** Three photos of two faces each; photo 3 linked as a copy of photo 1, face for face, as an import links one. */
async function libraryWithACopy(): Promise<Library> {
  const library = await Library.open(dir);
  await addPhotos(library, 1, 3);
  await library.transaction((tx) => {
    const linked = library.photo(copy.id)!;
    linked.copyOf = { photoId: original.id, faces: { [faceOf(copy, 0)]: faceOf(original, 0), [faceOf(copy, 1)]: faceOf(original, 1) } };
    tx.put('photos', [linked]);
  });
  return library;
}

describe("the library's lookup of copies", () => {
  it('stays right through "Not a copy", its undo and redo, and an open: decisions reach the copy exactly while it is linked', async () => {
    const library = await libraryWithACopy();
    expect(copiesOf(library, original)).toEqual([copy.id]);
    expect(copiesOf(library, copy)).toEqual([]);
    expect(library.hasCopies).toBe(true);
    // A decision that changes faces only leaves every link as it was: what reads them all need not again.
    const linksRead = library.copyLinksRevision;
    await nameFaces(library, [faceOf(original, 0)], 'Ann');
    expect(personOf(library, faceOf(copy, 0))).toBe('Ann');
    expect(library.copyLinksRevision).toBe(linksRead);

    await notACopy(library, copy.id);
    expect(copiesOf(library, original)).toEqual([]);
    expect(library.hasCopies).toBe(false);
    expect(allCopies(library)).toEqual([]);
    expect(library.copyLinksRevision).toBeGreaterThan(linksRead);
    await nameFaces(library, [faceOf(original, 1)], 'Bob');
    expect(personOf(library, faceOf(copy, 1))).toBeNull();
    await undoLast(library); // Bob's name
    await undoLast(library); // "Not a copy": linked again
    expect(copiesOf(library, original)).toEqual([copy.id]);
    expect(allCopies(library)).toEqual([copy.id]);
    await redoLast(library); // parted again
    expect(copiesOf(library, original)).toEqual([]);
    await undoLast(library);
    expect(copiesOf(library, original)).toEqual([copy.id]);
    await nameFaces(library, [faceOf(original, 1)], 'Bob');
    expect(personOf(library, faceOf(copy, 1))).toBe('Bob');
    await library.close();

    const reopened = await Library.open(dir);
    try {
      expect(copiesOf(reopened, original)).toEqual([copy.id]);
      expect(reopened.hasCopies).toBe(true);
      // From the copy's face to the original's, too.
      await confirmFaces(reopened, [faceOf(copy, 0)], 'Bob');
      expect(personOf(reopened, faceOf(original, 0))).toBe('Bob');
      await notACopy(reopened, copy.id);
      await reopened.close();
      const parted = await Library.open(dir);
      expect(copiesOf(parted, original)).toEqual([]);
      expect(parted.hasCopies).toBe(false);
      await parted.close();
    } finally {
      await reopened.close();
    }
  });

  it('follows a copy taken out, a writer that reaches every photo, and a commit that failed', async () => {
    const library = await libraryWithACopy();
    try {
      // Every photo reached: the link taken apart there is seen, and one made there too.
      await library.transaction((tx) => {
        delete tx.photos.find((p) => p.id === copy.id)!.copyOf;
        tx.photos.find((p) => p.id === photo(2).id)!.copyOf = { photoId: original.id, faces: { [faceOf(photo(2), 0)]: faceOf(original, 0) } };
      });
      expect(copiesOf(library, original)).toEqual([photo(2).id]);
      expect(allCopies(library)).toEqual([photo(2).id]);
      // A link put and the photo taken out in one transaction.
      await library.transaction((tx) => {
        const linked = library.photo(copy.id)!;
        linked.copyOf = { photoId: original.id, faces: { [faceOf(copy, 0)]: faceOf(original, 0) } };
        tx.put('photos', [linked]);
        tx.remove('photos', [photo(2).id]);
        tx.remove('faces', library.facesOfPhoto(photo(2).id).map((f) => f.id));
      });
      expect(copiesOf(library, original)).toEqual([copy.id]);
      // A commit that fails (the settings' backup slot is taken by a folder): the link it put is not kept.
      await rm(join(dir, 'backups', 'settings.json'), { force: true });
      await mkdir(join(dir, 'backups', 'settings.json', 'blocker'), { recursive: true });
      await expect(
        library.transaction((tx) => {
          const parted = library.photo(copy.id)!;
          delete parted.copyOf;
          tx.put('photos', [parted]);
          tx.settings.samePersonDistance = 0.5;
        }),
      ).rejects.toThrow();
      expect(library.photo(copy.id)!.copyOf?.photoId).toBe(original.id);
      expect(copiesOf(library, original)).toEqual([copy.id]);
      expect(allCopies(library)).toEqual([copy.id]);
    } finally {
      await library.close();
    }
  });
});

// A folder the import cannot read this time (a failing disk, no permission, a network drive that does not answer) says
// nothing of the photos in it: they stay where they were, not missing, and keep their paths in their order. Only a
// folder that is not there (deleted, renamed) makes them missing. Found by a code review: a re-import while one
// subfolder gave EIO marked its photos missing and told the user to forget them with `familiar remove --missing`.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFolders, type FaceAnalysisService, type ImportOptions } from '../../../main/library/import.js';
import { scanFolders } from '../../../main/library/scan.js';
import { Library } from '../../../main/store/library.js';
import { lfwPhoto } from './helpers.js';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-unreadable-folder-'));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Finds no face: the paths, not the faces, are what is looked at here. */
const noFaces = () => Promise.resolve<FaceAnalysisService>({ size: 1, analyze: async () => [] });

/** An import whose scan fails to list `folder` with the error code `code`, as the disk would say it. */
const failingToList = (folder: string, code: string): ImportOptions => ({
  scan: {
    beforeListing: (dir) => {
      if (dir === folder) throw Object.assign(new Error(`${code}: the test's disk`), { code });
    },
  },
});

/** An album of `top.jpg`, `sub/inside.jpg` and `copy.jpg` (a copy of inside.jpg), imported once. */
async function importedAlbum(name: string): Promise<{ album: string; library: Library }> {
  const album = join(work, name, 'album');
  await mkdir(join(album, 'sub'), { recursive: true });
  await copyFile(lfwPhoto('Abdullah_Gul', 1), join(album, 'top.jpg'));
  await copyFile(lfwPhoto('Abel_Aguilar', 1), join(album, 'sub', 'inside.jpg'));
  await copyFile(lfwPhoto('Abel_Aguilar', 1), join(album, 'copy.jpg'));
  const library = await Library.open(join(work, name, 'library'));
  await importFolders(library, noFaces, 'unreadable-test', [album]);
  return { album, library };
}

const pathsOf = (library: Library) => library.photos.map((p) => ({ paths: p.paths, missing: p.missing ?? false })).sort((a, b) => a.paths[0].localeCompare(b.paths[0]));

describe('a folder the import cannot read', () => {
  it('keeps the photos in it, not missing, with their paths in their order, and finds nothing moved when it reads again', async () => {
    const { album, library } = await importedAlbum('subfolder');
    try {
      const before = pathsOf(library);
      expect(before.map((p) => [...p.paths].sort())).toEqual([[join(album, 'copy.jpg'), join(album, 'sub', 'inside.jpg')], [join(album, 'top.jpg')]]);
      for (const code of ['EIO', 'EACCES', 'ETIMEDOUT']) {
        const summary = await importFolders(library, noFaces, 'unreadable-test', [album], failingToList(join(album, 'sub'), code));
        expect(summary.skipped, code).toEqual([{ path: join(album, 'sub'), reason: expect.stringMatching(/^folder skipped: /), folder: true }]);
        expect(summary.missing, code).toBe(0);
        expect(pathsOf(library), code).toEqual(before);
      }
      // Read again: the same photos at the same paths, none "found at a new path".
      const again = await importFolders(library, noFaces, 'unreadable-test', [album]);
      expect(again).toMatchObject({ foundAtNewPaths: 0, missing: 0, skipped: [] });
      expect(pathsOf(library)).toEqual(before);
    } finally {
      await library.close();
    }
  });

  it('keeps every photo when the folder imported cannot be listed at all (a network drive that did not answer)', async () => {
    const { album, library } = await importedAlbum('root');
    try {
      const before = pathsOf(library);
      const summary = await importFolders(library, noFaces, 'unreadable-test', [album], failingToList(album, 'ETIMEDOUT'));
      expect(summary).toMatchObject({ photos: 0, missing: 0, skipped: [{ path: album, folder: true }] });
      expect(pathsOf(library)).toEqual(before);
    } finally {
      await library.close();
    }
  });

  it('still makes the photos of a folder deleted missing, and a folder that vanishes while it is read', async () => {
    const { album, library } = await importedAlbum('gone');
    try {
      // Vanished as the scan came to it (ENOENT): its photo is gone from there, and kept at its copy's path.
      const vanishing = await importFolders(library, noFaces, 'unreadable-test', [album], failingToList(join(album, 'sub'), 'ENOENT'));
      expect(vanishing.missing).toBe(0);
      expect(pathsOf(library)).toEqual([
        { paths: [join(album, 'copy.jpg')], missing: false },
        { paths: [join(album, 'top.jpg')], missing: false },
      ]);
      await rm(join(album, 'copy.jpg'));
      await rm(join(album, 'sub'), { recursive: true });
      const deleted = await importFolders(library, noFaces, 'unreadable-test', [album]);
      expect(deleted.missing).toBe(1);
    } finally {
      await library.close();
    }
  });

  it('is listed by the scan as unread, where a folder not there is not', async () => {
    const album = join(work, 'scan', 'album');
    await mkdir(join(album, 'sub'), { recursive: true });
    await mkdir(join(album, 'other'), { recursive: true });
    const scan = await scanFolders([album], {
      beforeListing: (dir) => {
        if (dir === join(album, 'sub')) throw Object.assign(new Error('EIO: the test disk'), { code: 'EIO' });
        if (dir === join(album, 'other')) throw Object.assign(new Error('ENOENT: the test disk'), { code: 'ENOENT' });
      },
    });
    expect(scan.unread).toEqual([join(album, 'sub')]);
    expect(scan.skipped.map((s) => s.path)).toEqual([join(album, 'other'), join(album, 'sub')]);
  });
});

// What an import counts while it runs and says when it ends: the files it found, each one accounted for (new,
// unchanged, a copy, skipped), and the unchanged ones counted as they are checked, before the face finder has started;
// the skipped files listed in the folder's order.
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../main/jobs/progress.js';
import { Engine } from '../../../main/engine.js';
import { importFolders, type FaceAnalysisService } from '../../../main/library/import.js';
import { removeFolder } from '../../../main/library/remove-folder.js';
import { Library } from '../../../main/store/library.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';
import { lfwPhoto, makeAlbum, sharedFaces } from './helpers.js';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-import-counts-'));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Finds no face; its models take `loadMs` to load. */
const noFaces = (loadMs = 0) => () => new Promise<FaceAnalysisService>((done) => setTimeout(() => done({ size: 1, analyze: async () => [] }), loadMs));

describe('import counts', () => {
  it('accounts for every file it counted, copies and damaged files included, and counts unchanged files while the face finder starts', async () => {
    const album = await makeAlbum(join(work, 'album'), {
      'a.jpg': 'face_recognition/obama/obama_small.jpg',
      'b.jpg': 'face_recognition/biden/biden.jpg',
      'trip/b-copy.jpg': 'face_recognition/biden/biden.jpg',
      'c.jpg': 'face_recognition/obama/obama-240p.jpg',
    });
    // Not a photo by its name: not counted at all. A JPEG cut short: counted, and skipped with its reason.
    await writeFile(join(album, 'notes.txt'), 'not a photo');
    const whole = await readFile(join(sharedFaces, 'face_recognition/obama/obama-480p.jpg'));
    await writeFile(join(album, 'truncated.jpg'), whole.subarray(0, Math.floor(whole.length / 2)));
    const library = await Library.open(join(work, 'library'));
    try {
      const first = await importFolders(library, noFaces(), 'counts-test', [album]);
      expect(first).toMatchObject({ photos: 3, newPhotos: 3, copies: 1 });
      expect(first.skipped.map((s) => s.path)).toEqual([join(album, 'truncated.jpg')]);
      expect(first.skipped[0].reason).toMatch(/^damaged image: the JPEG data is cut short/);

      // One new photo among the known ones; the face finder takes a while to start.
      await copyFile(join(sharedFaces, 'face_recognition/kit_harington/john2.jpeg'), join(album, 'd.jpg'));
      const reports: JobProgress[] = [];
      const again = await importFolders(library, noFaces(400), 'counts-test', [album], { onProgress: (p) => reports.push(p) });
      const reading = reports.filter((p) => p.stage === 'analyse');
      const total = reading[0].total;
      // Six files that may be photos (notes.txt is none), each accounted for in the end: 1 new, 3 unchanged, 1 copy, 1 skipped.
      expect(total).toBe(6);
      expect(again).toMatchObject({ photos: 4, newPhotos: 1, analysed: 1, copies: 1 });
      expect(again.photos + again.copies + again.skipped.length).toBe(total);
      // Everything but the new photo is counted before the face finder is up, and the wait is said meanwhile.
      const beforeFirstAnalysed = reading.filter((p) => (p.detail as { analysed: number }).analysed === 0);
      expect(Math.max(...beforeFirstAnalysed.map((p) => p.done))).toBe(total - 1);
      const starting = beforeFirstAnalysed.findIndex((p) => p.message?.startsWith('Starting the face finder'));
      expect(starting).toBeGreaterThanOrEqual(0);
      expect(beforeFirstAnalysed.slice(starting).every((p) => p.message?.startsWith('Starting the face finder'))).toBe(true);
      expect(reading.at(-1)).toMatchObject({ done: total, total });
      expect(reading.at(-1)!.message).toBeUndefined();
    } finally {
      await library.close();
    }
  });

  it('counts the faces of the unchanged files done, not of those begun: an unchanged re-import begins several at once', async () => {
    const album = await makeAlbum(join(work, 'faces-done'), { 'group.jpg': 'face_recognition/_group_photos/kit_with_rose.jpg' });
    for (let n = 1; n <= 6; n++) await copyFile(lfwPhoto('Bill_Gates', n), join(album, `bill_${n}.jpg`));
    // Two workers: the import reads four files at once, as `familiar import` does.
    const pool = new CachedAnalysis(2);
    const engine = await Engine.open(join(work, 'faces-done-library'), { analyzer: pool });
    try {
      await engine.import([album]);
      const facesPerPhoto = engine.library.photos.map((p) => engine.library.facesOfPhoto(p.id).length).sort((a, b) => b - a);
      // The most faces `done` photos can hold.
      const mostIn = (done: number) => facesPerPhoto.slice(0, done).reduce((sum, n) => sum + n, 0);
      const reports: JobProgress[] = [];
      const again = await engine.import([album], { onProgress: (p) => reports.push(p) });
      expect(again).toMatchObject({ photos: 7, newPhotos: 0, analysed: 0 });
      const reading = reports.filter((p) => p.stage === 'analyse' && p.done > 0);
      const counted = reading.map((p) => [p.done, (p.detail as { facesInPhotosRead: number }).facesInPhotosRead]);
      // QA: "1/19 files, 4 faces": the first file's line counted the faces of the four files the import's lanes had begun.
      expect(counted.filter(([done, faces]) => faces > mostIn(done))).toEqual([]);
      expect(counted.at(-1)).toEqual([7, engine.library.faces.length]);
    } finally {
      await engine.close();
      await pool.close();
    }
  }, 300_000);

  it('counts a file copied beside its photo as a copy, not as a photo found at a new path; a file renamed is one', async () => {
    const album = await makeAlbum(join(work, 'copied-beside'), {
      'a.jpg': 'face_recognition/obama/obama_small.jpg',
      'b.jpg': 'face_recognition/biden/biden.jpg',
    });
    const library = await Library.open(join(work, 'copied-beside-library'));
    try {
      await importFolders(library, noFaces(), 'counts-test', [album]);
      // QA: "1 file was a copy of a photo found in another file", and "1 photo the library knew was found at a new path".
      await copyFile(join(album, 'a.jpg'), join(album, 'a copy.jpg'));
      expect(await importFolders(library, noFaces(), 'counts-test', [album])).toMatchObject({ photos: 2, copies: 1, foundAtNewPaths: 0 });
      await rename(join(album, 'b.jpg'), join(album, 'b renamed.jpg'));
      expect(await importFolders(library, noFaces(), 'counts-test', [album])).toMatchObject({ photos: 2, copies: 1, foundAtNewPaths: 1 });
    } finally {
      await library.close();
    }
  });

  it('counts the photos of the files done, not of those begun: an unchanged re-import begins several at once', async () => {
    const album = join(work, 'photos-done');
    await mkdir(album, { recursive: true });
    for (let n = 1; n <= 6; n++) await copyFile(lfwPhoto('Bill_Gates', n), join(album, `bill_${n}.jpg`));
    const library = await Library.open(join(work, 'photos-done-library'));
    try {
      await importFolders(library, noFaces(), 'counts-test', [album]);
      const reports: JobProgress[] = [];
      // Four lanes, as `familiar import` reads files.
      expect(await importFolders(library, noFaces(), 'counts-test', [album], { onProgress: (p) => reports.push(p), concurrency: 4 })).toMatchObject({ photos: 6, newPhotos: 0 });
      const counted = reports.filter((p) => p.stage === 'analyse' && p.done > 0).map((p) => [p.done, (p.detail as { photos: number }).photos]);
      // Six photos, one file each: as many photos as files done. It read "1/6 files, 4 photos", those of the files begun.
      expect(counted.filter(([done, photos]) => photos !== done)).toEqual([]);
      expect(counted.at(-1)).toEqual([6, 6]);
    } finally {
      await library.close();
    }
  });

  it('does not say a photo was found at a new path when a removed folder imported again holds it where it was, its copy elsewhere kept', async () => {
    const trip = await makeAlbum(join(work, 'removed-trip'), { 'a.jpg': 'face_recognition/obama/obama_small.jpg', 'b.jpg': 'face_recognition/biden/biden.jpg' });
    const backup = await makeAlbum(join(work, 'removed-backup'), { 'a.jpg': 'face_recognition/obama/obama_small.jpg' });
    const library = await Library.open(join(work, 'removed-library'));
    try {
      await importFolders(library, noFaces(), 'counts-test', [trip, backup]);
      // a.jpg stays in the library from its copy in the backup, and forgets its path in the trip.
      expect(await removeFolder(library, trip)).toMatchObject({ photos: 1, photosKeptElsewhere: 1 });
      // QA: "1 photo the library knew was found at a new path", at the path it had before the removal.
      expect(await importFolders(library, noFaces(), 'counts-test', [trip])).toMatchObject({ photos: 2, foundAtNewPaths: 0 });
      expect(library.photos.filter((p) => p.removedPaths !== undefined)).toEqual([]);
      // Back at that path, it is no longer one it had before: moved from there, it is found at a new path.
      await rename(join(trip, 'a.jpg'), join(trip, 'a renamed.jpg'));
      expect(await importFolders(library, noFaces(), 'counts-test', [trip])).toMatchObject({ photos: 2, foundAtNewPaths: 1 });
    } finally {
      await library.close();
    }
  });

  it('lists the skipped files in the folder\'s order, whichever step skipped them', async () => {
    const album = await makeAlbum(join(work, 'skipped-order'), { 'm.jpg': 'face_recognition/obama/obama_small.jpg' });
    const whole = await readFile(join(sharedFaces, 'face_recognition/obama/obama-480p.jpg'));
    // Cut short (found so while analysing), empty (before), and a link to nothing (by the scan, before either).
    await writeFile(join(album, 'a-cut.jpg'), whole.subarray(0, Math.floor(whole.length / 2)));
    await writeFile(join(album, 'b-empty.jpg'), '');
    await symlink(join(album, 'gone.jpg'), join(album, 'c-dangling.jpg'));
    await mkdir(join(album, 'sub'));
    await writeFile(join(album, 'sub', 'a-cut.jpg'), whole.subarray(0, 1000));
    const library = await Library.open(join(work, 'skipped-order-library'));
    try {
      const summary = await importFolders(library, noFaces(), 'counts-test', [album]);
      expect(summary.skipped.map((s) => s.path.slice(album.length + 1))).toEqual(['a-cut.jpg', 'b-empty.jpg', 'c-dangling.jpg', join('sub', 'a-cut.jpg')]);
    } finally {
      await library.close();
    }
  });

  it('lists the skipped files of several folders in the order the folders were given', async () => {
    const whole = await readFile(join(sharedFaces, 'face_recognition/obama/obama-480p.jpg'));
    const cut = whole.subarray(0, Math.floor(whole.length / 2));
    const later = await makeAlbum(join(work, 'roots', 'b-given-first'), { 'm.jpg': 'face_recognition/obama/obama_small.jpg' });
    const earlier = await makeAlbum(join(work, 'roots', 'a-given-second'), { 'n.jpg': 'face_recognition/biden/biden.jpg' });
    await writeFile(join(later, 'z-cut.jpg'), cut);
    await writeFile(join(earlier, 'a-cut.jpg'), cut);
    await writeFile(join(earlier, 'b-empty.jpg'), '');
    const library = await Library.open(join(work, 'roots-library'));
    try {
      // The scan walks b-given-first before a-given-second, though its path sorts after.
      const summary = await importFolders(library, noFaces(), 'counts-test', [later, earlier]);
      expect(summary.skipped.map((s) => s.path)).toEqual([join(later, 'z-cut.jpg'), join(earlier, 'a-cut.jpg'), join(earlier, 'b-empty.jpg')]);
    } finally {
      await library.close();
    }
  });
});

// Import of real photos through the real worker pool: faces, thumbnails, vectors and index agree; re-imports do
// no model work; moves keep face ids; deletions mark photos missing; a pipeline change keeps ids and labels.
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import sharp from 'sharp';
import { iou } from '../../../models/detector.js';
import type { JobProgress } from '../../../main/jobs/progress.js';
import { importFolders, type FaceAnalysisService } from '../../../main/library/import.js';
import { Library } from '../../../main/store/library.js';
import { CountingAnalyzer, makeAlbum, sharedFaces, SMALL_ALBUM } from './helpers.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';

// The run's answers (tests/helpers/analysis-cache.ts): the same small album is imported again and again.
let pool: CachedAnalysis;
let work: string;
let album: string;
let libraryDir: string;

beforeAll(async () => {
  pool = new CachedAnalysis(2);
  work = await mkdtemp(join(tmpdir(), 'familiar-import-'));
  album = await makeAlbum(join(work, 'album'));
  libraryDir = join(work, 'library');
});

afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function withEngine<T>(fn: (engine: Engine, analyzer: CountingAnalyzer) => Promise<T>): Promise<T> {
  const analyzer = new CountingAnalyzer(pool);
  const engine = await Engine.open(libraryDir, { analyzer });
  try {
    return await fn(engine, analyzer);
  } finally {
    await engine.close();
  }
}

describe('import', () => {
  it('finds the faces of a small album and stores thumbnails, vectors and index that agree', async () => {
    const events: JobProgress[] = [];
    const summary = await withEngine(async (engine, analyzer) => {
      const result = await engine.import([album], { onProgress: (p) => events.push(p) });
      expect(analyzer.calls).toBe(Object.keys(SMALL_ALBUM).length);
      const lib = engine.library;
      expect(lib.faces.length).toBe(result.totalFaces);
      expect(lib.vectorRows).toBe(lib.faces.length);
      expect(lib.indexSize).toBe(lib.faces.length);
      expect(await lib.thumbCount()).toBe(lib.faces.length);
      for (const face of lib.faces) {
        const photo = lib.photo(face.photoId)!;
        const [x, y, w, h] = face.box;
        expect(x).toBeGreaterThanOrEqual(0);
        expect(y + h).toBeLessThanOrEqual(photo.height + 1);
        expect(x + w).toBeLessThanOrEqual(photo.width + 1);
        expect(face.landmarks).toHaveLength(68 * 2); // flat x, y
        expect((await stat(join(libraryDir, face.thumb))).size).toBeGreaterThan(100);
        expect(lib.search(lib.embeddingOf(face), 1)[0]).toEqual({ faceId: face.id, distance: expect.closeTo(0, 4) });
      }
      const byName = (name: string) => lib.photos.find((p) => p.paths[0].endsWith(name))!;
      expect(byName('017_0.jpg').faceIds).toHaveLength(0);
      expect(byName('kit_with_rose.jpg').faceIds).toHaveLength(2);
      expect(byName('011_3.jpg').faceIds.length).toBeGreaterThanOrEqual(2);
      expect(byName('obama_small.jpg').faceIds).toHaveLength(1);
      // EXIF capture date, read as local time like the camera wrote it, with its fraction of a second (SubSecTimeOriginal).
      expect(byName('biden.jpg').takenAt).toBe(new Date(2010, 4, 10, 10, 4, 1, 750).toISOString());
      expect(byName('obama_small.jpg').takenAt).toBeNull();
      return result;
    });
    expect(summary).toMatchObject({ photos: 8, newPhotos: 8, analysed: 8, skipped: [], missing: 0 });
    expect(summary.faces).toBeGreaterThanOrEqual(8);
    const last = events.filter((e) => e.stage === 'analyse').at(-1)!;
    expect(last).toMatchObject({ done: 8, total: 8, detail: { faces: summary.faces } });
  });

  it('does no model work on an unchanged re-import', async () => {
    await withEngine(async (engine, analyzer) => {
      const before = engine.faces();
      const photosFile = join(libraryDir, 'photos.json');
      const written = (await stat(photosFile)).mtimeMs;
      const summary = await engine.import([album]);
      expect(analyzer.calls).toBe(0);
      expect((await stat(photosFile)).mtimeMs).toBe(written); // nothing changed, nothing rewritten
      expect(summary).toMatchObject({ photos: 8, newPhotos: 0, analysed: 0, faces: 0, missing: 0 });
      expect(engine.faces()).toEqual(before);
    });
  });

  it('never imports its own library folder, kept inside the folder imported (its thumbnails are images)', async () => {
    const folder = join(work, 'home');
    await cp(album, join(folder, 'Pictures'), { recursive: true });
    const engine = await Engine.open(join(folder, 'Familiar'), { analyzer: new CountingAnalyzer(pool) });
    try {
      const first = await engine.import([folder]);
      expect(await engine.library.thumbCount()).toBeGreaterThan(0);
      const again = await engine.import([folder]);
      expect(again).toMatchObject({ photos: first.photos, newPhotos: 0, analysed: 0 });
      expect(engine.library.photos.every((p) => p.paths.every((path) => path.startsWith(join(folder, 'Pictures'))))).toBe(true);
    } finally {
      await engine.close();
    }
  });

  it('keeps face ids when a file is moved, renamed or copied, and marks deleted files missing', async () => {
    const original = join(album, 'groups', 'kit_with_rose.jpg');
    const moved = join(album, 'moved', 'renamed.jpg');
    await withEngine(async (engine, analyzer) => {
      const photo = engine.library.photos.find((p) => p.paths[0] === original)!;
      const ids = [...photo.faceIds];
      // A label the user gave must survive everything below.
      await engine.library.transaction((tx) => {
        const face = tx.faces.find((f) => f.id === ids[0])!;
        face.personId = 'person-kit';
        face.assignedBy = 'user';
      });
      await cp(join(album, 'groups'), join(album, 'moved'), { recursive: true });
      await rename(join(album, 'moved', 'kit_with_rose.jpg'), moved);
      await rm(original);
      await cp(join(album, 'obama', 'obama_small.jpg'), join(album, 'obama', 'copy of obama_small.jpg'));
      const summary = await engine.import([album]);
      expect(analyzer.calls).toBe(0);
      // None analysed. Found at a new path: the moved photo only. The twins in moved/ of what stayed in groups/, and
      // Obama's copy, are copies of photos found where they were, counted below (they were counted twice, as both).
      expect(summary).toMatchObject({ newPhotos: 0, analysed: 0, missing: 0, edited: 0, foundAtNewPaths: 1 });
      // Every file of groups/ now has its twin in moved/, and Obama a copy: each counted once, and said so.
      expect(summary.copies).toBe((await readdir(join(album, 'groups'))).length + 1);
      const after = engine.library.photo(photo.id)!;
      expect(after.paths).toEqual([moved]);
      expect(after.faceIds).toEqual(ids);
      expect(engine.library.face(ids[0])).toMatchObject({ personId: 'person-kit', assignedBy: 'user' });
      const obama = engine.library.photos.find((p) => p.paths.some((path) => path.endsWith('obama_small.jpg')))!;
      expect(obama.paths.sort()).toEqual([join(album, 'obama', 'copy of obama_small.jpg'), join(album, 'obama', 'obama_small.jpg')]);

      // Deleted: marked missing, faces and labels kept.
      await rename(moved, join(work, 'outside.jpg'));
      const gone = await engine.import([album]);
      expect(gone.missing).toBe(1);
      expect(engine.library.photo(photo.id)).toMatchObject({ missing: true, paths: [moved], faceIds: ids });
      expect(engine.library.face(ids[0])?.personId).toBe('person-kit');

      // Back again: unmarked, still no model work.
      await rename(join(work, 'outside.jpg'), moved);
      const back = await engine.import([album]);
      expect(back.missing).toBe(0);
      expect(engine.library.photo(photo.id)?.missing).toBe(false);
      expect(analyzer.calls).toBe(0);
    });
  });

  it('re-analyses photos of an older pipeline version, keeping face ids and labels where boxes match', async () => {
    await withEngine(async (engine, analyzer) => {
      const lib = engine.library;
      const group = lib.photos.find((p) => p.paths[0].endsWith('011_3.jpg'))!;
      const ids = [...group.faceIds];
      const rowsBefore = ids.map((id) => lib.face(id)!.vectorRow);
      const orderBefore = lib.faces.map((f) => f.id);
      const vectorRowsBefore = lib.vectorRows;
      const facesJsonBefore = await readFile(join(libraryDir, 'faces.json'));
      await lib.transaction((tx) => {
        const photo = tx.photos.find((p) => p.id === group.id)!;
        photo.analysis = { pipelineVersion: 'an-older-pipeline', analysedAt: new Date(0).toISOString() };
        const face = tx.faces.find((f) => f.id === ids[0])!;
        face.personId = 'person-a';
        face.assignedBy = 'user';
        tx.faces.find((f) => f.id === ids[1])!.rejectedPersonIds = ['person-b'];
      });
      const summary = await engine.import([album]);
      expect(analyzer.calls).toBe(1);
      expect(summary.analysed).toBe(1);
      const after = lib.photo(group.id)!;
      expect(after.analysis?.pipelineVersion).not.toBe('an-older-pipeline');
      expect([...after.faceIds].sort()).toEqual([...ids].sort());
      expect(lib.face(ids[0])).toMatchObject({ personId: 'person-a', assignedBy: 'user' });
      expect(lib.face(ids[1])?.rejectedPersonIds).toEqual(['person-b']);
      // The same networks found the same faces again: each keeps its vector row, and no row is appended.
      for (const [i, id] of ids.entries()) expect(lib.face(id)!.vectorRow).toBe(rowsBefore[i]);
      expect(lib.vectorRows).toBe(vectorRowsBefore);
      expect(lib.indexSize).toBe(lib.faces.length);
      expect(new Set(lib.faces.map((f) => f.id)).size).toBe(lib.faces.length);
      // Re-analysed faces keep their places, so the change is a journal line: faces.json is not rewritten.
      expect(lib.faces.map((f) => f.id)).toEqual(orderBefore);
      expect(await readFile(join(libraryDir, 'faces.json'))).toEqual(facesJsonBefore);
      const lines = (await readFile(join(libraryDir, 'faces.journal'), 'utf8')).trim().split('\n');
      const last = JSON.parse(lines.at(-1)!) as { put: Array<{ id: string }>; remove: string[] };
      expect(last.put.map((f) => f.id).sort()).toEqual([...ids].sort());
      expect(last.remove).toEqual([]);
    });
    // A pipeline whose descriptors differ: new vectors are appended; the old rows are no longer referenced or indexed.
    const shifted: FaceAnalysisService = {
      size: pool.size,
      analyze: async (image, options) => (await pool.analyze(image, options)).map((f) => ({ ...f, descriptor: f.descriptor.map((v, k) => (k === 0 ? v + 0.01 : v)) })),
    };
    const engine = await Engine.open(libraryDir, { analyzer: shifted });
    try {
      const lib = engine.library;
      const group = lib.photos.find((p) => p.paths[0].endsWith('011_3.jpg'))!;
      const rowsBefore = group.faceIds.map((id) => lib.face(id)!.vectorRow);
      const vectorRowsBefore = lib.vectorRows;
      await lib.transaction((tx) => {
        tx.photos.find((p) => p.id === group.id)!.analysis = { pipelineVersion: 'an-older-pipeline', analysedAt: new Date(0).toISOString() };
      });
      await engine.import([album]);
      for (const [i, id] of group.faceIds.entries()) expect(lib.face(id)!.vectorRow).not.toBe(rowsBefore[i]);
      expect(lib.vectorRows).toBe(vectorRowsBefore + group.faceIds.length);
      expect(lib.indexSize).toBe(lib.faces.length);
    } finally {
      await engine.close();
    }
    // Reopening trims nothing that is referenced and finds the index consistent.
    await withEngine(async (engine) => {
      expect(engine.library.repairs).toEqual([]);
      expect(engine.library.indexSize).toBe(engine.library.faces.length);
    });
  });

  it('measures its pace from the photos that take work, not the seconds the models took to load nor the files it knows', async () => {
    const people = ['Colin_Powell', 'Tony_Blair', 'Serena_Williams', 'Gloria_Macapagal_Arroyo'];
    const files = Object.fromEntries(
      people.flatMap((person) => [1, 2, 3, 4, 5].map((n) => [`${person}_${n}.jpg`, `lfw_subset/${person}/${person}_000${n}.jpg`])),
    );
    const album = await makeAlbum(join(work, 'pace-album'), files);
    const library = await Library.open(join(work, 'pace-library'));
    try {
      // Models that take 1.5 s to load, then 0.15 s a photo.
      const steady: FaceAnalysisService = { size: 1, analyze: () => new Promise((done) => setTimeout(() => done([]), 150)) };
      const slowToLoad = () => new Promise<FaceAnalysisService>((done) => setTimeout(() => done(steady), 1500));
      const rates: number[] = [];
      await importFolders(library, slowToLoad, 'pace-test', [album], {
        onProgress: (p) => {
          if (p.stage === 'analyse' && p.ratePerSecond !== null) rates.push(p.ratePerSecond);
        },
      });
      // Counting the load, the pace would start near 1 a second and stay under 5 for most of these 20 photos.
      expect(rates.length).toBeGreaterThan(0);
      expect(Math.min(...rates)).toBeGreaterThan(5);

      // Again with 4 new photos at 0.6 s each, one at a time, among the 20 it knows: those cost nothing and must not count in the
      // pace (QA: "303 photos/s, 0 s left" with photos still to analyse).
      await makeAlbum(album, Object.fromEntries([1, 2, 3, 4].map((n) => [`D_new_${n}.jpg`, `lfw_subset/Tom_Hanks/Tom_Hanks_000${n}.jpg`])));
      const slow: FaceAnalysisService = { size: 1, analyze: () => new Promise((done) => setTimeout(() => done([]), 600)) };
      const later: Array<{ rate: number; eta: number }> = [];
      await importFolders(library, async () => slow, 'pace-test', [album], {
        concurrency: 1,
        onProgress: (p) => {
          if (p.stage === 'analyse' && p.ratePerSecond !== null && p.etaSeconds !== null) later.push({ rate: p.ratePerSecond, eta: p.etaSeconds });
        },
      });
      expect(later.length).toBeGreaterThan(0);
      expect(Math.max(...later.map((r) => r.rate))).toBeLessThan(3);
    } finally {
      await library.close();
    }
  });

  it('reports boxes in the pixels of the EXIF-rotated photo', async () => {
    // The same picture twice: upright, and stored sideways with EXIF orientation 6 ("rotate 90° clockwise to view").
    const dir = join(work, 'orientation');
    await mkdir(dir, { recursive: true });
    const source = join(sharedFaces, 'face_recognition', 'kit_harington', 'john2.jpeg');
    await sharp(source).jpeg({ quality: 95 }).toFile(join(dir, 'upright.jpg'));
    await sharp(source).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toFile(join(dir, 'sideways.jpg'));
    const analyzer = new CountingAnalyzer(pool);
    const engine = await Engine.open(join(work, 'orientation-library'), { analyzer });
    try {
      await engine.import([dir]);
      const photo = (name: string) => engine.library.photos.find((p) => p.paths[0].endsWith(name))!;
      const upright = photo('upright.jpg');
      const sideways = photo('sideways.jpg');
      expect(sideways).toMatchObject({ orientation: 6, width: upright.width, height: upright.height });
      expect(sideways.faceIds).toHaveLength(upright.faceIds.length);
      const box = (p: typeof upright) => engine.library.face(p.faceIds[0])!.box;
      expect(iou(box(upright), box(sideways))).toBeGreaterThan(0.8);
    } finally {
      await engine.close();
    }
  });
});

// Photos that leave the library and come back, on real photos and the real pipeline: a folder removed by mistake and
// imported again, a drive's photos forgotten while it was unplugged and then plugged back. QA: a folder of 444 photos
// removed and imported again was analysed again (204 s), where re-importing an unchanged folder takes a second. What
// their analysis found is kept when they go (main/library/restore-analysis.ts), so they come back without a face model
// running: the same face ids, boxes, landmarks and vectors, grouped as new faces are, with the names the user gave
// them (QA: Amy's faces came back unnamed); a damaged store or an upgraded pipeline only means analysing them as
// before, and the names still come back.
import { mkdtemp, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import type { JobProgress } from '../../../main/jobs/progress.js';
import { importFolders, refreshMissingPhotos } from '../../../main/library/import.js';
import { keptAnalysesOf } from '../../../main/library/restore-analysis.js';
import { listPeople, nameFaces } from '../../../main/people/index.js';
import { KEPT_ANALYSES_FILE } from '../../../main/store/kept-analyses.js';
import { ModelCalls } from '../../helpers/model-calls.js';
import { lfwPhoto, makeAlbum, subjectAt } from './helpers.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';

interface FaceSeen {
  id: string;
  box: number[];
  score: number;
  landmarks: number[];
  analysedSide: number | undefined;
  backbone: number[];
}

describe('photos that leave the library and come back', () => {
  let work: string;
  // The run's answers (tests/helpers/analysis-cache.ts): these photos are imported again and again.
  let pool: CachedAnalysis;
  let models: ModelCalls;
  let engine: Engine;
  let family: string;
  let trip: string;
  /** The trip's photos and their faces as the first import found them, by photo id. */
  const firstSeen = new Map<string, FaceSeen[]>();
  const library = () => engine.library;
  const tripPhotos = () => library().photos.filter((p) => p.paths.some((path) => path.startsWith(trip + '/')));
  const facesNow = (photoId: string): FaceSeen[] =>
    library()
      .photo(photoId)!
      .faceIds.map((id) => library().face(id)!)
      .map((f) => ({ id: f.id, box: [...f.box], score: f.score, landmarks: [...f.landmarks], analysedSide: f.analysedSide, backbone: Array.from(library().backboneOf(f)) }));
  const thumbPixels = (faceId: string) => sharp(join(library().dir, library().face(faceId)!.thumb)).raw().toBuffer();
  const importCollecting = async (folder: string) => {
    const progress: JobProgress[] = [];
    models.calls = 0;
    const summary = await engine.import([folder], { onProgress: (p) => progress.push(p) });
    return { summary, progress, modelCalls: models.calls };
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'familiar-restore-'));
    family = join(work, 'photos', 'family');
    trip = join(work, 'photos', 'trip');
    await makeAlbum(family, {
      'powell_1.jpg': 'lfw_subset/Colin_Powell/Colin_Powell_0001.jpg',
      'powell_2.jpg': 'lfw_subset/Colin_Powell/Colin_Powell_0002.jpg',
      'powell_3.jpg': 'lfw_subset/Colin_Powell/Colin_Powell_0003.jpg',
      'serena_1.jpg': 'lfw_subset/Serena_Williams/Serena_Williams_0001.jpg',
      'serena_2.jpg': 'lfw_subset/Serena_Williams/Serena_Williams_0002.jpg',
    });
    // Tony Blair, Colin Powell again (his group is in the family folder), group photos, and a landscape without a face.
    await makeAlbum(trip, {
      'blair_1.jpg': 'lfw_subset/Tony_Blair/Tony_Blair_0001.jpg',
      'blair_2.jpg': 'lfw_subset/Tony_Blair/Tony_Blair_0002.jpg',
      'blair_3.jpg': 'lfw_subset/Tony_Blair/Tony_Blair_0003.jpg',
      'powell_4.jpg': 'lfw_subset/Colin_Powell/Colin_Powell_0004.jpg',
      'powell_5.jpg': 'lfw_subset/Colin_Powell/Colin_Powell_0005.jpg',
      'group/011_3.jpg': 'compreface/_group_photos/011_3.jpg',
      'landscape/017_0.jpg': 'compreface/_no_faces/017_0.jpg',
    });
    // People a few metres from a 12-megapixel camera: faces small enough for the closer look, described from a decode
    // twice the analysis's size (as scripts/bench-import.ts builds its group photos).
    const people = ['Ariel_Sharon', 'George_W_Bush', 'Gerhard_Schroeder', 'Hugo_Chavez', 'Jacques_Chirac', 'John_Ashcroft'];
    const tiles = await Promise.all(people.map(async (person, i) => ({ input: await sharp(lfwPhoto(person, 1)).toBuffer(), left: (i % 3) * 1200 + 300, top: Math.floor(i / 3) * 1300 + 400 })));
    await sharp({ create: { width: 4000, height: 3000, channels: 3, background: { r: 118, g: 124, b: 120 } } })
      .composite(tiles)
      .jpeg({ quality: 90 })
      .toFile(join(trip, 'group', 'distant.jpg'));
    pool = new CachedAnalysis(2);
    models = new ModelCalls(pool);
    engine = await Engine.open(join(work, 'library'), { analyzer: models });
    await engine.import([family, trip]);
    for (const photo of tripPhotos()) firstSeen.set(photo.id, facesNow(photo.id));
  }, 600_000);

  afterAll(async () => {
    await engine?.close();
    await pool?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('a folder removed and imported again: no photo analysed, the same faces, grouped as new faces, their names back', async () => {
    expect(firstSeen.size).toBe(8);
    const thumbsBefore = new Map<string, Buffer>();
    for (const photo of tripPhotos()) for (const id of photo.faceIds) thumbsBefore.set(id, await thumbPixels(id));
    // The distant group's faces were described from a decode twice the analysis's size.
    const distant = tripPhotos().find((p) => p.paths[0].endsWith('distant.jpg'))!;
    const analysisScale = Math.min(1, library().settings.analysisMaxSide / Math.max(distant.width, distant.height));
    const describedLarger = distant.faceIds.filter((id) => {
      const face = library().face(id)!;
      return face.analysedSide! >= 1.5 * Math.min(face.box[2], face.box[3]) * analysisScale;
    });
    expect(describedLarger.length).toBeGreaterThanOrEqual(5);
    const tony = await nameFaces(library(), [1, 2, 3].map((n) => subjectAt(library(), join(trip, `blair_${n}.jpg`)).id), 'Tony');
    const powell = subjectAt(library(), join(family, 'powell_1.jpg')).personId;
    expect(powell).not.toBeNull();

    const removed = await engine.removeFolder(trip);
    expect(removed).toMatchObject({ photos: 8, analysesKept: 8, keptAnalysesProblem: null });
    expect(await keptAnalysesOf(library()).count()).toBe(8);

    const { summary, progress, modelCalls } = await importCollecting(trip);
    expect(summary).toMatchObject({ photos: 8, newPhotos: 8, analysed: 0, restored: 8, restoredDecisions: 3, keptAnalysesProblem: null, skipped: [] });
    expect(summary.faces).toBe([...firstSeen.values()].reduce((n, faces) => n + faces.length, 0));
    expect(modelCalls).toBe(0);
    // The progress said so as it went.
    expect(progress.filter((p) => p.stage === 'analyse').at(-1)?.detail).toMatchObject({ analysed: 0, restored: 8 });

    // The same photos, faces, ids, boxes, landmarks, scores and vectors as the first analysis gave.
    expect(new Set(tripPhotos().map((p) => p.id))).toEqual(new Set(firstSeen.keys()));
    for (const [photoId, faces] of firstSeen) expect(facesNow(photoId)).toEqual(faces);
    // Each face has its thumbnail again, cut from the photo as the analysis cut it: a few levels apart at most (the
    // landmarks are kept to a tenth of a pixel). The distant faces are cut from a decode as large as the analysis's
    // closer look: cut from the analysis's pixels, they came out blurred (4.5 levels apart on average, up to 5.8).
    const difference = new Map<string, number>();
    for (const [id, before] of thumbsBefore) {
      const after = await thumbPixels(id);
      expect(after.length).toBe(160 * 160 * 3);
      let sum = 0;
      for (let i = 0; i < after.length; i++) sum += Math.abs(after[i] - before[i]);
      difference.set(id, sum / after.length);
    }
    expect(Math.max(...difference.values())).toBeLessThan(4);
    expect(describedLarger.reduce((sum, id) => sum + difference.get(id)!, 0) / describedLarger.length).toBeLessThan(3);
    // Placed and grouped as any new face: Powell's with his family photos; Blair's named Tony, as the user named them
    // (kept with their analysis: no sidecar was written).
    const tripFaces = tripPhotos().flatMap((p) => p.faceIds.map((id) => library().face(id)!));
    expect(tripFaces.filter((f) => f.unplaced)).toEqual([]);
    expect([4, 5].map((n) => subjectAt(library(), join(trip, `powell_${n}.jpg`)).personId)).toEqual([powell, powell]);
    const blair = [1, 2, 3].map((n) => subjectAt(library(), join(trip, `blair_${n}.jpg`)));
    expect(blair.map((f) => [f.personId, f.assignedBy])).toEqual(Array(3).fill([tony.personIds[0], 'user']));
    expect(listPeople(library(), { includeEmpty: true }).find((p) => p.id === tony.personIds[0])?.name).toBe('Tony');
    // The kept analyses were spent.
    expect(await keptAnalysesOf(library()).count()).toBe(0);
    await expect(stat(join(library().dir, KEPT_ANALYSES_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 300_000);

  it('photos forgotten while their drive was away come back without analysis when it does', async () => {
    const away = join(work, 'photos', 'unplugged');
    await rename(trip, away);
    await refreshMissingPhotos(library());
    const forgotten = await engine.removeMissing();
    expect(forgotten).toMatchObject({ photos: 8, analysesKept: 8 });
    await rename(away, trip);

    const { summary, modelCalls } = await importCollecting(trip);
    expect(summary).toMatchObject({ photos: 8, analysed: 0, restored: 8, keptAnalysesProblem: null });
    expect(modelCalls).toBe(0);
    for (const [photoId, faces] of firstSeen) expect(facesNow(photoId)).toEqual(faces);
  }, 300_000);

  it('a damaged store is said, and the photos it cannot give are analysed as before', async () => {
    const file = join(library().dir, KEPT_ANALYSES_FILE);
    /** Damage comes between two runs (a disk error, another program): the next open reads the file afresh. */
    const damageWhileClosed = async (damage: () => Promise<void>) => {
      await engine.close();
      await damage();
      engine = await Engine.open(join(work, 'library'), { analyzer: models });
    };
    await engine.removeFolder(trip);
    // A byte changed half way: the photos kept before it still come back.
    await damageWhileClosed(async () => {
      const handle = await open(file, 'r+');
      try {
        const middle = Math.floor((await handle.stat()).size / 2);
        const byte = Buffer.alloc(1);
        await handle.read(byte, 0, 1, middle);
        byte[0] ^= 0xff;
        await handle.write(byte, 0, 1, middle);
      } finally {
        await handle.close();
      }
    });
    const damaged = await importCollecting(trip);
    expect(damaged.summary.keptAnalysesProblem).toMatch(/^kept-analyses\.bin is damaged after \d+ photos? kept: the photos kept past that point are analysed again/);
    expect(damaged.summary).toMatchObject({ photos: 8, newPhotos: 8 });
    expect(damaged.summary.analysed).toBeGreaterThan(0);
    expect(damaged.summary.analysed + damaged.summary.restored).toBe(8);
    expect(damaged.modelCalls).toBeGreaterThan(0);
    for (const [photoId, faces] of firstSeen) expect(facesNow(photoId).map((f) => f.id)).toEqual(faces.map((f) => f.id));

    // Not a file of kept analyses at all: said, and every photo analysed.
    await engine.removeFolder(trip);
    await damageWhileClosed(() => writeFile(file, 'not what Familiar wrote'));
    const notOne = await importCollecting(trip);
    expect(notOne.summary.keptAnalysesProblem).toMatch(/^kept-analyses\.bin is not a file of kept analyses/);
    expect(notOne.summary).toMatchObject({ photos: 8, analysed: 8, restored: 0 });
    expect(library().faces.filter((f) => f.unplaced)).toEqual([]);
  }, 600_000);

  it('an upgraded pipeline makes the kept analyses useless: they are dropped, and the photos analysed, their names back', async () => {
    const tony = await nameFaces(library(), [1, 2, 3].map((n) => subjectAt(library(), join(trip, `blair_${n}.jpg`)).id), 'Tony');
    await engine.removeFolder(trip);
    expect(await keptAnalysesOf(library()).count()).toBe(8);
    models.calls = 0;
    const upgraded = await importFolders(library(), async () => models, 'a-later-pipeline', [trip]);
    expect(upgraded).toMatchObject({ photos: 8, analysed: 8, restored: 0, restoredDecisions: 3, keptAnalysesProblem: null });
    expect(models.calls).toBeGreaterThan(0);
    // The faces found anew in the named faces' places take the names back.
    expect([1, 2, 3].map((n) => subjectAt(library(), join(trip, `blair_${n}.jpg`)).personId)).toEqual(Array(3).fill(tony.personIds[0]));
    expect(await keptAnalysesOf(library()).count()).toBe(0);
    await expect(stat(join(library().dir, KEPT_ANALYSES_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 600_000);
});

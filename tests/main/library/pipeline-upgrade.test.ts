// What an upgrade of the pipeline does to a library an earlier version analysed. The detector's threshold went from
// 0.4 to 0.35: in obama_and_biden.jpg the girl in the foreground, looking down, scores ~0.38, so the earlier version
// missed her. An upgrade keeps that photo's faces (finding her takes the detector again, hours on a large library);
// looking again finds her, and the faces found before keep their ids and names.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { lookAgainCounts, mayHoldSidewaysFace, needsAnalysis, photosToLookAgainAt, PIPELINE_BEFORE_CLOSER_LOOK, PIPELINE_BEFORE_LOWER_THRESHOLD, PIPELINE_BEFORE_SIDEWAYS, sidewaysAmong } from '../../../main/library/pipeline-upgrade.js';
import { templatePoints } from '../../../models/aligner.js';
import { nameFaces } from '../../../main/people/decisions.js';
import { PIPELINE_VERSION } from '../../../models/pipeline.js';
import { sharedFacesDir } from '../../helpers/shared-faces.js';

describe('which photos an upgrade analyses again', () => {
  const photo = (width: number, height: number, version: string | null) => ({ width, height, analysis: version ? { pipelineVersion: version, analysedAt: '' } : null });
  const small = (x: number) => ({ box: [x, 100, 100, 110] as [number, number, number, number] }); // ~13 px at the detector in a 4000 px photo
  const portrait = { box: [1000, 500, 1500, 1800] as [number, number, number, number] };

  it('v4 photos only where the closer look would find more; v5 photos never; older pipelines and new photos always', () => {
    expect(needsAnalysis(photo(4000, 3000, PIPELINE_VERSION), [small(0), small(500)], 1024)).toBe(false);
    // v5: the same faces, less those scoring 0.35-0.4, which only the detector can tell.
    expect(needsAnalysis(photo(4000, 3000, PIPELINE_BEFORE_LOWER_THRESHOLD), [small(0), small(500)], 1024)).toBe(false);
    // v6: the same faces; those lying on their side described wrongly, which only a look again puts right.
    expect(needsAnalysis(photo(4000, 3000, PIPELINE_BEFORE_SIDEWAYS), [small(0), small(500)], 1024)).toBe(false);
    expect(needsAnalysis(photo(4000, 3000, PIPELINE_BEFORE_CLOSER_LOOK), [small(0), small(500)], 1024)).toBe(true);
    expect(needsAnalysis(photo(4000, 3000, PIPELINE_BEFORE_CLOSER_LOOK), [portrait], 1024)).toBe(false);
    expect(needsAnalysis(photo(4000, 3000, PIPELINE_BEFORE_CLOSER_LOOK), [], 1024)).toBe(false);
    // Small photos have no more pixels to look at.
    expect(needsAnalysis(photo(800, 600, PIPELINE_BEFORE_CLOSER_LOOK), [small(0), small(300)], 1024)).toBe(false);
    expect(needsAnalysis(photo(800, 600, 'ssd0.4-padretry-lm68-dlib33align-resnet128mirror-v3'), [], 1024)).toBe(true);
    expect(needsAnalysis(photo(800, 600, null), [], 1024)).toBe(true);
  });

  it('looking again reads every photo an earlier pipeline analysed whose file is on disk', () => {
    const photos = [
      { id: 'current', missing: false, analysis: { pipelineVersion: PIPELINE_VERSION, analysedAt: '' } },
      { id: 'v5', missing: false, analysis: { pipelineVersion: PIPELINE_BEFORE_LOWER_THRESHOLD, analysedAt: '' } },
      { id: 'v4', missing: false, analysis: { pipelineVersion: PIPELINE_BEFORE_CLOSER_LOOK, analysedAt: '' } },
      { id: 'v5 on an unplugged drive', missing: true, analysis: { pipelineVersion: PIPELINE_BEFORE_LOWER_THRESHOLD, analysedAt: '' } },
      { id: 'never analysed', missing: false, analysis: null },
    ];
    expect(photosToLookAgainAt(photos, () => []).map((p) => p.id)).toEqual(['v5', 'v4']);
  });

  it('of the photos v6 analysed, only those with a face whose landmarks fit a face poorly: it may lie on its side', () => {
    // dlib's mean face where the fit looks (landmarkFitResidual: 0), and the same with the mouth and nose guessed askew.
    const fitting = new Array<number>(136).fill(0);
    const template = templatePoints({ size: 100, padding: 0, template: 'dlib68' });
    const indices = [...Array(68).keys()].filter((i) => i >= 27 && !(i >= 55 && i <= 59) && !(i >= 65 && i <= 67));
    indices.forEach((i, k) => ([fitting[2 * i], fitting[2 * i + 1]] = template[k]));
    const askew = fitting.map((v, j) => (j >= 2 * 27 && j < 2 * 36 ? v + (j % 2 ? 30 : -20) : j >= 2 * 48 ? v + 25 : v));
    // Boxes as the detector draws upright faces: taller than wide.
    const upright = { box: [0, 0, 100, 120] as [number, number, number, number], score: 0.99 };
    const faces = new Map([
      ['upright', [{ landmarks: fitting, ...upright }]],
      ['sideways', [{ landmarks: fitting, ...upright }, { landmarks: askew, ...upright }]],
      ['v5', [{ landmarks: fitting, ...upright }]],
    ]);
    const photos = [
      { id: 'upright', missing: false, analysis: { pipelineVersion: PIPELINE_BEFORE_SIDEWAYS, analysedAt: '' } },
      { id: 'sideways', missing: false, analysis: { pipelineVersion: PIPELINE_BEFORE_SIDEWAYS, analysedAt: '' } },
      { id: 'sideways now', missing: false, analysis: { pipelineVersion: PIPELINE_VERSION, analysedAt: '' } },
      { id: 'v5', missing: false, analysis: { pipelineVersion: PIPELINE_BEFORE_LOWER_THRESHOLD, analysedAt: '' } },
    ];
    faces.set('sideways now', faces.get('sideways')!);
    const facesOf = (p: { id: string }) => faces.get(p.id) ?? [];
    const listed = photosToLookAgainAt(photos, facesOf);
    expect(listed.map((p) => p.id)).toEqual(['sideways', 'v5']);
    expect(sidewaysAmong(listed, facesOf)).toBe(1);
    // Counted in one pass, each photo's faces fitted once: the same answer. A v5 photo may hold one lying down too.
    expect(lookAgainCounts(photos, facesOf)).toEqual({ photos: 2, sideways: 1 });
    faces.set('v5', faces.get('sideways')!);
    expect(lookAgainCounts(photos, facesOf)).toEqual({ photos: 2, sideways: sidewaysAmong(photosToLookAgainAt(photos, facesOf), facesOf) });
    expect(lookAgainCounts(photos, facesOf).sideways).toBe(2);
  });

  it('of the photos v6 analysed, also those with an unsure face in a box wider than tall, large enough to tell which way is up', () => {
    const fitting = new Array<number>(136).fill(0);
    const template = templatePoints({ size: 100, padding: 0, template: 'dlib68' });
    const indices = [...Array(68).keys()].filter((i) => i >= 27 && !(i >= 55 && i <= 59) && !(i >= 65 && i <= 67));
    indices.forEach((i, k) => ([fitting[2 * i], fitting[2 * i + 1]] = template[k]));
    // The landmark net's guess on a face lying on its side fitted a face shape; the detector's box and score tell it.
    const face = (width: number, height: number, score: number, analysedSide?: number) => ({ landmarks: fitting, box: [0, 0, width, height] as [number, number, number, number], score, analysedSide });
    expect(mayHoldSidewaysFace([face(150, 100, 0.6)])).toBe(true);
    expect(mayHoldSidewaysFace([face(150, 100, 0.6, 100)])).toBe(true);
    // Sure of it, as tall as wide, or too small for the detector to tell which way is up (analysed pixels): upright.
    expect(mayHoldSidewaysFace([face(150, 100, 0.95)])).toBe(false);
    expect(mayHoldSidewaysFace([face(110, 100, 0.6)])).toBe(false);
    expect(mayHoldSidewaysFace([face(1500, 1000, 0.6, 30)])).toBe(false);
  });
});

describe('a library the previous version analysed', () => {
  const groupPhotos = join(sharedFacesDir(), 'face_recognition', '_group_photos');
  const lfw = (person: string, n: number) => join(sharedFacesDir(), 'lfw_subset', person, `${person}_${String(n).padStart(4, '0')}.jpg`);
  let work: string;
  let album: string;
  let earlierPool: AnalysisPool;
  let pool: AnalysisPool;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'familiar-upgrade-'));
    album = join(work, 'album');
    await mkdir(album);
    await copyFile(join(groupPhotos, 'obama_and_biden.jpg'), join(album, 'obama_and_biden.jpg'));
    await copyFile(lfw('Colin_Powell', 1), join(album, 'powell.jpg'));
    await copyFile(lfw('Colin_Powell', 1), join(album, 'powell copy.jpg')); // one photo, two files
    await copyFile(lfw('Serena_Williams', 1), join(album, 'serena.jpg'));
    // The previous version's detector: the same networks at the old threshold.
    [earlierPool, pool] = await Promise.all([AnalysisPool.create({ size: 1, analyzer: { detector: { minConfidence: 0.4 } } }), AnalysisPool.create({ size: 1 })]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([earlierPool?.close(), pool?.close()]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('keeps its faces on upgrade; looking again finds the face it missed, and every name holds', async () => {
    const dir = join(work, 'library');
    const obamaPhoto = (engine: Engine) => engine.library.photos.find((p) => p.paths[0].endsWith('obama_and_biden.jpg'))!;
    // 1. The previous version imports the album, and the user names one face.
    const earlier = await Engine.open(dir, { analyzer: earlierPool });
    let named: string;
    let setAside: string;
    let facesBefore: string[];
    try {
      await earlier.import([album]);
      await earlier.library.transaction((tx) => {
        for (const photo of tx.photos) photo.analysis = { pipelineVersion: PIPELINE_BEFORE_LOWER_THRESHOLD, analysedAt: photo.analysis!.analysedAt };
      });
      const inGroup = earlier.library.facesOfPhoto(obamaPhoto(earlier).id);
      expect(inGroup.length).toBeGreaterThanOrEqual(2);
      named = [...inGroup].sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0].id;
      await nameFaces(earlier.library, [named], 'Barack Obama');
      // The autoencoder's verdict on a face (here: set aside as unlike a face) must survive the new analysis.
      const other = inGroup.find((f) => f.id !== named)!.id;
      await earlier.library.transaction((tx) => {
        tx.faces.find((f) => f.id === other)!.faceness = 0.01;
      });
      setAside = other;
      facesBefore = earlier.library.faces.map((f) => f.id).sort();
    } finally {
      await earlier.close();
    }

    // 2. This version opens it: importing the album again analyses nothing and changes no face.
    const engine = await Engine.open(dir, { analyzer: pool });
    try {
      const again = await engine.import([album]);
      expect(again.analysed).toBe(0);
      expect(engine.library.faces.map((f) => f.id).sort()).toEqual(facesBefore);
      expect(photosToLookAgainAt(engine.library.photos, (p) => engine.library.facesOfPhoto(p.id))).toHaveLength(3);
      expect((await engine.doctor()).library.counts?.lookAgain).toBe(3);

      // 3. Looking again finds the girl; the faces found before keep their ids, and the name holds. A photo whose
      // first copy was deleted meanwhile is read from the other.
      const powell = engine.library.photos.find((p) => p.paths.length === 2)!;
      await rm(powell.paths[0]);
      const rowsBefore = engine.library.vectorRows;
      const summary = await engine.lookAgain();
      // Faces found again with the same descriptor keep their vector rows: only the new face adds one.
      expect(engine.library.vectorRows - rowsBefore).toBe(engine.library.faces.length - facesBefore.length);
      expect(summary.analysed).toBe(3);
      expect(summary.skipped).toEqual([]);
      const group = obamaPhoto(engine);
      const found = engine.library.facesOfPhoto(group.id).filter((f) => !facesBefore.includes(f.id));
      // The girl in the front right corner of the 2,000 x 1,428 photo, looking down.
      expect(found.map((f) => [f.box[0] + f.box[2] / 2 > 0.75 * group.width, f.box[1] + f.box[3] / 2 > 0.6 * group.height])).toEqual([[true, true]]);
      expect(engine.library.faces.map((f) => f.id)).toEqual(expect.arrayContaining(facesBefore));
      const obama = engine.library.face(named)!;
      expect(engine.library.people.people.find((p) => p.id === obama.personId)?.name).toBe('Barack Obama');
      expect(obama.assignedBy).toBe('user');
      expect(engine.library.face(setAside)!.faceness).toBe(0.01);
      expect(engine.library.photos.every((p) => p.analysis?.pipelineVersion === PIPELINE_VERSION)).toBe(true);

      // 4. Nothing is left to look at again.
      expect(photosToLookAgainAt(engine.library.photos, (p) => engine.library.facesOfPhoto(p.id))).toHaveLength(0);
      expect((await engine.lookAgain()).analysed).toBe(0);
    } finally {
      await engine.close();
    }
  }, 300_000);
});

// Small faces in large photos: a 4000x3000 "group photo" of twelve real LFW faces, each about 110 px tall, as a
// 12-megapixel camera takes people a few metres away. Analysed at the library's 1,024 px, the faces are ~28 px
// and the detector sees them at ~14 px: it finds few of them. The import's closer look (main/library/closer-look.ts)
// finds them, and their descriptors, taken from twice the pixels, match another photo of the same person.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { closerLookSide, mergeCloserLook, wantsCloserLook } from '../../../main/library/closer-look.js';
import { PIPELINE_BEFORE_CLOSER_LOOK } from '../../../main/library/pipeline-upgrade.js';
import { unrecognisable } from '../../../main/people/library.js';
import { PIPELINE_VERSION } from '../../../models/pipeline.js';
import { decodePhoto, readPhotoBytes } from '../../../main/library/decode.js';
import type { DetectedFace } from '../../../models/types.js';
import { sharedFacesDir } from '../../helpers/shared-faces.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';

/** Twelve people, two photos each: the first goes into the group photo, the second is who they must match. */
const PEOPLE = [
  'Abdullah_Gul',
  'Alvaro_Uribe',
  'Andre_Agassi',
  'Ariel_Sharon',
  'Bill_Clinton',
  'Colin_Powell',
  'George_Robertson',
  'Gloria_Macapagal_Arroyo',
  'Hans_Blix',
  'Jennifer_Capriati',
  'Junichiro_Koizumi',
  'Serena_Williams',
];
const lfw = (person: string, n: number) => join(sharedFacesDir(), 'lfw_subset', person, `${person}_${String(n).padStart(4, '0')}.jpg`);
/** Where each LFW photo's centre (its labelled face) lands in the group photo. */
const centreOf = (i: number): [number, number] => [(i % 4) * 1000 + 500, Math.floor(i / 4) * 1000 + 500];

// The run's answers (tests/helpers/analysis-cache.ts): the group photo is analysed, then imported three times.
let pool: CachedAnalysis;
let work: string;
let groupPhoto: string;

beforeAll(async () => {
  pool = new CachedAnalysis(2);
  work = await mkdtemp(join(tmpdir(), 'familiar-closer-'));
  await mkdir(join(work, 'album'));
  groupPhoto = join(work, 'album', 'reunion.jpg');
  // A large portrait: one face filling the frame, as a phone takes it. An upgrade must not analyse it again.
  await sharp(lfw(PEOPLE[0], 3)).resize(3000, 3000).jpeg({ quality: 90 }).toFile(join(work, 'album', 'portrait.jpg'));
  const tiles = await Promise.all(
    PEOPLE.map(async (person, i) => ({ input: await sharp(lfw(person, 1)).toBuffer(), left: centreOf(i)[0] - 125, top: centreOf(i)[1] - 125 })),
  );
  await sharp({ create: { width: 4000, height: 3000, channels: 3, background: { r: 118, g: 124, b: 120 } } })
    .composite(tiles)
    .jpeg({ quality: 90 })
    .toFile(groupPhoto);
}, 120_000);

afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** For each person, the face whose box holds their photo's centre (original pixels), if any. */
function facesAtCentres<F extends { box: [number, number, number, number] }>(faces: F[]): Array<F | undefined> {
  return PEOPLE.map((_, i) => {
    const [cx, cy] = centreOf(i);
    return faces.find((f) => f.box[0] <= cx && cx <= f.box[0] + f.box[2] && f.box[1] <= cy && cy <= f.box[1] + f.box[3]);
  });
}

describe('the closer look at small faces', () => {
  it('the analysis alone, at the default size, misses most of the small faces (what the closer look is for)', async () => {
    const decoded = await decodePhoto(await readPhotoBytes(groupPhoto), 1024);
    const faces = (await pool.analyze(decoded.image)).map((f) => ({ ...f, box: [f.box[0] * decoded.scaleX, f.box[1] * decoded.scaleY, f.box[2] * decoded.scaleX, f.box[3] * decoded.scaleY] as DetectedFace['box'] }));
    const found = facesAtCentres(faces).filter(Boolean).length;
    expect(found).toBeLessThanOrEqual(8);
    expect(found).toBeGreaterThan(0);
  });

  it('the import finds nearly every face, each matching another photo of the same person', async () => {
    const engine = await Engine.open(join(work, 'library'), { analyzer: pool });
    try {
      await engine.import([join(work, 'album')]);
      const library = engine.library;
      expect(library.settings.analysisMaxSide).toBe(1024);
      const faces = facesAtCentres([...library.faces]);
      expect(faces.filter(Boolean).length).toBeGreaterThanOrEqual(11);
      // Each found face's nearest among the twelve people's other photos is its own person.
      const references = await Promise.all(
        PEOPLE.map(async (person) => {
          const decoded = await decodePhoto(await readPhotoBytes(lfw(person, 2)), 1024);
          const found = await pool.analyze(decoded.image);
          return found.sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0].descriptor;
        }),
      );
      const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, k) => s + v * b[k], 0);
      let right = 0;
      faces.forEach((face, i) => {
        if (!face) return;
        const vector = library.embeddingOf(face);
        const scores = references.map((r) => dot(vector, r));
        if (scores.indexOf(Math.max(...scores)) === i) right++;
      });
      expect(right).toBeGreaterThanOrEqual(faces.filter(Boolean).length - 1);
      // Nothing was counted twice: one face per person at most, and no stray faces on the plain background.
      expect(library.faces.length).toBeLessThanOrEqual(PEOPLE.length + 1 + 6);
      // A library analysed before the closer look: an upgrade analyses again only the photo that gains from it.
      await library.transaction((tx) => {
        for (const photo of tx.photos) photo.analysis = { pipelineVersion: PIPELINE_BEFORE_CLOSER_LOOK, analysedAt: photo.analysis!.analysedAt };
      });
      const again = await engine.import([join(work, 'album')]);
      expect(again.analysed).toBe(1);
      expect(library.photos.find((p) => p.paths[0].endsWith('reunion.jpg'))!.analysis!.pipelineVersion).toBe(PIPELINE_VERSION);
      expect(library.photos.find((p) => p.paths[0].endsWith('portrait.jpg'))!.analysis!.pipelineVersion).toBe(PIPELINE_BEFORE_CLOSER_LOOK);
    } finally {
      await engine.close();
    }
  }, 300_000);
});

describe('a panorama', () => {
  it('is looked at in tiles a face fits in: a face 10 px tall at the analysis size is found and recognised', async () => {
    // 12,000 x 400, one face about 180 px tall in the middle: at 1,024 px wide the whole photo is 34 px tall (QA).
    const album = join(work, 'panorama');
    await mkdir(album, { recursive: true });
    const face = await sharp(lfw(PEOPLE[1], 1)).resize(400, 400).toBuffer();
    await sharp({ create: { width: 12_000, height: 400, channels: 3, background: { r: 96, g: 120, b: 150 } } })
      .composite([{ input: face, left: 6000, top: 0 }])
      .jpeg({ quality: 90 })
      .toFile(join(album, 'beach.jpg'));
    const first = await decodePhoto(await readPhotoBytes(join(album, 'beach.jpg')), 1024);
    expect(await pool.analyze(first.image)).toEqual([]);
    const engine = await Engine.open(join(work, 'library-panorama'), { analyzer: pool });
    try {
      await engine.import([album]);
      const faces = [...engine.library.faces];
      expect(faces).toHaveLength(1);
      const [x, y, w, h] = faces[0].box;
      expect(x + w / 2).toBeGreaterThan(6000);
      expect(x + w / 2).toBeLessThan(6400);
      expect(h).toBeGreaterThan(100);
      expect(y).toBeGreaterThanOrEqual(0);
    } finally {
      await engine.close();
    }
  }, 240_000);

  it('is the one photo without small faces that gets a closer look, and only with pixels to gain', () => {
    const decoded = (width: number, height: number, scale: number) => ({ scaleX: scale, scaleY: scale, image: { width, height } });
    // 30,000 x 800 analysed at 1,024 x 27: decoded so its short side is the detector's input, its long side at most 16,384.
    expect(closerLookSide([], decoded(1024, 27, 29.3), 1024)).toEqual({ side: 16384, panorama: true });
    // A 3:1 panorama of 4,096 x 1,364 analysed at 1,024 x 341: about 1,540 px wide.
    expect(closerLookSide([], decoded(1024, 341, 4), 1024)).toEqual({ side: Math.round(512 * (1024 / 341)), panorama: true });
    // People at a distance: the usual closer look at twice the size.
    const small = { box: [10, 10, 40, 40] as DetectedFace['box'], score: 0.9, landmarks: [], descriptor: new Float32Array(128), analysedSide: 40, crop: { data: new Uint8Array(3), width: 1, height: 1 } };
    expect(closerLookSide([small], decoded(1024, 768, 4), 1024)).toEqual({ side: 2048, panorama: false });
    // An ordinary photo, or a panorama with no more pixels in the file: none.
    expect(closerLookSide([], decoded(1024, 768, 4), 1024)).toBeNull();
    expect(closerLookSide([], decoded(1024, 100, 1), 1024)).toBeNull();
  });
});

describe('when the closer look fails', () => {
  it('the photo keeps the faces the first analysis found instead of being skipped', async () => {
    // A worker that dies on every closer look.
    const analyzer = {
      size: pool.size,
      analyze: (image: Parameters<AnalysisPool['analyze']>[0], options?: { closerLook?: boolean }) =>
        options?.closerLook ? Promise.reject(new Error('the analysis worker died')) : pool.analyze(image),
    };
    const engine = await Engine.open(join(work, 'library-failing'), { analyzer });
    try {
      const summary = await engine.import([join(work, 'album')]);
      expect(summary.skipped).toEqual([]);
      const reunion = engine.library.photos.find((p) => p.paths[0].endsWith('reunion.jpg'))!;
      const found = engine.library.facesOfPhoto(reunion.id).length;
      expect(found).toBeGreaterThan(0);
      expect(found).toBeLessThanOrEqual(8);
    } finally {
      await engine.close();
    }
  }, 300_000);
});

describe('when to look closer, and merging what it finds', () => {
  const face = (box: DetectedFace['box'], tag = 0): DetectedFace => ({
    box,
    score: 0.9,
    landmarks: [[box[0] + tag, box[1]]],
    descriptor: new Float32Array([tag]),
    analysedSide: Math.min(box[2], box[3]),
    crop: { data: new Uint8Array(3), width: 1, height: 1 },
  });
  const decoded = (scale: number) => ({ scaleX: scale, scaleY: scale, image: { width: 1024, height: 768 } });

  it('looks closer only at people at a distance in a file with more pixels than were analysed', () => {
    // 40 px in a 1,024 px image is 20 px at the detector's 512: small.
    expect(wantsCloserLook([face([10, 10, 40, 40])], decoded(4))).toBe(true);
    // Two small faces beside a large one: people behind someone close.
    expect(wantsCloserLook([face([300, 100, 300, 300]), face([10, 10, 40, 40]), face([900, 10, 30, 30])], decoded(4))).toBe(true);
    // A portrait: one large face, and one with something small in the background.
    expect(wantsCloserLook([face([300, 100, 300, 300])], decoded(4))).toBe(false);
    expect(wantsCloserLook([face([300, 100, 300, 300]), face([10, 10, 40, 40])], decoded(4))).toBe(false);
    // Nothing found: no sign of people at a distance.
    expect(wantsCloserLook([], decoded(4))).toBe(false);
    // The file has no more pixels than were analysed.
    expect(wantsCloserLook([face([10, 10, 40, 40])], decoded(1))).toBe(false);
  });

  it('a face found again replaces the first one (twice the pixels); a new one joins; the rest stay', () => {
    const first = [face([100, 100, 30, 30], 1), face([500, 500, 300, 300], 2)];
    // In the larger decode (ratio 0.5): the first small face again, and one the first pass missed.
    const closer = [face([202, 198, 60, 64], 3), face([1400, 200, 50, 50], 4)];
    const merged = mergeCloserLook(first, closer, 0.5);
    expect(merged.map((f) => f.descriptor[0]).sort()).toEqual([2, 3, 4]);
    const again = merged.find((f) => f.descriptor[0] === 3)!;
    expect(again.box).toEqual([101, 99, 30, 32]);
    expect(again.landmarks[0]).toEqual([102.5, 99]);
    // Its descriptor came from the larger decode: the recognition net saw it at 60 px, not at the 30 px of `box`.
    expect(again.analysedSide).toBe(60);
  });
});

describe('a small face beside a large one', () => {
  // A portrait with someone behind: Colin Powell fills the front of a 2048 x 1536 photo and Tony Blair's face, ~100 px
  // in the file, stands behind him. The library analyses at 512 px, so Blair is ~25 px there: found, but too small
  // to recognise, and one small face beside a large one is no group photo for the tiled closer look.
  async function album(): Promise<string> {
    const dir = join(work, 'portrait-with-someone-behind');
    await mkdir(dir, { recursive: true });
    await sharp({ create: { width: 2048, height: 1536, channels: 3, background: { r: 96, g: 110, b: 104 } } })
      .composite([
        { input: await sharp(lfw('Colin_Powell', 1)).resize(1200, 1200).toBuffer(), left: 100, top: 200 },
        { input: await sharp(lfw('Tony_Blair', 1)).toBuffer(), left: 1600, top: 300 },
      ])
      .jpeg({ quality: 92 })
      .toFile(join(dir, 'portrait.jpg'));
    for (const n of [2, 3, 4, 5]) await sharp(lfw('Tony_Blair', n)).toFile(join(dir, `blair-${n}.jpg`));
    return dir;
  }
  const behind = <F extends { box: DetectedFace['box'] }>(faces: readonly F[]) => faces.find((f) => f.box[0] > 1600 && f.box[0] < 1850 && f.box[1] > 300 && f.box[1] < 550);

  it('is described again from the full-size file and joins its person; without that it is set aside', async () => {
    const dir = await album();
    const run = async (name: string, closerLook: boolean) => {
      const engine = await Engine.open(join(work, name), { analyzer: pool });
      await engine.library.transaction((tx) => {
        tx.settings.analysisMaxSide = 512;
      });
      await engine.import([dir], { closerLook });
      const library = engine.library;
      const face = behind(library.faces)!;
      const blair = library.faces.filter((f) => library.photo(f.photoId)!.paths[0].includes('blair-')).map((f) => f.personId);
      const result = { face, blair, reason: face && unrecognisable(face, library.photo(face.photoId)) };
      await engine.close();
      return result;
    };
    const without = await run('library-small-as-analysed', false);
    expect(without.face).toBeDefined();
    expect(without.face.analysedSide).toBeLessThan(32);
    expect(without.reason).toBe('small');
    expect(without.face.personId).toBeNull();

    const again = await run('library-described-again', true);
    expect(again.face.analysedSide).toBeGreaterThan(80);
    expect(again.reason).toBeNull();
    // Blair's other photos are one group, and the face behind Powell is in it.
    expect(new Set(again.blair).size).toBe(1);
    expect(again.face.personId).toBe(again.blair[0]);
    expect(again.face.personId).not.toBeNull();
  }, 300_000);
});

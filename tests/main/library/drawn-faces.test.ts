// Marking a missed face by drawing a box around it (main/library/drawn-faces.ts, Engine.addDrawnFace): on real
// photos, with an import that missed one face on purpose (its analyzer hides it), on photos whose faces the import
// cannot see (dimmed far below what the detector finds), and on a half-turned face in a tight crop that the detector
// cannot confirm even in the box drawn (kept as drawn).
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import type { FaceAnalysisService } from '../../../main/library/import.js';
import { framedFaces } from '../../../main/library/drawn-faces.js';
import { findFacesInFile } from '../../../main/library/tagged-faces.js';
import { iou } from '../../../models/detector.js';
import { PIPELINE_VERSION } from '../../../models/pipeline.js';
import { PIPELINE_BEFORE_LOWER_THRESHOLD } from '../../../main/library/pipeline-upgrade.js';
import type { FaceRecord } from '../../../main/store/types.js';
import type { Box, DetectedFace, RgbImage } from '../../../models/types.js';
import { sharedFaces } from './helpers.js';

const PERSON = 'Colin_Powell';
/** The photo whose face the import "misses". */
const HIDDEN = `${PERSON}_0004.jpg`;

/** The pool, except that whole-photo analyses of the marked images find no face: an import that missed it. */
class MissingAnalyzer implements FaceAnalysisService {
  hidden: DetectedFace[] = [];
  constructor(
    private readonly pool: AnalysisPool,
    private readonly hide: (image: RgbImage) => boolean,
  ) {}
  get size() {
    return this.pool.size;
  }
  /** While set, the import's analyses wait for it (drawn boxes do not): an import running on. */
  gate: Promise<void> | null = null;
  async analyze(image: RgbImage, options?: Parameters<FaceAnalysisService['analyze']>[1]): Promise<DetectedFace[]> {
    if (!options?.drawnBox) await this.gate;
    const faces = await this.pool.analyze(image, options);
    if (options?.drawnBox || !this.hide(image)) return faces;
    this.hidden.push(...faces);
    return [];
  }
}

let dir: string;
let pool: AnalysisPool;
let engine: Engine;
let analyzer: MissingAnalyzer;
const photoIdOf = (name: string) => engine.library.photos.find((p) => p.paths[0].endsWith(name))!.id;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-drawn-'));
  const album = join(dir, 'album');
  mkdirSync(album);
  for (const file of readdirSync(join(sharedFaces, 'lfw_subset', PERSON)).slice(0, 6)) copyFileSync(join(sharedFaces, 'lfw_subset', PERSON, file), join(album, file));
  // A face far too dark for the detector: 15 % of its light.
  await sharp(join(sharedFaces, 'lfw_subset', 'Tony_Blair', 'Tony_Blair_0002.jpg')).linear(0.15, 10).toFile(join(album, 'dark.jpg'));
  // Two more, other files of that face: one mirrored, one a little less dark.
  await sharp(join(sharedFaces, 'lfw_subset', 'Tony_Blair', 'Tony_Blair_0002.jpg')).linear(0.15, 10).flop().toFile(join(album, 'dark-mirrored.jpg'));
  await sharp(join(sharedFaces, 'lfw_subset', 'Tony_Blair', 'Tony_Blair_0002.jpg')).linear(0.16, 10).toFile(join(album, 'dark-again.jpg'));
  copyFileSync(join(sharedFaces, 'lfw_subset', 'Tony_Blair', 'Tony_Blair_0002.jpg'), join(album, 'bright.jpg'));
  copyFileSync(join(sharedFaces, 'compreface', '_no_faces', '017_0.jpg'), join(album, 'landscape.jpg'));
  copyFileSync(join(sharedFaces, 'compreface', '_no_faces', 'NoFace-img2.jpg'), join(album, 'clouds.jpg'));
  await sharp(join(sharedFaces, 'lfw_subset', 'Tony_Blair', 'Tony_Blair_0003.jpg')).linear(0.15, 10).toFile(join(album, 'dark-undo.jpg'));
  // Faces lying on their side, which the import misses: one the drawn box found only turned upright, one it found
  // upright with a doubtful score, and described 0.08 off. Each beside its photo the right way up.
  for (const [person, angle] of [['Gordon_Brown', 270], ['Hans_Blix', 90]] as const) {
    const file = join(sharedFaces, 'lfw_subset', person, `${person}_0002.jpg`);
    await sharp(file).rotate(angle).toFile(join(album, `sideways-${person}.jpg`));
    copyFileSync(file, join(album, `upright-${person}.jpg`));
  }
  // Two faces side by side (337,191 and 474,214, about 48 x 72).
  copyFileSync(join(sharedFaces, 'compreface', '_group_photos', '010_2.jpg'), join(album, 'pair.jpg'));
  // A 3,880 x 5,184 portrait: its face is larger than the closer look's crop is allowed to be.
  copyFileSync(join(sharedFaces, 'compreface', 'sampleA', '002_A.jpg'), join(album, 'portrait.jpg'));
  // Tight crops of four of a show's cast: the import misses Stuart's half-turned face in stuart5.png.
  for (const person of ['stuart', 'howard', 'leonard', 'raj']) {
    for (let n = 1; n <= 5; n++) copyFileSync(join(sharedFaces, 'face-api.js', person, `${person}${n}.png`), join(album, `${person}${n}.png`));
  }
  pool = await AnalysisPool.create({ size: 1 });
  // The hidden photo is the import's 4th analysis only by chance: hide by content instead (its pixels' sum).
  const marker = await sharp(join(album, HIDDEN)).raw().toBuffer();
  const sumOf = (data: Uint8Array) => data.reduce((n, v, i) => (i % 97 === 0 ? n + v : n), 0);
  const hiddenSum = sumOf(new Uint8Array(marker));
  analyzer = new MissingAnalyzer(pool, (image) => image.width === 250 && Math.abs(sumOf(image.data) - hiddenSum) < 200);
  engine = await Engine.open(join(dir, 'library'), { analyzer });
  await engine.import([album]);
  // The other photos named: the marked face has someone to join.
  const named = engine.library.faces.filter((f) => engine.library.photo(f.photoId)!.paths[0].includes(PERSON));
  const { nameFaces } = await import('../../../main/people/index.js');
  await nameFaces(engine.library, named.map((f) => f.id), 'Colin Powell');
}, 600_000);

afterAll(async () => {
  await engine?.close();
  await pool?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a face drawn around by the user', () => {
  it('is found where the import missed it, placed with its person, and described like a detected face', async () => {
    expect(analyzer.hidden).toHaveLength(1);
    const photoId = photoIdOf(HIDDEN);
    expect(engine.library.facesOfPhoto(photoId)).toHaveLength(0);
    const missed = analyzer.hidden[0];
    // Drawn loosely, as a hand would: 20 % larger than the detector's box, and off-centre.
    const [x, y, w, h] = missed.box;
    const drawn: Box = [x - w * 0.15, y - h * 0.05, w * 1.2, h * 1.2];
    const result = await engine.addDrawnFace(photoId, drawn);
    expect(result.added).toBe(true);
    const face = engine.library.face(result.faceId)!;
    expect(engine.library.facesOfPhoto(photoId).map((f) => f.id)).toEqual([face.id]);
    expect(iou(face.box, missed.box)).toBeGreaterThan(0.6);
    expect(face.landmarks).toHaveLength(136);
    // The same person's vector as the import would have given it, so it joined Colin Powell.
    const backbone = engine.library.backboneOf(face);
    const cosine = backbone.reduce((s, v, i) => s + v * missed.descriptor[i], 0);
    expect(1 - cosine).toBeLessThan(0.03);
    const person = engine.library.people.people.find((p) => p.id === face.personId);
    expect(person?.name).toBe('Colin Powell');
    expect(face.assignedBy).toBe('cluster');
  });

  it('keeps a face the detector cannot confirm in the box drawn, names it, and describes it nearest its own person', async () => {
    const photoId = photoIdOf('stuart5.png');
    expect(engine.library.facesOfPhoto(photoId)).toHaveLength(0);
    // Drawn tight over his eyes, nose and mouth, the middle of the crop: the detector confirms no face there, even on
    // the closer look, and the box is kept as the face (models/pipeline.ts keepDrawn).
    const drawn: Box = [37.5, 37.5, 75, 75];
    const result = await engine.addDrawnFace(photoId, drawn);
    expect(result).toMatchObject({ added: true, undetected: true, decisionId: expect.stringMatching(/^decision-/) });
    const face = engine.library.face(result.faceId)!;
    // It joins no one on its own (its vector may be of no face): the user names it.
    expect(face).toMatchObject({ drawn: true, undetected: true, score: 0, personId: null });
    expect(iou(face.box, drawn)).toBeGreaterThan(0.98);
    expect(engine.library.facesOfPhoto(photoId).map((f) => f.id)).toEqual([face.id]);
    const { nameFaces } = await import('../../../main/people/index.js');
    await nameFaces(engine.library, [face.id], 'Stuart');
    const stuart = engine.library.people.people.find((p) => p.name === 'Stuart')!;
    expect(engine.library.face(face.id)).toMatchObject({ personId: stuart.id, assignedBy: 'user' });
    // Its vector lies nearer the faces the import found of him than any found of anyone else (the cast's other crops,
    // the lfw portraits).
    const vector = engine.library.backboneOf(face);
    const distanceTo = (g: FaceRecord) => 1 - engine.library.backboneOf(g).reduce((sum, v, i) => sum + v * vector[i], 0);
    const found = engine.library.faces.filter((g) => !g.drawn);
    const his = (g: FaceRecord) => basename(engine.library.photo(g.photoId)!.paths[0]).startsWith('stuart');
    expect(found.filter(his).length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...found.filter(his).map(distanceTo))).toBeLessThan(Math.min(...found.filter((g) => !his(g)).map(distanceTo)));
  });

  it('finds a face in deep shadow that the import could not see', async () => {
    const photoId = photoIdOf('dark.jpg');
    expect(engine.library.facesOfPhoto(photoId)).toHaveLength(0);
    const result = await engine.addDrawnFace(photoId, [70, 60, 110, 130]);
    expect(result.added).toBe(true);
    const face = engine.library.face(result.faceId)!;
    // Tony Blair's face sits in the middle of an lfw photo, about 100 px tall.
    expect(face.box[0] + face.box[2] / 2).toBeGreaterThan(100);
    expect(face.box[0] + face.box[2] / 2).toBeLessThan(150);
    expect(face.box[3]).toBeGreaterThan(60);
    // Described and pictured from the stretched pixels: as the same face in ordinary light would be (a different
    // photo of one person lies ~0.04-0.08 away), and a thumbnail the user can make out.
    const bright = engine.library.facesOfPhoto(photoIdOf('bright.jpg'))[0];
    const cosine = engine.library.backboneOf(face).reduce((s, v, i) => s + v * engine.library.backboneOf(bright)[i], 0);
    expect(1 - cosine).toBeLessThan(0.03);
    const { channels } = await sharp(join(engine.library.dir, face.thumb)).stats();
    expect(channels[0].mean).toBeGreaterThan(60);
  });

  it('finds a face lying on its side, turned upright, and describes and pictures it upright', async () => {
    for (const person of ['Gordon_Brown', 'Hans_Blix']) {
      const photoId = photoIdOf(`sideways-${person}.jpg`);
      expect(engine.library.facesOfPhoto(photoId), person).toHaveLength(0);
      const result = await engine.addDrawnFace(photoId, [75, 65, 100, 115]);
      expect(result.added).toBe(true);
      const face = engine.library.face(result.faceId)!;
      const [upright] = engine.library.facesOfPhoto(photoIdOf(`upright-${person}.jpg`));
      // Its landmarks in the photo as it is: the outer eye corners one above the other.
      const [eyeX, eyeY, otherX, otherY] = [face.landmarks[72], face.landmarks[73], face.landmarks[90], face.landmarks[91]];
      expect(Math.abs(eyeY - otherY), person).toBeGreaterThan(3 * Math.abs(eyeX - otherX));
      // The same vector as the face the right way up (found upright it was 0.08-0.15 off), and the same picture.
      const cosine = engine.library.backboneOf(face).reduce((sum, v, i) => sum + v * engine.library.backboneOf(upright)[i], 0);
      expect(1 - cosine, person).toBeLessThan(0.02);
      const pixels = async (thumb: string) => new Uint8Array(await sharp(join(engine.library.dir, thumb)).raw().toBuffer());
      const [drawn, straight] = [await pixels(face.thumb), await pixels(upright.thumb)];
      const difference = drawn.reduce((sum, v, i) => sum + Math.abs(v - straight[i]), 0) / drawn.length;
      expect(difference, person).toBeLessThan(12);
    }
  });

  it('keeps a box the detector finds no face in as drawn, marked so, and places it with no one', async () => {
    const landscape = photoIdOf('landscape.jpg');
    const { width, height } = engine.library.photo(landscape)!;
    // QA's boxes on the landscape's sky and hills (the detector answered 0.22 and 0.37 in their zoomed crops), another
    // on its hills, a cloud it answered at 0.19 with a find half outside the box, and a shoulder in a portrait.
    const drawn: Array<[string, Box]> = [
      ...([[57, 34, 102, 122], [420, 0, 102, 122], [width * 0.5, height * 0.5, width * 0.2, height * 0.25]] as Box[]).map((box): [string, Box] => [landscape, box]),
      [photoIdOf('clouds.jpg'), [376, 98, 226, 148]],
      [photoIdOf(`${PERSON}_0006.jpg`), [0, 170, 80, 80]],
    ];
    for (const [photoId, box] of drawn) {
      const result = await engine.addDrawnFace(photoId, box);
      expect(result).toMatchObject({ added: true, undetected: true });
      const face = engine.library.face(result.faceId)!;
      expect(face).toMatchObject({ drawn: true, undetected: true, score: 0, personId: null });
      expect(iou(face.box, box)).toBeGreaterThan(0.98);
      expect(face.landmarks).toHaveLength(136);
    }
    // A box over two faces already marked says so, rather than keeping the box as a third.
    const pair = photoIdOf('pair.jpg');
    const before = engine.library.faces.length;
    expect(engine.library.facesOfPhoto(pair)).toHaveLength(2);
    await expect(engine.addDrawnFace(pair, [320, 170, 220, 130])).rejects.toThrow(/^That box holds 2 faces marked already\. To mark another face, draw the box around that face alone\.$/);
    expect(engine.library.faces.length).toBe(before);
  }, 400_000); // ~26 s in a loaded full run

  it('stays when its photo is analysed again and the detector misses it again (looking again after an upgrade)', async () => {
    const photoId = photoIdOf('dark.jpg');
    const [drawn] = engine.library.facesOfPhoto(photoId);
    expect(drawn.drawn).toBe(true);
    // Placed by Familiar, not named by the user: before, only the faces the user named survived a new analysis.
    expect(drawn.assignedBy).not.toBe('user');
    await engine.library.transaction((tx) => {
      tx.photos.find((p) => p.id === photoId)!.analysis!.pipelineVersion = PIPELINE_BEFORE_LOWER_THRESHOLD;
    });
    const summary = await engine.lookAgain();
    expect(summary.photos).toBe(1);
    expect(engine.library.photo(photoId)!.analysis!.pipelineVersion).toBe(PIPELINE_VERSION);
    const after = engine.library.facesOfPhoto(photoId);
    expect(after.map((f) => f.id)).toEqual([drawn.id]);
    expect(after[0]).toMatchObject({ drawn: true, box: drawn.box, personId: drawn.personId });
  });

  it('is taken out again by Undo, as the latest change', async () => {
    const photoId = photoIdOf('dark-undo.jpg');
    const before = engine.library.faces.length;
    const vectorBytes = () => statSync(join(engine.library.dir, 'vectors', 'backbone.f32')).size;
    const bytesBefore = vectorBytes();
    const drawn = await engine.addDrawnFace(photoId, [70, 60, 110, 130]);
    expect(drawn.added).toBe(true);
    expect(engine.library.facesOfPhoto(photoId)).toHaveLength(1);
    const { undoDecision } = await import('../../../main/people/index.js');
    expect(await undoDecision(engine.library)).toMatchObject({ undone: 'Marked a face in dark-undo.jpg.' });
    expect(engine.library.facesOfPhoto(photoId)).toHaveLength(0);
    expect(engine.library.face(drawn.faceId)).toBeUndefined();
    expect(engine.library.faces.length).toBe(before);
    expect(engine.library.photo(photoId)!.faceIds).toEqual([]);
    // Its vector row is given back: the next open must not take it for an interrupted import's (QA).
    expect(vectorBytes()).toBe(bytesBefore);
    // Marked again, it comes back, with a picture of its own.
    const again = await engine.addDrawnFace(photoId, [70, 60, 110, 130]);
    expect(again.added).toBe(true);
    expect(engine.library.facesOfPhoto(photoId).map((f) => f.id)).toEqual([again.faceId]);
  });

  it('says a box around two marked faces holds both, even when one of them fills a fifth of it and is found there', async () => {
    const pair = photoIdOf('pair.jpg');
    const [a, b] = [...engine.library.facesOfPhoto(pair)].sort((f, g) => f.box[0] - g.box[0]);
    const before = engine.library.faces.length;
    // Tight around both: the left face fills about a sixth of it, and the detector finds it there (it used to open).
    const left = Math.min(a.box[0], b.box[0]) - 6, top = Math.min(a.box[1], b.box[1]) - 6;
    const both: Box = [left, top, Math.max(a.box[0] + a.box[2], b.box[0] + b.box[2]) + 6 - left, Math.max(a.box[1] + a.box[3], b.box[1] + b.box[3]) + 6 - top];
    expect((a.box[2] * a.box[3]) / (both[2] * both[3])).toBeGreaterThan(0.12);
    await expect(engine.addDrawnFace(pair, both)).rejects.toThrow(/^That box holds 2 faces marked already\./);
    // Centred on the left face and reaching the other's middle (each holds the other's centre): still both.
    const [ax, ay, aw, ah] = a.box;
    const reach = b.box[0] + b.box[2] / 2 - (ax + aw / 2) + 4;
    await expect(engine.addDrawnFace(pair, [ax + aw / 2 - reach, ay - ah * 0.2, 2 * reach, ah * 1.4])).rejects.toThrow(/^That box holds 2 faces marked already\./);
    // Tight around one of them, or loose around it alone: that face.
    expect(await engine.addDrawnFace(pair, [ax + aw * 0.05, ay + ah * 0.05, aw * 0.9, ah * 0.9])).toEqual({ faceId: a.id, added: false, undetected: false, decisionId: null });
    expect(await engine.addDrawnFace(pair, [ax - aw * 0.3, ay - ah * 0.3, aw * 1.6, ah * 1.6])).toEqual({ faceId: a.id, added: false, undetected: false, decisionId: null });
    expect(engine.library.faces.length).toBe(before);
  });

  it('frames the marked faces whose centres a box holds, but not one tiny beside it', () => {
    const box: Box = [100, 100, 400, 400];
    const faces = [
      { id: 'large', box: [150, 150, 200, 200] as Box },
      { id: 'crowd', box: [400, 400, 60, 60] as Box },
      { id: 'far in the background', box: [420, 150, 30, 30] as Box },
      { id: 'centre outside', box: [450, 450, 120, 120] as Box },
    ];
    expect(framedFaces(faces, box).map((f) => f.id)).toEqual(['large', 'crowd']);
  });

  it('gives the face already marked when the box is drawn around it', async () => {
    const photoId = photoIdOf(`${PERSON}_0001.jpg`);
    const [marked] = engine.library.facesOfPhoto(photoId);
    const [x, y, w, h] = marked.box;
    // Drawn tight, and drawn wide around it (the found face is the marked one).
    expect(await engine.addDrawnFace(photoId, [x + w * 0.1, y + h * 0.1, w * 0.8, h * 0.8])).toEqual({ faceId: marked.id, added: false, undetected: false, decisionId: null });
    expect(await engine.addDrawnFace(photoId, [x - w * 0.4, y - h * 0.4, w * 1.8, h * 1.8])).toEqual({ faceId: marked.id, added: false, undetected: false, decisionId: null });
    expect(engine.library.facesOfPhoto(photoId)).toHaveLength(1);
  });

  it('looks at a very large face in a crop shrunk to at most 1,024 px, and finds it', async () => {
    const photoId = photoIdOf('portrait.jpg');
    const [marked] = engine.library.facesOfPhoto(photoId);
    const [x, y, w, h] = marked.box;
    expect(w).toBeGreaterThan(700);
    let largest = 0;
    const watching: FaceAnalysisService = { size: 1, analyze: (image, options) => ((largest = Math.max(largest, image.width, image.height)), analyzer.analyze(image, options)) };
    const content = readFileSync(engine.library.photo(photoId)!.paths[0]);
    // Twice the face and more, reaching down and right from it (overlap 0.23, neither centre in the other): not the
    // marked face's box, so Familiar looks.
    const [found] = await findFacesInFile(content, [[x - w * 0.02, y - h * 0.02, w * 2.1, h * 2.1]], watching, engine.library.settings.analysisMaxSide, { drawn: true });
    expect(largest).toBeLessThanOrEqual(1024);
    expect(found).not.toBeNull();
    expect(iou(found!.box, marked.box)).toBeGreaterThan(0.5);
    // Seen at its size in the shrunk crop: smaller than in the photo, not larger.
    expect(found!.analysedSide).toBeLessThan(Math.min(w, h));
  });

  it('refuses boxes outside the photo or too small, and files that changed or are gone, changing nothing', async () => {
    const photoId = photoIdOf(`${PERSON}_0002.jpg`);
    const before = engine.library.faces.length;
    await expect(engine.addDrawnFace(photoId, [300, 300, 50, 50])).rejects.toThrow(/outside the photo \(250 x 250 pixels\)/);
    await expect(engine.addDrawnFace(photoId, [10, 10, 6, 40])).rejects.toThrow(/too small to hold a face/);
    await expect(engine.addDrawnFace(photoId, [240, 10, 40, 40])).rejects.toThrow(/too small/);
    await expect(engine.addDrawnFace('f'.repeat(64), [10, 10, 40, 40])).rejects.toThrow(/No photo/);

    const changed = photoIdOf(`${PERSON}_0003.jpg`);
    const path = engine.library.photo(changed)!.paths[0];
    writeFileSync(path, await sharp(path).flop().jpeg().toBuffer());
    await expect(engine.addDrawnFace(changed, [0, 0, 60, 60])).rejects.toThrow(/has changed since it was imported\. Import its folder again/);

    unlinkSync(engine.library.photo(photoId)!.paths[0]);
    await expect(engine.addDrawnFace(photoId, [0, 0, 60, 60])).rejects.toThrow(/missing or cannot be read/);
    expect(engine.library.faces.length).toBe(before);
  });

  it('is not added twice when an import analysing the photo again commits it meanwhile, nor paints over its picture', async () => {
    const photoId = photoIdOf('dark-mirrored.jpg');
    const box: Box = [70, 60, 110, 130];
    const first = await engine.addDrawnFace(photoId, box);
    expect(first.added).toBe(true);
    // The import "found" that face too: taken out of the library, it comes back while the drawn one is being stored,
    // its thumbnail (another picture of it) on disk before its commit, as the import writes them.
    const { library } = engine;
    const committed = structuredClone(library.face(first.faceId)!);
    const forget = () =>
      library.transaction((tx) => {
        tx.faces.splice(tx.faces.findIndex((f) => f.id === committed.id), 1);
        const photo = tx.photos.find((p) => p.id === photoId)!;
        photo.faceIds = photo.faceIds.filter((id) => id !== committed.id);
        for (const person of tx.people.people) if (person.coverFaceId === committed.id) person.coverFaceId = null;
      });
    await forget();
    const thumb = join(library.dir, committed.thumb);
    writeFileSync(thumb, 'the import\'s thumbnail');
    const appendVectors = library.appendVectors.bind(library);
    library.appendVectors = async (vectors) => {
      await library.transaction((tx) => {
        tx.faces.push(structuredClone(committed));
        tx.photos.find((p) => p.id === photoId)!.faceIds.push(committed.id);
      });
      return appendVectors(vectors);
    };
    try {
      expect(await engine.addDrawnFace(photoId, box)).toEqual({ faceId: committed.id, added: false, undetected: false, decisionId: null });
    } finally {
      library.appendVectors = appendVectors;
    }
    expect(library.facesOfPhoto(photoId).map((f) => f.id)).toEqual([committed.id]);
    expect(readFileSync(thumb, 'utf8')).toBe('the import\'s thumbnail');
  });

  it('is left alone by an import running meanwhile: not placed again, nor scored as a detection', async () => {
    const { library } = engine;
    // A Colin Powell photo whose face the import "missed": taken out of the library.
    const photoId = photoIdOf(`${PERSON}_0005.jpg`);
    const [missed] = library.facesOfPhoto(photoId);
    await library.transaction((tx) => {
      tx.faces.splice(tx.faces.findIndex((f) => f.id === missed.id), 1);
      const photo = tx.photos.find((p) => p.id === photoId)!;
      photo.faceIds = photo.faceIds.filter((id) => id !== missed.id);
      for (const person of tx.people.people) if (person.coverFaceId === missed.id) person.coverFaceId = null;
    });
    const later = join(dir, 'later');
    mkdirSync(later);
    copyFileSync(join(sharedFaces, 'lfw_subset', PERSON, `${PERSON}_0007.jpg`), join(later, 'later.jpg'));
    let release!: () => void;
    analyzer.gate = new Promise((resolve) => (release = resolve));
    const importing = engine.import([later]);
    try {
      const drawn = await engine.addDrawnFace(photoId, missed.box);
      expect(drawn.added).toBe(true);
      expect(library.face(drawn.faceId)!.personId).not.toBeNull();
      // The user took it out of Colin Powell while the import ran: that import does not put it back.
      await library.transaction((tx) => {
        const face = tx.faces.find((f) => f.id === drawn.faceId)!;
        face.personId = null;
        face.assignedBy = null;
      });
      release();
      await importing;
      expect(library.photos.some((p) => p.paths[0].endsWith('later.jpg'))).toBe(true);
      expect(library.face(drawn.faceId)!.personId).toBeNull();
    } finally {
      analyzer.gate = null;
      release();
      await importing.catch(() => {});
    }
  });
});

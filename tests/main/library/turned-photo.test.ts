// A photo turned in place (a viewer's "rotate and save", or its EXIF turn changed) is the same photo: its faces keep
// their names, rejections and drawn boxes, turned with the picture, and the old record does not linger as missing.
// QA: turned 90° and 180°, photos lost their names, a face upside down was not found, and the old records stayed as
// missing ghosts ("9 faces in 9 photos" for a person with 7, "No date 2 photos" with broken thumbnails).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { turnBox, turnedBack, turnPoint, turnsFitting, type FaceAnalysisService, type Quarters } from '../../../main/library/import.js';
import { nameFaces, rejectFaces } from '../../../main/people/index.js';
import { iou } from '../../../models/detector.js';
import type { Box, DetectedFace, RgbImage } from '../../../models/types.js';
import type { FaceRecord, PhotoRecord } from '../../../main/store/types.js';
import { CountingAnalyzer, makeAlbum, sharedFaces } from './helpers.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';

// The run's answers (tests/helpers/analysis-cache.ts): turned files are the subject, not the analysis.
let pool: CachedAnalysis;
let work: string;

beforeAll(async () => {
  pool = new CachedAnalysis(2);
  work = await mkdtemp(join(tmpdir(), 'familiar-turned-'));
});

afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** What a viewer's "rotate and save" does: the pixels turned clockwise, saved again. */
async function turnFile(path: string, degrees: 90 | 180 | 270): Promise<void> {
  await writeFile(path, await sharp(await readFile(path)).rotate(degrees).jpeg({ quality: 92 }).toBuffer());
}

/** Counts the model calls, passing on the options (a drawn box is analysed with `drawnBox`). */
class Analyzer extends CountingAnalyzer {
  override analyze(image: RgbImage, options?: Parameters<FaceAnalysisService['analyze']>[1]): Promise<DetectedFace[]> {
    this.calls++;
    return pool.analyze(image, options);
  }
}

const named = (engine: Engine, face: FaceRecord) => engine.library.people.people.find((p) => p.id === face.personId)?.name;

describe('turnBox and turnsFitting', () => {
  it('turn a box as the picture turns, and tell the turns a size allows', () => {
    // A 400 x 300 picture, a box at its top left.
    const box: Box = [10, 20, 30, 40];
    expect(turnBox(box, 1, 400, 300)).toEqual([240, 10, 40, 30]);
    expect(turnBox(box, 2, 400, 300)).toEqual([360, 240, 30, 40]);
    expect(turnBox(box, 3, 400, 300)).toEqual([20, 360, 40, 30]);
    for (const q of [1, 2, 3] as Quarters[]) {
      const [w, h] = q === 2 ? [400, 300] : [300, 400];
      expect(turnBox(turnBox(box, q, 400, 300), ((4 - q) % 4) as Quarters, w, h)).toEqual(box);
    }
    expect(turnPoint([0, 0], 1, 400, 300)).toEqual([300, 0]);
    expect(turnsFitting({ width: 400, height: 300 }, { width: 400, height: 300 })).toEqual([0, 2]);
    expect(turnsFitting({ width: 400, height: 300 }, { width: 300, height: 400 })).toEqual([1, 3]);
    // A lossless turn may trim a partial block at an edge.
    expect(turnsFitting({ width: 405, height: 300 }, { width: 300, height: 400 })).toEqual([1, 3]);
    expect(turnsFitting({ width: 250, height: 250 }, { width: 250, height: 250 })).toEqual([0, 1, 2, 3]);
    expect(turnsFitting({ width: 400, height: 300 }, { width: 200, height: 300 })).toEqual([]);
  });
});

describe('turnedBack', () => {
  it('analyses new bytes turned back only when their size fits a turn of the picture the path held', async () => {
    // Two faces before; the new analysis finds only the first: one is missing, whatever the reason.
    const unit = (i: number) => Float32Array.from({ length: 4 }, (_, j) => (j === i ? 1 : 0));
    const faces = [{ id: 'a', box: [0, 0, 10, 10] }, { id: 'b', box: [100, 100, 20, 20] }] as FaceRecord[];
    const vectorOf = (f: FaceRecord) => unit(f.id === 'a' ? 0 : 1);
    const face = (box: Box, i: number) => ({ box, score: 0.9, landmarks: [], descriptor: unit(i) }) as unknown as DetectedFace;
    const costOf = async (before: { width: number; height: number }, now: { width: number; height: number }, found = [face([0, 0, 10, 10], 0)]) => {
      let calls = 0;
      const image: RgbImage = { width: now.width, height: now.height, data: new Uint8Array(now.width * now.height * 3) };
      const back = await turnedBack({ ...before, faces }, vectorOf, { ...now, image }, found, async () => (calls++, []));
      expect(back).toBeNull();
      return calls;
    };
    // Cropped (a face cut out), or another picture of another size saved under the name: nothing more.
    expect(await costOf({ width: 400, height: 300 }, { width: 300, height: 300 })).toBe(0);
    expect(await costOf({ width: 400, height: 300 }, { width: 640, height: 480 })).toBe(0);
    // The same size may be the picture turned upside down: one analysis. On its side: the two quarter turns.
    expect(await costOf({ width: 400, height: 300 }, { width: 400, height: 300 })).toBe(1);
    expect(await costOf({ width: 400, height: 300 }, { width: 300, height: 400 })).toBe(2);
    // New metadata: every face found where it was, nothing more.
    const both = [face([0, 0, 10, 10], 0), face([101, 100, 20, 20], 1)];
    expect(await costOf({ width: 400, height: 300 }, { width: 400, height: 300 }, both)).toBe(0);
    expect(await costOf({ width: 250, height: 250 }, { width: 250, height: 250 }, both)).toBe(0);
    // Every face found by likeness, one elsewhere (a face on its side, found unsurely as it is): each turn is looked at.
    expect(await costOf({ width: 250, height: 250 }, { width: 250, height: 250 }, [both[0], face([90, 100, 40, 30], 1)])).toBe(3);
  });
});

describe('a photo turned in place', () => {
  it('keeps what the user said of its faces, turned with it, and leaves no ghost behind', async () => {
    const album = await makeAlbum(join(work, 'album'), {
      'group.jpg': 'compreface/_group_photos/011_3.jpg',
      'biden.jpg': 'face_recognition/biden/biden.jpg',
      'kit.jpeg': 'face_recognition/kit_harington/john2.jpeg',
      'landscape.jpg': 'compreface/_no_faces/017_0.jpg',
      'obama.jpg': 'face_recognition/obama/obama_small.jpg',
      // Square: each turn fits its size. QA's photo, and a face off the middle; on its side or upside down, the
      // analysis as it is found their faces unsurely, by likeness, with boxes twice their size (QA: 207 x 198 over 116 x 150).
      'kofi.jpg': 'lfw_subset/Kofi_Annan/Kofi_Annan_0004.jpg',
      'kofi-aside.jpg': 'lfw_subset/Kofi_Annan/Kofi_Annan_0010.jpg',
      'colin.jpg': 'lfw_subset/Colin_Powell/Colin_Powell_0007.jpg',
    });
    const at = (name: string) => join(album, name);
    // A face the detector finds beside one too dark for it, which the user draws: Powell, then Blair at 15 % light.
    const lfw = (person: string, n: string) => join(sharedFaces, 'lfw_subset', person, `${person}_${n}.jpg`);
    const dark = await sharp(lfw('Tony_Blair', '0002')).linear(0.15, 10).toBuffer();
    await sharp({ create: { width: 500, height: 250, channels: 3, background: '#000' } })
      .composite([{ input: lfw('Colin_Powell', '0001'), left: 0, top: 0 }, { input: dark, left: 250, top: 0 }])
      .jpeg({ quality: 95 })
      .toFile(at('pair.jpg'));

    const analyzer = new Analyzer(pool);
    const engine = await Engine.open(join(work, 'library'), { analyzer });
    try {
      const lib = engine.library;
      await engine.import([album]);
      const photoAt = (name: string) => lib.photos.find((p) => p.paths.includes(at(name)))!;
      const facesAt = (name: string) => [...lib.facesOfPhoto(photoAt(name).id)].sort((a, b) => a.box[0] - b.box[0]);

      const [a, b, c] = facesAt('group.jpg');
      await nameFaces(lib, [a.id], 'Ana');
      await nameFaces(lib, [c.id], 'Cleo');
      await rejectFaces(lib, [b.id], 'Ana');
      await nameFaces(lib, [facesAt('biden.jpg')[0].id], 'Joe');
      await nameFaces(lib, [facesAt('kit.jpeg')[0].id], 'Kit');
      for (const [name, person] of [['kofi.jpg', 'Kofi'], ['kofi-aside.jpg', 'Kofi aside'], ['colin.jpg', 'Colin P']]) {
        expect(facesAt(name)).toHaveLength(1);
        await nameFaces(lib, [facesAt(name)[0].id], person);
      }
      expect(facesAt('pair.jpg')).toHaveLength(1);
      await nameFaces(lib, [facesAt('pair.jpg')[0].id], 'Colin');
      const drawn = await engine.addDrawnFace(photoAt('pair.jpg').id, [320, 60, 110, 130]);
      expect(drawn.added).toBe(true);
      await nameFaces(lib, [drawn.faceId], 'Tony');
      // Copies: the import turns the records it keeps in place.
      const drawnBefore = structuredClone(lib.face(drawn.faceId)!);
      const before = new Map(['group.jpg', 'biden.jpg', 'kit.jpeg', 'landscape.jpg', 'pair.jpg', 'kofi.jpg', 'kofi-aside.jpg', 'colin.jpg'].map((n) => [n, structuredClone({ photo: photoAt(n), faces: facesAt(n) })]));
      const facesBefore = lib.faces.length;
      const photosBefore = lib.photos.length;

      await turnFile(at('group.jpg'), 90);
      await turnFile(at('biden.jpg'), 180);
      await turnFile(at('pair.jpg'), 270);
      await turnFile(at('landscape.jpg'), 90);
      await turnFile(at('kofi.jpg'), 270);
      await turnFile(at('kofi-aside.jpg'), 90);
      await turnFile(at('colin.jpg'), 180);
      // Only the EXIF turn changed (a viewer that turns without touching the pixels).
      await writeFile(at('kit.jpeg'), await sharp(await readFile(at('kit.jpeg'))).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer());
      const summary = await engine.import([album]);
      expect(summary).toMatchObject({ edited: 7, missing: 0, newPhotos: 8 });

      // One record per file, none missing: no ghost with broken thumbnails, no face counted twice.
      expect(lib.photos).toHaveLength(photosBefore);
      expect(lib.photos.filter((p) => p.missing)).toEqual([]);
      expect(lib.faces).toHaveLength(facesBefore);
      for (const face of lib.faces) expect(lib.photo(face.photoId)).toBeDefined();

      // Each face where the turned picture shows it, framed as it was, with what the user said of it.
      const turnedAs = (name: string, quarters: Quarters) => {
        const old = before.get(name)!;
        return { photo: old.photo, boxes: old.faces.map((f) => turnBox(f.box, quarters, old.photo.width, old.photo.height)) };
      };
      const expectTurned = (name: string, quarters: Quarters, names: Array<string | undefined>) => {
        const { photo: old, boxes } = turnedAs(name, quarters);
        const now: PhotoRecord = photoAt(name);
        expect(now.id).not.toBe(old.id);
        expect(lib.photo(old.id)).toBeUndefined();
        expect([now.width, now.height]).toEqual(quarters === 2 ? [old.width, old.height] : [old.height, old.width]);
        const faces = lib.facesOfPhoto(now.id);
        expect(faces).toHaveLength(boxes.length);
        boxes.forEach((box, i) => {
          const face = faces.find((f) => iou(f.box, box) >= 0.5);
          expect(face, `${name} face ${i}`).toBeDefined();
          expect(iou(face!.box, box), `${name} face ${i}: ${face!.box} for ${box}`).toBeGreaterThanOrEqual(0.8);
          expect(named(engine, face!)).toBe(names[i]);
          if (names[i] !== undefined) expect(face!.assignedBy).toBe('user');
        });
        return faces;
      };
      const group = expectTurned('group.jpg', 1, ['Ana', undefined, 'Cleo']);
      const ana = lib.people.people.find((p) => p.name === 'Ana')!;
      expect(group.find((f) => f.personId !== ana.id && iou(f.box, turnedAs('group.jpg', 1).boxes[1]) >= 0.5)!.rejectedPersonIds).toContain(ana.id);
      // Upside down, the face is found and keeps its name.
      expectTurned('biden.jpg', 2, ['Joe']);
      // The face the user drew, which no analysis finds, is turned with the picture, its landmarks too.
      const drawnNow = expectTurned('pair.jpg', 3, ['Colin', 'Tony']).find((f) => f.drawn)!;
      expect(drawnNow).toMatchObject({ id: drawn.faceId, photoId: photoAt('pair.jpg').id, box: turnBox(drawnBefore.box, 3, 500, 250) });
      expect(drawnNow.landmarks.slice(0, 2)).toEqual(turnPoint([drawnBefore.landmarks[0], drawnBefore.landmarks[1]], 3, 500, 250).map((v) => Math.round(v * 10) / 10));
      expect(expectTurned('kit.jpeg', 1, ['Kit'])).toHaveLength(1);
      expectTurned('kofi.jpg', 3, ['Kofi']);
      expectTurned('kofi-aside.jpg', 1, ['Kofi aside']);
      expectTurned('colin.jpg', 2, ['Colin P']);
      expect(photoAt('kit.jpeg').orientation).toBe(6);
      // A photo without faces turned on its side is the same photo too.
      expect(lib.photo(before.get('landscape.jpg')!.photo.id)).toBeUndefined();
      expect(photoAt('landscape.jpg')).toMatchObject({ width: 339, height: 565, missing: false });

      // Each person's faces are in as many photos as they have.
      const person = (name: string) => lib.people.people.find((p) => p.name === name)!.id;
      for (const name of ['Ana', 'Cleo', 'Joe', 'Colin', 'Tony', 'Kit', 'Kofi', 'Kofi aside', 'Colin P']) expect(lib.faces.filter((f) => f.personId === person(name))).toHaveLength(1);

      // The common path pays nothing: neither an unchanged file nor one rewritten with the same pixels is analysed.
      const calls = analyzer.calls;
      await engine.import([album]);
      expect(analyzer.calls).toBe(calls);
      const obama = await readFile(at('obama.jpg'));
      await writeFile(at('obama.jpg'), Buffer.concat([obama.subarray(0, 2), Buffer.from([0xff, 0xfe, 0, 7, 0x68, 0x69, 0x21, 0x21, 0x21]), obama.subarray(2)]));
      expect(await engine.import([album])).toMatchObject({ edited: 1, missing: 0, analysed: 0 });
      expect(analyzer.calls).toBe(calls);
    } finally {
      await engine.close();
    }
  });
});

describe('a photo moved and turned', () => {
  it('takes its record along to its new place, its faces turned with what the user said of them', async () => {
    const album = await makeAlbum(join(work, 'album-moved'), {
      'a/kofi.jpg': 'lfw_subset/Kofi_Annan/Kofi_Annan_0004.jpg',
      'a/biden.jpg': 'face_recognition/biden/biden.jpg',
    });
    const at = (name: string) => join(album, name);
    const engine = await Engine.open(join(work, 'library-moved'), { analyzer: new Analyzer(pool) });
    try {
      const lib = engine.library;
      await engine.import([album]);
      const photoAt = (name: string) => lib.photos.find((p) => p.paths.includes(at(name)))!;
      await nameFaces(lib, [lib.facesOfPhoto(photoAt('a/kofi.jpg').id)[0].id], 'Kofi');
      await nameFaces(lib, [lib.facesOfPhoto(photoAt('a/biden.jpg').id)[0].id], 'Joe');
      const before = new Map(['a/kofi.jpg', 'a/biden.jpg'].map((n) => [n, structuredClone({ photo: photoAt(n), face: lib.facesOfPhoto(photoAt(n).id)[0] })]));

      // Turned in a viewer and saved into another folder, the old file gone.
      await mkdir(at('b'));
      for (const [from, to, degrees] of [['a/kofi.jpg', 'b/kofi-turned.jpg', 90], ['a/biden.jpg', 'b/biden.jpg', 180]] as const) {
        await writeFile(at(to), await sharp(await readFile(at(from))).rotate(degrees).jpeg({ quality: 92 }).toBuffer());
        await rm(at(from));
      }
      expect(await engine.import([album])).toMatchObject({ edited: 2, missing: 0 });
      expect(lib.photos.filter((p) => p.missing)).toEqual([]);
      for (const [from, to, quarters, name] of [['a/kofi.jpg', 'b/kofi-turned.jpg', 1, 'Kofi'], ['a/biden.jpg', 'b/biden.jpg', 2, 'Joe']] as const) {
        const old = before.get(from)!;
        expect(lib.photo(old.photo.id)).toBeUndefined();
        const faces = lib.facesOfPhoto(photoAt(to).id);
        expect(faces).toHaveLength(1);
        expect(named(engine, faces[0])).toBe(name);
        expect(faces[0].assignedBy).toBe('user');
        expect(iou(faces[0].box, turnBox(old.face.box, quarters, old.photo.width, old.photo.height))).toBeGreaterThanOrEqual(0.8);
      }
    } finally {
      await engine.close();
    }
  });
});

describe('a photo of people at a distance turned in place', () => {
  it('is analysed turned back with the closer look at its small faces, as a new photo is', async () => {
    // Six LFW faces about 110 px tall in a 3,000 x 2,000 photo: ~19 px at the detector, found by the closer look.
    const people = ['Abdullah_Gul', 'Andre_Agassi', 'Bill_Clinton', 'Colin_Powell', 'Hans_Blix', 'Serena_Williams'];
    const dir = join(work, 'album-distance');
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'reunion.jpg');
    const tiles = await Promise.all(
      people.map(async (person, i) => ({ input: await sharp(join(sharedFaces, 'lfw_subset', person, `${person}_0001.jpg`)).toBuffer(), left: (i % 3) * 1000 + 375, top: Math.floor(i / 3) * 1000 + 375 })),
    );
    await sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 118, g: 124, b: 120 } } }).composite(tiles).jpeg({ quality: 90 }).toFile(path);

    /** The closer looks taken, by the shape of the picture looked at. */
    const closerLooks: Array<'wide' | 'tall'> = [];
    class Recording extends Analyzer {
      override analyze(image: RgbImage, options?: Parameters<FaceAnalysisService['analyze']>[1]): Promise<DetectedFace[]> {
        if (options?.closerLook) closerLooks.push(image.width > image.height ? 'wide' : 'tall');
        return super.analyze(image, options);
      }
    }
    const engine = await Engine.open(join(work, 'library-distance'), { analyzer: new Recording(pool) });
    try {
      const lib = engine.library;
      await engine.import([dir]);
      expect(closerLooks).toEqual(['wide']);
      const photo = lib.photos[0];
      const faces = [...lib.facesOfPhoto(photo.id)].sort((a, b) => a.box[1] - b.box[1] || a.box[0] - b.box[0]);
      expect(faces.length).toBeGreaterThanOrEqual(5);
      await nameFaces(lib, [faces[0].id], 'First');
      await nameFaces(lib, [faces[faces.length - 1].id], 'Last');

      // Turned on its side: the closer look is taken at the picture turned back (wide), where its faces are upright.
      closerLooks.length = 0;
      await turnFile(path, 90);
      expect(await engine.import([dir])).toMatchObject({ edited: 1, missing: 0 });
      expect(closerLooks).toContain('wide');
      const now = lib.photos.find((p) => p.paths.includes(path))!;
      expect(now.id).not.toBe(photo.id);
      const after = lib.facesOfPhoto(now.id);
      expect(after.length).toBeGreaterThanOrEqual(faces.length);
      // The named faces were found again (new ids, this photo's), not only carried along from the old record.
      for (const name of ['First', 'Last']) {
        const face = after.find((f) => named(engine, f) === name);
        expect(face, name).toBeDefined();
        expect(face!.id.startsWith(now.id.slice(0, 16)), name).toBe(true);
        expect(iou(face!.box, turnBox(faces[name === 'First' ? 0 : faces.length - 1].box, 1, photo.width, photo.height))).toBeGreaterThanOrEqual(0.5);
      }
    } finally {
      await engine.close();
    }
  });
});

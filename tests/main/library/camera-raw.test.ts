// Camera RAW photos (CR2, CR3, NEF, ARW, DNG, RW2, RAF, …) were passed by without a word: a photographer's RAW-only
// folder imported nothing. main/library/camera-raw.ts reads them by the JPEG the camera stored inside, turned and dated
// by the RAW's own tags. The RAW files here are built around real photos (tests/helpers/camera-raw-files.ts).
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GeneratedImages } from '../../../main/api/generated.js';
import { ImageSource } from '../../../main/api/files.js';
import { loadCrop } from '../../../main/autoencoder/crops.js';
import { Engine } from '../../../main/engine.js';
import { isCameraRaw, isRawName, rawPreviewJpeg } from '../../../main/library/camera-raw.js';
import { decodePhoto, UnreadablePhotoError, type DecodedPhoto } from '../../../main/library/decode.js';
import { scanFolders } from '../../../main/library/scan.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';
import { cr3File, dngFile, nefFile, rafFile, rw2File } from '../../helpers/camera-raw-files.js';
import { sharedFaces } from './helpers.js';

let work: string;
const obama = (name: string) => join(sharedFaces, 'face_recognition', 'obama', name);

/** obama.jpg (910x1137) as a camera stores it when held turned: the JPEG on its side, the turn in a tag. */
async function storedTurned(rotateClockwise: number, options: { withExif?: Record<string, Record<string, string>>; orientation?: number } = {}): Promise<Buffer> {
  let pipeline = sharp(obama('obama.jpg')).rotate(rotateClockwise);
  if (options.withExif) pipeline = pipeline.withExif(options.withExif);
  if (options.orientation) pipeline = pipeline.withMetadata({ orientation: options.orientation });
  return pipeline.jpeg({ quality: 95 }).toBuffer();
}

/** Mean absolute difference of two decodes' pixels, in levels of 255 (same size required). */
function difference(a: DecodedPhoto, b: DecodedPhoto): number {
  expect([a.image.width, a.image.height]).toEqual([b.image.width, b.image.height]);
  let sum = 0;
  for (let i = 0; i < a.image.data.length; i++) sum += Math.abs(a.image.data[i] - b.image.data[i]);
  return sum / a.image.data.length;
}

let upright: DecodedPhoto;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-raw-'));
  upright = await decodePhoto(obama('obama.jpg'), 1024);
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a camera RAW photo', () => {
  it('NEF: is read by its full-size JPEG, turned upright and dated as the RAW says (not as the JPEG says)', async () => {
    // The camera held turned right: stored 90° anticlockwise, Orientation 6 says to turn it clockwise. The JPEG's own
    // EXIF says otherwise (no turn, another date): the RAW's tags are the camera's word.
    const preview = await storedTurned(270, { withExif: { IFD2: { DateTimeOriginal: '1999:01:01 00:00:00' } }, orientation: 1 });
    const thumbnail = await sharp(obama('obama.jpg')).resize(128, 160).rotate(270).jpeg().toBuffer();
    const nef = nefFile({ preview, thumbnail, orientation: 6, dateTimeOriginal: '2018:05:06 07:08:09', offsetTimeOriginal: '-04:00' });
    expect(isCameraRaw(nef)).toBe(true);

    const decoded = await decodePhoto(nef, 1024);
    expect([decoded.format, decoded.width, decoded.height, decoded.orientation]).toEqual(['raw', 910, 1137, 6]);
    expect(difference(decoded, upright)).toBeLessThan(3);
    expect([decoded.takenAt, decoded.takenOffset, decoded.takenOffsetKnown]).toEqual(['2018-05-06T11:08:09.000Z', -240, true]);
  });

  it('DNG (big-endian): is read by its preview, where a TIFF reader sees only the thumbnail in IFD0; the lossless sensor data is passed by', async () => {
    const thumbnail = await sharp(obama('obama.jpg')).resize(205, 256).raw().toBuffer({ resolveWithObject: true });
    const preview = await sharp(obama('obama.jpg')).jpeg({ quality: 95 }).toBuffer();
    const dng = dngFile({ preview, thumbnailRgb: { data: thumbnail.data, width: thumbnail.info.width, height: thumbnail.info.height } });
    // Why the content decides: libvips reads a DNG as the TIFF it is, and shows its thumbnail.
    expect((await sharp(dng).metadata()).width).toBe(205);
    expect(isCameraRaw(dng)).toBe(true);

    const decoded = await decodePhoto(dng, 1024);
    expect([decoded.format, decoded.width, decoded.height]).toEqual(['raw', 910, 1137]);
    expect(difference(decoded, upright)).toBeLessThan(3);
  });

  it('CR3: its tags are read from its boxes (CMT1, CMT2), its JPEG found among the sensor data', async () => {
    // Orientation 8: the camera held turned left, the picture stored turned clockwise.
    const cr3 = cr3File({ preview: await storedTurned(90), orientation: 8, dateTimeOriginal: '2021:05:12 12:21:21', offsetTimeOriginal: '+02:00' });
    expect(isCameraRaw(cr3)).toBe(true);
    const decoded = await decodePhoto(cr3, 1024);
    expect([decoded.format, decoded.width, decoded.height, decoded.orientation]).toEqual(['raw', 910, 1137, 8]);
    expect(difference(decoded, upright)).toBeLessThan(3);
    expect([decoded.takenAt, decoded.takenOffset]).toEqual(['2021-05-12T10:21:21.000Z', 120]);
  });

  it("RAF: its header names its JPEG, whose own EXIF (Fujifilm's) says the turn and the date", async () => {
    const preview = await storedTurned(180, { withExif: { IFD2: { DateTimeOriginal: '2016:08:09 10:11:12' } }, orientation: 3 });
    const raf = rafFile({ preview });
    expect(isCameraRaw(raf)).toBe(true);
    const decoded = await decodePhoto(raf, 1024);
    expect([decoded.format, decoded.width, decoded.height, decoded.orientation]).toEqual(['raw', 910, 1137, 3]);
    expect(difference(decoded, upright)).toBeLessThan(3);
    expect(decoded.takenAt?.slice(0, 10)).toBe('2016-08-09');
  });

  it("RW2: Panasonic's own magic, its JPEG inside tag 0x2e", async () => {
    const rw2 = rw2File({ preview: await storedTurned(90), orientation: 8 });
    expect(isCameraRaw(rw2)).toBe(true);
    const decoded = await decodePhoto(rw2, 1024);
    expect([decoded.width, decoded.height]).toEqual([910, 1137]);
    expect(difference(decoded, upright)).toBeLessThan(3);
  });

  it('with only a thumbnail, only sensor data, or cut short is refused in words; a TIFF stays a TIFF', async () => {
    const refusal = (bytes: Buffer) => decodePhoto(bytes, 1024).then(() => 'decoded', (err: Error) => (expect(err).toBeInstanceOf(UnreadablePhotoError), err.message));
    const thumbnail = await sharp(obama('obama.jpg')).resize(128, 160).jpeg().toBuffer();
    const preview = await sharp(obama('obama.jpg')).jpeg({ quality: 95 }).toBuffer();
    // An old camera's: a 160-px thumbnail and the sensor data, nothing to find faces in.
    const thumbnailOnly = nefFile({ preview: thumbnail });
    expect(await refusal(thumbnailOnly)).toBe(
      'camera RAW photo with only a thumbnail inside it (128x160 pixels), too small to find faces in: export it as JPEG from your RAW developer',
    );
    const dngWithoutPreview = dngFile({ preview: Buffer.alloc(0), thumbnailRgb: { data: Buffer.alloc(3 * 16 * 16), width: 16, height: 16 } });
    expect(await refusal(dngWithoutPreview)).toBe('camera RAW photo with no picture inside it that Familiar can read, only the sensor data: export it as JPEG from your RAW developer');
    // A copy stopped part way: its tags whole, its JPEG (the file's last part) cut, so they point past the end.
    const nef = nefFile({ preview });
    expect(nef.subarray(nef.length - preview.length).equals(preview)).toBe(true);
    expect(await refusal(nef.subarray(0, nef.length - preview.length + 1000))).toBe('damaged image: the file is cut short: the picture inside it runs past its end');
    // Nothing but a name: noise named .NEF is no image at all.
    expect(await refusal(Buffer.from('not a photo at all, only a name'.repeat(20)))).toMatch(/^not an image/);
    // A scanner's TIFF is TIFF, read by libvips as ever: one whose first pixels' bytes spell Canon's mark "CR" too.
    const tiff = await sharp(obama('obama.jpg')).tiff().toBuffer();
    expect(isCameraRaw(tiff)).toBe(false);
    expect((await decodePhoto(tiff, 1024)).format).toBe('tiff');
    const spellsCr = await sharp({ create: { width: 1000, height: 800, channels: 3, background: { r: 67, g: 82, b: 90 } } }).tiff({ compression: 'none' }).toBuffer();
    expect(spellsCr.toString('latin1', 8, 10)).toBe('CR');
    expect(isCameraRaw(spellsCr)).toBe(false);
    expect((await decodePhoto(spellsCr, 1024)).format).toBe('tiff');
    // A CR3 cut short inside its JPEG, which no tag names: cut short, not "only a thumbnail".
    const cr3 = cr3File({ preview });
    const cr3PreviewAt = cr3.indexOf(preview);
    expect(await refusal(cr3.subarray(0, cr3PreviewAt + 2000))).toBe('damaged image: the file is cut short: the picture inside it runs past its end');
    // Made to stall a reader: JPEG starts by the hundred, then nothing but fill bytes. Refused like any other.
    const stalling = Buffer.concat([nefFile({ preview: Buffer.alloc(0) }), Buffer.from('\xff\xd8\xff'.repeat(300), 'latin1'), Buffer.alloc(8 << 20, 0xff)]);
    expect(await refusal(stalling)).toMatch(/^camera RAW photo with no picture inside it/);
    // Its JPEG spliced with the RAW's tags decodes as the JPEG it is.
    expect((await sharp(rawPreviewJpeg(nefFile({ preview, orientation: 3 }))).metadata()).orientation).toBe(3);
  });
});

describe('damaged camera RAW files', () => {
  it('each decodes or is refused in words, however its tags, data or length are damaged', async () => {
    const preview = await sharp(obama('obama.jpg')).jpeg().toBuffer();
    const thumbnail = await sharp(obama('obama.jpg')).resize(64).raw().toBuffer({ resolveWithObject: true });
    const originals = [
      nefFile({ preview, orientation: 6, dateTimeOriginal: '2018:05:06 07:08:09' }),
      dngFile({ preview, thumbnailRgb: { data: thumbnail.data, width: thumbnail.info.width, height: thumbnail.info.height } }),
      cr3File({ preview, orientation: 8 }),
      rafFile({ preview }),
      rw2File({ preview }),
    ];
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const outcomes = new Set<string>();
    for (let i = 0; i < 150; i++) {
      const damaged = Buffer.from(originals[i % originals.length]);
      const way = i % 3;
      // Its tags (the first 4 KB), bytes anywhere, or its end.
      if (way === 0) for (let k = 0; k < 20; k++) damaged[Math.floor(random() * 4096)] = Math.floor(random() * 256);
      if (way === 1) for (let k = 0; k < 50; k++) damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
      const bytes = way === 2 ? damaged.subarray(0, Math.floor(random() * damaged.length)) : damaged;
      const outcome = await decodePhoto(bytes, 256).then(
        () => 'decoded',
        (err: Error) => (err instanceof UnreadablePhotoError ? 'refused' : `failed: ${err.stack}`),
      );
      expect(outcome).toMatch(/^(decoded|refused)$/);
      outcomes.add(outcome);
    }
    expect([...outcomes].sort()).toEqual(['decoded', 'refused']);
  });
});

describe('a folder of camera RAW photos', () => {
  it("is imported: a RAW alone by its JPEG (faces found, grouped, shown, cut for the studio); a RAW beside its camera's JPEG twin, not twice", async () => {
    const album = join(work, 'album');
    await mkdir(album);
    const preview = await storedTurned(270);
    await writeFile(join(album, 'DSC_0001.NEF'), nefFile({ preview, orientation: 6, dateTimeOriginal: '2018:05:06 07:08:09' }));
    await copyFile(obama('obama1.jpg'), join(album, 'obama1.jpg'));
    // RAW+JPEG, as a camera set to both writes them: one shot.
    await copyFile(obama('obama2.jpg'), join(album, 'IMG_0002.JPG'));
    await writeFile(join(album, 'IMG_0002.CR2'), nefFile({ preview: await sharp(obama('obama2.jpg')).jpeg().toBuffer() }));
    // A card copy stopped part way: the JPEG cut short, the RAW of the same shot whole. The shot is read from the RAW.
    await writeFile(join(album, 'IMG_0004.JPG'), (await readFile(obama('obama1.jpg'))).subarray(0, 5000));
    await writeFile(join(album, 'IMG_0004.CR2'), nefFile({ preview: await sharp(obama('obama1.jpg')).jpeg({ quality: 95 }).toBuffer() }));
    // Only a thumbnail inside: listed with the reason, not passed by in silence.
    await writeFile(join(album, 'OLD_0003.ORF'), nefFile({ preview: await sharp(obama('obama3.jpg')).resize(160).jpeg().toBuffer() }));
    expect(['DSC_0001.NEF', 'IMG_0002.CR2', 'x.dng', 'y.Arw', 'z.cr3', 'w.raf'].every(isRawName)).toBe(true);

    const scanned = await scanFolders([album]);
    expect(scanned.files.map((file) => file.path).sort()).toEqual(['DSC_0001.NEF', 'IMG_0002.JPG', 'IMG_0004.CR2', 'IMG_0004.JPG', 'OLD_0003.ORF', 'obama1.jpg'].map((name) => join(album, name)).sort());

    const pool = new CachedAnalysis(2);
    const engine = await Engine.open(join(work, 'library'), { analyzer: pool });
    try {
      const outcome = await engine.import([album]);
      expect(outcome.newPhotos).toBe(4);
      expect(outcome.skipped).toEqual([
        { path: join(album, 'IMG_0004.JPG'), reason: expect.stringMatching(/^damaged image: /) },
        { path: join(album, 'OLD_0003.ORF'), reason: expect.stringMatching(/^camera RAW photo with only a thumbnail inside it \(160x\d+ pixels\)/) },
      ]);
      const library = engine.library;
      const photoOf = (name: string) => library.photos.find((p) => p.paths.includes(join(album, name)))!;
      const raw = photoOf('DSC_0001.NEF');
      expect([raw.format, raw.width, raw.height, raw.takenAt?.slice(0, 10)]).toEqual(['raw', 910, 1137, '2018-05-06']);
      const rawFaces = library.facesOfPhoto(raw.id);
      expect(rawFaces).toHaveLength(1);
      // Found upright, where the face is in the turned picture: the upper middle of a portrait.
      const [x, y, w, h] = rawFaces[0].box;
      expect(x + w / 2).toBeGreaterThan(910 * 0.3);
      expect(x + w / 2).toBeLessThan(910 * 0.7);
      expect(y + h / 2).toBeLessThan(1137 * 0.6);
      const jpegFaces = library.facesOfPhoto(photoOf('obama1.jpg').id);
      expect(rawFaces[0].personId).not.toBeNull();
      expect(jpegFaces.map((face) => face.personId)).toEqual([rawFaces[0].personId]);
      expect(library.facesOfPhoto(photoOf('IMG_0004.CR2').id).map((face) => face.personId)).toEqual([rawFaces[0].personId]);

      const images = new ImageSource({ libraryDir: join(work, 'library'), photoPaths: (id) => library.photos.find((p) => p.id === id)?.paths, generated: new GeneratedImages(10) });
      for (const kind of ['photo', 'full', 'preview']) {
        const served = await images.get(`${kind}/${raw.id}`);
        expect(served?.contentType, kind).toMatch(/^image\/(jpeg|webp)$/);
        const meta = await sharp(served!.body).metadata();
        expect((meta.width ?? 0) / (meta.height ?? 1), kind).toBeCloseTo(910 / 1137, 2);
      }
      expect((await loadCrop(join(album, 'DSC_0001.NEF'), 64)).length).toBe(64 * 64 * 3);
    } finally {
      await engine.close();
      await pool.close();
    }
  }, 240_000);
});

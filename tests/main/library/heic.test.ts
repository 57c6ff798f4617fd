// HEIC photos (iPhones' own format): the prebuilt libvips reads their boxes but cannot decode HEVC, so they were
// skipped; main/library/heic.ts decodes them with libheif's WebAssembly build. The HEIC files here are made from real
// photos by libheif's own encoder (heif-enc, Debian's libheif-examples: .ci/run installs it), with x265 as phones do.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GeneratedImages } from '../../../main/api/generated.js';
import { ImageSource } from '../../../main/api/files.js';
import { loadCrop } from '../../../main/autoencoder/crops.js';
import { Engine } from '../../../main/engine.js';
import { decodePhoto, UnreadablePhotoError } from '../../../main/library/decode.js';
import { decodeHeic, HeicError, heicAsPng, heicReady, isHevcHeif } from '../../../main/library/heic.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';
import { sharedFaces } from './helpers.js';

let work: string;
const obama = (name: string) => join(sharedFaces, 'face_recognition', 'obama', name);

/** `jpeg` encoded as HEIC by libheif's encoder, at a phone's quality; its EXIF goes with it. */
function heicOf(jpeg: string, heic: string): string {
  try {
    execFileSync('heif-enc', ['-q', '90', '-o', heic, jpeg], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`heif-enc (Debian's libheif-examples) makes this test's HEIC photos and could not run: ${(err as Error).message}`);
  }
  return heic;
}

/** A HEIC with its boxes whole and the bytes of its picture data (the mdat box's payload) zeroed. */
function withPictureDataZeroed(heic: Buffer): Buffer {
  const copy = Buffer.from(heic);
  for (let at = 0; at + 8 <= copy.length; ) {
    const size = copy.readUInt32BE(at);
    if (copy.toString('latin1', at + 4, at + 8) === 'mdat') {
      copy.fill(0, at + 8, Math.min(copy.length, at + size));
      return copy;
    }
    if (size < 8) break;
    at += size;
  }
  throw new Error('no mdat box');
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-heic-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a HEIC photo', () => {
  it('decodes for analysis as the picture of the JPEG it was made from, with the capture date its EXIF says', async () => {
    const dated = join(work, 'dated.jpg');
    await sharp(obama('obama.jpg'))
      .withExif({ IFD2: { DateTimeOriginal: '2019:07:04 10:11:12', OffsetTimeOriginal: '+02:00' } })
      .jpeg({ quality: 95 })
      .toFile(dated);
    const heic = await readFile(heicOf(dated, join(work, 'dated.heic')));
    // What the prebuilt libvips cannot do, and why heic.ts exists.
    expect((await sharp(heic).metadata()).compression).toBe('hevc');
    await expect(sharp(heic).raw().toBuffer()).rejects.toThrow();
    expect(isHevcHeif(heic)).toBe(true);

    const fromHeic = await decodePhoto(heic, 1024);
    const fromJpeg = await decodePhoto(dated, 1024);
    expect([fromHeic.format, fromHeic.width, fromHeic.height, fromHeic.orientation]).toEqual(['heif', 910, 1137, 1]);
    expect([fromHeic.image.width, fromHeic.image.height]).toEqual([fromJpeg.image.width, fromJpeg.image.height]);
    let difference = 0;
    for (let i = 0; i < fromHeic.image.data.length; i++) difference += Math.abs(fromHeic.image.data[i] - fromJpeg.image.data[i]);
    // The same picture through two lossy codecs: a few levels of 255 apart on average.
    expect(difference / fromHeic.image.data.length).toBeLessThan(4);
    expect([fromHeic.takenAt, fromHeic.takenOffset, fromHeic.takenOffsetKnown]).toEqual(['2019-07-04T08:11:12.000Z', 120, true]);
  });

  it('that is damaged, cut short or too large is refused in words, and the next HEIC still decodes', async () => {
    const heic = await readFile(heicOf(obama('obama2.jpg'), join(work, 'obama2.heic')));
    const refusal = (bytes: Buffer) => decodePhoto(bytes, 1024).then(() => 'decoded', (err: Error) => (expect(err).toBeInstanceOf(UnreadablePhotoError), err.message));
    expect(await refusal(heic.subarray(0, Math.floor(heic.length / 2)))).toMatch(/^damaged image: .*(damaged|part of a photo)/);
    // Its boxes whole, its picture data zeroed: libheif reads the file, then cannot decode the picture.
    const zeroed = withPictureDataZeroed(heic);
    expect(await refusal(zeroed)).toBe('damaged image: its picture data cannot be decoded (the file is damaged, or only part of a photo)');
    // libheif-js says why with console.log, on stdout, where the CLI's --json lines go: in the thread that decodes,
    // it says nothing.
    const logged = vi.spyOn(console, 'log');
    await heicReady();
    expect(() => decodeHeic(zeroed, 1e8)).toThrow(HeicError);
    expect(() => decodeHeic(heic.subarray(0, 200), 1e8)).toThrow(HeicError);
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
    expect(await refusal(heic.subarray(0, 200))).toMatch(/^damaged image: /);
    const scrambled = Buffer.from(heic);
    for (let i = 4096; i < scrambled.length; i += 7) scrambled[i] ^= 0x5a;
    expect(await refusal(scrambled)).toMatch(/^damaged image: |^decoded$/);
    // Past a pixel limit, refused from its header before its pixels are decoded.
    await expect(heicAsPng(heic, { maxPixels: 600 * 1000, tooLarge: (width, height) => new Error(`${width}x${height} is too large`) })).rejects.toThrow('626x1200 is too large');
    const next = await decodePhoto(heic, 512);
    expect([next.width, next.height]).toEqual([626, 1200]);
  });

  it("is decoded in a thread of its own: the thread that asks (the engine's, answering the window) goes on meanwhile", async () => {
    // A phone's 12 megapixels: about a second of WebAssembly.
    const large = join(work, 'large.png');
    await sharp(obama('obama1.jpg')).resize(4032, 3024, { fit: 'fill' }).png({ compressionLevel: 1 }).toFile(large);
    const heic = await readFile(heicOf(large, join(work, 'large.heic')));
    let longestPause = 0;
    let last = performance.now();
    const ticks = setInterval(() => {
      const now = performance.now();
      longestPause = Math.max(longestPause, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    try {
      const decoded = await decodePhoto(heic, 1024);
      expect([decoded.width, decoded.height]).toEqual([4032, 3024]);
    } finally {
      clearInterval(ticks);
    }
    const took = performance.now() - started;
    // Decoded here, the whole decode would be one pause; sharp's resizing runs off this thread too.
    expect(longestPause).toBeLessThan(took / 2);
  });

  it('holding AVIF, as an iPhone-named file sometimes does, is left to libvips, which reads AV1', async () => {
    const avif = await sharp(obama('obama2.jpg')).resize(200).avif().toBuffer();
    expect(isHevcHeif(avif)).toBe(false);
    expect((await decodePhoto(avif, 512)).width).toBe(200);
  });

  it("is imported with its face found and placed with the same person's JPEGs, shown in the viewer and cut for the studio", async () => {
    const album = join(work, 'album');
    await mkdir(album);
    heicOf(obama('obama.jpg'), join(album, 'IMG_0001.HEIC'));
    await copyFile(obama('obama2.jpg'), join(album, 'obama2.jpg'));
    await copyFile(obama('obama1.jpg'), join(album, 'obama1.jpg'));
    await writeFile(join(album, 'IMG_0002.HEIC'), (await readFile(join(album, 'IMG_0001.HEIC'))).subarray(0, 3000));

    const pool = new CachedAnalysis(2);
    const engine = await Engine.open(join(work, 'library'), { analyzer: pool });
    try {
      const outcome = await engine.import([album]);
      expect(outcome.newPhotos).toBe(3);
      expect(outcome.skipped.map((s) => s.path)).toEqual([join(album, 'IMG_0002.HEIC')]);
      expect(outcome.skipped[0].reason).toMatch(/^damaged image: /);
      const library = engine.library;
      const photoOf = (name: string) => library.photos.find((p) => p.paths.includes(join(album, name)))!;
      const [heicFace] = library.facesOfPhoto(photoOf('IMG_0001.HEIC').id);
      expect(library.facesOfPhoto(photoOf('IMG_0001.HEIC').id)).toHaveLength(1);
      const jpegFaces = ['obama1.jpg', 'obama2.jpg'].flatMap((name) => library.facesOfPhoto(photoOf(name).id));
      expect(heicFace.personId).not.toBeNull();
      expect(jpegFaces.map((face) => face.personId)).toEqual([heicFace.personId, heicFace.personId]);

      const photo = photoOf('IMG_0001.HEIC');
      const images = new ImageSource({ libraryDir: join(work, 'library'), photoPaths: (id) => library.photos.find((p) => p.id === id)?.paths, generated: new GeneratedImages(10) });
      for (const kind of ['photo', 'full', 'preview']) {
        const served = await images.get(`${kind}/${photo.id}`);
        expect(served?.contentType, kind).toMatch(/^image\/(jpeg|webp)$/);
        const meta = await sharp(served!.body).metadata();
        expect((meta.width ?? 0) / (meta.height ?? 1), kind).toBeCloseTo(910 / 1137, 2);
      }
      expect((await loadCrop(join(album, 'IMG_0001.HEIC'), 64)).length).toBe(64 * 64 * 3);
    } finally {
      await engine.close();
      await pool.close();
    }
  }, 240_000);
});

// Image refs resolve by id only: thumbnails inside <library>/thumbs (symlinks out refused), photos from the
// paths the library recorded (re-encoded, EXIF-rotated, downscaled), generated images from memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { mkdir, mkdtemp, realpath, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { ImageSource, PHOTO_CHANGED, PHOTO_MAX_EDGE, PHOTO_MOVED, PREVIEW_MAX_EDGE, type ServedImage } from '../../../main/api/files.js';
import { FULL_IMAGE_MAX_EDGE } from '../../../preload/contract.js';
import { faceView, viewRegion } from '../../../preload/face-zoom.js';
import { sharedFacesDir } from '../../helpers/shared-faces.js';
import { GeneratedImages } from '../../../main/api/generated.js';
import { hostileIds } from '../../preload/hostile-inputs.js';
import { makeLibraryFixture, SECRET, type LibraryFixture } from './fixture.js';

let fx: LibraryFixture;
let images: ImageSource;
let generated: GeneratedImages;

beforeAll(async () => {
  fx = await makeLibraryFixture();
  generated = new GeneratedImages(1000);
  images = new ImageSource({
    libraryDir: fx.libraryDir,
    photoPaths: (id) => (id === fx.photoId ? [fx.photoPath] : id === 'cd'.repeat(32) ? [fx.secretFile] : undefined),
    generated,
  });
});
afterAll(() => fx.cleanup());

describe('ImageSource', () => {
  it('serves a thumbnail from the library by face id', async () => {
    const image = await images.get(`thumb/${fx.faceId}`);
    expect(image?.contentType).toBe('image/webp');
    expect(image?.body.equals(fx.thumbBytes)).toBe(true);
  });

  it('refuses a thumbnail that is a symlink out of the library', async () => {
    expect(await images.get('thumb/fedcba9876543210-0')).toBeUndefined();
  });

  it('refuses every malformed or traversing ref without touching the disk', async () => {
    const refs = [
      ...hostileIds.filter((id): id is string => typeof id === 'string').map((id) => `thumb/${id}`),
      'thumb/escape/secret.txt',
      'thumb/../faces',
      'thumb/..%2ffaces',
      '../faces.json',
      'faces.json',
      `thumb/${fx.secretFile}`,
      'photo/../../secret',
      'full/../../secret',
      `full/${fx.secretFile}`,
      'around/../../secret',
      `around/${fx.secretFile}`,
      'other/abc',
    ];
    for (const ref of refs) {
      const image = await images.get(ref);
      expect(image, ref.slice(0, 60)).toBeUndefined();
    }
  });

  it('shows a 108-megapixel JPEG the import accepts, and refuses a PNG past what can be decoded safely', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'familiar-huge-'));
    try {
      const blank = { create: { width: 12_000, height: 9_000, channels: 3 as const, background: { r: 90, g: 120, b: 150 } } };
      const [jpeg, png] = [join(dir, 'phone.jpg'), join(dir, 'bomb.png')];
      await sharp(blank).jpeg({ quality: 50 }).toFile(jpeg);
      await sharp(blank).png({ compressionLevel: 9 }).toFile(png);
      const source = new ImageSource({ libraryDir: fx.libraryDir, photoPaths: (id) => (id === 'aa'.repeat(32) ? [jpeg] : id === 'bb'.repeat(32) ? [png] : undefined), generated });
      const photo = await source.get(`photo/${'aa'.repeat(32)}`);
      const meta = await sharp(photo!.body).metadata();
      expect([meta.width, meta.height]).toEqual([PHOTO_MAX_EDGE, 1920]);
      expect(await source.get(`photo/${'bb'.repeat(32)}`)).toBeUndefined();
      // Zoomed in, it gets a larger rendition, no larger than FULL_IMAGE_MAX_EDGE, made once.
      const full = await source.get(`full/${'aa'.repeat(32)}`);
      expect(full?.contentType).toBe('image/jpeg');
      const fullMeta = await sharp(full!.body).metadata();
      expect([fullMeta.width, fullMeta.height]).toEqual([FULL_IMAGE_MAX_EDGE, 6144]);
      expect(await source.get(`full/${'aa'.repeat(32)}`)).toBe(full);
      expect(await source.get(`full/${'bb'.repeat(32)}`)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('serves a recorded photo re-encoded and bounded, and a smaller preview', async () => {
    const photo = await images.get(`photo/${fx.photoId}`);
    expect(photo?.contentType).toBe('image/jpeg');
    const meta = await sharp(photo!.body).metadata();
    expect([meta.width, meta.height]).toEqual([1200, 800]);
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(PHOTO_MAX_EDGE);
    const preview = await images.get(`preview/${fx.photoId}`);
    const pm = await sharp(preview!.body).metadata();
    expect(pm.format).toBe('webp');
    expect(Math.max(pm.width!, pm.height!)).toBe(PREVIEW_MAX_EDGE);
  });

  it('never hands out the raw bytes of a recorded path that is not an image', async () => {
    expect(await images.get(`photo/${'cd'.repeat(32)}`)).toBeUndefined();
    expect(await images.get(`photo/${'ef'.repeat(32)}`)).toBeUndefined();
    expect(await images.get(`full/${'cd'.repeat(32)}`)).toBeUndefined();
  });

  it('serves the full photo for zooming in: a JPEG as its file is, a format browsers cannot show converted', async () => {
    const full = await images.get(`full/${fx.photoId}`);
    expect(full?.contentType).toBe('image/jpeg');
    expect(full!.body.equals(await readFile(fx.photoPath))).toBe(true);
    const dir = await mkdtemp(join(tmpdir(), 'familiar-full-'));
    try {
      // A TIFF (as HEIC and RAW-like files are) turned by its EXIF orientation: a JPEG of it, turned, at full size.
      const tiff = join(dir, 'scan.tiff');
      await sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 90, g: 120, b: 150 } } }).withMetadata({ orientation: 6 }).tiff().toFile(tiff);
      const source = new ImageSource({ libraryDir: fx.libraryDir, photoPaths: (id) => (id === 'aa'.repeat(32) ? [tiff] : undefined), generated });
      const converted = await source.get(`full/${'aa'.repeat(32)}`);
      expect(converted?.contentType).toBe('image/jpeg');
      const meta = await sharp(converted!.body).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 2000, 3000]);
      expect(await source.get(`full/${'aa'.repeat(32)}`)).toBe(converted);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('cuts the photo\'s own pixels around a face out of a 6,000-px panorama, where the queues zoom, turned as it is shown', async () => {
    // QA: a face in a panorama was a blur of the preview, zoomed, until the 8,192-px image came seconds later.
    const dir = await mkdtemp(join(tmpdir(), 'familiar-around-'));
    try {
      // A real news photo (250 px) enlarged into a panorama of flat sky, as QA's album had it (12,000 px there).
      const news = await sharp(join(sharedFacesDir(), 'lfw_subset', 'Alejandro_Toledo', 'Alejandro_Toledo_0001.jpg')).resize(500).toBuffer();
      const sky = sharp({ create: { width: 6000, height: 4500, channels: 3, background: { r: 90, g: 120, b: 150 } } });
      const upright = await sky.composite([{ input: news, left: 2750, top: 2000 }]).jpeg({ quality: 95 }).toBuffer();
      const [panorama, turned] = [join(dir, 'panorama.jpg'), join(dir, 'turned.jpg')];
      await sharp(upright).toFile(panorama);
      // The same panorama stored on its side, turned upright by its EXIF orientation (6: a quarter turn clockwise).
      await sharp(upright, { limitInputPixels: false }).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toFile(turned);
      const box = [2750 + 150, 2000 + 140, 200, 220] as const;
      const [P, T] = ['ac'.repeat(32), 'ad'.repeat(32)];
      const source = new ImageSource({
        libraryDir: fx.libraryDir,
        photoPaths: (id) => (id === P ? [panorama] : id === T ? [turned] : undefined),
        faceOf: (id) => ({ small: { photoId: P, box, width: 6000, height: 4500 }, turned: { photoId: T, box, width: 6000, height: 4500 }, large: { photoId: P, box: [500, 500, 3000, 3000] as const, width: 6000, height: 4500 } })[id],
        generated,
      });
      const region = viewRegion(faceView(box, 6000, 4500, true)!);
      const cut = { left: Math.floor(region.x * 6000), top: Math.floor(region.y * 4500), width: Math.ceil((region.x + region.w) * 6000) - Math.floor(region.x * 6000), height: Math.ceil((region.y + region.h) * 4500) - Math.floor(region.y * 4500) };
      // The face fills its share of the view: more than the 4x the preview allowed, fewer than 2,560 px across.
      expect(1 / region.w).toBeGreaterThan(4);
      const expected = await sharp(upright, { limitInputPixels: false }).extract(cut).raw().toBuffer();
      for (const id of ['small', 'turned']) {
        const around = await source.get(`around/${id}`);
        expect(around?.contentType, id).toBe('image/jpeg');
        const { data, info } = await sharp(around!.body).raw().toBuffer({ resolveWithObject: true });
        // At the photo's own size there, and its own pixels: what the file holds, not a rendition blown up.
        expect([info.width, info.height], id).toEqual([cut.width, cut.height]);
        let difference = 0;
        for (let i = 0; i < data.length; i++) difference += Math.abs(data[i] - expected[i]);
        expect(difference / data.length, id).toBeLessThan(3);
      }
      // Made once; none for a face shown in the whole photo, or a face the library does not have.
      expect(await source.get('around/small')).toBe(await source.get('around/small'));
      expect(await source.get('around/large')).toBeUndefined();
      expect(await source.get('around/nobody')).toBeUndefined();
      expect(await images.get(`around/${fx.faceId}`)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('converts an image once for two requests at a time, and serves none from memory once the photo left the library', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'familiar-full-'));
    try {
      const tiff = join(dir, 'scan.tiff');
      await sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 90, g: 120, b: 150 } } }).tiff().toFile(tiff);
      let inLibrary = true;
      const source = new ImageSource({ libraryDir: fx.libraryDir, photoPaths: (id) => (inLibrary && id === 'ab'.repeat(32) ? [tiff] : undefined), generated });
      const [first, second] = await Promise.all([source.get(`full/${'ab'.repeat(32)}`), source.get(`full/${'ab'.repeat(32)}`)]);
      expect(first?.contentType).toBe('image/jpeg');
      expect(second).toBe(first);
      const preview = await source.get(`preview/${'ab'.repeat(32)}`);
      expect(preview?.contentType).toBe('image/webp');
      // Taken out of the library (its folder removed): its renditions are still in memory, and not served.
      inLibrary = false;
      expect(await source.get(`full/${'ab'.repeat(32)}`)).toBeUndefined();
      expect(await source.get(`preview/${'ab'.repeat(32)}`)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a photo swapped for a symlink out of its folder, or changed on disk: says why to the client without a path, and with it in the log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'familiar-swap-'));
    try {
      const [album, elsewhere] = [join(dir, 'album'), join(dir, 'elsewhere')];
      await mkdir(album);
      await mkdir(elsewhere);
      const photoPath = join(album, 'IMG_0002.jpg');
      const outside = join(elsewhere, 'private.jpg');
      const blank = (r: number, width = 400) => sharp({ create: { width, height: 300, channels: 3 as const, background: { r, g: 90, b: 160 } } }).jpeg();
      await blank(30).toFile(photoPath);
      // Of another size: written in the same clock tick, a file of the same size would pass for the one imported.
      await blank(200, 480).toFile(outside);
      const imported = await stat(photoPath);
      const id = 'ef'.repeat(32);
      const logged: string[] = [];
      const record = { bytes: imported.size, fileStamps: { [photoPath]: { size: imported.size, mtimeMs: imported.mtimeMs } } };
      const source = new ImageSource({ libraryDir: fx.libraryDir, photoPaths: (i) => (i === id ? [photoPath] : undefined), photoFile: (i) => (i === id ? record : undefined), generated, log: (m) => logged.push(m) });
      expect((await source.get(`full/${id}`))?.body.equals(await readFile(photoPath))).toBe(true);

      // The same name, now a symlink to a JPEG outside: the id is the content's, so the ref still names it (QA).
      await rm(photoPath);
      await symlink(outside, photoPath);
      const said = (image: ServedImage | undefined) => image && { status: image.status, contentType: image.contentType, text: image.body.toString() };
      for (const kind of ['photo', 'full', 'preview']) {
        expect(said(await source.get(`${kind}/${id}`))).toEqual({ status: 409, contentType: 'text/plain; charset=utf-8', text: PHOTO_MOVED + '\n' });
      }
      expect(PHOTO_MOVED).not.toMatch(/\//);
      expect(logged).toEqual([`Not showing ${photoPath}: it now leads out of its folder, to ${await realpath(outside)}, which was never imported.`]);

      // A symlink the import followed itself (its stamp is the target's) still shows.
      const followed = await stat(outside);
      record.bytes = followed.size;
      record.fileStamps[photoPath] = { size: followed.size, mtimeMs: followed.mtimeMs };
      expect((await source.get(`full/${id}`))?.body.equals(await readFile(outside))).toBe(true);

      // Overwritten in place with other content of another size: refused, in plain words.
      await rm(photoPath);
      await blank(90).png().toFile(photoPath);
      expect(said(await source.get(`full/${id}`))).toEqual({ status: 409, contentType: 'text/plain; charset=utf-8', text: PHOTO_CHANGED + '\n' });
      expect(logged.at(-1)).toBe(`Not showing ${photoPath}: this photo has changed on disk since it was imported; import its folder again to see it.`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serves generated images from memory and evicts the least recently used', async () => {
    const a = generated.put(Buffer.alloc(400, 1));
    const b = generated.put(Buffer.alloc(400, 2));
    expect((await images.get(`generated/${a}`))?.body[0]).toBe(1);
    generated.put(Buffer.alloc(400, 3));
    expect(await images.get(`generated/${b}`)).toBeUndefined();
    expect((await images.get(`generated/${a}`))?.body[0]).toBe(1);
    const body = (await images.get(`generated/${a}`))!.body.toString();
    expect(body).not.toContain(SECRET);
  });
});

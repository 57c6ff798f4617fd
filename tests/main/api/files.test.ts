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

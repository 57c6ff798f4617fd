// PGM and PPM pictures (a scanner's `scanimage` writes PNM by default; the ORL face set is PGM) are photos like any
// other: QA added ../shared/faces/orl_att_faces in the app and was told "No photos in …" for its 400 faces, because
// the image library sharp ships cannot read them. main/library/netpbm.ts reads every Netpbm variant (plain and raw,
// bitmap, grey and colour, 8 and 16 bits, comments in the header), and a damaged one is refused in words.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageSource } from '../../../main/api/files.js';
import { loadCrop } from '../../../main/autoencoder/crops.js';
import { GeneratedImages } from '../../../main/api/generated.js';
import { Engine } from '../../../main/engine.js';
import { decodePhoto, UnreadablePhotoError } from '../../../main/library/decode.js';
import { decodeNetpbm, isNetpbm, NetpbmError } from '../../../main/library/netpbm.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';
import { sharedFaces } from './helpers.js';

let work: string;
const orl = (person: number, n: number) => join(sharedFaces, 'orl_att_faces', `s${person}`, `${n}.pgm`);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-netpbm-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** The header of a Netpbm picture: magic, then the fields, as a writer that adds a comment would put them. */
const header = (magic: string, ...fields: number[]) => Buffer.from(`${magic}\n# written by a test\n${fields.join(' ')}\n`, 'latin1');

describe('decodeNetpbm', () => {
  it('reads a PGM from the ORL set, and the same picture written plain, at 16 bits and with comments, as the same pixels', async () => {
    const raw = await readFile(orl(1, 1));
    const grey = decodeNetpbm(raw);
    expect([grey.width, grey.height, grey.channels]).toEqual([92, 112, 1]);
    const pixels = [...grey.data];
    // Not a blank: a face, with shades across the range.
    expect(Math.max(...pixels) - Math.min(...pixels)).toBeGreaterThan(150);
    const plain = Buffer.concat([header('P2', 92, 112, 255), Buffer.from(pixels.map((v, i) => (i % 17 === 16 ? `${v}\n` : `${v} `)).join(''), 'latin1')]);
    const wide = Buffer.alloc(pixels.length * 2);
    pixels.forEach((v, i) => wide.writeUInt16BE(v * 257, i * 2));
    for (const variant of [plain, Buffer.concat([header('P5', 92, 112, 65535), wide])]) {
      const decoded = decodeNetpbm(variant);
      expect([decoded.width, decoded.height, decoded.channels]).toEqual([92, 112, 1]);
      expect(Buffer.from(decoded.data).equals(Buffer.from(grey.data))).toBe(true);
    }
  });

  it('reads colour (P6, P3) and bitmaps (P4, P1), scaling values to 8 bits by their largest value', () => {
    const rgb = [255, 0, 0, 0, 128, 0, 0, 0, 255, 10, 20, 30];
    expect([...decodeNetpbm(Buffer.concat([header('P6', 2, 2, 255), Buffer.from(rgb)])).data]).toEqual(rgb);
    expect(decodeNetpbm(Buffer.concat([header('P3', 2, 2, 255), Buffer.from(rgb.join(' '))])).channels).toBe(3);
    expect([...decodeNetpbm(Buffer.concat([header('P3', 1, 1, 15), Buffer.from('15 0 5')])).data]).toEqual([255, 0, 85]);
    // 10 pixels a row: two bytes, the last six bits padding. 1 is black.
    const bits = Buffer.from([0b10100000, 0b01000000, 0b00000000, 0b11000000]);
    const expected = [0, 255, 0, 255, 255, 255, 255, 255, 255, 0, ...Array(8).fill(255), 0, 0];
    expect([...decodeNetpbm(Buffer.concat([header('P4', 10, 2), bits])).data]).toEqual(expected);
    // A plain bitmap's digits need no space between them.
    expect([...decodeNetpbm(Buffer.concat([header('P1', 10, 2), Buffer.from('1010000001\n0000000011')])).data]).toEqual(expected);
  });

  it('tells a Netpbm picture by its content, not by a text that starts with "P5"', () => {
    expect(isNetpbm(Buffer.from('P5\n1 1\n255\n\0'))).toBe(true);
    expect(isNetpbm(Buffer.from('P5-series notes.txt'))).toBe(false);
    expect(isNetpbm(Buffer.from('P7\nWIDTH 1\n'))).toBe(false);
  });

  it('refuses a damaged picture in words, before allocating what its header claims', () => {
    const reason = (bytes: Buffer) => {
      try {
        decodeNetpbm(bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(NetpbmError);
        return (err as Error).message;
      }
      return 'decoded';
    };
    expect(reason(Buffer.concat([header('P5', 92, 112, 255), Buffer.alloc(500)]))).toBe('the picture data is cut short');
    expect(reason(Buffer.concat([header('P6', 100_000, 100_000, 255), Buffer.alloc(64)]))).toBe('the picture data is cut short');
    expect(reason(Buffer.from('P5\n92 x\n255\n'))).toBe('its height is not a number');
    expect(reason(Buffer.from('P2\n2 1\n255\n7 -1'))).toBe('a pixel value is not a number');
    expect(reason(Buffer.from(`P5\n${'9'.repeat(40)} 1\n255\n\0`))).toBe('its header claims a size no picture has');
    expect(reason(Buffer.from('P5\n2 2\n0\n\0\0\0\0'))).toBe('its largest value (0) is outside 1-65535');
    expect(reason(Buffer.from('P5\n0 2\n255\n'))).toBe('the picture has no pixels (a side of 0)');
    expect(reason(Buffer.from('P2\n2 2\n255\n1 2 3'))).toBe('the picture data is cut short');
  });
});

describe('a PGM or PPM photo', () => {
  it('decodes for analysis as the same pixels as a PNG of it, and a damaged or huge one is refused with a reason', async () => {
    const { data, info } = await sharp(join(sharedFaces, 'face_recognition', 'obama', 'obama_small.jpg')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const ppm = Buffer.concat([header('P6', info.width, info.height, 255), data]);
    const png = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).png().toBuffer();
    const fromPpm = await decodePhoto(ppm, 1024);
    const fromPng = await decodePhoto(png, 1024);
    expect([fromPpm.format, fromPpm.width, fromPpm.height]).toEqual(['netpbm', info.width, info.height]);
    expect(Buffer.from(fromPpm.image.data).equals(Buffer.from(fromPng.image.data))).toBe(true);

    const refusal = (bytes: Buffer) => decodePhoto(bytes, 1024).then(() => 'decoded', (err: Error) => (expect(err).toBeInstanceOf(UnreadablePhotoError), err.message));
    expect(await refusal(ppm.subarray(0, 2000))).toBe('damaged image: the picture data is cut short');
    expect(await refusal(Buffer.concat([header('P6', 100_000, 100_000, 255), Buffer.alloc(64)]))).toMatch(/^image too large: 100000x100000 PGM\/PPM is 10000\.0 megapixels/);
  });

  it('past the import\'s pixel limit, is refused by the viewer and the face studio too (a photo replaced since its import)', async () => {
    // A 60-megapixel bitmap whose bytes are all there (7.5 MB): the import refuses it, so the other readers must too.
    const [width, height] = [10_000, 6_000];
    const huge = join(work, 'huge.pbm');
    await writeFile(huge, Buffer.concat([header('P4', width, height), Buffer.alloc((width / 8) * height, 0x0f)]));
    await expect(loadCrop(huge, 64)).rejects.toThrow(/image too large: 10000x6000 PGM\/PPM is 60\.0 megapixels, over the 50 MP limit/);
    const id = 'ab'.repeat(32);
    const source = new ImageSource({ libraryDir: work, photoPaths: (asked) => (asked === id ? [huge] : undefined), generated: new GeneratedImages(10) });
    expect(await source.get(`photo/${id}`)).toBeUndefined();
    // Within the limit, the same picture is read.
    const small = join(work, 'small.pbm');
    await writeFile(small, Buffer.concat([header('P4', 800, 600), Buffer.alloc(100 * 600, 0x0f)]));
    expect((await loadCrop(small, 64)).length).toBe(64 * 64 * 3);
    const smallId = 'cd'.repeat(32);
    const shown = new ImageSource({ libraryDir: work, photoPaths: (asked) => (asked === smallId ? [small] : undefined), generated: new GeneratedImages(10) });
    expect((await shown.get(`photo/${smallId}`))?.contentType).toBe('image/jpeg');
  });

  it('is imported from a folder of ORL faces, each face found and grouped by person, and shown in the viewer as a JPEG', async () => {
    const album = join(work, 'album');
    const { mkdir, copyFile } = await import('node:fs/promises');
    for (const person of [1, 2]) {
      await mkdir(join(album, `s${person}`), { recursive: true });
      for (const n of [1, 2, 3]) await copyFile(orl(person, n), join(album, `s${person}`, `${n}.pgm`));
    }
    // A scanner's colour PNM, and a PGM cut short, which is skipped with its reason and loses nothing else.
    // sharp itself cannot read them: the reason netpbm.ts exists.
    await expect(sharp(orl(3, 1)).metadata()).rejects.toThrow(/unsupported image format/);
    const grey = decodeNetpbm(await readFile(orl(3, 1)));
    const colour = Buffer.alloc(grey.data.length * 3);
    grey.data.forEach((v, i) => colour.fill(v, i * 3, i * 3 + 3));
    await writeFile(join(album, 'scan.pnm'), Buffer.concat([header('P6', grey.width, grey.height, 255), colour]));
    await writeFile(join(album, 'cut.pgm'), (await readFile(orl(4, 1))).subarray(0, 3000));

    const pool = new CachedAnalysis(2);
    const engine = await Engine.open(join(work, 'library'), { analyzer: pool });
    try {
      const outcome = await engine.import([album]);
      expect(outcome.newPhotos).toBe(7);
      expect(outcome.skipped.map((s) => [s.path, s.reason])).toEqual([[join(album, 'cut.pgm'), 'damaged image: the picture data is cut short']]);
      const library = engine.library;
      const facesIn = (path: string) => library.facesOfPhoto(library.photos.find((p) => p.paths.includes(path))!.id);
      const groups = [1, 2].map((person) => {
        const faces = [1, 2, 3].flatMap((n) => facesIn(join(album, `s${person}`, `${n}.pgm`)));
        expect(faces).toHaveLength(3);
        return new Set(faces.map((f) => f.personId));
      });
      // Each person's three faces make one group, and the two groups are two people.
      expect(groups.map((g) => g.size)).toEqual([1, 1]);
      expect([...groups[0]][0]).not.toBeNull();
      expect([...groups[0]][0]).not.toBe([...groups[1]][0]);
      expect(facesIn(join(album, 'scan.pnm'))).toHaveLength(1);

      const photo = library.photos.find((p) => p.paths.includes(join(album, 's1', '1.pgm')))!;
      const images = new ImageSource({ libraryDir: join(work, 'library'), photoPaths: (id) => library.photos.find((p) => p.id === id)?.paths, generated: new GeneratedImages(10) });
      for (const kind of ['photo', 'full', 'preview']) {
        const served = await images.get(`${kind}/${photo.id}`);
        expect(served?.contentType, kind).toMatch(/^image\/(jpeg|webp)$/);
        const meta = await sharp(served!.body).metadata();
        expect([meta.width, meta.height], kind).toEqual([92, 112]);
      }
    } finally {
      await engine.close();
      await pool.close();
    }
  }, 240_000);
});

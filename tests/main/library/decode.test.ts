// decodePhoto reads a photo's bytes once and decodes those, never the path: libvips maps files into memory
// (MAP_SHARED), and a file truncated while mapped killed the importing process with SIGBUS (seen in CI, when the
// reliability fuzz rewrote a photo under an import). This runs in-process on purpose: the old code crashed the
// test worker within a few dozen rounds here.
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePhoto, MAX_PHOTO_FILE_BYTES, readErrorInWords, readPhotoBytes, UnreadablePhotoError } from '../../../main/library/decode.js';
import { IMAGE_EXTENSIONS, READ_FORMATS_IN_WORDS } from '../../../main/library/formats.js';
import { sharedFaces } from './helpers.js';

let work: string;
const photo = join(sharedFaces, 'face_recognition', 'obama', 'obama.jpg');

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-decode-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('decodePhoto', () => {
  it('survives a photo truncated while it is being decoded, and reports it or decodes the bytes it read', async () => {
    const valid = await readFile(photo);
    const live = join(work, 'live.jpg');
    let decoded = 0;
    let refused = 0;
    for (let round = 0; round < 150; round++) {
      await writeFile(live, valid);
      const outcome = decodePhoto(live, 640).then(
        () => decoded++,
        (err: unknown) => {
          expect(err).toBeInstanceOf(UnreadablePhotoError);
          refused++;
        },
      );
      await new Promise((r) => setTimeout(r, (round % 4) * 0.7));
      await truncate(live, round % 3 === 0 ? 0 : 100);
      await outcome;
    }
    expect(decoded + refused).toBe(150);
  }, 120_000);

  it('dates a photo by when it was taken, else by its EXIF file date, else not at all', async () => {
    const base = sharp(photo).resize(200);
    const withDates = async (IFD0: Record<string, string>, IFD2?: Record<string, string>) =>
      (await decodePhoto(await base.clone().withExif(IFD2 ? { IFD0, IFD2 } : { IFD0 }).jpeg().toBuffer(), 640)).takenAt;
    expect(await withDates({ DateTime: '2020:06:15 10:00:00' }, { DateTimeOriginal: '2011:02:03 04:05:06' })).toBe(new Date(2011, 1, 3, 4, 5, 6).toISOString());
    expect(await withDates({ DateTime: '2020:06:15 10:00:00' })).toBe(new Date(2020, 5, 15, 10, 0, 0).toISOString());
    expect((await decodePhoto(await base.clone().jpeg().toBuffer(), 640)).takenAt).toBeNull();
  });

  it('keeps the offset a capture date was read in: the photo\'s own when EXIF says it (and that it said it), else this machine\'s zone', async () => {
    const base = sharp(photo).resize(200);
    const taken = async (IFD2: Record<string, string>) => {
      const { takenAt, takenOffset, takenOffsetKnown } = await decodePhoto(await base.clone().withExif({ IFD0: { Make: 'Canon' }, IFD2 }).jpeg().toBuffer(), 640);
      return { takenAt, takenOffset, takenOffsetKnown };
    };
    const zone = process.env.TZ;
    try {
      for (const machine of ['Europe/Paris', 'America/New_York']) {
        process.env.TZ = machine;
        // The camera said its zone: the same instant on any machine.
        expect(await taken({ DateTimeOriginal: '2024:07:01 10:00:00', OffsetTimeOriginal: '+02:00' })).toEqual({ takenAt: '2024-07-01T08:00:00.000Z', takenOffset: 120, takenOffsetKnown: true });
        expect(await taken({ DateTimeOriginal: '2024:01:15 23:30:00', OffsetTimeOriginal: '-05:30' })).toEqual({ takenAt: '2024-01-16T05:00:00.000Z', takenOffset: -330, takenOffsetKnown: true });
      }
      // It did not: the clock is read in this machine's zone on that date, and the offset says which.
      process.env.TZ = 'Europe/Paris';
      expect(await taken({ DateTimeOriginal: '2024:07:01 10:00:00' })).toEqual({ takenAt: '2024-07-01T08:00:00.000Z', takenOffset: 120, takenOffsetKnown: false });
      expect(await taken({ DateTimeOriginal: '2024:01:15 10:00:00' })).toEqual({ takenAt: '2024-01-15T09:00:00.000Z', takenOffset: 60, takenOffsetKnown: false });
      // A clock time the zone skips (02:30 on the night clocks go forward) still gives the clock back.
      const skipped = await taken({ DateTimeOriginal: '2024:03:31 02:30:00' });
      expect(new Date(Date.parse(skipped.takenAt!) + skipped.takenOffset! * 60_000).toISOString()).toBe('2024-03-31T02:30:00.000Z');
      process.env.TZ = 'America/New_York';
      expect(await taken({ DateTimeOriginal: '2024:07:01 10:00:00' })).toEqual({ takenAt: '2024-07-01T14:00:00.000Z', takenOffset: -240, takenOffsetKnown: false });
      // A clock never set is no date: the next one EXIF has is taken.
      expect(await taken({ DateTimeOriginal: '0000:00:00 00:00:00', DateTimeDigitized: '2019:05:04 12:00:00' })).toEqual({ takenAt: '2019-05-04T16:00:00.000Z', takenOffset: -240, takenOffsetKnown: false });
      expect(await taken({ DateTimeOriginal: '0000:00:00 00:00:00' })).toEqual({ takenAt: null, takenOffset: null, takenOffsetKnown: false });
      // Nor is a clock set to the end of time, which the grid could not file by month.
      expect(await taken({ DateTimeOriginal: '9999:12:31 23:00:00' })).toEqual({ takenAt: null, takenOffset: null, takenOffsetKnown: false });
      expect((await taken({ DateTimeOriginal: '9997:12:31 23:00:00', OffsetTimeOriginal: '-12:00' })).takenAt).toBe('9998-01-01T11:00:00.000Z');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("gives back the clock as written, to the fraction of a second, for a scan before zones had whole minutes too", async () => {
    const base = sharp(photo).resize(200);
    const clockOf = async (IFD2: Record<string, string>) => {
      const { takenAt, takenOffset } = await decodePhoto(await base.clone().withExif({ IFD0: { Make: 'Epson' }, IFD2 }).jpeg().toBuffer(), 640);
      return new Date(Date.parse(takenAt!) + takenOffset! * 60_000).toISOString();
    };
    const zone = process.env.TZ;
    try {
      // Paris was +0:09:21 until 1911, Kolkata +5:21:10 around 1900: QA saw midnight, 1 January 1900 as 23:59 the day before.
      for (const [machine, date, clock] of [
        ['Europe/Paris', '1900:01:01 00:00:00', '1900-01-01T00:00:00.000Z'],
        ['Asia/Kolkata', '1895:06:01', '1895-06-01T00:00:00.000Z'],
      ]) {
        process.env.TZ = machine;
        expect(await clockOf({ DateTimeOriginal: date }), machine).toBe(clock);
      }
      // A burst's shots in one second, told apart by the fraction EXIF keeps apart.
      expect(await clockOf({ DateTimeOriginal: '2016:08:08 08:08:08', SubSecTimeOriginal: '35', OffsetTimeOriginal: '+01:00' })).toBe('2016-08-08T08:08:08.350Z');
      expect(await clockOf({ DateTimeOriginal: '2016:08:08 08:08:08', SubSecTimeOriginal: '850', OffsetTimeOriginal: '+01:00' })).toBe('2016-08-08T08:08:08.850Z');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('reads a date only XMP inside the photo says, as digiKam and Lightroom write it for a scan', async () => {
    const base = sharp(photo).resize(200);
    const xmp = (attributes: string) =>
      `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/" ${attributes}/></rdf:RDF></x:xmpmeta>`;
    const taken = async (attributes: string, exif?: { IFD0?: Record<string, string>; IFD2?: Record<string, string> }) => {
      const image = exif ? base.clone().withExif({ IFD0: { Make: 'Epson', ...exif.IFD0 }, ...(exif.IFD2 && { IFD2: exif.IFD2 }) }) : base.clone();
      const { takenAt, takenOffset, takenOffsetKnown } = await decodePhoto(await image.withXmp(xmp(attributes)).jpeg().toBuffer(), 640);
      return { takenAt, takenOffset, takenOffsetKnown };
    };
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'Europe/Paris';
      // Its offset said with it, to the fraction of a second.
      expect(await taken('exif:DateTimeOriginal="2015-07-04T12:00:00.25+05:30"')).toEqual({ takenAt: '2015-07-04T06:30:00.250Z', takenOffset: 330, takenOffsetKnown: true });
      expect(await taken('xmp:CreateDate="2015-07-04T12:00Z"')).toEqual({ takenAt: '2015-07-04T12:00:00.000Z', takenOffset: 0, takenOffsetKnown: true });
      // A day alone: midnight on this machine's clock, as an EXIF date without a time.
      expect(await taken('photoshop:DateCreated="1982-03-14"')).toEqual({ takenAt: '1982-03-13T23:00:00.000Z', takenOffset: 60, takenOffsetKnown: false });
      // When it was taken beats when it was scanned (the scanner's EXIF file date, XMP's CreateDate); the camera's EXIF beats XMP.
      const scan = { IFD0: { DateTime: '2024:05:05 10:00:00' } };
      expect((await taken('photoshop:DateCreated="1975-07-04" xmp:CreateDate="2024-05-05T10:00:00"', scan)).takenAt).toBe('1975-07-03T23:00:00.000Z');
      expect((await taken('exif:DateTimeOriginal="1999-01-01T00:00:00Z"', { IFD2: { DateTimeOriginal: '2011:02:03 04:05:06' } })).takenAt).toBe('2011-02-03T03:05:06.000Z');
      // A year alone places no day: the next date there is is taken, else none.
      expect((await taken('photoshop:DateCreated="1975"', scan)).takenAt).toBe('2024-05-05T08:00:00.000Z');
      expect((await taken('photoshop:DateCreated="1975"')).takenAt).toBeNull();
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('decodes from bytes the same pixels as from the path', async () => {
    const bytes = await readPhotoBytes(photo);
    const [fromPath, fromBytes] = await Promise.all([decodePhoto(photo, 320), decodePhoto(bytes, 320)]);
    expect(fromBytes.width).toBe(fromPath.width);
    expect(Buffer.compare(Buffer.from(fromBytes.image.data), Buffer.from(fromPath.image.data))).toBe(0);
  });

  it('says what is wrong with a missing file, a folder and an empty file', async () => {
    await expect(decodePhoto(join(work, 'nope.jpg'), 320)).rejects.toThrow(/does not exist/);
    await expect(decodePhoto(work, 320)).rejects.toThrow(/folder/);
    await writeFile(join(work, 'empty.jpg'), '');
    await expect(decodePhoto(join(work, 'empty.jpg'), 320)).rejects.toThrow(/empty file/);
  });

  it('says a damaged photo is damaged in plain words, never in the image library\'s ("vipspng: libpng read error")', async () => {
    // Noise, so the PNG is long enough that half of it holds pixel data.
    const noise = Buffer.from(Array.from({ length: 600 * 400 * 3 }, (_, i) => (i * 7919) % 251));
    const png = await sharp(noise, { raw: { width: 600, height: 400, channels: 3 } }).png().toBuffer();
    const gif = await sharp(noise, { raw: { width: 600, height: 400, channels: 3 } }).gif().toBuffer();
    const reason = (bytes: Buffer) => decodePhoto(bytes, 640).then(() => 'decoded', (err: Error) => err.message);
    expect(await reason(png.subarray(0, png.length / 2))).toBe('damaged image: the PNG data is damaged and cannot be read');
    expect(await reason(Buffer.concat([png.subarray(0, 20), Buffer.alloc(100)]))).toBe('damaged image: the start of the file cannot be read (it is damaged, or only part of a photo)');
    expect(await reason(gif.subarray(0, 40))).toMatch(/^damaged image: [^:]*$/);
  });

  it('says a JPEG cut short in plain words however many are decoded at once (libvips then often says only "Unknown error")', async () => {
    const whole = await readFile(photo);
    const cut = whole.subarray(0, Math.floor(whole.length / 2));
    const reasons = await Promise.all(Array.from({ length: 24 }, () => decodePhoto(cut, 640).then(() => 'decoded', (err: Error) => err.message)));
    for (const reason of reasons) expect(['damaged image: the JPEG data is cut short', 'damaged image: the file is cut short or damaged']).toContain(reason);
  });

  it('refuses a complete JPEG damaged part way through (it would decode garbled), and reads those libjpeg only warns about harmlessly', async () => {
    const whole = await readFile(photo);
    const pictureData = whole.indexOf(Buffer.from([0xff, 0xda])); // start of scan: the entropy-coded data follows
    const middle = Math.floor((pictureData + whole.length) / 2);
    const overwritten = Buffer.from(whole).fill(0, middle, middle + 2000); // the end-of-image marker stays
    const damaged = join(work, 'damaged.jpg');
    await writeFile(damaged, overwritten);
    const garbled = 'damaged image: part of the JPEG data is damaged, so the picture comes out garbled';
    await expect(decodePhoto(damaged, 640)).rejects.toThrow(garbled);
    // libjpeg warns, but no picture data is lost: bytes before a header marker, padding before the end of a progressive one.
    const progressive = await sharp(whole).jpeg({ progressive: true }).toBuffer();
    const harmless = [
      Buffer.concat([whole.subarray(0, 2), Buffer.alloc(3), whole.subarray(2)]),
      Buffer.concat([progressive.subarray(0, -2), Buffer.alloc(8, 1), progressive.subarray(-2)]),
    ];
    const size = (await decodePhoto(whole, 640)).image.width;
    for (const bytes of harmless) expect((await decodePhoto(bytes, 640)).image.width).toBe(size);
    // Decoded at once, libvips's messages mix: a harmless warning may come with the damaged photo's. Never refused for it.
    const atOnce = await Promise.all(Array.from({ length: 24 }, (_, i) => decodePhoto(i % 3 === 0 ? overwritten : harmless[i % 2], 640).then(() => 'decoded', (err: Error) => err.message)));
    expect(atOnce.filter((_, i) => i % 3 !== 0)).toEqual(Array(16).fill('decoded'));
  });

  it('says why the system would not give a file in plain words, not its own ("EIO: i/o error, read")', () => {
    const failure = (code: string) => Object.assign(new Error(`${code}: something, read`), { code });
    expect(readErrorInWords(failure('EIO'))).toBe('the disk could not read it (a failing disk, or a drive or card taken out)');
    expect(readErrorInWords(failure('EACCES'))).toBe('permission denied');
    expect(readErrorInWords(failure('EWHATEVER'))).toBe('the system refused to read it (EWHATEVER)');
    expect(readErrorInWords(new Error('no code'))).toBe('the system refused to read it');
  });

  it('lists the formats it reads from the one list that decides them: HEIC always, AVIF when this build reads it', () => {
    expect(READ_FORMATS_IN_WORDS).toMatch(/^JPEG, PNG, WebP, GIF, BMP, TIFF, HEIC/);
    expect(IMAGE_EXTENSIONS.has('.heic') && IMAGE_EXTENSIONS.has('.heif')).toBe(true);
    expect(READ_FORMATS_IN_WORDS.includes('AVIF')).toBe(IMAGE_EXTENSIONS.has('.avif'));
    expect(READ_FORMATS_IN_WORDS.includes('HEIC')).toBe(IMAGE_EXTENSIONS.has('.heic'));
  });

  it('refuses a file over the size limit before reading it', async () => {
    const huge = join(work, 'huge.jpg');
    await writeFile(huge, '');
    await truncate(huge, MAX_PHOTO_FILE_BYTES + 1); // sparse: no disk used
    await expect(decodePhoto(huge, 320)).rejects.toThrow(/file too large: \d+ MB, over the 512 MB limit/);
  });
});

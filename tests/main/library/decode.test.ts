// decodePhoto reads a photo's bytes once and decodes those, never the path: libvips maps files into memory
// (MAP_SHARED), and a file truncated while mapped killed the importing process with SIGBUS (seen in CI, when the
// reliability fuzz rewrote a photo under an import). This runs in-process on purpose: the old code crashed the
// test worker within a few dozen rounds here.
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePhoto, MAX_PHOTO_FILE_BYTES, readPhotoBytes, UnreadablePhotoError } from '../../../main/library/decode.js';
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

  it('refuses a file over the size limit before reading it', async () => {
    const huge = join(work, 'huge.jpg');
    await writeFile(huge, '');
    await truncate(huge, MAX_PHOTO_FILE_BYTES + 1); // sparse: no disk used
    await expect(decodePhoto(huge, 320)).rejects.toThrow(/file too large: \d+ MB, over the 512 MB limit/);
  });
});

// "Show in folder" (desktop only): the file manager opens on the first of the photo's paths still on disk, and a photo
// whose file is gone, or an id the library does not know, is told in a sentence with nothing shown.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/api/dispatch.js';
import { notFound } from '../../../main/api/errors.js';
import { showPhotoInFolder } from '../../../main/electron/show-in-folder.js';
import type { PhotoDetail } from '../../../preload/contract.js';

let dir: string;
const PHOTO = 'a'.repeat(64);

/** The engine's side: photos.get answers the photo's paths (the rest of the record does not matter here). */
const engineWith = (paths: string[]) =>
  createDispatcher({
    'photos.get': async ({ photoId }) => {
      if (photoId !== PHOTO) throw notFound('photo', photoId);
      return { paths } as unknown as PhotoDetail;
    },
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-show-in-folder-'));
  await writeFile(join(dir, 'IMG_1.jpg'), 'jpeg');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('showPhotoInFolder', () => {
  it('shows the first of the photo\'s paths that is still a file on disk', async () => {
    const shown: string[] = [];
    const gone = join(dir, 'moved-away', 'IMG_1.jpg');
    const there = join(dir, 'IMG_1.jpg');
    expect(await showPhotoInFolder(engineWith([gone, dir, there]), PHOTO, (path) => shown.push(path))).toEqual({ path: there });
    expect(shown).toEqual([there]);
  });

  it('says the file is not on disk, naming it, and shows nothing', async () => {
    const shown: string[] = [];
    const gone = join(dir, 'on-a-drive', 'IMG_2.jpg');
    await expect(showPhotoInFolder(engineWith([gone]), PHOTO, (path) => shown.push(path))).rejects.toMatchObject({
      code: 'not-found',
      message: `The file of this photo is not on disk (${gone}): it was moved or deleted, or it is on a drive that is not plugged in.`,
    });
    expect(shown).toEqual([]);
  });

  it('passes on the engine\'s answer for a photo it does not know, with its code', async () => {
    const shown: string[] = [];
    await expect(showPhotoInFolder(engineWith([join(dir, 'IMG_1.jpg')]), 'b'.repeat(64), (path) => shown.push(path))).rejects.toMatchObject({
      code: 'not-found',
      message: `No photo has the id "${'b'.repeat(64)}".`,
    });
    expect(shown).toEqual([]);
  });
});

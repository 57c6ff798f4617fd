// A photo's file found empty or damaged, or replaced by another photo: the import, doctor and "remove --missing" must
// agree on what is missing. QA: an emptied and a cut-short photo were "2 photos missing" at every import while
// "remove --missing" said every photo was on disk, and a replaced one was the other way round. Real photos.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { nameFaces } from '../../../main/people/index.js';
import { scratchEngine } from '../../helpers/imported-library.js';
import { lfwPhoto, subjectAt } from './helpers.js';

const scratch = scratchEngine('damaged', async (work) => {
  await mkdir(join(work, 'album'));
  for (const n of [1, 2, 3, 4]) await copyFile(lfwPhoto('Alvaro_Uribe', n), join(work, 'album', `uribe_${n}.jpg`));
});

describe('a known photo whose file is emptied, cut short or replaced', () => {
  let album: string;
  let engine: Engine;
  const photoAt = (name: string) => engine.library.photos.find((p) => p.paths.includes(join(album, name)))!;

  beforeAll(async () => {
    album = join(scratch.work(), 'album');
    engine = scratch.engine();
    await engine.import([album]);
    await nameFaces(engine.library, [1, 2, 3, 4].map((n) => subjectAt(engine.library, join(album, `uribe_${n}.jpg`)).id), 'Alvaro');
  }, 300_000);

  it('keeps an emptied or cut-short photo, not missing, with its name; the import says why it skipped each file', async () => {
    const emptied = photoAt('uribe_1.jpg');
    const cut = photoAt('uribe_2.jpg');
    await writeFile(join(album, 'uribe_1.jpg'), '');
    await writeFile(join(album, 'uribe_2.jpg'), (await readFile(lfwPhoto('Alvaro_Uribe', 2))).subarray(0, 5000));
    for (let run = 0; run < 2; run++) {
      const summary = await engine.import([album]);
      expect(summary.missing).toBe(0);
      expect(summary.skipped).toEqual([
        { path: join(album, 'uribe_1.jpg'), reason: 'empty file (0 bytes)' },
        { path: join(album, 'uribe_2.jpg'), reason: expect.stringMatching(/damaged|cut short|corrupt/i) },
      ]);
      for (const photo of [emptied, cut]) expect(engine.library.photo(photo.id)).toMatchObject({ missing: false, paths: photo.paths });
      await expect(engine.missingRemovalPlan()).rejects.toThrow(/Every photo of the library is on disk/);
    }
    expect(engine.library.facesOfPhoto(emptied.id)[0].personId).toBe(engine.library.facesOfPhoto(photoAt('uribe_3.jpg').id)[0].personId);
  });

  it('counts a photo whose file another photo replaced as missing, at the import and for "remove --missing" alike', async () => {
    const replaced = photoAt('uribe_4.jpg');
    await copyFile(lfwPhoto('Colin_Powell', 1), join(album, 'uribe_4.jpg'));
    const summary = await engine.import([album]);
    expect(summary.missing).toBe(1);
    expect(engine.library.photo(replaced.id)!.missing).toBe(true);
    await expect(engine.missingRemovalPlan()).resolves.toMatchObject({ folder: null, photos: 1 });
    expect(engine.library.photo(replaced.id)!.missing).toBe(true);
    expect((await Engine.doctor(engine.library.dir)).library.counts?.missingPhotos).toBe(1);
  });
});

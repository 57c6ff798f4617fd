// A folder imported through a link (~/Pictures a link to /data/Pictures), then by its own path: one file is one photo
// at one path. QA: every photo held both paths, the import said they were "found at a new path (moved, renamed or
// copied)", and removing the folder by its own path left them "with a copy outside it". Real photos.
import { copyFile, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/engine.js';
import { rememberImportedOnce, watchImportedFolders } from '../../../main/library/folder-watcher.js';
import { planFolderRemoval, removeFolder } from '../../../main/library/remove-folder.js';
import { scratchEngine } from '../../helpers/imported-library.js';
import { lfwPhoto } from './helpers.js';

const scratch = scratchEngine('linked', async (work) => {
  await mkdir(join(work, 'data', 'Pictures'), { recursive: true });
  await mkdir(join(work, 'home'));
  await symlink(join(work, 'data', 'Pictures'), join(work, 'home', 'Pictures'));
  for (const n of [1, 2, 3]) await copyFile(lfwPhoto('Alvaro_Uribe', n), join(work, 'data', 'Pictures', `uribe_${n}.jpg`));
});

describe('a folder imported through a link, then by its own path', () => {
  let work: string;
  let engine: Engine;
  let real: string;
  let linked: string;

  beforeAll(() => {
    work = scratch.work();
    engine = scratch.engine();
    real = join(work, 'data', 'Pictures');
    linked = join(work, 'home', 'Pictures');
  });

  it('keeps one path a photo, the one last imported by, and nothing is found at a new path', async () => {
    await engine.import([linked]);
    expect(engine.library.photos.map((p) => p.paths).sort()).toEqual([1, 2, 3].map((n) => [join(linked, `uribe_${n}.jpg`)]));
    const again = await engine.import([real]);
    expect(again).toMatchObject({ photos: 3, newPhotos: 0, analysed: 0, foundAtNewPaths: 0, copies: 0, missing: 0 });
    expect(engine.library.photos.map((p) => p.paths).sort()).toEqual([1, 2, 3].map((n) => [join(real, `uribe_${n}.jpg`)]));
    for (const photo of engine.library.photos) expect(Object.keys(photo.fileStamps ?? {})).toEqual(photo.paths);
    expect(await planFolderRemoval(engine.library, real)).toMatchObject({ photos: 3, photosKeptElsewhere: 0 });
  });

  it('still takes a true copy elsewhere for a copy', async () => {
    await mkdir(join(work, 'other'));
    await copyFile(join(real, 'uribe_1.jpg'), join(work, 'other', 'uribe_1 copy.jpg'));
    const summary = await engine.import([join(work, 'other')]);
    expect(summary.foundAtNewPaths).toBe(1);
    const photo = engine.library.photos.find((p) => p.paths.some((path) => path.endsWith('uribe_1 copy.jpg')))!;
    expect(photo.paths.sort()).toEqual([join(real, 'uribe_1.jpg'), join(work, 'other', 'uribe_1 copy.jpg')].sort());
  });
});

const linkedOnly = scratchEngine('linked-only', async (work) => {
  await mkdir(join(work, 'data', 'Pictures', '2019'), { recursive: true });
  await mkdir(join(work, 'home'));
  await symlink(join(work, 'data', 'Pictures'), join(work, 'home', 'Pictures'));
  for (const n of [1, 2]) await copyFile(lfwPhoto('Alvaro_Uribe', n), join(work, 'data', 'Pictures', `uribe_${n}.jpg`));
  await copyFile(lfwPhoto('Alvaro_Uribe', 3), join(work, 'data', 'Pictures', '2019', 'uribe_3.jpg'));
});

describe('a folder imported only through a link, removed by its own path', () => {
  let engine: Engine;
  let real: string;
  let linked: string;

  beforeAll(() => {
    engine = linkedOnly.engine();
    real = join(linkedOnly.work(), 'data', 'Pictures');
    linked = join(linkedOnly.work(), 'home', 'Pictures');
  });

  it('is found as the library spells it, and removed (QA: "the library has no photo in" it)', async () => {
    await engine.import([linked]);
    // Watched as `familiar import` and the app leave it: by the link.
    await watchImportedFolders(engine.library, [linked], new Map());
    expect(engine.library.photos.flatMap((p) => p.paths).every((path) => path.startsWith(linked))).toBe(true);
    // A subfolder of the watched folder is refused, as in the link's spelling: the watcher would import it again.
    await expect(planFolderRemoval(engine.library, join(real, '2019'))).rejects.toThrow(`${join(linked, '2019')} is inside ${linked}, which Familiar watches`);
    expect(await planFolderRemoval(engine.library, real)).toMatchObject({ folder: linked, photos: 3, watched: true });
    const removed = await removeFolder(engine.library, real);
    expect(removed).toMatchObject({ folder: linked, photos: 3 });
    expect(engine.library.photos).toEqual([]);
  });

  it('and one imported by its own path is found by the link to it', async () => {
    await engine.import([real]);
    await watchImportedFolders(engine.library, [real], new Map());
    await expect(planFolderRemoval(engine.library, join(linked, '2019'))).rejects.toThrow(`${join(real, '2019')} is inside ${real}, which Familiar watches`);
    expect(await planFolderRemoval(engine.library, linked)).toMatchObject({ folder: real, photos: 3 });
  });

  it('and a subfolder of one imported once through the link (not watched) is found by its own path', async () => {
    await removeFolder(engine.library, linked);
    await engine.import([linked]);
    await rememberImportedOnce(engine.library, [linked]);
    expect(await planFolderRemoval(engine.library, join(real, '2019'))).toMatchObject({ folder: join(linked, '2019'), photos: 1, watched: false });
  });

  it('and the real folder above a subfolder imported through the link', async () => {
    await removeFolder(engine.library, linked);
    await engine.import([join(linked, '2019')]);
    await watchImportedFolders(engine.library, [join(linked, '2019')], new Map());
    expect(await planFolderRemoval(engine.library, real)).toMatchObject({ folder: linked, photos: 1, watched: true });
  });
});

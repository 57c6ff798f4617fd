// A folder imported through a link (~/Pictures a link to /data/Pictures), then by its own path: one file is one photo
// at one path. QA: every photo held both paths, the import said they were "found at a new path (moved, renamed or
// copied)", and removing the folder by its own path left them "with a copy outside it". Real photos.
import { copyFile, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/engine.js';
import { planFolderRemoval } from '../../../main/library/remove-folder.js';
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
    expect(planFolderRemoval(engine.library, real)).toMatchObject({ photos: 3, photosKeptElsewhere: 0 });
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

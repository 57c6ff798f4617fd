// `familiar names export` and `names import` count photos as the library counts them: a photo in two folders (the
// same file copied) is one photo, in two files. QA read "462 photos read" in a library of 450, and "130 photos … and
// 4 …: 136 sidecars written" with nothing to say where the two more sidecars came from. Real photos, real analysis.
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nameFaces } from '../../../main/people/index.js';
import { makeAlbum } from '../library/helpers.js';
import { runCli } from './cli-process.js';
import { preparedLibrary } from './prepared-library.js';

const ALBUM = {
  'pair/kit_with_rose.jpg': 'face_recognition/_group_photos/kit_with_rose.jpg',
  'one/obama_small.jpg': 'face_recognition/obama/obama_small.jpg',
  'one/Colin_Powell_0001.jpg': 'lfw_subset/Colin_Powell/Colin_Powell_0001.jpg',
};

let obamaFace: string;

const library = preparedLibrary('names-counts', async (engine, work) => {
  const album = await makeAlbum(join(work, 'album'), ALBUM);
  // Obama's photo copied into a second folder as it is: the library holds it once, at two paths.
  await mkdir(join(album, 'copied'));
  await copyFile(join(album, 'one/obama_small.jpg'), join(album, 'copied/obama_small.jpg'));
  await engine.import([album]);
  const lib = engine.library;
  expect(lib.photos).toHaveLength(3);
  const facesAt = (file: string) => lib.facesOfPhoto(lib.photos.find((p) => p.paths.some((path) => path.endsWith(file)))!.id);
  expect(lib.photos.find((p) => p.paths.length === 2)!.paths.map((path) => path.slice(album.length))).toEqual(
    expect.arrayContaining(['/one/obama_small.jpg', '/copied/obama_small.jpg']),
  );
  obamaFace = facesAt('/obama_small.jpg')[0].id;
  await nameFaces(lib, [obamaFace], 'Barack Obama');
  await nameFaces(lib, [facesAt('/kit_with_rose.jpg')[0].id], 'Kit');
});

describe('familiar names counts photos as the library does', () => {
  it('export says the photos with names are in more files than photos, each file given its sidecar', async () => {
    const run = await runCli('names', 'export', '--library', library.dir);
    expect(run.code).toBe(0);
    expect(run.out).toContain('2 photos with named faces, in 3 files (a photo in two folders gets a sidecar beside each): 3 sidecars written, 0 already up to date');
  });

  it('import reads each photo once, and counts each face once, however many folders hold it', async () => {
    const run = await runCli('names', 'import', '--library', library.dir);
    expect(run.code).toBe(0);
    expect(run.out).toContain("3 photos read, 2 with names: 0 faces named, 2 already were, 0 kept this library's answer");
  });

  it("keeps the user's own answer over both files' tags, said once", async () => {
    expect((await runCli('name', obamaFace, 'Someone else', '--library', library.dir)).code).toBe(0);
    const run = await runCli('names', 'import', '--library', library.dir);
    expect(run.code).toBe(0);
    expect(run.out).toContain("3 photos read, 2 with names: 0 faces named, 1 already were, 1 kept this library's answer");
    expect(run.out.match(new RegExp(`kept ${obamaFace}`, 'g'))).toHaveLength(1);
  });

  // Last: the album moves away. QA: export after the photos moved said "0 sidecars written" and exited 0, no reason.
  it('export says which photos it could not write beside, every file of theirs gone, and fails when none was written', async () => {
    await rename(join(library.work, 'album'), join(library.work, 'album-2020'));
    const run = await runCli('names', 'export', '--library', library.dir);
    expect(run.code).toBe(1);
    expect(run.out).toContain(
      '2 photos with names to write are missing from disk (moved or deleted outside Familiar), so nothing was written for them: import them from where they are now, and write the names again.',
    );
    const json = await runCli('names', 'export', '--to', join(library.work, 'sidecars'), '--json', '--library', library.dir);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out.trim().split('\n').at(-1)!)).toMatchObject({ type: 'summary', written: 0, missingPhotos: 2 });
  });
});

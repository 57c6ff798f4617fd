// photos.get of a photo whose file was deleted or moved outside Familiar after the import says it is missing at once,
// before any import or check marks it so: the viewer showed a black box saying the file "was moved, deleted, changed
// or damaged", with no word of where. A file that is there, or a disk that cannot be read (EIO), is not missing.
import { copyFile, mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../main/api/index.js';
import { isGoneFile } from '../../../main/library/remove-folder.js';
import { calls, type CallName } from '../../../preload/contract.js';
import { makeAlbum, sharedFaces } from '../library/helpers.js';

let api: Api;
let work: string;
let album: string;

async function ok<K extends CallName>(name: K, args?: unknown) {
  const answer = await api.dispatcher.call(name, args);
  if (answer.error !== undefined) throw new Error(`${name} failed: ${answer.error}`);
  return calls[name].result.parse(answer.result) as ReturnType<(typeof calls)[K]['result']['parse']>;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-missing-'));
  album = await makeAlbum(join(work, 'album'), {
    'gul.jpg': 'lfw_subset/Abdullah_Gul/Abdullah_Gul_0001.jpg',
    'brody.jpg': 'lfw_subset/Adrien_Brody/Adrien_Brody_0001.jpg',
  });
  api = await createApi({ libraryDir: join(work, 'library'), mode: 'browser', log: () => {} });
  expect((await api.jobs.settled((await ok('import.start', { paths: [album] })).jobId)).state).toBe('done');
}, 300_000);

afterAll(async () => {
  await api?.close();
  await rm(work, { recursive: true, force: true });
});

describe('photos.get of a photo whose file is gone', () => {
  it('says it is missing, with the path it was at and its faces, while a photo still there is not', async () => {
    const { photos } = await ok('photos.list', { limit: 10 });
    const details = await Promise.all(photos.map((p) => ok('photos.get', { photoId: p.id })));
    const gul = details.find((d) => d.paths[0] === join(album, 'gul.jpg'))!;
    const brody = details.find((d) => d.paths[0] === join(album, 'brody.jpg'))!;
    expect(gul.missing).toBe(false);
    await unlink(join(album, 'gul.jpg'));
    const gone = await ok('photos.get', { photoId: gul.id });
    expect(gone.missing).toBe(true);
    expect(gone.paths).toEqual([join(album, 'gul.jpg')]);
    expect(gone.faces.map((f) => f.id)).toEqual(gul.faces.map((f) => f.id));
    expect(gone.faces.length).toBeGreaterThan(0);
    expect((await ok('photos.get', { photoId: brody.id })).missing).toBe(false);
  });

  it('is not said of a photo marked missing whose file is back (a drive plugged in again)', async () => {
    // Imported again with gul.jpg gone: the library marks it missing. Then the file is put back.
    expect((await api.jobs.settled((await ok('import.start', { paths: [album] })).jobId)).state).toBe('done');
    const { photos } = await ok('photos.list', { limit: 10 });
    const gul = (await Promise.all(photos.map((p) => ok('photos.get', { photoId: p.id })))).find((d) => d.paths[0] === join(album, 'gul.jpg'))!;
    expect(gul.missing).toBe(true);
    await copyFile(join(sharedFaces, 'lfw_subset', 'Abdullah_Gul', 'Abdullah_Gul_0001.jpg'), join(album, 'gul.jpg'));
    expect((await ok('photos.get', { photoId: gul.id })).missing).toBe(false);
  }, 300_000);

  it('is not said of a file the disk could not be asked about (EIO): only a path that is not there is gone', async () => {
    const failing = (code: string) => () => Promise.reject(Object.assign(new Error(code), { code }));
    expect(await isGoneFile(['/a.jpg', '/b.jpg'], failing('ENOENT'))).toBe(true);
    expect(await isGoneFile(['/a.jpg'], failing('EIO'))).toBe(false);
    expect(await isGoneFile([join(work, 'nowhere.jpg'), join(album, 'brody.jpg')])).toBe(false);
  });
});

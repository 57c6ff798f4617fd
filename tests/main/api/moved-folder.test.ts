// A watched folder moved or renamed outside Familiar (`mv album album-moved`): the app says it cannot be found, counts
// its photos missing as `familiar doctor` does, and importing its new place finds them with their names and watches
// that place instead. QA: the Import screen said "Your library is up to date" and listed the dead folder as watched,
// the app showed 0 missing while doctor said 205.
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../main/api/index.js';
import { goneWatchedFolders, WATCHED_FOLDERS_KEY } from '../../../main/library/remove-folder.js';
import type { Settings } from '../../../main/store/types.js';
import { calls, type CallName } from '../../../preload/contract.js';
import { makeAlbum } from '../library/helpers.js';

let api: Api;
let work: string;

/** Calls through the dispatcher and checks the answer against the contract's result schema. */
async function ok<K extends CallName>(name: K, args?: unknown) {
  const answer = await api.dispatcher.call(name, args);
  if (answer.error !== undefined) throw new Error(`${name} failed: ${answer.error}`);
  return calls[name].result.parse(answer.result) as ReturnType<(typeof calls)[K]['result']['parse']>;
}

async function importPaths(paths: string[]) {
  const job = await api.jobs.settled((await ok('import.start', { paths })).jobId);
  if (job.state !== 'done') throw new Error(`import ${job.state}: ${job.error}`);
  return job.result as { photosMoved: number; photosMissing: number };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-moved-'));
  api = await createApi({ libraryDir: join(work, 'library'), mode: 'browser', log: () => {} });
});

afterAll(async () => {
  await api?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a watched folder moved outside Familiar', () => {
  it('is said to be gone, its photos count missing as doctor finds them, and its new place takes over with the names', async () => {
    const album = await makeAlbum(join(work, 'album'), {
      'gul/1.jpg': 'lfw_subset/Abdullah_Gul/Abdullah_Gul_0001.jpg',
      'gul/2.jpg': 'lfw_subset/Abdullah_Gul/Abdullah_Gul_0002.jpg',
      'toledo.jpg': 'lfw_subset/Alejandro_Toledo/Alejandro_Toledo_0001.jpg',
    });
    const other = await makeAlbum(join(work, 'other'), { 'brody.jpg': 'lfw_subset/Adrien_Brody/Adrien_Brody_0001.jpg' });
    await importPaths([other]);
    await importPaths([album]);
    expect((await ok('library.info')).folders).toEqual([other, album]);
    // Every group named: the names must outlive the move.
    const groups = await ok('people.list', { includeHidden: true });
    for (const [i, group] of groups.entries()) await ok('people.rename', { personId: group.id, name: `Person ${i + 1}` });
    const named = JSON.stringify((await ok('people.list', { includeHidden: true })).map((p) => [p.name, p.faceCount]));

    const moved = join(work, 'album-moved');
    await rename(album, moved);
    const photosFile = join(work, 'library', 'photos.json');
    const stored = await readFile(photosFile, 'utf8');
    const info = await ok('library.info');
    expect(info.goneFolders).toEqual([album]);
    expect(info.folders).toEqual([other, album]);
    expect(info.counts.missingPhotos).toBe(3);
    expect((await ok('library.doctor')).counts.missingPhotos).toBe(3);
    // Counted, not written: asking is no edit racing an import.
    expect(await readFile(photosFile, 'utf8')).toBe(stored);

    // Another folder imported meanwhile does not take the gone one's place.
    await importPaths([other]);
    expect((await ok('library.info')).goneFolders).toEqual([album]);

    const result = await importPaths([moved]);
    expect(result).toMatchObject({ photosMoved: 3, photosMissing: 0 });
    const after = await ok('library.info');
    expect(after.goneFolders).toEqual([]);
    // In the gone folder's place in the list.
    expect(after.folders).toEqual([other, moved]);
    expect(after.counts).toMatchObject({ photos: 4, missingPhotos: 0 });
    expect(JSON.stringify((await ok('people.list', { includeHidden: true })).map((p) => [p.name, p.faceCount]))).toBe(named);
  });

  it('is not gone when the disk fails to answer otherwise than "no such folder" (a NAS timing out, no permission)', async () => {
    const here = join(work, 'here');
    await mkdir(here);
    const file = join(work, 'a file');
    await writeFile(file, '');
    const settings = { [WATCHED_FOLDERS_KEY]: [here, join(work, 'nowhere'), file] } as unknown as Settings;
    // What the disk says: the folder is there, there is no such path, or a file is where the folder was.
    expect(await goneWatchedFolders(settings)).toEqual([join(work, 'nowhere'), file]);
    // A path under a file (ENOTDIR); on its own, as one inside another watched folder is part of it, not listed.
    const underFile = { [WATCHED_FOLDERS_KEY]: [join(file, 'under a file')] } as unknown as Settings;
    expect(await goneWatchedFolders(underFile)).toEqual([join(file, 'under a file')]);
    for (const code of ['EIO', 'ETIMEDOUT', 'EACCES', 'EHOSTDOWN']) {
      const failing = () => Promise.reject(Object.assign(new Error(`${code}: the drive did not answer`), { code }));
      expect(await goneWatchedFolders(settings, undefined, failing), code).toEqual([]);
    }
  });

  it('stops watching a gone folder when asked, keeping its photos missing with their names', async () => {
    const album = await makeAlbum(join(work, 'trip'), { 'gul.jpg': 'lfw_subset/Abdullah_Gul/Abdullah_Gul_0003.jpg' });
    await importPaths([album]);
    const photos = (await ok('library.info')).counts.photos;
    await rm(album, { recursive: true });
    expect((await ok('library.info')).goneFolders).toEqual([album]);
    const { folders } = await ok('library.stopWatching', { path: album });
    expect(folders).not.toContain(album);
    const info = await ok('library.info');
    expect(info).toMatchObject({ goneFolders: [], folders });
    expect(info.counts).toMatchObject({ photos, missingPhotos: 1 });
    expect((await api.dispatcher.call('library.stopWatching', { path: album })).code).toBe('invalid-argument');
  });
});

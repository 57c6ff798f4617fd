// A folder of year subfolders no longer watched, or imported with `familiar import --no-watch`, stays one folder:
// the Photos screen's tree and the Import screen's list of unwatched folders showed "2015", "2016", … each on its own,
// and offered each for removal, where the user had imported one "Family" folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../main/api/index.js';
import { FolderTree } from '../../../main/api/folders.js';
import { rememberImportedOnce, watchImportedFolders } from '../../../main/library/folder-watcher.js';
import { importFolders, type FaceAnalysisService } from '../../../main/library/import.js';
import { unwatchedFolders, watchedFolders } from '../../../main/library/remove-folder.js';
import { Library } from '../../../main/store/library.js';
import { PIPELINE_VERSION } from '../../../models/pipeline.js';
import { calls, type CallName } from '../../../preload/contract.js';
import { makeAlbum } from '../library/helpers.js';

const instant: FaceAnalysisService = { size: 1, analyze: async () => [] };
const lfw = (person: string, n: number) => `lfw_subset/${person}/${person}_000${n}.jpg`;
const YEARS = { '2015/a.jpg': lfw('Colin_Powell', 1), '2016/b.jpg': lfw('Colin_Powell', 2), '2016/Summer/c.jpg': lfw('Tony_Blair', 1) };

let work: string;
let family: string;
let trip: string;
let libraryDir: string;
let api: Api | undefined;

async function ok<K extends CallName>(name: K, args?: unknown) {
  const answer = await api!.dispatcher.call(name, args);
  if (answer.error !== undefined) throw new Error(`${name} failed: ${answer.error}`);
  return calls[name].result.parse(answer.result) as ReturnType<(typeof calls)[K]['result']['parse']>;
}

const tops = async () => (await ok('photos.folders')).filter((f) => f.depth === 0).map((f) => [f.name, f.total]);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-unwatched-tree-'));
  family = await makeAlbum(join(work, 'Family'), YEARS);
  trip = await makeAlbum(join(work, 'Trip'), { 'Day 1/d.jpg': lfw('Serena_Williams', 1), 'Day 2/e.jpg': lfw('Serena_Williams', 2) });
  libraryDir = join(work, 'library');
  const library = await Library.open(libraryDir);
  try {
    await importFolders(library, async () => instant, PIPELINE_VERSION, [family, trip]);
    // As `familiar import Family` and `familiar import --no-watch Trip` leave them.
    await watchImportedFolders(library, [family], new Map());
    await rememberImportedOnce(library, [trip]);
    expect(watchedFolders(library.settings)).toEqual([family]);
    expect(unwatchedFolders(library.settings)).toEqual([trip]);
  } finally {
    await library.close();
  }
  api = await createApi({ libraryDir, mode: 'browser', log: () => {} });
});

afterAll(async () => {
  await api?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('folders imported and not watched', () => {
  it('a folder imported once is one top folder, listed once beside the watched ones', async () => {
    expect(await tops()).toEqual([['Family', 3], ['Trip', 2]]);
    expect(await ok('library.info')).toMatchObject({ folders: [family], unwatchedFolders: [trip] });
  });

  it('a folder no longer watched keeps its subfolders under it, and watching it again takes it off the list', async () => {
    await ok('library.stopWatching', { path: family });
    expect(await tops()).toEqual([['Family', 3], ['Trip', 2]]);
    expect(await ok('library.info')).toMatchObject({ folders: [], unwatchedFolders: [family, trip] });
    const folders = await ok('photos.folders');
    expect(folders.filter((f) => f.depth > 0).map((f) => f.path)).toEqual(['2015', '2016', join('2016', 'Summer'), 'Day 1', 'Day 2']);

    const job = await api!.jobs.settled((await ok('import.start', { paths: [family] })).jobId);
    expect(job.state).toBe('done');
    expect(await ok('library.info')).toMatchObject({ folders: [family], unwatchedFolders: [trip] });
  });

  it('a folder removed is forgotten, and so is one imported once inside it', async () => {
    const job = await api!.jobs.settled((await ok('library.removeFolder', { path: trip })).jobId);
    expect(job.state).toBe('done');
    expect(await tops()).toEqual([['Family', 3]]);
    expect(await ok('library.info')).toMatchObject({ folders: [family], unwatchedFolders: [] });
  });

  it('a folder inside a watched one is imported as part of it, not listed on its own, and the import says what it read', async () => {
    const year = join(family, '2016');
    const started = await ok('import.start', { paths: [year] });
    // The folders it reads, for the Import screen to list as importing while it runs.
    expect(started.folders).toEqual([year]);
    const job = await api!.jobs.settled(started.jobId);
    expect(job.state).toBe('done');
    expect(job.result).toMatchObject({ paths: [year], watchedNow: [] });
    expect(await ok('library.info')).toMatchObject({ folders: [family], unwatchedFolders: [] });
  });
});

describe('FolderTree with unwatched folders', () => {
  const photos = [
    { id: 'a', paths: ['/home/me/Family/2015/a.jpg'] },
    { id: 'b', paths: ['/home/me/Family/2016/Summer/b.jpg'] },
    { id: 'c', paths: ['/media/card/DCIM/c.jpg'] },
  ];

  it('puts the photos of an unwatched folder under it, and leaves out one that holds no photo any more', () => {
    const tree = new FolderTree(photos, [], undefined, ['/home/me/Family', '/home/me/Gone']);
    expect(tree.folders.map((f) => [f.depth, f.name, f.total])).toEqual([
      [0, 'DCIM', 1],
      [0, 'Family', 2],
      [1, '2015', 1],
      [1, '2016', 1],
      [2, 'Summer', 1],
    ]);
    expect(tree.topFoldersBesides([])).toEqual(['/media/card/DCIM', '/home/me/Family']);
  });

  it('keeps a watched folder inside an unwatched one as its subfolder', () => {
    const tree = new FolderTree(photos, ['/home/me/Family/2016'], undefined, ['/home/me/Family']);
    expect(tree.folders.filter((f) => f.depth === 0).map((f) => f.name)).toEqual(['DCIM', 'Family']);
    expect(tree.topFoldersBesides(['/home/me/Family/2016'])).toEqual(['/media/card/DCIM', '/home/me/Family']);
  });
});

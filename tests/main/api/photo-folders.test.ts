// The Photos screen's folder view over the real engine: a real import of nested folders of ../shared/faces (a copy of
// one photo in two folders, a folder linked in from outside the album, names with odd characters) gives the folders as
// the user made them, with their counts, from the paths the library stores; photos.list and photos.timeline filter by
// folder, with or without its subfolders, and with the people filter. QA: a copied album all landed in one month
// and the folders "2018", "Trip to Rome" were nowhere.
import { mkdir, mkdtemp, rm, symlink, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../main/api/index.js';
import { FolderTree } from '../../../main/api/folders.js';
import { pathRules } from '../../../main/paths.js';
import { calls, type CallName, type PhotoFolder } from '../../../preload/contract.js';
import { makeAlbum } from '../library/helpers.js';

let api: Api;
let work: string;
let album: string;

async function ok<K extends CallName>(name: K, args?: unknown) {
  const answer = await api.dispatcher.call(name, args);
  if (answer.error !== undefined) throw new Error(`${name} failed: ${answer.error}`);
  return calls[name].result.parse(answer.result) as ReturnType<(typeof calls)[K]['result']['parse']>;
}

const ODD = 'Día 2 – ☀️ "beach" & <sea>';
const lfw = (person: string, n: number) => `lfw_subset/${person}/${person}_000${n}.jpg`;

/** The folders by their path from the album ('' for a top folder, then its name), with their counts. */
const byPath = (folders: PhotoFolder[]) => new Map(folders.map((f) => [f.path === '' ? f.name : f.path, f]));
/** The ids of the photos photos.list gives for a filter, and its total. */
async function listed(filter: Record<string, unknown>) {
  const page = await ok('photos.list', { ...filter, limit: 100 });
  return { total: page.total, ids: page.photos.map((p) => p.id) };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-folders-'));
  album = await makeAlbum(join(work, 'album'), {
    '2018/gul-1.jpg': lfw('Abdullah_Gul', 1),
    '2018/gul-2.jpg': lfw('Abdullah_Gul', 2),
    '2018/Party/toledo-1.jpg': lfw('Alejandro_Toledo', 1),
    '2018/Party/gul-3.jpg': lfw('Abdullah_Gul', 3),
    'Trip to Rome/brody-1.jpg': lfw('Adrien_Brody', 1),
    [`Trip to Rome/${ODD}/brody-2.jpg`]: lfw('Adrien_Brody', 2),
    // The same photo copied into another folder: one photo, in both.
    'copies/gul-2 copy.jpg': lfw('Abdullah_Gul', 2),
  });
  // A folder kept elsewhere and linked into the album: its photos are where the album shows them.
  const elsewhere = await makeAlbum(join(work, 'elsewhere'), { 'toledo-2.jpg': lfw('Alejandro_Toledo', 2) });
  await symlink(elsewhere, join(album, 'Linked'));
  // An empty folder on disk: no photo is in it, so it is in no tree.
  await mkdir(join(album, '2019'));
  const loose = await makeAlbum(join(work, 'loose'), { 'brody-3.jpg': lfw('Adrien_Brody', 3) });

  api = await createApi({ libraryDir: join(work, 'library'), mode: 'browser', log: () => {} });
  for (const folder of [album, loose]) expect((await api.jobs.settled((await ok('import.start', { paths: [folder] })).jobId)).state).toBe('done');
  // No longer watched: its photo stays in the library, and in the tree.
  await ok('library.stopWatching', { path: loose });
}, 300_000);

afterAll(async () => {
  await api?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('photos.folders', () => {
  it('gives the folders the photos are in, each before its subfolders, with its photos and its subfolders\'', async () => {
    const folders = await ok('photos.folders');
    expect(folders.map((f) => [f.depth, f.name, f.photos, f.total])).toEqual([
      [0, 'album', 0, 7],
      [1, '2018', 2, 4],
      [2, 'Party', 2, 2],
      [1, 'copies', 1, 1],
      [1, 'Linked', 1, 1],
      [1, 'Trip to Rome', 1, 2],
      [2, ODD, 1, 1],
      [0, 'loose', 1, 1],
    ]);
    const at = byPath(folders);
    expect(at.get('album')).toMatchObject({ location: album, parentId: null, subfolders: 4 });
    expect(at.get(join('Trip to Rome', ODD))).toMatchObject({ name: ODD, location: null, parentId: at.get('Trip to Rome')!.id });
    expect(at.get('2018/Party')!.parentId).toBe(at.get('2018')!.id);
    // Paths under a top folder are relative: the only place on disk said is the folder the user imported.
    for (const folder of folders.filter((f) => f.depth > 0)) expect(folder.path.startsWith(work)).toBe(false);
  });

  it('counts a photo copied into two folders in each, and once in the folder holding both', async () => {
    const at = byPath(await ok('photos.folders'));
    const [in2018, inCopies] = await Promise.all([listed({ folderId: at.get('2018')!.id, subfolders: false }), listed({ folderId: at.get('copies')!.id })]);
    expect(in2018.ids).toContain(inCopies.ids[0]);
    // 8 files in the album, 7 photos: its total counts the copy once.
    expect((await listed({ folderId: at.get('album')!.id })).total).toBe(7);
    expect(at.get('album')!.total).toBe(7);
  });

  it('lists a folder\'s photos with its subfolders\' or without, in the order and months of the date view', async () => {
    const at = byPath(await ok('photos.folders'));
    const everything = await listed({});
    for (const folder of at.values()) {
      const [deep, flat] = [await listed({ folderId: folder.id }), await listed({ folderId: folder.id, subfolders: false })];
      expect([deep.total, flat.total], folder.name).toEqual([folder.total, folder.photos]);
      // The date view's order, cut down to the folder's photos.
      expect(deep.ids).toEqual(everything.ids.filter((id) => deep.ids.includes(id)));
      const months = await ok('photos.timeline', { folderId: folder.id, subfolders: false });
      expect(months.reduce((sum, m) => sum + m.count, 0)).toBe(folder.photos);
    }
  });

  it('combines with the people filter', async () => {
    const at = byPath(await ok('photos.folders'));
    // Abdullah Gul's group: whoever is in the photos directly in 2018 (his).
    const first2018 = (await listed({ folderId: at.get('2018')!.id, subfolders: false })).ids[0];
    const gul = { id: (await ok('photos.get', { photoId: first2018 })).faces[0].personId! };
    const withGul = await listed({ personIds: [gul.id] });
    const in2018 = await listed({ personIds: [gul.id], folderId: at.get('2018')!.id });
    expect(in2018.total).toBeGreaterThan(0);
    expect(in2018.ids.every((id) => withGul.ids.includes(id))).toBe(true);
    const party = await listed({ personIds: [gul.id], folderId: at.get('2018/Party')!.id });
    const partyOnly = await listed({ personIds: [gul.id], folderId: at.get('2018')!.id, subfolders: false });
    expect(party.total + partyOnly.total).toBe(in2018.total);
    expect(await ok('photos.timeline', { personIds: [gul.id], folderId: at.get('Trip to Rome')!.id })).toEqual([]);
  });

  it('counts in each folder the photos the people filter shows, every folder still listed', async () => {
    // QA: with a person in the filter, the tree still counted every photo.
    const everyone = await ok('photos.folders');
    const at = byPath(everyone);
    const first2018 = (await listed({ folderId: at.get('2018')!.id, subfolders: false })).ids[0];
    const gul = (await ok('photos.get', { photoId: first2018 })).faces[0].personId!;
    for (const filter of [{ personIds: [gul] }, { personIds: [gul], only: true }]) {
      const counted = await ok('photos.folders', filter);
      expect(counted.map((f) => f.id)).toEqual(everyone.map((f) => f.id));
      // Each count is what the grid shows for the folder under the filter, with its subfolders and without.
      for (const folder of counted) {
        expect(folder.total, folder.path || folder.name).toBe((await listed({ ...filter, folderId: folder.id })).total);
        expect(folder.photos, folder.path || folder.name).toBe((await listed({ ...filter, folderId: folder.id, subfolders: false })).total);
      }
      // Fewer than every photo, and none in Trip to Rome (Adrien Brody's).
      expect(byPath(counted).get('album')!.total).toBeLessThan(at.get('album')!.total);
      expect(byPath(counted).get('Trip to Rome')!.total).toBe(0);
    }
    expect(await ok('photos.folders', {})).toEqual(everyone);
  });

  it('keeps a folder\'s id from one revision to the next, and refuses an id no folder has', async () => {
    const before = await ok('photos.folders');
    const groups = await ok('people.list', { includeHidden: true });
    await ok('people.rename', { personId: groups[0].id, name: 'Someone' });
    expect((await ok('photos.folders')).map((f) => f.id)).toEqual(before.map((f) => f.id));
    expect((await api.dispatcher.call('photos.list', { folderId: 'f'.repeat(16) })).code).toBe('not-found');
    expect((await api.dispatcher.call('photos.timeline', { folderId: '../etc' })).code).toBe('invalid-argument');
  });

  it('is what the library stores, not what the disk holds now', async () => {
    const before = await ok('photos.folders');
    // A photo deleted outside Familiar stays in its folder (missing, with its names) until the user forgets it.
    await unlink(join(album, 'Trip to Rome', ODD, 'brody-2.jpg'));
    await mkdir(join(album, 'New, empty'));
    expect(await ok('photos.folders')).toEqual(before);
  });
});

describe('FolderTree', () => {
  it('takes two spellings of a Windows folder for one, and puts photos outside the imported folders under their own', () => {
    const photos = [
      { id: 'a', paths: ['C:\\Photos\\2018\\a.jpg'] },
      { id: 'b', paths: ['c:\\photos\\2018\\b.jpg'] },
      { id: 'c', paths: ['C:\\Photos\\2018\\Summer\\c.jpg', 'D:\\Backup\\c.jpg'] },
      { id: 'd', paths: ['D:\\Backup\\Old\\d.jpg'] },
    ];
    const tree = new FolderTree(photos, ['C:\\Photos'], pathRules('win32'));
    // Top folders by name, as their subfolders are.
    expect(tree.folders.map((f) => [f.depth, f.name, f.path, f.photos, f.total])).toEqual([
      [0, 'Backup', '', 1, 2],
      [1, 'Old', 'Old', 1, 1],
      [0, 'Photos', '', 0, 3],
      [1, '2018', '2018', 2, 3],
      [2, 'Summer', '2018\\Summer', 1, 1],
    ]);
    const [backup, , , year, summer] = tree.folders;
    const photosIn = (folder: PhotoFolder, subfolders: boolean) => photos.filter((_, i) => tree.holds(folder.id, subfolders)(i)).map((p) => p.id);
    expect(photosIn(year, false)).toEqual(['a', 'b']);
    expect(photosIn(year, true)).toEqual(['a', 'b', 'c']);
    expect(photosIn(summer, true)).toEqual(['c']);
    expect(photosIn(backup, false)).toEqual(['c']);
  });

  it('sorts folders as a file manager does, numbers by their value', () => {
    const photos = ['10', '9', 'b', 'A', 'Ä'].map((name, i) => ({ id: String(i), paths: [`/p/${name}/x.jpg`] }));
    expect(new FolderTree(photos, ['/p']).folders.slice(1).map((f) => f.name)).toEqual(['9', '10', 'A', 'Ä', 'b']);
  });
});

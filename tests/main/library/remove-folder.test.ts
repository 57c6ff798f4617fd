// Taking a folder out of the library, on real photos: the wrong folder imported ("downloads", a stranger's photos and
// a copy of one family photo) goes with its faces and the names on them; the family photo with a copy elsewhere
// stays; a folder whose name only starts the same stays; the files on disk are untouched; the library reopens clean.
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { FolderRemovalError, planFolderRemoval, planMissingRemoval, removeFolder, WATCHED_FOLDERS_KEY, watchedFolders, watchedFoldersWith, watchingParentOf } from '../../../main/library/remove-folder.js';
import { pathRules } from '../../../main/paths.js';
import { missingPathChanges, type FileLooks } from '../../../main/library/import.js';
import { listPeople, nameFaces, undoLast } from '../../../main/people/index.js';
import { Library, THUMB_DIR } from '../../../main/store/library.js';
import type { Settings } from '../../../main/store/types.js';
import { lfwPhoto, subjectAt } from './helpers.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';


describe('removing a folder from the library', () => {
  let work: string;
  // The run's answers (tests/helpers/analysis-cache.ts): removal is the subject, not the analysis.
  let pool: CachedAnalysis;
  let engine: Engine;
  let family: string;
  let downloads: string;
  let downloadsOld: string;
  let dir: string;
  let tonyLeft: number;
  const subjectOf = (path: string) => subjectAt(engine.library, path);
  const facesIn = (folder: string) => engine.library.faces.filter((f) => engine.library.photo(f.photoId)!.paths.some((p) => p.startsWith(folder + '/')));

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'familiar-remove-'));
    family = join(work, 'family');
    downloads = join(work, 'downloads');
    downloadsOld = join(work, 'downloads-old');
    for (const folder of [family, downloads, join(downloads, 'more'), downloadsOld]) await mkdir(folder, { recursive: true });
    for (const n of [1, 2, 3]) {
      await copyFile(lfwPhoto('Colin_Powell', n), join(family, `powell_${n}.jpg`));
      await copyFile(lfwPhoto('Serena_Williams', n), join(family, `serena_${n}.jpg`));
      await copyFile(lfwPhoto('Tony_Blair', n), join(downloads, `blair_${n}.jpg`));
    }
    await copyFile(lfwPhoto('Tony_Blair', 4), join(downloads, 'more', 'blair_4.jpg'));
    await copyFile(lfwPhoto('Colin_Powell', 1), join(downloads, 'powell copy.jpg')); // the same photo as family/powell_1.jpg
    await writeFile(join(downloads, 'broken.jpg'), 'not a photo');
    await copyFile(lfwPhoto('Tony_Blair', 5), join(downloadsOld, 'blair_5.jpg'));
    pool = new CachedAnalysis(1);
    dir = join(work, 'library');
    engine = await Engine.open(dir, { analyzer: pool });
    await engine.import([family, downloads, downloadsOld]);
    // Imported through the app: the folders are watched.
    await engine.library.transaction((tx) => {
      tx.settings[WATCHED_FOLDERS_KEY] = [family, downloads, downloadsOld];
    });
  }, 300_000);

  afterAll(async () => {
    await engine?.close();
    await pool?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('says what would go, changing nothing', async () => {
    const goingFaces = facesIn(downloads).filter((f) => !engine.library.photo(f.photoId)!.paths.some((p) => p.startsWith(family)));
    expect(goingFaces.length).toBeGreaterThanOrEqual(4);
    await nameFaces(engine.library, [subjectOf(join(downloads, 'blair_1.jpg')).id, subjectOf(join(downloads, 'blair_2.jpg')).id], 'Tony');
    await nameFaces(engine.library, [subjectOf(join(family, 'powell_2.jpg')).id], 'Colin');
    const before = { photos: engine.library.photos.length, faces: engine.library.faces.length };

    const plan = await engine.folderRemovalPlan(downloads + '/');
    expect(plan).toMatchObject({ folder: downloads, photos: 4, photosKeptElsewhere: 1, faces: goingFaces.length, decidedFaces: 2, watched: true });
    expect(plan.namedPeople).toEqual([{ personId: expect.any(String), name: 'Tony', faces: expect.any(Number), facesLeft: expect.any(Number) }]);
    // Tony's fifth photo is in downloads-old, which only shares the name's start.
    const tony = listPeople(engine.library).find((p) => p.name === 'Tony')!;
    expect(plan.namedPeople[0].faces + plan.namedPeople[0].facesLeft).toBe(tony.faceCount);
    tonyLeft = plan.namedPeople[0].facesLeft;
    expect({ photos: engine.library.photos.length, faces: engine.library.faces.length }).toEqual(before);
  });

  it('refuses a folder with nothing in the library, and one inside a watched folder, with the reason', async () => {
    await expect(engine.folderRemovalPlan(join(work, 'elsewhere'))).rejects.toThrow(FolderRemovalError);
    await expect(engine.folderRemovalPlan(join(work, 'elsewhere'))).rejects.toThrow(/no photo in .*elsewhere/);
    await expect(engine.folderRemovalPlan(join(downloads, 'more'))).rejects.toThrow(/inside .*downloads, which Familiar watches/);
    expect(() => engine.checkFolderRemoval(join(downloads, 'more'))).toThrow(/inside .*downloads, which Familiar watches/);
  });

  it('changes nothing when the library cannot be written, and says so', async () => {
    const state = () => ({
      photos: engine.library.photos.map((p) => `${p.id}:${p.paths.join('|')}`),
      faces: engine.library.faces.map((f) => `${f.id}:${f.personId}`),
      people: engine.library.people.people.map((p) => p.id),
      watched: engine.library.settings[WATCHED_FOLDERS_KEY],
    });
    const before = state();
    // The photos document cannot be replaced, nor its journal added to: its backup slot is taken by a folder, and its
    // journal, once a new order (no journal line) merged it into photos.json, is a link into nowhere.
    await engine.library.transaction((tx) => void tx.photos.reverse());
    await engine.library.transaction((tx) => void tx.photos.reverse());
    const backup = join(dir, 'backups', 'photos.json');
    const journal = join(dir, 'photos.journal');
    await rm(backup, { force: true });
    await mkdir(join(backup, 'blocker'), { recursive: true });
    await symlink(join(dir, 'no-such-folder', 'photos.journal'), journal);
    await expect(engine.removeFolder(downloads)).rejects.toThrow(/Could not write to the library at .*; nothing was removed/);
    expect(state()).toEqual(before);
    for (const f of facesIn(downloads)) expect((await stat(join(dir, f.thumb))).isFile()).toBe(true);
    await rm(backup, { recursive: true });
    await rm(journal);
  });

  it('removes the folder: its photos, faces, names on them and thumbnails go; a photo with a copy elsewhere stays', async () => {
    const gone = facesIn(downloads).filter((f) => !engine.library.photo(f.photoId)!.paths.some((p) => p.startsWith(family)));
    const goneIds = new Set(gone.map((f) => f.id));
    const powellCopy = engine.library.photos.find((p) => p.paths.some((path) => path.endsWith('powell copy.jpg')))!;
    const progress: string[] = [];
    const summary = await engine.removeFolder(downloads, { onProgress: (p) => progress.push(`${p.job}:${p.stage}`) });
    expect(summary).toMatchObject({ photos: 4, photosKeptElsewhere: 1, faces: gone.length, decidedFaces: 2 });
    expect(progress).toContain('remove-photos:remove');

    const library = engine.library;
    expect(library.photos.some((p) => p.paths.some((path) => path.startsWith(downloads + '/')))).toBe(false);
    expect(library.faces.some((f) => goneIds.has(f.id))).toBe(false);
    // The family photo keeps its faces and its other copy; the files on disk are all still there.
    expect(library.photo(powellCopy.id)!.paths).toEqual([join(family, 'powell_1.jpg')]);
    expect(library.facesOfPhoto(powellCopy.id).length).toBeGreaterThan(0);
    expect((await readdir(downloads)).sort()).toEqual(['blair_1.jpg', 'blair_2.jpg', 'blair_3.jpg', 'broken.jpg', 'more', 'powell copy.jpg']);
    // The sibling folder whose name starts the same keeps its photo.
    expect(facesIn(downloadsOld)).toHaveLength(1);
    // Thumbnails of the faces that went are deleted; the others stay.
    const thumbs = new Set(await readdir(join(dir, THUMB_DIR)));
    for (const f of gone) expect(thumbs.has(`${f.id}.webp`)).toBe(false);
    for (const f of library.faces) expect(thumbs.has(`${f.id}.webp`)).toBe(true);
    // No search finds a face that went.
    const everything = library.search(new Float32Array(library.embeddingOf(library.faces[0])), library.faces.length + 5);
    expect(everything.map((h) => h.faceId).sort()).toEqual(library.faces.map((f) => f.id).sort());
    // The named person stays with what is left; Colin keeps his name and face; the folder is no longer watched.
    const people = listPeople(library, { includeEmpty: true });
    expect(people.find((p) => p.name === 'Tony')?.faceCount).toBe(tonyLeft);
    expect(people.find((p) => p.name === 'Colin')?.faceCount).toBeGreaterThanOrEqual(1);
    expect(library.settings[WATCHED_FOLDERS_KEY]).toEqual([family, downloadsOld]);
    await expect(planFolderRemoval(library, downloads)).rejects.toThrow(/nothing to remove/);
    // Undo cannot take the removal back, and does not reach past it to the name given before it: it says so.
    const undone = await undoLast(library);
    expect(undone).toMatchObject({ undone: null, message: expect.stringMatching(/^Nothing undone: your latest change, "Removed 4 photos from the library \(.*\)", cannot be undone, and undo does not reach past it\. Importing the folder again brings the photos back, with what you said of 2 faces/) });
    expect(listPeople(library, { includeEmpty: true }).find((p) => p.name === 'Colin')?.faceCount).toBeGreaterThanOrEqual(1);
    expect(listPeople(library, { includeEmpty: true }).find((p) => p.name === 'Tony')?.faceCount).toBe(tonyLeft);
  });

  it('forgets the photos missing from disk on request, and only those', async () => {
    await expect(engine.missingRemovalPlan()).rejects.toThrow(/Every photo of the library is on disk/);
    await rm(join(family, 'serena_3.jpg'));
    await engine.import([family]); // finds it gone: kept, marked missing, with its faces
    const gone = engine.library.photos.find((p) => p.paths.some((path) => path.endsWith('serena_3.jpg')))!;
    expect(gone.missing).toBe(true);
    const faces = engine.library.facesOfPhoto(gone.id).length;
    const photos = engine.library.photos.length;
    await expect(engine.missingRemovalPlan()).resolves.toMatchObject({ folder: null, photos: 1, faces, photosKeptElsewhere: 0, watched: false });
    await engine.removeMissing();
    expect(engine.library.photo(gone.id)).toBeUndefined();
    expect(engine.library.photos).toHaveLength(photos - 1);
    expect(engine.library.settings[WATCHED_FOLDERS_KEY]).toEqual([family, downloadsOld]);
    await expect(engine.missingRemovalPlan()).rejects.toThrow(/nothing to forget/);
  });

  it('finds photos deleted since the last import of their folder, without another import', async () => {
    const deleted = engine.library.photos.find((p) => !p.missing && p.paths.length === 1 && p.paths[0].startsWith(family))!;
    await rm(deleted.paths[0]);
    expect(engine.library.photo(deleted.id)!.missing).toBe(false);
    // The CLI's dry run reads the library: it looks at the disk without writing.
    await engine.close();
    const read = await Library.open(dir, { readOnly: true });
    try {
      expect(planMissingRemoval(read, await missingPathChanges(read))).toMatchObject({ folder: null, photos: 1 });
      expect(read.photo(deleted.id)!.missing).toBe(false);
    } finally {
      await read.close();
    }
    // Doctor counts it too, without an import or a write.
    expect((await Engine.doctor(dir)).library.counts?.missingPhotos).toBe(1);
    engine = await Engine.open(dir, { analyzer: pool });
    await expect(engine.missingRemovalPlan()).resolves.toMatchObject({ folder: null, photos: 1 });
    await engine.removeMissing();
    expect(engine.library.photo(deleted.id)).toBeUndefined();
  });

  it('takes no photo for missing in a folder the disk will not let it look into (no permission, a share not answering)', async () => {
    const locked = engine.library.photos.filter((p) => !p.missing && p.paths.every((path) => path.startsWith(family + '/')));
    expect(locked.length).toBeGreaterThan(0);
    const refused = (path: string) => Object.assign(new Error(`EACCES: permission denied, '${path}'`), { code: 'EACCES' });
    const inFamily = (path: string) => path === family || path.startsWith(family + '/');
    const looks: FileLooks = {
      stat: (path) => (inFamily(path) ? Promise.reject(refused(path)) : stat(path)),
      readdir: (folder, options) => (inFamily(folder) ? Promise.reject(refused(folder)) : readdir(folder, options)),
    };
    const changes = await missingPathChanges(engine.library, looks);
    for (const photo of locked) expect(changes.get(photo.id), photo.paths[0]).toBeUndefined();
    expect(planMissingRemoval.bind(null, engine.library, changes)).toThrow(/Every photo of the library is on disk/);
  });

  it('gives the vector rows back when the folder was the last one imported (the usual wrong folder)', async () => {
    const late = join(work, 'late');
    await mkdir(late);
    await copyFile(lfwPhoto('Gerhard_Schroeder', 1), join(late, 'schroeder.jpg'));
    const rows = engine.library.vectorRows;
    await engine.import([late]);
    expect(engine.library.vectorRows).toBeGreaterThan(rows);
    await engine.removeFolder(late);
    expect(engine.library.vectorRows).toBe(rows);
    expect((await stat(join(dir, 'vectors', 'embedding.f32'))).size).toBe(rows * 128 * 4);
  });

  it('a folder of copies only goes without a photo, and undo stops there, saying so, without taking back the name before', async () => {
    const copies = join(work, 'backup');
    await mkdir(copies, { recursive: true });
    await copyFile(join(family, 'serena_2.jpg'), join(copies, 'serena_2.jpg'));
    await engine.import([copies]);
    await nameFaces(engine.library, [subjectOf(join(family, 'serena_2.jpg')).id], 'Serena');
    const photos = engine.library.photos.length;
    await engine.removeFolder(copies);
    expect(engine.library.photos.length).toBe(photos);
    const undone = await undoLast(engine.library);
    expect(undone.undone).toBeNull();
    expect(undone.message).toMatch(
      /^Nothing undone: your latest change, "Took .*backup out of the library; its photos stay, from their copies elsewhere", cannot be undone, and undo does not reach past it\. Import the folder again to add it back\.$/,
    );
    expect(listPeople(engine.library).some((p) => p.name === 'Serena')).toBe(true);
  });

  it('takes a folder given in another spelling for the one imported where the platform does (macOS, Windows), never on Linux', async () => {
    const zoe = join(work, 'Zo\u00eb'); // as typed: NFC
    await mkdir(join(zoe, 'sub'), { recursive: true });
    await copyFile(lfwPhoto('Gerhard_Schroeder', 2), join(zoe, 'schroeder.jpg'));
    await engine.import([zoe]);
    await engine.library.transaction((tx) => {
      tx.settings[WATCHED_FOLDERS_KEY] = [...watchedFolders(tx.settings), zoe];
    });
    // As a Mac may hand it back: NFD, and here in lower case.
    const other = join(work, 'zoe\u0308');
    await expect(planFolderRemoval(engine.library, other, 'linux')).rejects.toThrow(/nothing to remove/);
    expect(await planFolderRemoval(engine.library, other, 'darwin')).toMatchObject({ folder: zoe, photos: 1, watched: true });
    await expect(planFolderRemoval(engine.library, join(work, 'ZOE\u0308', 'sub'), 'darwin')).rejects.toThrow(/inside .*, which Familiar watches/);
    await expect(planFolderRemoval(engine.library, join(work, 'FAMIL'), 'darwin')).rejects.toThrow(/nothing to remove/);
    const summary = await removeFolder(engine.library, other, { platform: 'darwin' });
    expect(summary).toMatchObject({ folder: zoe, photos: 1, watched: true });
    expect(engine.library.photos.some((p) => p.paths.some((path) => path.startsWith(zoe)))).toBe(false);
    expect(engine.library.settings[WATCHED_FOLDERS_KEY]).toEqual([family, downloadsOld]);
  });

  it('leaves a library that reopens with nothing to repair', async () => {
    const faces = engine.library.faces.length;
    await engine.close();
    const reopened = await Library.open(dir, { readOnly: true });
    try {
      expect(reopened.repairs).toEqual([]);
      expect(reopened.faces).toHaveLength(faces);
      const size = (await stat(join(dir, 'vectors', 'backbone.f32'))).size;
      expect(size / (128 * 4)).toBeLessThanOrEqual(reopened.vectorRows);
    } finally {
      await reopened.close();
    }
    engine = await Engine.open(dir, { analyzer: pool });
  });
});

describe('the watched folders', () => {
  const settings = (folders: unknown) => ({ [WATCHED_FOLDERS_KEY]: folders }) as unknown as Settings;
  const [windows, mac, linux] = [pathRules('win32'), pathRules('darwin'), pathRules('linux')];
  const [nfc, nfd] = ['/Zo\u00eb', '/Zoe\u0308'];

  it('list a folder once where the platform takes two spellings for one, the first stored', () => {
    expect(watchedFolders(settings(['C:\\Photos', 'c:\\photos', 'D:\\Phone']), windows)).toEqual(['C:\\Photos', 'D:\\Phone']);
    expect(watchedFolders(settings(['C:\\Photos', 'c:\\photos']), linux)).toEqual(['C:\\Photos', 'c:\\photos']);
    expect(watchedFolders(settings([nfc, nfd]), mac)).toEqual([nfc]);
  });

  it('take a folder imported again in another spelling as the one watched, spelt now as on disk', () => {
    expect(watchedFoldersWith(settings(['c:\\photos']), ['C:\\Photos'], windows)).toEqual(['C:\\Photos']);
    expect(watchedFoldersWith(settings(['C:\\Photos', 'c:\\photos']), ['C:\\Photos'], windows)).toEqual(['C:\\Photos']);
    expect(watchedFoldersWith(settings(['C:\\Photos']), ['C:\\Photos'], windows)).toBeNull();
    expect(watchedFoldersWith(settings(['C:\\Photos']), ['D:\\Phone', 'd:\\phone'], windows)).toEqual(['C:\\Photos', 'D:\\Phone']);
    expect(watchedFoldersWith(settings([nfc]), [nfd], mac)).toEqual([nfd]);
    // On Linux the two spellings are two folders, both watched.
    expect(watchedFoldersWith(settings([nfc]), [nfd], linux)).toEqual([nfc, nfd]);
    expect(watchedFoldersWith(settings(undefined), [], linux)).toBeNull();
  });

  it('take a folder inside a watched one as part of it, not as one more to list (its Remove… could only be refused)', () => {
    expect(watchedFoldersWith(settings(['/album']), ['/album/Family'], linux)).toBeNull();
    expect(watchedFoldersWith(settings(['C:\\Album']), ['c:\\album\\Family'], windows)).toBeNull();
    // /album2 is no folder inside /album.
    expect(watchedFoldersWith(settings(['/album']), ['/album2'], linux)).toEqual(['/album', '/album2']);
    // A new folder holding watched ones takes their place: they are part of it now.
    expect(watchedFoldersWith(settings(['/album/Family', '/phone', '/album/Trips']), ['/album'], linux)).toEqual(['/phone', '/album']);
    expect(watchedFoldersWith(settings([]), ['/album/Family', '/album'], linux)).toEqual(['/album']);
    // A library that stored both (an earlier version) lists the outer one only.
    expect(watchedFolders(settings(['/album', '/album/Family', '/phone']), linux)).toEqual(['/album', '/phone']);
    expect(watchingParentOf(settings(['/album']), '/album/Family/2024', linux)).toBe('/album');
    expect(watchingParentOf(settings(['/album']), '/album', linux)).toBeNull();
  });
});

import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookingForWords, NAME_NOT_UTF8, scanFolders } from '../../../main/library/scan.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-scan-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('scanFolders', () => {
  it('finds image-named files recursively, skipping hidden folders and other files', async () => {
    await mkdir(join(dir, 'a', 'b'), { recursive: true });
    await mkdir(join(dir, '.thumbnails'));
    for (const f of ['one.JPG', 'a/two.png', 'a/b/three.webp', 'a/b/four.tif', '.thumbnails/hidden.jpg', 'a/notes.txt', 'a/.hidden.jpg']) {
      await writeFile(join(dir, f), 'x');
    }
    const { files, skipped } = await scanFolders([dir]);
    expect(files.map((f) => f.path.slice(dir.length + 1)).sort()).toEqual(['a/b/four.tif', 'a/b/three.webp', 'a/two.png', 'one.JPG']);
    expect(skipped).toEqual([]);
  });

  it('says a file or folder whose name is not UTF-8 cannot be opened by it, not that it vanished', async () => {
    // QA: an old archive's "Vacances été 2003" in Latin-1; Node reads the bad bytes as U+FFFD, which names no file.
    const latin1 = (name: string) => Buffer.from(name, 'latin1');
    const folder = Buffer.concat([Buffer.from(`${dir}/`), latin1('Vacances été 2003')]);
    await mkdir(folder);
    await writeFile(Buffer.concat([folder, Buffer.from('/one.jpg')]), 'x');
    await writeFile(Buffer.concat([Buffer.from(`${dir}/`), latin1('inv\xffalid.jpg')]), 'x');
    await writeFile(join(dir, 'fine.jpg'), 'x');
    const { files, skipped } = await scanFolders([dir]);
    expect(files.map((f) => f.path.slice(dir.length + 1))).toEqual(['fine.jpg']);
    expect(skipped.map((s) => [s.path.slice(dir.length + 1), s.reason]).sort()).toEqual([
      ['Vacances \uFFFDt\uFFFD 2003', `folder skipped: ${NAME_NOT_UTF8}`],
      ['inv\uFFFDalid.jpg', `cannot read it: ${NAME_NOT_UTF8}`],
    ]);
  });

  it("takes an iPhone's HEIC photos (heic.ts) and camera RAW files (camera-raw.ts) as photos, a RAW beside its whole JPEG twin not", async () => {
    await mkdir(join(dir, 'sub'));
    for (const f of ['IMG_0001.HEIC', 'IMG_0002.heif', 'DSC_0003.NEF', 'DSC_0004.NEF', 'sub/DSC_0004.ARW', 'DSC_0005.CR2', 'DSC_0006.CR2', 'DSC_0006.JPG']) {
      await writeFile(join(dir, f), 'x');
    }
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#888' } }).jpeg().toBuffer();
    await writeFile(join(dir, 'dsc_0004.jpg'), jpeg);
    // A card copy stopped part way: the RAW whole, its JPEG twin without its end.
    await writeFile(join(dir, 'DSC_0005.JPG'), jpeg.subarray(0, jpeg.length - 40));
    const { files, skipped } = await scanFolders([dir]);
    // DSC_0004.NEF is the shot dsc_0004.jpg shows; the one in sub/ has no twin in its own folder; DSC_0005's and
    // DSC_0006's JPEGs are cut short or no JPEG at all, so their RAWs are read.
    expect(files.map((f) => f.path.slice(dir.length + 1)).sort()).toEqual(
      ['DSC_0003.NEF', 'DSC_0005.CR2', 'DSC_0005.JPG', 'DSC_0006.CR2', 'DSC_0006.JPG', 'IMG_0001.HEIC', 'IMG_0002.heif', 'dsc_0004.jpg', 'sub/DSC_0004.ARW'].sort(),
    );
    expect(skipped).toEqual([]);
  });

  it("passes by every RAW of a camera's folder of RAW+JPEG pairs, looking at a few JPEGs at a time (not all open at once)", async () => {
    // 600 pairs, and a process that may hold 256 files open: opened all at once, most JPEGs could not be looked at,
    // and their RAWs were taken too (the same faces twice).
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#888' } }).jpeg().toBuffer();
    for (let i = 0; i < 600; i++) {
      await writeFile(join(dir, `IMG_${i}.JPG`), jpeg);
      await writeFile(join(dir, `IMG_${i}.CR2`), 'x');
    }
    const scanModule = join(import.meta.dirname, '../../../main/library/scan.ts');
    const code = `import { scanFolders } from ${JSON.stringify(scanModule)};
      const { files } = await scanFolders([${JSON.stringify(dir)}]);
      console.log(JSON.stringify({ jpegs: files.filter((f) => f.path.endsWith('.JPG')).length, raws: files.filter((f) => f.path.endsWith('.CR2')).length }));`;
    const output = execFileSync('bash', ['-c', 'ulimit -n 256 && exec "$0" "$@"', process.execPath, '--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({ jpegs: 600, raws: 0 });
  });

  it('calls a link to nothing a broken link, not a file that vanished', async () => {
    await symlink(join(dir, 'deleted.jpg'), join(dir, 'dangling.jpg'));
    const { skipped } = await scanFolders([dir]);
    expect(skipped).toEqual([{ path: join(dir, 'dangling.jpg'), reason: 'broken symbolic link: what it points to does not exist' }]);
  });

  it('counts the photo files it skips among those found, so found is imported plus skipped (QA: 156 found, 153 + 4)', async () => {
    await mkdir(join(dir, 'sub'));
    for (const f of ['a.jpg', 'sub/b.png', 'notes.txt']) await writeFile(join(dir, f), 'x');
    await symlink(join(dir, 'deleted.jpg'), join(dir, 'dangling.jpg'));
    await symlink(join(dir, 'a.jpg'), join(dir, 'sub', 'same-as-a.jpg')); // the same file again: found once
    const reports: number[] = [];
    const { files, skipped } = await scanFolders([dir], { onProgress: (_folders, found) => reports.push(found) });
    expect(files).toHaveLength(2);
    expect(skipped).toHaveLength(1);
    expect(reports.at(-1)).toBe(3);
  });

  it('ends symlink loops and reports a self-referencing link', async () => {
    await mkdir(join(dir, 'photos'));
    await writeFile(join(dir, 'photos', 'p.jpg'), 'x');
    await symlink(dir, join(dir, 'photos', 'loop')); // photos/loop -> the album root: a cycle
    await symlink(join(dir, 'self.jpg'), join(dir, 'self.jpg')); // ELOOP
    const { files, skipped } = await scanFolders([dir]);
    expect(files.map((f) => f.path)).toEqual([join(dir, 'photos', 'p.jpg')]);
    expect(skipped).toEqual([{ path: join(dir, 'self.jpg'), reason: expect.stringMatching(/too many levels of symbolic links/) }]);
  });

  it("never enters the library's folders, nor anything inside them, however reached (QA: its thumbnails imported)", async () => {
    const library = join(dir, 'library');
    await mkdir(join(library, 'thumbs'), { recursive: true });
    await writeFile(join(library, 'thumbs', 'face-0.webp'), 'x');
    await mkdir(join(dir, 'album'));
    await writeFile(join(dir, 'album', 'p.jpg'), 'x');
    await symlink(join(library, 'thumbs'), join(dir, 'album', 'faces-link')); // a link to a folder inside the library
    await symlink(join(library, 'thumbs', 'face-0.webp'), join(dir, 'album', 'face.webp')); // and to one of its files
    const given = (roots: string[]) => scanFolders(roots, { excludeFolders: [library] }).then(({ files }) => files.map((f) => f.path));
    expect(await given([join(dir, 'album')])).toEqual([join(dir, 'album', 'p.jpg')]);
    expect(await given([dir])).toEqual([join(dir, 'album', 'p.jpg')]);
    // Given by name, the library's folder or one inside it is said to be skipped, and why.
    for (const folder of [library, join(library, 'thumbs')]) {
      const { files, skipped } = await scanFolders([folder], { excludeFolders: [library] });
      expect(files).toEqual([]);
      expect(skipped).toEqual([{ path: folder, reason: expect.stringMatching(/inside Familiar's library folder/), folder: true }]);
    }
  });

  it('reports a folder that vanishes mid-scan and goes on', async () => {
    await mkdir(join(dir, 'a'));
    await mkdir(join(dir, 'b'));
    await writeFile(join(dir, 'a', 'gone.jpg'), 'x');
    await writeFile(join(dir, 'b', 'kept.jpg'), 'x');
    const { files, skipped } = await scanFolders([dir], {
      beforeListing: async (folder) => {
        if (folder === join(dir, 'a')) await rm(folder, { recursive: true });
      },
    });
    expect(files.map((f) => f.path)).toEqual([join(dir, 'b', 'kept.jpg')]);
    expect(skipped).toEqual([{ path: join(dir, 'a'), reason: 'folder skipped: it vanished during the scan', folder: true }]);
  });

  it('skips pipes named like images instead of blocking on them', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe.jpg')]);
    const { files, skipped } = await scanFolders([dir]);
    expect(files).toEqual([]);
    expect(skipped[0].reason).toMatch(/not a regular file/);
  });

  /** Writes each file (creating its folders) under `root` and returns what the scan finds there, relative and sorted. */
  async function scanTree(root: string, tree: string[], options: Parameters<typeof scanFolders>[1] = {}, scanRoot = root): Promise<string[]> {
    for (const file of tree) {
      await mkdir(join(root, file, '..'), { recursive: true });
      await writeFile(join(root, file), 'x');
    }
    const { files } = await scanFolders([scanRoot], options);
    return files.map((f) => f.path.slice(root.length + 1).split(sep).join('/')).sort();
  }

  it('passes by the recycle bins and system folders Windows keeps on every drive, whatever their case', async () => {
    const found = await scanTree(dir, [
      '$RECYCLE.BIN/S-1-5-21/$R1.jpg',
      '$Recycle.Bin/x.jpg',
      'RECYCLER/y.jpg',
      'recycler/z.jpg',
      'System Volume Information/a.jpg',
      '.Trashes/501/b.jpg',
      'DCIM/100CANON/IMG_0001.jpg',
      'Recycled photos/c.jpg',
    ]);
    expect(found).toEqual(['DCIM/100CANON/IMG_0001.jpg', 'Recycled photos/c.jpg']);
  });

  it('passes by AppData right under the home folder, and Library there on macOS only', async () => {
    const home = join(dir, 'home');
    const tree = ['AppData/Local/Packages/cache.jpg', 'Library/Caches/thumb.jpg', 'Pictures/beach.jpg', 'Pictures/AppData/kept.jpg', 'Pictures/Library/kept.jpg'];
    expect(await scanTree(home, tree, { homeDir: home, platform: 'win32' })).toEqual([
      'Library/Caches/thumb.jpg',
      'Pictures/AppData/kept.jpg',
      'Pictures/Library/kept.jpg',
      'Pictures/beach.jpg',
    ]);
    expect(await scanTree(home, [], { homeDir: home, platform: 'darwin' })).toEqual(['Pictures/AppData/kept.jpg', 'Pictures/Library/kept.jpg', 'Pictures/beach.jpg']);
    expect(await scanTree(home, [], { homeDir: home, platform: 'linux' })).toContain('Library/Caches/thumb.jpg');
    // The same names elsewhere are the user's folders.
    expect(await scanTree(home, [], { homeDir: join(dir, 'someone-else'), platform: 'darwin' })).toHaveLength(tree.length);
    // Where the home folder is reached through a symlink, it is still the home folder.
    await symlink(home, join(dir, 'home-link'));
    expect(await scanTree(home, [], { homeDir: join(dir, 'home-link'), platform: 'win32' })).not.toContain('AppData/Local/Packages/cache.jpg');
    // An app data folder the user chose to import is imported.
    expect(await scanTree(home, [], { homeDir: home, platform: 'win32' }, join(home, 'AppData'))).toEqual(['AppData/Local/Packages/cache.jpg']);
  });

  it('walks only the originals of an Apple Photos library, whether it is imported or a folder holding it is', async () => {
    const tree = [
      'Photos Library.photoslibrary/originals/0/IMG_0001.jpg',
      'Photos Library.photoslibrary/originals/A/IMG_0002.jpg',
      'Photos Library.photoslibrary/resources/derivatives/0/IMG_0001_1_105_c.jpg',
      'Photos Library.photoslibrary/resources/derivatives/masters/0/IMG_0001_4_5005_c.jpg',
      'Photos Library.photoslibrary/private/com.apple.photoanalysisd/caches/x.jpg',
      'Photos Library.photoslibrary/scopes/cloudsharing/y.jpg',
      'Photos Library.photoslibrary/thumb.jpg',
      'Old.PHOTOSLIBRARY/Masters/2012/05/01/IMG_0100.JPG',
      'Old.PHOTOSLIBRARY/Thumbnails/2012/IMG_0100.jpg',
      'Old.PHOTOSLIBRARY/Previews/2012/IMG_0100.jpg',
      'elsewhere/resources/kept.jpg',
    ];
    const found = await scanTree(dir, tree);
    expect(found).toEqual([
      'Old.PHOTOSLIBRARY/Masters/2012/05/01/IMG_0100.JPG',
      'Photos Library.photoslibrary/originals/0/IMG_0001.jpg',
      'Photos Library.photoslibrary/originals/A/IMG_0002.jpg',
      'elsewhere/resources/kept.jpg',
    ]);
    expect(await scanTree(dir, [], {}, join(dir, 'Photos Library.photoslibrary'))).toEqual([
      'Photos Library.photoslibrary/originals/0/IMG_0001.jpg',
      'Photos Library.photoslibrary/originals/A/IMG_0002.jpg',
    ]);
  });
});

describe('what a scan says it has found', () => {
  it('reads naturally at zero: files given by name list no folder, and a folder may hold nothing yet', () => {
    expect(lookingForWords('photos', 1234, 56)).toBe('Looking for photos: 1,234 found in 56 folders');
    expect(lookingForWords('photos', 11, 1)).toBe('Looking for photos: 11 found in 1 folder');
    // QA: a look again (its files given by name) said "found in 0 folders".
    expect(lookingForWords('photos', 140, 0)).toBe('Looking for photos: 140 files to read');
    expect(lookingForWords('photos', 1, 0)).toBe('Looking for photos: 1 file to read');
    expect(lookingForWords('sidecars', 0, 0, 20)).toBe('Looking for sidecars: 20 folders looked through, none found so far');
    // The folders that hold what was found, not every folder looked through (QA: an album's empty parent counted).
    expect(lookingForWords('photos', 120, 3, 4)).toBe('Looking for photos: 120 found in 3 folders');
    // Files given by name beside empty folders: in no folder listed.
    expect(lookingForWords('photos', 2, 0, 3)).toBe('Looking for photos: 2 files to read');
    expect(lookingForWords('photos', 0, 0)).toBe('Looking for photos: none found');
  });
});

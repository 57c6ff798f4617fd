// Copying photos into a folder (main/library/copy-photos.ts), on real photos: byte for byte with their file dates, two
// photos of one name kept apart, safe to run again, a missing file listed, and a folder that cannot take them refused
// in words. A full disk, an unreadable file and a stop leave no half photo behind.
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CopyPhotosError, copyPhotosTo } from '../../../main/library/copy-photos.js';
import { JobCancelledError, type JobProgress } from '../../../main/jobs/progress.js';
import type { PhotoRecord } from '../../../main/store/types.js';
import { photo as photoRecord } from '../../helpers/store-records.js';
import { lfwPhoto } from './helpers.js';

/** Which copies fail, by source path: a test sets it, beforeEach clears it. */
const faults = vi.hoisted(() => ({ failCopy: null as null | ((source: string) => string | null) }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    async copyFile(source: Parameters<typeof real.copyFile>[0], target: Parameters<typeof real.copyFile>[1], mode?: number) {
      const code = faults.failCopy?.(String(source));
      if (code) {
        // Part of the file written, as a disk that fills part way through leaves it.
        await real.writeFile(String(target), Buffer.alloc(1000));
        throw Object.assign(new Error(`${code}: injected failure, copyfile '${String(source)}'`), { code });
      }
      return real.copyFile(source, target, mode);
    },
  };
});

let work: string;
let album: string;
let library: string;

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let photosMade = 0;

/** A photo the library knows at these paths (the first on disk is copied). */
function known(...paths: string[]): PhotoRecord {
  return { ...photoRecord(++photosMade), paths };
}

/** The album: two people's photos in folders of their own, and one name shared by two different photos. */
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'familiar-copy-photos-'));
  album = join(work, 'album');
  library = join(work, 'library');
  mkdirSync(library);
  for (const [folder, person, n] of [['2019', 'Tony_Blair', 1], ['2019', 'Serena_Williams', 2], ['2020', 'Tony_Blair', 3]] as const) {
    mkdirSync(join(album, folder), { recursive: true });
    cpSync(lfwPhoto(person, n), join(album, folder, `${person}_${n}.jpg`));
  }
  // One camera's IMG_0001.JPG in two folders: two photos, one name.
  cpSync(lfwPhoto('Tony_Blair', 4), join(album, '2019', 'IMG_0001.JPG'));
  cpSync(lfwPhoto('Serena_Williams', 5), join(album, '2020', 'IMG_0001.JPG'));
  // Dated as the camera's card left them: the copies keep it.
  utimesSync(join(album, '2019', 'IMG_0001.JPG'), new Date('2019-07-14T10:00:00Z'), new Date('2019-07-14T10:00:00Z'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeEach(() => {
  faults.failCopy = null;
});

const albumPhotos = () => [
  known(join(album, '2019', 'Tony_Blair_1.jpg')),
  known(join(album, '2019', 'IMG_0001.JPG')),
  known(join(album, '2020', 'IMG_0001.JPG')),
  // Kept in two places, the first gone: copied from the second, once.
  known(join(album, 'gone', 'Serena_Williams_2.jpg'), join(album, '2019', 'Serena_Williams_2.jpg')),
];

describe('copyPhotosTo', () => {
  it('copies each photo byte for byte with its file date, two photos of one name under two names, into a folder it makes', async () => {
    const to = join(work, 'For Grandma', 'Tony');
    const reports: JobProgress[] = [];
    const result = await copyPhotosTo(albumPhotos(), { to, libraryDir: library, onProgress: (p) => reports.push(p) });
    expect(result).toMatchObject({ folder: to, photos: 4, copied: 4, alreadyThere: 0, missing: [], failed: [] });
    expect(readdirSync(to).sort()).toEqual(['IMG_0001 (2).JPG', 'IMG_0001.JPG', 'Serena_Williams_2.jpg', 'Tony_Blair_1.jpg']);
    expect(digest(join(to, 'IMG_0001.JPG'))).toBe(digest(join(album, '2019', 'IMG_0001.JPG')));
    expect(digest(join(to, 'IMG_0001 (2).JPG'))).toBe(digest(join(album, '2020', 'IMG_0001.JPG')));
    expect(digest(join(to, 'Serena_Williams_2.jpg'))).toBe(digest(join(album, '2019', 'Serena_Williams_2.jpg')));
    expect(statSync(join(to, 'IMG_0001.JPG')).mtime.toISOString()).toBe('2019-07-14T10:00:00.000Z');
    expect(result.bytes).toBe(readdirSync(to).reduce((sum, f) => sum + statSync(join(to, f)).size, 0));
    expect(reports.at(-1)).toMatchObject({ job: 'copy-photos', stage: 'copy', done: 4, total: 4 });
  });

  it('run again into the same folder, copies nothing twice; a different file already there under a name is kept', async () => {
    const to = join(work, 'again');
    mkdirSync(to);
    // The user's own file, not one of these photos, under the first photo's name.
    writeFileSync(join(to, 'Tony_Blair_1.jpg'), 'my own notes');
    const first = await copyPhotosTo(albumPhotos(), { to, libraryDir: library });
    expect(first).toMatchObject({ copied: 4, alreadyThere: 0 });
    expect(readFileSync(join(to, 'Tony_Blair_1.jpg'), 'utf8')).toBe('my own notes');
    expect(digest(join(to, 'Tony_Blair_1 (2).jpg'))).toBe(digest(join(album, '2019', 'Tony_Blair_1.jpg')));

    // One more photo since: only it is copied.
    const more = [...albumPhotos(), known(join(album, '2020', 'Tony_Blair_3.jpg'))];
    const second = await copyPhotosTo(more, { to, libraryDir: library });
    expect(second).toMatchObject({ photos: 5, copied: 1, alreadyThere: 4, failed: [] });
    expect(readdirSync(to)).toHaveLength(6);
  });

  it('lists a photo whose file is not on disk, and copies the rest', async () => {
    const to = join(work, 'some-missing');
    const gone = known(join(album, 'unplugged-drive', 'x.jpg'));
    const result = await copyPhotosTo([gone, ...albumPhotos().slice(0, 1)], { to, libraryDir: library });
    expect(result.copied).toBe(1);
    expect(result.missing).toEqual([{ path: join(album, 'unplugged-drive', 'x.jpg'), reason: expect.stringMatching(/not on disk/) }]);
  });

  it('refuses, in words and before copying anything, a folder that cannot take the photos', async () => {
    const photos = albumPhotos();
    await expect(copyPhotosTo(photos, { to: 'relative/folder', libraryDir: library })).rejects.toThrow(/is not a full path/);
    await expect(copyPhotosTo(photos, { to: join(library, 'exports'), libraryDir: library })).rejects.toThrow(CopyPhotosError);
    // However the path reaches it: through a symbolic link to the library.
    symlinkSync(library, join(work, 'link-to-library'));
    await expect(copyPhotosTo(photos, { to: join(work, 'link-to-library', 'new') , libraryDir: library })).rejects.toThrow(
      `${join(work, 'link-to-library', 'new')} is inside Familiar's own library folder (${library}): choose another folder to copy the photos into.`,
    );
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    await expect(copyPhotosTo(photos, { to: file, libraryDir: library })).rejects.toThrow(`${file} is a file, not a folder: choose a folder to copy the photos into.`);
    await expect(copyPhotosTo(photos, { to: join(file, 'under'), libraryDir: library })).rejects.toThrow(`${file} is a file, not a folder`);
    expect(readdirSync(library)).toEqual([]);
  });

  it('copies into a folder that holds the library (the home folder holds the default one): only the folder itself takes photos', async () => {
    const home = join(work, 'home');
    mkdirSync(join(home, '.config', 'Familiar'), { recursive: true });
    const result = await copyPhotosTo(albumPhotos().slice(0, 1), { to: home, libraryDir: join(home, '.config', 'Familiar') });
    expect(result.copied).toBe(1);
    expect(readdirSync(join(home, '.config', 'Familiar'))).toEqual([]);
  });

  it('run again after a photo is found at another of its paths, knows the copy by its content, whatever its name', async () => {
    const to = join(work, 'moved-since');
    const first = join(work, 'first-place');
    mkdirSync(first);
    cpSync(join(album, '2019', 'Tony_Blair_1.jpg'), join(first, 'blair.jpg'));
    // Kept in two places; the first is copied, then its drive is unplugged and the second is what is on disk.
    const photo = known(join(first, 'blair.jpg'), join(album, '2019', 'Tony_Blair_1.jpg'));
    expect(await copyPhotosTo([photo], { to, libraryDir: library })).toMatchObject({ copied: 1 });
    rmSync(first, { recursive: true });
    expect(await copyPhotosTo([photo], { to, libraryDir: library })).toMatchObject({ copied: 0, alreadyThere: 1 });
    expect(readdirSync(to)).toEqual(['blair.jpg']);
  });

  it('copies a photo whose name is as long as a file name can be, and a second of that name under a name that fits', async () => {
    const to = join(work, 'long-names');
    const long = `${'Ł'.repeat(122)}xxxxxx.jpg`;
    expect(Buffer.byteLength(long)).toBe(254);
    mkdirSync(join(album, 'long', 'a'), { recursive: true });
    mkdirSync(join(album, 'long', 'b'), { recursive: true });
    cpSync(join(album, '2019', 'Tony_Blair_1.jpg'), join(album, 'long', 'a', long));
    cpSync(join(album, '2020', 'Tony_Blair_3.jpg'), join(album, 'long', 'b', long));
    const result = await copyPhotosTo([known(join(album, 'long', 'a', long)), known(join(album, 'long', 'b', long))], { to, libraryDir: library });
    expect(result).toMatchObject({ copied: 2, failed: [] });
    const names = readdirSync(to);
    expect(names).toContain(long);
    const second = names.find((n) => n !== long)!;
    expect(second).toMatch(/^Ł+x* \(2\)\.jpg$/);
    expect(Buffer.byteLength(second)).toBeLessThanOrEqual(255);
  });

  it('cuts a long name between the characters a reader sees, an emoji of several code points kept whole', async () => {
    const to = join(work, 'emoji-names');
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
    const long = `${'é'.repeat(115)}${family}.jpg`;
    expect(Buffer.byteLength(long)).toBeGreaterThan(245);
    mkdirSync(join(album, 'emoji', 'a'), { recursive: true });
    mkdirSync(join(album, 'emoji', 'b'), { recursive: true });
    cpSync(join(album, '2019', 'Tony_Blair_1.jpg'), join(album, 'emoji', 'a', long));
    cpSync(join(album, '2020', 'Tony_Blair_3.jpg'), join(album, 'emoji', 'b', long));
    await copyPhotosTo([known(join(album, 'emoji', 'a', long)), known(join(album, 'emoji', 'b', long))], { to, libraryDir: library });
    const second = readdirSync(to).find((n) => n !== long)!;
    expect(second).toMatch(/^é+ \(2\)\.jpg$/);
  });

  it('removes what a killed copy left behind, and leaves what may be a running copy\'s', async () => {
    const to = join(work, 'killed-before');
    mkdirSync(to);
    const old = join(to, '.familiar-partial-0123456789ab');
    const fresh = join(to, '.familiar-partial-ba9876543210');
    writeFileSync(old, Buffer.alloc(4096));
    writeFileSync(fresh, Buffer.alloc(4096));
    utimesSync(old, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
    await copyPhotosTo(albumPhotos().slice(0, 1), { to, libraryDir: library });
    expect(readdirSync(to).sort()).toEqual(['.familiar-partial-ba9876543210', 'Tony_Blair_1.jpg']);
  });

  it('a photo it cannot read is listed with why, and the rest are copied', async () => {
    const to = join(work, 'one-unreadable');
    const unreadable = join(album, '2019', 'IMG_0001.JPG');
    faults.failCopy = (source) => (source === unreadable ? 'EACCES' : null);
    const result = await copyPhotosTo(albumPhotos(), { to, libraryDir: library });
    expect(result.copied).toBe(3);
    expect(result.failed).toEqual([{ path: unreadable, reason: 'permission denied' }]);
    expect(readdirSync(to).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('a full disk stops the copy, says how far it got, and leaves no half photo', async () => {
    const to = join(work, 'full-disk');
    let copies = 0;
    faults.failCopy = () => (++copies === 3 ? 'ENOSPC' : null);
    await expect(copyPhotosTo(albumPhotos(), { to, libraryDir: library })).rejects.toThrow(
      `The disk is full (${to}): 2 of 4 photos were copied before the copy stopped; free some space and copy again to finish.`,
    );
    expect(readdirSync(to).sort()).toEqual(['IMG_0001.JPG', 'Tony_Blair_1.jpg']);
    // Space freed: the same copy again finishes the job.
    faults.failCopy = null;
    expect(await copyPhotosTo(albumPhotos(), { to, libraryDir: library })).toMatchObject({ copied: 2, alreadyThere: 2 });
  });

  it('two copies into one folder at once lose no photo: a name taken meanwhile is not written over', async () => {
    const to = join(work, 'two-at-once');
    const [a, b] = [join(work, 'camera-a'), join(work, 'camera-b')];
    for (const [dir, person] of [[a, 'Tony_Blair'], [b, 'Serena_Williams']] as const) {
      mkdirSync(dir);
      for (const n of [1, 2, 3]) cpSync(lfwPhoto(person, n), join(dir, `IMG_000${n}.JPG`));
    }
    const photosOf = (dir: string) => [1, 2, 3].map((n) => known(join(dir, `IMG_000${n}.JPG`)));
    const results = await Promise.all([copyPhotosTo(photosOf(a), { to, libraryDir: library }), copyPhotosTo(photosOf(b), { to, libraryDir: library })]);
    expect(results.map((r) => r.copied)).toEqual([3, 3]);
    const inFolder = new Set(readdirSync(to).map((f) => digest(join(to, f))));
    expect(readdirSync(to)).toHaveLength(6);
    for (const dir of [a, b]) for (const n of [1, 2, 3]) expect(inFolder.has(digest(join(dir, `IMG_000${n}.JPG`)))).toBe(true);
  });

  it("leaves a link of the user's under a photo's name as it is, even a broken one, and refuses a broken link as the folder", async () => {
    const to = join(work, 'with-links');
    mkdirSync(to);
    symlinkSync('/nowhere/Tony_Blair_1.jpg', join(to, 'Tony_Blair_1.jpg'));
    expect(await copyPhotosTo(albumPhotos().slice(0, 1), { to, libraryDir: library })).toMatchObject({ copied: 1 });
    expect(readdirSync(to).sort()).toEqual(['Tony_Blair_1 (2).jpg', 'Tony_Blair_1.jpg']);
    expect(readlinkSync(join(to, 'Tony_Blair_1.jpg'))).toBe('/nowhere/Tony_Blair_1.jpg');

    symlinkSync(join(work, 'not-made-yet'), join(work, 'broken-link'));
    await expect(copyPhotosTo(albumPhotos(), { to: join(work, 'broken-link'), libraryDir: library })).rejects.toThrow(
      `${join(work, 'broken-link')} is a link to a folder that is not there: choose another folder to copy the photos into.`,
    );
  });

  it('a read-only disk stops the copy, and says what to do instead', async () => {
    const to = join(work, 'read-only');
    faults.failCopy = () => 'EROFS';
    await expect(copyPhotosTo(albumPhotos(), { to, libraryDir: library })).rejects.toThrow(
      `The folder is on a read-only disk (${to}): 0 of 4 photos were copied before the copy stopped; copy into a folder on another disk, or make this one writable and copy again to finish.`,
    );
  });

  it('stops between photos when cancelled, keeping what it copied', async () => {
    const to = join(work, 'cancelled');
    const controller = new AbortController();
    const stopped = copyPhotosTo(albumPhotos(), {
      to,
      libraryDir: library,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 2) controller.abort();
      },
    });
    const err = await stopped.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobCancelledError);
    expect((err as JobCancelledError).kept).toMatchObject({ copied: 2 });
    expect(readdirSync(to)).toHaveLength(2);
  });
});

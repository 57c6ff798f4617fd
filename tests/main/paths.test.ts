import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep, win32 } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactPathRules, insideAnyOf, isInside, onDiskSpelling, onDiskSpellings, pathKey, pathRules, pathToShow, samePath, uniquePaths } from '../../main/paths.js';

const p = (...parts: string[]) => sep + parts.join(sep);
const linux = pathRules('linux');
const windows = pathRules('win32');
const mac = pathRules('darwin');
/** "Zoë" as typed (one code point for ë) and as HFS+ stores it (e + combining diaeresis). */
const ZOE_NFC = 'Zo\u00eb';
const ZOE_NFD = 'Zoe\u0308';

describe('is a path inside a folder', () => {
  it('holds the folder itself and what is under it, not a sibling sharing its name as a prefix', () => {
    expect(isInside(p('a', 'b'), p('a', 'b'))).toBe(true);
    expect(isInside(p('a', 'b'), p('a', 'b', 'c.jpg'))).toBe(true);
    expect(isInside(p('a', 'b') + sep, p('a', 'b', 'c.jpg'))).toBe(true);
    expect(isInside(p('a', 'b'), p('a', 'bc', 'c.jpg'))).toBe(false);
    expect(isInside(p('a', 'b', 'c'), p('a', 'b'))).toBe(false);
    expect(isInside(sep, p('a'))).toBe(true);
  });

  it('answers the same against many roots at once', () => {
    const inside = insideAnyOf([p('photos', '2019'), p('phone')]);
    expect(inside(p('photos', '2019', 'x.jpg'))).toBe(true);
    expect(inside(p('phone'))).toBe(true);
    expect(inside(p('photos', '2019b', 'x.jpg'))).toBe(false);
    expect(inside(p('photos'))).toBe(false);
    expect(insideAnyOf([sep])(p('any', 'where.jpg'))).toBe(true);
  });

  it('treats a file system root as holding everything on it (/, D:\\, \\\\server\\share)', () => {
    expect(insideAnyOf(['/'], linux)('/photos/x.jpg')).toBe(true);
    expect(insideAnyOf(['/photos'], linux)('/x.jpg')).toBe(false);
    const roots = [win32.resolve('D:\\')];
    expect(roots).toEqual(['D:\\']);
    const drive = insideAnyOf(roots, windows);
    expect(drive('D:\\x.jpg')).toBe(true);
    expect(drive('D:\\2019\\summer\\x.jpg')).toBe(true);
    expect(drive('D:\\')).toBe(true);
    expect(drive('E:\\x.jpg')).toBe(false);
    expect(isInside('D:\\', 'D:\\2019\\x.jpg', windows)).toBe(true);
    expect(isInside('D:\\', 'E:\\2019\\x.jpg', windows)).toBe(false);
    const share = insideAnyOf([win32.resolve('\\\\nas\\photos')], windows);
    expect(share('\\\\nas\\photos\\2019\\x.jpg')).toBe(true);
    expect(share('\\\\nas\\photos2\\x.jpg')).toBe(false);
  });

  it('matches import roots spelt the way path.resolve spells them on Windows', () => {
    // C:\Photos must not become <cwd>\C:\Photos, nor D:\ a drive-relative D:.
    const roots = ['C:\\Photos\\', 'D:\\', 'E:\\Camera'].map((r) => win32.resolve(r));
    expect(roots).toEqual(['C:\\Photos', 'D:\\', 'E:\\Camera']);
    const inside = insideAnyOf(roots, windows);
    expect(inside('C:\\Photos\\2019\\x.jpg')).toBe(true);
    expect(inside('C:\\Photos 2\\x.jpg')).toBe(false);
    expect(inside('D:\\any\\where.jpg')).toBe(true);
    expect(inside('E:\\Camera\\x.jpg')).toBe(true);
    expect(inside('E:\\x.jpg')).toBe(false);
  });
});

describe('two spellings of one path', () => {
  it('are one on Windows when they differ in case, and two when they differ in Unicode normalisation (NTFS keeps both)', () => {
    expect(samePath('C:\\Photos\\x.JPG', 'c:\\photos\\x.jpg', windows)).toBe(true);
    expect(pathKey('C:\\Photos', 'win32')).toBe(pathKey('c:\\PHOTOS', 'win32'));
    expect(samePath(`C:\\${ZOE_NFC}`, `C:\\${ZOE_NFD}`, windows)).toBe(false);
    expect(isInside('C:\\Photos', 'c:\\photos\\2019\\x.jpg', windows)).toBe(true);
    expect(isInside('c:\\photos', 'C:\\Photos 2\\x.jpg', windows)).toBe(false);
    expect(insideAnyOf(['C:\\Photos'], windows)('c:\\PHOTOS\\x.jpg')).toBe(true);
  });

  it('are one on macOS when they differ in case or normalisation (APFS and HFS+ by default)', () => {
    expect(samePath(`/Users/me/${ZOE_NFC}/x.jpg`, `/users/me/${ZOE_NFD.toLowerCase()}/X.jpg`, mac)).toBe(true);
    expect(isInside(`/Volumes/Photos/${ZOE_NFD}`, `/volumes/photos/${ZOE_NFC}/2019/x.jpg`, mac)).toBe(true);
    expect(insideAnyOf([`/Photos/${ZOE_NFC}`], mac)(`/photos/${ZOE_NFD}/x.jpg`)).toBe(true);
    expect(isInside('/Photos', '/Photos 2/x.jpg', mac)).toBe(false);
  });

  it('are two on Linux, and wherever paths are compared exactly (a case-sensitive volume)', () => {
    for (const rules of [linux, exactPathRules('darwin')]) {
      expect(samePath('/Photos/x.jpg', '/photos/x.jpg', rules)).toBe(false);
      expect(samePath(`/${ZOE_NFC}`, `/${ZOE_NFD}`, rules)).toBe(false);
      expect(isInside('/Photos', '/photos/x.jpg', rules)).toBe(false);
      expect(insideAnyOf([`/${ZOE_NFC}`], rules)(`/${ZOE_NFD}/x.jpg`)).toBe(false);
    }
    expect(pathKey(`/${ZOE_NFD}/A.jpg`, 'linux')).toBe(`/${ZOE_NFD}/A.jpg`);
  });

  it('list once, in the first spelling given', () => {
    expect(uniquePaths(['C:\\Photos', 'c:\\photos', 'D:\\'], windows)).toEqual(['C:\\Photos', 'D:\\']);
    expect(uniquePaths([`/${ZOE_NFD}`, `/${ZOE_NFC}`], mac)).toEqual([`/${ZOE_NFD}`]);
    expect(uniquePaths([`/${ZOE_NFD}`, `/${ZOE_NFC}`], linux)).toEqual([`/${ZOE_NFD}`, `/${ZOE_NFC}`]);
  });
});

describe('a path as the disk spells it', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'familiar-paths-'));
    await mkdir(join(work, ZOE_NFD, 'Summer 2019'), { recursive: true });
    // Two folders one case apart, as a case-sensitive volume (or Linux) may hold.
    await mkdir(join(work, 'Both', 'Photos'), { recursive: true });
    await mkdir(join(work, 'Both', 'photos'), { recursive: true });
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('takes each name as its folder lists it where the platform ignores case and normalisation', async () => {
    // Typed NFC in lower case, stored NFD as HFS+ does: the macOS rules find the folder as listed.
    const typed = join(work, ZOE_NFC.toLowerCase(), 'summer 2019');
    expect(await onDiskSpelling(typed, mac)).toBe(join(work, ZOE_NFD, 'Summer 2019'));
    expect(await onDiskSpelling(typed + sep, mac)).toBe(join(work, ZOE_NFD, 'Summer 2019'));
    // Several paths share the listings they need.
    expect(await onDiskSpellings([join(work, 'both'), join(work, ZOE_NFC)], mac)).toEqual([join(work, 'Both'), join(work, ZOE_NFD)]);
  });

  it('keeps a name listed as given, one listed in several spellings, and one not there', async () => {
    expect(await onDiskSpelling(join(work, 'both', 'photos'), mac)).toBe(join(work, 'Both', 'photos'));
    expect(await onDiskSpelling(join(work, 'both', 'PHOTOS', 'x'), mac)).toBe(join(work, 'Both', 'PHOTOS', 'x'));
    expect(await onDiskSpelling(join(work, 'gone', ZOE_NFC), mac)).toBe(join(work, 'gone', ZOE_NFC));
  });

  it('changes nothing on Linux, where each spelling is its own path', async () => {
    const typed = join(work, ZOE_NFC, 'summer 2019');
    expect(await onDiskSpelling(typed, linux)).toBe(typed);
    expect(await onDiskSpelling(join(work, '.', 'Both', '..', 'Both'), linux)).toBe(join(work, 'Both'));
  });
});

describe('pathToShow', () => {
  it("shows a photo by a path whose file is there: a copy's original deleted is not printed (QA)", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'familiar-show-'));
    try {
      const [gone, kept] = [join(dir, 'Family', 'a.jpg'), join(dir, 'Backup', 'a.jpg')];
      await mkdir(join(dir, 'Backup'));
      await writeFile(kept, 'x');
      expect(pathToShow([gone, kept])).toBe(kept);
      expect(pathToShow([kept, gone])).toBe(kept);
      // None there: the first, as before; one path: that one, the disk not asked.
      expect(pathToShow([gone, join(dir, 'Other', 'a.jpg')])).toBe(gone);
      expect(pathToShow([gone])).toBe(gone);
      expect(pathToShow([])).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import { posix, sep, win32 } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInside, isInsideAny } from '../../main/paths.js';

const p = (...parts: string[]) => sep + parts.join(sep);

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
    const roots = new Set([p('photos', '2019'), p('phone')]);
    expect(isInsideAny(roots, p('photos', '2019', 'x.jpg'))).toBe(true);
    expect(isInsideAny(roots, p('phone'))).toBe(true);
    expect(isInsideAny(roots, p('photos', '2019b', 'x.jpg'))).toBe(false);
    expect(isInsideAny(roots, p('photos'))).toBe(false);
    expect(isInsideAny(new Set([sep]), p('any', 'where.jpg'))).toBe(true);
  });

  it('treats a file system root as holding everything on it (/, D:\\, \\\\server\\share)', () => {
    expect(isInsideAny(new Set(['/']), '/photos/x.jpg', posix)).toBe(true);
    expect(isInsideAny(new Set(['/photos']), '/x.jpg', posix)).toBe(false);
    const drive = new Set([win32.resolve('D:\\')]);
    expect([...drive]).toEqual(['D:\\']);
    expect(isInsideAny(drive, 'D:\\x.jpg', win32)).toBe(true);
    expect(isInsideAny(drive, 'D:\\2019\\summer\\x.jpg', win32)).toBe(true);
    expect(isInsideAny(drive, 'D:\\', win32)).toBe(true);
    expect(isInsideAny(drive, 'E:\\x.jpg', win32)).toBe(false);
    expect(isInside('D:\\', 'D:\\2019\\x.jpg', win32)).toBe(true);
    expect(isInside('D:\\', 'E:\\2019\\x.jpg', win32)).toBe(false);
    const share = new Set([win32.resolve('\\\\nas\\photos')]);
    expect(isInsideAny(share, '\\\\nas\\photos\\2019\\x.jpg', win32)).toBe(true);
    expect(isInsideAny(share, '\\\\nas\\photos2\\x.jpg', win32)).toBe(false);
  });

  it('matches import roots spelt the way path.resolve spells them on Windows', () => {
    // C:\Photos must not become <cwd>\C:\Photos, nor D:\ a drive-relative D:.
    const roots = new Set(['C:\\Photos\\', 'D:\\', 'E:\\Camera'].map((r) => win32.resolve(r)));
    expect([...roots]).toEqual(['C:\\Photos', 'D:\\', 'E:\\Camera']);
    expect(isInsideAny(roots, 'C:\\Photos\\2019\\x.jpg', win32)).toBe(true);
    expect(isInsideAny(roots, 'C:\\Photos 2\\x.jpg', win32)).toBe(false);
    expect(isInsideAny(roots, 'D:\\any\\where.jpg', win32)).toBe(true);
    expect(isInsideAny(roots, 'E:\\Camera\\x.jpg', win32)).toBe(true);
    expect(isInsideAny(roots, 'E:\\x.jpg', win32)).toBe(false);
  });
});

import { sep } from 'node:path';
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
});

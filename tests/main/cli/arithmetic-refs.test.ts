// `familiar arithmetic --add "Bob Dylan"` split the name at its space and refused "Bob" (or, with people named Bob and
// Dylan, silently used both): a value of --add/--sub is one face or person unless it is face ids with spaces between.
import { describe, expect, it } from 'vitest';
import { refsOf } from '../../../main/cli/commands/arithmetic.js';
import type { FaceRecord } from '../../../main/store/types.js';

const FACES = new Set(['0123456789abcdef-0', '0123456789abcdef-1']);
const library = { face: (id: string) => (FACES.has(id) ? ({ id } as FaceRecord) : undefined) };

describe('the faces and people of --add and --sub', () => {
  it('keeps a name with spaces whole', () => {
    expect(refsOf('Bob Dylan', library)).toEqual(['Bob Dylan']);
    expect(refsOf(['Bob Dylan', ' Ada  Lovelace '], library)).toEqual(['Bob Dylan', 'Ada  Lovelace']);
  });

  it('splits on commas, and face ids on spaces', () => {
    expect(refsOf('Bob Dylan, Ada Lovelace', library)).toEqual(['Bob Dylan', 'Ada Lovelace']);
    expect(refsOf('0123456789abcdef-0 0123456789abcdef-1', library)).toEqual(['0123456789abcdef-0', '0123456789abcdef-1']);
    // A face id beside a word that is none: one person's name, as it was given (the engine says if there is none).
    expect(refsOf('0123456789abcdef-0 Bob', library)).toEqual(['0123456789abcdef-0 Bob']);
    expect(refsOf(' , ', library)).toEqual([]);
    expect(refsOf(undefined, library)).toEqual([]);
  });
});

// What an import skipped, in the words `familiar import` and the Import screen share: a folder it could not read is
// said to be a folder, not counted among the files.
import { describe, expect, it } from 'vitest';
import { skippedWords } from '../../preload/contract.js';

const file = { path: '/photos/broken.jpg', reason: 'The JPEG is truncated.' };
const folder = { path: '/photos/locked', reason: 'folder skipped: permission denied', folder: true as const };

describe('skippedWords', () => {
  it('counts files and folders apart', () => {
    expect(skippedWords([file])).toBe('1 file');
    expect(skippedWords([file, file, file])).toBe('3 files');
    expect(skippedWords([folder])).toBe('1 folder');
    expect(skippedWords([folder, folder, file, file, file])).toBe('2 folders and 3 files');
    expect(skippedWords([folder, file])).toBe('1 folder and 1 file');
    expect(skippedWords(Array.from({ length: 1200 }, () => file))).toBe('1,200 files');
  });
});

// The lock's refusal says when the other process took the library as a clock reads, not as the lock file's UTC stamp.
import { describe, expect, it } from 'vitest';
import { LibraryLockedError, sinceWords } from '../../../main/store/errors.js';

describe('the refusal of a library in use', () => {
  const now = new Date(2026, 11, 1, 23, 50);

  it('says the time alone for today, and the day too for another', () => {
    const today = new Date(2026, 11, 1, 23, 41, 16);
    expect(sinceWords(today.toISOString(), now)).toBe(`, since ${today.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`);
    const yesterday = new Date(2026, 10, 30, 9, 5);
    const words = sinceWords(yesterday.toISOString(), now);
    expect(words).toContain(yesterday.toLocaleDateString(undefined, { day: 'numeric', month: 'short' }));
    expect(words).not.toContain('2026');
    expect(sinceWords(new Date(2025, 0, 2).toISOString(), now)).toContain('2025');
  });

  it('leaves out a stamp that is no date, and never shows the ISO stamp', () => {
    expect(sinceWords('earlier', now)).toBe('');
    expect(sinceWords(undefined, now)).toBe('');
    const error = new LibraryLockedError('/lib', { pid: 15380, host: 'vm', startedAt: '2026-12-01T23:41:16.388Z', program: 'familiar serve' });
    expect(error.message).toMatch(/^The library \/lib is in use by familiar serve \(pid 15380 on vm, since [^)]+\); close it first/);
    expect(error.message).not.toContain('T23:41:16');
  });
});

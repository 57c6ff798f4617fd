// What looking again costs and gains, in the words Settings, `familiar import` and `familiar doctor` share: about how
// long (no more precise than an estimate is), from what, and what it finds.
import { describe, expect, it } from 'vitest';
import { lookAgainCostSentence, roughDuration } from '../../preload/contract.js';

describe('roughDuration', () => {
  it('rounds to what an estimate can say', () => {
    expect(roughDuration(20)).toBe('under a minute');
    expect(roughDuration(70)).toBe('about 1 minute');
    expect(roughDuration(7 * 60 + 20)).toBe('about 7 minutes');
    expect(roughDuration(23 * 60)).toBe('about 25 minutes');
    expect(roughDuration(70 * 60)).toBe('about an hour');
    expect(roughDuration(4.3 * 3600)).toBe('about 4 hours');
    expect(roughDuration(30 * 3600)).toBe('about a day');
    expect(roughDuration(3.2 * 86400)).toBe('about 3 days');
  });
});

describe('lookAgainCostSentence', () => {
  it('says how long, from what it knows, and what it gains', () => {
    expect(lookAgainCostSentence(12000, 0, { seconds: 12000 * 1.2, basis: 'imports' })).toBe(
      'Looking again at 12,000 photos takes about 4 hours on this computer: about 2.5 times as long a photo as its imports took. About 1 photo in 60 gains a face.',
    );
    expect(lookAgainCostSentence(12000, 40, { seconds: 12000 * 1.2, basis: 'looked-again' })).toBe(
      'Looking again at 12,000 photos takes about 4 hours on this computer, going by the last time it looked again. About 1 photo in 60 gains a face.',
    );
    expect(lookAgainCostSentence(1, 0, { seconds: 1.25, basis: 'typical' })).toBe(
      'Looking again at 1 photo takes under a minute at a typical pace (a guess: Familiar has not yet timed an import of this library). About 1 photo in 60 gains a face.',
    );
    // Counted only for a face lying on its side: what that gains is the reason's to say.
    expect(lookAgainCostSentence(6, 6, { seconds: 7.5, basis: 'typical' })).toBe(
      'Looking again at 6 photos takes under a minute at a typical pace (a guess: Familiar has not yet timed an import of this library).',
    );
  });
});

// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { asSentence, errorSentence, toasts } from '../../renderer/lib/live.svelte.js';
import { CallError, UNREACHABLE_SENTENCE } from '../../preload/contract.js';

describe('toasts', () => {
  it('keeps the newest three on screen: a run of decisions does not stack a column of them over the page', () => {
    for (const toast of [...toasts.items]) toasts.dismiss(toast.id);
    for (let i = 1; i <= 5; i++) toasts.show(`Named person ${i}.`);
    expect(toasts.items.map((t) => t.message)).toEqual(['Named person 3.', 'Named person 4.', 'Named person 5.']);
    for (const toast of [...toasts.items]) toasts.dismiss(toast.id);
  });

  it('shows the newest decision\'s toast in place of older ones: their Undo would take back the newer decision', () => {
    for (const toast of [...toasts.items]) toasts.dismiss(toast.id);
    const undo = { label: 'Undo', run: () => {} };
    toasts.show('Could not read 2 files.', 'error');
    toasts.show('Named "Jackie".', 'info', undo);
    toasts.show('Renamed "Jackie" to "Jeb Bush".', 'info', undo);
    expect(toasts.items.map((t) => [t.message, t.action?.label ?? null])).toEqual([
      ['Could not read 2 files.', null],
      ['Renamed "Jackie" to "Jeb Bush".', 'Undo'],
    ]);
    toasts.withdrawUndo();
    expect(toasts.items.every((t) => !t.action)).toBe(true);
    // After an undo, the toast of the decision taken back goes.
    toasts.show('Confirmed 1 face as "Venus".', 'info', undo);
    toasts.dismissDecisions();
    expect(toasts.items.map((t) => t.message)).toEqual(['Could not read 2 files.', 'Renamed "Jackie" to "Jeb Bush".']);
    for (const toast of [...toasts.items]) toasts.dismiss(toast.id);
  });

  it('says something new in a toast on screen, with its time given again, and not in one gone', () => {
    vi.useFakeTimers();
    try {
      for (const toast of [...toasts.items]) toasts.dismiss(toast.id);
      const undo = { label: 'Undo', run: () => {} };
      const id = toasts.show('Marked 1 face as not "Leonard"', 'info', undo);
      vi.advanceTimersByTime(5000);
      expect(toasts.update(id, 'Marked 2 faces as not "Leonard"', undo)).toBe(true);
      expect(toasts.items.map((t) => t.message)).toEqual(['Marked 2 faces as not "Leonard".']);
      // Six seconds from the update, not from the first answer.
      vi.advanceTimersByTime(5000);
      expect(toasts.items).toHaveLength(1);
      vi.advanceTimersByTime(1000);
      expect(toasts.items).toHaveLength(0);
      expect(toasts.update(id, 'Marked 3 faces as not "Leonard"', undo)).toBe(false);
      expect(toasts.items).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('counts a toast\'s time from the frame that shows it: a window busy after a decision used it up unseen', () => {
    vi.useFakeTimers();
    let frames: FrameRequestCallback[] = [];
    const raf = vi.spyOn(globalThis, 'requestAnimationFrame').mockImplementation((callback) => (frames.push(callback), frames.length));
    try {
      for (const toast of [...toasts.items]) toasts.dismiss(toast.id);
      toasts.show('Deleted "Person 0037".', 'info', { label: 'Undo', run: () => {} });
      // No frame for 10 s (the page drawing thousands of cards again): the toast has not been seen, and stays.
      vi.advanceTimersByTime(10_000);
      expect(toasts.items).toHaveLength(1);
      const painted = frames;
      frames = [];
      for (const frame of painted) frame(performance.now());
      vi.advanceTimersByTime(5_900);
      expect(toasts.items).toHaveLength(1);
      vi.advanceTimersByTime(200);
      expect(toasts.items).toHaveLength(0);
    } finally {
      raf.mockRestore();
      vi.useRealTimers();
    }
  });

  it('shows a refused argument without the name of the call it was refused by', () => {
    expect(errorSentence(new CallError('training.embedder.start: epochs must be at least 1.', 'invalid-argument', 'training.embedder.start'))).toBe('Epochs must be at least 1.');
    // Other errors are already the engine's sentence for the user.
    expect(errorSentence(new CallError('These faces no longer look like two people.', 'invalid-argument', 'people.split'))).toBe('These faces no longer look like two people.');
    expect(errorSentence(new Error('The library is locked.'))).toBe('The library is locked.');
  });

  it('ends every toast with a period, as the engine sentences beside it do (QA: "1 face confirmed as Joe Biden")', () => {
    for (const toast of [...toasts.items]) toasts.dismiss(toast.id);
    toasts.show('Confirmed 1 face as "Joe Biden"');
    toasts.show('Took back "not Rose Leslie" for 2 faces.');
    toasts.show('Nothing to redo?');
    expect(toasts.items.map((t) => t.message)).toEqual(['Confirmed 1 face as "Joe Biden".', 'Took back "not Rose Leslie" for 2 faces.', 'Nothing to redo?']);
    expect(asSentence('Named "Dora."')).toBe('Named "Dora."');
    for (const toast of [...toasts.items]) toasts.dismiss(toast.id);
  });

  it('says an error once: not in a toast while another toast or an error panel says it (QA: "Failed to fetch" twice)', () => {
    for (const toast of [...toasts.items]) toasts.dismiss(toast.id);
    const gone = () => new CallError(UNREACHABLE_SENTENCE, 'unreachable', 'photos.timeline');
    toasts.error(gone());
    toasts.error(gone());
    expect(toasts.items.map((t) => t.message)).toEqual([UNREACHABLE_SENTENCE]);
    // A screen's error panel says it now: the toast goes, and none comes while the panel shows.
    const panelGone = toasts.panelShows(UNREACHABLE_SENTENCE);
    expect(toasts.items).toEqual([]);
    toasts.error(gone());
    expect(toasts.items).toEqual([]);
    panelGone();
    toasts.error(gone());
    expect(toasts.items.map((t) => t.message)).toEqual([UNREACHABLE_SENTENCE]);
    for (const toast of [...toasts.items]) toasts.dismiss(toast.id);
  });
});

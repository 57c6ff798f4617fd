// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { toasts } from '../../renderer/lib/live.svelte.js';

describe('toasts', () => {
  it('keeps the newest three on screen: a run of decisions does not stack a column of them over the page', () => {
    for (const toast of [...toasts.items]) toasts.dismiss(toast.id);
    for (let i = 1; i <= 5; i++) toasts.show(`Named person ${i}.`);
    expect(toasts.items.map((t) => t.message)).toEqual(['Named person 3.', 'Named person 4.', 'Named person 5.']);
    for (const toast of [...toasts.items]) toasts.dismiss(toast.id);
  });

  it('offers Undo on the newest decision\'s toast only: an older one would take back the newer decision', () => {
    for (const toast of [...toasts.items]) toasts.dismiss(toast.id);
    const undo = { label: 'Undo', run: () => {} };
    toasts.show('Named "Jackie".', 'info', undo);
    toasts.show('Renamed "Jackie" to "Jeb Bush".', 'info', undo);
    expect(toasts.items.map((t) => [t.message, t.action?.label ?? null])).toEqual([
      ['Named "Jackie".', null],
      ['Renamed "Jackie" to "Jeb Bush".', 'Undo'],
    ]);
    toasts.withdrawUndo();
    expect(toasts.items.every((t) => !t.action)).toBe(true);
    // After an undo, the toast of the decision taken back goes.
    toasts.show('Confirmed 1 face as "Venus".', 'info', undo);
    toasts.dismissDecisions();
    expect(toasts.items.map((t) => t.message)).toEqual(['Named "Jackie".', 'Renamed "Jackie" to "Jeb Bush".']);
    for (const toast of [...toasts.items]) toasts.dismiss(toast.id);
  });
});

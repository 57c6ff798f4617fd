import { beforeEach } from 'vitest';
import { setPeopleOrder, setPersonFaceOrder } from '../../renderer/lib/preferences.svelte.js';

// jsdom has no layout engine: give Svelte's size bindings the observer they expect (sizes stay 0).
class NoLayoutResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver as unknown as typeof ResizeObserver;

// Preferences persist in localStorage and module state: every test starts from the defaults.
beforeEach(() => {
  localStorage.clear();
  setPersonFaceOrder('confirmed-first');
  setPeopleOrder('most-faces');
});

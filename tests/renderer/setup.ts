import { configure } from '@testing-library/svelte';
import { beforeEach } from 'vitest';
import { setPeopleOrder, setPersonFaceOrder } from '../../renderer/lib/preferences.svelte.js';

// jsdom has no layout engine: give Svelte's size bindings the observer they expect (sizes stay 0).
class NoLayoutResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver as unknown as typeof ResizeObserver;

// findBy* and waitFor give up after 1 s by default: beside the model-heavy node tests on two cores, a fake job's
// 40 ms steps and the renders after them can take longer. Waiting longer changes nothing for a test that passes.
configure({ asyncUtilTimeout: 15_000 });

// Preferences persist in localStorage and module state: every test starts from the defaults.
beforeEach(() => {
  localStorage.clear();
  setPersonFaceOrder('confirmed-first');
  setPeopleOrder('most-faces');
});

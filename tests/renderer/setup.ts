import { configure } from '@testing-library/svelte';
import { beforeEach } from 'vitest';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { setPeopleOrder, setPersonFaceOrder, trainingForm } from '../../renderer/lib/preferences.svelte.js';
import { TRAINING_DEFAULTS } from '../../preload/contract.js';
import { parseHash, router } from '../../renderer/lib/router.svelte.js';

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

// The files share one jsdom and the renderer's modules (vitest.config.ts: isolate false), so what outlives a test
// starts from its defaults before the next: preferences (localStorage and module state, the Training form's), the toasts, and the route.
beforeEach(() => {
  localStorage.clear();
  setPersonFaceOrder('confirmed-first');
  setPeopleOrder('most-faces');
  Object.assign(trainingForm, { epochs: { embedder: TRAINING_DEFAULTS.embedder.epochs, autoencoder: TRAINING_DEFAULTS.autoencoder.epochs }, margin: TRAINING_DEFAULTS.embedder.margin, variational: false, offeredPasses: null });
  for (const toast of [...toasts.items]) toasts.dismiss(toast.id);
  if (location.hash) router.go(parseHash(''), { replace: true });
  router.takeReturnFocus();
});

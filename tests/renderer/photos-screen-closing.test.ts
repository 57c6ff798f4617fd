// @vitest-environment jsdom
// Photos closing while its filter was being checked. QA: Photos → "With people…" → Kit → open a photo → Esc → Import
// showed a page error, "t.personIds is not iterable", and Svelte warned of a derived read after its screen was gone:
// the check's answer came after the screen closed and fetched again, reading the props, which by then followed the
// Import route (no people).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import App from '../../renderer/App.svelte';
import { FamiliarClient } from '../../renderer/lib/api.js';
import { LiveState, toasts } from '../../renderer/lib/live.svelte.js';
import { router } from '../../renderer/lib/router.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';

afterEach(() => {
  vi.restoreAllMocks();
  router.go({ name: 'people' }, { replace: true });
});

describe('Photos closing mid-load', () => {
  it('drops the answers still on their way, without an error or a warning, and stays where the user went', async () => {
    const failures: unknown[] = [];
    const failed = (event: PromiseRejectionEvent | ErrorEvent) => failures.push('reason' in event ? event.reason : event.error);
    window.addEventListener('unhandledrejection', failed);
    window.addEventListener('error', failed);
    const onUnhandled = (reason: unknown) => failures.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const warnings: string[] = [];
    for (const level of ['warn', 'error'] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')));
    try {
      const engine = new FakeEngine(sampleAlbum());
      router.go({ name: 'photos', personIds: ['person-ada'], photoId: null }, { replace: true });
      render(App, { props: { client: new FamiliarClient(engine.bridge()), live: new LiveState() } });
      expect(await screen.findByRole('heading', { name: 'Photos', level: 1 })).toBeTruthy();
      await waitFor(() => expect(engine.calls('photos.list').length).toBeGreaterThan(0));
      // A photo opened and closed: the filter is checked again, slowly, and the user leaves for Import meanwhile.
      engine.callDelays['people.current'] = 150;
      const checks = engine.calls('people.current').length;
      router.go({ name: 'photos', personIds: ['person-ada'], photoId: 'photo1' });
      router.go({ name: 'photos', personIds: ['person-ada'], photoId: null });
      await waitFor(() => expect(engine.calls('people.current').length).toBeGreaterThan(checks));
      const listed = engine.calls('photos.list').length;
      router.go({ name: 'import' });
      expect(await screen.findByRole('heading', { name: 'Import', level: 1 })).toBeTruthy();
      await new Promise((done) => setTimeout(done, 300));
      expect(failures).toEqual([]);
      expect(warnings.filter((w) => /personIds|derived_inert|not iterable/.test(w))).toEqual([]);
      expect(router.current.name).toBe('import');
      // The closed screen fetched nothing more, and said nothing.
      expect(engine.calls('photos.list').length).toBe(listed);
      expect(toasts.items.filter((t) => t.tone === 'error')).toEqual([]);
    } finally {
      window.removeEventListener('unhandledrejection', failed);
      window.removeEventListener('error', failed);
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

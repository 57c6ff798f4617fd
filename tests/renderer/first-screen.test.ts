// @vitest-environment jsdom
// The screen the app opens on: People, unless the library has no photo yet (a first run), where it leads to Import.
import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import App from '../../renderer/App.svelte';
import { FamiliarClient } from '../../renderer/lib/api.js';
import { LiveState } from '../../renderer/lib/live.svelte.js';
import { router } from '../../renderer/lib/router.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';

/** The page as opened: on no screen in particular (no hash), the router on its default, People. */
function openedPlain(): void {
  router.go({ name: 'people' }, { replace: true });
  history.replaceState(null, '', location.pathname);
}

describe('first screen', () => {
  it('opens on Import when the library has no photo yet', async () => {
    openedPlain();
    render(App, { props: { client: new FamiliarClient(new FakeEngine().bridge()), live: new LiveState() } });
    expect(await screen.findByRole('heading', { name: 'Import', level: 1 })).toBeTruthy();
    expect(router.current).toEqual({ name: 'import' });
    expect(screen.getByRole('heading', { name: 'Add a folder of photos' })).toBeTruthy();
  });

  it('opens on People once there are photos, and on the screen a link asked for even in an empty library', async () => {
    openedPlain();
    const { unmount } = render(App, { props: { client: new FamiliarClient(new FakeEngine(sampleAlbum()).bridge()), live: new LiveState() } });
    expect(await screen.findByRole('heading', { name: 'People', level: 1 })).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(router.current).toEqual({ name: 'people' });
    unmount();

    router.go({ name: 'settings' }, { replace: true });
    render(App, { props: { client: new FamiliarClient(new FakeEngine().bridge()), live: new LiveState() } });
    expect(await screen.findByRole('heading', { name: 'Settings', level: 1 })).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(router.current).toEqual({ name: 'settings' });
  });
});

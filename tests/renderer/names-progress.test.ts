// @vitest-environment jsdom
// Reading names from a folder of sidecars says what it does before it reads the photos: the folder searched (what it
// found so far, not "0 of 0"), then each sidecar matched to its photo, counted in sidecars.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import NamesInterchange from '../../renderer/components/NamesInterchange.svelte';
import { FamiliarClient } from '../../renderer/lib/api.js';
import { clientKey, liveKey } from '../../renderer/lib/context.js';
import { LiveState } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';

describe('reading names from a folder', () => {
  it('says what it found in the folder, then counts the sidecars it matches', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.chosenFolders = ['/home/ada/Names'];
    engine.folderSidecars = { '/home/ada/Names': 136 };
    engine.stepMs = 300;
    // Choosing a folder needs the desktop app.
    const client = new FamiliarClient(engine.bridge('electron'));
    const live = new LiveState();
    live.connect(client);
    render(NamesInterchange, { context: new Map<symbol, unknown>([[clientKey, client], [liveKey, live]]) } as Parameters<typeof render>[1]);
    await fireEvent.click(screen.getByRole('button', { name: 'Read names from a folder…' }));
    const count = () => screen.getByTestId('names-count').textContent!.replace(/\s+/g, ' ').trim();
    await waitFor(() => expect(count()).toBe('Looking for sidecars: 136 found in 1 folder'));
    expect(screen.getByRole('heading', { name: 'Looking for sidecars in the folder' })).toBeTruthy();
    await waitFor(() => expect(count()).toMatch(/^0 of 136 sidecars · /));
    expect(screen.getByRole('heading', { name: 'Matching the sidecars to photos' })).toBeTruthy();
    await waitFor(() => expect(count()).toMatch(/of 12 photos · /), { timeout: 10_000 });
  });
});

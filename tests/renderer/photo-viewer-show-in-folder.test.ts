// @vitest-environment jsdom
// "Show in folder" in the photo viewer: the desktop app opens the system's file manager on the photo's file; a file gone
// from disk is said in a toast; a browser, where the files are on the machine running Familiar, offers no such button.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import PhotoViewer from '../../renderer/components/PhotoViewer.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

const open = (engine: FakeEngine, mode: 'electron' | 'browser') =>
  renderScreen(PhotoViewer, { photoId: 'photo1', people: [], onclose: () => {}, onstep: () => {} }, engine, mode);

describe('Photo viewer: Show in folder', () => {
  it('asks the desktop app to show the photo\'s file, by the photo\'s id', async () => {
    const engine = new FakeEngine(sampleAlbum());
    open(engine, 'electron');
    await fireEvent.click(await screen.findByRole('button', { name: 'Show in folder' }));
    await waitFor(() => expect(engine.calls('photos.showInFolder')).toEqual([{ photoId: 'photo1' }]));
    expect(toasts.items).toEqual([]);
  });

  it('says in a toast that the file is not on disk', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.goneFromDisk = ['photo1'];
    open(engine, 'electron');
    await fireEvent.click(await screen.findByRole('button', { name: 'Show in folder' }));
    await waitFor(() => expect(toasts.items.map((t) => t.message)).toEqual([expect.stringMatching(/^The file of this photo is not on disk \(.*img_1\.jpg\): it was moved or deleted/)]));
  });

  it('is not offered in a browser', async () => {
    open(new FakeEngine(sampleAlbum()), 'browser');
    await screen.findByRole('button', { name: 'Zoom in (+)' });
    expect(screen.queryByRole('button', { name: 'Show in folder' })).toBeNull();
  });
});

// @vitest-environment jsdom
// The photo viewer says where else a photo is: the same file in other folders, the photo a resized copy was made from
// (with "Not a copy", undoable), and the copies a photo has (main/library/copies.ts).
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import PhotoViewer from '../../renderer/components/PhotoViewer.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

const open = (engine: FakeEngine, photoId: string) => renderScreen(PhotoViewer, { photoId, people: [], onclose: () => {}, onstep: () => {} }, engine);

describe('Photo viewer: copies', () => {
  it('names the photo a copy was made from, and "Not a copy" parts them until Undo', async () => {
    const album = sampleAlbum();
    album.photos.find((p) => p.id === 'photo2')!.copyOf = 'photo1';
    const engine = new FakeEngine(album);
    open(engine, 'photo2');
    const said = await screen.findByTestId('viewer-copy-of');
    expect(said.textContent).toContain('A copy of photos/img_1.jpg, resized or saved again');
    await fireEvent.click(screen.getByRole('button', { name: 'Not a copy' }));
    await waitFor(() => expect(engine.state.photos.find((p) => p.id === 'photo2')!.copyOf).toBeUndefined());
    await waitFor(() => expect(screen.queryByTestId('viewer-copy-of')).toBeNull());
    const toast = toasts.items.find((t) => t.message === 'A photo taken for a copy of another is a photo of its own again.')!;
    expect(toast.action?.label).toBe('Undo');
    await toast.action!.run();
    await waitFor(() => expect(engine.state.photos.find((p) => p.id === 'photo2')!.copyOf).toBe('photo1'));
    expect(await screen.findByTestId('viewer-copy-of')).toBeTruthy();
  });

  it('says which copies a photo has', async () => {
    const album = sampleAlbum();
    album.photos.find((p) => p.id === 'photo2')!.copyOf = 'photo1';
    open(new FakeEngine(album), 'photo1');
    expect((await screen.findByTestId('viewer-copies')).textContent).toContain('A copy of this photo, resized or saved again (photos/img_2.jpg), shares what you say of its faces.');
  });
});

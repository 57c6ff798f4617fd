// @vitest-environment jsdom
// A box around no face at all (a pattern on a wall, a pet) could only be set aside, and stayed drawn on the photo for
// good (QA). The viewer's "Not a face: remove the box" takes it off the photo, and the toast's Undo puts it back.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import PhotoViewer from '../../renderer/components/PhotoViewer.svelte';
import type { PersonSummary } from '../../renderer/lib/types.js';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

async function viewerOnTheStranger(setAsideFirst: boolean) {
  const engine = new FakeEngine(sampleAlbum());
  if (setAsideFirst) await engine.dispatcher.call('faces.ignore', { faceIds: ['face11-0'] });
  const people = (await engine.dispatcher.call('people.list', { includeHidden: true })).result as PersonSummary[];
  renderScreen(PhotoViewer, { photoId: 'photo11', people, onclose: () => {}, onstep: () => {} }, engine);
  return engine;
}

describe('Photo viewer: a box that is not a face', () => {
  for (const setAsideFirst of [false, true]) {
    it(`removes the box from the photo${setAsideFirst ? ', after it was set aside' : ''}, and Undo brings it back`, async () => {
      const engine = await viewerOnTheStranger(setAsideFirst);
      const row = await screen.findByRole('button', { name: setAsideFirst ? 'Set aside — name it anyway' : 'Unnamed face — name it' });
      await fireEvent.click(row);
      await fireEvent.click(await screen.findByRole('button', { name: 'Not a face: remove the box' }));
      await waitFor(() => expect(engine.calls('faces.notAFace')).toEqual([{ faceIds: ['face11-0'] }]));
      await waitFor(() => expect(screen.getByText('No faces were found in this photo.')).toBeTruthy());
      expect(screen.queryByRole('button', { name: /^Face/ })).toBeNull();
      const toast = toasts.items.find((t) => t.message === 'Removed a box that was not a face.')!;
      expect(toast.action?.label).toBe('Undo');
      await toast.action!.run();
      await waitFor(() => expect(screen.queryByText('No faces were found in this photo.')).toBeNull());
      expect(await screen.findByRole('button', { name: setAsideFirst ? 'Set aside — name it anyway' : 'Unnamed face — name it' })).toBeTruthy();
    });
  }

  it('is not offered for a named face', async () => {
    const engine = new FakeEngine(sampleAlbum());
    const people = (await engine.dispatcher.call('people.list', { includeHidden: true })).result as PersonSummary[];
    const photo = engine.state.photos.find((p) => p.faceIds.some((id) => engine.state.faces.find((f) => f.id === id)?.personId && people.find((q) => q.id === engine.state.faces.find((f) => f.id === id)!.personId)?.name))!;
    renderScreen(PhotoViewer, { photoId: photo.id, people, onclose: () => {}, onstep: () => {} }, engine);
    const named = people.find((q) => q.name && engine.state.faces.some((f) => f.photoId === photo.id && f.personId === q.id))!;
    await fireEvent.click(await screen.findByRole('button', { name: new RegExp(`^${named.name}`) }));
    expect(await screen.findByRole('combobox', { name: 'Name this face' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Not a face: remove the box' })).toBeNull();
  });
});

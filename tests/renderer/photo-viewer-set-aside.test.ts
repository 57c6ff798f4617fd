// @vitest-environment jsdom
// A face the user set aside ("Don't ask about this face") is not a face waiting for a name: the photo viewer said
// "Unnamed face — name it" of it (QA). It says the face was set aside, on its box, in the list and in its editor, and
// naming it anyway works as before.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import PhotoViewer from '../../renderer/components/PhotoViewer.svelte';
import type { PersonSummary } from '../../renderer/lib/types.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

/** The sample album's stranger (photo11, in no group), set aside, open in the viewer. */
async function strangerSetAside() {
  const engine = new FakeEngine(sampleAlbum());
  await engine.dispatcher.call('faces.ignore', { faceIds: ['face11-0'] });
  const people = (await engine.dispatcher.call('people.list', { includeHidden: true })).result as PersonSummary[];
  renderScreen(PhotoViewer, { photoId: 'photo11', people, onclose: () => {}, onstep: () => {} }, engine);
  return engine;
}

describe('Photo viewer: a face set aside', () => {
  it('says it was set aside on its box and in the list, not "Unnamed face"', async () => {
    await strangerSetAside();
    expect(await screen.findByRole('button', { name: 'Set aside — name it anyway' })).toBeTruthy();
    expect(screen.queryByText(/Unnamed face/)).toBeNull();
    expect(document.querySelector('.tag')?.textContent).toBe('Set aside');
    const box = screen.getByRole('button', { name: /^Face: set aside, not asked about\./ });
    expect(box.title).toBe('you asked Familiar not to ask about this face: click it to name it anyway');
  });

  it('says so in its editor, offers no "Don\'t ask" again, and names it anyway', async () => {
    const engine = await strangerSetAside();
    await fireEvent.click(await screen.findByRole('button', { name: 'Set aside — name it anyway' }));
    expect(await screen.findByRole('heading', { name: 'Set aside' })).toBeTruthy();
    expect(screen.getByText('You asked Familiar not to ask about this face. If you know who it is, you can name it anyway.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Don't ask about this face/ })).toBeNull();
    const field = screen.getByRole('combobox', { name: 'Name this face' });
    await typeInto(field, 'Dora');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('faces.name')).toEqual([{ faceIds: ['face11-0'], name: 'Dora' }]));
  });
});

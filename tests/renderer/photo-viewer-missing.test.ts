// @vitest-environment jsdom
// A photo whose file is gone from disk (deleted or moved outside Familiar): the viewer showed a black box that said
// the file "was moved, deleted, changed or damaged", with no word of where it was, told the user to click face boxes
// it did not draw, and offered to zoom into nothing. It says plainly the file is missing and where it was, and its
// faces stay listed, to name and correct as before.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import PhotoViewer from '../../renderer/components/PhotoViewer.svelte';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

/** photo0 (Ada and an unnamed group's face), its file gone from disk, open in the viewer. */
function openMissing() {
  const engine = new FakeEngine(sampleAlbum());
  engine.missingPhotos = ['photo0'];
  renderScreen(PhotoViewer, { photoId: 'photo0', people: [], onclose: () => {}, onstep: () => {} }, engine);
  return engine;
}

describe('Photo viewer: a photo whose file is missing', () => {
  it('says the file is missing and where it was, and tries no picture, no zoom and no marking', async () => {
    openMissing();
    const said = await screen.findByTestId('viewer-missing');
    expect(said.textContent).toContain('This photo’s file is missing');
    expect(said.textContent).toContain('It was moved or deleted outside Familiar. It was at:');
    expect(said.textContent).toContain('/photos/img_0.jpg');
    expect(said.textContent).toContain('Its faces and names are kept: put the file back, or import it from its new place.');
    expect(document.querySelector('.viewer .stage img')).toBeNull();
    expect(screen.queryByRole('group', { name: 'Zoom' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Mark a missed face' })).toBeNull();
  });

  it('keeps its faces in the list, points to them rather than to boxes, and names one from there', async () => {
    const engine = openMissing();
    expect(await screen.findByRole('button', { name: 'Ada' })).toBeTruthy();
    expect(screen.getByTestId('viewer-tip').textContent).toBe('Click a face in the list to name or correct it.');
    await fireEvent.click(screen.getByRole('button', { name: 'Unnamed group' }));
    const field = await screen.findByRole('combobox', { name: 'Name this face' });
    await typeInto(field, 'Bob');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.log.some((c) => c.name === 'people.rename' || c.name === 'faces.name')).toBe(true));
  });

  it('still shows a photo whose file is there, with its zoom and its face boxes', async () => {
    renderScreen(PhotoViewer, { photoId: 'photo0', people: [], onclose: () => {}, onstep: () => {} }, new FakeEngine(sampleAlbum()));
    expect(await screen.findByRole('group', { name: 'Zoom' })).toBeTruthy();
    expect(document.querySelector('.viewer .stage img')).toBeTruthy();
    expect(screen.queryByTestId('viewer-missing')).toBeNull();
    expect(screen.getByTestId('viewer-tip').textContent).toBe('Click a face box to name or correct it.');
  });
});

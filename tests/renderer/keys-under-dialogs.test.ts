// @vitest-environment jsdom
// While a dialog is open, the window's keys are the dialog's alone. QA: with the shortcuts ("?") or "Delete person…"
// open over a person's Suggestions, N marked a face as not them and Y confirmed one; in the photo viewer, → behind
// the shortcuts stepped to the next photo, and one Escape closed both the shortcuts and the viewer.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { router } from '../../renderer/lib/router.svelte.js';
import { renderAppAt } from './render.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';

const disconnects: Array<() => void> = [];
afterEach(() => {
  disconnects.splice(0).forEach((disconnect) => disconnect());
  router.go({ name: 'people' }, { replace: true });
});

const shortcuts = () => screen.queryByRole('dialog', { name: 'Keyboard shortcuts' });

describe('keys under a dialog', () => {
  it('on Suggestions, Y, N and the arrows do nothing behind the shortcuts or the delete question; Escape closes the dialog alone', async () => {
    const engine = new FakeEngine(sampleAlbum());
    disconnects.push(await renderAppAt({ name: 'person', personId: 'person-ada' }, engine));
    await fireEvent.click(await screen.findByRole('tab', { name: /Suggestions/ }));
    expect(await screen.findByRole('heading', { name: 'Is this Ada?' })).toBeTruthy();
    expect(screen.getByText(/1 of 2/)).toBeTruthy();

    await fireEvent.keyDown(document.body, { key: '?' });
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const key of ['n', 'y', 'ArrowRight']) await fireEvent.keyDown(dialog, { key });
    await fireEvent.keyDown(document.body, { key: 'n' });
    expect(screen.getByText(/1 of 2/)).toBeTruthy();
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    await waitFor(() => expect(shortcuts()).toBeNull());
    // Still on the person's page: the Escape was the dialog's, not the page's "back to People".
    expect(router.current).toMatchObject({ name: 'person', personId: 'person-ada' });

    await fireEvent.click(screen.getByRole('button', { name: 'Delete person…' }));
    const question = await screen.findByRole('alertdialog');
    await fireEvent.keyDown(question, { key: 'y' });
    await fireEvent.keyDown(document.body, { key: 'n' });
    expect(engine.calls('faces.confirm')).toEqual([]);
    expect(engine.calls('faces.reject')).toEqual([]);
    expect(engine.calls('people.delete')).toEqual([]);
    await fireEvent.keyDown(question, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());

    // With no dialog open, the keys answer again.
    await fireEvent.keyDown(document.body, { key: 'n' });
    await waitFor(() => expect(engine.calls('faces.reject')).toEqual([{ faceIds: ['face9-0'], personId: 'person-ada' }]));
  });

  it('in the photo viewer, → behind the shortcuts does not step, and Escape closes the shortcuts and leaves the viewer open', async () => {
    const engine = new FakeEngine(sampleAlbum());
    disconnects.push(await renderAppAt({ name: 'photos', personIds: [], photoId: 'photo1' }, engine));
    const viewer = await screen.findByRole('dialog', { name: 'Photo' });
    await waitFor(() => expect(within(viewer).getByRole('button', { name: 'Next photo' }).hasAttribute('disabled')).toBe(false));

    await fireEvent.keyDown(document.body, { key: '?' });
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    await fireEvent.keyDown(dialog, { key: 'ArrowRight' });
    expect(router.current).toMatchObject({ name: 'photos', photoId: 'photo1' });

    await fireEvent.keyDown(dialog, { key: 'Escape' });
    await waitFor(() => expect(shortcuts()).toBeNull());
    expect(screen.getByRole('dialog', { name: 'Photo' })).toBe(viewer);
    expect(router.current).toMatchObject({ name: 'photos', photoId: 'photo1' });

    // The viewer has its keys back.
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    await waitFor(() => expect(router.current).not.toMatchObject({ photoId: 'photo1' }));
    await fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Photo' })).toBeNull());
  });
});

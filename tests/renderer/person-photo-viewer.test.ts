// @vitest-environment jsdom
// A photo opened from a person's faces opens over their page, and closing it comes back there (QA: Enter on a face, or
// a double-click, went to Photos filtered to the person: Escape then left the person's page for Photos, the sidebar's
// highlight jumped from People to Photos, and ← → stepped through Photos' list). As in Apple Photos and Immich: the
// address is the person's (#/person/<id>/photo/<photoId>), ← → step through the photos of their faces in the page's
// order, and closing goes back to their faces with the focus on the face of the photo shown last. Closing is the
// browser's Back when the photo was opened from the page, so Back afterwards leaves the page, not opens the photo again.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../renderer/App.svelte';
import { FamiliarClient } from '../../renderer/lib/api.js';
import { LiveState } from '../../renderer/lib/live.svelte.js';
import { router } from '../../renderer/lib/router.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';

const disconnects: Array<() => void> = [];
afterEach(() => {
  disconnects.splice(0).forEach((disconnect) => disconnect());
  router.go({ name: 'people' }, { replace: true });
});

/** The app on People, then on Ada's page as a click on her card opens it (a new entry in the history). */
async function onAdasPage(engine: FakeEngine) {
  router.go({ name: 'people' }, { replace: true });
  const client = new FamiliarClient(engine.bridge());
  const live = new LiveState();
  disconnects.push(live.connect(client));
  render(App, { props: { client, live } });
  router.go({ name: 'person', personId: 'person-ada' });
  return within(await screen.findByRole('listbox', { name: 'Faces of Ada' })).getAllByRole('option');
}

/** The photos of Ada's faces, in the page's order. */
async function adasPhotos(engine: FakeEngine): Promise<string[]> {
  const answer = await engine.dispatcher.call('faces.ofPerson', { personId: 'person-ada', offset: 0, limit: 50, order: 'confirmed-first' });
  return (answer.result as { faces: Array<{ photoId: string }> }).faces.map((f) => f.photoId);
}

const viewer = () => screen.findByRole('dialog', { name: 'Photo' });
const sidebarCurrent = () => document.querySelector('nav [aria-current="page"]')?.textContent?.trim() ?? '';
const faceOption = (index: number) => document.querySelector<HTMLElement>(`[role="listbox"] [data-index="${index}"]`);

describe("a photo opened from a person's faces", () => {
  it('opens over their page, steps through their photos, and closes back onto the face shown last', async () => {
    const engine = new FakeEngine(sampleAlbum());
    const photos = await adasPhotos(engine);
    const faces = await onAdasPage(engine);
    expect(sidebarCurrent()).toMatch(/^People/);
    faces[1].focus();
    await fireEvent.keyDown(faces[1], { key: 'Enter' });
    const dialog = await viewer();
    expect(router.current).toEqual({ name: 'person', personId: 'person-ada', photoId: photos[1] });
    expect(location.hash).toBe(`#/person/person-ada/photo/${photos[1]}`);
    // Still Ada's page under the photo: People stays highlighted, and nothing of Photos is there.
    expect(sidebarCurrent()).toMatch(/^People/);
    expect(screen.queryByRole('heading', { name: 'Photos' })).toBeNull();

    // → goes to the photo of her next face, ← back, as her page orders them; not Photos' list.
    await waitFor(() => expect((within(dialog).getByRole('button', { name: 'Next photo' }) as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() => expect(router.current).toEqual({ name: 'person', personId: 'person-ada', photoId: photos[2] }));
    await fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() => expect(router.current).toEqual({ name: 'person', personId: 'person-ada', photoId: photos[3] }));
    await fireEvent.keyDown(window, { key: 'ArrowLeft' });
    await waitFor(() => expect(router.current).toEqual({ name: 'person', personId: 'person-ada', photoId: photos[2] }));

    // Escape: back on her faces, the focus on the face whose photo was shown last.
    await fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Photo' })).toBeNull());
    expect(router.current).toEqual({ name: 'person', personId: 'person-ada' });
    expect(location.hash).toBe('#/person/person-ada');
    expect(sidebarCurrent()).toMatch(/^People/);
    await waitFor(() => expect(document.activeElement).toBe(faceOption(2)));
    // The photo's entry was taken back, not a new one added: Back leaves for People, not into the photo again.
    history.back();
    await waitFor(() => expect(router.current).toEqual({ name: 'people' }));
  });

  it('opens with a double-click, and closes with its Close button or the browser’s Back onto that face', async () => {
    const engine = new FakeEngine(sampleAlbum());
    const photos = await adasPhotos(engine);
    const faces = await onAdasPage(engine);
    await fireEvent.dblClick(faces[3]);
    let dialog = await viewer();
    expect(router.current).toEqual({ name: 'person', personId: 'person-ada', photoId: photos[3] });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Close (Escape)' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Photo' })).toBeNull());
    expect(router.current).toEqual({ name: 'person', personId: 'person-ada' });
    await waitFor(() => expect(document.activeElement).toBe(faceOption(3)));

    faceOption(0)!.focus();
    await fireEvent.keyDown(faceOption(0)!, { key: 'Enter' });
    dialog = await viewer();
    // No face before the first: Previous is off.
    await waitFor(() => expect((within(dialog).getByRole('button', { name: 'Next photo' }) as HTMLButtonElement).disabled).toBe(false));
    expect((within(dialog).getByRole('button', { name: 'Previous photo' }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() => expect(router.current).toEqual({ name: 'person', personId: 'person-ada', photoId: photos[1] }));
    history.back();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Photo' })).toBeNull());
    expect(router.current).toEqual({ name: 'person', personId: 'person-ada' });
    await waitFor(() => expect(document.activeElement).toBe(faceOption(1)));
  });

  it('opened from a link, closes onto their faces in place of the photo', async () => {
    const engine = new FakeEngine(sampleAlbum());
    const photos = await adasPhotos(engine);
    router.go({ name: 'person', personId: 'person-ada', photoId: photos[2] }, { replace: true });
    history.replaceState(null, '', location.hash);
    const client = new FamiliarClient(engine.bridge());
    const live = new LiveState();
    disconnects.push(live.connect(client));
    render(App, { props: { client, live } });
    const dialog = await viewer();
    await screen.findByRole('listbox', { name: 'Faces of Ada' });
    // Its place among her faces is found: the arrows work.
    await waitFor(() => expect((within(dialog).getByRole('button', { name: 'Previous photo' }) as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Photo' })).toBeNull());
    expect(router.current).toEqual({ name: 'person', personId: 'person-ada' });
    expect(location.hash).toBe('#/person/person-ada');
    await waitFor(() => expect(document.activeElement).toBe(faceOption(2)));
  });
});

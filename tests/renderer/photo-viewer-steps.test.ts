// @vitest-environment jsdom
// Stepping through Photos in the viewer. QA: with a person filter, naming the open photo's face someone else took the
// photo out of the list, and ← → and Previous/Next did nothing any more; the viewer stayed on it until closed. The
// photo stays on screen, and the arrows go on from its place in the list as it was. And at the ends of the list
// Previous and Next are disabled, not buttons that look active and do nothing; the end is the whole list's, not the
// pages fetched so far.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../renderer/App.svelte';
import { FamiliarClient } from '../../renderer/lib/api.js';
import { LiveState } from '../../renderer/lib/live.svelte.js';
import { router } from '../../renderer/lib/router.svelte.js';
import { FakeEngine, sampleAlbum, type FakeState } from './fake-engine.js';
import { typeInto } from './render.js';

const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The ids of the photos Photos lists for the filter, in its order. */
async function listed(engine: FakeEngine, personIds: string[]): Promise<string[]> {
  const page = (await engine.dispatcher.call('photos.list', { personIds, only: false, offset: 0, limit: 500, timeZone })).result as { photos: Array<{ id: string }> };
  return page.photos.map((p) => p.id);
}

const disconnects: Array<() => void> = [];
afterEach(() => {
  disconnects.splice(0).forEach((disconnect) => disconnect());
  router.go({ name: 'people' }, { replace: true });
});

/** The app on `route`, told of the engine's changes as main.ts has it (the route drives Photos and its viewer). */
function renderApp(engine: FakeEngine, route: Parameters<typeof router.go>[0]) {
  router.go(route, { replace: true });
  const client = new FamiliarClient(engine.bridge());
  const live = new LiveState();
  disconnects.push(live.connect(client));
  render(App, { props: { client, live } });
}

/** Photos opened on `photoId`, with the filter. */
async function openInPhotos(engine: FakeEngine, personIds: string[], photoId: string) {
  renderApp(engine, { name: 'photos', personIds, photoId });
  return screen.findByRole('dialog', { name: 'Photo' });
}

const stepButton = (viewer: HTMLElement, name: 'Previous photo' | 'Next photo') => within(viewer).getByRole('button', { name }) as HTMLButtonElement;
/** The photo the viewer shows, by the image it loaded. */
const shownPhoto = (viewer: HTMLElement) => viewer.querySelector('img')?.getAttribute('src') ?? '';

/** Ada's photos, the middle one open; its face named Astrid takes it out of "photos with Ada". */
async function namedOutOfTheFilter() {
  const engine = new FakeEngine(sampleAlbum());
  const order = await listed(engine, ['person-ada']);
  const at = Math.floor(order.length / 2);
  const open = order[at];
  const viewer = await openInPhotos(engine, ['person-ada'], open);
  await waitFor(() => expect(stepButton(viewer, 'Next photo').disabled).toBe(false));
  const faceId = engine.state.photos.find((p) => p.id === open)!.faceIds[0];
  const faceRow = await waitFor(() => {
    const row = viewer.querySelector<HTMLElement>(`[data-face-row="${faceId}"]`);
    if (!row) throw new Error('The photo has not loaded');
    return row;
  });
  await fireEvent.click(faceRow);
  const field = within(viewer).getByRole('combobox', { name: 'Name this face' });
  await typeInto(field, 'Astrid');
  await fireEvent.keyDown(field, { key: 'Enter' });
  await waitFor(() => expect(engine.calls('faces.name')).toEqual([{ faceIds: [faceId], name: 'Astrid' }]));
  // The grid behind has the photo no more; the viewer still shows it.
  await waitFor(() => expect(screen.getByText(`${order.length - 1} photos with Ada`)).toBeTruthy());
  expect(router.current).toMatchObject({ photoId: open });
  expect(shownPhoto(viewer)).toContain(open);
  return { engine, viewer, order, at };
}

describe('Photo viewer: stepping through Photos', () => {
  it('goes on to the photo after it when the open photo leaves the filter (→)', async () => {
    const { viewer, order, at } = await namedOutOfTheFilter();
    expect(stepButton(viewer, 'Next photo').disabled).toBe(false);
    await fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() => expect(router.current).toMatchObject({ photoId: order[at + 1] }));
    await waitFor(() => expect(shownPhoto(viewer)).toContain(order[at + 1]));
  });

  it('goes back to the photo before it when the open photo leaves the filter (← and Previous)', async () => {
    const { viewer, order, at } = await namedOutOfTheFilter();
    expect(stepButton(viewer, 'Previous photo').disabled).toBe(false);
    await fireEvent.click(stepButton(viewer, 'Previous photo'));
    await waitFor(() => expect(router.current).toMatchObject({ photoId: order[at - 1] }));
    // And on from there, through the list as it is now.
    await fireEvent.keyDown(window, { key: 'ArrowLeft' });
    await waitFor(() => expect(router.current).toMatchObject({ photoId: order[at - 2] }));
  });

  it('goes on from a photo that left "Only them" when a missed face marked in it was named', async () => {
    const engine = new FakeEngine(sampleAlbum());
    renderApp(engine, { name: 'photos', personIds: ['person-ada'], photoId: null });
    await fireEvent.click(await screen.findByRole('checkbox', { name: /Only them/ }));
    await screen.findByText('4 photos with Ada only');
    const order = (await engine.dispatcher.call('photos.list', { personIds: ['person-ada'], only: true, offset: 0, limit: 100, timeZone })).result as { photos: Array<{ id: string }> };
    const ids = order.photos.map((p) => p.id);
    expect(ids).toHaveLength(4);
    // Opened as a tile opens it: "Only them" is in the address, which the screen follows.
    router.go({ name: 'photos', personIds: ['person-ada'], photoId: ids[1], only: true });
    const viewer = await screen.findByRole('dialog', { name: 'Photo' });
    await waitFor(() => expect(stepButton(viewer, 'Next photo').disabled).toBe(false));

    // A box drawn with the keys where there is no face: kept as drawn, of nobody, and named Astrid.
    await fireEvent.click(await within(viewer).findByRole('button', { name: 'Mark a missed face' }));
    const layer = await within(viewer).findByRole('button', { name: /Drag a box around the missed face/ });
    await fireEvent.keyDown(layer, { key: 'Enter' });
    await fireEvent.keyDown(layer, { key: 'Enter' });
    const field = await within(viewer).findByRole('combobox', { name: 'Name this face' });
    await typeInto(field, 'Astrid');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('faces.name')).toHaveLength(1));
    await screen.findByText('3 photos with Ada only');
    expect(shownPhoto(viewer)).toContain(ids[1]);

    await fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() => expect(router.current).toMatchObject({ photoId: ids[2] }));
    await fireEvent.keyDown(window, { key: 'ArrowLeft' });
    await waitFor(() => expect(router.current).toMatchObject({ photoId: ids[0] }));
    // The first of the list now: nothing before it.
    await waitFor(() => expect(stepButton(viewer, 'Previous photo').disabled).toBe(true));
  });

  it('disables Previous on the first photo and Next on the last of the whole list, not of the pages fetched', async () => {
    // 202 photos: the list comes 200 at a time, so the last two are on a page fetched only when stepped to.
    const album: FakeState = sampleAlbum();
    for (let i = 0; i < 190; i++) album.photos.push({ id: `extra${i}`, path: `/photos/extra_${i}.jpg`, width: 800, height: 600, takenAt: null, faceIds: [] });
    const engine = new FakeEngine(album);
    const order = await listed(engine, []);
    expect(order).toHaveLength(202);

    const viewer = await openInPhotos(engine, [], order[0]);
    await waitFor(() => expect(stepButton(viewer, 'Next photo').disabled).toBe(false));
    const previous = stepButton(viewer, 'Previous photo');
    expect(previous.disabled).toBe(true);
    expect(previous.getAttribute('aria-disabled')).toBe('true');
    await fireEvent.keyDown(window, { key: 'ArrowLeft' });
    await new Promise((done) => setTimeout(done, 30));
    expect(router.current).toMatchObject({ photoId: order[0] });

    // The last photo of the first page is not the last of the list.
    router.go({ name: 'photos', personIds: [], photoId: order[199] }, { replace: true });
    await waitFor(() => expect(shownPhoto(viewer)).toContain(order[199]));
    await waitFor(() => expect(stepButton(viewer, 'Previous photo').disabled).toBe(false));
    expect(stepButton(viewer, 'Next photo').disabled).toBe(false);
    await fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() => expect(router.current).toMatchObject({ photoId: order[200] }));
    await waitFor(() => expect(stepButton(viewer, 'Next photo').disabled).toBe(false));
    await fireEvent.click(stepButton(viewer, 'Next photo'));
    await waitFor(() => expect(router.current).toMatchObject({ photoId: order[201] }));
    await waitFor(() => expect(stepButton(viewer, 'Next photo').disabled).toBe(true));
    expect(stepButton(viewer, 'Next photo').getAttribute('aria-disabled')).toBe('true');
    expect(stepButton(viewer, 'Previous photo').disabled).toBe(false);
    await fireEvent.keyDown(window, { key: 'ArrowRight' });
    await new Promise((done) => setTimeout(done, 30));
    expect(router.current).toMatchObject({ photoId: order[201] });
  });
});

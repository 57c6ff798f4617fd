// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import PhotosScreen from '../../renderer/screens/PhotosScreen.svelte';
import { FakeEngine, sampleAlbum, type FakeState } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';
import { router } from '../../renderer/lib/router.svelte.js';

function bigAlbum(count: number): FakeState {
  const album = sampleAlbum();
  for (let i = 0; i < count; i++) album.photos.push({ id: `extra${i}`, path: `/photos/extra_${i}.jpg`, width: 800, height: 600, takenAt: null, faceIds: [] });
  return album;
}

describe('Photos screen', () => {
  it('renders only the rows on screen, however large the library', async () => {
    const engine = new FakeEngine(bigAlbum(5000));
    renderScreen(PhotosScreen, { personIds: [], photoId: null }, engine);
    expect(await screen.findByText('5,012 photos')).toBeTruthy();
    const cells = within(screen.getByRole('listbox', { name: 'Photos' })).getAllByRole('option');
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.length).toBeLessThan(100);
    // Only the first page of photos was fetched.
    expect(engine.calls('photos.list')).toEqual([{ personIds: [], only: false, offset: 0, limit: 200 }]);
  });

  it('says who is in each photo to a screen reader, not only how many faces', async () => {
    renderScreen(PhotosScreen, { personIds: [], photoId: null });
    expect(await screen.findByText('12 photos')).toBeTruthy();
    const labels = within(screen.getByRole('listbox', { name: 'Photos' }))
      .getAllByRole('option')
      .map((cell) => cell.getAttribute("aria-label")!);
    expect(labels.some((label) => /^Ada, photo (from .+|with no date)$/.test(label))).toBe(true);
    // Faces nobody named are counted.
    expect(labels).toContain('Ada (+1 face), photo from Jan 10, 2024');
  });

  it('keeps the photos on screen while it fetches them again after a change, instead of blanking the grid', async () => {
    const { engine, live } = renderScreen(PhotosScreen, { personIds: [], photoId: null });
    expect(await screen.findByText('12 photos')).toBeTruthy();
    const loaded = () => within(screen.getByRole('listbox', { name: 'Photos' })).getAllByRole('option').filter((cell) => cell.getAttribute('aria-label') !== 'Loading photo').length;
    const before = loaded();
    expect(before).toBeGreaterThan(0);
    let answer: (() => void) | null = null;
    const call = engine.dispatcher.call.bind(engine.dispatcher);
    // The next photos.list answers only when the test says so.
    engine.dispatcher.call = async (name, args) => {
      if (name === 'photos.list') await new Promise<void>((resolve) => (answer = resolve));
      return call(name, args);
    };
    live.changes.photos++;
    await waitFor(() => expect(answer).not.toBeNull());
    expect(loaded()).toBe(before);
    answer!();
    await waitFor(() => expect(engine.calls('photos.list')).toHaveLength(2));
    expect(loaded()).toBe(before);
  });

  it('filters by several people at once (AND)', async () => {
    const { engine } = renderScreen(PhotosScreen, { personIds: ['person-ada', 'person-bob'], photoId: null });
    expect(await screen.findByText('1 photo with Ada and an unnamed group')).toBeTruthy();
    expect(engine.calls('photos.list')[0]).toEqual({ personIds: ['person-ada', 'person-bob'], only: false, offset: 0, limit: 200 });
    await fireEvent.click(screen.getByRole('checkbox', { name: /Only them/ }));
    await waitFor(() => expect(engine.calls('photos.list').at(-1)).toMatchObject({ only: true }));
  });

  it('adds a person to the filter from part of their name with Enter, as a search does', async () => {
    renderScreen(PhotosScreen, { personIds: [], photoId: null });
    await fireEvent.click(await screen.findByRole('button', { name: 'With people…' }));
    const field = screen.getByRole('combobox', { name: 'Person to filter by' });
    await typeInto(field, 'ad');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(router.current).toEqual({ name: 'photos', personIds: ['person-ada'], photoId: null }));
    // The field stays, empty and focused, for the next name; a name nobody has stays in it, to correct, and says so.
    const again = await screen.findByRole('combobox', { name: 'Person to filter by' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'Person to filter by' })));
    expect((again as HTMLInputElement).value).toBe('');
    await typeInto(again, 'zzz');
    await fireEvent.keyDown(again, { key: 'Enter' });
    expect((screen.getByRole('combobox', { name: 'Person to filter by' }) as HTMLInputElement).value).toBe('zzz');
    expect(screen.getByRole('alert').textContent).toBe('Nobody is called “zzz”.');
    await fireEvent.keyDown(again, { key: 'Escape' });
    // Focus stays in the filter, on the button that adds another person.
    await waitFor(() => expect(document.activeElement?.textContent?.trim()).toMatch(/^(With people…|\+ and…)$/));
  });

  it('says a photo no longer in the library is gone, instead of an error to retry', async () => {
    renderScreen(PhotosScreen, { personIds: [], photoId: 'f'.repeat(64) });
    expect(await screen.findByText('This photo is no longer in your library')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('opens the viewer with named face boxes; clicking a box names the face', async () => {
    const { engine } = renderScreen(PhotosScreen, { personIds: [], photoId: 'photo11' });
    const dialog = await screen.findByRole('dialog', { name: 'Photo' });
    const box = await screen.findByRole('button', { name: 'Face: unknown. Click to name or correct.' });
    await fireEvent.click(box);
    const field = screen.getByRole('combobox', { name: 'Name this face' });
    (field as HTMLInputElement).value = 'Dana';
    await fireEvent.input(field);
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('faces.name')).toEqual([{ faceIds: ['face11-0'], name: 'Dana' }]));
    expect(dialog).toBeTruthy();
    // The editor closes and the focus lands on the face's row in the list, not on the page behind.
    await waitFor(() => expect(document.activeElement?.getAttribute('data-face-row')).toBe('face11-0'));
  });

  it('a new name for a face of an unnamed group names the group, not a one-face person beside it', async () => {
    const { engine } = renderScreen(PhotosScreen, { personIds: [], photoId: 'photo5' });
    await fireEvent.click(await screen.findByRole('button', { name: 'Face: in an unnamed group. Click to name or correct.' }));
    expect(screen.getByText("A new name names this face's whole group.")).toBeTruthy();
    const field = screen.getByRole('combobox', { name: 'Name this face' });
    (field as HTMLInputElement).value = 'Bob';
    await fireEvent.input(field);
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('people.rename')).toEqual([{ personId: 'person-bob', name: 'Bob' }]));
    expect(engine.calls('faces.name')).toEqual([]);
  });
});

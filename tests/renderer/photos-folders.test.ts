// @vitest-environment jsdom
// The Photos screen by folder: the folders the user keeps the photos in, as a tree beside the grid (QA: a copied album
// all landed in one month, and its folders "2018", "Trip to Rome" were nowhere). The tree is ARIA's, worked with
// the keys; choosing a folder filters the grid, with or without its subfolders, and with the people filter.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import PhotosScreen from '../../renderer/screens/PhotosScreen.svelte';
import { router } from '../../renderer/lib/router.svelte.js';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { setPhotosView, setWithSubfolders } from '../../renderer/lib/preferences.svelte.js';
import { treeKey, visibleRows } from '../../renderer/lib/folder-tree.js';
import type { PhotoFolder } from '../../preload/contract.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

const ODD = 'Ünïcødé & <b>bold "quotes" 🎉';

/**
 * The sample album in folders under /photos, the folder imported: Ada's photos in 2018 and 2018/Party, Bob's in Trip to
 * Rome, Cleo's in 2020/Christmas (2020 itself holds none), a loose face of Ada under an odd name, the stranger in
 * /photos itself.
 */
function albumInFolders(): FakeEngine {
  const album = sampleAlbum();
  const folders = ['2018', '2018', '2018/Party', '2018/Party', '2018/Party', 'Trip to Rome', 'Trip to Rome', 'Trip to Rome/Day 2', '2020/Christmas', '2020/Christmas', ODD, ''];
  album.photos.forEach((photo, i) => (photo.path = `/photos/${folders[i] ? `${folders[i]}/` : ''}img_${i}.jpg`));
  const engine = new FakeEngine(album);
  engine.folders = ['/photos'];
  return engine;
}

const tree = () => screen.getByRole('tree', { name: 'Folders' });
const rowNames = () => within(tree()).getAllByRole('treeitem').map((row) => row.querySelector('.name')!.textContent);
const row = (name: string) => within(tree()).getAllByRole('treeitem').find((r) => r.querySelector('.name')!.textContent === name)!;
const countOf = (name: string) => row(name).querySelector('.count')!.textContent;
const folderCalls = (engine: FakeEngine) => engine.calls('photos.list').map((args) => (args as { folderId?: string; subfolders?: boolean }));

afterEach(() => {
  setPhotosView('date');
  setWithSubfolders(true);
});

/** Renders the screen and re-renders it on each change of route, as App does. */
function renderFollowingRoute(engine: FakeEngine, props: { personIds: string[]; photoId: string | null; folderId?: string | null }) {
  const rendered = renderScreen(PhotosScreen, { folderId: null, ...props }, engine);
  const follow = async () => {
    const route = router.current;
    if (route.name === 'photos') await rendered.rerender({ personIds: route.personIds, photoId: route.photoId, folderId: route.folderId ?? null });
  };
  return { ...rendered, follow };
}

describe('Photos by folder', () => {
  it('shows the folders as a tree with their photo counts, which the keys work through', async () => {
    const engine = albumInFolders();
    const { follow } = renderFollowingRoute(engine, { personIds: [], photoId: null });
    expect(await screen.findByText('12 photos')).toBeTruthy();
    await fireEvent.click(screen.getByRole('radio', { name: 'By folder' }));
    await waitFor(() => expect(rowNames()).toEqual(['All photos', 'photos', '2018', '2020', 'Trip to Rome', ODD]));
    // The imported folder is open; its folders with subfolders are closed, each says how many photos it holds in all.
    expect(row('photos').getAttribute('aria-expanded')).toBe('true');
    expect(row('2018').getAttribute('aria-expanded')).toBe('false');
    expect(row(ODD).hasAttribute('aria-expanded')).toBe(false);
    expect([row('2018').getAttribute('aria-level'), row('2018').getAttribute('aria-posinset'), row('2018').getAttribute('aria-setsize')]).toEqual(['2', '1', '4']);
    expect([countOf('photos'), countOf('2018'), countOf('2020')]).toEqual(['12', '5', '2']);
    // An odd name is text, whole in the row's title: no markup made of it.
    expect(row(ODD).querySelector('b')).toBeNull();
    expect(row(ODD).title).toContain(ODD);

    // One Tab stop: "All photos"; the arrows go down, into 2018 and its Party, and back out.
    const all = row('All photos');
    expect(within(tree()).getAllByRole('treeitem').filter((r) => r.tabIndex === 0)).toEqual([all]);
    all.focus();
    await fireEvent.keyDown(all, { key: 'ArrowDown' });
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(row('2018'));
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(rowNames()).toEqual(['All photos', 'photos', '2018', 'Party', '2020', 'Trip to Rome', ODD]);
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    await waitFor(() => expect(document.activeElement).toBe(row('Party')));
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    await waitFor(() => expect(document.activeElement).toBe(row('2018')));
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    expect(row('2018').getAttribute('aria-expanded')).toBe('false');
    // A letter goes to the next folder whose name starts with it.
    await fireEvent.keyDown(document.activeElement!, { key: 't' });
    await waitFor(() => expect(document.activeElement).toBe(row('Trip to Rome')));

    // Enter chooses it: the link names the folder, the grid shows its photos and its subfolder's.
    await fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(router.current).toMatchObject({ name: 'photos', folderId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    await follow();
    expect(await screen.findByText('3 photos in “Trip to Rome”')).toBeTruthy();
    expect(row('Trip to Rome').getAttribute('aria-selected')).toBe('true');
    expect(folderCalls(engine).at(-1)).toMatchObject({ folderId: (router.current as { folderId: string }).folderId, subfolders: true });

    // Without its subfolders: Day 2's photo goes, and the counts are the folders' own.
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Subfolders' }));
    expect(await screen.findByText('2 photos in “Trip to Rome”, not its subfolders')).toBeTruthy();
    expect(folderCalls(engine).at(-1)).toMatchObject({ subfolders: false });
    expect([countOf('photos'), countOf('Trip to Rome')]).toEqual(['1', '2']);

    // Back to the timeline: the folder goes from the link, and the tree from the screen.
    await fireEvent.click(screen.getByRole('radio', { name: 'By date' }));
    expect(router.current).toEqual({ name: 'photos', personIds: [], photoId: null });
    await follow();
    expect(await screen.findByText('12 photos')).toBeTruthy();
    expect(screen.queryByRole('tree')).toBeNull();
  });

  it('combines with the people filter, and says so when a folder has none of them', async () => {
    const engine = albumInFolders();
    const folders = (await engine.dispatcher.call('photos.folders', {})).result as PhotoFolder[];
    const id = (name: string) => folders.find((f) => f.name === name)!.id;
    const { follow } = renderFollowingRoute(engine, { personIds: ['person-ada'], photoId: null, folderId: id('2018') });
    // A link to a folder opens the folder view, on that folder, with the folders above it open.
    expect(await screen.findByText('5 photos with Ada in “2018”')).toBeTruthy();
    expect(row('2018').getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('radio', { name: 'By folder' }).getAttribute('aria-checked')).toBe('true');

    await fireEvent.click(row('Trip to Rome'));
    await follow();
    expect(router.current).toMatchObject({ personIds: ['person-ada'], folderId: id('Trip to Rome') });
    expect(await screen.findByText('Not in this folder')).toBeTruthy();
    expect(screen.getByText(/No photo in “Trip to Rome” shows Ada\. Choose another folder/)).toBeTruthy();
    // The tree stays, to choose another.
    await fireEvent.click(row('All photos'));
    await follow();
    expect(await screen.findByText('5 photos with Ada')).toBeTruthy();
  });

  it('counts in each folder the photos with the people in the filter, and drops one deleted without an error', async () => {
    // QA: with a person in the filter, the tree still counted every photo.
    toasts.items = [];
    const engine = albumInFolders();
    const folders = (await engine.dispatcher.call('photos.folders', {})).result as PhotoFolder[];
    const id = (name: string) => folders.find((f) => f.name === name)!.id;
    const withAda = ((await engine.dispatcher.call('photos.list', { personIds: ['person-ada'], limit: 100 })).result as { total: number }).total;
    const { follow } = renderFollowingRoute(engine, { personIds: ['person-ada'], photoId: null, folderId: id('2018') });
    expect(await screen.findByText('5 photos with Ada in “2018”')).toBeTruthy();
    expect([countOf('photos'), countOf('2018'), countOf('Trip to Rome'), countOf('2020')]).toEqual([String(withAda), '5', '0', '0']);
    expect(withAda).toBeLessThan(12);

    // Ada deleted elsewhere: the filter goes without her, and the tree counts every photo again.
    await engine.dispatcher.call('people.delete', { personIds: ['person-ada'] });
    await waitFor(() => expect(router.current).toMatchObject({ name: 'photos', personIds: [] }));
    await follow();
    await waitFor(() => expect(countOf('photos')).toBe('12'));
    expect(countOf('Trip to Rome')).toBe('3');
    expect(toasts.items.filter((t) => t.tone === 'error')).toEqual([]);
  });

  it('offers the subfolders\' photos when a folder holds none itself', async () => {
    setWithSubfolders(false);
    const engine = albumInFolders();
    const folders = (await engine.dispatcher.call('photos.folders', {})).result as PhotoFolder[];
    renderScreen(PhotosScreen, { personIds: [], photoId: null, folderId: folders.find((f) => f.name === '2020')!.id }, engine);
    expect(await screen.findByText('No photos directly in this folder')).toBeTruthy();
    expect(screen.getByText(/“2020” holds its photos in its subfolders: 2 photos\./)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Show its subfolders’ photos' }));
    expect(await screen.findByText('2 photos in “2020”')).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: 'Subfolders' }) as HTMLInputElement).checked).toBe(true);
  });

  it('shows every folder again when the one shown leaves the library, or a link names none', async () => {
    toasts.items = [];
    const engine = albumInFolders();
    const folders = (await engine.dispatcher.call('photos.folders', {})).result as PhotoFolder[];
    const christmas = folders.find((f) => f.name === 'Christmas')!.id;
    renderFollowingRoute(engine, { personIds: [], photoId: null, folderId: christmas });
    expect(await screen.findByText('2 photos in “Christmas”')).toBeTruthy();
    // Its photos taken out of the library (Import's "Remove…").
    engine.state.photos = engine.state.photos.filter((p) => !p.path.includes('/Christmas/'));
    engine.events.emit('library.changed', { what: ['photos'] });
    await waitFor(() => expect(router.current).toEqual({ name: 'photos', personIds: [], photoId: null }));
    expect(toasts.items.map((t) => [t.message, t.tone])).toEqual([['The folder “Christmas” is no longer in your library, so Photos shows every folder.', 'info']]);

    toasts.items = [];
    renderFollowingRoute(engine, { personIds: [], photoId: null, folderId: '0123456789abcdef' });
    await waitFor(() => expect(toasts.items.map((t) => t.message)).toEqual(['The folder in the link is no longer in your library, so Photos shows every folder.']));
    expect(engine.calls('photos.list').filter((args) => (args as { folderId?: string }).folderId === '0123456789abcdef')).toEqual([]);
  });
});

describe('the folder tree', () => {
  const folder = (id: string, name: string, parentId: string | null, depth: number, subfolders: number): PhotoFolder => ({
    id,
    name,
    path: name,
    location: parentId ? null : `/${name}`,
    parentId,
    depth,
    subfolders,
    photos: 1,
    total: 1 + subfolders,
  });
  const folders = [folder('a', 'Album', null, 0, 2), folder('b', 'Beach', 'a', 1, 0), folder('c', 'Camping', 'a', 1, 0), folder('d', 'Drive', null, 0, 0)];

  it('says each row\'s place among its siblings, and hides a closed folder\'s', () => {
    const open = visibleRows(folders, new Set(['a']));
    expect(open.map((r) => [r.key, r.level, r.position, r.siblings, r.expanded, r.parentRow])).toEqual([
      ['', 1, 1, 3, undefined, -1],
      ['a', 1, 2, 3, true, -1],
      ['b', 2, 1, 2, undefined, 1],
      ['c', 2, 2, 2, undefined, 1],
      ['d', 1, 3, 3, undefined, -1],
    ]);
    expect(visibleRows(folders, new Set()).map((r) => r.key)).toEqual(['', 'a', 'd']);
  });

  it('goes round to the top for a letter no folder below starts with, and leaves other keys alone', () => {
    const rows = visibleRows(folders, new Set(['a']));
    expect(treeKey(rows, 3, 'b')).toEqual({ focus: 2 });
    expect(treeKey(rows, 4, 'A')).toEqual({ focus: 0 });
    expect(treeKey(rows, 2, 'ArrowRight')).toBeNull();
    expect(treeKey(rows, 2, 'Tab')).toBeNull();
    expect(treeKey(rows, 0, ' ')).toEqual({ choose: 0 });
  });
});

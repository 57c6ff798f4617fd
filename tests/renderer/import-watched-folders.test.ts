// @vitest-environment jsdom
// The Import screen's folders while and after one is added (QA): a folder inside a watched one is part of it, not a
// second row whose Remove… is refused; a folder being imported is listed as watched, importing now, not under "not
// watched"; and the card of the folder added says which folder it is of, and is not replaced by the folder watcher's
// small import of another folder, which gets a line of its own.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import ImportScreen from '../../renderer/screens/ImportScreen.svelte';
import { FakeEngine, type FakeState } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

/** `count` photos without faces in `folder`, their ids starting with `tag`. */
function photosIn(folder: string, count: number, tag: string): FakeState {
  return {
    photos: Array.from({ length: count }, (_, i) => ({ id: `${tag}${i}`, path: `${folder}/img_${i}.jpg`, width: 1200, height: 800, takenAt: null, faceIds: [] })),
    faces: [],
    people: [],
  };
}

async function addFolder(path: string): Promise<void> {
  await typeInto(await screen.findByLabelText('Folder path'), path);
  await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }));
}

const words = (element: Element) => element.textContent!.replace(/\s+/g, ' ').trim();

describe('Adding a folder inside a watched one', () => {
  it('imports it, says it is kept up to date as part of the watched folder, and does not list it apart', async () => {
    const engine = new FakeEngine(photosIn('/photos/album', 3, 'album'));
    engine.folders = ['/photos/album'];
    engine.stepMs = 100;
    engine.pending = [{ folder: '/photos/album/Family', state: photosIn('/photos/album/Family', 2, 'family'), skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/album/Family');
    const note = 'is inside /photos/album, which Familiar watches already: it is kept up to date as part of it, not listed on its own.';
    // Said while it runs, and once it ended.
    await waitFor(() => expect(words(screen.getByTestId('part-of-watched'))).toBe(`/photos/album/Family ${note}`));
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    expect(words(within(summary).getByTestId('part-of-watched'))).toBe(`/photos/album/Family ${note}`);
    expect(words(within(summary).getByTestId('import-where'))).toBe('From /photos/album/Family');
    const watched = screen.getByRole('list', { name: 'Watched folders' });
    await waitFor(() => expect(within(watched).getAllByRole('listitem').map((li) => li.querySelector('.path')!.textContent)).toEqual(['/photos/album']));
    expect(screen.queryByRole('list', { name: 'Folders not watched' })).toBeNull();
    expect(engine.folders).toEqual(['/photos/album']);
  });

  it('knows the watched folder itself typed with a trailing slash, and does not call it inside itself (QA)', async () => {
    const engine = new FakeEngine(photosIn('/photos/album', 3, 'album'));
    engine.folders = ['/photos/album'];
    engine.pending = [{ folder: '/photos/album', state: photosIn('/photos/album', 2, 'new'), skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/album/');
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    expect(words(within(summary).getByTestId('import-where'))).toBe('From /photos/album');
    expect(screen.queryByTestId('part-of-watched')).toBeNull();
  });

  it('takes the watched folders inside a new one into it', async () => {
    const engine = new FakeEngine(photosIn('/photos/album/Family', 2, 'family'));
    engine.folders = ['/photos/album/Family', '/photos/phone'];
    engine.pending = [{ folder: '/photos/album', state: photosIn('/photos/album', 2, 'album'), skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/album');
    await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    const watched = screen.getByRole('list', { name: 'Watched folders' });
    await waitFor(() => expect(within(watched).getAllByRole('listitem').map((li) => li.querySelector('.path')!.textContent)).toEqual(['/photos/phone', '/photos/album']));
  });
});

describe('A folder being imported', () => {
  it('is listed as watched, importing now, without Remove…, and not under "Folders not watched"', async () => {
    const engine = new FakeEngine(photosIn('/photos/family', 2, 'family'));
    engine.folders = ['/photos/family'];
    engine.stepMs = 200;
    engine.pending = [{ folder: '/photos/more3', state: photosIn('/photos/more3', 6, 'more'), skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/more3');
    // Its first photos are in the library (the engine says so as it stores them, and the screen asks again).
    await waitFor(() => expect(engine.state.photos.length).toBeGreaterThan(3), { timeout: 5_000 });
    engine.events.emit('library.changed', { what: ['photos'] });
    const watched = screen.getByRole('list', { name: 'Watched folders' });
    const row = await within(watched).findByText('/photos/more3');
    expect(words(row.closest('li')!)).toBe('/photos/more3 importing now');
    expect(within(row.closest('li')!).queryByRole('button')).toBeNull();
    expect(within(watched).getByText('/photos/family').closest('li')!.textContent).not.toContain('importing now');
    await waitFor(() => expect(engine.calls('library.info').length).toBeGreaterThan(1));
    expect(screen.queryByRole('list', { name: 'Folders not watched' })).toBeNull();

    // Once it ends it is watched, with its Remove…, and no longer importing.
    await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    await waitFor(() => expect(words(within(watched).getByText('/photos/more3').closest('li')!)).toBe('/photos/more3 Remove…'));
    expect(screen.queryByRole('list', { name: 'Folders not watched' })).toBeNull();
  });

  it('leaves a folder not watched when the import is cancelled', async () => {
    const engine = new FakeEngine();
    engine.stepMs = 200;
    engine.pending = [{ folder: '/photos/more3', state: photosIn('/photos/more3', 8, 'more'), skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/more3');
    const watched = await screen.findByRole('list', { name: 'Watched folders' });
    expect(words(within(watched).getByText('/photos/more3').closest('li')!)).toBe('/photos/more3 importing now');
    await waitFor(() => expect(engine.state.photos.length).toBeGreaterThan(0), { timeout: 5_000 });
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    const unwatched = await screen.findByRole('list', { name: 'Folders not watched' });
    expect(within(unwatched).getByText('/photos/more3')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Watched folders' })).toBeNull());
  });
});

describe('The card of the folder added', () => {
  it('says which folder it is of, and keeps its counts when the folder watcher then imports another folder, said on a line of its own', async () => {
    const engine = new FakeEngine(photosIn('/photos/bad', 1, 'bad'));
    engine.folders = ['/photos/bad'];
    engine.pending = [
      { folder: '/photos/more3', state: photosIn('/photos/more3', 4, 'more'), skipped: [] },
      {
        folder: '/photos/bad',
        state: photosIn('/photos/bad', 1, 'badnew'),
        skipped: ['a.jpg', 'b.jpg', 'c.jpg'].map((name) => ({ path: `/photos/bad/${name}`, reason: 'The JPEG is truncated.' })),
      },
    ];
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/more3');
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    expect(words(within(summary).getByTestId('import-where'))).toBe('From /photos/more3');
    const newPhotos = () => within(screen.getByTestId('import-summary')).getByText('New photos').closest('div')!.querySelector('dd')!.textContent;
    expect(newPhotos()).toBe('4');

    // A new photo lands in the watched folder: the engine's folder watcher imports it, as it does (main/api/index.ts).
    // While it runs, its line already names the folder (it said "a watched folder" until the import ended).
    engine.stepMs = 400;
    await engine.dispatcher.call('import.start', { paths: ['/photos/bad'] });
    await waitFor(() => expect(words(screen.getByTestId('watcher-import'))).toBe('Importing new photos found in /photos/bad…'), { timeout: 15_000 });
    engine.stepMs = 40;
    await waitFor(() => expect(words(screen.getByTestId('watcher-import'))).toBe('Also imported 1 new photo from /photos/bad (3 files skipped).'), { timeout: 15_000 });
    expect(newPhotos()).toBe('4');
    expect(words(within(screen.getByTestId('import-summary')).getByTestId('import-where'))).toBe('From /photos/more3');
    // The watcher's skipped files are its own: not listed as the added folder's, but apart, each with why (QA: "3
    // files skipped", and no way to learn which).
    expect(screen.queryByRole('list', { name: 'Skipped files' })).toBeNull();
    const watcherSkipped = () => within(screen.getByRole('list', { name: 'Skipped in watched folders' })).getAllByRole('listitem').map(words);
    expect(watcherSkipped()).toEqual(['bad/a.jpg The JPEG is truncated.', 'bad/b.jpg The JPEG is truncated.', 'bad/c.jpg The JPEG is truncated.']);

    // Another photo there later: the folder's imports are added up, its files skipped again counted once.
    const bad = (tag: string) => ({
      folder: '/photos/bad',
      state: photosIn('/photos/bad', 1, tag),
      skipped: ['a.jpg', 'b.jpg', 'c.jpg'].map((name) => ({ path: `/photos/bad/${name}`, reason: 'The JPEG is truncated.' })),
    });
    engine.pending = [bad('later')];
    await engine.dispatcher.call('import.start', { paths: ['/photos/bad'] });
    await waitFor(() => expect(words(screen.getByTestId('watcher-import'))).toBe('Also imported 2 new photos from /photos/bad (3 files skipped).'), { timeout: 15_000 });
    expect(newPhotos()).toBe('4');
    expect(watcherSkipped()).toHaveLength(3);

    // Import more puts both away: the watcher's import does not take the card's place.
    await fireEvent.click(within(screen.getByTestId('import-summary')).getByRole('button', { name: 'Import more' }));
    await screen.findByLabelText('Folder path');
    expect(screen.queryByTestId('import-summary')).toBeNull();
  });

  it('lists the files it skipped once: the watcher looking at the same folder again skips them again, and does not list them apart (QA)', async () => {
    const engine = new FakeEngine(photosIn('/photos/other', 1, 'other'));
    const bad = (tag: string, count: number) => ({
      folder: '/photos/bad',
      state: photosIn('/photos/bad', count, tag),
      skipped: ['a.jpg', 'b.jpg', 'c.jpg'].map((name) => ({ path: `/photos/bad/${name}`, reason: 'The JPEG is truncated.' })),
    });
    engine.pending = [bad('first', 2)];
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/bad');
    await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    const skippedRows = () => within(screen.getByRole('list', { name: 'Skipped files' })).getAllByRole('listitem').map(words);
    expect(skippedRows()).toHaveLength(3);

    // A photo deleted from the folder: the watcher imports it again, nothing new, the same three files skipped.
    engine.pending = [bad('again', 0)];
    await engine.dispatcher.call('import.start', { paths: ['/photos/bad'] });
    await waitFor(() => expect(engine.pending).toHaveLength(0), { timeout: 15_000 });
    await new Promise((r) => setTimeout(r, 500));
    expect(skippedRows()).toHaveLength(3);
    expect(screen.queryByRole('list', { name: 'Skipped in watched folders' })).toBeNull();
    expect(screen.queryByTestId('watcher-import')).toBeNull();

    // A new photo there later: said, without the files the card lists already.
    engine.pending = [bad('later', 1)];
    await engine.dispatcher.call('import.start', { paths: ['/photos/bad'] });
    await waitFor(() => expect(words(screen.getByTestId('watcher-import'))).toBe('Also imported 1 new photo from /photos/bad.'), { timeout: 15_000 });
    expect(screen.queryByRole('list', { name: 'Skipped in watched folders' })).toBeNull();
  });

  it('says which folder the watcher imported from when its card is shown on its own', async () => {
    const engine = new FakeEngine(photosIn('/photos/bad', 1, 'bad'));
    engine.folders = ['/photos/bad'];
    engine.pending = [{ folder: '/photos/bad', state: photosIn('/photos/bad', 1, 'badnew'), skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    await screen.findByLabelText('Folder path');
    await engine.dispatcher.call('import.start', { paths: ['/photos/bad'] });
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    expect(words(within(summary).getByTestId('import-where'))).toBe('From /photos/bad');
  });
});

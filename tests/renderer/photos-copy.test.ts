// @vitest-environment jsdom
// "Copy N photos to a folder…" on the Photos screen: the photos its filter shows (Grandma's, Grandma and Tom only, a
// folder's) as files in a folder, for a slideshow, a USB stick or a print shop. The desktop app asks its folder
// picker, a browser page the folder's path; the copy shows its progress with Cancel, then what it copied and what not.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import PhotosScreen from '../../renderer/screens/PhotosScreen.svelte';
import { FamiliarClient } from '../../renderer/lib/api.js';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

const FOLDER = '/home/ana/For Grandma';

/** Ada is in 5 photos of the sample album: 4 without anyone else, 1 with the unnamed group of Bob. */
function renderAda(engine: FakeEngine, mode: 'electron' | 'browser', props: { folderId?: string | null } = {}) {
  return renderScreen(PhotosScreen, { personIds: ['person-ada'], photoId: null, ...props }, engine, mode);
}

const copyButton = (count: string) => screen.findByRole('button', { name: `Copy ${count} to a folder…` });
const outcome = () => screen.findByTestId('copy-outcome');

describe('Copy photos to a folder', () => {
  it('counts the photos the filter shows, and offers nothing to copy when it shows none', async () => {
    const ada = renderAda(new FakeEngine(sampleAlbum()), 'electron');
    expect(await copyButton('5 photos')).toBeTruthy();
    await fireEvent.click(screen.getByRole('checkbox', { name: /Only them/ }));
    expect(await copyButton('4 photos')).toBeTruthy();
    ada.unmount();
    ada.disconnect();

    renderScreen(PhotosScreen, { personIds: [], photoId: null }, new FakeEngine({ photos: [], faces: [], people: [] }), 'electron');
    expect(await screen.findByText('Your library is empty')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Copy .* to a folder…$/ })).toBeNull();
  });

  it('asks the desktop folder picker, copies the photos of the filter with progress, then says what it copied', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.chosenFolders = [FOLDER];
    engine.stepMs = 120;
    renderAda(engine, 'electron');
    await fireEvent.click(await screen.findByRole('checkbox', { name: /Only them/ }));
    await fireEvent.click(await copyButton('4 photos'));

    await waitFor(() => expect(engine.calls('photos.copyTo')).toEqual([{ personIds: ['person-ada'], only: true, to: FOLDER }]));
    expect(engine.calls('dialog.chooseFolders')).toHaveLength(1);
    const status = screen.getByTestId('copy-status');
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(await within(status).findByRole('heading', { name: `Copying photos to ${FOLDER}` })).toBeTruthy();
    const bar = within(status).getByRole('progressbar', { name: 'Copying photos' });
    await waitFor(() => expect(Number(bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0));
    expect(screen.getByTestId('copy-count').textContent).toMatch(/^\d of 4 photos · /);
    // One copy at a time: the button waits for this one.
    expect((screen.getByRole('button', { name: 'Copy 4 photos to a folder…' }) as HTMLButtonElement).disabled).toBe(true);

    const done = await outcome();
    expect(within(done).getByRole('heading', { name: 'Photos copied' })).toBeTruthy();
    expect(done.textContent).toContain(`Copied 4 photos to ${FOLDER}.`);
    expect([...engine.copiedFiles.get(FOLDER)!.keys()].sort()).toEqual(['img_1.jpg', 'img_2.jpg', 'img_3.jpg', 'img_4.jpg']);
    expect(screen.queryByRole('progressbar', { name: 'Copying photos' })).toBeNull();

    // Again into the same folder: the photos already there are not copied twice.
    const again = screen.getByRole('button', { name: 'Copy 4 photos to a folder…' }) as HTMLButtonElement;
    await waitFor(() => expect(again.disabled).toBe(false));
    await fireEvent.click(again);
    await waitFor(() => expect(screen.getByTestId('copy-status').textContent).toContain(`All 4 photos were already in ${FOLDER}: nothing to copy.`));
    // Headed as what happened, not "Photos copied" over nothing copied (QA).
    expect(within(screen.getByTestId('copy-status')).getByRole('heading', { name: 'Nothing new to copy' })).toBeTruthy();
    const dismiss = screen.getByRole('button', { name: 'Dismiss what the copy did' });
    dismiss.focus();
    await fireEvent.click(dismiss);
    expect(screen.queryByTestId('copy-outcome')).toBeNull();
    // The focus, gone with the Dismiss button, is on the copy button again.
    await waitFor(() => expect(document.activeElement).toBe(again));
  });

  it('copies the photos of the folder shown, with or without its subfolders', async () => {
    const album = sampleAlbum();
    album.photos.forEach((photo, i) => (photo.path = `/photos/${i < 2 ? '2018/' : i < 4 ? '2018/Party/' : ''}img_${i}.jpg`));
    const engine = new FakeEngine(album);
    engine.folders = ['/photos'];
    engine.chosenFolders = [FOLDER];
    const folders = await new FamiliarClient(engine.bridge()).call('photos.folders');
    const year = folders.find((folder) => folder.name === '2018')!;
    renderAda(engine, 'electron', { folderId: year.id });
    await fireEvent.click(await copyButton('4 photos'));
    await waitFor(() => expect(engine.calls('photos.copyTo')).toEqual([{ personIds: ['person-ada'], only: false, to: FOLDER, folderId: year.id, subfolders: true }]));
    expect((await outcome()).textContent).toContain(`Copied 4 photos to ${FOLDER}.`);
  });

  it('starts nothing when the folder picker is closed', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.chosenFolders = [];
    renderAda(engine, 'electron');
    await fireEvent.click(await copyButton('5 photos'));
    await waitFor(() => expect(engine.calls('dialog.chooseFolders')).toHaveLength(1));
    expect(engine.calls('photos.copyTo')).toEqual([]);
    expect(screen.getByTestId('copy-status').textContent).toBe('');
    expect(toasts.items).toEqual([]);
  });

  it('asks a browser page for the folder’s path, which it checks, and starts the copy on Enter', async () => {
    const engine = new FakeEngine(sampleAlbum());
    renderAda(engine, 'browser');
    await fireEvent.click(await copyButton('5 photos'));
    // Escape closes it, and nothing is copied.
    expect(screen.getByRole('dialog', { name: 'Copy 5 photos to a folder' })).toBeTruthy();
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();

    await fireEvent.click(await copyButton('5 photos'));
    const dialog = screen.getByRole('dialog', { name: 'Copy 5 photos to a folder' });
    const field = within(dialog).getByRole('textbox', { name: 'Folder' }) as HTMLInputElement;
    expect([field.value, field.placeholder, document.activeElement]).toEqual(['', '/home/you/Pictures/For Grandma', field]);
    await fireEvent.submit(field.form!);
    expect(within(dialog).getByRole('alert').textContent).toBe('Type the full path of the folder to copy the photos into.');
    await typeInto(field, 'Pictures/For Grandma');
    expect(within(dialog).queryByRole('alert')).toBeNull();
    await fireEvent.submit(field.form!);
    expect(within(dialog).getByRole('alert').textContent).toBe('Type the whole path, from / or ~ (or a drive letter such as C:\\): “Pictures/For Grandma” is relative.');
    expect(engine.calls('photos.copyTo')).toEqual([]);

    await typeInto(field, `  ${FOLDER} `);
    await fireEvent.submit(field.form!);
    await waitFor(() => expect(engine.calls('photos.copyTo')).toEqual([{ personIds: ['person-ada'], only: false, to: FOLDER }]));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((await outcome()).textContent).toContain(`Copied 5 photos to ${FOLDER}.`);
  });

  it('says why a folder is refused, and starts nothing', async () => {
    const engine = new FakeEngine(sampleAlbum());
    const browser = renderAda(engine, 'browser');
    await fireEvent.click(await copyButton('5 photos'));
    const dialog = screen.getByRole('dialog', { name: 'Copy 5 photos to a folder' });
    const field = within(dialog).getByRole('textbox', { name: 'Folder' }) as HTMLInputElement;
    await typeInto(field, `${engine.libraryDir}/photos`);
    await fireEvent.submit(field.form!);
    const refusal = `${engine.libraryDir}/photos is inside Familiar's own library folder (${engine.libraryDir}): choose another folder to copy the photos into.`;
    await waitFor(() => expect(within(dialog).getByRole('alert').textContent).toBe(refusal));
    // The dialog stays, with the path to put right.
    expect([screen.getByRole('dialog'), field.value, field.getAttribute('aria-invalid')]).toEqual([dialog, `${engine.libraryDir}/photos`, 'true']);
    expect(engine.jobs.list()).toEqual([]);

    // The desktop app says it in a toast.
    browser.unmount();
    browser.disconnect();
    const desktop = new FakeEngine(sampleAlbum());
    desktop.chosenFolders = [desktop.libraryDir];
    renderAda(desktop, 'electron');
    await fireEvent.click(await copyButton('5 photos'));
    const said = `${desktop.libraryDir} is inside Familiar's own library folder (${desktop.libraryDir}): choose another folder to copy the photos into.`;
    await waitFor(() => expect(toasts.items.map((t) => [t.message, t.tone])).toEqual([[said, 'error']]));
    expect(desktop.jobs.list()).toEqual([]);
    expect(screen.getByTestId('copy-status').textContent).toBe('');
  });

  it('cancels the copy, and says how far it got and that the photos copied stay', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.chosenFolders = [FOLDER];
    engine.stepMs = 150;
    renderAda(engine, 'electron');
    await fireEvent.click(await copyButton('5 photos'));
    const bar = await screen.findByRole('progressbar', { name: 'Copying photos' });
    await waitFor(() => expect(Number(bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0));
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    const ended = await outcome();
    expect(within(ended).getByRole('heading', { name: 'Copying cancelled' })).toBeTruthy();
    expect(engine.calls('jobs.cancel')).toHaveLength(1);
    const copied = engine.copiedFiles.get(FOLDER)!.size;
    expect(copied).toBeGreaterThan(0);
    expect(copied).toBeLessThan(5);
    expect(ended.textContent).toContain(
      `Cancelled after copying ${copied} of 5 photos: they stay in ${FOLDER}, and copying again into it copies only the rest.`,
    );
  });

  it('lists the photos not on disk and those that could not be copied, each with why', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.chosenFolders = [FOLDER];
    engine.missingPhotos = ['photo1'];
    engine.uncopyable = { '/photos/img_2.jpg': 'permission denied' };
    renderAda(engine, 'electron');
    await fireEvent.click(await copyButton('5 photos'));

    const ended = await outcome();
    expect(within(ended).getByRole('heading', { name: 'Photos copied' })).toBeTruthy();
    expect(ended.textContent).toContain(
      `Copied 3 photos to ${FOLDER}, 1 not on disk (moved, deleted, or on a drive that is not plugged in), 1 could not be copied.`,
    );
    // Those that could not be copied show at once; those not on disk on request.
    const failed = within(ended).getByRole('list', { name: 'Photos that could not be copied' });
    expect(failed.textContent).toContain('/photos/img_2.jpg');
    expect(failed.textContent).toContain('permission denied');
    const missingToggle = within(ended).getByText('1 photo not on disk');
    await fireEvent.click(missingToggle);
    expect(missingToggle.closest('details')!.open).toBe(true);
    const missing = within(ended).getByRole('list', { name: 'Photos not on disk' });
    expect(missing.textContent).toContain('/photos/img_1.jpg');
    expect(missing.textContent).toContain('not on disk: moved, deleted, or on a drive that is not plugged in');
  });

  it('says why a copy failed, in the engine’s words', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.chosenFolders = [FOLDER];
    engine.diskFullAfter = 2;
    renderAda(engine, 'electron');
    await fireEvent.click(await copyButton('5 photos'));
    const ended = await outcome();
    expect(within(ended).getByRole('heading', { name: 'Copying failed' })).toBeTruthy();
    expect(ended.textContent).toContain(`The disk is full (${FOLDER}): 2 of 5 photos were copied before the copy stopped; free some space and copy again to finish.`);
  });
});

// @vitest-environment jsdom
// Folders added while an import runs wait on its card and are imported when it ends (renderer/lib/import-queue.svelte.ts).
import { describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../renderer/App.svelte';
import ImportScreen from '../../renderer/screens/ImportScreen.svelte';
import { FamiliarClient } from '../../renderer/lib/api.js';
import { importDropped } from '../../renderer/lib/drop.js';
import { LiveState } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

/** An engine with these folders to import, slow enough to add folders while the first import runs. */
function engineWith(...folders: string[]): FakeEngine {
  const engine = new FakeEngine();
  engine.stepMs = 150;
  engine.pending = folders.map((folder) => ({ folder, state: sampleAlbum(), skipped: [] }));
  return engine;
}

async function startImportOf(path: string): Promise<void> {
  await typeInto(await screen.findByLabelText('Folder path'), path);
  await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }));
  await screen.findByRole('progressbar', { name: 'Import progress' });
}

/** Adds a folder in the running card's field, and waits for the screen's answer: listed, or said why not. */
async function importNext(path: string): Promise<void> {
  await typeInto(screen.getByLabelText('Folder to import next'), path);
  await fireEvent.click(screen.getByRole('button', { name: 'Import next' }));
  // The folder is checked with the engine first (import.check).
  const answer = () => screen.queryByRole('list', { name: 'Folders to import next' })?.textContent ?? '';
  await waitFor(() => expect(`${answer()} ${screen.queryByRole('alert')?.textContent ?? ''}`).toContain(path));
}

/** The import of /photos/family cancelled while /photos/trips waited for it. */
async function stoppedWithTripsWaiting(): Promise<FakeEngine> {
  const engine = engineWith('/photos/family', '/photos/trips');
  renderScreen(ImportScreen, {}, engine);
  await startImportOf('/photos/family');
  await importNext('/photos/trips');
  await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
  expect(await screen.findByRole('heading', { name: 'Import stopped part-way' }, { timeout: 15_000 })).toBeTruthy();
  return engine;
}

const waitingList = () => screen.getByRole('list', { name: 'Folders to import next' });

describe('Import: folders added while an import runs', () => {
  it('lists them on the running card and imports them, in one import, when it ends', async () => {
    const engine = engineWith('/photos/family', '/photos/trips', '/photos/school');
    engine.pending[0].skipped = [{ path: '/photos/family/broken.jpg', reason: 'damaged image: the JPEG data is cut short' }];
    renderScreen(ImportScreen, {}, engine);
    await startImportOf('/photos/family');
    await importNext('/photos/trips');
    // A folder dropped on the window meanwhile waits too (it was refused in a toast, QA).
    importDropped(['/photos/school']);
    await waitFor(() => expect(waitingList().textContent).toContain('/photos/school'));
    expect(within(screen.getByTestId('import-next')).getByRole('heading', { name: 'Imported next' })).toBeTruthy();
    expect(waitingList().textContent).toContain('/photos/trips');
    expect((screen.getByLabelText('Folder to import next') as HTMLInputElement).value).toBe('');
    // The engine was asked for the first import only, and asked again once it ended.
    expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family'] }]);
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family'] }, { paths: ['/photos/trips', '/photos/school'] }]), { timeout: 15_000 });
    // Its card is this window's own: progress, Cancel, and where it reads.
    await waitFor(() => expect(screen.getByTestId('import-where').textContent).toBe('From /photos/trips, /photos/school'));
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Folders to import next' })).toBeNull();
    // The first import's card gave way to this one's, which says what it did.
    expect(screen.getByTestId('imported-before').textContent).toBe('Imported before these: 12 new photos from /photos/family (1 file skipped).');
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    expect(within(summary).getByRole('heading', { name: 'Import finished' })).toBeTruthy();
    expect(within(summary).getByTestId('imported-before').textContent).toBe('Imported before these: 12 new photos from /photos/family (1 file skipped).');
    expect(within(summary).getByRole('list', { name: 'Skipped in /photos/family' }).textContent).toContain('the JPEG data is cut short');
    expect(engine.calls('import.start')).toHaveLength(2);
  });

  it('forgets a folder removed from the list, and says a folder being imported is being imported', async () => {
    const engine = engineWith('/photos/family', '/photos/trips');
    renderScreen(ImportScreen, {}, engine);
    await startImportOf('/photos/family');
    await importNext('/photos/family/2019');
    expect(screen.getByRole('alert').textContent).toBe('/photos/family/2019 is being imported now.');
    expect(screen.queryByRole('list', { name: 'Folders to import next' })).toBeNull();
    await importNext('/photos/trips');
    await fireEvent.click(within(waitingList()).getByRole('button', { name: 'Do not import /photos/trips' }));
    expect(screen.queryByRole('list', { name: 'Folders to import next' })).toBeNull();
    expect(await screen.findByRole('heading', { name: 'Import finished' }, { timeout: 15_000 })).toBeTruthy();
    // Given time to start one, had it been kept.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family'] }]);
  });

  it('keeps them waiting when the running import is cancelled, until "Import now"', async () => {
    const engine = await stoppedWithTripsWaiting();
    const waiting = screen.getByTestId('import-waiting');
    expect(within(waiting).getByRole('heading', { name: 'Waiting to import' })).toBeTruthy();
    expect(within(waiting).getByRole('list', { name: 'Folders to import next' }).textContent).toContain('/photos/trips');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(engine.calls('import.start')).toHaveLength(1);
    await fireEvent.click(within(waiting).getByRole('button', { name: 'Import now' }));
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family'] }, { paths: ['/photos/trips'] }]));
    await waitFor(() => expect(screen.queryByTestId('import-waiting')).toBeNull());
  });

  it('imports them after a stopped import that is resumed', async () => {
    const engine = await stoppedWithTripsWaiting();
    engine.pending.unshift({ folder: '/photos/family', state: sampleAlbum(), skipped: [] });
    await fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    // Listed as next on the resumed import's card, and imported after it.
    await waitFor(() => expect(within(screen.getByTestId('import-next')).getByRole('list', { name: 'Folders to import next' }).textContent).toContain('/photos/trips'));
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family'] }, { paths: ['/photos/family'] }, { paths: ['/photos/trips'] }]), { timeout: 15_000 });
  });

  it('keeps them through a reload of the window, and still imports them when the running import ends', async () => {
    const engine = engineWith('/photos/family', '/photos/trips');
    renderScreen(ImportScreen, {}, engine);
    await startImportOf('/photos/family');
    await importNext('/photos/trips');
    // A reload: the screen and the live state are made anew; the engine still runs the import.
    cleanup();
    renderScreen(ImportScreen, {}, engine);
    await waitFor(() => expect(waitingList().textContent).toContain('/photos/trips'));
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family'] }, { paths: ['/photos/trips'] }]), { timeout: 15_000 });
  });

  it('says at once, under the field, that a folder typed is not there, and keeps it out of the list', async () => {
    const engine = engineWith('/photos/family');
    renderScreen(ImportScreen, {}, engine);
    await startImportOf('/photos/family');
    await importNext('/photos/tirps');
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Cannot import /photos/tirps: there is no folder or file there. The path is looked up on the computer running Familiar.',
    );
    // The path stays in the field to be put right; nothing waits.
    expect((screen.getByLabelText('Folder to import next') as HTMLInputElement).value).toBe('/photos/tirps');
    expect(screen.queryByRole('list', { name: 'Folders to import next' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
  });

  it('shows the list of another tab of the same server as it changes, and imports it once between them', async () => {
    const engine = engineWith('/photos/family', '/photos/trips');
    renderScreen(ImportScreen, {}, engine);
    // A second tab: its own page state, the same storage (a browser says a change to the others in a storage event).
    const otherTab = new LiveState();
    const disconnect = otherTab.connect(new FamiliarClient(engine.bridge('browser')));
    const storageChanged = () => window.dispatchEvent(new StorageEvent('storage', { key: 'familiar.importQueue' }));
    try {
      await startImportOf('/photos/family');
      await importNext('/photos/trips');
      storageChanged();
      expect(otherTab.importQueue.paths).toEqual(['/photos/trips']);
      // Both hear the import end; the folders are imported once.
      await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family'] }, { paths: ['/photos/trips'] }]), { timeout: 15_000 });
      storageChanged();
      expect(otherTab.importQueue.paths).toEqual([]);
      expect(await screen.findByRole('heading', { name: 'Import finished' }, { timeout: 15_000 })).toBeTruthy();
      expect(engine.calls('import.start')).toHaveLength(2);
    } finally {
      disconnect();
    }
  });

  it('says why the folders waiting could not be imported when their turn came, and keeps them', async () => {
    const engine = engineWith('/photos/family', '/photos/usb-stick');
    renderScreen(ImportScreen, {}, engine);
    await startImportOf('/photos/family');
    await importNext('/photos/usb-stick');
    await waitFor(() => expect(waitingList().textContent).toContain('/photos/usb-stick'));
    // Gone meanwhile (a drive unplugged): the import is refused when their turn comes.
    engine.pending = engine.pending.filter((p) => p.folder !== '/photos/usb-stick');
    expect(await screen.findByRole('heading', { name: 'Import finished' }, { timeout: 15_000 })).toBeTruthy();
    const waiting = await screen.findByTestId('import-waiting', {}, { timeout: 15_000 });
    await waitFor(() => expect(waiting.textContent).toContain('No photos were found in /photos/usb-stick.'));
    expect(within(waiting).getByRole('list', { name: 'Folders to import next' }).textContent).toContain('/photos/usb-stick');
    await fireEvent.click(within(waiting).getByRole('button', { name: 'Do not import /photos/usb-stick' }));
    expect(screen.queryByTestId('import-waiting')).toBeNull();
  });

  it('imports the folders still there when one waiting with them is gone, which waits with why', async () => {
    const engine = engineWith('/photos/family', '/photos/usb-stick', '/photos/trips');
    renderScreen(ImportScreen, {}, engine);
    await startImportOf('/photos/family');
    await importNext('/photos/usb-stick');
    await importNext('/photos/trips');
    await waitFor(() => expect(waitingList().textContent).toContain('/photos/trips'));
    // The drive is unplugged while the first import runs: the other folder does not wait for it.
    engine.pending = engine.pending.filter((p) => p.folder !== '/photos/usb-stick');
    // While each folder is checked, the list is in storage for a reload or another tab to find, not emptied.
    engine.callDelays['import.check'] = 1500;
    await waitFor(() => expect(engine.calls('import.check').length).toBeGreaterThan(2), { timeout: 15_000 });
    expect(JSON.parse(localStorage.getItem('familiar.importQueue') ?? '{}').paths).toEqual(['/photos/usb-stick', '/photos/trips']);
    await waitFor(() => expect(engine.calls('import.start').at(-1)).toEqual({ paths: ['/photos/trips'] }), { timeout: 15_000 });
    const next = await screen.findByTestId('import-next');
    await waitFor(() => expect(within(next).getByRole('heading', { name: 'Waiting to import' })).toBeTruthy());
    expect(within(next).getByTestId('queue-problem').textContent).toBe(
      'Cannot import /photos/usb-stick: there is no folder or file there. The path is looked up on the computer running Familiar.',
    );
    expect(within(next).getByRole('list', { name: 'Folders to import next' }).textContent).not.toContain('/photos/trips');
    // Not started on its own once the import of the rest ends: it waits for the drive and "Import now".
    expect(await screen.findByRole('heading', { name: 'Import finished' }, { timeout: 15_000 })).toBeTruthy();
    expect(within(screen.getByTestId('import-waiting')).getByRole('list', { name: 'Folders to import next' }).textContent).toContain('/photos/usb-stick');
    expect((engine.calls('import.start') as Array<{ paths: string[] }>).filter((call) => call.paths.includes('/photos/usb-stick'))).toHaveLength(1);
  });

  it('in the desktop app, adds another folder from the folder picker', async () => {
    const engine = engineWith('/photos/family', '/photos/trips');
    engine.chosenFolders = ['/photos/family'];
    renderScreen(ImportScreen, {}, engine, 'electron');
    await fireEvent.click(await screen.findByRole('button', { name: 'Add folder…' }));
    await screen.findByRole('progressbar', { name: 'Import progress' });
    engine.chosenFolders = ['/photos/trips'];
    await fireEvent.click(screen.getByRole('button', { name: 'Add another folder…' }));
    await waitFor(() => expect(waitingList().textContent).toContain('/photos/trips'));
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family'] }, { paths: ['/photos/trips'] }]), { timeout: 15_000 });
  });

  it("takes folders chosen from the desktop app's menu as a drop: imported now, or after the running import", async () => {
    const engine = engineWith('/photos/family', '/photos/trips');
    const client = new FamiliarClient(engine.bridge('electron'));
    const live = new LiveState();
    const disconnect = live.connect(client);
    try {
      render(App, { props: { client, live } });
      await screen.findByRole('heading', { name: 'People', level: 1 });
      // What main/electron/menu.ts says once File › Add Folder… has its folders.
      engine.events.emit('import.requested', { paths: ['/photos/family'] });
      await screen.findByRole('progressbar', { name: 'Import progress' });
      engine.events.emit('import.requested', { paths: ['/photos/trips'] });
      await waitFor(() => expect(waitingList().textContent).toContain('/photos/trips'));
      // The sidebar's card of the import says so too, seen from every screen.
      expect(screen.getByTestId('job-then').textContent).toBe('then 1 more folder');
      await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family'] }, { paths: ['/photos/trips'] }]), { timeout: 15_000 });
    } finally {
      disconnect();
    }
  });
});

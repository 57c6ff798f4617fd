// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import ImportScreen from '../../renderer/screens/ImportScreen.svelte';
import { DROP_EXPIRED_SAID_MS, DROP_HANDOVER_MS, importDropped } from '../../renderer/lib/drop.js';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, importResult, sampleAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

/** Types a path into the Import screen's field and adds it, as the user does. */
async function addFolder(path: string): Promise<void> {
  await typeInto(await screen.findByLabelText('Folder path'), path);
  await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }));
}

describe('Import screen', () => {
  it('imports a typed folder path with progress, then lists skipped files with reasons', async () => {
    const engine = new FakeEngine();
    engine.pending = [{ folder: '/photos/family', state: sampleAlbum(), skipped: [{ path: '/photos/family/broken.jpg', reason: 'The JPEG is truncated.' }] }];
    renderScreen(ImportScreen, {}, engine);
    const field = await screen.findByLabelText('Folder path');
    await typeInto(field, '/photos/family');
    await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }));
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family'] }]));
    const bar = await screen.findByRole('progressbar', { name: 'Import progress' });
    await waitFor(() => expect(Number(bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0));
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    expect(within(summary).getByRole('heading', { name: 'Import finished' })).toBeTruthy();
    const skipped = within(summary).getByRole('list', { name: 'Skipped files' });
    expect(skipped.textContent).toContain('broken.jpg');
    expect(skipped.textContent).toContain('The JPEG is truncated.');
    expect(within(summary).queryByTestId('names-read-on-import')).toBeNull();
  });

  it('keeps the keyboard focus on the card as an import typed with Enter starts and ends (QA: it fell to the page)', async () => {
    const engine = new FakeEngine();
    engine.pending = [{ folder: '/photos/family', state: sampleAlbum(), skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    const field = await screen.findByLabelText('Folder path');
    await typeInto(field, '/photos/family');
    field.focus();
    // Enter in the field submits its form.
    await fireEvent.submit(field.closest('form')!);
    // The field went with the form it was in: its Enter's card takes the focus, on what stops the import.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' })));
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    // Cancel went with the card: the focus is on what the ended card offers first.
    await waitFor(() => expect(document.activeElement).toBe(within(summary).getByRole('button', { name: 'Show people' })));
  });

  it('says a folder it could not read is a folder, not a file', async () => {
    const engine = new FakeEngine();
    engine.pending = [
      {
        folder: '/photos/family',
        state: sampleAlbum(),
        skipped: [
          { path: '/photos/family/locked', reason: 'folder skipped: permission denied', folder: true },
          { path: '/photos/family/broken.jpg', reason: 'The JPEG is truncated.' },
        ],
      },
      { folder: '/photos/empty', state: { photos: [], faces: [], people: [] }, skipped: [{ path: '/photos/empty/private', reason: 'folder skipped: permission denied', folder: true }] },
    ];
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/family');
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    expect(within(summary).getByRole('heading', { name: 'Skipped folders and files' })).toBeTruthy();
    expect(within(summary).getByRole('list', { name: 'Skipped folders and files' }).textContent).toContain('locked');

    // Only a folder skipped, and no photo found: "the 1 folder below", not "the 1 file below".
    await fireEvent.click(within(summary).getByRole('button', { name: 'Import more' }));
    await addFolder('/photos/empty');
    const empty = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    await waitFor(() => expect(empty.textContent).toContain('it could not read the 1 folder below.'));
    expect(within(empty).getByRole('list', { name: 'Skipped folders' }).textContent).toContain('private');
  });

  it('groups many skipped files by why, with each group\'s count and first paths, and all of a group when asked', async () => {
    // QA: a damaged drive's 250 files were 250 rows (the first hundred shown) for two reasons.
    const engine = new FakeEngine();
    const file = (i: number) => `/media/old-drive/DCIM/IMG_${String(i).padStart(4, '0')}.JPG`;
    const skipped = Array.from({ length: 250 }, (_, i) => ({ path: file(i), reason: i % 5 === 4 ? 'empty file (0 bytes)' : 'cannot read it: input/output error' }));
    engine.pending = [{ folder: '/media/old-drive', state: sampleAlbum(), skipped }];
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/media/old-drive');
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    const list = within(summary).getByRole('list', { name: 'Skipped files' });
    // Counted without role queries, which take seconds over hundreds of rows in jsdom.
    expect(list.querySelectorAll(':scope > li')).toHaveLength(2);
    const failing = within(list).getByRole('list', { name: '200 files: cannot read it: input/output error' });
    const empty = within(list).getByRole('list', { name: '50 files: empty file (0 bytes)' });
    // The larger group first, each with its first three paths.
    expect(list.firstElementChild!.contains(failing)).toBe(true);
    expect([...failing.querySelectorAll('li.file')].map((li) => li.getAttribute('title'))).toEqual([file(0), file(1), file(2)]);
    expect([...empty.querySelectorAll('li.file')].map((li) => li.getAttribute('title'))).toEqual([file(4), file(9), file(14)]);
    await fireEvent.click(within(failing).getByRole('button', { name: 'Show all 200 files' }));
    expect(failing.querySelectorAll('li.file')).toHaveLength(200);
    expect(failing.textContent).toContain('IMG_0248.JPG');
    expect(empty.querySelectorAll('li.file')).toHaveLength(3);
  });

  it("says what the new photos' face tags from other apps named", async () => {
    const engine = new FakeEngine();
    engine.pending = [
      {
        folder: '/photos/digikam',
        state: sampleAlbum(),
        skipped: [],
        names: { facesNamed: 7, facesAdded: 1, newPeople: ['Cleo', 'Dan'], conflicts: 1, decision: 'Named 7 faces from photo metadata (XMP face regions) (2 people, 2 new).' },
      },
    ];
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/digikam');
    const line = await screen.findByTestId('names-read-on-import', {}, { timeout: 15_000 });
    // In plain words (QA: "…, 1 face of them where the detector had missed a face").
    expect(line.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'Read 7 names from the face tags other apps saved (new people: Cleo, Dan). 1 of them marked a face the detector had missed, which was added. 1 tag disagreed with the answer this library has, which was kept. Undo takes the names back.',
    );
  });

  it('cancels a running import, says so at once, then what it kept and that its faces are grouped', async () => {
    const engine = new FakeEngine();
    engine.stepMs = 200;
    engine.stopMs = 600;
    engine.pending = [{ folder: '/photos/family', state: sampleAlbum(), skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/family');
    await waitFor(() => expect(screen.getByTestId('import-count').textContent).toMatch(/^[1-9]\d* of 12$/), { timeout: 15_000 });
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    // Said at once, the button disabled (QA: three seconds of nothing after the click).
    const stopping = screen.getByRole('button', { name: 'Stopping…' }) as HTMLButtonElement;
    expect(stopping.disabled).toBe(true);
    expect(screen.getByRole('heading', { name: 'Stopping…' })).toBeTruthy();
    // The counts stay those of the photos read while the faces kept are grouped (the engine reports them in faces).
    await waitFor(() => expect(engine.jobs.list()[0].progress?.detail?.stopping).toBe(true));
    expect(screen.getByTestId('import-count').textContent).toMatch(/^[1-9]\d* of 12$/);
    expect(await screen.findByRole('heading', { name: 'Import stopped part-way' }, { timeout: 15_000 })).toBeTruthy();
    const outcome = screen.getByTestId('import-outcome').textContent!.replace(/\s+/g, ' ').trim();
    expect(outcome).toMatch(/^You stopped it after (\d+) of 12 photos\. The \1 new photos? and their \d+ faces? are kept, and the faces are grouped in People\. Resume reads the \d+ left\.$/);
    // A cancelled import's folder is not watched: Resume reads the rest.
    expect(engine.folders).toEqual([]);
    // Resume imports the same folder again: what was imported is skipped as unchanged.
    engine.pending = [{ folder: '/photos/family', state: sampleAlbum(), skipped: [] }];
    await fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family'] }, { paths: ['/photos/family'] }]));
  });

  it('offers Resume for an import that failed part-way (the disk filled): what it read is kept and skipped', async () => {
    // QA: the screen said the system's "ENOSPC: no space left on device, write" and offered only to import more.
    const engine = new FakeEngine();
    engine.pending = [{ folder: '/photos/family', state: sampleAlbum(), skipped: [] }];
    const full = 'The disk is full (ENOSPC: no space left on device, write). What was done before this is kept: free some space, then resume the import.';
    engine.importFailure = { after: 3, message: full };
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/family');
    await waitFor(() => expect(screen.getByTestId('import-outcome').textContent!.trim()).toBe(full), { timeout: 15_000 });
    engine.importFailure = null;
    engine.pending = [{ folder: '/photos/family', state: sampleAlbum(), skipped: [] }];
    await fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family'] }, { paths: ['/photos/family'] }]));
  });

  it('offers Resume for a cancelled import after the window reloads', async () => {
    const engine = new FakeEngine();
    engine.stepMs = 200;
    engine.pending = [{ folder: '/photos/reload', state: sampleAlbum(), skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/reload');
    await fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(await screen.findByRole('heading', { name: 'Import stopped part-way' }, { timeout: 15_000 })).toBeTruthy();
    // A reload: the screen and its state are made anew; the engine still knows the job, the window its paths.
    cleanup();
    renderScreen(ImportScreen, {}, engine);
    expect(await screen.findByRole('heading', { name: 'Import stopped part-way' }, { timeout: 15_000 })).toBeTruthy();
    // Its folder is not watched, and not listed as watched either (QA: listed so after a reload, with no Remove…).
    expect(engine.folders).toEqual([]);
    await screen.findByText(/photos? · \d+ faces? in your library/);
    expect(screen.queryByRole('list', { name: 'Watched folders' })?.textContent ?? '').not.toContain('/photos/reload');
    engine.pending = [{ folder: '/photos/reload', state: sampleAlbum(), skipped: [] }];
    await fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/reload'] }, { paths: ['/photos/reload'] }]));
  });

  it('says so in one sentence under the field when the folder has no photos, and asks for a whole path', async () => {
    const engine = new FakeEngine();
    renderScreen(ImportScreen, {}, engine);
    const field = await screen.findByLabelText('Folder path');
    await typeInto(field, '/nowhere');
    await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }));
    expect((await screen.findByRole('alert')).textContent).toBe('No photos were found in /nowhere.');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    // Relative paths are answered before anything is asked of the engine ("~ana/…", another user's home, is one).
    for (const typed of ['Pictures', '~ana/Pictures']) {
      await typeInto(field, typed);
      await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }));
      await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(`Type the whole path, from / or ~ (or a drive letter such as C:\\): “${typed}” is relative.`));
    }
    expect(engine.calls('import.start')).toEqual([{ paths: ['/nowhere'] }]);
    // "~/Pictures" is the home folder's: the engine expands it, as a shell would (QA: it was refused here).
    await typeInto(field, '~/Pictures');
    await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }));
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/nowhere'] }, { paths: ['~/Pictures'] }]));
  });
});

describe('Import screen summary', () => {
  it('accounts for every file it counted: a copy of a photo is said, beside new, unchanged and skipped (QA: 27 counted, 26 said)', async () => {
    const engine = new FakeEngine(sampleAlbum());
    const jobId = engine.jobs.start('import', async (_signal, onProgress) => {
      onProgress({ job: 'import', stage: 'analyse', done: 27, total: 27, etaSeconds: 0, ratePerSecond: null });
      return importResult({
        photosSeen: 24,
        photosAdded: 1,
        photosUnchanged: 23,
        photosCopies: 1,
        facesFound: 1,
        skipped: [
          { path: '/photos/broken.jpg', reason: 'not an image (its content is not a format Familiar reads)' },
          { path: '/photos/truncated.jpg', reason: 'damaged image: the file is cut short or damaged' },
        ],
      });
    });
    await engine.jobs.settled(jobId);
    renderScreen(ImportScreen, {}, engine);
    const summary = await screen.findByTestId('import-summary');
    const stat = (name: string) => within(summary).getByText(name).closest('div')!.querySelector('dd')!.textContent;
    expect([stat('New photos'), stat('Already in the library'), stat('Copies'), stat('Skipped')].map(Number).reduce((a, b) => a + b)).toBe(27);
    expect(within(summary).getByTestId('import-copies').textContent).toContain('a second file of a photo above, counted once');
    // The note is a second value of its term: a <dl> holds terms and values only (axe's definition-list rule).
    expect([...summary.querySelectorAll('dl > div > :not(dt, dd)')].map((el) => el.outerHTML)).toEqual([]);

    // No copies: no card for them.
    cleanup();
    const plain = new FakeEngine(sampleAlbum());
    const other = plain.jobs.start('import', async () => importResult({ photosSeen: 3, photosAdded: 3 }));
    await plain.jobs.settled(other);
    renderScreen(ImportScreen, {}, plain);
    expect(within(await screen.findByTestId('import-summary')).queryByTestId('import-copies')).toBeNull();
  });

  it('says how many photos taken out earlier came back without analysis, while it runs and once done, and with what the user said of their faces', async () => {
    const engine = new FakeEngine(sampleAlbum());
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const jobId = engine.jobs.start('import', async (_signal, onProgress) => {
      const detail = { faces: 4, facesInPhotosRead: 4, lookAgain: false, readAgain: 0, analysed: 0, restored: 2 };
      onProgress({ job: 'import', stage: 'analyse', done: 2, total: 3, etaSeconds: 1, ratePerSecond: 2, detail });
      await finished;
      return importResult({ photosSeen: 3, photosAdded: 3, photosRestored: 3, restoredDecisions: 2, facesFound: 5, keptAnalysesProblem: null });
    });
    renderScreen(ImportScreen, {}, engine);
    const bar = await screen.findByRole('progressbar', { name: 'Import progress' });
    await waitFor(() =>
      expect((bar.closest('.panel') as HTMLElement).querySelector('.panel-head p')!.textContent!.replace(/\s+/g, ' ').trim()).toBe(
        'Familiar reads each photo once; copies and unchanged photos are skipped. 2 photos taken out of the library earlier came back without being analysed again.',
      ),
    );
    finish();
    await engine.jobs.settled(jobId);
    const said = (await screen.findByTestId('restored-photos')).textContent!.replace(/\s+/g, ' ').trim();
    expect(said).toBe(
      '3 photos taken out of the library earlier came back with the faces found in them then, and what you said of 2 faces (names, confirmations, “not this person”): not analysed again.',
    );
    expect(screen.queryByTestId('kept-analyses-problem')).toBeNull();
  });

  it('says what was wrong with the analyses kept of photos taken out, which it analysed instead', async () => {
    const engine = new FakeEngine(sampleAlbum());
    const problem = 'kept-analyses.bin is damaged after 1 photo kept: the photos kept past that point are analysed again when imported, and the damaged part is cut off at the next change.';
    const jobId = engine.jobs.start('import', async () => importResult({ photosSeen: 3, photosAdded: 3, photosRestored: 1, facesFound: 3, keptAnalysesProblem: problem }));
    await engine.jobs.settled(jobId);
    renderScreen(ImportScreen, {}, engine);
    expect((await screen.findByTestId('kept-analyses-problem')).textContent).toBe(problem);
  });

  it('says what the user said of faces that photos edited while out of the library no longer show, which did not come back', async () => {
    const engine = new FakeEngine(sampleAlbum());
    const jobId = engine.jobs.start('import', async () => importResult({ photosSeen: 2, photosAdded: 0, photosEdited: 2, keptDecisionsLost: 1, facesFound: 5 }));
    await engine.jobs.settled(jobId);
    renderScreen(ImportScreen, {}, engine);
    expect((await screen.findByTestId('kept-decisions-lost')).textContent).toBe(
      'What you said of 1 face could not be given back: its photo was edited while out of the library, and no longer shows that face (cropped out, or changed too much).',
    );
  });

  it('says which new photos are resized copies of photos the library has, and where to part them', async () => {
    const engine = new FakeEngine(sampleAlbum());
    const jobId = engine.jobs.start('import', async () => importResult({ photosSeen: 5, photosAdded: 2, photosUnchanged: 3, resizedCopies: 2 }));
    await engine.jobs.settled(jobId);
    renderScreen(ImportScreen, {}, engine);
    expect((await screen.findByTestId('resized-copies')).textContent).toMatch(/2 new photos are copies of a photo you have, resized or saved again:\s+their faces go with the original's\. The photo viewer says so, and offers “Not a copy”\./);
  });
});

describe('Import screen after Familiar closed during an import', () => {
  it('says the import stopped part-way once the next open grouped the faces it kept', async () => {
    const engine = new FakeEngine(sampleAlbum());
    // What the engine runs on opening a library whose last import was cut short (main/api/handlers.ts).
    const jobId = engine.jobs.start('import', async () => importResult({
      photosSeen: 53,
      facesFound: 63,
      stopped: { how: 'interrupted' as const, files: null, of: null },
    }));
    await engine.jobs.settled(jobId);
    renderScreen(ImportScreen, {}, engine);
    const summary = await screen.findByTestId('import-summary');
    expect(within(summary).getByRole('heading', { name: 'Import stopped part-way' })).toBeTruthy();
    expect(within(summary).getByTestId('import-outcome').textContent!.replace(/\s+/g, ' ').trim()).toBe(
      'Familiar closed while it imported photos. The photos it had read are kept, and their 63 faces are now grouped in People. Import the folder again to read the rest: the photos read already are skipped.',
    );
    // Its folders are not known to this window: no Resume, and no counts that would read as a finished import.
    expect(within(summary).queryByRole('button', { name: 'Resume' })).toBeNull();
    expect(within(summary).queryByText('New photos')).toBeNull();
  });

  it('says the faces wait to be grouped when that grouping was cancelled', async () => {
    const engine = new FakeEngine(sampleAlbum());
    const jobId = engine.jobs.start('import', async (signal) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      return importResult({
        photosSeen: 53,
        facesFound: 63,
        stopped: { how: 'interrupted' as const, files: null, of: null, grouped: false as const },
      });
    });
    engine.jobs.cancel(jobId);
    await engine.jobs.settled(jobId);
    renderScreen(ImportScreen, {}, engine);
    const summary = await screen.findByTestId('import-summary');
    expect(within(summary).getByRole('heading', { name: 'Import stopped part-way' })).toBeTruthy();
    expect(within(summary).getByTestId('import-outcome').textContent!.replace(/\s+/g, ' ').trim()).toBe(
      'Familiar closed while it imported photos. The photos it had read are kept; you stopped the grouping of their 63 faces, which wait in “Who is this?” until Familiar next opens or imports. Import the folder again to read the rest: the photos read already are skipped.',
    );
    expect(within(summary).queryByRole('button', { name: 'Resume' })).toBeNull();
  });
});

describe('Import screen after Familiar closed or crashed during the import of a folder it remembers', () => {
  /** What the engine runs on opening a library whose last import was cut short, its faces kept (main/api/handlers.ts). */
  const interrupted = () => importResult({
    photosSeen: 5,
    facesFound: 7,
    stopped: { how: 'interrupted' as const, files: null, of: null },
  });

  it('names the folder and resumes it, which then is watched and no longer offered', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.unfinishedImports = ['/photos/Holidays 2019'];
    engine.pending = [{ folder: '/photos/Holidays 2019', state: sampleAlbum(), skipped: [] }];
    await engine.jobs.settled(engine.jobs.start('import', async () => interrupted()));
    renderScreen(ImportScreen, {}, engine);
    const summary = await screen.findByTestId('import-summary');
    await waitFor(() =>
      expect(within(summary).getByTestId('import-outcome').textContent!.replace(/\s+/g, ' ').trim()).toBe(
        'Familiar closed while it imported /photos/Holidays 2019. The photos it had read are kept, and their 7 faces are now grouped in People. Resume reads the rest: the photos read already are skipped.',
      ),
    );
    // Said once: no second card beside the one that explains.
    expect(screen.queryByTestId('unfinished-import')).toBeNull();
    await fireEvent.click(within(summary).getByRole('button', { name: 'Resume importing Holidays 2019' }));
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/Holidays 2019'] }]));
    await waitFor(() => expect(screen.getByTestId('import-summary').textContent).toContain('Import finished'), { timeout: 15_000 });
    await waitFor(() => expect(screen.getByRole('list', { name: 'Watched folders' }).textContent).toContain('/photos/Holidays 2019'));
    expect(screen.queryByRole('button', { name: /^Resume importing/ })).toBeNull();
    expect(screen.queryByTestId('unfinished-import')).toBeNull();
  });

  it('offers the folder when the import kept no face before it stopped (nothing was left to group)', async () => {
    const engine = new FakeEngine();
    engine.unfinishedImports = ['/photos/a', '/photos/b'];
    engine.pending = [
      { folder: '/photos/a', state: sampleAlbum(), skipped: [] },
      { folder: '/photos/b', state: { photos: [], faces: [], people: [] }, skipped: [] },
    ];
    renderScreen(ImportScreen, {}, engine);
    const notice = await screen.findByTestId('unfinished-import');
    expect(notice.textContent!.replace(/\s+/g, ' ')).toContain('Familiar closed while it imported /photos/a and /photos/b.');
    await fireEvent.click(within(notice).getByRole('button', { name: 'Resume importing 2 folders' }));
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/a', '/photos/b'] }]));
    // Not offered while the import runs, nor once it ended.
    await waitFor(() => expect(screen.queryByTestId('unfinished-import')).toBeNull());
    await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    expect(screen.queryByTestId('unfinished-import')).toBeNull();
  });
});

describe('Import screen after a cancel once every photo was read', () => {
  it('says the import finished, and that the names other apps saved were not read', async () => {
    const engine = new FakeEngine(sampleAlbum());
    // What main/api/handlers.ts ends such an import with: done, its folder watched, no Resume.
    const jobId = engine.jobs.start('import', async () => importResult({
      photosSeen: 12,
      photosAdded: 12,
      facesFound: 14,
      namesNotRead: true,
      watchedNow: ['/photos/family'],
    }));
    await engine.jobs.settled(jobId);
    renderScreen(ImportScreen, {}, engine);
    const summary = await screen.findByTestId('import-summary');
    expect(within(summary).getByRole('heading', { name: 'Import finished' })).toBeTruthy();
    expect(within(summary).getByTestId('names-read-on-import').textContent!.replace(/\s+/g, ' ').trim()).toBe(
      "The names other apps saved in the photos' face tags were not read: you cancelled while Familiar read them. “Read names from other apps”, in Settings, reads them.",
    );
    expect(within(summary).queryByRole('button', { name: 'Resume' })).toBeNull();
  });
});

describe('Import screen counts', () => {
  it('shows the same photos in the header and on the progress card, from the same report', async () => {
    const engine = new FakeEngine();
    engine.stepMs = 150;
    engine.pending = [{ folder: '/photos/family', state: sampleAlbum(), skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/family');
    const header = () => document.querySelector('.subtitle')!.textContent!.replace(/\s+/g, ' ').trim();
    // QA: "76 photos" in the header while the card said "89 of 204", the header asked for every 4 s.
    for (const photos of [2, 5]) {
      await waitFor(() => expect(Number(/^(\d+) of/.exec(screen.getByTestId('import-count').textContent!)?.[1])).toBeGreaterThanOrEqual(photos), { timeout: 15_000 });
      const done = Number(/^(\d+) of/.exec(screen.getByTestId('import-count').textContent!)![1]);
      const faces = Number(screen.getByTestId('import-faces').textContent);
      expect(header()).toBe(`${done} photos · ${faces} faces in your library`);
    }
  });

  it('keeps the import\'s last counts in the header until the library is read again after its end, never the library before it', async () => {
    const engine = new FakeEngine();
    engine.stepMs = 50;
    engine.pending = [{ folder: '/photos/family', state: sampleAlbum(), skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    const header = () => document.querySelector('.subtitle')!.textContent!.replace(/\s+/g, ' ').trim();
    await waitFor(() => expect(header()).toBe('0 photos · 0 faces in your library'));
    // A busy engine: the library read again after the end answers a second later (QA: the counts from before the
    // import came back for that second).
    engine.callDelays['library.info'] = 1_000;
    await addFolder('/photos/family');
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    expect(within(summary).getByRole('heading', { name: 'Import finished' })).toBeTruthy();
    const final = `12 photos · ${sampleAlbum().faces.length} faces in your library`;
    expect(header()).toBe(final);
    await new Promise((done) => setTimeout(done, 1_500));
    expect(header()).toBe(final);
  });

  it('says it reads each photo once, but the photos an earlier version analysed, which it reads again', async () => {
    const said = async () => {
      const panel = await screen.findByRole('progressbar', { name: 'Import progress' }).then((bar) => bar.closest('.panel') as HTMLElement);
      await waitFor(() => expect(screen.getByTestId('import-count').textContent).toMatch(/^[1-9]\d* of \d+$/), { timeout: 15_000 });
      return panel.querySelector('.panel-head p')!.textContent!.replace(/\s+/g, ' ').trim();
    };
    const once = 'Familiar reads each photo once; copies and unchanged photos are skipped';
    for (const readAgain of [0, 3]) {
      const engine = new FakeEngine();
      engine.stepMs = 150;
      // After an upgrade, an import reads again the photos an older version analysed (main/library/import.ts readAgain).
      engine.importReadsAgain = readAgain;
      engine.pending = [{ folder: '/photos/family', state: sampleAlbum(), skipped: [] }];
      renderScreen(ImportScreen, {}, engine);
      await addFolder('/photos/family');
      expect(await said()).toBe(readAgain ? `${once}, but 3 photos an earlier version analysed are read again with this version's face finder.` : `${once}.`);
      cleanup();
    }
  });

  it('counts the faces of every photo read when resumed, and says how many are new', async () => {
    const engine = new FakeEngine();
    engine.stepMs = 150;
    engine.pending = [{ folder: '/photos/family', state: sampleAlbum(), skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/family');
    await waitFor(() => expect(Number(/^(\d+) of/.exec(screen.getByTestId('import-count').textContent!)?.[1])).toBeGreaterThanOrEqual(4), { timeout: 15_000 });
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await screen.findByRole('heading', { name: 'Import stopped part-way' }, { timeout: 15_000 });
    const kept = engine.state.faces.length;
    engine.pending = [{ folder: '/photos/family', state: sampleAlbum(), skipped: [] }];
    await fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    // Once past the photos read before: all their faces, with the new ones said apart (QA: "105 of 204", "17 faces").
    const faces = screen.getByTestId('import-faces');
    await waitFor(() => expect(faces.parentElement!.textContent).toMatch(new RegExp(`[1-9]\\d* new, ${kept} read before`)), { timeout: 15_000 });
    const [, fresh] = /(\d+) new/.exec(faces.parentElement!.textContent!)!;
    expect(Number(faces.textContent)).toBe(kept + Number(fresh));
    expect([...faces.closest('dl')!.querySelectorAll(':scope > div > :not(dt, dd)')].map((el) => el.outerHTML)).toEqual([]);
  });
});

describe('Import screen when nothing is imported', () => {
  it('says a folder has no photos, that it is watched now, and stops watching it when asked', async () => {
    const engine = new FakeEngine();
    engine.pending = [{ folder: '/photos/empty', state: { photos: [], faces: [], people: [] }, skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/empty');
    // Not a green "Import finished" (QA).
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    expect(within(summary).getByRole('heading', { name: 'No photos in /photos/empty' })).toBeTruthy();
    const outcome = () => within(summary).getByTestId('import-outcome').textContent!.replace(/\s+/g, ' ').trim();
    await waitFor(() =>
      expect(outcome()).toBe('Familiar reads JPEG, PNG, WebP, GIF, BMP, TIFF, AVIF and PGM/PPM files, in subfolders too. Familiar watches it now, and imports the photos you add to it.'),
    );
    expect(within(summary).queryByRole('button', { name: 'Show people' })).toBeNull();
    await fireEvent.click(within(summary).getByRole('button', { name: 'Stop watching it' }));
    await waitFor(() => expect(engine.calls('library.removeFolder')).toEqual([{ path: '/photos/empty' }]));
    await waitFor(() => expect(outcome()).toBe('Familiar reads JPEG, PNG, WebP, GIF, BMP, TIFF, AVIF and PGM/PPM files, in subfolders too. Familiar no longer watches it.'), { timeout: 15_000 });
    expect((await screen.findByTestId('removal-summary')).textContent!.replace(/\s+/g, ' ').trim()).toBe('Familiar no longer watches /photos/empty.');
    expect(within(summary).queryByRole('button', { name: 'Stop watching it' })).toBeNull();
    expect(engine.folders).toEqual([]);
  });

  it('says a file given is not a photo, and why', async () => {
    const engine = new FakeEngine();
    const file = '/photos/notes.jpg';
    engine.pending = [{ folder: file, state: { photos: [], faces: [], people: [] }, skipped: [{ path: file, reason: 'not an image (its content is not a format Familiar reads)' }] }];
    renderScreen(ImportScreen, {}, engine);
    await addFolder(file);
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    // QA: "Your library is up to date".
    expect(within(summary).getByRole('heading', { name: 'Nothing imported' })).toBeTruthy();
    expect(within(summary).getByTestId('import-outcome').textContent!.trim()).toBe('/photos/notes.jpg cannot be read as a photo: its content is not a format Familiar reads.');
    expect(within(summary).queryByRole('list', { name: 'Skipped files' })).toBeNull();
    expect(within(summary).queryByRole('button', { name: 'Stop watching it' })).toBeNull();
    expect(engine.folders).toEqual([]);
  });
});

describe('Import screen in the desktop app', () => {
  it('offers the native folder picker and imports what the user chose, or says under it why a folder cannot be', async () => {
    const engine = new FakeEngine();
    engine.chosenFolders = ['/photos/family'];
    engine.pending = [{ folder: '/photos/family', state: sampleAlbum(), skipped: [] }];
    const { FamiliarClient } = await import('../../renderer/lib/api.js');
    const { LiveState } = await import('../../renderer/lib/live.svelte.js');
    const { clientKey, liveKey } = await import('../../renderer/lib/context.js');
    const { render } = await import('@testing-library/svelte');
    const client = new FamiliarClient(engine.bridge('electron'));
    const live = new LiveState();
    live.connect(client);
    render(ImportScreen, { context: new Map<symbol, unknown>([[clientKey, client], [liveKey, live]]) } as Parameters<typeof render>[1]);
    expect(screen.queryByLabelText('Folder path')).toBeNull();
    await fireEvent.click(await screen.findByRole('button', { name: 'Add folder…' }));
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family'] }]));
    expect(await screen.findByRole('heading', { name: 'Import finished' }, { timeout: 15_000 })).toBeTruthy();

    // A folder dropped on the window that cannot be imported: said under Add folder…, the ended import's card giving way.
    importDropped(['/photos/nothing']);
    expect((await screen.findByRole('alert')).textContent).toBe('No photos were found in /photos/nothing.');
    expect(screen.queryByRole('heading', { name: 'Import finished' })).toBeNull();
    expect(screen.getByRole('alert').previousElementSibling?.textContent).toBe('Add folder…');
    importDropped([]);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Familiar could not tell where the dropped files are: use “Add folder…” instead.'));
    // And one chosen in the folder picker, the same way.
    engine.chosenFolders = ['/photos/empty'];
    await fireEvent.click(screen.getByRole('button', { name: 'Add folder…' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('No photos were found in /photos/empty.'));
    expect(toasts.items).toEqual([]);
  });
});

describe('A folder dropped on the window', () => {
  it('is imported by the Import screen the drop opens, and not unasked on a later visit when the screen did not open then', async () => {
    const engine = new FakeEngine();
    engine.pending = [{ folder: '/photos/family', state: sampleAlbum(), skipped: [] }];
    // Dropped, and the screen shown at once (App.svelte opens it): imported.
    importDropped(['/photos/family']);
    renderScreen(ImportScreen, {}, engine);
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family'] }]));
    expect(await screen.findByRole('heading', { name: 'Import finished' }, { timeout: 15_000 })).toBeTruthy();
    cleanup();

    // Dropped while the screen did not open (the drop went nowhere), then the screen visited long after: nothing happens.
    const later = new FakeEngine(sampleAlbum());
    importDropped(['/photos/old-drop']);
    const dropped = Date.now();
    const now = vi.spyOn(Date, 'now').mockImplementation(() => dropped + DROP_EXPIRED_SAID_MS + 1000);
    try {
      renderScreen(ImportScreen, {}, later);
      expect(await screen.findByLabelText('Folder path')).toBeTruthy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(later.calls('import.start')).toEqual([]);
      expect(screen.queryByRole('alert')).toBeNull();
      // A drop on the screen shown is still taken.
      importDropped(['/photos/nothing']);
      expect((await screen.findByRole('alert')).textContent).toBe('No photos were found in /photos/nothing.');
      expect(later.calls('import.start')).toEqual([{ paths: ['/photos/nothing'] }]);
    } finally {
      now.mockRestore();
      cleanup();
    }
  });

  it('says so under the path field when the screen opened too late to take the drop, and imports nothing', async () => {
    const engine = new FakeEngine(sampleAlbum());
    importDropped(['/photos/family']);
    const dropped = Date.now();
    // A busy window: the screen the drop opened shows after the handover expired.
    const now = vi.spyOn(Date, 'now').mockImplementation(() => dropped + DROP_HANDOVER_MS + 1000);
    try {
      renderScreen(ImportScreen, {}, engine);
      const alert = await screen.findByRole('alert');
      expect(alert.textContent).toBe('That drop took too long to arrive; drop the folders again.');
      // Where a dropped folder's problem is said: under the path field, which it describes.
      expect(screen.getByLabelText('Folder path').getAttribute('aria-describedby')).toBe(alert.id);
      expect(engine.calls('import.start')).toEqual([]);
      expect(toasts.items).toEqual([]);
    } finally {
      now.mockRestore();
      cleanup();
    }
  });
});

describe('Removing a watched folder', () => {
  /** The sample album split into two watched folders; one face in "downloads" was named Ada by the user. */
  function twoFolders(): FakeEngine {
    const album = sampleAlbum();
    album.photos.forEach((p, i) => (p.path = i < 8 ? `/photos/family/img_${i}.jpg` : `/photos/downloads/img_${i}.jpg`));
    const named = album.faces.find((f) => f.photoId === 'photo9')!;
    Object.assign(named, { personId: 'person-ada', assignedBy: 'user' });
    const engine = new FakeEngine(album);
    engine.folders = ['/photos/family', '/photos/downloads'];
    return engine;
  }

  it('says what would go, and Cancel (which has the focus) or Escape keeps everything', async () => {
    const engine = twoFolders();
    renderScreen(ImportScreen, {}, engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Remove /photos/downloads from the library' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Remove this folder from Familiar?' });
    expect(engine.calls('library.folderRemovalPlan')).toEqual([{ path: '/photos/downloads' }]);
    const text = dialog.textContent!.replace(/\s+/g, ' ');
    expect(text).toContain('4 photos and their 4 faces leave your library. The photos on disk are not touched.');
    expect(text).toContain('1 face you named, confirmed or corrected goes with them:');
    // Said before the click, as no undo brings them back (QA learnt it only from Ctrl+Z, after), with what an import does.
    expect(within(dialog).getByTestId('no-undo').textContent!.replace(/\s+/g, ' ').trim()).toBe(
      'This cannot be undone, and Undo does not reach past it. Importing the folder again brings the photos back, with what you said of 1 face: names, ' +
        'confirmations, “not this person”.',
    );
    expect(within(dialog).getByRole('list', { name: 'Named people who lose faces' }).textContent!.replace(/\s+/g, ' ').trim()).toBe('Ada loses 1 face, 5 left');
    expect(text).toContain('Familiar stops watching it for new photos.');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    await fireEvent.click(screen.getByRole('button', { name: 'Remove /photos/downloads from the library' }));
    await screen.findByRole('alertdialog');
    await fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(engine.calls('library.removeFolder')).toEqual([]);
    expect(engine.state.photos).toHaveLength(12);
  });

  it('removes the folder as a job, says what went, and stops listing it', async () => {
    const engine = twoFolders();
    renderScreen(ImportScreen, {}, engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Remove /photos/downloads from the library' }));
    const dialog = await screen.findByRole('alertdialog');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Remove from library' }));
    await waitFor(() => expect(engine.calls('library.removeFolder')).toEqual([{ path: '/photos/downloads' }]));
    const summary = await screen.findByTestId('removal-summary', {}, { timeout: 15_000 });
    expect(summary.textContent!.replace(/\s+/g, ' ').trim()).toBe('Removed /photos/downloads from the library: 4 photos and 4 faces. The files are still on disk.');
    const watched = screen.getByRole('list', { name: 'Watched folders' });
    await waitFor(() => expect(within(watched).queryByText('/photos/downloads')).toBeNull());
    expect(within(watched).getByText('/photos/family')).toBeTruthy();
    expect(engine.state.photos).toHaveLength(8);
  });
});

describe('Photos missing from disk', () => {
  it('says how many are gone, and forgets them only after saying what goes with them', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.missingPhotos = ['photo8', 'photo9'];
    renderScreen(ImportScreen, {}, engine);
    const line = await screen.findByTestId('missing-photos');
    expect(line.textContent!.replace(/\s+/g, ' ')).toContain('2 photos are no longer on disk (deleted or moved outside Familiar). The library keeps them, with the names on their faces, in case a drive comes back.');
    await fireEvent.click(within(line).getByRole('button', { name: 'Forget them…' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Forget the photos missing from disk?' });
    expect(dialog.textContent!.replace(/\s+/g, ' ')).toContain('2 photos deleted or moved outside Familiar, and their 2 faces, leave your library.');
    expect(within(dialog).queryByTestId('every-photo')).toBeNull();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Forget them' }));
    const summary = await screen.findByTestId('removal-summary', {}, { timeout: 15_000 });
    expect(summary.textContent!.replace(/\s+/g, ' ').trim()).toBe('Forgot 2 photos missing from disk and 2 faces.');
    expect(engine.calls('library.removeMissing')).toEqual([{}]);
    await waitFor(() => expect(screen.queryByTestId('missing-photos')).toBeNull());
    expect(engine.state.photos).toHaveLength(10);
  });

  it("are not counted among a folder's import when they are another folder's: said once, under the watched folders (QA)", async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.missingPhotos = ['photo8', 'photo9'];
    engine.pending = [{ folder: '/photos/holiday', state: sampleAlbum(), skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/holiday');
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    expect([...summary.querySelectorAll('dt')].map((dt) => dt.textContent)).not.toContain('Missing');
    expect(screen.getByTestId('missing-photos').textContent!.replace(/\s+/g, ' ')).toContain('2 photos are no longer on disk');
  });

  it('warns when every photo of the library is missing (most often a drive not plugged in)', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.missingPhotos = engine.state.photos.map((p) => p.id);
    renderScreen(ImportScreen, {}, engine);
    await fireEvent.click(within(await screen.findByTestId('missing-photos')).getByRole('button', { name: 'Forget them…' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Forget the photos missing from disk?' });
    expect(within(dialog).getByTestId('every-photo').textContent).toBe('That is every photo in your library.');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
  });
});

describe('A watched folder moved or renamed outside Familiar', () => {
  /** The sample album in /photos/album, watched, then moved to /photos/album-moved: its photos are missing. */
  function movedAlbum(): FakeEngine {
    const album = sampleAlbum();
    album.photos.forEach((p, i) => (p.path = `/photos/album/img_${i}.jpg`));
    const engine = new FakeEngine(album);
    engine.folders = ['/photos/family', '/photos/album'];
    engine.goneFolders = ['/photos/album'];
    engine.missingPhotos = album.photos.map((p) => p.id);
    const moved = sampleAlbum();
    moved.photos.forEach((p, i) => (p.path = `/photos/album-moved/img_${i}.jpg`));
    engine.pending = [{ folder: '/photos/album-moved', state: moved, skipped: [], movedFrom: '/photos/album' }];
    return engine;
  }

  it('says it cannot be found, opens the path field at its parent, and watches the new place instead once imported', async () => {
    const engine = movedAlbum();
    renderScreen(ImportScreen, {}, engine);
    engine.pending.push({ folder: '/photos/family', state: sampleAlbum(), skipped: [] });
    const card = await screen.findByTestId('gone-folder');
    // An import of another folder meanwhile is not said to leave the library up to date.
    await addFolder('/photos/family');
    const other = await screen.findByTestId('import-outcome', {}, { timeout: 15_000 });
    await waitFor(() => expect(other.textContent!.replace(/\s+/g, ' ')).toContain('The photos found are in your library; a folder it watches cannot be found (above).'));
    await fireEvent.click(screen.getByRole('button', { name: 'Import more' }));
    expect(card.textContent!.replace(/\s+/g, ' ')).toContain('/photos/album cannot be found. Moved or renamed? Import it from its new place and your names are kept.');
    // Listed as watched, marked gone; the photos under it counted missing.
    const watched = screen.getByRole('list', { name: 'Watched folders' });
    expect(within(watched).getByText('/photos/album').closest('li')!.textContent).toContain('cannot be found');
    expect(screen.getByTestId('missing-photos').textContent!.replace(/\s+/g, ' ')).toContain('12 photos are no longer on disk');

    await fireEvent.click(within(card).getByRole('button', { name: 'Import from its new place…' }));
    const field = screen.getByLabelText('Folder path') as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(field));
    expect(field.value).toBe('/photos/');
    await typeInto(field, '/photos/album-moved');
    await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }));
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    await waitFor(() => expect(screen.queryByTestId('gone-folder')).toBeNull());
    expect(within(summary).getByTestId('import-outcome').textContent).toContain('Your library is up to date.');
    await waitFor(() => expect(within(watched).queryByText('/photos/album')).toBeNull());
    expect(within(watched).getByText('/photos/album-moved')).toBeTruthy();
    expect(screen.queryByTestId('missing-photos')).toBeNull();
  });

  it('takes away the card of an import that ended before the folder went, which no longer holds', async () => {
    // QA: "Import finished … Unchanged 205" stayed under "A watched folder cannot be found", of the same photos.
    const album = sampleAlbum();
    album.photos.forEach((p, i) => (p.path = `/photos/album/img_${i}.jpg`));
    const engine = new FakeEngine();
    engine.pending = [{ folder: '/photos/album', state: album, skipped: [] }];
    const { unmount } = renderScreen(ImportScreen, {}, engine);
    await addFolder('/photos/album');
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    await waitFor(() => expect(within(summary).getByTestId('import-outcome').textContent).toContain('Your library is up to date.'));
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Watched folders' })).getByText('/photos/album')).toBeTruthy());

    // Renamed on disk: the screen hears of it with the next change.
    await new Promise((resolve) => setTimeout(resolve, 5));
    engine.goneFolders = ['/photos/album'];
    engine.missingPhotos = engine.state.photos.map((p) => p.id);
    engine.events.emit('library.changed', { what: ['photos'] });
    const gone = await screen.findByTestId('gone-folder');
    expect(gone.textContent!.replace(/\s+/g, ' ')).toContain('/photos/album cannot be found. Moved or renamed?');
    await waitFor(() => expect(screen.queryByTestId('import-summary')).toBeNull());
    // Nor does it come back once the folder is no longer watched.
    await fireEvent.click(within(gone).getByRole('button', { name: 'Stop watching it' }));
    await waitFor(() => expect(screen.queryByTestId('gone-folder')).toBeNull());
    expect(screen.queryByTestId('import-summary')).toBeNull();
    expect(screen.getByLabelText('Folder path')).toBeTruthy();

    // Opened again later (a reload, another screen and back), while a folder is gone: the same.
    engine.goneFolders = ['/photos/album'];
    engine.folders.push('/photos/album');
    unmount();
    renderScreen(ImportScreen, {}, engine);
    await screen.findByTestId('gone-folder');
    expect(screen.queryByTestId('import-summary')).toBeNull();
  });

  it('stops watching it when asked, keeping its photos and their names', async () => {
    const engine = movedAlbum();
    renderScreen(ImportScreen, {}, engine);
    await fireEvent.click(within(await screen.findByTestId('gone-folder')).getByRole('button', { name: 'Stop watching it' }));
    await waitFor(() => expect(screen.queryByTestId('gone-folder')).toBeNull());
    expect(engine.calls('library.stopWatching')).toEqual([{ path: '/photos/album' }]);
    expect(engine.calls('library.removeFolder')).toEqual([]);
    expect(within(screen.getByRole('list', { name: 'Watched folders' })).queryByText('/photos/album')).toBeNull();
    expect(engine.state.photos).toHaveLength(12);
    expect(screen.getByTestId('missing-photos').textContent!.replace(/\s+/g, ' ')).toContain('12 photos are no longer on disk');
  });
});

describe('Import screen focus', () => {
  it('puts the focus back in the path field after "Add folder" fails, and in it after "Import more"', async () => {
    // QA: both left the focus on the page: the path to mend was a Tab away, and Import more led nowhere.
    const engine = new FakeEngine();
    engine.pending = [{ folder: '/photos/family', state: sampleAlbum(), skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    const field = await screen.findByLabelText('Folder path');
    await typeInto(field, '/photos/nowhere');
    const add = screen.getByRole('button', { name: 'Add folder' });
    add.focus();
    await fireEvent.click(add);
    expect(await screen.findByRole('alert')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Folder path')));

    await typeInto(screen.getByLabelText('Folder path'), '/photos/family');
    await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }));
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    const more = within(summary).getByRole('button', { name: 'Import more' });
    more.focus();
    await fireEvent.click(more);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Folder path')));
  });
});

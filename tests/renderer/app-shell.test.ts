// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../renderer/App.svelte';
import { FamiliarClient } from '../../renderer/lib/api.js';
import { LiveState, toasts } from '../../renderer/lib/live.svelte.js';
import { pathsFromDrop } from '../../renderer/lib/drop.js';
import { parseHash, hrefFor, router } from '../../renderer/lib/router.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';

function dataTransfer(items: Record<string, string>, files: File[] = []): DataTransfer {
  return { files, types: Object.keys(items), getData: (type: string) => items[type] ?? '' } as unknown as DataTransfer;
}

/** The app on a fake engine, its live state connected to the engine's events, once the sidebar is drawn. */
async function renderConnectedApp(): Promise<{ engine: FakeEngine; disconnect: () => void }> {
  const engine = new FakeEngine(sampleAlbum());
  const client = new FamiliarClient(engine.bridge());
  const live = new LiveState();
  const disconnect = live.connect(client);
  render(App, { props: { client, live } });
  await screen.findByRole('link', { name: /Who is this\?/ });
  return { engine, disconnect };
}

describe('App shell', () => {
  beforeEach(() => router.go({ name: 'people' }, { replace: true }));

  it('navigates between sections from the sidebar and with Ctrl+digit in the desktop window, marking the current one', async () => {
    const engine = new FakeEngine(sampleAlbum());
    render(App, { props: { client: new FamiliarClient(engine.bridge('electron')), live: new LiveState() } });
    const nav = screen.getByRole('navigation', { name: 'Sections' });
    expect(nav.querySelector('[aria-current="page"]')?.textContent).toContain('People');
    // Two unnamed groups and three faces in no group wait for a name.
    expect(await screen.findByRole('link', { name: /Who is this\? 2 unnamed groups and 3 faces in no group to name/ })).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: '3', ctrlKey: true });
    expect(await screen.findByRole('heading', { name: 'Photos', level: 1 })).toBeTruthy();
    expect(nav.querySelector('[aria-current="page"]')?.textContent).toContain('Photos');
    // From a name field too ("Who is this?" keeps one focused), though its other keys stay in the field.
    await fireEvent.keyDown(document.body, { key: '2', ctrlKey: true });
    const field = await screen.findByRole('combobox', { name: /name/i });
    await fireEvent.keyDown(field, { key: '1', ctrlKey: true });
    expect(await screen.findByRole('heading', { name: 'People', level: 1 })).toBeTruthy();
    expect(within(nav).getByRole('link', { name: /^Photos/ }).getAttribute('title')).toBe('Photos (Ctrl+3)');
  });

  it('says only the faces in no group beside Who is this? once every group has a name, not "0 unnamed groups"', async () => {
    const album = sampleAlbum();
    for (const person of album.people) person.name ??= `Named ${person.id}`;
    render(App, { props: { client: new FamiliarClient(new FakeEngine(album).bridge('electron')), live: new LiveState() } });
    const who = await screen.findByRole('link', { name: /^Who is this\? \d/ });
    expect(who.textContent).toMatch(/Who is this\?\s*\d+ 3 faces in no group to name$/);
  });

  it('leaves Ctrl+digit to the browser in a browser tab, where it switches tabs, and goes to a section with Ctrl+Shift+digit', async () => {
    const engine = new FakeEngine(sampleAlbum());
    render(App, { props: { client: new FamiliarClient(engine.bridge('browser')), live: new LiveState() } });
    const nav = screen.getByRole('navigation', { name: 'Sections' });
    await screen.findByRole('heading', { name: 'People', level: 1 });
    // Ctrl+3 is the browser's third tab: not taken (no preventDefault), and the screen stays.
    expect(await fireEvent.keyDown(document.body, { key: '3', code: 'Digit3', ctrlKey: true })).toBe(true);
    expect(screen.getByRole('heading', { name: 'People', level: 1 })).toBeTruthy();
    // Shift turns the digit into the layout's sign ("#" on a US keyboard, "3" on a French one): the key's place counts.
    expect(await fireEvent.keyDown(document.body, { key: '#', code: 'Digit3', ctrlKey: true, shiftKey: true })).toBe(false);
    expect(await screen.findByRole('heading', { name: 'Photos', level: 1 })).toBeTruthy();
    // From a name field too, and from the numeric keypad.
    await fireEvent.keyDown(document.body, { key: '"', code: 'Digit2', ctrlKey: true, shiftKey: true });
    const field = await screen.findByRole('combobox', { name: /name/i });
    await fireEvent.keyDown(field, { key: 'End', code: 'Numpad1', ctrlKey: true, shiftKey: true });
    expect(await screen.findByRole('heading', { name: 'People', level: 1 })).toBeTruthy();
    // The sidebar's tooltips and the shortcuts list say the keys that work here.
    expect(within(nav).getByRole('link', { name: /^Photos/ }).getAttribute('title')).toBe('Photos (Ctrl+Shift+3)');
    await fireEvent.keyDown(document.body, { key: '?' });
    const shortcuts = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect([...shortcuts.querySelectorAll('dt')][0].textContent).toBe('CtrlShift1…7');
    expect(shortcuts.textContent).toContain('Go to a section');
  });

  it('lists Which one? under Who is this? while faces lie between two named people, and opens it', async () => {
    const album = sampleAlbum();
    album.people.find((p) => p.id === 'person-bob')!.name = 'Bob';
    album.lookalikes = { bob: 'ada' };
    render(App, { props: { client: new FamiliarClient(new FakeEngine(album).bridge()), live: new LiveState() } });
    const link = await screen.findByRole('link', { name: /^Which one\? 4 to decide$/ });
    await fireEvent.click(link);
    expect(await screen.findByRole('heading', { name: 'Which one?', level: 1 })).toBeTruthy();
    expect(link.getAttribute('aria-current')).toBe('page');
  });

  it('counts Which one? at once when it opens, and after changes once they pause, not after each (a profile)', async () => {
    const album = sampleAlbum();
    album.people.find((p) => p.id === 'person-bob')!.name = 'Bob';
    album.lookalikes = { bob: 'ada' };
    const engine = new FakeEngine(album);
    const live = new LiveState();
    render(App, { props: { client: new FamiliarClient(engine.bridge()), live } });
    await screen.findByRole('link', { name: /^Which one\? 4 to decide$/ });
    // On Training, whose screen asks nothing of it: the sidebar's are the only counts.
    router.go({ name: 'training' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const before = engine.calls('faces.ambiguous').length;
    // Three answers in a row, as in "Who is this?": the scan that counts would hold up each next card's calls.
    for (let i = 0; i < 3; i++) {
      live.changes.people++;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(engine.calls('faces.ambiguous')).toHaveLength(before);
    await waitFor(() => expect(engine.calls('faces.ambiguous')).toHaveLength(before + 1), { timeout: 3_000 });

    // After a quiet minute, the first answer still waits for the pause (a review: it was counted at once).
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now + 60_000);
    try {
      live.changes.people++;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(engine.calls('faces.ambiguous')).toHaveLength(before + 1);
      await waitFor(() => expect(engine.calls('faces.ambiguous')).toHaveLength(before + 2), { timeout: 3_000 });
      // Changes that never pause (an import's) are counted ten seconds after the first of them at the latest.
      live.changes.people++;
      await new Promise((resolve) => setTimeout(resolve, 300));
      clock.mockReturnValue(now + 60_000 + 10_500);
      live.changes.people++;
      await waitFor(() => expect(engine.calls('faces.ambiguous')).toHaveLength(before + 3), { timeout: 200 });
    } finally {
      clock.mockRestore();
    }
  });

  it('undoes the last decision with Ctrl+Z from an empty name field, and leaves a typed name\'s own undo alone', async () => {
    const engine = new FakeEngine(sampleAlbum());
    render(App, { props: { client: new FamiliarClient(engine.bridge()), live: new LiveState() } });
    router.go({ name: 'who' });
    const field = (await screen.findByRole('combobox', { name: /name/i })) as HTMLInputElement;
    field.value = 'Dor';
    await fireEvent.input(field);
    await fireEvent.keyDown(field, { key: 'z', ctrlKey: true });
    expect(engine.calls('undo')).toHaveLength(0);
    field.value = '';
    await fireEvent.input(field);
    await fireEvent.keyDown(field, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(engine.calls('undo')).toHaveLength(1));
    for (const toast of [...toasts.items]) toasts.dismiss(toast.id);
  });

  it('says the library is opening while the engine opens it, then shows the people', async () => {
    const engine = new FakeEngine(sampleAlbum());
    let opened: () => void = () => {};
    engine.opening = new Promise<void>((resolve) => (opened = resolve));
    render(App, { props: { client: new FamiliarClient(engine.bridge()), live: new LiveState() } });
    // Said by the sidebar's status, which is in the page from the start so that it is announced.
    const status = screen.getByTestId('jobs-status');
    expect(status.getAttribute('role')).toBe('status');
    await waitFor(() => expect(status.textContent).toBe('Opening your library…'));
    expect(screen.queryByRole('option', { name: 'Ada, 5 faces' })).toBeNull();
    engine.opening = null;
    opened();
    await waitFor(() => expect(screen.queryAllByText('Opening your library…')).toHaveLength(0));
    expect(status.textContent).toBe('');
    expect(await screen.findByRole('option', { name: 'Ada, 5 faces' })).toBeTruthy();
  });

  it('says nothing about opening when the library is already open', async () => {
    render(App, { props: { client: new FamiliarClient(new FakeEngine(sampleAlbum()).bridge()), live: new LiveState() } });
    await screen.findByRole('option', { name: 'Ada, 5 faces' });
    expect(screen.queryByText('Opening your library…')).toBeNull();
  });

  it('keeps Undo in reach at the foot of the sidebar, after the toast has gone', async () => {
    const engine = new FakeEngine(sampleAlbum());
    render(App, { props: { client: new FamiliarClient(engine.bridge()), live: new LiveState() } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Undo last change' }));
    await waitFor(() => expect(engine.calls('undo')).toHaveLength(1));
  });

  it('offers "Skip to content" before the sidebar, which takes the focus past it to the screen', async () => {
    // QA: 18 Tabs from the top of the page to the first card on People.
    render(App, { props: { client: new FamiliarClient(new FakeEngine(sampleAlbum()).bridge()), live: new LiveState() } });
    const skip = screen.getByRole('button', { name: 'Skip to content' });
    const focusable = [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, [tabindex]:not([tabindex="-1"])')];
    expect(focusable[0]).toBe(skip);
    await fireEvent.click(skip);
    const main = screen.getByRole('main');
    expect(document.activeElement).toBe(main);
    expect(main.contains(await screen.findByRole('heading', { name: 'People', level: 1 }))).toBe(true);
  });

  it('takes the focus to the screen a sidebar link opens, as the section keys do (QA: it stayed on the link)', async () => {
    render(App, { props: { client: new FamiliarClient(new FakeEngine(sampleAlbum()).bridge()), live: new LiveState() } });
    const nav = screen.getByRole('navigation', { name: 'Sections' });
    for (const [link, heading] of [[/^Import/, 'Import'], [/^Settings/, 'Settings'], [/^Training/, 'Training']] as const) {
      const anchor = within(nav).getByRole('link', { name: link });
      anchor.focus();
      await fireEvent.click(anchor);
      const main = screen.getByRole('main');
      expect(main.contains(await screen.findByRole('heading', { name: heading, level: 1 }))).toBe(true);
      await waitFor(() => expect(main.contains(document.activeElement)).toBe(true));
    }
  });

  it('lists the keyboard shortcuts on "?" and closes them with Escape', async () => {
    render(App, { props: { client: new FamiliarClient(new FakeEngine(sampleAlbum()).bridge()), live: new LiveState() } });
    await fireEvent.keyDown(document.body, { key: '?' });
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog.textContent).toContain('Yes, it is them');
    // Tab stays inside the dialog: from its one button back to it, and from the page behind into it.
    const done = within(dialog).getByRole('button', { name: 'Done' });
    done.focus();
    await fireEvent.keyDown(done, { key: 'Tab' });
    expect(document.activeElement).toBe(done);
    (document.querySelector('nav a') as HTMLElement).focus();
    await fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
    expect(dialog.contains(document.activeElement)).toBe(true);
    await fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Keyboard shortcuts' })).toBeNull());
  });

  it('starts an import when a folder from a file manager is dropped on the window', async () => {
    const engine = new FakeEngine();
    engine.pending = [{ folder: '/photos/family trip', state: sampleAlbum(), skipped: [] }];
    render(App, { props: { client: new FamiliarClient(engine.bridge()), live: new LiveState() } });
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.assign(drop, { dataTransfer: dataTransfer({ 'text/uri-list': 'file:///photos/family%20trip' }) });
    window.dispatchEvent(drop);
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/family trip'] }]));
    expect(await screen.findByRole('heading', { name: 'Import', level: 1 })).toBeTruthy();
  });

  it("says why a dropped folder cannot be imported under the Import screen's path field, as for a typed one, not in a toast", async () => {
    toasts.items.splice(0);
    const engine = new FakeEngine();
    render(App, { props: { client: new FamiliarClient(engine.bridge()), live: new LiveState() } });
    const drop = (items: Record<string, string>) => {
      const event = new Event('drop', { bubbles: true, cancelable: true });
      window.dispatchEvent(Object.assign(event, { dataTransfer: dataTransfer(items) }));
    };
    drop({ 'text/uri-list': 'file:///photos/nothing%20here' });
    expect((await screen.findByRole('alert')).textContent).toBe('No photos were found in /photos/nothing here.');
    // The folder is in the field, to be put right and added again.
    const field = screen.getByLabelText('Folder path') as HTMLInputElement;
    expect([field.value, field.getAttribute('aria-invalid')]).toEqual(['/photos/nothing here', 'true']);
    expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/nothing here'] }]);
    // Dropped again on the screen shown, and a drop with no path: said in the same place.
    drop({ 'text/uri-list': 'file:///photos/empty' });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('No photos were found in /photos/empty.'));
    drop({ 'text/plain': 'just some words' });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('This browser does not reveal where dropped files live: type the folder’s path here instead.'));
    expect(toasts.items).toEqual([]);
  });

  it('reads dropped paths from the preload, file:// URLs or typed paths, and nothing else', () => {
    const file = new File(['x'], 'a.jpg');
    expect(pathsFromDrop(dataTransfer({}, [file]), () => '/home/ada/a.jpg')).toEqual(['/home/ada/a.jpg']);
    expect(pathsFromDrop(dataTransfer({ 'text/uri-list': '# comment\r\nfile:///home/ada/Pictures\r\nhttps://example.com/x.jpg' }))).toEqual(['/home/ada/Pictures']);
    expect(pathsFromDrop(dataTransfer({ 'text/plain': '/srv/photos' }))).toEqual(['/srv/photos']);
    expect(pathsFromDrop(dataTransfer({ 'text/plain': 'just some words' }))).toEqual([]);
  });

  it('says in the sidebar what each running job is doing', async () => {
    const { engine, disconnect } = await renderConnectedApp();
    // Every job that was not an import or a training run said "Regrouping faces…", a names export included.
    const progress = (job: string) => ({ job, stage: 'score', done: 1, total: 4, etaSeconds: null, ratePerSecond: null });
    engine.events.emit('job.progress', { jobId: 'job-1', kind: 'score-faceness', progress: progress('score-faceness') });
    engine.events.emit('job.progress', { jobId: 'job-2', kind: 'export-names', progress: progress('export-names') });
    // Each job is a button that says how far it is (its bar is only drawn), and the status says which jobs run.
    expect(await screen.findByRole('button', { name: 'Checking faces… 25%' })).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Writing names… 25%' })).toBeTruthy();
    expect(screen.queryAllByText(/Regrouping faces/)).toHaveLength(0);
    expect(screen.getByTestId('jobs-status').textContent).toBe('Checking faces… Writing names…');
    disconnect();
  });

  it('takes each job\'s sidebar button to the screen that shows it, and says a read of Familiar\'s own names as such', async () => {
    const { engine, disconnect } = await renderConnectedApp();
    const progress = (job: string, detail?: Record<string, unknown>) => ({ job, stage: 'read', done: 1, total: 2, etaSeconds: null, ratePerSecond: null, ...(detail && { detail }) });
    // QA: "Reading names…" led to Training, where nothing is said of names; the names card is on Settings.
    engine.events.emit('job.progress', { jobId: 'job-1', kind: 'import-names', progress: progress('import-names') });
    await fireEvent.click(await screen.findByRole('button', { name: 'Reading names… 50%' }));
    await waitFor(() => expect(location.hash).toBe('#/settings'));
    // The folder watcher reading back sidecars Familiar itself wrote: work, but no other app's names.
    engine.events.emit('job.progress', { jobId: 'job-1', kind: 'import-names', progress: progress('import-names', { sidecarsBuiltByFamiliar: true }) });
    expect(await screen.findByRole('button', { name: 'Checking the names Familiar wrote… 50%' })).toBeTruthy();
    expect(screen.getByTestId('jobs-status').textContent).toBe('Checking the names Familiar wrote…');
    engine.events.emit('job.progress', { jobId: 'job-2', kind: 'train-embedder', progress: progress('train-embedder') });
    await fireEvent.click(await screen.findByRole('button', { name: 'Training recognition… 50%' }));
    await waitFor(() => expect(location.hash).toBe('#/training'));
    engine.events.emit('job.progress', { jobId: 'job-3', kind: 'recluster', progress: progress('recluster') });
    await fireEvent.click(await screen.findByRole('button', { name: 'Regrouping faces… 50%' }));
    await waitFor(() => expect(location.hash).toBe('#/settings'));
    engine.events.emit('job.progress', { jobId: 'job-4', kind: 'remove-photos', progress: progress('remove-photos') });
    await fireEvent.click(await screen.findByRole('button', { name: 'Removing photos… 50%' }));
    await waitFor(() => expect(location.hash).toBe('#/import'));
    // A copy of photos into a folder: the Photos screen started it, and shows how far it is.
    engine.events.emit('job.progress', { jobId: 'job-5', kind: 'copy-photos', progress: progress('copy-photos') });
    await fireEvent.click(await screen.findByRole('button', { name: 'Copying photos… 50%' }));
    await waitFor(() => expect(location.hash).toBe('#/photos'));
    expect(await screen.findByRole('progressbar', { name: 'Copying photos' })).toBeTruthy();
    disconnect();
  });

  it('round-trips every route through its hash', () => {
    for (const hash of ['#/people', '#/person/person-ada', '#/person/person-ada/suggestions', '#/who', '#/which', '#/photos', '#/photos/photo1?people=a,b', '#/photos?folder=0123456789abcdef', '#/photos/photo1?people=a&folder=0123456789abcdef', '#/studio', '#/training', '#/settings', '#/import']) {
      expect(hrefFor(parseHash(hash))).toBe(hash);
    }
    expect(parseHash('#/nowhere')).toEqual({ name: 'people' });
    expect(parseHash('#/person/person-ada/elsewhere')).toEqual({ name: 'person', personId: 'person-ada' });
  });
});

describe('Studio arithmetic and denoise', () => {
  it('adds the look of one person to a face and restores a noisy crop', async () => {
    const { renderScreen } = await import('./render.js');
    const StudioScreen = (await import('../../renderer/screens/StudioScreen.svelte')).default;
    const engine = new FakeEngine(sampleAlbum());
    engine.models.autoencoder.push({ version: 'v1', createdAt: '2026-01-01T00:00:00Z', faces: 12, people: 3, metrics: {}, inUse: true });
    engine.models.autoencoderInUse = 'v1';
    renderScreen(StudioScreen, {}, engine);
    await fireEvent.click(await screen.findByRole('tab', { name: 'Mix looks' }));
    await fireEvent.change(screen.getByLabelText('Face: person'), { target: { value: 'person-ada' } });
    await fireEvent.change(screen.getByLabelText('Add the look of: person'), { target: { value: 'person-cleo' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(engine.calls('studio.arithmetic')).toEqual([{ base: 'face0-0', add: ['face7-0', 'face8-0'], sub: [], strength: 1 }]));
    expect(await screen.findByRole('img', { name: 'The face with the added look' })).toBeTruthy();
    // The result says what was added to whom.
    // An unnamed group by the number the picker gave it (Bob's 3 faces are group 1, Cleo's 2 are group 2).
    expect(screen.getAllByRole('option', { name: 'Unnamed group 2 (2 faces)' }).length).toBeGreaterThan(0);
    expect(screen.getByText('Ada + 1.0× the look of unnamed group 2')).toBeTruthy();
    await fireEvent.click(screen.getByRole('tab', { name: 'Restore' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    await waitFor(() => expect(engine.calls('studio.denoise')).toEqual([{ faceId: 'face0-0', noise: 0.15 }]));
    expect(await screen.findByRole('img', { name: 'Restored by the face studio' })).toBeTruthy();
  });
});

describe('Studio interpolation', () => {
  it('names the ends of a strip as the pickers do, so groups of one size are told apart', async () => {
    const { renderScreen } = await import('./render.js');
    const StudioScreen = (await import('../../renderer/screens/StudioScreen.svelte')).default;
    const album = sampleAlbum();
    // Two unnamed groups of two faces: the engine's labels ("an unnamed group of 2 faces") cannot tell them apart.
    const bob = album.faces.filter((f) => f.personId === 'person-bob');
    bob[0].personId = null;
    const engine = new FakeEngine(album);
    engine.models.autoencoder.push({ version: 'v1', createdAt: '2026-01-01T00:00:00Z', faces: 12, people: 3, metrics: {}, inUse: true });
    engine.models.autoencoderInUse = 'v1';
    renderScreen(StudioScreen, {}, engine);
    await screen.findByRole('tab', { name: 'Blend' });
    // A model that learned from a dozen faces says why its drawings are rough.
    expect((await screen.findByRole('note')).textContent).toMatch(/learned from 12 faces: its drawings stay rough/);
    const numberOf = (id: string) => /Unnamed group (\d)/.exec(screen.getAllByRole('option').find((o) => (o as HTMLOptionElement).value === id)!.textContent!)![1];
    await waitFor(() => expect(screen.getAllByRole('option').length).toBeGreaterThan(3));
    const bobNumber = numberOf('person-bob');
    const cleoNumber = numberOf('person-cleo');
    expect(new Set([bobNumber, cleoNumber])).toEqual(new Set(['1', '2']));
    const [fromPicker, toPicker] = screen.getAllByLabelText(/: person$/);
    await fireEvent.change(fromPicker, { target: { value: 'person-bob' } });
    await fireEvent.change(toPicker, { target: { value: 'person-cleo' } });
    await fireEvent.click(screen.getByRole('button', { name: /^(Blend|Generate)/ }));
    await waitFor(() => expect(engine.calls('studio.interpolate')).toHaveLength(1));
    const steps = await screen.findAllByRole('button', { name: /^Step \d+:/ });
    expect(steps[0].getAttribute('aria-label')).toBe(`Step 1: unnamed group ${bobNumber}`);
    expect(steps.at(-1)!.getAttribute('aria-label')).toBe(`Step ${steps.length}: unnamed group ${cleoNumber}`);
  });
});

describe('Formatting', () => {
  it('shows shares as percentages, PSNR in dB and other metrics as numbers', async () => {
    const { metric, duration, rate } = await import('../../renderer/lib/format.js');
    expect(metric(0.94, 'accuracy')).toBe('94.0%');
    expect(metric(0.3, 'valLoss')).toBe('0.3000');
    expect(metric(24.13, 'psnr')).toBe('24.1 dB');
    expect(metric(undefined, 'x')).toBe('—');
    expect(duration(null)).toBe('estimating…');
    expect(duration(125)).toBe('2 min 05 s');
    expect(rate(12.4, 'photos')).toBe('12 photos/s');
  });
});

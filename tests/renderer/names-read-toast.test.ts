// @vitest-environment jsdom
// Names another app saved in a watched folder are read on their own (main/api/index.ts): the window says what was named
// and from which sidecar, wherever the user is, with Undo, and Settings' names card says why it read; a read the user
// started says its outcome in Settings only.
import { tick } from 'svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import App from '../../renderer/App.svelte';
import { FamiliarClient } from '../../renderer/lib/api.js';
import { LiveState, toasts } from '../../renderer/lib/live.svelte.js';
import { namesReadFromSidecarsSentence, namesImportSentence } from '../../renderer/lib/names-read.js';
import { router } from '../../renderer/lib/router.svelte.js';
import type { NamesImportResult } from '../../preload/contract.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { shownToasts } from './render.js';

const read = (over: Partial<NamesImportResult> = {}): NamesImportResult => ({
  photosRead: 1,
  photosWithNames: 1,
  facesNamed: 1,
  alreadyNamed: 0,
  facesAdded: 0,
  unmatchedRegions: 0,
  conflicts: [],
  skipped: [],
  newPeople: ['Barack Obama'],
  ...over,
});

describe('names read from a sidecar saved in a watched folder', () => {
  beforeEach(() => {
    router.go({ name: 'people' }, { replace: true });
    toasts.items = [];
  });

  it('says what it named and from which file, or from how many', () => {
    expect(namesReadFromSidecarsSentence(read({ sidecarsChanged: ['/photos/2019/obama.jpg.xmp'] }))).toBe(
      'Named 1 face (1 new person: Barack Obama) from the face tags another app saved in obama.jpg.xmp.',
    );
    expect(namesReadFromSidecarsSentence(read({ facesNamed: 3, newPeople: [], rejectionsRead: 1, sidecarsChanged: ['C:\\Photos\\a.xmp', 'C:\\Photos\\.picasa.ini'] }))).toBe(
      'Named 3 faces and read 1 “not this person” answer from the face tags another app saved in 2 sidecars.',
    );
    // Faces Familiar had missed, found where another app marked faces nobody named (Picasa's, digiKam's).
    expect(namesReadFromSidecarsSentence(read({ facesNamed: 0, newPeople: [], unnamedFacesFound: 2, sidecarsChanged: ['/photos/.picasa.ini'] }))).toBe(
      'Found 2 faces Familiar had missed from the face tags another app saved in .picasa.ini.',
    );
    // Rose's name came from another library's export, renamed there since: the rename is news, with Undo.
    expect(namesReadFromSidecarsSentence(read({ facesNamed: 0, newPeople: [], renamed: [{ from: 'Rose', to: 'Rosie' }], sidecarsChanged: ['/photos/a.jpg.xmp'], sidecarsBuiltByFamiliar: true }))).toBe(
      'Renamed “Rose” to “Rosie” from the face tags a Familiar names export saved in a.jpg.xmp.',
    );
    // Nothing changed, or the user asked: nothing to say here.
    expect(namesReadFromSidecarsSentence(read({ facesNamed: 0, newPeople: [], sidecarsChanged: ['/photos/a.xmp'] }))).toBeNull();
    expect(namesReadFromSidecarsSentence(read())).toBeNull();
  });

  it("says in Settings' names card what a read found where other apps marked faces nobody named", () => {
    expect(namesImportSentence(read({ photosWithNames: 0, facesNamed: 0, newPeople: [], unnamedFacesFound: 1 }))).toBe(
      'Found 1 face the detector had missed where another app marked a face, placed with whoever it looks like.',
    );
    expect(namesImportSentence(read({ facesNamed: 2, unnamedFacesFound: 3, alreadyNamed: 1 }))).toBe(
      'Named 2 faces (1 new person: Barack Obama); 3 faces the detector had missed found where another app marked faces, placed with whoever they look like; 1 was already named that way.',
    );
    expect(namesImportSentence(read({ facesNamed: 0, newPeople: [], alreadyNamed: 10, renamed: [{ from: 'Rose', to: 'Rosie' }] }))).toBe(
      'Renamed “Rose” to “Rosie”, as the tags now name them; 10 were already named that way.',
    );
    // No tags at all, and tags that only mark faces Familiar has (or places with none): nothing changed, said apart.
    expect(namesImportSentence(read({ photosRead: 4, photosWithNames: 0, facesNamed: 0, newPeople: [], unnamedFacesFound: 0 }))).toBe(
      'None of the 4 photos read has face tags from another app, so nothing changed.',
    );
    expect(namesImportSentence(read({ photosRead: 4, photosWithNames: 0, photosWithUnnamedMarks: 3, facesNamed: 0, newPeople: [], unnamedFacesFound: 0 }))).toBe(
      'Other apps marked faces with no name in 3 of the 4 photos read; none was a face Familiar had missed, so nothing changed.',
    );
    expect(namesImportSentence(read({ photosRead: 1, photosWithNames: 0, photosWithUnnamedMarks: 1, facesNamed: 0, newPeople: [], unnamedFacesFound: 0 }))).toBe(
      'Other apps marked faces with no name in the photo read; none was a face Familiar had missed, so nothing changed.',
    );
  });

  it('shows a toast with Undo on any screen when the watcher read names, and none for a read the user started', async () => {
    const engine = new FakeEngine(sampleAlbum());
    render(App, { props: { client: new FamiliarClient(engine.bridge('electron')), live: new LiveState() } });
    await screen.findByRole('heading', { name: 'People', level: 1 });
    const asked = engine.jobs.start('import-names', async () => read());
    await engine.jobs.settled(asked);
    const watched = engine.jobs.start('import-names', async () => read({ sidecarsChanged: ['/photos/obama.jpg.xmp'] }));
    await engine.jobs.settled(watched);
    const toast = await shownToasts().findByText(/Named 1 face \(1 new person: Barack Obama\) from the face tags another app saved in obama\.jpg\.xmp\./);
    expect(toasts.items).toHaveLength(1);
    await fireEvent.click(toast.closest('.toast')!.querySelector('button')!);
    await waitFor(() => expect(engine.calls('undo')).toHaveLength(1));
  });

  it("ties the watched read's Undo to the read: a decision made since is said, not taken back", async () => {
    const engine = new FakeEngine(sampleAlbum());
    const client = new FamiliarClient(engine.bridge('electron'));
    render(App, { props: { client, live: new LiveState() } });
    await screen.findByRole('heading', { name: 'People', level: 1 });
    const { decisionId } = await client.call('people.rename', { personId: 'person-cleo', name: 'Cleo' });
    const watched = engine.jobs.start('import-names', async () => read({ sidecarsChanged: ['/photos/obama.jpg.xmp'], decisionId }));
    await engine.jobs.settled(watched);
    const toast = await shownToasts().findByText(/from the face tags another app saved in obama\.jpg\.xmp\./);
    // Another window names Bob before the Undo.
    await client.call('people.rename', { personId: 'person-bob', name: 'Bob' });
    await fireEvent.click(toast.closest('.toast')!.querySelector('button')!);
    await waitFor(() => expect(engine.calls('undo')).toEqual([{ onlyIfLatestId: decisionId }]));
    expect(await shownToasts().findByText(/was decided since, in another window perhaps/)).toBeTruthy();
    expect(engine.state.people.find((p) => p.id === 'person-bob')!.name).toBe('Bob');
  });

  it("says on Settings' names card why a read nobody asked for happened, also when it changed nothing", async () => {
    const engine = new FakeEngine(sampleAlbum());
    const client = new FamiliarClient(engine.bridge('electron'));
    const live = new LiveState();
    live.connect(client); // as the window's entry does: the card follows the jobs it hears of
    render(App, { props: { client, live } });
    await screen.findByRole('heading', { name: 'People', level: 1 });
    const asked = engine.jobs.start('import-names', async () => read());
    await engine.jobs.settled(asked);
    router.go({ name: 'settings' });
    await waitFor(() => expect(screen.getByTestId('names-summary').textContent).toContain('Named 1 face (1 new person: Barack Obama)'));
    expect(screen.queryByTestId('names-read-on-its-own')).toBeNull();
    const watched = engine.jobs.start('import-names', async () => read({ facesNamed: 0, photosWithNames: 0, newPeople: [], sidecarsChanged: ['/photos/a.jpg.xmp', '/photos/b.jpg.xmp'] }));
    await engine.jobs.settled(watched);
    expect((await screen.findByTestId('names-read-on-its-own')).textContent).toBe('Read on its own: another app saved 2 sidecars in a watched folder.');
    // No toast for it: it named nobody.
    expect(toasts.items).toEqual([]);
  });

  it("keeps Settings' names card on the last read when the watcher only read back sidecars a Familiar export built", async () => {
    const engine = new FakeEngine(sampleAlbum());
    const client = new FamiliarClient(engine.bridge('electron'));
    const live = new LiveState();
    live.connect(client);
    render(App, { props: { client, live } });
    await screen.findByRole('heading', { name: 'People', level: 1 });
    router.go({ name: 'settings' });
    const asked = engine.jobs.start('import-names', async () => read());
    await engine.jobs.settled(asked);
    await waitFor(() => expect(screen.getByTestId('names-summary').textContent).toContain('Named 1 face (1 new person: Barack Obama)'));
    // `familiar names export` run from a terminal: the watcher reads its sidecars back, and nothing changes. Its
    // reports say whose sidecars it reads, so the card shows none of its progress either (QA).
    let reported = false;
    let finish = () => {};
    const echo = engine.jobs.start('import-names', async (_signal, onProgress) => {
      onProgress({ job: 'import-names', stage: 'read', done: 1, total: 2, etaSeconds: 1, ratePerSecond: 1, detail: { sidecarsBuiltByFamiliar: true } });
      reported = true;
      await new Promise<void>((resolve) => (finish = resolve));
      return read({ facesNamed: 0, alreadyNamed: 2, newPeople: [], sidecarsChanged: ['/photos/a.jpg.xmp', '/photos/b.jpg.xmp'], sidecarsBuiltByFamiliar: true });
    });
    await waitFor(() => expect(reported && live.latest('import-names')?.jobId === echo && live.latest('import-names')?.progress !== null).toBe(true));
    await tick();
    expect(screen.queryByText('Reading the face tags other apps wrote')).toBeNull();
    expect(screen.getByTestId('names-summary').textContent).toContain('Named 1 face (1 new person: Barack Obama)');
    finish();
    await engine.jobs.settled(echo);
    await waitFor(() => expect(live.latest('import-names')?.info?.state).toBe('done'));
    expect(live.latest('import-names')?.jobId).toBe(echo);
    expect(screen.getByTestId('names-summary').textContent).toContain('Named 1 face (1 new person: Barack Obama)');
    expect(screen.queryByTestId('names-read-on-its-own')).toBeNull();
    // Another Familiar's sidecars that did name someone are news like any other app's.
    const named = engine.jobs.start('import-names', async () => read({ newPeople: ['Michelle Obama'], sidecarsChanged: ['/photos/c.jpg.xmp'], sidecarsBuiltByFamiliar: true }));
    await engine.jobs.settled(named);
    expect((await screen.findByTestId('names-read-on-its-own')).textContent).toBe('Read on its own: a Familiar names export saved c.jpg.xmp in a watched folder.');
    expect(toasts.items.map((toast) => toast.message)).toEqual(['Named 1 face (1 new person: Michelle Obama) from the face tags a Familiar names export saved in c.jpg.xmp.']);
  });
});

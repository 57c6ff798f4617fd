// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import NamesInterchange from '../../renderer/components/NamesInterchange.svelte';
import SettingsScreen from '../../renderer/screens/SettingsScreen.svelte';
import { FamiliarClient } from '../../renderer/lib/api.js';
import { clientKey, liveKey } from '../../renderer/lib/context.js';
import { LiveState, toasts } from '../../renderer/lib/live.svelte.js';
import { redoDecisions } from '../../renderer/lib/redo.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

/** Renders the card the way the desktop app does (the bridge offers the native folder picker). */
function renderDesktop(engine: FakeEngine) {
  const client = new FamiliarClient(engine.bridge('electron'));
  const live = new LiveState();
  live.connect(client);
  render(NamesInterchange, { context: new Map<symbol, unknown>([[clientKey, client], [liveKey, live]]) } as Parameters<typeof render>[1]);
  return { engine, client, live };
}

async function openDisclosure(summary: HTMLElement, text: RegExp): Promise<HTMLElement> {
  const toggle = within(summary).getByText(text);
  await fireEvent.click(toggle);
  const details = toggle.closest('details')!;
  expect(details.open).toBe(true);
  return details;
}

/** "Write names beside the photos…", then "Write names" in the dialog that asks first. */
async function writeBeside(): Promise<void> {
  await fireEvent.click(screen.getByRole('button', { name: 'Write names beside the photos…' }));
  await fireEvent.click(within(screen.getByRole('alertdialog', { name: 'Write names beside your photos?' })).getByRole('button', { name: 'Write names' }));
}

describe('Names in other apps', () => {
  it('writes names beside the photos with progress, then says what it wrote, which faces another app names otherwise, and why files were skipped', async () => {
    const engine = new FakeEngine(sampleAlbum());
    // digiKam keeps sidecars for img_1 and img_2, and calls img_2's face "Ada Byron"; img_3's sidecar is not XMP.
    engine.foreignSidecars = ['/photos/img_1.jpg', '/photos/img_2.jpg'];
    engine.foreignNames = { '/photos/img_2.jpg': 'Ada Byron' };
    engine.unreadableSidecars = { '/photos/img_3.jpg': 'a file that is not XMP is there (not well-formed); Familiar leaves it alone' };
    renderScreen(NamesInterchange, {}, engine);
    // Faces Familiar placed too (the sample's user confirmed none), asked for before the button.
    await fireEvent.click(screen.getByLabelText(/Also write the faces Familiar placed that you have not confirmed/));
    await writeBeside();
    await waitFor(() => expect(engine.calls('names.export')).toEqual([{ confirmedOnly: false }]));

    const bar = await screen.findByRole('progressbar', { name: 'Writing names' });
    await waitFor(() => expect(Number(bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0));
    expect(screen.getByTestId('names-count').textContent).toMatch(/of 12\s+photos/);
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
    for (const name of ['Write names beside the photos…', 'Read names from other apps']) {
      expect((screen.getByRole('button', { name }) as HTMLButtonElement).disabled).toBe(true);
    }

    const summary = await screen.findByTestId('names-summary', {}, { timeout: 15_000 });
    expect(within(summary).getByRole('heading', { name: 'Names written' })).toBeTruthy();
    // Ada's five photos have a named face: img_1's goes into digiKam's sidecar, img_2's is digiKam's "Ada Byron".
    expect(summary.textContent).toContain(
      "Wrote 3 sidecars (1 of them other apps', their own tags kept); 1 face not written because another app names it differently; 1 skipped.",
    );
    expect(summary.textContent).toContain('next to its photo');
    expect(summary.textContent).toContain('kept a copy of it as it was (1 copy, in one folder: /library/sidecar-backups/2026-12-01T10-15-30Z)');
    const conflicts = within(await openDisclosure(summary, /1 face not written: another app names it differently/)).getByRole('list', { name: 'Faces another app names differently' });
    expect(conflicts.textContent).toContain('/photos/img_2.jpg.xmp');
    expect(conflicts.textContent).toContain('Ada');
    expect(conflicts.textContent).toContain('this sidecar already names the face "Ada Byron"');
    const details = await openDisclosure(summary, /1 file skipped/);
    const skipped = within(details).getByRole('list', { name: 'Skipped files' });
    expect(skipped.textContent).toContain('/photos/img_3.jpg.xmp');
    expect(skipped.textContent).toContain('not XMP');
    expect(screen.getByTestId('names-status').getAttribute('aria-live')).toBe('polite');

    // Writing again changes nothing that is already up to date, and makes no second copy.
    await writeBeside();
    await waitFor(() => expect(screen.getByTestId('names-summary').textContent).toContain('Wrote 0 sidecars; 3 were already up to date; 1 face not written because another app names it differently; 1 skipped.'), { timeout: 15_000 });
    expect(screen.getByTestId('names-summary').textContent).not.toContain('kept a copy');
  });

  it('writes only the faces the user confirmed unless asked for the others, and asks before writing beside the photos', async () => {
    const { engine } = renderScreen(NamesInterchange, {});
    await fireEvent.click(screen.getByRole('button', { name: 'Write names beside the photos…' }));
    const ask = screen.getByRole('alertdialog', { name: 'Write names beside your photos?' });
    expect(ask.textContent!.replace(/\s+/g, ' ')).toContain('Only faces you confirmed are written. Your photos themselves are not changed');
    // Cancel writes nothing.
    await fireEvent.click(within(ask).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(engine.calls('names.export')).toEqual([]);
    await writeBeside();
    await waitFor(() => expect(engine.calls('names.export')).toEqual([{ confirmedOnly: true }]));
    expect(await screen.findByText('No photo has a face you confirmed yet, so there was nothing to write.', {}, { timeout: 15_000 })).toBeTruthy();
  });

  it('reads names from other apps, lists the answers it kept, and Undo takes the names back', async () => {
    const engine = new FakeEngine(sampleAlbum());
    // The user put this face of Bob with Ada themselves; a tag calling it Bob must not override that.
    engine.state.faces.find((f) => f.id === 'face4-0')!.assignedBy = 'user';
    engine.xmpTags = [
      { photoId: 'photo7', name: 'Cleo', faceId: 'face7-0' },
      { photoId: 'photo8', name: 'Cleo', faceId: 'face8-0' },
      { photoId: 'photo9', name: 'Ada', faceId: 'face9-0' },
      { photoId: 'photo4', name: 'Bob', faceId: 'face4-0' },
      { photoId: 'photo11', name: 'Dan', faceId: null },
    ];
    renderScreen(NamesInterchange, {}, engine);
    await fireEvent.click(screen.getByRole('button', { name: 'Read names from other apps' }));
    await waitFor(() => expect(engine.calls('names.import')).toEqual([{}]));
    expect(await screen.findByRole('progressbar', { name: 'Reading names' })).toBeTruthy();

    const summary = await screen.findByTestId('names-summary', {}, { timeout: 15_000 });
    expect(within(summary).getByRole('heading', { name: 'Names read' })).toBeTruthy();
    expect(summary.textContent).toContain("Named 3 faces (1 new person: Cleo); 1 kept this library's answer; 1 tagged name went to no face.");
    const details = await openDisclosure(summary, /1 face kept this library's answer/);
    const conflicts = within(details).getByRole('list', { name: 'Faces that kept your answer' });
    expect(conflicts.textContent).toContain('img_4.jpg');
    expect(conflicts.textContent).toContain('Bob');
    expect(conflicts.textContent).toContain('this face is confirmed as "Ada" here');
    expect(engine.face('face9-0').personId).toBe('person-ada');
    expect(engine.state.people.some((p) => p.name === 'Cleo')).toBe(true);

    await fireEvent.click(within(summary).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(engine.calls('undo')).toHaveLength(1));
    await waitFor(() => expect(toasts.items.some((t) => t.message.startsWith('Undid: Named 3 faces from photo metadata'))).toBe(true));
    expect(engine.face('face9-0').personId).toBeNull();
    expect(engine.state.people.some((p) => p.name === 'Cleo')).toBe(false);
    // One import, one undo: the button does not offer to take back an older decision.
    await waitFor(() => expect(within(summary).queryByRole('button', { name: 'Undo' })).toBeNull());
    // The card says the read was taken back, not only "Names read" over names no longer there (QA).
    expect(within(summary).getByRole('heading', { name: 'Names read, then taken back' })).toBeTruthy();
    expect(summary.textContent).toContain('Undo took these names back: the faces are as they were before the read.');
    expect(summary.textContent).not.toContain('Faces were regrouped around the new names');
    // Redone (Ctrl+Shift+Z, a toast's Redo): the names are back, and the card says they were read.
    await redoDecisions(new FamiliarClient(engine.bridge()), new LiveState());
    await waitFor(() => expect(within(summary).getByRole('heading', { name: 'Names read' })).toBeTruthy());
    expect(engine.state.people.some((p) => p.name === 'Cleo')).toBe(true);
  });

  it('says what a read found where other apps marked faces nobody named, and Undo takes those faces out', async () => {
    const engine = new FakeEngine(sampleAlbum());
    // Picasa marked a face of Ada's the import missed, and nobody named it.
    engine.missedFaces = [{ id: 'photo9-1', photoId: 'photo9', box: [800, 300, 200, 240], identity: 'ada', personId: null, assignedBy: null, rejected: [] }];
    engine.unnamedMarks = ['photo9'];
    renderScreen(NamesInterchange, {}, engine);
    await fireEvent.click(screen.getByRole('button', { name: 'Read names from other apps' }));
    const summary = await screen.findByTestId('names-summary', {}, { timeout: 15_000 });
    expect(summary.textContent).toContain('Found 1 face the detector had missed where another app marked a face, placed with whoever it looks like.');
    expect(engine.face('photo9-1').personId).toBe('person-ada');

    await fireEvent.click(within(summary).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(toasts.items.some((t) => t.message === 'Took out the 1 face found where other apps marked faces.')).toBe(true));
    expect(engine.state.faces.some((f) => f.id === 'photo9-1')).toBe(false);
  });

  it('says so when the only tags mark faces Familiar has already, with no name', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.unnamedMarks = ['photo9'];
    renderScreen(NamesInterchange, {}, engine);
    await fireEvent.click(screen.getByRole('button', { name: 'Read names from other apps' }));
    const sentence = 'Other apps marked faces with no name in 1 of the 12 photos read; none was a face Familiar had missed, so nothing changed.';
    expect(await screen.findByText(sentence, {}, { timeout: 15_000 })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
  });

  it('does not take back a change made after the import: Undo says why and leaves both in place', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.xmpTags = [{ photoId: 'photo7', name: 'Cleo', faceId: 'face7-0' }];
    renderScreen(NamesInterchange, {}, engine);
    await fireEvent.click(screen.getByRole('button', { name: 'Read names from other apps' }));
    const summary = await screen.findByTestId('names-summary', {}, { timeout: 15_000 });
    // Elsewhere in the app, the user renames Ada after the import.
    await engine.bridge().calls['people.rename']({ personId: 'person-ada', name: 'Ada Lovelace' });
    await fireEvent.click(within(summary).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(toasts.items.some((t) => t.message.includes('Your latest change is'))).toBe(true));
    expect(engine.person('person-ada').name).toBe('Ada Lovelace');
    expect(engine.face('face7-0').assignedBy).toBe('user');
  });

  it('says so when no photo has face tags from another app', async () => {
    renderScreen(NamesInterchange, {});
    await fireEvent.click(screen.getByRole('button', { name: 'Read names from other apps' }));
    expect(await screen.findByText('None of the 12 photos read has face tags from another app, so nothing changed.', {}, { timeout: 15_000 })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
  });

  it('cancels a running job', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.stepMs = 200;
    renderScreen(NamesInterchange, {}, engine);
    await writeBeside();
    await fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(engine.calls('jobs.cancel')).toHaveLength(1));
    expect(await screen.findByRole('heading', { name: 'Writing names cancelled' }, { timeout: 15_000 })).toBeTruthy();
    expect(screen.getByText(/sidecars written before you cancelled are kept/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Write names beside the photos…' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows a failed job in one sentence', async () => {
    const { live } = renderScreen(NamesInterchange, {});
    live.track('job-x', 'import-names');
    live.finish({
      id: 'job-x',
      kind: 'import-names',
      state: 'failed',
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:00:01Z',
      progress: null,
      error: 'The library is locked by another Familiar.',
      result: null,
    });
    expect(await screen.findByRole('heading', { name: 'Reading names failed' })).toBeTruthy();
    expect(screen.getByText('The library is locked by another Familiar.')).toBeTruthy();
  });

  it('cannot choose a folder in a browser, and says why', async () => {
    renderScreen(NamesInterchange, {});
    const button = screen.getByRole('button', { name: 'Write names to a folder…' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    const why = document.getElementById(button.getAttribute('aria-describedby')!);
    expect(why?.textContent).toContain('needs the desktop app');
  });

  it('reads names from a folder chosen on the desktop, and says so when none of its sidecars is a photo here', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.chosenFolders = ['/home/ada/Names'];
    engine.folderSidecars = { '/home/ada/Names': 136 };
    renderDesktop(engine);
    await fireEvent.click(screen.getByRole('button', { name: 'Read names from a folder…' }));
    await waitFor(() => expect(engine.calls('names.import')).toEqual([{ from: '/home/ada/Names' }]));
    const summary = await screen.findByTestId('names-summary', {}, { timeout: 15_000 });
    expect(screen.getByTestId('names-from-folder').textContent).toBe('Found 136 sidecars in /home/ada/Names; 0 matched a photo in this library: were the photos imported here?');
    // Not also "no face tags from another app": the sentence above is the whole story.
    expect(summary.textContent).not.toContain('None of the');
    const details = await openDisclosure(summary, /136 sidecars matched no photo here/);
    expect(within(details).getAllByRole('listitem')).toHaveLength(10);
    expect(within(details).getByTitle('/home/ada/Names/old/photos/img_1.jpg.xmp').textContent).toBe('photos/img_1.jpg.xmp');
    expect(details.textContent).toContain('and 126 more');
  });

  it("says what a folder holding Picasa's contacts.xml gave, not that it held no sidecars", async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.chosenFolders = ['/home/ada/Picasa2'];
    engine.folderPicasaContacts = { '/home/ada/Picasa2': 12 };
    renderDesktop(engine);
    await fireEvent.click(screen.getByRole('button', { name: 'Read names from a folder…' }));
    await screen.findByTestId('names-summary', {}, { timeout: 15_000 });
    expect(screen.getByTestId('names-from-folder').textContent).toBe("Found Picasa's contacts.xml in /home/ada/Picasa2 (12 names).");
  });

  it('cannot choose a folder to read names from in a browser', async () => {
    renderScreen(NamesInterchange, {});
    const button = screen.getByRole('button', { name: 'Read names from a folder…' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(document.getElementById(button.getAttribute('aria-describedby')!)?.textContent).toContain('familiar names import --from DIR');
  });

  it('writes names to a folder chosen with the desktop folder picker', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.chosenFolders = ['/home/ada/Exports'];
    engine.foreignSidecars = ['/photos/img_1.jpg'];
    // Ada's faces confirmed: a folder export writes only confirmed faces unless asked for the others.
    for (const f of engine.state.faces) if (f.personId === 'person-ada') f.assignedBy = 'user';
    renderDesktop(engine);
    await fireEvent.click(screen.getByRole('button', { name: 'Write names to a folder…' }));
    await waitFor(() => expect(engine.calls('names.export')).toEqual([{ to: '/home/ada/Exports', confirmedOnly: true }]));
    const summary = await screen.findByTestId('names-summary', {}, { timeout: 15_000 });
    // Another app's sidecar beside the photo does not stop a copy in a folder of the user's own.
    expect(summary.textContent).toContain('Wrote 5 sidecars.');
    expect(summary.textContent).toContain('under /home/ada/Exports');
  });

  it('does nothing when the folder picker is closed', async () => {
    const engine = new FakeEngine(sampleAlbum());
    renderDesktop(engine);
    await fireEvent.click(screen.getByRole('button', { name: 'Write names to a folder…' }));
    await waitFor(() => expect(engine.calls('dialog.chooseFolders')).toHaveLength(1));
    expect(engine.calls('names.export')).toEqual([]);
  });
});

describe('Settings screen', () => {
  it('has a card for names in other apps', async () => {
    renderScreen(SettingsScreen, {});
    const card = await screen.findByRole('region', { name: 'Names in other apps' });
    // Which apps read the sidecars it writes, and which do not (QA: it promised Lightroom and Windows, which read a
    // JPEG's tags only from inside the file).
    const readers = within(card).getByTestId('names-readers').textContent!.replace(/\s+/g, ' ');
    expect(readers).toContain('Sidecars are read by digiKam (with “Read from sidecar files” on in its metadata settings), Immich and PhotoPrism.');
    expect(readers).toContain('Lightroom Classic reads sidecars only for raw files, and Windows only tags inside the photo');
    expect(card.textContent).not.toMatch(/Lightroom,? Immich and Windows read/);
    expect(within(card).getByRole('button', { name: 'Read names from other apps' })).toBeTruthy();
  });

  it('says before writing beside the photos which apps will show the names, and that Lightroom and Windows will not', async () => {
    renderScreen(NamesInterchange, {});
    await fireEvent.click(screen.getByRole('button', { name: 'Write names beside the photos…' }));
    const asked = screen.getByRole('alertdialog', { name: 'Write names beside your photos?' }).textContent!.replace(/\s+/g, ' ');
    expect(asked).toContain('which digiKam (with sidecar reading on), Immich and PhotoPrism read; Lightroom Classic and Windows read a JPEG');
    expect(asked).toContain('so they will not show these names.');
  });
});

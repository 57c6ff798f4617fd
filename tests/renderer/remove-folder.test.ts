// @vitest-environment jsdom
// Taking a folder out of the library (QA): the dialog says before the click what goes, what an import of the folder
// brings back (what the user said of its faces is kept with them), and that the photos on disk stay; afterwards the focus is on what was done, not the page, and the import result shown no longer lists the
// files it skipped in that folder.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import RemoveFolderDialog from '../../renderer/components/RemoveFolderDialog.svelte';
import ImportScreen from '../../renderer/screens/ImportScreen.svelte';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

const text = (element: Element) => element.textContent!.replace(/\s+/g, ' ').trim();

/** Imports a typed folder, as the user does, until the import's card says how it ended. */
async function importFolder(path: string): Promise<void> {
  await typeInto(await screen.findByLabelText('Folder path'), path);
  await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }));
  await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
}

/** Remove…, then Remove from library in the dialog. */
async function removeFolder(folder: string): Promise<void> {
  await fireEvent.click(await screen.findByRole('button', { name: `Remove ${folder} from the library` }));
  await fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Remove from library' }));
}

describe('Removing a folder', () => {
  it('says before the click how many named faces go, that it cannot be undone, what importing the folder again brings back, and that the files stay', async () => {
    const album = sampleAlbum();
    album.photos.forEach((p, i) => (p.path = i < 8 ? `/photos/family/img_${i}.jpg` : `/photos/downloads/img_${i}.jpg`));
    // Two faces of named people in the folder: one the user confirmed, one Familiar placed.
    const [confirmed, placed] = album.faces.filter((f) => f.photoId === 'photo9' || f.photoId === 'photo10');
    Object.assign(confirmed, { personId: 'person-ada', assignedBy: 'user' });
    Object.assign(placed, { personId: 'person-ada', assignedBy: 'cluster' });
    const engine = new FakeEngine(album);
    engine.folders = ['/photos/family', '/photos/downloads'];
    renderScreen(ImportScreen, {}, engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Remove /photos/downloads from the library' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Remove this folder from Familiar?' });
    expect(text(dialog)).toContain('The photos on disk are not touched.');
    expect(text(within(dialog).getByTestId('names-lost'))).toBe('2 named faces, 1 of them named or confirmed by you, go with them:');
    // What does come back: what the user said of their faces, kept with them (the face Familiar placed is placed again).
    expect(text(within(dialog).getByTestId('no-undo'))).toBe(
      'This cannot be undone, and Undo does not reach past it. Importing the folder again brings the photos back, with what you said of 1 face: names, ' +
        'confirmations, “not this person”.',
    );
    // Read out with the question, not found only after the click.
    const described = (dialog.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id));
    expect(described.some((element) => element?.contains(within(dialog).getByTestId('no-undo')))).toBe(true);
  });

  it('counts what comes back of the photos still on disk only: what was said of faces in photos deleted from disk comes back only with their files', async () => {
    const album = sampleAlbum();
    album.photos.forEach((p, i) => (p.path = i < 8 ? `/photos/family/img_${i}.jpg` : `/photos/downloads/img_${i}.jpg`));
    const [onDisk, deleted] = album.faces.filter((f) => f.photoId === 'photo9' || f.photoId === 'photo10');
    Object.assign(onDisk, { personId: 'person-ada', assignedBy: 'user' });
    Object.assign(deleted, { personId: 'person-ada', assignedBy: 'user' });
    const engine = new FakeEngine(album);
    engine.folders = ['/photos/family', '/photos/downloads'];
    engine.missingPhotos = [deleted.photoId];
    renderScreen(ImportScreen, {}, engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Remove /photos/downloads from the library' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Remove this folder from Familiar?' });
    expect(text(within(dialog).getByTestId('no-undo'))).toBe(
      'This cannot be undone, and Undo does not reach past it. Importing the folder again brings back the photos still on disk, with what you said of 1 ' +
        'face: names, confirmations, “not this person”. 1 photo is no longer on disk: what you said of 1 face in it comes back only if its file does.',
    );
    // Once removed, the line says so too: not that every file is still on disk (QA).
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Remove from library' }));
    const summary = await screen.findByTestId('removal-summary', {}, { timeout: 15_000 });
    expect(text(summary)).toBe(
      'Removed /photos/downloads from the library: 4 photos and 4 faces. The files of 3 photos are still on disk. 1 photo is no longer on disk: what you ' +
        'said of 1 face in it comes back only if its file does.',
    );
  });

  it('says nothing comes back by importing the folder again when none of its photos is on disk, and what is lost after it', () => {
    const plan = { folder: '/photos/trip', photos: 2, photosKeptElsewhere: 0, faces: 3, decidedFaces: 3, setAsideFaces: 0, decisionsKept: 2, photosNotOnDisk: 2, decisionsNotOnDisk: 2, namedPeople: [], watched: false };
    render(RemoveFolderDialog, { props: { plan, onconfirm: () => {}, oncancel: () => {} } });
    expect(text(screen.getByTestId('no-undo'))).toBe(
      'This cannot be undone, and Undo does not reach past it. 2 photos are no longer on disk: what you said of 2 faces in them comes back only if their ' +
        'files do. What you said of 1 other face is lost.',
    );
  });

  it('says of how many faces what the user said does not come back with the photos', () => {
    // A face drawn by hand, and one moved into a group that goes with the folder: neither comes back.
    const plan = { folder: '/photos/trip', photos: 3, photosKeptElsewhere: 0, faces: 5, decidedFaces: 4, setAsideFaces: 1, decisionsKept: 3, photosNotOnDisk: 0, decisionsNotOnDisk: 0, namedPeople: [], watched: false };
    render(RemoveFolderDialog, { props: { plan, onconfirm: () => {}, oncancel: () => {} } });
    expect(text(screen.getByTestId('no-undo'))).toBe(
      'This cannot be undone, and Undo does not reach past it. Importing the folder again brings the photos back, with what you said of 3 faces: names, ' +
        'confirmations, “not this person”. What you said of 2 other faces is lost.',
    );
  });

  it('lists each named person who loses faces on one short line, and says once under the list that emptied names are kept', () => {
    // QA: each line of a person left with no face said "…: the name is kept for when a face is named “X” again",
    // sixteen times over for a folder of sixteen cousins.
    const person = (name: string, faces: number, facesLeft: number) => ({ personId: `person-${name}`, name, faces, facesLeft });
    const plan = { folder: '/photos/reunion', photos: 9, photosKeptElsewhere: 0, faces: 9, decidedFaces: 9, setAsideFaces: 0, decisionsKept: 9, photosNotOnDisk: 0, decisionsNotOnDisk: 0, watched: true };
    const { unmount } = render(RemoveFolderDialog, {
      props: { plan: { ...plan, namedPeople: [person('Ada', 5, 12), person('Cousin Ed', 2, 0), person('Cousin Flo', 2, 0)] }, onconfirm: () => {}, oncancel: () => {} },
    });
    const lines = within(screen.getByRole('list', { name: 'Named people who lose faces' })).getAllByRole('listitem').map(text);
    expect(lines).toEqual(['Ada loses 5 faces, 12 left', 'Cousin Ed loses 2 faces, all of them', 'Cousin Flo loses 2 faces, all of them']);
    expect(text(screen.getByTestId('names-kept'))).toBe('Their names are kept, with no face, for when a face is named so again.');
    unmount();

    render(RemoveFolderDialog, { props: { plan: { ...plan, namedPeople: [person('Ada', 5, 12), person('Cousin Ed', 2, 0)] }, onconfirm: () => {}, oncancel: () => {} } });
    expect(text(screen.getByTestId('names-kept'))).toBe('“Cousin Ed” is kept, with no face, for when a face is named so again.');
  });

  it('says nothing of names kept when every named person keeps faces', () => {
    const plan = { folder: '/photos/trip', photos: 1, photosKeptElsewhere: 0, faces: 1, decidedFaces: 1, setAsideFaces: 0, decisionsKept: 1, photosNotOnDisk: 0, decisionsNotOnDisk: 0, watched: false };
    render(RemoveFolderDialog, { props: { plan: { ...plan, namedPeople: [{ personId: 'person-ada', name: 'Ada', faces: 1, facesLeft: 3 }] }, onconfirm: () => {}, oncancel: () => {} } });
    expect(screen.queryByTestId('names-kept')).toBeNull();
  });

  it('says the faces set aside apart from those named, confirmed or corrected', async () => {
    const album = sampleAlbum();
    album.photos.forEach((p, i) => (p.path = i < 8 ? `/photos/family/img_${i}.jpg` : `/photos/downloads/img_${i}.jpg`));
    const face = (photoId: string) => album.faces.find((f) => f.photoId === photoId)!;
    // In the folder: Cleo's unnamed group, hidden (hiding pins its faces as the user's), a stranger the user said not
    // to ask about, and a face the user named Ada.
    album.people.find((p) => p.id === 'person-cleo')!.hidden = true;
    for (const f of album.faces.filter((f) => f.personId === 'person-cleo')) f.assignedBy = 'user';
    Object.assign(face('photo11'), { personId: null, assignedBy: 'user' });
    Object.assign(face('photo9'), { personId: 'person-ada', assignedBy: 'user' });
    const engine = new FakeEngine(album);
    engine.folders = ['/photos/family', '/photos/downloads'];
    renderScreen(ImportScreen, {}, engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Remove /photos/downloads from the library' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Remove this folder from Familiar?' });
    expect(text(within(dialog).getByTestId('names-lost'))).toBe('1 face you named, confirmed or corrected, and 2 you set aside, go with them:');

    // Only faces set aside: said so, not as names.
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    Object.assign(engine.state.faces.find((f) => f.photoId === 'photo9')!, { personId: null, assignedBy: null });
    await fireEvent.click(screen.getByRole('button', { name: 'Remove /photos/downloads from the library' }));
    const again = await screen.findByRole('alertdialog');
    expect(text(within(again).getByTestId('names-lost'))).toBe('2 faces you set aside go with them.');
  });

  it('lists a folder imported without watching it, with Remove… and Watch it', async () => {
    const album = sampleAlbum();
    album.photos.forEach((p, i) => (p.path = i < 8 ? `/photos/family/img_${i}.jpg` : `/photos/downloads/img_${i}.jpg`));
    const engine = new FakeEngine(album);
    // `familiar import --no-watch /photos/downloads`: its photos are in the library, the folder is not watched.
    engine.folders = ['/photos/family'];
    renderScreen(ImportScreen, {}, engine);
    const unwatched = await screen.findByRole('list', { name: 'Folders not watched' });
    expect(text(unwatched)).toContain('/photos/downloads');
    expect(within(screen.getByRole('list', { name: 'Watched folders' })).queryByText('/photos/downloads')).toBeNull();

    await fireEvent.click(within(unwatched).getByRole('button', { name: 'Remove /photos/downloads from the library' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Remove this folder from Familiar?' });
    expect(text(dialog)).toContain('4 photos and their 4 faces leave your library.');
    expect(text(dialog)).not.toContain('stops watching');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Remove from library' }));
    await screen.findByTestId('removal-summary', {}, { timeout: 15_000 });
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Folders not watched' })).toBeNull());
    expect(engine.state.photos).toHaveLength(8);
  });

  it('watches a folder not watched when asked, by importing it again', async () => {
    const album = sampleAlbum();
    album.photos.forEach((p, i) => (p.path = i < 8 ? `/photos/family/img_${i}.jpg` : `/photos/downloads/img_${i}.jpg`));
    const engine = new FakeEngine(album);
    engine.folders = ['/photos/family'];
    engine.pending = [{ folder: '/photos/downloads', state: { ...album, photos: album.photos.slice(8) }, skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    // Its name starts with the words on it, for voice control ("click Watch it"); what it does is its description.
    const watch = await screen.findByRole('button', { name: 'Watch it: /photos/downloads' });
    expect(watch.textContent!.trim()).toBe('Watch it');
    expect(document.getElementById(watch.getAttribute('aria-describedby')!)!.textContent).toMatch(/^Familiar does not look for new photos in these folders\. “Watch it” imports what is new there/);
    for (const remove of screen.getAllByRole('button', { name: /^Remove / })) expect(remove.textContent!.trim()).toBe('Remove…');
    await fireEvent.click(watch);
    await waitFor(() => expect(engine.calls('import.start')).toEqual([{ paths: ['/photos/downloads'] }]));
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Watched folders' })).getByText('/photos/downloads')).toBeTruthy(), { timeout: 15_000 });
    expect(screen.queryByRole('list', { name: 'Folders not watched' })).toBeNull();
  });

  it('puts the focus on what it did, and forgets the files the import skipped in that folder', async () => {
    const album = sampleAlbum();
    album.photos.forEach((p, i) => (p.path = `/photos/downloads/img_${i}.jpg`));
    const engine = new FakeEngine();
    engine.pending = [
      { folder: '/photos/downloads', state: album, skipped: [{ path: '/photos/downloads/broken.jpg', reason: 'The JPEG is truncated.' }] },
      { folder: '/photos/family', state: { ...sampleAlbum(), photos: [], faces: [], people: [] }, skipped: [{ path: '/photos/family/odd.jpg', reason: 'Not an image.' }] },
    ];
    renderScreen(ImportScreen, {}, engine);
    await typeInto(await screen.findByLabelText('Folder path'), '/photos');
    await fireEvent.click(screen.getByRole('button', { name: 'Add folder' }));
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    expect(text(within(summary).getByRole('list', { name: /^Skipped/ }))).toContain('odd.jpg');
    // The folder holds no photo the card counts, only a file it skipped: the card stays, without that file.
    const remove = await screen.findByRole('button', { name: 'Remove /photos/family from the library' });
    remove.focus();
    await fireEvent.click(remove);
    const dialog = await screen.findByRole('alertdialog');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Remove from library' }));
    const removed = await screen.findByTestId('removal-summary', {}, { timeout: 15_000 });
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Remove /photos/family from the library' })).toBeNull());
    expect(document.activeElement).toBe(removed);
    const skipped = within(screen.getByTestId('import-summary')).getByRole('list', { name: /^Skipped/ });
    expect(text(skipped)).not.toContain('odd.jpg');
    expect(text(skipped)).toContain('broken.jpg');
  });

  it('shows the empty library\'s Import screen once the only folder imported is removed (QA: "up to date, 444 unchanged" over 0 photos)', async () => {
    const album = sampleAlbum();
    album.photos.forEach((p, i) => (p.path = `/photos/family/img_${i}.jpg`));
    const engine = new FakeEngine();
    engine.pending = [{ folder: '/photos/family', state: album, skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    await importFolder('/photos/family');
    await removeFolder('/photos/family');
    await screen.findByTestId('removal-summary', {}, { timeout: 15_000 });
    await waitFor(() => expect(text(document.querySelector('header .subtitle')!)).toContain('0 photos · 0 faces in your library'));
    expect(screen.queryByTestId('import-summary')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Show people' })).toBeNull();
    expect(screen.getByLabelText('Folder path')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Add a folder of photos' })).toBeTruthy();
  });

  it("keeps the import's card through a removal of photos it did not count, not through one of photos it did", async () => {
    const album = sampleAlbum();
    album.photos.forEach((p, i) => (p.path = i < 8 ? `/photos/old/img_${i}.jpg` : `/photos/new/img_${i}.jpg`));
    const engine = new FakeEngine({ ...album, photos: album.photos.slice(0, 8), faces: album.faces.filter((f) => Number(f.photoId.slice(5)) < 8) });
    engine.folders = ['/photos/old'];
    engine.pending = [{ folder: '/photos/new', state: { ...album, photos: album.photos.slice(8) }, skipped: [] }];
    renderScreen(ImportScreen, {}, engine);
    await importFolder('/photos/new');

    await removeFolder('/photos/old');
    await screen.findByTestId('removal-summary', {}, { timeout: 15_000 });
    expect(screen.getByTestId('import-summary')).toBeTruthy();

    await removeFolder('/photos/new');
    await waitFor(() => expect(screen.queryByTestId('import-summary')).toBeNull(), { timeout: 15_000 });
    expect(screen.getByLabelText('Folder path')).toBeTruthy();
  });
});

// @vitest-environment jsdom
// Ctrl+Z takes back the last thing the user did (lib/undo.ts). QA rolled the recogniser back, or saved a setting, then
// pressed Ctrl+Z, and it silently took back an older, unrelated "confirming 1 face as Tom Hanks": the engine's undo
// history holds only decisions. Now the first Ctrl+Z after such a change says it cannot take it back, and how to.
import { beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../renderer/App.svelte';
import SettingsScreen from '../../renderer/screens/SettingsScreen.svelte';
import { FamiliarClient } from '../../renderer/lib/api.js';
import { LiveState, toasts } from '../../renderer/lib/live.svelte.js';
import { router } from '../../renderer/lib/router.svelte.js';
import { followChanges, NOT_UNDOABLE_CALLS, UNDOABLE_CALLS, undoDecisions, undoLastChange } from '../../renderer/lib/undo.js';
import { callNames, type CallName } from '../../preload/contract.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, shownToasts } from './render.js';

const nameOf = (engine: FakeEngine, id: string) => engine.state.people.find((p) => p.id === id)?.name ?? null;
const lastToast = () => toasts.items.at(-1)?.message ?? '';

async function app(): Promise<{ engine: FakeEngine; client: FamiliarClient }> {
  const engine = new FakeEngine(sampleAlbum());
  const client = new FamiliarClient(engine.bridge());
  render(App, { props: { client, live: new LiveState() } });
  await screen.findByRole('option', { name: 'Ada, 5 faces' });
  await client.call('people.rename', { personId: 'person-bob', name: 'Bob' });
  return { engine, client };
}

/** The calls that change nothing: the rest must be sorted into the two lists lib/undo.ts keeps. */
const READS: CallName[] = [
  'library.info', 'library.opening', 'library.doctor', 'dialog.chooseFolders', 'import.check', 'library.folderRemovalPlan', 'library.missingRemovalPlan',
  'jobs.list', 'jobs.cancel', 'people.list', 'people.get', 'people.twoPeople', 'people.namesake', 'people.current', 'faces.get', 'faces.ofPerson',
  'faces.review', 'suggestions.forPerson', 'faces.ambiguous', 'unknown.queue', 'unknown.likely', 'unknown.maybe', 'unknown.faceMaybe', 'unknown.nearPeople',
  'unknown.samePerson', 'photos.list', 'photos.timeline', 'photos.folders', 'photos.get', 'photos.showInFolder', 'who', 'same', 'studio.interpolate', 'studio.arithmetic',
  'studio.denoise', 'models.list', 'models.checkUse', 'settings.get',
];

describe('Ctrl+Z after a change it cannot take back', () => {
  beforeEach(() => router.go({ name: 'people' }, { replace: true }));

  it('knows, for every call that changes the library, whether Ctrl+Z can take it back', () => {
    const unsorted = callNames.filter((name) => !READS.includes(name) && !UNDOABLE_CALLS.has(name) && !NOT_UNDOABLE_CALLS[name]);
    expect(unsorted).toEqual([]);
    expect(callNames.filter((name) => UNDOABLE_CALLS.has(name) && NOT_UNDOABLE_CALLS[name])).toEqual([]);
  });

  it('says the model version chosen cannot be undone, and takes back the decision before it only at the next Ctrl+Z', async () => {
    const { engine, client } = await app();
    await client.call('models.use', { kind: 'embedder', version: 'raw' });
    await fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(lastToast()).toBe(
      "Your last change (the model version you chose) can't be undone with Ctrl+Z: choose the version you had before under Versions in Training. Press Ctrl+Z again to take back the change you made before it.",
    ));
    expect(engine.calls('undo')).toEqual([]);
    expect(nameOf(engine, 'person-bob')).toBe('Bob');
    await fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(nameOf(engine, 'person-bob')).toBeNull());
    expect(engine.calls('undo')).toHaveLength(1);
  });

  it('the toast\'s button takes back the decision before it, as a second Ctrl+Z does', async () => {
    const { engine, client } = await app();
    await client.call('recluster.start');
    await fireEvent.click(screen.getByRole('button', { name: /Undo last change/ }));
    const toast = (await shownToasts().findByText(/^Your last change \(regrouping the faces\)/)).closest('.toast') as HTMLElement;
    await fireEvent.click(within(toast).getByRole('button', { name: 'Undo the one before' }));
    await waitFor(() => expect(nameOf(engine, 'person-bob')).toBeNull());
  });

  it('undoes as before when a decision was made after the change', async () => {
    const { engine, client } = await app();
    await client.call('settings.set', { values: { readNamesOnImport: false } });
    await client.call('people.rename', { personId: 'person-cleo', name: 'Cleo' });
    await fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(nameOf(engine, 'person-cleo')).toBeNull());
    expect(nameOf(engine, 'person-bob')).toBe('Bob');
  });

  it('says a folder taken out cannot be put back by Ctrl+Z, and takes back nothing before it (QA: it took back an older merge)', async () => {
    const { engine, client } = await app();
    engine.folders = ['/photos/empty', '/photos'];
    // A folder that held no photo: only its watching stopped, which the engine does not log; said here first.
    await client.call('library.folderRemovalPlan', { path: '/photos/empty' });
    await engine.jobs.settled((await client.call('library.removeFolder', { path: '/photos/empty' })).jobId);
    await fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(lastToast()).toMatch(/^Your last change \(taking \/photos\/empty out of the library\) can't be undone with Ctrl\+Z: import the folder again to watch it\./));
    expect(engine.calls('undo')).toEqual([]);
    // A folder of photos: the engine's undo stops at its removal and says why, at every Ctrl+Z; Bob stays named.
    await client.call('library.folderRemovalPlan', { path: '/photos' });
    await engine.jobs.settled((await client.call('library.removeFolder', { path: '/photos' })).jobId);
    const stops = /^Nothing undone: your latest change, "Removed \d+ photos from the library \(\/photos\)", cannot be undone, and undo does not reach past it\./;
    for (const press of [1, 2]) {
      await fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
      await waitFor(() => expect(engine.calls('undo')).toHaveLength(press));
      await waitFor(() => expect(lastToast()).toMatch(stops));
    }
    expect(toasts.items.at(-1)?.action).toBeUndefined();
    expect(nameOf(engine, 'person-bob')).toBe('Bob');
  });

  it('says why the engine took nothing back, and offers no Redo', async () => {
    const engine = new FakeEngine(sampleAlbum());
    const bridge = engine.bridge();
    const stops =
      'Nothing undone: your latest change, "Removed 2 photos from the library (/photos)", cannot be undone, and undo does not reach past it. ' +
      'Importing the folder again brings the photos back, with what you said of 1 face (names, confirmations, "not this person").';
    // As the engine answers right after a removal (main/people/decisions.ts undoLast).
    (bridge.calls as Record<string, () => Promise<unknown>>).undo = async () => ({ result: { undone: null, message: stops } });
    const client = new FamiliarClient(bridge);
    await undoLastChange(client, new LiveState());
    expect(toasts.items.at(-1)).toMatchObject({ message: stops, tone: 'info' });
    expect(toasts.items.at(-1)?.action).toBeUndefined();
  });

  it('names the setting saved in Settings, and how to put it back', async () => {
    const { client, live, engine } = renderScreen(SettingsScreen, {});
    followChanges(client);
    await client.call('people.rename', { personId: 'person-bob', name: 'Bob' });
    const distance = (await screen.findByLabelText(/count as one person$/)) as HTMLInputElement;
    const before = distance.value;
    distance.value = '0.35';
    await fireEvent.input(distance);
    await fireEvent.change(distance);
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(engine.calls('settings.set')).toHaveLength(1));
    await undoLastChange(client, live);
    expect(lastToast()).toBe(
      `Your last change (the grouping setting) can't be undone with Ctrl+Z: change it back to ${before} in Settings. Press Ctrl+Z again to take back the change you made before it.`,
    );
    expect(engine.calls('undo')).toEqual([]);
  });
});

describe("an answer's Undo when the answer changed nothing", () => {
  it('takes back nothing, where it used to take back the decision before it (a review)', async () => {
    const engine = new FakeEngine(sampleAlbum());
    const client = new FamiliarClient(engine.bridge());
    await client.call('people.rename', { personId: 'person-bob', name: 'Bob' });
    // "Marked … already: nothing changed" logs no decision, and says so with a null decisionId.
    await undoDecisions(client, new LiveState(), { decisionId: null });
    expect(lastToast()).toBe('That changed nothing, so there is nothing of it to undo.');
    expect(engine.calls('undo')).toEqual([]);
    expect(nameOf(engine, 'person-bob')).toBe('Bob');
  });
});

describe('an Undo of several answers, each tied to its own', () => {
  it('takes back its own answers newest first, and stops at one another window made between them, saying so', async () => {
    const engine = new FakeEngine(sampleAlbum());
    const client = new FamiliarClient(engine.bridge());
    const first = await client.call('people.rename', { personId: 'person-bob', name: 'Bob' });
    // Another window, between the two answers of one toast.
    await client.call('people.hide', { personIds: ['person-ada'], hidden: true });
    const second = await client.call('people.rename', { personId: 'person-cleo', name: 'Cleo' });
    // An answer that changed nothing (null) is no step.
    await undoDecisions(client, new LiveState(), { decisionIds: [first.decisionId, null, second.decisionId], said: 'Named 2 people' });
    expect(engine.calls('undo')).toEqual([{ onlyIfLatestId: second.decisionId }, { onlyIfLatestId: first.decisionId }]);
    expect(nameOf(engine, 'person-cleo')).toBeNull();
    expect(nameOf(engine, 'person-bob')).toBe('Bob');
    expect(engine.state.people.find((p) => p.id === 'person-ada')?.hidden).toBe(true);
    // What was taken back is said, and why not the rest, not the count of the toast it came from.
    expect(lastToast()).toMatch(/^Undid: Named "Cleo" .*"Named "Bob".*" was not undone: "Hid Ada\." was decided since/);
  });

  it("says what each took back when one of the toast's answers changed nothing, not the toast's count of them", async () => {
    const engine = new FakeEngine(sampleAlbum());
    const client = new FamiliarClient(engine.bridge());
    const first = await client.call('people.rename', { personId: 'person-bob', name: 'Bob' });
    const second = await client.call('people.rename', { personId: 'person-cleo', name: 'Cleo' });
    await undoDecisions(client, new LiveState(), { decisionIds: [first.decisionId, null, second.decisionId], said: 'Named 3 people' });
    expect(engine.calls('undo')).toHaveLength(2);
    expect(lastToast()).not.toMatch(/Named 3 people/);
    expect(lastToast()).toMatch(/^Undid: Named "Cleo" .*Undid: Named "Bob"/);
  });
});


// @vitest-environment jsdom
// What People's selection bar does with several people: Hide and Show are one call, one decision, whose toast's Undo is
// one undo (it was one call per person, and the Undo as many calls back: each a new decision, so whatever another
// window decided in between stayed mixed in, and Ctrl+Z hid them again). And an engine that fails leaves the
// selection as it was, with the error said, for the user to try again: Delete cleared it whatever happened.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import PeopleScreen from '../../renderer/screens/PeopleScreen.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

const ADA = 'Ada, 5 faces';
const BOB = 'Unnamed group: add a name, 3 faces';
const CLEO = 'Unnamed group: add a name, 2 faces';

const labels = () => within(screen.getByRole('listbox', { name: 'People' })).getAllByRole('option').map((o) => o.getAttribute('aria-label'));
const toastSaying = (start: string) => toasts.items.findLast((t) => t.message.startsWith(start));

/** Selects the cards with these labels, as Space on each does. */
async function select(...names: string[]) {
  for (const name of names) {
    const card = await screen.findByRole('option', { name });
    await fireEvent.focus(card);
    await fireEvent.keyDown(card, { key: ' ' });
  }
}

describe('Hiding several people on People', () => {
  it('hides them in one call, and the toast’s Undo is one undo that shows them all again', async () => {
    toasts.items.splice(0);
    const { engine } = renderScreen(PeopleScreen, {});
    await select(ADA, CLEO);
    await fireEvent.click(screen.getByRole('button', { name: 'Hide' }));
    await waitFor(() => expect(labels()).toEqual([BOB]));
    expect(engine.calls('people.hide')).toEqual([{ personIds: ['person-ada', 'person-cleo'], hidden: true }]);
    expect(screen.queryByText('2 selected')).toBeNull();
    const toast = toastSaying('Hid');
    expect(toast?.message).toBe('Hid 2 people.');
    expect(toast?.action?.label).toBe('Undo');

    await toast!.action!.run();
    await waitFor(() => expect(labels()).toEqual([ADA, BOB, CLEO]));
    expect(engine.calls('undo')).toHaveLength(1);
    // Undone, not hidden the other way by a decision of its own.
    expect(engine.calls('people.hide')).toHaveLength(1);
    expect(toasts.items.map((t) => t.message)).toContain('2 people are shown again.');
  });

  it('shows several hidden people in one call', async () => {
    toasts.items.splice(0);
    const album = sampleAlbum();
    for (const p of album.people) if (p.id !== 'person-ada') p.hidden = true;
    const { engine } = renderScreen(PeopleScreen, {}, new FakeEngine(album));
    await screen.findByRole('option', { name: ADA });
    await fireEvent.click(screen.getByRole('checkbox', { name: /Show hidden/ }));
    await select(`${BOB}, hidden`, `${CLEO}, hidden`);
    await fireEvent.click(screen.getByRole('button', { name: 'Show' }));
    await waitFor(() => expect(labels()).toEqual([ADA, BOB, CLEO]));
    expect(engine.calls('people.hide')).toEqual([{ personIds: ['person-bob', 'person-cleo'], hidden: false }]);
    expect(toastSaying('Showed')?.message).toBe('Showed 2 unnamed groups.');
  });
});

describe('People’s selection when the engine fails', () => {
  it('Delete keeps the selection and says why; the same Delete then works', async () => {
    toasts.items.splice(0);
    const engine = new FakeEngine(sampleAlbum());
    engine.failing['people.delete'] = 'The disk is full.';
    renderScreen(PeopleScreen, {}, engine);
    await select(ADA, CLEO);
    await fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    await fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(toasts.items.some((t) => t.tone === 'error' && t.message.includes('The disk is full.'))).toBe(true));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByText('2 selected')).toBeTruthy();
    expect(labels()).toEqual([ADA, BOB, CLEO]);

    delete engine.failing['people.delete'];
    await fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    await fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(labels()).toEqual([BOB]));
    expect(engine.calls('people.delete')).toEqual([{ personIds: ['person-ada', 'person-cleo'] }, { personIds: ['person-ada', 'person-cleo'] }]);
    expect(screen.queryByText('2 selected')).toBeNull();
  });

  it('Hide keeps the selection and says why', async () => {
    toasts.items.splice(0);
    const engine = new FakeEngine(sampleAlbum());
    engine.failing['people.hide'] = 'The disk is full.';
    renderScreen(PeopleScreen, {}, engine);
    await select(ADA, CLEO);
    await fireEvent.click(screen.getByRole('button', { name: 'Hide' }));
    await waitFor(() => expect(toasts.items.some((t) => t.tone === 'error' && t.message.includes('The disk is full.'))).toBe(true));
    expect(screen.getByText('2 selected')).toBeTruthy();
    expect(labels()).toEqual([ADA, BOB, CLEO]);
    expect(toastSaying('Hid')).toBeUndefined();
  });

  it('Merge keeps the selection and says why', async () => {
    toasts.items.splice(0);
    const engine = new FakeEngine(sampleAlbum());
    engine.failing['people.merge'] = 'The disk is full.';
    renderScreen(PeopleScreen, {}, engine);
    await select(BOB, CLEO);
    await fireEvent.click(screen.getByRole('button', { name: 'Merge' }));
    await waitFor(() => expect(engine.calls('people.merge')).toHaveLength(1));
    await waitFor(() => expect(toasts.items.some((t) => t.tone === 'error' && t.message.includes('The disk is full.'))).toBe(true));
    expect(screen.getByText('2 selected')).toBeTruthy();
    expect(labels()).toEqual([ADA, BOB, CLEO]);
  });
});

describe('the count of people selected', () => {
  it('counts the cards on screen that Merge, Hide and Delete act on, says the others apart, and drops one gone elsewhere', async () => {
    // QA: "2 selected" over a Delete that asked about one (a search hid the other), and "3 selected" after another
    // window deleted one of them.
    const { engine } = renderScreen(PeopleScreen, {});
    await select(ADA, BOB, CLEO);
    expect(screen.getByText('3 selected')).toBeTruthy();
    const find = screen.getByRole('searchbox', { name: 'Find a person' }) as HTMLInputElement;
    find.value = 'ada';
    await fireEvent.input(find);
    expect(await screen.findByText('1 selected (2 more not shown)')).toBeTruthy();
    find.value = '';
    await fireEvent.input(find);
    expect(await screen.findByText('3 selected')).toBeTruthy();
    await engine.dispatcher.call('people.delete', { personIds: ['person-cleo'] });
    expect(await screen.findByText('2 selected')).toBeTruthy();
  });
});

describe('Merging on People', () => {
  it('says when the merged faces look like two people, with Undo, as naming and the command line do', async () => {
    // QA: George and an unnamed group of Jeb's merged at once, the toast only "Merged…", and George's page then asked.
    toasts.items.splice(0);
    const album = sampleAlbum();
    // Bob's face beside Ada's in her first photo taken to a photo of its own: they appear in no photo together, so the
    // merge is not asked about first.
    const [photo0, photo10] = [album.photos[0], album.photos[10]];
    photo0.faceIds = ['face0-0'];
    photo10.faceIds.push('face0-1');
    album.faces.find((f) => f.id === 'face0-1')!.photoId = photo10.id;
    const { engine } = renderScreen(PeopleScreen, {}, new FakeEngine(album));
    await select(ADA, BOB);
    await fireEvent.click(screen.getByRole('button', { name: 'Merge' }));
    await waitFor(() => expect(engine.calls('people.merge')).toEqual([{ intoId: 'person-ada', fromIds: ['person-bob'] }]));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await waitFor(() => expect(toastSaying('Merged')?.message).toBe('Merged 2 people into Ada. Their faces look like two people: open Ada to split them, or Undo takes the merge back.'));
    const toast = toastSaying('Merged')!;
    expect(toast.action?.label).toBe('Undo');
    await toast.action!.run();
    await waitFor(() => expect(labels()).toEqual([ADA, BOB, CLEO]));
  });

  it('says nothing more when they look like one person', async () => {
    toasts.items.splice(0);
    renderScreen(PeopleScreen, {});
    await select(BOB, CLEO);
    await fireEvent.click(screen.getByRole('button', { name: 'Merge' }));
    await waitFor(() => expect(toastSaying('Merged')?.message).toBe('Merged 2 people into one group.'));
  });
});

// @vitest-environment jsdom
// Where "Who is this?" goes after a decision, an undo and a redo (QA: naming Serena's part of a two-people group went
// to "4 of 51", her sister's new group at its place by size, past three groups never seen; naming her went back to
// "1 of 50"; Undo then Redo stayed on "4 of 50", by then another group).
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import { albumOfGroups, FakeEngine, type FakeState } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';
import { toasts } from '../../renderer/lib/live.svelte.js';

/**
 * Unnamed groups, largest first: Serena's five faces and Venus's three in one group (the clustering groups sisters),
 * then three groups of four, then one of two. One face a photo.
 */
function sisters(): FakeState {
  const state: FakeState = { photos: [], faces: [], people: [] };
  const group = (id: string, parts: [identity: string, count: number][]) => {
    state.people.push({ id, name: null, hidden: false, coverFaceId: null });
    for (const [identity, count] of parts) {
      for (let i = 0; i < count; i++) {
        const n = state.photos.length;
        state.photos.push({ id: `photo${n}`, path: `/photos/img_${n}.jpg`, width: 1200, height: 800, takenAt: null, faceIds: [`face${n}-0`] });
        state.faces.push({ id: `face${n}-0`, photoId: `photo${n}`, box: [200, 200, 240, 240], identity, personId: id, assignedBy: 'cluster', rejected: [] });
      }
    }
  };
  group('person-sisters', [['serena', 5], ['venus', 3]]);
  for (const id of ['gerhard', 'maria', 'colin']) group(`person-${id}`, [[id, 4]]);
  group('person-bill', [['bill', 2]]);
  return state;
}

/** The toast's button (the app shell shows toasts): the newest one of `label`. */
async function pressToast(label: string) {
  const toast = toasts.items.findLast((t) => t.action?.label === label);
  expect(toast).toBeTruthy();
  await toast!.action!.run();
}

async function name(value: string) {
  const field = screen.getByRole('combobox', { name: 'Name' });
  await typeInto(field, value);
  await fireEvent.keyDown(field, { key: 'Enter' });
}

describe('Who is this? keeps its place', () => {
  it('puts the part split off a group being named right after it, next, and goes on in order', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(sisters()));
    await screen.findByRole('group', { name: 'The two parts of this group' });
    expect(screen.getByText('1 of 5')).toBeTruthy();
    await name('Serena');
    await waitFor(() => expect(engine.calls('people.rename')).toHaveLength(1));
    // Venus's three faces come next, where the group was, not fourth after three groups of four never seen.
    expect(await screen.findByText('A group of 3 faces in 3 photos')).toBeTruthy();
    expect(screen.getByText('1 of 5')).toBeTruthy();
    await new Promise((done) => setTimeout(done, 100));
    expect(screen.getByText('1 of 5')).toBeTruthy();
    // Named too: on to the first group of four, the next not seen, and the count goes on from there.
    await name('Venus');
    await waitFor(() => expect(engine.calls('people.rename')).toHaveLength(2));
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    expect(screen.getByText('A group of 4 faces in 4 photos')).toBeTruthy();
  });

  it('goes back to the group a decision was about after its Undo, and on from it after the Redo', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(sisters()));
    await screen.findByRole('group', { name: 'The two parts of this group' });
    await name('Serena');
    expect(await screen.findByText('A group of 3 faces in 3 photos')).toBeTruthy();
    await name('Venus');
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    const venus = engine.state.people.find((p) => p.name === 'Venus')!.id;
    // Undo: Venus's group is back on screen, at its place (next after Serena's), not at its place by size.
    await pressToast('Undo');
    await waitFor(() => expect(engine.state.people.find((p) => p.id === venus)?.name ?? null).toBeNull());
    expect(await screen.findByText('A group of 3 faces in 3 photos')).toBeTruthy();
    expect(screen.getByText('1 of 5')).toBeTruthy();
    // Redo: named again, and the screen is where the name had left it (QA: "4 of 50", a group that slid into the place).
    await pressToast('Redo');
    await waitFor(() => expect(engine.calls('redo')).toHaveLength(1));
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    expect(screen.getByText('A group of 4 faces in 4 photos')).toBeTruthy();
    // Undone again (the Redo toast's Undo): back to Venus, not to Serena's decision before it.
    await pressToast('Undo');
    await waitFor(() => expect(engine.calls('undo')).toHaveLength(2));
    expect(await screen.findByText('A group of 3 faces in 3 photos')).toBeTruthy();
    expect(screen.getByText('1 of 5')).toBeTruthy();
  });

  it('goes back to a group a decision left in the queue after its Undo and Redo (a split)', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(sisters()));
    await screen.findByRole('group', { name: 'The two parts of this group' });
    await fireEvent.click(await screen.findByRole('button', { name: 'Split into two groups' }));
    await waitFor(() => expect(engine.calls('people.split')).toHaveLength(1));
    // Serena's part stays on screen; Venus's comes right after it, next, not after the groups of four.
    expect(await screen.findByText('A group of 5 faces in 5 photos')).toBeTruthy();
    expect(screen.getByText('1 of 6')).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(await screen.findByText('2 of 6')).toBeTruthy();
    expect(screen.getByText('A group of 3 faces in 3 photos')).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(await screen.findByText('3 of 6')).toBeTruthy();
    // Undo from the third group: back to the group the split was about; Redo: on it again, split.
    await pressToast('Undo');
    await waitFor(() => expect(engine.calls('undo')).toHaveLength(1));
    expect(await screen.findByRole('group', { name: 'The two parts of this group' })).toBeTruthy();
    expect(screen.getByText('1 of 5')).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(await screen.findByText('2 of 5')).toBeTruthy();
    await pressToast('Redo');
    await waitFor(() => expect(engine.calls('redo')).toHaveLength(1));
    expect(await screen.findByText('A group of 5 faces in 5 photos')).toBeTruthy();
    expect(screen.getByText('1 of 6')).toBeTruthy();
    expect(screen.getByText('A group of 5 faces in 5 photos')).toBeTruthy();
  });

  /** Eve's four faces, Gus's four, then Dan's in two groups: three and two (asked "Are these the same person?"). */
  function twoOfDan(): FakeState {
    return albumOfGroups([
      ['group-eve', 'eve', 4],
      ['group-gus', 'gus', 4],
      ['group-dan', 'dan', 3],
      ['group-dan-too', 'dan', 2],
    ]);
  }
  const strip = () => within(screen.getByRole('list', { name: 'Queue' })).getAllByRole('button').map((b) => b.getAttribute('aria-label'));
  const onScreen = () => screen.getByRole('list', { name: 'Queue' }).querySelector('[aria-current="true"]')?.getAttribute('aria-label');

  it('keeps a group that grew by a Yes to "Are these the same person?" at its place, not first by size', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(twoOfDan()));
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(await screen.findByText('3 of 4')).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'Are these the same person?' })).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'y' });
    await waitFor(() => expect(engine.facesOf('group-dan')).toHaveLength(5));
    expect(await screen.findByRole('heading', { name: 'Who is this?' })).toBeTruthy();
    // Dan's five faces, where the user was: after Eve and Gus, passed by, as before.
    expect(screen.getByText('3 of 3')).toBeTruthy();
    expect(onScreen()).toBe('Unnamed group of 5');
    expect(strip()).toEqual(['Unnamed group of 4', 'Unnamed group of 4', 'Unnamed group of 5']);
  });

  it('brings the larger group a Yes keeps to the place of the one on screen', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(twoOfDan()));
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Unnamed group of 2' }));
    expect(await screen.findByText('4 of 4')).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'Are these the same person?' })).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'y' });
    await waitFor(() => expect(engine.calls('unknown.samePersonAnswer')).toHaveLength(1));
    expect(await screen.findByRole('heading', { name: 'Who is this?' })).toBeTruthy();
    await waitFor(() => expect(engine.facesOf('group-dan')).toHaveLength(5));
    expect(await screen.findByText('3 of 3')).toBeTruthy();
    expect(onScreen()).toBe('Unnamed group of 5');
    expect(strip()).toEqual(['Unnamed group of 4', 'Unnamed group of 4', 'Unnamed group of 5']);
    // Undo: the group asked about is back on screen, where it was, and asked again; the other stays by it.
    await pressToast('Undo');
    await waitFor(() => expect(engine.facesOf('group-dan-too')).toHaveLength(2));
    expect(await screen.findByRole('heading', { name: 'Are these the same person?' })).toBeTruthy();
    expect(screen.getByText('3 of 4')).toBeTruthy();
    expect(onScreen()).toBe('Unnamed group of 2');
    expect(strip()).toEqual(['Unnamed group of 4', 'Unnamed group of 4', 'Unnamed group of 2', 'Unnamed group of 3']);
  });

  it('keeps the group on screen, and the others, in place when a group grows elsewhere (an import)', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(twoOfDan()));
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(await screen.findByText('2 of 4')).toBeTruthy();
    // Dan's second group grows to six faces: by size it would come first.
    for (let i = 0; i < 4; i++) {
      const n = engine.state.photos.length;
      engine.state.photos.push({ id: `photo${n}`, path: `/photos/new_${n}.jpg`, width: 1200, height: 800, takenAt: null, faceIds: [`face${n}-0`] });
      engine.state.faces.push({ id: `face${n}-0`, photoId: `photo${n}`, box: [200, 200, 240, 240], identity: 'dan', personId: 'group-dan-too', assignedBy: 'cluster', rejected: [] });
    }
    engine.events.emit('library.changed', { what: ['photos', 'faces', 'people'] });
    await waitFor(() => expect(strip()).toEqual(['Unnamed group of 4', 'Unnamed group of 4', 'Unnamed group of 3', 'Unnamed group of 6']));
    expect(screen.getByText('2 of 4')).toBeTruthy();
    expect(onScreen()).toBe('Unnamed group of 4');
  });
});

// @vitest-environment jsdom
// Undoing a name on "Who is this?" brings back the group just named as the current card (QA: with the keyboard, a name,
// Enter, then Ctrl+Z said the name was taken back, but the card stayed on the next group and the restored one sat second
// in the strip: a user retyping a typo at once named the wrong group). Its name field takes the focus holding the name
// taken back, selected, so typing replaces it and Enter gives it again.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { router } from '../../renderer/lib/router.svelte.js';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { albumOfGroups, FakeEngine, type FakeState } from './fake-engine.js';
import { renderAppAt, typeInto } from './render.js';

/** Three unnamed groups: Dan's four faces, Eve's three, Gus's two. One face a photo. */
function album(): FakeState {
  return albumOfGroups([
    ['group-dan', 'dan', 4],
    ['group-eve', 'eve', 3],
    ['group-gus', 'gus', 2],
  ]);
}

const disconnects: Array<() => void> = [];
afterEach(() => {
  disconnects.splice(0).forEach((disconnect) => disconnect());
  router.go({ name: 'people' }, { replace: true });
});

/** The app on Who is this?, told of the engine's changes. */
const renderWho = async (engine: FakeEngine) => disconnects.push(await renderAppAt({ name: 'who' }, engine));

/**
 * The engine's next answer to `held`, made at once (the library as it is when asked) but delivered only when released:
 * a slow reload, answered with the queue from before a later undo.
 */
function answerLate(engine: FakeEngine, held: 'unknown.queue'): { release: () => void; asked: () => boolean } {
  let release: (() => void) | null = null;
  let armed = true;
  const call = engine.dispatcher.call.bind(engine.dispatcher);
  engine.dispatcher.call = async (name, args) => {
    if (name !== held || !armed) return call(name, args);
    armed = false;
    const answer = await call(name, args);
    await new Promise<void>((resolve) => (release = resolve));
    return answer;
  };
  return { release: () => release?.(), asked: () => release !== null };
}

const nameField = () => screen.findByRole('combobox', { name: 'Name' }) as Promise<HTMLInputElement>;
const strip = () => within(screen.getByRole('list', { name: 'Queue' })).getAllByRole('button');
const currentInStrip = () => strip().findIndex((b) => b.getAttribute('aria-current') === 'true');

/** The app on Dan's group, its name field holding the typo "Dna" (not given yet). */
async function typoOnDansCard(engine: FakeEngine): Promise<HTMLInputElement> {
  await renderWho(engine);
  expect(await screen.findByText('A group of 4 faces in 4 photos')).toBeTruthy();
  const field = await nameField();
  await typeInto(field, 'Dna');
  return field;
}

describe('Who is this? after a name is undone', () => {
  it('makes the group named current again, its field focused with the name taken back selected (Ctrl+Z at once)', async () => {
    const engine = new FakeEngine(album());
    const field = await typoOnDansCard(engine);
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('people.rename')).toHaveLength(1));
    expect(await screen.findByText('A group of 3 faces in 3 photos')).toBeTruthy();
    // Ctrl+Z from the next group's (empty) name field, as the user retyping a typo does.
    const next = await nameField();
    await fireEvent.keyDown(next, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(engine.calls('undo')).toHaveLength(1));
    await waitFor(() => expect(engine.state.people.find((p) => p.id === 'group-dan')?.name).toBeNull());
    // Dan's group is the card again, first in the strip and current.
    expect(await screen.findByText('A group of 4 faces in 4 photos')).toBeTruthy();
    await new Promise((done) => setTimeout(done, 50));
    expect(screen.getByText('A group of 4 faces in 4 photos')).toBeTruthy();
    expect(screen.getByText('1 of 3')).toBeTruthy();
    expect(currentInStrip()).toBe(0);
    // Its name field has the focus, holding the name taken back, all of it selected: typing replaces it.
    const again = await nameField();
    await waitFor(() => expect(document.activeElement).toBe(again));
    expect(again.value).toBe('Dna');
    expect([again.selectionStart, again.selectionEnd]).toEqual([0, 3]);
    await typeInto(again, 'Dan');
    await fireEvent.keyDown(again, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('people.rename')).toHaveLength(2));
    expect(engine.state.people.find((p) => p.id === 'group-dan')?.name).toBe('Dan');
    expect(engine.state.people.find((p) => p.id === 'group-eve')?.name).toBeNull();
  });

  it("does the same from the toast's Undo, pressed after the next group has loaded", async () => {
    const engine = new FakeEngine(album());
    const field = await typoOnDansCard(engine);
    await fireEvent.keyDown(field, { key: 'Enter' });
    expect(await screen.findByText('A group of 3 faces in 3 photos')).toBeTruthy();
    expect(await screen.findByText('1 of 2')).toBeTruthy();
    await new Promise((done) => setTimeout(done, 50));
    const undo = toasts.items.findLast((t) => t.action?.label === 'Undo');
    await undo!.action!.run();
    expect(await screen.findByText('A group of 4 faces in 4 photos')).toBeTruthy();
    expect(screen.getByText('1 of 3')).toBeTruthy();
    expect(currentInStrip()).toBe(0);
    const again = await nameField();
    await waitFor(() => expect(document.activeElement).toBe(again));
    expect(again.value).toBe('Dna');
    expect([again.selectionStart, again.selectionEnd]).toEqual([0, 3]);
  });

  it('goes back to the group named when the reload after the name answers after the undo (a slow engine)', async () => {
    const engine = new FakeEngine(album());
    const field = await typoOnDansCard(engine);
    const late = answerLate(engine, 'unknown.queue');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(late.asked()).toBe(true));
    expect(await screen.findByText('A group of 3 faces in 3 photos')).toBeTruthy();
    // Ctrl+Z while the queue after the name is still on its way: the undo's reload answers first, then that one.
    await fireEvent.keyDown(await nameField(), { key: 'z', ctrlKey: true });
    await waitFor(() => expect(engine.calls('undo')).toHaveLength(1));
    expect(await screen.findByText('A group of 4 faces in 4 photos')).toBeTruthy();
    late.release();
    await new Promise((done) => setTimeout(done, 100));
    expect(screen.getByText('A group of 4 faces in 4 photos')).toBeTruthy();
    expect(screen.getByText('1 of 3')).toBeTruthy();
    expect(strip()).toHaveLength(3);
    expect(currentInStrip()).toBe(0);
    const again = await nameField();
    expect(document.activeElement).toBe(again);
    expect(again.value).toBe('Dna');
  });

  it('shows the queue while changes come faster than it answers (an import running on a large library)', async () => {
    // A review: an answer was dropped whenever a newer load had started, so with a change every few seconds and a queue
    // slower than that, the screen stayed blank for the whole import. Only an answer older than the one shown is.
    const engine = new FakeEngine(album());
    const call = engine.dispatcher.call.bind(engine.dispatcher);
    engine.dispatcher.call = async (name, args) => {
      const answer = await call(name, args);
      if (name === 'unknown.queue') await new Promise((done) => setTimeout(done, 300));
      return answer;
    };
    const changes = setInterval(() => engine.events.emit('library.changed', { what: ['people', 'faces'] }), 100);
    try {
      await renderWho(engine);
      expect(await screen.findByText('A group of 4 faces in 4 photos', {}, { timeout: 3_000 })).toBeTruthy();
    } finally {
      clearInterval(changes);
    }
  });
});

// @vitest-environment jsdom
// "Who is this?" while another window (the app and `familiar serve` in a browser, or two tabs) decides the card on
// screen. QA: a name typed here and not yet given stayed in the field when the other tab named the group, the card
// moved on to the next group, and Enter gave the name to those other faces, confirmed.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { router } from '../../renderer/lib/router.svelte.js';
import { albumOfGroups, FakeEngine } from './fake-engine.js';
import { renderAppAt, typeInto } from './render.js';

const disconnects: Array<() => void> = [];
afterEach(() => {
  disconnects.splice(0).forEach((disconnect) => disconnect());
  router.go({ name: 'people' }, { replace: true });
});

/** The app on Who is this?, told of the engine's changes. */
const renderWho = async (engine: FakeEngine) => disconnects.push(await renderAppAt({ name: 'who' }, engine));

/** Two unnamed groups: Dan's four faces, then Eve's three. */
const danAndEve = () =>
  new FakeEngine(
    albumOfGroups([
      ['group-dan', 'dan', 4],
      ['group-eve', 'eve', 3],
    ]),
  );
const nameField = () => screen.findByRole('combobox', { name: 'Name' }) as Promise<HTMLInputElement>;

describe('Who is this? when another window decides the card on screen', () => {
  it('does not carry a typed name to the next card, and says why', async () => {
    const engine = danAndEve();
    await renderWho(engine);
    expect(await screen.findByText('A group of 4 faces in 4 photos')).toBeTruthy();
    await typeInto(await nameField(), 'Britney');

    // The other window names Dan's group: this window hears only that the library changed.
    await engine.dispatcher.call('people.rename', { personId: 'group-dan', name: 'Zed' });
    expect(await screen.findByText('A group of 3 faces in 3 photos')).toBeTruthy();
    await waitFor(() => expect(toasts.items.map((t) => t.message)).toContain('The faces you typed “Britney” for changed meanwhile (decided in another window, or regrouped by an import), so the name was not given; these are other faces.'));
    const field = await nameField();
    expect(field.value).toBe('');

    // Enter on the next card gives nothing: Eve's group keeps no name.
    await fireEvent.keyDown(field, { key: 'Enter' });
    await new Promise((done) => setTimeout(done, 50));
    expect(engine.state.people.find((p) => p.id === 'group-eve')?.name).toBeNull();
    expect(engine.state.people.find((p) => p.id === 'group-dan')?.name).toBe('Zed');
  });

  it('leaves the field alone when another window decides a card that is not on screen', async () => {
    const engine = danAndEve();
    await renderWho(engine);
    expect(await screen.findByText('A group of 4 faces in 4 photos')).toBeTruthy();
    await typeInto(await nameField(), 'Dan');
    await engine.dispatcher.call('people.rename', { personId: 'group-eve', name: 'Eve' });
    await new Promise((done) => setTimeout(done, 100));
    expect(screen.getByText('A group of 4 faces in 4 photos')).toBeTruthy();
    const field = await nameField();
    expect(field.value).toBe('Dan');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.state.people.find((p) => p.id === 'group-dan')?.name).toBe('Dan'));
  });
});

// @vitest-environment jsdom
// A person's Suggestions tab with none left was a dead end ("No suggestions left", nothing to click) while "Which
// one?" had faces to decide and "Who is this?" faces to name (QA). Like the other queues' empty states, it says where
// to go on, with how many wait there, and goes there.
import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import PersonScreen from '../../renderer/screens/PersonScreen.svelte';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

/** Ada, Bob (whose faces look like Ada's: "Which one?" asks about them) and Cleo named, Cleo open on her suggestions. */
function cleoWithNoSuggestions(options: { lookalikes: boolean; allNamed?: boolean }) {
  const album = sampleAlbum();
  album.people.find((p) => p.id === 'person-bob')!.name = 'Bob';
  album.people.find((p) => p.id === 'person-cleo')!.name = 'Cleo';
  if (options.lookalikes) album.lookalikes = { bob: 'ada' };
  if (options.allNamed) album.faces = album.faces.filter((f) => f.personId !== null);
  const engine = new FakeEngine(album);
  renderScreen(PersonScreen, { personId: 'person-cleo', initialTab: 'suggestions' }, engine);
  return engine;
}

describe('Person page: the Suggestions tab with none left', () => {
  it('points to "Which one?" with how many faces it asks about, then to "Who is this?"', async () => {
    const engine = cleoWithNoSuggestions({ lookalikes: true });
    expect(await screen.findByText('No suggestions left')).toBeTruthy();
    const unsure = ((await engine.dispatcher.call('faces.ambiguous', { limit: 1 })).result as { total: number }).total;
    expect(unsure).toBeGreaterThan(0);
    const which = await screen.findByRole('link', { name: `Which one? (${unsure} to decide)` });
    expect(which.getAttribute('href')).toBe('#/which');
    expect(which.classList.contains('primary')).toBe(true);
    const who = screen.getByRole('link', { name: 'Who is this? (3 to name)' });
    expect(who.getAttribute('href')).toBe('#/who');
    expect(who.classList.contains('primary')).toBe(false);
  });

  it('points to "Who is this?" first when nothing is to decide, and only back to People when nothing waits at all', async () => {
    cleoWithNoSuggestions({ lookalikes: false });
    const who = await screen.findByRole('link', { name: 'Who is this? (3 to name)' });
    expect(who.classList.contains('primary')).toBe(true);
    expect(screen.queryByRole('link', { name: /Which one\?/ })).toBeNull();
    document.body.innerHTML = '';
    cleoWithNoSuggestions({ lookalikes: false, allNamed: true });
    const back = await screen.findByRole('link', { name: 'Back to People' });
    expect(back.classList.contains('primary')).toBe(true);
    await waitFor(() => expect(screen.queryByRole('link', { name: /Who is this\?/ })).toBeNull());
  });
});

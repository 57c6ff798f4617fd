// @vitest-environment jsdom
// The People card's "may be two people" marker: shown on the card of a group the engine judged to hold two people,
// said in the card's label, leading to the person's page (where the two-people panel asks), gone once split.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import PeopleScreen from '../../renderer/screens/PeopleScreen.svelte';
import { router } from '../../renderer/lib/router.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

/** Bob's faces in Ada's person, as the clustering groups siblings: four of Ada's, three of Bob's. */
function siblingsAlbum() {
  const album = sampleAlbum();
  for (const f of album.faces.filter((f) => f.id === 'face5-0' || f.id === 'face6-0')) f.personId = 'person-ada';
  return album;
}

describe('the "may be two people" marker on People cards', () => {
  it('marks the group that may be two people, says so in its label, and opens its page even while selecting', async () => {
    router.go({ name: 'people' });
    renderScreen(PeopleScreen, {}, new FakeEngine(siblingsAlbum()));
    const ada = await screen.findByRole('option', { name: 'Ada, 7 faces, may be two people — open to check' });
    const marker = within(ada).getByTestId('two-people-marker');
    expect(marker.getAttribute('title')).toBe('May be two people — open to check');
    // One mark, on that card only.
    expect(screen.getAllByTestId('two-people-marker')).toHaveLength(1);
    expect(screen.getByRole('option', { name: 'Unnamed group: add a name, 2 faces' })).toBeTruthy();

    // A card selected: a click on a card now selects it, but the marker still opens the page it points to.
    const cleo = screen.getByRole('option', { name: 'Unnamed group: add a name, 2 faces' });
    cleo.focus();
    await fireEvent.keyDown(cleo, { key: ' ' });
    await screen.findByText('1 selected');
    await fireEvent.click(marker);
    expect(router.current).toEqual({ name: 'person', personId: 'person-ada' });
  });

  it('asks for the list again when only the marks changed, and nothing else the People screen shows', async () => {
    router.go({ name: 'people' });
    const engine = new FakeEngine(siblingsAlbum());
    renderScreen(PeopleScreen, {}, engine);
    await screen.findByTestId('two-people-marker');
    const lists = engine.calls('people.list').length;
    const queue = engine.calls('faces.ambiguous').length;
    engine.marksChanged();
    await waitFor(() => expect(engine.calls('people.list')).toHaveLength(lists + 1));
    // The "Who is this?" count (and every other screen, which watch 'people') is not fetched again for the marks.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(engine.calls('faces.ambiguous')).toHaveLength(queue);
    expect(engine.calls('people.list')).toHaveLength(lists + 1);
  });

  it('is gone once the group is split, and never shows for a hidden person', async () => {
    router.go({ name: 'people' });
    const engine = new FakeEngine(siblingsAlbum());
    renderScreen(PeopleScreen, {}, engine);
    await screen.findByTestId('two-people-marker');
    await engine.dispatcher.call('people.split', { personId: 'person-ada' });
    await screen.findByRole('option', { name: 'Ada, 4 faces' });
    expect(screen.queryByTestId('two-people-marker')).toBeNull();

    const hidden = new FakeEngine(siblingsAlbum());
    await hidden.dispatcher.call('people.hide', { personIds: ['person-ada'], hidden: true });
    const list = (await hidden.dispatcher.call('people.list', { includeHidden: true })).result as Array<{ id: string; mayBeTwoPeople: boolean }>;
    expect(list.find((p) => p.id === 'person-ada')!.mayBeTwoPeople).toBe(false);
  });
});

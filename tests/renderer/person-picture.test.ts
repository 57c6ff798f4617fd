// @vitest-environment jsdom
// One person, one picture: the screens that show a named person by a face show their picture (PersonSummary.cover, the
// cover the user chose, else the engine's one choice: main/people/queries.ts, pictureOf). QA found Ada pictured by a
// different face on "Which one?" (her face nearest the one asked about), on "Who is this?" ("Is this Ada?") and on the
// People card, and took them for different people.
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/svelte';
import PeopleScreen from '../../renderer/screens/PeopleScreen.svelte';
import WhichScreen from '../../renderer/screens/WhichScreen.svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import { addOneFacePhoto, FakeEngine, sampleAlbum, type FakeState } from './fake-engine.js';
import { renderScreen } from './render.js';

/** Ada's cover chosen: her third face, not the first (the fake's nearest face for every question). */
const ADA_COVER = 'face2-0';

/** The sample album with Bob named and looking like Ada ("Bob or Ada?"), and Ada's cover chosen. */
function album(): FakeState {
  const state = sampleAlbum();
  state.people.find((p) => p.id === 'person-bob')!.name = 'Bob';
  state.people.find((p) => p.id === 'person-ada')!.coverFaceId = ADA_COVER;
  state.lookalikes = { bob: 'ada' };
  return state;
}

/** The face ids of the images inside `element`. */
const picturedIn = (element: HTMLElement) => [...element.querySelectorAll('img')].map((img) => /thumb\/([^/?&]+)/.exec(decodeURIComponent(img.src))?.[1]);

describe("a person's picture", () => {
  it('is their chosen cover on the People card and on "Which one?"', async () => {
    const first = renderScreen(PeopleScreen, {}, new FakeEngine(album()));
    const adaCard = await screen.findByRole('option', { name: /^Ada,/ });
    expect(picturedIn(adaCard)).toEqual([ADA_COVER]);
    first.unmount();

    renderScreen(WhichScreen, {}, new FakeEngine(album()));
    const choice = await screen.findByRole('button', { name: 'Ada', description: 'It’s Ada (their picture)' });
    // Before: her face nearest the one asked about (her first, here).
    expect(picturedIn(choice)).toEqual([ADA_COVER]);
  });

  it('is their chosen cover when "Who is this?" asks whether a group is them', async () => {
    const state = album();
    // Three more of Ada's photos in a group nobody named, and her photos confirmed (the fake asks about confirmed people).
    state.people.push({ id: 'group-ada', name: null, hidden: false, coverFaceId: null });
    for (let i = 0; i < 3; i++) addOneFacePhoto(state, 'ada', 'group-ada');
    for (const f of state.faces) if (f.personId === 'person-ada' && f.identity === 'ada') f.assignedBy = 'user';
    state.faces = state.faces.filter((f) => f.personId !== null || f.identity !== 'ada');
    renderScreen(WhoScreen, {}, new FakeEngine(state));
    const asked = await screen.findByRole('heading', { name: 'Is this Ada?' });
    const figure = within(asked.closest<HTMLElement>('.queue-ask')!).getByText('Ada', { selector: 'figcaption' }).closest('figure')!;
    expect(picturedIn(figure)).toEqual([ADA_COVER]);
  });
});

// @vitest-environment jsdom
// A face the user said was not someone ("No, not Ada" here, "Not Ada" on her page or in a photo) waits under "Who is
// this?" saying so: QA found such a face read "A face Familiar could not place", as if nobody had said a word of it.
import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import { orList } from '../../renderer/lib/format.js';
import { FakeEngine, type FakeState } from './fake-engine.js';
import { renderScreen } from './render.js';

/**
 * Ada and Bob, named from a photo each; Dan, named and hidden since; and a stranger's face in no group that the user
 * said was not `notIds`.
 */
function album(notIds: string[], unrecognisable?: 'small'): FakeState {
  const state: FakeState = { photos: [], faces: [], people: [] };
  const add = (identity: string, personId: string | null, assignedBy: 'user' | null, rejected: string[] = []) => {
    const n = state.photos.length;
    state.photos.push({ id: `photo${n}`, path: `/photos/img_${n}.jpg`, width: 1200, height: 800, takenAt: null, faceIds: [`face${n}-0`] });
    state.faces.push({ id: `face${n}-0`, photoId: `photo${n}`, box: [200, 200, 240, 240], identity, personId, assignedBy, rejected, ...(unrecognisable && personId === null ? { unrecognisable } : {}) });
  };
  for (const [id, name, hidden] of [['person-ada', 'Ada', false], ['person-bob', 'Bob', false], ['person-dan', 'Dan', true]] as const) {
    add(id, id, 'user');
    state.people.push({ id, name, hidden, coverFaceId: null });
  }
  add('stranger', null, null, notIds);
  return state;
}

const card = () => document.querySelector<HTMLElement>('.queue-ask')!;

describe('"Who is this?" about a face said not to be someone', () => {
  it('says whom the user said it is not, instead of "could not place"', async () => {
    renderScreen(WhoScreen, {}, new FakeEngine(album(['person-ada'])));
    expect(await screen.findByText('You said this is not Ada')).toBeTruthy();
    expect(card().textContent).not.toContain('could not place');
  });

  it('names every one of several, a person hidden since too', async () => {
    renderScreen(WhoScreen, {}, new FakeEngine(album(['person-ada', 'person-dan'])));
    expect(await screen.findByText('You said this is not Ada or Dan')).toBeTruthy();
  });

  it('says it after why Familiar left the face to the user, when it did', async () => {
    renderScreen(WhoScreen, {}, new FakeEngine(album(['person-bob'], 'small')));
    expect(await screen.findByText('A face too small for Familiar to recognise on its own. You said it is not Bob')).toBeTruthy();
  });

  it('still says "could not place" of a face nobody said anything of', async () => {
    renderScreen(WhoScreen, {}, new FakeEngine(album([])));
    expect(await screen.findByText('A face Familiar could not place')).toBeTruthy();
  });

  it('lists names as one alternative, counting the rest past three', () => {
    const names = ['Ada', 'Bob', 'Cleo', 'Dan', 'Eve'];
    expect([1, 2, 3, 4, 5].map((count) => orList(names.slice(0, count)))).toEqual(['Ada', 'Ada or Bob', 'Ada, Bob or Cleo', 'Ada, Bob, Cleo or Dan', 'Ada, Bob, Cleo or 2 others']);
  });
});

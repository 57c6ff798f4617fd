// @vitest-environment jsdom
// Who is this?, from the keyboard: the last group named, its card and the focus in it are gone. QA: the focus fell to
// the page, and the next Tab started again at the top of the app; it goes to "Everyone has a name", as a person's
// emptied Suggestions do.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import { FakeEngine, type FakeState } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

/** Ada named from two photos; one unnamed group of three of Dan's photos. */
function album(): FakeState {
  const state: FakeState = { photos: [], faces: [], people: [] };
  const add = (identity: string, personId: string, assignedBy: 'user' | 'cluster') => {
    const n = state.photos.length;
    state.photos.push({ id: `photo${n}`, path: `/photos/img_${n}.jpg`, width: 1200, height: 800, takenAt: null, faceIds: [`face${n}-0`] });
    state.faces.push({ id: `face${n}-0`, photoId: `photo${n}`, box: [200, 200, 240, 240], identity, personId, assignedBy, rejected: [] });
  };
  for (let i = 0; i < 2; i++) add('ada', 'person-ada', 'user');
  for (let i = 0; i < 3; i++) add('dan', 'group-dan', 'cluster');
  state.people = [
    { id: 'person-ada', name: 'Ada', hidden: false, coverFaceId: null },
    { id: 'group-dan', name: null, hidden: false, coverFaceId: null },
  ];
  return state;
}

describe('Who is this? once the last face is named', () => {
  it('puts the focus on "Everyone has a name", not on the page', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    const field = (await screen.findByRole('combobox', { name: 'Name' })) as HTMLInputElement;
    field.focus();
    await typeInto(field, 'Dan');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('people.rename')).toHaveLength(1));
    const heading = await screen.findByRole('heading', { name: 'Everyone has a name' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
  });
});

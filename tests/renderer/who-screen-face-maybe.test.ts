// @vitest-environment jsdom
// "Is this Ada?" about a loose face on the Who is this? screen, as a group is asked (QA: the second photo of Colin
// Powell was "a face Familiar could not place", though his Suggestions tab offered it), and the name field listing the
// people a face looks like first (QA: "J" on Jacques Chirac's face listed six J names, not his).
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import { FakeEngine, type FakeState } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

/**
 * Jacques named from one photo, six other people whose names come before his named too, and loose faces: a second
 * photo of Jacques, and a stranger's; with `older`, a photo of Jacques that looks like him but not enough to ask.
 */
function album(older = false): FakeState {
  const state: FakeState = { photos: [], faces: [], people: [], lookalikes: { 'jacques-older': 'jacques' } };
  const add = (identity: string, personId: string | null, assignedBy: 'user' | null) => {
    const n = state.photos.length;
    state.photos.push({ id: `photo${n}`, path: `/photos/img_${n}.jpg`, width: 1200, height: 800, takenAt: null, faceIds: [`face${n}-0`] });
    state.faces.push({ id: `face${n}-0`, photoId: `photo${n}`, box: [200, 200, 240, 240], identity, personId, assignedBy, rejected: [] });
  };
  const others = ['Jaap Stam', 'Jack Straw', 'Jackie Chan', 'Jacky Cheung', 'Jacob Frenkel', 'Jacqueline Edwards'];
  others.forEach((name, i) => {
    add(`j${i}`, `person-j${i}`, 'user');
    state.people.push({ id: `person-j${i}`, name, hidden: false, coverFaceId: null });
  });
  add('jacques', 'person-jacques', 'user');
  state.people.push({ id: 'person-jacques', name: 'Jacques Chirac', hidden: false, coverFaceId: null });
  if (older) add('jacques-older', null, null);
  else add('jacques', null, null);
  add('stranger', null, null);
  return state;
}

const card = () => document.querySelector<HTMLElement>('.queue-ask')!;

describe('Is this <Name>? about a loose face', () => {
  it('asks with the face beside the person\'s nearest one, Y confirms it as theirs and moves on', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    const question = await screen.findByRole('heading', { name: 'Is this Jacques Chirac?' });
    expect(card().querySelectorAll('img')).toHaveLength(2);
    expect(card().textContent).toContain('This face');
    expect(screen.queryByRole('combobox', { name: 'Name' })).toBeNull();
    expect(screen.getByText(/Y/, { selector: '.queue-keys .kbd' })).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(question));
    await fireEvent.keyDown(question, { key: 'y' });
    await waitFor(() => expect(engine.calls('faces.confirm')).toEqual([{ faceIds: ['face7-0'], personId: 'person-jacques' }]));
    // On to the stranger's face: nobody it looks like, so the name field.
    expect(await screen.findByRole('combobox', { name: 'Name' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: /^Is this/ })).toBeNull();
  });

  it('No marks the face "not <Name>", keeps it on screen with the name field, and does not ask again', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await screen.findByRole('heading', { name: 'Is this Jacques Chirac?' });
    await fireEvent.click(within(card()).getByRole('button', { name: 'No, not Jacques Chirac' }));
    await waitFor(() => expect(engine.calls('faces.reject')).toEqual([{ faceIds: ['face7-0'], personId: 'person-jacques' }]));
    expect(await screen.findByRole('combobox', { name: 'Name' })).toBeTruthy();
    expect(card().textContent).toContain('Not Jacques Chirac, then');
    expect(screen.getByText('1 of 2')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Is this Jacques Chirac?' })).toBeNull();
  });

  it('after a mistaken No the name field still lists the person, marked, and one pick names the face after all', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await screen.findByRole('heading', { name: 'Is this Jacques Chirac?' });
    await fireEvent.click(within(card()).getByRole('button', { name: 'No, not Jacques Chirac' }));
    const field = await screen.findByRole('combobox', { name: 'Name' });
    // Before: ↓ listed nothing, and the name had to be typed again.
    await waitFor(async () => {
      await fireEvent.keyDown(field, { key: 'ArrowDown' });
      expect(within(card()).getAllByRole('option').map((o) => o.textContent!.trim())).toEqual(['Jacques Chirac · you said not']);
    });
    expect(within(card()).getByRole('option', { name: /Jacques Chirac/ }).getAttribute('aria-disabled')).toBeNull();
    await fireEvent.mouseDown(within(card()).getByRole('option', { name: /Jacques Chirac/ }));
    await waitFor(() => expect(engine.calls('faces.name')).toEqual([{ faceIds: ['face7-0'], name: 'Jacques Chirac' }]));
    expect(engine.face('face7-0')).toMatchObject({ personId: 'person-jacques', rejected: [] });
  });

  it('lists the person the face looks like first among the names typed, and alone on ↓ before anything is typed', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album(true)));
    // Not near enough to ask about: the name field, for the user to say.
    let field = await screen.findByRole('combobox', { name: 'Name' });
    expect(screen.queryByRole('heading', { name: /^Is this/ })).toBeNull();
    const listed = async (text: string) => {
      await typeInto(field, text);
      return within(card()).getAllByRole('option').flatMap((o) => (o.classList.contains('new') ? [] : [o.textContent!.trim()]));
    };
    // The stranger's face looks like nobody named: "J" lists the names as they come, his not among the six.
    await fireEvent.keyDown(field, { key: 'ArrowRight' });
    expect(await screen.findByText('2 of 2')).toBeTruthy();
    field = await screen.findByRole('combobox', { name: 'Name' });
    expect(await listed('J')).not.toContain('Jacques Chirac');
    await typeInto(field, '');
    await fireEvent.keyDown(field, { key: 'ArrowLeft' });
    expect(await screen.findByText('1 of 2')).toBeTruthy();
    field = await screen.findByRole('combobox', { name: 'Name' });
    // "J" begins seven names, six of them listed: his first.
    await waitFor(async () => expect((await listed('J'))[0]).toBe('Jacques Chirac'));
    expect(await listed('J')).toHaveLength(6);
    // Nothing typed: ↓ lists the people it looks like, and Enter takes the one highlighted.
    await typeInto(field, '');
    await fireEvent.keyDown(field, { key: 'ArrowDown' });
    expect(within(card()).getAllByRole('option').map((o) => o.textContent!.trim())).toEqual(['Jacques Chirac']);
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('faces.name')).toEqual([{ faceIds: ['face7-0'], name: 'Jacques Chirac' }]));
  });
});

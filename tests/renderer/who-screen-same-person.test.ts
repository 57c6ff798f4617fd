// @vitest-environment jsdom
// "Are these the same person?" on the Who is this? screen: an unnamed group that looks like another unnamed group is
// asked about with a few faces of each side by side, Yes (one group, to name once), No (never asked again) and Not
// now (the name field), from the keyboard too; Yes and No are each one decision one Undo takes back.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, type FakeState } from './fake-engine.js';
import { renderScreen } from './render.js';

/** Dan's photos in two unnamed groups (4 and 2 faces), and Eve's 3 in one; nobody named. */
function album(): FakeState {
  const state: FakeState = { photos: [], faces: [], people: [] };
  const add = (identity: string, personId: string) => {
    const n = state.photos.length;
    state.photos.push({ id: `photo${n}`, path: `/photos/img_${n}.jpg`, width: 1200, height: 800, takenAt: null, faceIds: [`face${n}-0`] });
    state.faces.push({ id: `face${n}-0`, photoId: `photo${n}`, box: [200, 200, 240, 240], identity, personId, assignedBy: 'cluster', rejected: [] });
  };
  for (let i = 0; i < 4; i++) add('dan', 'group-dan');
  for (let i = 0; i < 3; i++) add('eve', 'group-eve');
  for (let i = 0; i < 2; i++) add('dan', 'group-dan-too');
  state.people = ['group-dan', 'group-eve', 'group-dan-too'].map((id) => ({ id, name: null, hidden: false, coverFaceId: null }));
  return state;
}

const card = () => document.querySelector<HTMLElement>('.queue-ask')!;
const question = () => screen.findByRole('heading', { name: 'Are these the same person?' });
/** The answer as the screen gives it: about the faces of both groups it shows. */
const shown = { group: { faceIds: ['face0-0', 'face1-0', 'face2-0', 'face3-0'], count: 4 }, other: { faceIds: ['face7-0', 'face8-0'], count: 2 } };

describe('Are these the same person? about two unnamed groups', () => {
  it('shows a few faces of each group side by side, with Yes, No and Not now, instead of the name field', async () => {
    renderScreen(WhoScreen, {}, new FakeEngine(album()));
    expect(await question()).toBeTruthy();
    const answers = within(card()).getByRole('group', { name: 'Are these the same person?' });
    expect(within(answers).getByRole('button', { name: 'Yes, same person' }).getAttribute('aria-keyshortcuts')).toBe('Y');
    expect(within(answers).getByRole('button', { name: 'No, two people' }).textContent!.trim()).toBe('No');
    expect(within(answers).getByRole('button', { name: 'Not now' })).toBeTruthy();
    expect(card().querySelectorAll('img')).toHaveLength(6);
    expect(card().textContent).toContain('This group · 4 faces');
    expect(card().textContent).toContain('Other group · 2 faces');
    expect(screen.queryByRole('combobox', { name: 'Name' })).toBeNull();
    // Eve's group looks like nobody else: asked "Who is this?" as before.
    await fireEvent.click(screen.getByRole('button', { name: 'Unnamed group of 3' }));
    expect(await within(card()).findByRole('heading', { name: 'Who is this?' })).toBeTruthy();
  });

  it('Y makes them one group, shown next to name once; Undo brings the question back', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await question();
    await fireEvent.keyDown(document.body, { key: 'y' });
    await waitFor(() => expect(engine.calls('unknown.samePersonAnswer')).toEqual([{ groupId: 'group-dan', otherId: 'group-dan-too', same: true, shown }]));
    expect(await within(card()).findByRole('heading', { name: 'Who is this?' })).toBeTruthy();
    expect(engine.facesOf('group-dan')).toHaveLength(6);
    expect(screen.getByRole('button', { name: 'Unnamed group of 6' }).getAttribute('aria-current')).toBe('true');
    const toast = toasts.items.findLast((t) => t.message.startsWith('Merged'));
    await toast!.action!.run();
    expect(engine.calls('undo')).toHaveLength(1);
    expect(await question()).toBeTruthy();
    expect(engine.facesOf('group-dan-too')).toHaveLength(2);
  });

  it('takes the focus on the question as it appears, not on Yes: an Enter pressed in haste merges nothing', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await question();
    const heading = within(card()).getByRole('heading', { name: 'Are these the same person?' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    await fireEvent.keyDown(heading, { key: 'Enter' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(engine.calls('unknown.samePersonAnswer')).toEqual([]);
  });

  it('leaves the focus in a field the user is typing in', async () => {
    const field = document.body.appendChild(document.createElement('input'));
    try {
      field.focus();
      renderScreen(WhoScreen, {}, new FakeEngine(album()));
      await question();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(document.activeElement).toBe(field);
    } finally {
      field.remove();
    }
  });

  it('Not now is for the pair: moving on to the other group does not ask about them again', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await question();
    await fireEvent.click(within(card()).getByRole('button', { name: 'Not now' }));
    expect(await screen.findByRole('combobox', { name: 'Name' })).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Unnamed group of 2' }));
    expect(await within(card()).findByRole('heading', { name: 'Who is this?' })).toBeTruthy();
    expect(within(card()).queryByRole('heading', { name: 'Are these the same person?' })).toBeNull();
    expect(engine.calls('unknown.samePersonAnswer')).toEqual([]);
  });

  it('N is remembered: neither group is asked about the other again', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await question();
    await fireEvent.keyDown(document.body, { key: 'n' });
    await waitFor(() => expect(engine.calls('unknown.samePersonAnswer')).toEqual([{ groupId: 'group-dan', otherId: 'group-dan-too', same: false, shown }]));
    // Said about the two groups, not as faces marked "not an unnamed group".
    await waitFor(() => expect(toasts.items.some((t) => t.message === "Not the same person: these two groups won't be asked about together again.")).toBe(true));
    expect(await within(card()).findByRole('heading', { name: 'Who is this?' })).toBeTruthy();
    expect(screen.getByText('1 of 3')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Unnamed group of 2' }));
    expect(await within(card()).findByRole('heading', { name: 'Who is this?' })).toBeTruthy();
    expect(within(card()).queryByRole('heading', { name: 'Are these the same person?' })).toBeNull();
  });

  it('Esc (Not now) shows the name field for the group and decides nothing', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await question();
    await fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(await screen.findByRole('combobox', { name: 'Name' })).toBeTruthy();
    expect(within(card()).getByRole('heading', { name: 'Who is this?' })).toBeTruthy();
    expect(engine.calls('unknown.samePersonAnswer')).toEqual([]);
  });
});

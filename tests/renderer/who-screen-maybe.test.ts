// @vitest-environment jsdom
// "Is this Ada?" on the Who is this? screen: a group that looks like someone already named is asked about with Yes and
// No before any name is typed; No keeps the group, for its next likely person or the name field; each answer is one
// decision one Undo takes back, about the faces shown.
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, type FakeState } from './fake-engine.js';
import { undoDecisions } from '../../renderer/lib/undo.js';
import { renderScreen, typeInto } from './render.js';

/**
 * Ada named from three photos, three more of her photos in a group nobody named, and Bea named, who looks like her;
 * with `others`, a smaller unnamed group of two faces for each.
 */
function album(others: string[] = []): FakeState {
  const state: FakeState = { photos: [], faces: [], people: [], lookalikes: { ada: 'bea' } };
  const add = (identity: string, personId: string, assignedBy: 'user' | 'cluster') => {
    const n = state.photos.length;
    state.photos.push({ id: `photo${n}`, path: `/photos/img_${n}.jpg`, width: 1200, height: 800, takenAt: null, faceIds: [`face${n}-0`] });
    state.faces.push({ id: `face${n}-0`, photoId: `photo${n}`, box: [200, 200, 240, 240], identity, personId, assignedBy, rejected: [] });
  };
  for (let i = 0; i < 3; i++) add('ada', 'person-ada', 'user');
  for (let i = 0; i < 2; i++) add('bea', 'person-bea', 'user');
  for (let i = 0; i < 3; i++) add('ada', 'group-ada', 'cluster');
  for (let i = 0; i < 3; i++) add('cleo', 'group-cleo', 'cluster');
  for (const identity of others) for (let i = 0; i < 2; i++) add(identity, `group-${identity}`, 'cluster');
  state.people = [
    { id: 'person-ada', name: 'Ada', hidden: false, coverFaceId: null },
    { id: 'person-bea', name: 'Bea', hidden: false, coverFaceId: null },
    { id: 'group-ada', name: null, hidden: false, coverFaceId: null },
    { id: 'group-cleo', name: null, hidden: false, coverFaceId: null },
    ...others.map((identity) => ({ id: `group-${identity}`, name: null, hidden: false, coverFaceId: null })),
  ];
  return state;
}

const card = () => document.querySelector<HTMLElement>('.queue-ask')!;

describe('Is this <Name>? about a group', () => {
  it("asks with the group's face beside the person's, Yes and No labelled, instead of the name field", async () => {
    renderScreen(WhoScreen, {}, new FakeEngine(album()));
    expect(await screen.findByRole('heading', { name: 'Is this Ada?' })).toBeTruthy();
    const answers = within(card()).getByRole('group', { name: 'Is this Ada?' });
    expect(within(answers).getByRole('button', { name: 'Yes, Ada' })).toBeTruthy();
    expect(within(answers).getByRole('button', { name: 'No, not Ada' }).textContent!.trim()).toBe('No');
    expect(card().querySelectorAll('img')).toHaveLength(2);
    expect(card().textContent).toContain('This group');
    expect(screen.queryByRole('combobox', { name: 'Name' })).toBeNull();
    // The strip says it too; the group without a likely person is asked "Who is this?" as before.
    expect(screen.getByRole('button', { name: 'Unnamed group of 3, maybe Ada' })).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Unnamed group of 3' }));
    expect(await within(card()).findByRole('heading', { name: 'Who is this?' })).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Name' })).toBeTruthy();
  });

  it("takes the focus on the question once the group's faces are shown, not on Yes: Enter says nothing, Y and N answer", async () => {
    // QA: a name typed for a group (Enter) brought "Is this …?" about the next group, Yes focused, and a second Enter
    // merged it. Tab still reaches Yes.
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    const question = await screen.findByRole('heading', { name: 'Is this Ada?' });
    await waitFor(() => expect(document.activeElement).toBe(question));
    await fireEvent.keyDown(question, { key: 'Enter' });
    expect(engine.calls('unknown.answer')).toEqual([]);
    expect(within(card()).getByRole('button', { name: 'Yes, Ada' }).hasAttribute('disabled')).toBe(false);
  });

  it('leaves the focus in a field the user is typing in when "Is this Ada?" appears', async () => {
    const field = document.body.appendChild(document.createElement('input'));
    try {
      field.focus();
      renderScreen(WhoScreen, {}, new FakeEngine(album()));
      await screen.findByRole('heading', { name: 'Is this Ada?' });
      await waitFor(() => expect(within(card()).getByRole('button', { name: 'Yes, Ada' }).hasAttribute('disabled')).toBe(false));
      expect(document.activeElement).toBe(field);
    } finally {
      field.remove();
    }
  });

  /** The answer as the screen gives it: about the three faces of Ada's unnamed group it shows. */
  const shown = { faceIds: ['face5-0', 'face6-0', 'face7-0'], faceCount: 3 };

  it('Yes joins the group to her and moves on; Undo, from the toast or Ctrl+Z, brings the group back on screen with its question', async () => {
    const { engine, client, live } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await fireEvent.click(await screen.findByRole('button', { name: 'Yes, Ada' }));
    await waitFor(() => expect(engine.calls('unknown.answer')).toEqual([{ groupId: 'group-ada', personId: 'person-ada', same: true, ...shown }]));
    expect(await within(card()).findByRole('heading', { name: 'Who is this?' })).toBeTruthy();
    expect(engine.person('person-ada') && engine.facesOf('person-ada')).toHaveLength(6);
    const toast = toasts.items.findLast((t) => t.message === 'Merged an unnamed group into "Ada" (3 faces moved).');
    expect(toast?.action?.label).toBe('Undo');
    await toast!.action!.run();
    expect(engine.calls('undo')).toHaveLength(1);
    // The group is back, on screen (not the one after it), and asked about again.
    expect(await within(card()).findByRole('heading', { name: 'Is this Ada?' })).toBeTruthy();
    expect(screen.getByText('1 of 2')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Unnamed group of 3, maybe Ada' }).getAttribute('aria-current')).toBe('true');
    // The same with Ctrl+Z (the app shell's undo), after a Yes given from the keyboard.
    await fireEvent.keyDown(document.body, { key: 'y' });
    await waitFor(() => expect(engine.calls('unknown.answer')).toHaveLength(2));
    expect(await within(card()).findByRole('heading', { name: 'Who is this?' })).toBeTruthy();
    await undoDecisions(client, live);
    expect(await within(card()).findByRole('heading', { name: 'Is this Ada?' })).toBeTruthy();
    expect(engine.facesOf('group-ada')).toHaveLength(3);
  });

  it('No is remembered on the group, which stays to be asked about its next likely person, then named', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await fireEvent.click(await screen.findByRole('button', { name: 'No, not Ada' }));
    await waitFor(() => expect(engine.calls('unknown.answer')).toEqual([{ groupId: 'group-ada', personId: 'person-ada', same: false, ...shown }]));
    expect(engine.facesOf('group-ada').every((f) => f.rejected.includes('person-ada'))).toBe(true);
    // Bea looks like Ada: asked next, about the same group.
    expect(await within(card()).findByRole('heading', { name: 'Is this Bea?' })).toBeTruthy();
    expect(screen.getByText('1 of 2')).toBeTruthy();
    expect(toasts.items.findLast((t) => t.message === 'Marked 3 faces as not "Ada".')?.action?.label).toBe('Undo');
    // N from the keyboard: no more likely people, so the name field, as for any group. The screen's clock stands still
    // from the key on, so that "at once" is at once however long the checks below take on a loaded machine.
    let now = performance.now();
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => now);
    onTestFinished(() => clock.mockRestore());
    await fireEvent.keyDown(document.body, { key: 'n' });
    await waitFor(() => expect(engine.calls('unknown.answer')).toHaveLength(2));
    const field = (await screen.findByRole('combobox', { name: 'Name' })) as HTMLInputElement;
    const heading = within(card()).getByRole('heading', { name: 'Who is this?' });
    expect(heading).toBeTruthy();
    expect(card().textContent).toContain('Not Bea, then.');
    expect(card().textContent).toMatch(/if you\s+know who it is, type the name\./);
    expect(screen.getByText('1 of 2')).toBeTruthy();
    // The field takes the focus, to type the name at once (QA: it sat on the heading, the text said "click the name
    // field"); a second Y or N pressed in haste, or the N held down, is neither typed nor an answer.
    await waitFor(() => expect(document.activeElement).toBe(field));
    expect(await fireEvent.keyDown(field, { key: 'n' })).toBe(false);
    expect(await fireEvent.keyDown(field, { key: 'y' })).toBe(false);
    expect(field.value).toBe('');
    expect(engine.calls('unknown.answer')).toHaveLength(2);
    // The N still held is not typed either; pressed anew, past that moment, a key is the user's typing again.
    now += 650;
    expect(await fireEvent.keyDown(field, { key: 'n', repeat: true })).toBe(false);
    expect(await fireEvent.keyDown(field, { key: 'n' })).toBe(true);
    await typeInto(field, 'Cleo');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('people.rename')).toEqual([{ personId: 'group-ada', name: 'Cleo' }]));
  });

  it('answers Yes with Y from the keyboard, leaving out the faces clicked as someone else, in one decision one Undo takes back', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await screen.findByRole('button', { name: 'Yes, Ada' });
    await fireEvent.click(await screen.findByRole('button', { name: /^Face 2: someone else\?/ }));
    await fireEvent.keyDown(document.body, { key: 'y' });
    await waitFor(() => expect(engine.calls('unknown.answer')).toEqual([{ groupId: 'group-ada', personId: 'person-ada', same: true, ...shown, leftOutFaceIds: ['face6-0'] }]));
    expect(engine.calls('faces.reject')).toEqual([]);
    expect(engine.facesOf('person-ada')).toHaveLength(5);
    const toast = toasts.items.findLast((t) => t.message === 'Merged an unnamed group into "Ada" (2 faces moved). 1 face left out.');
    await toast!.action!.run();
    expect(engine.calls('undo')).toHaveLength(1);
    await waitFor(() => expect(engine.facesOf('group-ada')).toHaveLength(3));
    expect(engine.facesOf('person-ada')).toHaveLength(3);
    expect(engine.facesOf('group-ada').every((f) => f.rejected.length === 0)).toBe(true);
  });

  it('gives no answer about a group that changed since it was shown: the engine refuses, and the card shows it anew', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await screen.findByRole('button', { name: 'Yes, Ada' });
    // A grouping during an import keeps the group's id and changes a face: one of Cleo's joins it, unseen.
    engine.state.faces.find((f) => f.id === 'face8-0')!.personId = 'group-ada';
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, Ada' }));
    await waitFor(() => expect(toasts.items.some((t) => t.message === 'This group changed while you looked at it: look again.')).toBe(true));
    expect(engine.facesOf('person-ada')).toHaveLength(3);
    // Shown anew, with the face that joined: a Yes now is about all four.
    expect(await within(card()).findByText(/A group of 4 faces/)).toBeTruthy();
    await waitFor(() => expect(screen.getAllByRole('button', { name: /^Face \d: someone else\?/ })).toHaveLength(4));
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, Ada' }));
    await waitFor(() => expect(engine.facesOf('person-ada')).toHaveLength(7));
    expect(engine.calls('unknown.answer').at(-1)).toMatchObject({ faceIds: ['face5-0', 'face6-0', 'face7-0', 'face8-0'], faceCount: 4 });
  });

  it('asks the engine about the group it shows and the ones beside it, not about every group', async () => {
    // One group's question takes up to 16 index searches: every group's took seconds in a large library.
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album(['dan', 'eve', 'fay', 'gus'])));
    expect(await screen.findByRole('heading', { name: 'Is this Ada?' })).toBeTruthy();
    const asked = () => new Set((engine.calls('unknown.maybe') as Array<{ groupId: string }>).map((c) => c.groupId));
    await waitFor(() => expect(asked()).toEqual(new Set(['group-ada', 'group-cleo'])));
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(await within(card()).findByRole('heading', { name: 'Who is this?' })).toBeTruthy();
    await waitFor(() => expect(asked()).toEqual(new Set(['group-ada', 'group-cleo', 'group-dan'])));
  });

  it('does not answer from a key typed in a field, nor with a modifier held', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await screen.findByRole('button', { name: 'Yes, Ada' });
    await fireEvent.keyDown(document.body, { key: 'y', ctrlKey: true });
    await fireEvent.keyDown(document.body, { key: 'n', metaKey: true });
    expect(engine.calls('unknown.answer')).toEqual([]);
  });

  it('after No, the name field shows Ada ruled out and does not give the group her name', async () => {
    // QA: after No to "Is this Serena Williams?", "Serena" + Enter in the field gave only the engine's refusal.
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await fireEvent.click(await screen.findByRole('button', { name: 'No, not Ada' }));
    await fireEvent.click(await within(card()).findByRole('button', { name: 'No, not Bea' }));
    const field = await screen.findByRole('combobox', { name: 'Name' });
    await typeInto(field, 'Ada');
    expect(screen.getByRole('option', { name: /^Ada/ }).textContent).toContain('you said not');
    await fireEvent.keyDown(field, { key: 'Enter' });
    expect(within(card()).getByRole('status').textContent).toContain('not Ada');
    expect(engine.calls('people.rename')).toEqual([]);
  });
});

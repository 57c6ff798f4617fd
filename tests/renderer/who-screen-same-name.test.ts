// @vitest-environment jsdom
// Who is this?: a name someone already has, typed for a group that does not look like them, asks "Is this the same
// person?" before it joins them (QA: "George W Bush" typed on six women's faces merged them into him at once, every
// face confirmed). A group that looks like them joins as before, without a question.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import { addOneFacePhoto, FakeEngine, type FakeState } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

/** Ada with three photos; an unnamed group of four of Dan's photos, then one of three more of Ada's. */
function album(): FakeState {
  const state: FakeState = { photos: [], faces: [], people: [] };
  for (let i = 0; i < 3; i++) addOneFacePhoto(state, 'ada', 'person-ada');
  for (let i = 0; i < 4; i++) addOneFacePhoto(state, 'dan', 'group-dan');
  for (let i = 0; i < 3; i++) addOneFacePhoto(state, 'ada', 'group-ada');
  state.people = [
    { id: 'person-ada', name: 'Ada', hidden: false, coverFaceId: null },
    { id: 'group-dan', name: null, hidden: false, coverFaceId: null },
    { id: 'group-ada', name: null, hidden: false, coverFaceId: null },
  ];
  return state;
}

/** Types a name for the group on screen and presses Enter. */
async function nameGroup(name: string) {
  const field = await screen.findByRole('combobox', { name: 'Name' });
  await typeInto(field, name);
  await fireEvent.keyDown(field, { key: 'Enter' });
}

describe('a name someone already has, on Who is this?', () => {
  it('asks "Is this the same person?" with both faces before joining a group that does not look like them; Yes joins', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await nameGroup('Ada');
    const dialog = await screen.findByRole('alertdialog', { name: '“Ada” already has 3 faces. Is this the same person?' });
    expect(engine.calls('people.namesake')).toEqual([{ personId: 'group-dan', name: 'Ada' }]);
    expect(engine.calls('people.rename')).toEqual([]);
    // The group's face beside Ada's, and the focus on Cancel: the Enter that gave the name must not answer too.
    expect([...dialog.querySelectorAll('figcaption')].map((c) => c.textContent)).toEqual(['These faces', 'Ada']);
    expect(dialog.querySelectorAll('img')).toHaveLength(2);
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' })));
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, same person' }));
    await waitFor(() => expect(engine.calls('people.rename')).toEqual([{ personId: 'group-dan', name: 'Ada', sameAsNamesake: true }]));
    expect(engine.facesOf('person-ada')).toHaveLength(7);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('"No, someone else named Ada" asks for a name of their own, "Ada (2)" with the number selected, and names them so', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await nameGroup('Ada');
    const dialog = await screen.findByRole('alertdialog');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'No, someone else named Ada' }));
    const own = within(dialog).getByRole('textbox', { name: 'Their name' }) as HTMLInputElement;
    expect(own.value).toBe('Ada (2)');
    await waitFor(() => expect(document.activeElement).toBe(own));
    expect(own.value.slice(own.selectionStart!, own.selectionEnd!)).toBe('(2)');
    // Their name again would join Ada: not taken.
    await typeInto(own, 'ada');
    expect(within(dialog).getByRole('button', { name: 'Name them' }).hasAttribute('disabled')).toBe(true);
    await typeInto(own, 'Ada (school)');
    await fireEvent.submit(own.form!);
    await waitFor(() => expect(engine.calls('people.rename')).toEqual([{ personId: 'group-dan', name: 'Ada (school)' }]));
    expect(engine.facesOf('person-ada')).toHaveLength(3);
    expect(engine.state.people.find((p) => p.id === 'group-dan')?.name).toBe('Ada (school)');
  });

  it('Cancel names nothing and gives the name field back with the name typed', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await nameGroup('Ada');
    await fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    const field = screen.getByRole('combobox', { name: 'Name' }) as HTMLInputElement;
    expect(field.value).toBe('Ada');
    await waitFor(() => expect(document.activeElement).toBe(field));
    expect(engine.calls('people.rename')).toEqual([]);
  });

  it('joins a group that looks like them at once, as before: no question in the common case', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
    await fireEvent.click(await screen.findByRole('button', { name: 'Skip' }));
    await screen.findByText('A group of 3 faces in 3 photos');
    await nameGroup('Ada');
    await waitFor(() => expect(engine.calls('people.rename')).toEqual([{ personId: 'group-ada', name: 'Ada' }]));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(engine.facesOf('person-ada')).toHaveLength(6);
  });
});

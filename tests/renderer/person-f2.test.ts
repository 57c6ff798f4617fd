// @vitest-environment jsdom
// F2, "Name the person" in the shortcuts, names the person on their page too, as their name button does (QA: a split
// ends on the new group's page, "Open it"; F2 there did nothing, and the Enter typed after it opened a photo). Not
// under a dialog, nor while a name is typed in another field.
import { beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import PersonScreen from '../../renderer/screens/PersonScreen.svelte';
import { router } from '../../renderer/lib/router.svelte.js';
import { dialogOpened } from '../../renderer/lib/focus.js';
import { renderScreen, typeInto } from './render.js';

beforeEach(() => {
  router.go({ name: 'person', personId: 'person-ada' });
});

const nameField = () => screen.queryByRole('combobox', { name: 'Name for this person' });

async function adasPage() {
  const rendered = renderScreen(PersonScreen, { personId: 'person-ada' });
  const grid = await screen.findByRole('listbox', { name: 'Faces of Ada' });
  const face = within(grid).getAllByRole('option')[0];
  face.focus();
  return { ...rendered, face };
}

describe('F2 on a person’s page', () => {
  it('opens the name field as the name button does, and Enter there renames them', async () => {
    const { engine, face } = await adasPage();
    await fireEvent.keyDown(face, { key: 'F2' });
    const field = nameField()!;
    expect(field).toBeTruthy();
    expect((field as HTMLInputElement).value).toBe('Ada');
    await waitFor(() => expect(document.activeElement).toBe(field));
    await typeInto(field, 'Ada Lovelace');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('people.rename')).toEqual([{ personId: 'person-ada', name: 'Ada Lovelace' }]));
    expect(engine.calls('photos.get')).toEqual([]);
  });

  it('waits while a dialog is open over the page', async () => {
    const { face } = await adasPage();
    const dialog = dialogOpened();
    try {
      await fireEvent.keyDown(face, { key: 'F2' });
      expect(nameField()).toBeNull();
    } finally {
      dialog.close();
    }
    await fireEvent.keyDown(face, { key: 'F2' });
    expect(nameField()).toBeTruthy();
  });

  it('leaves F2 to a field a name is typed in', async () => {
    const { face } = await adasPage();
    await fireEvent.keyDown(face, { key: ' ' });
    const bar = await screen.findByRole('toolbar', { name: 'Selected faces' });
    await fireEvent.click(within(bar).getByRole('button', { name: 'Move to…' }));
    const field = await within(bar).findByRole('combobox', { name: 'Move to person' });
    await fireEvent.keyDown(field, { key: 'F2' });
    expect(nameField()).toBeNull();
  });
});

// @vitest-environment jsdom
// Where the focus goes after a change made on a person's page (QA): back on the name after a rename, and on the face
// that took the place of one moved to someone else, not on the first face.
import { beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import PersonScreen from '../../renderer/screens/PersonScreen.svelte';
import { renderScreen, typeInto } from './render.js';

beforeEach(() => {
  document.body.focus();
});

describe('the focus after a change on a person page', () => {
  it('goes back to the name once it is renamed', async () => {
    const { engine } = renderScreen(PersonScreen, { personId: 'person-ada' });
    await screen.findByRole('listbox', { name: 'Faces of Ada' });
    await fireEvent.click(screen.getByRole('button', { name: 'Ada' }));
    const field = screen.getByRole('combobox', { name: 'Name for this person' });
    await typeInto(field, 'Ada Lovelace');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('people.rename')).toHaveLength(1));
    await waitFor(() => expect(document.activeElement?.textContent?.trim()).toBe('Ada Lovelace'));
    // And stays there once the page has reloaded.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(document.activeElement?.textContent?.trim()).toBe('Ada Lovelace');
  });

  it('goes to the face that took the place of the one moved away', async () => {
    const { engine } = renderScreen(PersonScreen, { personId: 'person-ada' });
    const faces = within(await screen.findByRole('listbox', { name: 'Faces of Ada' })).getAllByRole('option');
    faces[2].focus();
    await fireEvent.click(faces[2]);
    await fireEvent.click(screen.getByRole('button', { name: 'Move to…' }));
    const field = screen.getByRole('combobox', { name: 'Move to person' });
    await typeInto(field, 'Bob');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('faces.name')).toHaveLength(1));
    const list = () => within(screen.getByRole('listbox', { name: 'Faces of Ada' })).getAllByRole('option');
    await waitFor(() => expect(list()).toHaveLength(faces.length - 1));
    await waitFor(() => expect(document.activeElement).toBe(list()[2]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(document.activeElement).toBe(list()[2]);
  });

  it('goes to the face now last when the last faces leave the page, not to the grid, where it showed nowhere', async () => {
    const { engine } = renderScreen(PersonScreen, { personId: 'person-ada' });
    const faces = within(await screen.findByRole('listbox', { name: 'Faces of Ada' })).getAllByRole('option');
    const last = faces.length - 1;
    faces[last].focus();
    await fireEvent.click(faces[last]);
    await fireEvent.keyDown(faces[last], { key: 'Delete' });
    await waitFor(() => expect(engine.calls('faces.reject')).toHaveLength(1));
    const list = () => within(screen.getByRole('listbox', { name: 'Faces of Ada' })).getAllByRole('option');
    await waitFor(() => expect(list()).toHaveLength(last));
    await waitFor(() => expect(document.activeElement).toBe(list()[last - 1]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(document.activeElement).toBe(list()[last - 1]);
  });
});

// @vitest-environment jsdom
// QA on the People cards: naming a group that may be two people from its card named all of it (twenty faces of two
// sisters as Serena) where "Who is this?" names the part like the cover; the focus fell to the page when the last card
// of a search or filter went; and the faces on a person's page hid which ones the user had confirmed.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import PeopleScreen from '../../renderer/screens/PeopleScreen.svelte';
import PersonScreen from '../../renderer/screens/PersonScreen.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { router } from '../../renderer/lib/router.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

/** Ada's four faces grouped with Bob's three in a group nobody named, as the clustering groups siblings. */
function siblingsAlbum() {
  const album = sampleAlbum();
  for (const f of album.faces) if (f.identity === 'ada' && f.personId === 'person-ada') f.personId = 'person-bob';
  return album;
}

const GROUP = 'Unnamed group: add a name, 7 faces, may be two people — open to check';

async function openNameField(label: string) {
  const card = await screen.findByRole('option', { name: label });
  card.focus();
  await fireEvent.keyDown(card, { key: 'F2' });
  return within(card).findByRole('combobox');
}

describe('naming a group that may be two people from its People card', () => {
  it('says the other part becomes a group of its own, and names only the part like the cover, as "Who is this?" does', async () => {
    router.go({ name: 'people' });
    toasts.items.splice(0);
    const { engine } = renderScreen(PeopleScreen, {}, new FakeEngine(siblingsAlbum()));
    const field = await openNameField(GROUP);
    // Said before the name is given, in the field's label too (the card's words are not read inside the field).
    const hint = await screen.findByTestId('two-parts-hint');
    expect(hint.textContent!.replace(/\s+/g, ' ').trim()).toBe('May be two people: the other 3 faces become a new group. Shift+Enter: all one person');
    expect(field.getAttribute('aria-label')).toBe('Name for the 4 faces like this one: the other 3 become a group of their own (Shift+Enter: all one person)');
    await typeInto(field, 'Dee');
    await fireEvent.keyDown(field, { key: 'Enter' });
    const shownParts = { stays: { faceIds: expect.any(Array), count: 4 }, leaves: { faceIds: expect.any(Array), count: 3 } };
    await waitFor(() => expect(engine.calls('people.rename')).toEqual([{ personId: 'person-bob', name: 'Dee', twoPeople: 'cover-part', shownParts }]));
    await waitFor(() => expect(toasts.items.map((t) => t.message)).toContain('Named "Dee" (4 faces). The other 3 faces are a group of their own.'));
    expect(await screen.findByRole('option', { name: 'Dee, 4 faces' })).toBeTruthy();
    expect(screen.getByRole('option', { name: 'Unnamed group: add a name, 3 faces' })).toBeTruthy();
  });

  it('names every face with Shift+Enter: all one person', async () => {
    router.go({ name: 'people' });
    const { engine } = renderScreen(PeopleScreen, {}, new FakeEngine(siblingsAlbum()));
    const field = await openNameField(GROUP);
    await screen.findByTestId('two-parts-hint');
    await typeInto(field, 'Dee');
    await fireEvent.keyDown(field, { key: 'Enter', shiftKey: true });
    await waitFor(() => expect(engine.calls('people.rename')).toEqual([expect.objectContaining({ personId: 'person-bob', name: 'Dee', twoPeople: 'one-person' })]));
    expect(await screen.findByRole('option', { name: 'Dee, 7 faces' })).toBeTruthy();
  });

  it('renames a named person whole, and names a group that is one person as before', async () => {
    router.go({ name: 'people' });
    const album = sampleAlbum();
    // Bob's three faces with Ada's four, in her person: her page asks about the two parts, a rename does not split her.
    for (const f of album.faces.filter((f) => f.id === 'face5-0' || f.id === 'face6-0')) f.personId = 'person-ada';
    const { engine } = renderScreen(PeopleScreen, {}, new FakeEngine(album));
    const field = await openNameField('Ada, 7 faces, may be two people — open to check');
    await typeInto(field, 'Ada Lovelace');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('people.rename')).toEqual([{ personId: 'person-ada', name: 'Ada Lovelace' }]));
    expect(screen.queryByTestId('two-parts-hint')).toBeNull();
    expect(engine.calls('people.twoPeople')).toEqual([]);
  });
});

describe('the focus when the last card of a search or filter goes', () => {
  it('goes to the filter after the last person found is deleted, not to the page nor the search field', async () => {
    router.go({ name: 'people' });
    const { engine } = renderScreen(PeopleScreen, {});
    await screen.findByRole('option', { name: 'Ada, 5 faces' });
    const find = screen.getByRole('searchbox', { name: 'Find a person' });
    await typeInto(find, 'Ada');
    const ada = await screen.findByRole('option', { name: 'Ada, 5 faces' });
    ada.focus();
    await fireEvent.keyDown(ada, { key: 'Delete' });
    await fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(engine.calls('people.delete')).toHaveLength(1));
    expect(await screen.findByText('Nobody called “Ada”')).toBeTruthy();
    // Not the search field, where Ctrl+Z would take back the typing rather than the deletion.
    const all = screen.getByRole('radio', { name: 'All' });
    await waitFor(() => expect(document.activeElement).toBe(all));
    expect(find).not.toBe(document.activeElement);
  });

  it('goes to the filter when an undo takes the last person found away', async () => {
    router.go({ name: 'people' });
    toasts.items.splice(0);
    renderScreen(PeopleScreen, {});
    const field = await openNameField('Unnamed group: add a name, 2 faces');
    await typeInto(field, 'Dora');
    await fireEvent.keyDown(field, { key: 'Enter' });
    const find = screen.getByRole('searchbox', { name: 'Find a person' });
    await typeInto(find, 'Dora');
    const dora = await screen.findByRole('option', { name: 'Dora, 2 faces' });
    dora.focus();
    const toast = toasts.items.findLast((t) => t.message.startsWith('Named "Dora"'));
    // The toast's Undo button had the focus, and went with the toast.
    (document.activeElement as HTMLElement | null)?.blur();
    await toast!.action!.run();
    expect(await screen.findByText('Nobody called “Dora”')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('radio', { name: 'All' })));
  });

  it('goes to the empty state’s action when it has one', async () => {
    router.go({ name: 'people' });
    const { engine } = renderScreen(PeopleScreen, {});
    await screen.findByRole('option', { name: 'Ada, 5 faces' });
    const find = screen.getByRole('searchbox', { name: 'Find a person' });
    await typeInto(find, 'Ada');
    const ada = await screen.findByRole('option', { name: 'Ada, 5 faces' });
    ada.focus();
    await fireEvent.keyDown(ada, { key: ' ' });
    // Hidden: the search now finds her hidden, and offers to show her. The Hide button had the focus, and went.
    const hide = screen.getByRole('button', { name: 'Hide' });
    hide.focus();
    await fireEvent.click(hide);
    await waitFor(() => expect(engine.calls('people.hide')).toHaveLength(1));
    const show = await screen.findByRole('button', { name: 'Show hidden people' });
    await waitFor(() => expect(document.activeElement).toBe(show));
  });

  it('goes to the filter chosen when a filter empties and its empty state has no action', async () => {
    router.go({ name: 'people' });
    const { engine } = renderScreen(PeopleScreen, {});
    await screen.findByRole('option', { name: 'Ada, 5 faces' });
    await fireEvent.click(screen.getByRole('radio', { name: 'Named' }));
    const ada = await screen.findByRole('option', { name: 'Ada, 5 faces' });
    ada.focus();
    await fireEvent.keyDown(ada, { key: 'Delete' });
    await fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(engine.calls('people.delete')).toHaveLength(1));
    expect(await screen.findByText('Nobody is named yet')).toBeTruthy();
    // "Nobody is named yet" has no button: the Named filter, where the arrows choose another.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('radio', { name: 'Named' })));
  });
});

describe('the faces on a person’s page', () => {
  it('marks each face the user confirmed and each Familiar placed, with the marks said in words', async () => {
    router.go({ name: 'person', personId: 'person-ada' });
    renderScreen(PersonScreen, { personId: 'person-ada' });
    const grid = await screen.findByRole('listbox', { name: 'Faces of Ada' });
    await waitFor(() => expect(within(grid).getAllByRole('option').length).toBeGreaterThan(0));
    for (const option of within(grid).getAllByRole('option')) {
      const confirmed = option.getAttribute('aria-label')!.includes(', confirmed');
      expect(option.querySelector('.mark.confirmed') !== null).toBe(confirmed);
      expect(option.querySelector('.mark.placed') !== null).toBe(!confirmed);
    }
    const hint = document.querySelector('.hint-row .hint')!.textContent!.replace(/\s+/g, ' ');
    expect(hint).toContain('cover confirmed by you placed by Familiar');
  });

  it('gives each face tile an alt text that says whose face it is', async () => {
    router.go({ name: 'person', personId: 'person-ada' });
    renderScreen(PersonScreen, { personId: 'person-ada' });
    const grid = await screen.findByRole('listbox', { name: 'Faces of Ada' });
    await waitFor(() => expect(grid.querySelectorAll('img').length).toBeGreaterThan(0));
    expect(grid.querySelector('img')!.getAttribute('alt')).toBe('Face 1 of Ada');
  });
});

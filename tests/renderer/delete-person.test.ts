// @vitest-environment jsdom
// Deleting people (QA: a person could be deleted neither in the app nor the CLI, and wrong people were hard to remove):
// "Delete…" on People's selection toolbar and Delete on a card, "Delete person…" on the person's page, each asking
// first in plain words, with an Undo that brings everything back. And a search for someone the user hid says so.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import PeopleScreen from '../../renderer/screens/PeopleScreen.svelte';
import PersonScreen from '../../renderer/screens/PersonScreen.svelte';
import ShortcutsDialog from '../../renderer/components/ShortcutsDialog.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { router } from '../../renderer/lib/router.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';
import { render } from '@testing-library/svelte';

const labels = () => within(screen.getByRole('listbox', { name: 'People' })).getAllByRole('option').map((o) => o.getAttribute('aria-label'));
const toastSaying = (start: string) => toasts.items.findLast((t) => t.message.startsWith(start));
/** What a dialog says, as read: one space between words. */
const said = (element: HTMLElement) => element.textContent!.replace(/\s+/g, ' ');

describe('Deleting people on the People screen', () => {
  it('asks first, saying the faces stay; Cancel deletes nothing, Delete deletes, and Undo brings the person back', async () => {
    toasts.items.splice(0);
    const { engine } = renderScreen(PeopleScreen, {});
    const ada = await screen.findByRole('option', { name: 'Ada, 5 faces' });
    await fireEvent.click(ada, { ctrlKey: true });
    const deleteButton = screen.getByRole('button', { name: 'Delete…' });
    await fireEvent.click(deleteButton);

    const dialog = screen.getByRole('alertdialog', { name: 'Delete “Ada”?' });
    expect(said(dialog)).toContain(
      'Ada’s 5 faces stay in your photos without a name; Familiar may group them again as an unnamed group, which “Who is this?” then asks you about. It forgets the name and which faces you confirmed. ' +
        'To keep “Ada” but stop seeing their faces, hide them instead: nothing is grouped again or asked about. You can undo this.',
    );
    // Offered for a named person too: deleted, her faces would form a group again (QA: a person deleted came straight back).
    expect(within(dialog).getByRole('button', { name: 'Hide instead' })).toBeTruthy();
    // Cancel has the focus: an Enter on a reflex deletes nothing.
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(engine.calls('people.delete')).toEqual([]);

    await fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    await fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(engine.calls('people.delete')).toEqual([{ personIds: ['person-ada'] }]));
    await waitFor(() => expect(labels()).not.toContain('Ada, 5 faces'));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.queryByText('1 selected')).toBeNull();
    const toast = toastSaying('Deleted');
    expect(toast?.message).toBe('Deleted "Ada"; 5 faces no longer have a name.');
    expect(toast?.action?.label).toBe('Undo');

    await toast!.action!.run();
    expect(await screen.findByRole('option', { name: 'Ada, 5 faces' })).toBeTruthy();
    expect(toasts.items.map((t) => t.message)).toContain('"Ada" is back, with 5 faces.');
  });

  it('Delete on a card asks about the selected people, all deleted in one go and brought back by one Undo', async () => {
    toasts.items.splice(0);
    const { engine } = renderScreen(PeopleScreen, {});
    const ada = await screen.findByRole('option', { name: 'Ada, 5 faces' });
    const cleo = screen.getByRole('option', { name: 'Unnamed group: add a name, 2 faces' });
    await fireEvent.focus(ada);
    await fireEvent.keyDown(ada, { key: ' ' });
    await fireEvent.focus(cleo);
    await fireEvent.keyDown(cleo, { key: ' ' });
    await fireEvent.keyDown(cleo, { key: 'Delete' });

    const dialog = screen.getByRole('alertdialog', { name: 'Delete 1 person and 1 unnamed group?' });
    expect(said(dialog)).toContain('Ada and 1 unnamed group');
    expect(said(dialog)).toContain('Their 7 faces stay in your photos without a name;');
    expect(said(dialog)).toContain('It will not group or ask about the 2 faces of the unnamed group again.');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    // One call, one decision: one undo takes them all back (one each, undone by as many undos, took back whatever another
    // window or the command line decided in between).
    await waitFor(() => expect(engine.calls('people.delete')).toEqual([{ personIds: ['person-ada', 'person-cleo'] }]));
    await waitFor(() => expect(labels()).toEqual(['Unnamed group: add a name, 3 faces']));
    const toast = toastSaying('Deleted');
    expect(toast?.message).toBe('Deleted 2 people; their 7 faces no longer have a name.');

    await toast!.action!.run();
    await waitFor(() => expect(labels()).toEqual(['Ada, 5 faces', 'Unnamed group: add a name, 3 faces', 'Unnamed group: add a name, 2 faces']));
    expect(engine.calls('undo')).toHaveLength(1);
    expect(toasts.items.map((t) => t.message)).toContain('"Ada" and an unnamed group are back, with 7 faces.');
  });

  it('Delete on an unnamed group with nothing selected says its faces are set aside, and offers to hide it instead', async () => {
    const { engine } = renderScreen(PeopleScreen, {});
    const cleo = await screen.findByRole('option', { name: 'Unnamed group: add a name, 2 faces' });
    await fireEvent.focus(cleo);
    await fireEvent.keyDown(cleo, { key: 'Delete' });
    const dialog = screen.getByRole('alertdialog', { name: 'Delete this group?' });
    // Before: "Familiar will most likely group them again, as a new group like this one" (and it did).
    expect(said(dialog)).toContain('Its 2 faces stay in your photos without a name; Familiar will not group them again or ask you about them. You can still name any of them in its photo.');
    expect(said(dialog)).toContain('To keep this group but stop seeing it, hide it instead.');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Hide instead' }));
    await waitFor(() => expect(engine.calls('people.hide')).toEqual([{ personIds: ['person-cleo'], hidden: true }]));
    expect(engine.calls('people.delete')).toEqual([]);
    await waitFor(() => expect(labels()).not.toContain('Unnamed group: add a name, 2 faces'));
  });

  it('lists Delete among the keyboard shortcuts', () => {
    render(ShortcutsDialog, { props: { onclose: () => {} } });
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(said(dialog)).toContain('Delete the selected people, after asking (People)');
  });
});

describe('Deleting a person from their page', () => {
  it('asks first, then goes back to People; Undo brings them back', async () => {
    toasts.items.splice(0);
    router.go({ name: 'person', personId: 'person-ada' });
    const { engine, client } = renderScreen(PersonScreen, { personId: 'person-ada' });
    await screen.findByRole('listbox', { name: 'Faces of Ada' });
    await fireEvent.click(screen.getByRole('button', { name: 'Delete person…' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete “Ada”?' });
    expect(said(dialog)).toContain('Ada’s 5 faces stay in your photos without a name;');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(engine.calls('people.delete')).toEqual([{ personIds: ['person-ada'] }]));
    await waitFor(() => expect(router.current).toEqual({ name: 'people' }));
    const toast = toastSaying('Deleted');
    expect(toast?.message).toBe('Deleted "Ada"; 5 faces no longer have a name.');

    await toast!.action!.run();
    expect((await client.call('people.list', { includeHidden: true })).map((p) => [p.name, p.faceCount])).toContainEqual(['Ada', 5]);
  });

  it('puts the focus back on People on the card that followed the one deleted', async () => {
    // QA: back on People after "Delete person…", the focus was on the page, and the next Tab went to the filters.
    const engine = new FakeEngine(sampleAlbum());
    router.go({ name: 'people' });
    const people = renderScreen(PeopleScreen, {}, engine);
    await screen.findByRole('option', { name: 'Ada, 5 faces' });
    const order = labels();
    const next = order[order.indexOf('Ada, 5 faces') + 1];
    expect(next).toBeTruthy();
    people.unmount();
    router.go({ name: 'person', personId: 'person-ada' });
    const page = renderScreen(PersonScreen, { personId: 'person-ada' }, engine);
    await screen.findByRole('listbox', { name: 'Faces of Ada' });
    await fireEvent.click(screen.getByRole('button', { name: 'Delete person…' }));
    await fireEvent.click(within(screen.getByRole('alertdialog', { name: 'Delete “Ada”?' })).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(router.current).toEqual({ name: 'people' }));
    page.unmount();
    renderScreen(PeopleScreen, {}, engine);
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe(next));
  });

  it('Hide instead hides the person and goes back to People, deleting nothing', async () => {
    router.go({ name: 'person', personId: 'person-ada' });
    const { engine } = renderScreen(PersonScreen, { personId: 'person-ada' });
    await screen.findByRole('listbox', { name: 'Faces of Ada' });
    await fireEvent.click(screen.getByRole('button', { name: 'Delete person…' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete “Ada”?' });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Hide instead' }));
    await waitFor(() => expect(engine.calls('people.hide')).toEqual([{ personIds: ['person-ada'], hidden: true }]));
    expect(engine.calls('people.delete')).toEqual([]);
    await waitFor(() => expect(router.current).toEqual({ name: 'people' }));
  });

  it('calls an unnamed group a group, and Cancel leaves the page as it was', async () => {
    router.go({ name: 'person', personId: 'person-cleo' });
    const { engine } = renderScreen(PersonScreen, { personId: 'person-cleo' });
    await screen.findByRole('listbox', { name: 'Faces of Unnamed group' });
    await fireEvent.click(screen.getByRole('button', { name: 'Delete group…' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete this group?' });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(engine.calls('people.delete')).toEqual([]);
    expect(router.current).toEqual({ name: 'person', personId: 'person-cleo' });
  });
});

describe('Finding a hidden person on People', () => {
  it('says the person is hidden, not that nobody has the name, and shows hidden people when asked', async () => {
    const album = sampleAlbum();
    album.people[0].hidden = true;
    renderScreen(PeopleScreen, {}, new FakeEngine(album));
    await screen.findByRole('option', { name: 'Unnamed group: add a name, 3 faces' });
    await typeInto(screen.getByRole('searchbox', { name: 'Find a person' }), 'ada');
    expect(await screen.findByText('“Ada” is hidden')).toBeTruthy();
    expect(screen.queryByText(/Nobody called/)).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Show hidden people' }));
    expect(await screen.findByRole('option', { name: 'Ada, 5 faces, hidden' })).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: /Show hidden/ }) as HTMLInputElement).checked).toBe(true);

    // Someone nobody has, hidden or not: as before.
    await typeInto(screen.getByRole('searchbox', { name: 'Find a person' }), 'Zed');
    expect(await screen.findByText('Nobody called “Zed”')).toBeTruthy();
  });
});

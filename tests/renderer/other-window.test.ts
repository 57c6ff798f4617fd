// @vitest-environment jsdom
// A person's page and the People list while another window (the app and `familiar serve` in a browser, or two tabs)
// changes the same people. QA, with two tabs: a face selected here and moved there was pulled back by Confirm; a page
// whose person was merged there kept a live name field, and Enter said `No person has the id "person-…"`; the Merge
// dialog stayed open over a person deleted there, and Merge failed with the same words.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import PeopleScreen from '../../renderer/screens/PeopleScreen.svelte';
import PersonScreen from '../../renderer/screens/PersonScreen.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

const lastToast = () => toasts.items.at(-1)?.message;

describe("a person's page while another window changes them", () => {
  it('takes a selected face moved away elsewhere out of the selection, so Confirm does not pull it back', async () => {
    const { engine } = renderScreen(PersonScreen, { personId: 'person-ada' });
    const grid = await screen.findByRole('listbox', { name: 'Faces of Ada' });
    const faces = within(grid).getAllByRole('option');
    await fireEvent.click(faces[1]);
    await fireEvent.click(faces[2]);
    expect(await screen.findByText('2 faces selected')).toBeTruthy();
    const moved = engine.state.faces.filter((f) => f.personId === 'person-ada')[1].id;

    // The other window moves the first of them to Bob's group.
    await engine.dispatcher.call('faces.move', { faceIds: [moved], personId: 'person-bob' });
    await waitFor(() => expect(lastToast()).toBe('1 selected face is no longer Ada’s (changed in another window), so it was taken out of the selection.'));
    expect(await screen.findByText('1 face selected')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: /^Confirm/ }));
    await waitFor(() => expect(engine.calls('faces.confirm')).toHaveLength(1));
    expect((engine.calls('faces.confirm')[0] as { faceIds: string[] }).faceIds).not.toContain(moved);
    expect(engine.state.faces.find((f) => f.id === moved)?.personId).toBe('person-bob');
  });

  it('says where a person merged elsewhere went, and leaves no name field acting on them', async () => {
    const { engine } = renderScreen(PersonScreen, { personId: 'person-bob' });
    await screen.findByRole('listbox', { name: 'Faces of Unnamed group' });
    await fireEvent.click(screen.getByRole('button', { name: 'Add a name' }));
    await typeInto(await screen.findByRole('combobox', { name: 'Name for this person' }), 'Bri');

    await engine.dispatcher.call('people.merge', { intoId: 'person-ada', fromIds: ['person-bob'] });
    expect(await screen.findByText('Merged into Ada')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open Ada' }).getAttribute('href')).toBe('#/person/person-ada');
    expect(screen.queryByRole('combobox', { name: 'Name for this person' })).toBeNull();
    expect(engine.calls('people.rename')).toEqual([]);
  });
});

describe("a toast's Undo while another window decides", () => {
  it('takes back its own decision or nothing, never the one decided since in the other window', async () => {
    const { engine } = renderScreen(PersonScreen, { personId: 'person-ada' });
    const grid = await screen.findByRole('listbox', { name: 'Faces of Ada' });
    await fireEvent.click(within(grid).getAllByRole('option')[1]);
    await fireEvent.click(await screen.findByRole('button', { name: /^Confirm/ }));
    await waitFor(() => expect(toasts.items.at(-1)?.action?.label).toBe('Undo'));
    const undo = toasts.items.at(-1)!.action!;
    const confirmed = engine.state.faces.find((f) => f.personId === 'person-ada' && f.assignedBy === 'user')!.id;

    await engine.dispatcher.call('people.rename', { personId: 'person-bob', name: 'Bob' });
    await undo.run();
    await waitFor(() =>
      expect(lastToast()).toBe('"Confirmed a face of Ada." was not undone: "Named "Bob" (3 faces)." was decided since, in another window perhaps, and undo takes changes back newest first.'),
    );
    expect(engine.state.people.find((p) => p.id === 'person-bob')?.name).toBe('Bob');
    expect(engine.state.faces.find((f) => f.id === confirmed)?.assignedBy).toBe('user');
  });
});

describe('the People list while another window changes people', () => {
  it('closes a Merge dialog about a person deleted elsewhere, saying nothing was merged', async () => {
    const album = sampleAlbum();
    album.people.find((p) => p.id === 'person-bob')!.name = 'Bob';
    const { engine } = renderScreen(PeopleScreen, {}, new FakeEngine(album));
    const ada = await screen.findByRole('option', { name: /^Ada/ });
    const bob = screen.getByRole('option', { name: /^Bob/ });
    await fireEvent.click(ada, { ctrlKey: true });
    await fireEvent.click(bob, { ctrlKey: true });
    await fireEvent.click(await screen.findByRole('button', { name: /^Merge/ }));
    const dialog = await screen.findByRole('alertdialog');

    await engine.dispatcher.call('people.delete', { personIds: ['person-bob'] });
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(dialog.isConnected).toBe(false);
    expect(lastToast()).toBe('Bob is no longer in the library (changed in another window), so nothing was merged.');
    expect(engine.calls('people.merge')).toEqual([]);
  });
});

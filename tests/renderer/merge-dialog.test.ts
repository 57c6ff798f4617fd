// @vitest-environment jsdom
// QA: the merge dialog named the people it merges but showed no face, so nothing said whom "Gabe" and "Jay" are.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import MergeDialog from '../../renderer/components/MergeDialog.svelte';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

/** An album with two named people: Ada and Bob. */
function twoNamed(): FakeEngine {
  const album = sampleAlbum();
  album.people.find((p) => p.id === 'person-bob')!.name = 'Bob';
  return new FakeEngine(album);
}

/** A person's cover when they chose none: their first face. */
const firstFace = (personId: string) => `thumb/${sampleAlbum().faces.find((f) => f.personId === personId)!.id}`;
const noop = () => {};
/** The face image beside each name, by the name it sits with. */
const facesBy = (container: HTMLElement, selector: string) =>
  Object.fromEntries([...container.querySelectorAll(selector)].map((el) => [el.textContent?.trim(), el.querySelector('img')?.getAttribute('src') ?? null]));

describe('Merge dialog', () => {
  it('shows each person\'s cover face beside their name when the user chooses whose name stays', async () => {
    const engine = twoNamed();
    renderScreen(MergeDialog, { into: 'Ada', names: ['Bob'], choices: [{ id: 'person-ada', name: 'Ada' }, { id: 'person-bob', name: 'Bob' }], onconfirm: noop, oncancel: noop }, engine);
    const dialog = await screen.findByRole('alertdialog');
    await waitFor(() => expect(facesBy(dialog, '.keep label')).toEqual({ Ada: expect.stringContaining(firstFace('person-ada')), Bob: expect.stringContaining(firstFace('person-bob')) }));
    // The radios are still named by the names alone: the faces are decoration beside them.
    expect(within(dialog).getByRole('radio', { name: 'Ada' })).toBeTruthy();
    expect(within(dialog).getByRole('radio', { name: 'Bob' })).toBeTruthy();
  });

  it('shows who goes into whom, face by face, when a rename merges two named people', async () => {
    const engine = twoNamed();
    renderScreen(MergeDialog, { into: 'Ada', names: ['Bob'], onconfirm: noop, oncancel: noop }, engine);
    const dialog = await screen.findByRole('alertdialog');
    await waitFor(() => expect(Object.values(facesBy(dialog, '.who figure')).every(Boolean)).toBe(true));
    expect(Object.keys(facesBy(dialog, '.who figure'))).toEqual(['Bob', 'Ada']);
    expect(dialog.querySelector('.who')?.textContent).toContain('→');
    // Cancel still has the focus: the faces came in without taking it.
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
  });

  it('shows the person a group is named into on "Who is this?", and asks the same if the faces cannot be had', async () => {
    const engine = twoNamed();
    renderScreen(MergeDialog, { into: 'Ada', names: [], together: 1, onconfirm: noop, oncancel: noop }, engine);
    const dialog = await screen.findByRole('alertdialog');
    await waitFor(() => expect(Object.values(facesBy(dialog, '.who figure')).every(Boolean)).toBe(true));
    expect(Object.keys(facesBy(dialog, '.who figure'))).toEqual(['Ada']);
    expect(dialog.querySelector('.who')?.textContent).not.toContain('→');

    const failing = twoNamed();
    failing.failing['people.list'] = 'The library is busy.';
    let merged = 0;
    renderScreen(MergeDialog, { into: 'Ada', names: ['Bob'], onconfirm: () => merged++, oncancel: noop }, failing);
    const [, second] = await screen.findAllByRole('alertdialog');
    await fireEvent.click(within(second).getByRole('button', { name: 'Merge' }));
    expect(merged).toBe(1);
  });
});

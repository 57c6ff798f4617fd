// @vitest-environment jsdom
// The Studio while the library changes under its pickers (another window deletes, merges or renames a person picked).
// QA: a deleted person stayed picked with their faces and strip, and Blend said `No person has the id "person-…"`, an
// error that outlived the undo; a group merged away stayed on offer with its faces, and the group it joined showed
// its old faces; a renamed person's strip and new Blends kept the old name.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import StudioScreen from '../../renderer/screens/StudioScreen.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { studioEngine } from './fake-engine.js';
import { renderScreen } from './render.js';

const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;
const picker = (label: string) => screen.getByLabelText(`${label}: person`) as HTMLSelectElement;
const faceTiles = (label: string) => within(screen.getByRole('radiogroup', { name: `${label}: which face` })).getAllByRole('radio');
const strip = () => screen.queryByRole('list', { name: 'Blend, step by step' });
const drawn = () => screen.getByTestId('studio-drawn').textContent;
const lastToast = () => toasts.items.at(-1)?.message;

/** The Studio with From and To picked ("Ada", and the sample's unnamed groups of Bob and Cleo) and a strip drawn. */
async function blended(from: string, to: string) {
  const engine = studioEngine();
  renderScreen(StudioScreen, {}, engine);
  await fireEvent.change(await screen.findByLabelText('From: person'), { target: { value: from } });
  await fireEvent.change(picker('To'), { target: { value: to } });
  await fireEvent.click(button('Blend'));
  await screen.findByRole('list', { name: 'Blend, step by step' });
  return engine;
}

describe('the Studio while a person picked changes elsewhere', () => {
  it('unpicks a deleted person, saying so, and drops their strip for good: the undo brings them back, not it', async () => {
    const engine = await blended('person-ada', 'person-bob');
    expect(faceTiles('From').length).toBeGreaterThan(1);

    await engine.dispatcher.call('people.delete', { personIds: ['person-ada'] });
    await waitFor(() => expect(lastToast()).toBe('Ada is no longer in your library (deleted or merged, perhaps in another window): choose again.'));
    expect(picker('From').value).toBe('');
    expect(screen.queryByRole('radiogroup', { name: 'From: which face' })).toBeNull();
    expect(strip()).toBeNull();
    expect(button('Blend').disabled).toBe(true);

    await engine.dispatcher.call('undo', {});
    await waitFor(() => expect(within(picker('From')).queryByRole('option', { name: 'Ada' })).toBeTruthy());
    expect(picker('From').value).toBe('');
    // Picked again, Ada is a new request: the strip made before the delete does not come back with her.
    await fireEvent.change(picker('From'), { target: { value: 'person-ada' } });
    expect(strip()).toBeNull();
    expect(drawn()).toBe('');
  });

  it('clears an error about a deleted person, and it does not come back with the undo', async () => {
    const engine = studioEngine();
    renderScreen(StudioScreen, {}, engine);
    await fireEvent.click(await screen.findByRole('tab', { name: 'Restore' }));
    await fireEvent.change(picker('Face'), { target: { value: 'person-ada' } });
    engine.failing['studio.denoise'] = 'The face studio could not draw this face.';
    await fireEvent.click(button('Restore'));
    expect((await screen.findByRole('alert')).textContent).toBe('The face studio could not draw this face.');
    delete engine.failing['studio.denoise'];

    await engine.dispatcher.call('people.delete', { personIds: ['person-ada'] });
    await waitFor(() => expect(picker('Face').value).toBe(''));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(button('Restore').disabled).toBe(true);

    await engine.dispatcher.call('undo', {});
    await waitFor(() => expect(within(picker('Face')).queryByRole('option', { name: 'Ada' })).toBeTruthy());
    await fireEvent.change(picker('Face'), { target: { value: 'person-ada' } });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('unpicks a group merged away, offers it no more, and shows the group it joined with all its faces', async () => {
    // From: Cleo's group (unnamed group 2, 2 faces); To: Bob's (unnamed group 1, 3 faces).
    const engine = await blended('person-cleo', 'person-bob');
    expect(faceTiles('To')).toHaveLength(1 + 3);

    await engine.dispatcher.call('people.merge', { intoId: 'person-bob', fromIds: ['person-cleo'] });
    await waitFor(() => expect(lastToast()).toBe('Unnamed group 2 is no longer in your library (deleted or merged, perhaps in another window): choose again.'));
    expect(picker('From').value).toBe('');
    expect(within(picker('From')).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose a person…', 'Ada', 'Unnamed group 1 (5 faces)']);
    expect(strip()).toBeNull();
    expect(button('Blend').disabled).toBe(true);
    expect(picker('To').value).toBe('person-bob');
    await waitFor(() => expect(faceTiles('To')).toHaveLength(1 + 5));
  });

  it('does not mix looks from the face of a group merged away', async () => {
    const engine = studioEngine();
    renderScreen(StudioScreen, {}, engine);
    await fireEvent.click(await screen.findByRole('tab', { name: 'Mix looks' }));
    await fireEvent.change(picker('Face'), { target: { value: 'person-cleo' } });
    await fireEvent.change(picker('Add the look of'), { target: { value: 'person-ada' } });
    await fireEvent.click(button('Apply'));
    await screen.findByRole('img', { name: 'The face with the added look' });

    await engine.dispatcher.call('people.merge', { intoId: 'person-bob', fromIds: ['person-cleo'] });
    await waitFor(() => expect(picker('Face').value).toBe(''));
    expect(screen.queryByRole('img', { name: 'The face with the added look' })).toBeNull();
    expect(button('Apply').disabled).toBe(true);
  });

  it("captions a strip with the group's number as the pickers say it now", async () => {
    // To: Cleo's group, unnamed group 2 until Bob's, group 1, is deleted; her strip is hers still.
    const engine = await blended('person-ada', 'person-cleo');
    expect(drawn()).toBe('Drew 8 steps from Ada to unnamed group 2, below.');
    await engine.dispatcher.call('people.delete', { personIds: ['person-bob'] });
    await waitFor(() => expect(within(picker('To')).getByRole('option', { name: 'Unnamed group 1 (2 faces)' })).toBeTruthy());
    expect(strip()).toBeTruthy();
    expect(drawn()).toBe('Drew 8 steps from Ada to unnamed group 1, below.');
  });

  it('says a renamed person by their new name, on the strip shown and on a new one', async () => {
    const engine = await blended('person-ada', 'person-bob');
    await engine.dispatcher.call('people.rename', { personId: 'person-ada', name: 'Ada Senior' });
    await waitFor(() => expect(drawn()).toBe('Drew 8 steps from Ada Senior to unnamed group 1, below.'));
    expect(screen.getByText('Ada Senior · step 1 of 8')).toBeTruthy();
    expect(picker('From').value).toBe('person-ada');

    await fireEvent.input(screen.getByLabelText('Number of steps'), { target: { value: '4' } });
    await fireEvent.click(button('Blend'));
    await waitFor(() => expect(drawn()).toBe('Drew 4 steps from Ada Senior to unnamed group 1, below.'));
  });
});

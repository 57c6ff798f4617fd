// @vitest-environment jsdom
// Escape in "Who is this?"'s name field clears a name half typed, and the names offered for it, before anything else
// (QA: it did nothing, and a wrong name had to be deleted a key at a time); with the field empty it does what it did.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import NameInput from '../../renderer/components/NameInput.svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

const card = () => document.querySelector<HTMLElement>('.queue-ask')!;

describe('Escape in the name field of "Who is this?"', () => {
  it('clears the name typed and the names offered, then leaves the empty field and the item as they are', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(sampleAlbum()));
    expect(await screen.findByText('1 of 5')).toBeTruthy();
    const field = screen.getByRole('combobox', { name: 'Name' }) as HTMLInputElement;
    await typeInto(field, 'Ad');
    expect(within(card()).getAllByRole('option').length).toBeGreaterThan(0);
    await fireEvent.keyDown(field, { key: 'Escape' });
    await waitFor(() => expect(field.value).toBe(''));
    expect(within(card()).queryAllByRole('option')).toEqual([]);
    expect(field.getAttribute('aria-expanded')).toBe('false');
    // Nothing is left to give: Enter names nobody.
    await fireEvent.keyDown(field, { key: 'Enter' });
    expect(engine.calls('people.rename')).toEqual([]);
    // A second Escape, on the empty field, changes nothing here: the same item, the same field, still focused.
    await fireEvent.keyDown(field, { key: 'Escape' });
    expect(screen.getByText('1 of 5')).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Name' })).toBe(field);
    expect(document.activeElement).toBe(field);
  });

  it('closes the names ↓ showed with nothing typed, and then cancels, as Escape did', async () => {
    let cancelled = 0;
    renderScreen(NameInput, { names: ['Ada', 'Bob'], likely: ['Ada'], label: 'Name', clearOnEscape: true, onsubmit: () => {}, oncancel: () => cancelled++ });
    const field = screen.getByRole('combobox', { name: 'Name' });
    await fireEvent.keyDown(field, { key: 'ArrowDown' });
    expect(screen.getAllByRole('option').map((o) => o.textContent!.trim())).toEqual(['Ada']);
    await fireEvent.keyDown(field, { key: 'Escape' });
    expect(screen.queryAllByRole('option')).toEqual([]);
    expect(cancelled).toBe(0);
    await fireEvent.keyDown(field, { key: 'Escape' });
    expect(cancelled).toBe(1);
  });

  it('leaves the text alone in a field that does not ask for it (a rename: Escape closes the list, then cancels)', async () => {
    let cancelled = 0;
    renderScreen(NameInput, { names: ['Ada'], label: 'Name', onsubmit: () => {}, oncancel: () => cancelled++ });
    const field = screen.getByRole('combobox', { name: 'Name' }) as HTMLInputElement;
    await typeInto(field, 'Ad');
    await fireEvent.keyDown(field, { key: 'Escape' });
    expect(field.value).toBe('Ad');
    expect(cancelled).toBe(0);
    await fireEvent.keyDown(field, { key: 'Escape' });
    expect(cancelled).toBe(1);
  });
});

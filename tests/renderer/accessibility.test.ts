// @vitest-environment jsdom
// What the accessibility audit fixed and a test can hold: one Tab stop per radio group, tab list and queue strip,
// the arrows between their items, names without the shortcut keys drawn in them, the focus given back when a field
// closes, live regions that say only what changed, and toasts that stay while pointed at or focused.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import PeopleScreen from '../../renderer/screens/PeopleScreen.svelte';
import PersonScreen from '../../renderer/screens/PersonScreen.svelte';
import WhichScreen from '../../renderer/screens/WhichScreen.svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import SourcePicker from '../../renderer/components/SourcePicker.svelte';
import Toasts from '../../renderer/components/Toasts.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import type { PersonSummary } from '../../renderer/lib/types.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

/** The items of a group that Tab reaches: tabindex 0, or no tabindex on a control that takes focus by itself. */
const tabStops = (items: HTMLElement[]) => items.filter((item) => item.tabIndex >= 0);

function lookalikes() {
  const album = sampleAlbum();
  album.people.find((p) => p.id === 'person-bob')!.name = 'Bob';
  album.lookalikes = { bob: 'ada' };
  return new FakeEngine(album);
}

describe('radio groups and tab lists are one Tab stop, walked with the arrows', () => {
  it('moves through the People filters with the arrows, choosing as it goes', async () => {
    renderScreen(PeopleScreen, {});
    await screen.findByRole('option', { name: 'Ada, 5 faces' });
    const group = screen.getByRole('radiogroup', { name: 'Show' });
    const radios = () => within(group).getAllByRole('radio');
    expect(tabStops(radios()).map((r) => r.textContent)).toEqual(['All']);
    radios()[0].focus();
    await fireEvent.keyDown(radios()[0], { key: 'ArrowRight' });
    const named = within(group).getByRole('radio', { name: 'Named' });
    expect(document.activeElement).toBe(named);
    expect(named.getAttribute('aria-checked')).toBe('true');
    expect(tabStops(radios())).toEqual([named]);
    await waitFor(() => expect(within(screen.getByRole('listbox', { name: 'People' })).getAllByRole('option')).toHaveLength(1));
    // Home and End go to the ends, and ← from the first wraps to the last.
    await fireEvent.keyDown(named, { key: 'Home' });
    expect(document.activeElement?.textContent).toBe('All');
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    expect(document.activeElement?.textContent).toBe(radios().at(-1)!.textContent);
  });

  it('switches the person page\'s tabs with the arrows, each tab naming the panel it shows', async () => {
    renderScreen(PersonScreen, { personId: 'person-ada' });
    const faces = await screen.findByRole('tab', { name: 'Faces' });
    const suggestions = screen.getByRole('tab', { name: /Suggestions/ });
    expect(tabStops([faces, suggestions])).toEqual([faces]);
    expect(screen.getByRole('tabpanel', { name: 'Faces' }).id).toBe(faces.getAttribute('aria-controls'));
    faces.focus();
    await fireEvent.keyDown(faces, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(suggestions);
    expect(suggestions.getAttribute('aria-selected')).toBe('true');
    expect(tabStops([faces, suggestions])).toEqual([suggestions]);
    expect(await screen.findByRole('tabpanel', { name: /Suggestions/ })).toBeTruthy();
  });

  it('picks a face in a studio picker with the arrows instead of a Tab stop per face', async () => {
    const ada: PersonSummary = { id: 'person-ada', name: 'Ada', faceCount: 5, photoCount: 5, coverFaceId: null, cover: null, hidden: false, toCheck: 0, confirmedCount: 0, mayBeTwoPeople: false };
    const picked: Array<string | null> = [];
    const onchange = (next: { faceId: string | null } | null) => picked.push(next?.faceId ?? null);
    const { rerender } = renderScreen(SourcePicker, { label: 'From', people: [ada], value: { person: ada, faceId: null }, onchange });
    const group = screen.getByRole('radiogroup', { name: 'From: which face' });
    await waitFor(() => expect(within(group).getAllByRole('radio').length).toBeGreaterThan(2));
    const radios = within(group).getAllByRole('radio');
    expect(tabStops(radios)).toEqual([radios[0]]);
    radios[0].focus();
    await fireEvent.keyDown(radios[0], { key: 'ArrowRight' });
    expect(document.activeElement).toBe(radios[1]);
    expect(picked).toHaveLength(1);
    expect(picked[0]).toMatch(/^face/);
    await rerender({ label: 'From', people: [ada], value: { person: ada, faceId: picked[0] }, onchange });
    // The same faces stay (the focus with them), the one picked now the Tab stop.
    expect(tabStops(within(group).getAllByRole('radio'))).toEqual([radios[1]]);
    expect(document.activeElement).toBe(radios[1]);
  });
});

describe('names that match what is shown', () => {
  it('holds no controls inside a person\'s card: its keys name and select, its label says it all', async () => {
    renderScreen(PeopleScreen, {});
    const card = await screen.findByRole('option', { name: 'Unnamed group: add a name, 3 faces' });
    expect(card.querySelectorAll('button, input, a[href], [tabindex]')).toHaveLength(0);
    expect(within(card).queryAllByRole('button')).toHaveLength(0);
    // F2 still names it, and Escape gives the focus back to the card.
    card.focus();
    await fireEvent.keyDown(card, { key: 'F2' });
    const field = within(card).getByRole('combobox', { name: 'Name for this person' });
    await fireEvent.keyDown(field, { key: 'Escape' });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('Unnamed group: add a name, 3 faces'));
  });

  it('names the Which one? answers by person, with their key as a shortcut rather than in the name', async () => {
    renderScreen(WhichScreen, {}, lookalikes());
    // Named by what it shows (the person, not the key drawn beside them), described as their picture (no distance).
    const first = await screen.findByRole('button', { name: 'Bob', description: 'It’s Bob (their picture)' });
    expect(first.getAttribute('aria-keyshortcuts')).toBe('1');
    expect(screen.getByRole('button', { name: 'Neither of them' }).getAttribute('aria-keyshortcuts')).toBe('N');
  });

  it('names the suggestion answers Yes and No, with Y and N as their shortcuts', async () => {
    renderScreen(PersonScreen, { personId: 'person-ada', initialTab: 'suggestions' });
    expect((await screen.findByRole('button', { name: 'Yes' })).getAttribute('aria-keyshortcuts')).toBe('Y');
    expect(screen.getByRole('button', { name: 'No' }).getAttribute('aria-keyshortcuts')).toBe('N');
  });
});

describe('focus given back', () => {
  it('puts the focus back on the person\'s name when its field closes without a change', async () => {
    renderScreen(PersonScreen, { personId: 'person-ada' });
    const name = await screen.findByRole('button', { name: 'Ada' });
    await fireEvent.click(name);
    let field = screen.getByRole('combobox', { name: 'Name for this person' });
    await fireEvent.keyDown(field, { key: 'Escape' });
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Ada'));
    // The same name again is no change either.
    await fireEvent.click(screen.getByRole('button', { name: 'Ada' }));
    field = screen.getByRole('combobox', { name: 'Name for this person' });
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Ada'));
  });
});

describe('queues: one Tab stop on the strip, and a status that says where the queue is', () => {
  it('says which question comes, and walks the strip with the arrows from its one Tab stop', async () => {
    renderScreen(WhichScreen, {}, lookalikes());
    await screen.findByText('1 of 4');
    const strip = screen.getByRole('list', { name: 'Questions' });
    const items = () => within(strip).getAllByRole('button');
    expect(tabStops(items())).toEqual([items()[0]]);
    // Only the question is live, not the whole card with its buttons.
    expect(screen.getByRole('complementary').getAttribute('aria-live')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Question 1 of 4: is this Bob or Ada?');
    items()[0].focus();
    await fireEvent.keyDown(items()[0], { key: 'ArrowRight' });
    await waitFor(() => expect(document.activeElement).toBe(items()[1]));
    expect(tabStops(items())).toEqual([items()[1]]);
    expect(screen.getByRole('status').textContent).toMatch(/^Question 2 of 4: /);
  });

  it('says what Who is this? asks about next, the field that takes the focus saying only "Name"', async () => {
    renderScreen(WhoScreen, {});
    await screen.findByText('1 of 5');
    const status = screen.getAllByRole('status').find((s) => s.classList.contains('sr-only'))!;
    expect(status.textContent).toBe('1 of 5: an unnamed group of 3 faces');
    const strip = screen.getByRole('list', { name: 'Queue' });
    expect(tabStops(within(strip).getAllByRole('button'))).toHaveLength(1);
    await fireEvent.click(screen.getByRole('button', { name: 'Skip' }));
    await waitFor(() => expect(status.textContent).toMatch(/^2 of 5: /));
  });

  it('keeps the focus in the Who is this? strip while the arrows walk it (the name field does not take it)', async () => {
    renderScreen(WhoScreen, {});
    await screen.findByText('1 of 5');
    const strip = screen.getByRole('list', { name: 'Queue' });
    const items = () => within(strip).getAllByRole('button');
    items()[0].focus();
    await fireEvent.keyDown(items()[0], { key: 'ArrowRight' });
    await screen.findByText('2 of 5');
    await waitFor(() => expect(document.activeElement).toBe(items()[1]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(strip.contains(document.activeElement)).toBe(true);
  });

  it('heads a group that looks like two people with level-2 headings under the screen\'s title', async () => {
    const album = sampleAlbum();
    // Ada's faces grouped with Bob's, as the clustering groups siblings, in a group nobody named.
    for (const f of album.faces) if (f.identity === 'ada' && f.personId === 'person-ada') f.personId = 'person-bob';
    renderScreen(WhoScreen, {}, new FakeEngine(album));
    const parts = await screen.findByRole('group', { name: 'The two parts of this group' });
    expect(within(parts).getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([expect.stringMatching(/^Like the cover/), expect.stringMatching(/^The others/)]);
  });
});

describe('toasts', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('are read out from two live regions there from the start (an error at once), holding their words and no buttons; the toasts are in none', async () => {
    renderScreen(Toasts, {});
    const live = () => document.querySelectorAll('[aria-live], [role="status"], [role="alert"], [role="log"]');
    expect(live()).toHaveLength(2);
    const alert = document.querySelector<HTMLElement>('[aria-live="assertive"]')!;
    const region = screen.getByRole('status');
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.textContent!.trim()).toBe('');
    const undo = { label: 'Undo', run: () => {} };
    toasts.show('Named "Ada".', 'info', undo);
    await waitFor(() => expect(region.textContent!.trim()).toBe('Named "Ada".'));
    const toast = (await screen.findByRole('button', { name: 'Undo' })).closest('.toast')!;
    expect(toast.closest('[aria-live], [role="status"], [role="alert"]')).toBeNull();
    expect(within(region).queryAllByRole('button', { hidden: true })).toEqual([]);
    // A toast counting on says its new count; an error, and the same words again, are read in turn.
    const id = toasts.show('Marked 1 face as not "Leonard".', 'info', undo);
    toasts.update(id, 'Marked 2 faces as not "Leonard".', undo);
    await waitFor(() => expect(region.textContent!.trim()).toBe('Marked 2 faces as not "Leonard".'));
    toasts.show('Could not read 2 files.', 'error');
    await waitFor(() => expect(alert.textContent!.trim()).toBe('Could not read 2 files.'));
    expect(region.textContent!.trim()).toBe('');
    expect(within(alert).queryAllByRole('button', { hidden: true })).toEqual([]);
    const said = alert.firstElementChild;
    toasts.show('Could not read 2 files.', 'error');
    await waitFor(() => expect(alert.firstElementChild).not.toBe(said));
    expect(alert.textContent!.trim()).toBe('Could not read 2 files.');
    // The same regions throughout, never made again: a region added with its words is not read by every screen reader.
    expect(live()).toHaveLength(2);
    expect(screen.getByRole('status')).toBe(region);
    expect(document.querySelector('[aria-live="assertive"]')).toBe(alert);
  });

  it('stay while the focus is on their Undo or the pointer over them, and go in their time after', async () => {
    vi.useFakeTimers();
    renderScreen(Toasts, {});
    toasts.show('Named "Ada".', 'info', { label: 'Undo', run: () => {} });
    const undo = await vi.waitFor(() => screen.getByRole('button', { name: 'Undo' }));
    const toast = undo.closest('.toast') as HTMLElement;
    await fireEvent.focusIn(undo);
    vi.advanceTimersByTime(20_000);
    expect(toasts.items).toHaveLength(1);
    await fireEvent.focusOut(undo, { relatedTarget: document.body });
    await fireEvent.mouseEnter(toast);
    vi.advanceTimersByTime(20_000);
    expect(toasts.items).toHaveLength(1);
    await fireEvent.mouseLeave(toast);
    vi.advanceTimersByTime(5_000);
    expect(toasts.items).toHaveLength(1);
    vi.advanceTimersByTime(1_001);
    expect(toasts.items).toHaveLength(0);
  });
});

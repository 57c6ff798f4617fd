// @vitest-environment jsdom
// What a QA walkthrough found in People and "Who is this?": a first name typed made a second person beside the one who
// has it, the Unnamed filter said every face had a name while 88 waited, hidden people were counted nowhere, a group
// kept its count after a face was left out, and "Find a person" missed another word order or a German name's spelling.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import PeopleScreen from '../../renderer/screens/PeopleScreen.svelte';
import PersonScreen from '../../renderer/screens/PersonScreen.svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

const cardNames = () => screen.getAllByRole('option').flatMap((o) => o.getAttribute('aria-label') ?? []);

describe('Who is this?', () => {
  it('names a group after the one person whose first name was typed, not a new namesake', async () => {
    const album = sampleAlbum();
    album.people.find((p) => p.id === 'person-ada')!.name = 'Barack Obama';
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album));
    expect(await screen.findByText('1 of 5')).toBeTruthy();
    // Past Bob's group (it shares a photo with Barack Obama's, which asks first) to Cleo's.
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(await screen.findByText('2 of 5')).toBeTruthy();
    const field = screen.getByRole('combobox', { name: 'Name' });
    await typeInto(field, 'Barack');
    expect(screen.getByRole('option', { name: 'Barack Obama' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('option', { name: 'New person “Barack”' }).getAttribute('aria-selected')).toBe('false');
    await fireEvent.keyDown(field, { key: 'Enter' });
    // Cleo's faces do not look like the person who has the name, so it asks first (who-screen-same-name.test.ts).
    await fireEvent.click(await screen.findByRole('button', { name: 'Yes, same person' }));
    await waitFor(() => expect(engine.calls('people.rename')).toEqual([{ personId: 'person-cleo', name: 'Barack Obama', sameAsNamesake: true }]));
  });

  it('counts the group less the faces left out, as the name takes it', async () => {
    const { engine } = renderScreen(WhoScreen, {});
    expect(await screen.findByText('A group of 3 faces in 3 photos')).toBeTruthy();
    await waitFor(() => expect(engine.calls('faces.ofPerson').length).toBeGreaterThan(0));
    await fireEvent.click(await screen.findByRole('button', { name: /^Face 2: someone else\?/ }));
    expect(await screen.findByText('A group of 2 faces in 2 photos, 1 left out')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: /^Face 2: left out/ }));
    expect(await screen.findByText('A group of 3 faces in 3 photos')).toBeTruthy();
  });

  it('keeps each key with its word in the keys line, so it wraps between them', async () => {
    renderScreen(WhoScreen, {});
    await screen.findByText('1 of 5');
    const hints = [...document.querySelectorAll('.queue-keys .key-hint')].map((h) => h.textContent!.replace(/\s+/g, ' ').trim());
    expect(hints).toEqual(['Enter name', '→ skip', '← back', 'Del hide']);
  });
});

describe('People', () => {
  it('says faces still wait in "Who is this?" when every group has a name, with the way there', async () => {
    const album = sampleAlbum();
    album.people.find((p) => p.id === 'person-bob')!.name = 'Bob';
    album.people.find((p) => p.id === 'person-cleo')!.name = 'Cleo';
    renderScreen(PeopleScreen, {}, new FakeEngine(album));
    await screen.findByRole('option', { name: 'Bob, 3 faces' });
    await fireEvent.click(screen.getByRole('radio', { name: 'Unnamed' }));
    expect(await screen.findByText(/3 faces in no group still wait for a name in “Who is this\?”/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Who is this?' }).getAttribute('href')).toBe('#/who');
    expect(screen.queryByText(/Nice work/)).toBeNull();
  });

  it('counts the hidden people beside the others, and shows them with Show hidden', async () => {
    const album = sampleAlbum();
    album.people.find((p) => p.id === 'person-bob')!.name = 'Bob';
    album.people.find((p) => p.id === 'person-bob')!.hidden = true;
    renderScreen(PeopleScreen, {}, new FakeEngine(album));
    expect(await screen.findByText('1 named person · 1 unnamed group · 1 hidden')).toBeTruthy();
    expect(cardNames()).not.toContain('Bob, 3 faces, hidden');
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Show hidden' }));
    await waitFor(() => expect(cardNames()).toContain('Bob, 3 faces, hidden'));
    expect(screen.getByText('1 named person · 1 unnamed group · 1 hidden')).toBeTruthy();
  });

  it.each([
    ['gul abdullah', 'Abdullah Gül'],
    ['schroder', 'Gerhard Schroeder'],
    ['schröder', 'Gerhard Schroeder'],
    ['zoe', 'Zoë'],
  ])('finds a person by "%s": every word the start of one of theirs, in any order, accents and umlauts aside (%s)', async (typed, name) => {
    const album = sampleAlbum();
    album.people.find((p) => p.id === 'person-ada')!.name = name;
    album.people.find((p) => p.id === 'person-bob')!.name = 'Pierce Brosnan';
    renderScreen(PeopleScreen, {}, new FakeEngine(album));
    await screen.findByRole('option', { name: `${name}, 5 faces` });
    await fireEvent.input(screen.getByRole('searchbox', { name: 'Find a person' }), { target: { value: typed } });
    await waitFor(() => expect(cardNames()).toEqual([`${name}, 5 faces`]));
  });

  it('does not find a name by letters inside a word: "nan" is not Pierce Brosnan', async () => {
    const album = sampleAlbum();
    album.people.find((p) => p.id === 'person-bob')!.name = 'Pierce Brosnan';
    renderScreen(PeopleScreen, {}, new FakeEngine(album));
    await screen.findByRole('option', { name: 'Pierce Brosnan, 3 faces' });
    await fireEvent.input(screen.getByRole('searchbox', { name: 'Find a person' }), { target: { value: 'nan' } });
    expect(await screen.findByText('Nobody called “nan”')).toBeTruthy();
  });
});

describe('naming a group the user said is not someone', () => {
  // Cleo's two faces were said not to be Ada: every name field for the group shows Ada ruled out, as "Who is this?" does.
  const saidNotAda = () => {
    const album = sampleAlbum();
    for (const f of album.faces) if (f.personId === 'person-cleo') f.rejected.push('person-ada');
    return new FakeEngine(album);
  };

  it('on its People card', async () => {
    const { engine } = renderScreen(PeopleScreen, {}, saidNotAda());
    const group = await screen.findByRole('option', { name: 'Unnamed group: add a name, 2 faces' });
    await fireEvent.click(within(group).getByText('Add a name'));
    const field = within(group).getByRole('combobox', { name: 'Name for this person' });
    await typeInto(field, 'Ada');
    expect(within(group).getByRole('option', { name: /^Ada/ }).textContent).toContain('you said not');
    await fireEvent.keyDown(field, { key: 'Enter' });
    expect(engine.calls('people.rename')).toEqual([]);
  });

  it('on its own page', async () => {
    const { engine } = renderScreen(PersonScreen, { personId: 'person-cleo' }, saidNotAda());
    await fireEvent.click(await screen.findByRole('button', { name: 'Add a name' }));
    const field = screen.getByRole('combobox', { name: 'Name for this person' });
    await typeInto(field, 'Ada');
    expect(screen.getByRole('option', { name: /^Ada/ }).textContent).toContain('you said not');
    await fireEvent.keyDown(field, { key: 'Enter' });
    expect(engine.calls('people.rename')).toEqual([]);
  });
});

// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

describe('Who is this? screen', () => {
  it('walks the unnamed groups then the loose faces, naming each with Enter', async () => {
    const { engine } = renderScreen(WhoScreen, {});
    expect(await screen.findByText('1 of 5')).toBeTruthy();
    expect(screen.getByText('A group of 3 faces in 3 photos')).toBeTruthy();
    let field = screen.getByRole('combobox', { name: 'Name' });
    await typeInto(field, 'Bob');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('people.rename')).toEqual([{ personId: 'person-bob', name: 'Bob' }]));
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    // Skip the Cleo group with →, then name a loose face: it enrols a new person.
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(await screen.findByText('2 of 4')).toBeTruthy();
    field = screen.getByRole('combobox', { name: 'Name' });
    await typeInto(field, 'Ada');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('faces.name')).toEqual([{ faceIds: ['face9-0'], name: 'Ada' }]));
  });

  it('celebrates when everyone has a name', async () => {
    const album = sampleAlbum();
    album.faces = album.faces.filter((f) => f.personId === 'person-ada');
    album.people = album.people.filter((p) => p.id === 'person-ada');
    renderScreen(WhoScreen, {}, new FakeEngine(album));
    expect(await screen.findByText('Everyone has a name')).toBeTruthy();
  });
});

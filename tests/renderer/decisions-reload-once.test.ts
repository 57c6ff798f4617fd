// @vitest-environment jsdom
// One reload after a decision, not two. The engine says library.changed before it answers a decision, and the screens
// reloaded on it and again after the answer: each decision read the screen's list twice (and the sidebar's counts).
// Now what it says meanwhile waits for the answer (LiveState.decisionSent), and the screen reloads once, on the
// change counter, still showing what the decision did.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import PersonScreen from '../../renderer/screens/PersonScreen.svelte';
import WhichScreen from '../../renderer/screens/WhichScreen.svelte';
import PhotoViewer from '../../renderer/components/PhotoViewer.svelte';
import TrainingScreen from '../../renderer/screens/TrainingScreen.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import type { CallName } from '../../preload/contract.js';
import { FakeEngine, sampleAlbum, trainableAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

/** Lets every answer and reload under way come in: the fake engine answers at once, so a few turns suffice. */
async function settled(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((done) => setTimeout(done, 0));
}

/** How many times the screen has read `name` (with arguments `matching`, when given). */
function reads(engine: FakeEngine, name: CallName, matching: (args: Record<string, unknown>) => boolean = () => true): number {
  return engine.calls(name).filter((args) => matching((args ?? {}) as Record<string, unknown>)).length;
}

describe('A decision reloads the screen once', () => {
  it('on Who is this?: a group named reads the queue once more, and the queue moves on', async () => {
    const { engine } = renderScreen(WhoScreen, {});
    expect(await screen.findByText('1 of 5')).toBeTruthy();
    await settled();
    const queueReads = () => reads(engine, 'unknown.queue', (args) => args.offset === 0);
    const before = queueReads();

    const field = screen.getByRole('combobox', { name: 'Name' });
    await typeInto(field, 'Bob');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('people.rename')).toEqual([{ personId: 'person-bob', name: 'Bob' }]));
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    await settled();

    expect(queueReads()).toBe(before + 1);
    expect(screen.getByText('1 of 4')).toBeTruthy();
    expect(toasts.items.at(-1)?.action?.label).toBe('Undo');
  });

  it('on a person\'s page: "Not Ada" reads the person once more, and the face leaves the page', async () => {
    const { engine } = renderScreen(PersonScreen, { personId: 'person-ada' });
    const grid = await screen.findByRole('listbox', { name: 'Faces of Ada' });
    await settled();
    const personReads = () => reads(engine, 'people.get');
    const before = personReads();

    // face4-0 is Bob's face wrongly grouped with Ada.
    await fireEvent.click(within(grid).getAllByRole('option')[4]);
    await fireEvent.click(screen.getByRole('button', { name: /Not Ada/ }));
    await waitFor(() => expect(engine.calls('faces.reject')).toEqual([{ faceIds: ['face4-0'], personId: 'person-ada' }]));
    await waitFor(() => expect(within(screen.getByRole('listbox', { name: 'Faces of Ada' })).getAllByRole('option')).toHaveLength(4));
    await settled();

    expect(personReads()).toBe(before + 1);
    expect(within(screen.getByRole('listbox', { name: 'Faces of Ada' })).getAllByRole('option')).toHaveLength(4);
  });

  it('on Which one?: an answer reads the questions once more, and the next question shows', async () => {
    const album = sampleAlbum();
    album.people.find((p) => p.id === 'person-bob')!.name = 'Bob';
    album.lookalikes = { bob: 'ada' };
    const engine = new FakeEngine(album);
    renderScreen(WhichScreen, {}, engine);
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    await settled();
    const questionReads = () => reads(engine, 'faces.ambiguous');
    const before = questionReads();

    // A click: a key at once after the question appeared would be taken for the question before (WhichScreen).
    await fireEvent.click(screen.getByRole('button', { name: 'Bob' }));
    await waitFor(() => expect(engine.calls('faces.confirm')).toHaveLength(1));
    expect(await screen.findByText('1 of 3')).toBeTruthy();
    await settled();

    expect(questionReads()).toBe(before + 1);
    expect(screen.getByText('1 of 3')).toBeTruthy();
  });

  it('in the photo viewer: "Not Ada" reads the photo once more, and the face shows without her name', async () => {
    const engine = new FakeEngine(sampleAlbum());
    renderScreen(PhotoViewer, { photoId: 'photo4', people: [], onclose: () => {}, onstep: () => {} }, engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Ada' }));
    await settled();
    const photoReads = () => reads(engine, 'photos.get', (args) => args.photoId === 'photo4');
    const before = photoReads();

    await fireEvent.click(screen.getByRole('button', { name: 'Not Ada' }));
    await waitFor(() => expect(engine.face('face4-0').rejected).toEqual(['person-ada']));
    expect(await screen.findByRole('button', { name: 'Unnamed face — name it' })).toBeTruthy();
    await settled();

    expect(photoReads()).toBe(before + 1);
    expect(screen.queryByRole('button', { name: 'Ada' })).toBeNull();
  });

  it('on Training: a switch of recognition version reads the versions and people once more', async () => {
    const engine = new FakeEngine(trainableAlbum());
    engine.models.embedder.push({ version: 'v1', createdAt: '2026-01-01T00:00:00Z', faces: 12, people: 2, metrics: { identificationAccuracy: 0.9 }, inUse: false });
    renderScreen(TrainingScreen, {}, engine);
    const card = await screen.findByRole('article', { name: 'Recognition' });
    await settled();
    const [modelReads, peopleReads] = [() => reads(engine, 'models.list'), () => reads(engine, 'people.list')];
    const before = [modelReads(), peopleReads()];

    await fireEvent.click(within(card).getByRole('button', { name: 'Use Recognition v1' }));
    await fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Use v1' }));
    await waitFor(() => expect(card.querySelector('.in-use')!.textContent).toBe('Recognition v1'));
    await settled();

    expect([modelReads(), peopleReads()]).toEqual([before[0] + 1, before[1] + 1]);
  });
});

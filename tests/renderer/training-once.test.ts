// @vitest-environment jsdom
// An outcome shows once (QA: "Training was cancelled" and its charts stayed on screen minutes later, through a rollback
// and a re-use; an empty library's failure survived a reload), Train is off with the reason when a run could only
// fail, and the Studio says things in plain words.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import TrainingScreen from '../../renderer/screens/TrainingScreen.svelte';
import StudioScreen from '../../renderer/screens/StudioScreen.svelte';
import { timeLeft } from '../../renderer/lib/format.js';
import { FakeEngine, sampleAlbum, trainableAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

const CANCELLED = 'Training was cancelled; recognition did not change.';

async function cancelledRun(engine: FakeEngine) {
  engine.stepMs = 30;
  const first = renderScreen(TrainingScreen, {}, engine);
  const card = await screen.findByRole('article', { name: 'Recognition' });
  await fireEvent.click(within(card).getByRole('button', { name: 'Train Recognition' }));
  // A pass or two charted first: the charts are part of the outcome.
  await within(card).findByRole('img', { name: /^How far off it still is/ }, { timeout: 5_000 });
  await waitFor(() => expect(within(card).getByRole('img', { name: /^How far off it still is/ }).querySelector('path.line')).toBeTruthy(), { timeout: 5_000 });
  await fireEvent.click(within(card).getByRole('button', { name: 'Cancel' }));
  expect(await within(card).findByText(CANCELLED, {}, { timeout: 5_000 })).toBeTruthy();
  return { ...first, card };
}

describe('A training outcome', () => {
  it('is dismissed with its charts, and does not come back', async () => {
    const { card } = await cancelledRun(new FakeEngine(trainableAlbum()));
    expect(within(card).queryAllByRole('img').length).toBeGreaterThan(0);
    await fireEvent.click(within(card).getByRole('button', { name: 'Dismiss the last recognition training' }));
    expect(within(card).queryByText(CANCELLED)).toBeNull();
    expect(within(card).queryAllByRole('img')).toHaveLength(0);
  });

  it('gives way to the version in use after a switch of version', async () => {
    const engine = new FakeEngine(trainableAlbum());
    engine.models.embedder.push({ version: 'v1', createdAt: '2026-01-01T00:00:00Z', faces: 12, people: 2, metrics: { identificationAccuracy: 0.9 }, inUse: true });
    engine.models.embedderInUse = 'v1';
    const { card } = await cancelledRun(engine);
    await fireEvent.click(within(card).getByRole('button', { name: 'Roll back' }));
    await fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Roll back' }));
    await waitFor(() => expect(within(card).queryByText(CANCELLED)).toBeNull());
    expect(within(card).queryAllByRole('img')).toHaveLength(0);
    expect(card.querySelector('.in-use')!.textContent).toBe('As shipped');
    await fireEvent.click(within(card).getByRole('button', { name: 'Use Recognition v1' }));
    await fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Use v1' }));
    await waitFor(() => expect(card.querySelector('.in-use')!.textContent).toBe('Recognition v1'));
    expect(within(card).queryByText(CANCELLED)).toBeNull();
  });

  it('is not shown again after a reload', async () => {
    const engine = new FakeEngine(trainableAlbum());
    const { unmount, disconnect } = await cancelledRun(engine);
    disconnect();
    unmount();
    renderScreen(TrainingScreen, {}, engine);
    const card = await screen.findByRole('article', { name: 'Recognition' });
    await waitFor(() => expect(within(card).getByRole('button', { name: 'Train Recognition' })).toBeTruthy());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(within(card).queryByText(CANCELLED)).toBeNull();
    expect(within(card).queryByRole('button', { name: /^Dismiss/ })).toBeNull();
  });
});

describe('Train', () => {
  it('is off when training cannot start, with what is needed and what there is beside it', async () => {
    // The sample album: no confirmed face, 13 faces.
    renderScreen(TrainingScreen, {});
    const recognition = await screen.findByRole('article', { name: 'Recognition' });
    const train = within(recognition).getByRole('button', { name: 'Train Recognition' }) as HTMLButtonElement;
    await waitFor(() => expect(train.disabled).toBe(true));
    expect(document.getElementById(train.getAttribute('aria-describedby')!)!.textContent).toBe('Needs two confirmed faces each of at least two named people: none confirmed yet.');
    const studio = screen.getByRole('article', { name: 'Face studio' });
    const trainStudio = within(studio).getByRole('button', { name: 'Train Face studio' }) as HTMLButtonElement;
    expect(trainStudio.disabled).toBe(true);
    expect(document.getElementById(trainStudio.getAttribute('aria-describedby')!)!.textContent).toBe('Needs at least 16 faces to learn from: the library has 13 faces. Import more photos first.');
  });

  it('counts the confirmed faces in plain words, one person or several', async () => {
    const album = sampleAlbum();
    album.faces.find((f) => f.personId === 'person-ada' && f.identity === 'ada')!.assignedBy = 'user';
    renderScreen(TrainingScreen, {}, new FakeEngine(album));
    const recognition = await screen.findByRole('article', { name: 'Recognition' });
    expect(await within(recognition).findByText('Needs two confirmed faces each of at least two named people: so far 1 confirmed face of 1 person, nobody with two or more.')).toBeTruthy();
  });

  it('is on once there is enough to learn from', async () => {
    renderScreen(TrainingScreen, {}, new FakeEngine(trainableAlbum()));
    const recognition = await screen.findByRole('article', { name: 'Recognition' });
    await waitFor(() => expect((within(recognition).getByRole('button', { name: 'Train Recognition' }) as HTMLButtonElement).disabled).toBe(false));
    expect((screen.getByRole('button', { name: 'Train Face studio' }) as HTMLButtonElement).disabled).toBe(false);
    expect(document.querySelector('.unready')).toBeNull();
  });
});

describe('Time left', () => {
  it('reads in stable units, and says when it is not known yet', () => {
    expect(timeLeft(null)).toBe('Working out how long…');
    expect(timeLeft(20)).toBe('Less than a minute left');
    expect(timeLeft(363)).toBe('About 6 min left');
    expect(timeLeft(403)).toBe('About 7 min left');
    expect(timeLeft(23 * 60)).toBe('About 25 min left');
    expect(timeLeft(58 * 60)).toBe('About 1 h left');
    expect(timeLeft(83 * 60)).toBe('About 1 h 20 min left');
  });
});

describe('Studio words', () => {
  it('names the face studio version, the first tile one name in every picker, and each step without jargon', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.models.autoencoder.push({ version: 'v1', createdAt: '2026-01-01T00:00:00Z', faces: 1829, epochs: 12, people: 3, metrics: {}, inUse: true });
    engine.models.autoencoderInUse = 'v1';
    renderScreen(StudioScreen, {}, engine);
    expect(await screen.findByText('Face studio v1')).toBeTruthy();
    await fireEvent.change(await screen.findByLabelText('From: person'), { target: { value: 'person-ada' } });
    await fireEvent.change(screen.getByLabelText('To: person'), { target: { value: 'person-bob' } });
    const tiles = () => [...document.querySelectorAll('.choice.average span')].map((s) => s.textContent);
    expect(tiles()).toEqual(['Usual look', 'Usual look']);
    await fireEvent.click(screen.getByRole('button', { name: 'Blend' }));
    const strip = await screen.findByRole('list', { name: 'Blend, step by step' });
    await fireEvent.click(within(strip).getByRole('button', { name: /Step 4/ }));
    const caption = document.querySelector('.caption')!.textContent!;
    expect(caption).toMatch(/^\d+% of the way to an unnamed group.* · step 4 of 8$|^\d+% of the way to .+ · step 4 of 8$/);
    expect(caption).not.toMatch(/t =|spherical|linear/);
    await fireEvent.click(screen.getByRole('tab', { name: 'Mix looks' }));
    await fireEvent.change(screen.getByLabelText('Add the look of: person'), { target: { value: 'person-bob' } });
    expect(tiles()).toEqual(['Usual look', 'Usual look']);
    expect(document.body.textContent).not.toMatch(/autoencoder|Average|Cover\b/i);
  });
});

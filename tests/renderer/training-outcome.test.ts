// @vitest-environment jsdom
// A new action on a model replaces the outcome of its last training run (QA: "Training was cancelled" stayed on
// screen after Roll back).
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import TrainingScreen from '../../renderer/screens/TrainingScreen.svelte';
import { FakeEngine, sampleAlbum, trainableAlbum as studioTrainableAlbum, type FakeState } from './fake-engine.js';
import { renderScreen } from './render.js';

/** The sample album with what training needs (Train is off otherwise): two named people with confirmed faces. */
function trainableAlbum(): FakeState {
  const album = sampleAlbum();
  album.people.find((p) => p.id === 'person-bob')!.name = 'Bob';
  for (const face of album.faces) if ((face.personId === 'person-ada' && face.identity === 'ada') || face.personId === 'person-bob') face.assignedBy = 'user';
  return album;
}

const CANCELLED = 'Training was cancelled; recognition did not change.';
/** Icon.svelte's check: a version kept is the never-worse rule at work, not a warning. */
const CHECK_ICON = 'M4 12.5 9 17.5 20 6.5';

/** The verdict a finished training run leaves on its model's card. */
const verdictOf = (card: HTMLElement) =>
  waitFor(() => {
    const found = card.querySelector('.verdict');
    if (!found) throw new Error('no verdict yet');
    return found as HTMLElement;
  }, { timeout: 15_000 });

describe('Training screen: the last run\'s outcome', () => {
  it('drops a cancelled run\'s message once the user rolls back or uses another version, and a new training replaces it', async () => {
    const engine = new FakeEngine(trainableAlbum());
    const trained = { createdAt: '2026-01-01T00:00:00Z', faces: 12, people: 3, metrics: { identificationAccuracy: 0.94 } };
    engine.models.embedder.push({ ...trained, version: 'v1', inUse: false }, { ...trained, version: 'v2', inUse: true });
    engine.models.embedderInUse = 'v2';
    engine.stepMs = 200;
    renderScreen(TrainingScreen, {}, engine);
    const card = await screen.findByRole('article', { name: 'Recognition' });

    const trainAndCancel = async () => {
      await fireEvent.click(within(card).getByRole('button', { name: 'Train Recognition' }));
      await fireEvent.click(await within(card).findByRole('button', { name: 'Cancel' }));
      expect(await within(card).findByText(CANCELLED, {}, { timeout: 15_000 })).toBeTruthy();
    };

    // Roll back: the cancelled run's line goes.
    await trainAndCancel();
    await fireEvent.click(within(card).getByRole('button', { name: 'Roll back' }));
    await fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Roll back' }));
    await waitFor(() => expect(engine.calls('models.use')).toEqual([{ kind: 'embedder', version: 'raw' }]));
    await waitFor(() => expect(within(card).queryByText(CANCELLED)).toBeNull());
    await waitFor(() => expect(card.querySelector('.in-use')?.textContent).toBe('As shipped'));

    // Use another version: the same.
    await trainAndCancel();
    await fireEvent.click(within(card).getByRole('button', { name: 'Use Recognition v1' }));
    await fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Use v1' }));
    await waitFor(() => expect(engine.calls('models.use')).toHaveLength(2));
    await waitFor(() => expect(within(card).queryByText(CANCELLED)).toBeNull());

    // A new training: its progress in place of the old run's outcome.
    await trainAndCancel();
    await fireEvent.click(within(card).getByRole('button', { name: 'Train Recognition' }));
    expect(await within(card).findByRole('button', { name: 'Cancel' })).toBeTruthy();
    expect(within(card).queryByText(CANCELLED)).toBeNull();
    await fireEvent.click(within(card).getByRole('button', { name: 'Cancel' }));
  }, 60_000);

  it('says why a run was kept right under "Kept the current version", its figures under Details (QA: a gain read as thrown away)', async () => {
    const engine = new FakeEngine(trainableAlbum());
    // The fake engine keeps it as the engine decides, and returns the engine's why and reason.
    const measured = { far: 0.001, meanMargin: 0, probes: 40, genuinePairs: 200 };
    engine.embedderKept = {
      before: { identificationAccuracy: 0.9, tar: 0.22, ...measured },
      after: { identificationAccuracy: 0.9, tar: 0.25, ...measured },
    };
    engine.stepMs = 5;
    renderScreen(TrainingScreen, {}, engine);
    const card = await screen.findByRole('article', { name: 'Recognition' });
    await fireEvent.click(within(card).getByRole('button', { name: 'Train Recognition' }));
    const verdict = await verdictOf(card);
    const lines = [...verdict.querySelectorAll('strong, .why, li')].map((el) => el.textContent);
    expect(lines).toEqual(['Kept the current version', 'The new one did better, but by too little to be sure of it.']);
    // The figures one click away, each once, in the table (QA: the counts, the engine's sentence and the table said
    // the same numbers three times).
    const details = verdict.nextElementSibling as HTMLDetailsElement;
    expect(details.querySelector('summary')?.textContent).toMatch(/^Details: every figure, before and after/);
    expect(details.querySelectorAll('li, .reason')).toHaveLength(0);
    const rows = [...details.querySelectorAll('tbody tr')].map((row) => [...row.children].map((cell) => cell.textContent?.trim()));
    expect(rows).toEqual([
      ['Faces recognised (identification accuracy)', '90.0%', '90.0%'],
      ['Same-person pairs matched (true accept rate)', '22.0%', '25.0%'],
    ]);
  }, 30_000);

  it('keeps the current version calmly when it already recognises every face: a check, not a warning, and said once (QA)', async () => {
    const engine = new FakeEngine(trainableAlbum());
    const perfect = { identificationAccuracy: 1, tar: 1, far: 0.001, meanMargin: 0, probes: 40, genuinePairs: 265 };
    engine.embedderKept = { before: perfect, after: perfect };
    engine.stepMs = 5;
    renderScreen(TrainingScreen, {}, engine);
    const card = await screen.findByRole('article', { name: 'Recognition' });
    await fireEvent.click(within(card).getByRole('button', { name: 'Train Recognition' }));
    const verdict = await verdictOf(card);
    expect(verdict.querySelector('svg path')?.getAttribute('d')).toBe(CHECK_ICON);
    expect(verdict.textContent?.replace(/\s+/g, ' ').trim()).toBe('Kept the current version It already recognises every face set aside to test it.');
    // The point is made once in the verdict; the figures say it again only under Details, closed.
    const details = verdict.nextElementSibling as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(details.querySelectorAll('li, .reason')).toHaveLength(0);
    expect(details.querySelectorAll('tbody tr')).toHaveLength(2);
  }, 30_000);

  it('says why a run was adopted right under "Now using Recognition vN", as for a run kept (QA: it came after a paragraph)', async () => {
    const engine = new FakeEngine(trainableAlbum());
    engine.stepMs = 5;
    renderScreen(TrainingScreen, {}, engine);
    const card = await screen.findByRole('article', { name: 'Recognition' });
    await fireEvent.click(within(card).getByRole('button', { name: 'Train Recognition' }));
    const verdict = await verdictOf(card);
    const lines = [...verdict.querySelectorAll('strong, .why')].map((el) => el.textContent);
    expect(lines).toEqual([expect.stringMatching(/^Now using Recognition v\d+$/), 'The new one did better on the faces set aside to test it.']);
    // An adoption's gain is the news: its figures stay in the verdict, and only there.
    expect([...verdict.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Recognised 227 of the 241 confirmed faces set aside to test it (was 212)',
      'Matched 1,895 of the 1,986 pairs of photos of one person (was 1,853)',
    ]);
    expect(verdict.querySelector('.reason')).toBeNull();
    expect((verdict.nextElementSibling as HTMLElement).querySelectorAll('li, .reason')).toHaveLength(0);
  }, 30_000);

  it('says at once that there is nothing new to learn from, with what the version in use learnt from, and offers to train anyway', async () => {
    const engine = new FakeEngine(trainableAlbum());
    const trained = { createdAt: '2026-01-01T00:00:00Z', faces: 144, people: 24, metrics: { identificationAccuracy: 0.94 } };
    engine.models.embedder.push({ ...trained, version: 'v3', inUse: true });
    engine.models.embedderInUse = 'v3';
    engine.embedderNothingNew = { since: 'v3', kept: false, trainedAt: '2026-01-01T00:00:00Z', confirmedFaces: 144, people: 24 };
    engine.stepMs = 5;
    renderScreen(TrainingScreen, {}, engine);
    const card = await screen.findByRole('article', { name: 'Recognition' });
    await fireEvent.click(within(card).getByRole('button', { name: 'Train Recognition' }));
    const verdict = await verdictOf(card);
    expect(verdict.querySelector('strong')?.textContent).toBe('Nothing new to learn from');
    expect(verdict.querySelector('.why')?.textContent).toMatch(
      /^Recognition v3 was trained \(.+\) on the same 144 confirmed faces of 24 people, the same answers about faces that are not them and the same settings: training again would give the same\. Confirm or correct some faces first\.$/,
    );
    // No run, so no figures before and after.
    expect(card.querySelector('table.metrics')).toBeNull();
    await fireEvent.click(within(verdict).getByRole('button', { name: 'Train anyway' }));
    await waitFor(() => expect(engine.calls('training.embedder.start')).toEqual([{ epochs: 40, margin: 0.05 }, { epochs: 40, margin: 0.05, anyway: true }]));
    // The run it asked for: trained, and its verdict in place of the one before.
    await waitFor(() => expect(card.querySelector('.verdict strong')?.textContent).toMatch(/^Now using Recognition v\d+$/), { timeout: 15_000 });
  }, 30_000);

  it('says that a version rolled back learnt from the same, and how to use it again, rather than train a copy of it (QA: v2 just like v1)', async () => {
    const engine = new FakeEngine(trainableAlbum());
    engine.models.embedder.push({ createdAt: '2026-01-01T00:00:00Z', faces: 144, people: 24, metrics: { identificationAccuracy: 0.94 }, version: 'v1', inUse: false });
    engine.models.embedderInUse = 'raw';
    engine.embedderNothingNew = { since: 'v1', kept: false, inUse: false, trainedAt: '2026-01-01T00:00:00Z', confirmedFaces: 144, people: 24 };
    engine.stepMs = 5;
    renderScreen(TrainingScreen, {}, engine);
    const card = await screen.findByRole('article', { name: 'Recognition' });
    await fireEvent.click(within(card).getByRole('button', { name: 'Train Recognition' }));
    const verdict = await verdictOf(card);
    expect(verdict.querySelector('strong')?.textContent).toBe('Nothing new to learn from');
    expect(verdict.querySelector('.why')?.textContent).toMatch(
      /^Recognition v1 was trained \(.+\) on the same 144 confirmed faces of 24 people, the same answers about faces that are not them and the same settings: training again would give the same\. It is not in use: Use puts it back in use, under Versions\. Confirm or correct some faces first\.$/,
    );
    expect(within(verdict).getByRole('button', { name: 'Train anyway' })).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Use Recognition v1' })).toBeTruthy();
  }, 30_000);

  it('says at once that the face studio would learn nothing new, and trains anyway when asked (QA: 10 minutes for a v2 just like v1)', async () => {
    // The faces the face studio needs at least.
    const engine = new FakeEngine(studioTrainableAlbum());
    engine.models.autoencoder.push(
      { version: 'v1', createdAt: '2026-01-01T00:00:00Z', faces: 322, people: 0, epochs: 23, metrics: {}, inUse: false },
      { version: 'v2', createdAt: '2026-01-02T00:00:00Z', faces: 322, people: 0, epochs: 23, metrics: {}, inUse: true },
    );
    engine.models.autoencoderInUse = 'v2';
    engine.studioNothingNew = { since: 'v1', inUse: false, trainedAt: '2026-01-01T00:00:00Z', faces: 322 };
    engine.stepMs = 5;
    renderScreen(TrainingScreen, {}, engine);
    const card = await screen.findByRole('article', { name: 'Face studio' });
    const train = within(card).getByRole('button', { name: 'Train Face studio' }) as HTMLButtonElement;
    // Enabled once the library's faces are counted.
    await waitFor(() => expect(train.disabled).toBe(false));
    await fireEvent.click(train);
    const verdict = await verdictOf(card);
    expect(verdict.querySelector('strong')?.textContent).toBe('Nothing new to learn from');
    expect(verdict.querySelector('.why')?.textContent).toMatch(
      /^Face studio v1 was trained \(.+\) on the same 322 faces with the same settings: training again would give the same\. It is not in use: Use puts it in use, under Versions\. Import more photos first\.$/,
    );
    expect(card.querySelector('table.metrics')).toBeNull();
    expect(card.querySelector('figure.chart')).toBeNull();
    await fireEvent.click(within(verdict).getByRole('button', { name: 'Train anyway' }));
    await waitFor(() => expect(engine.calls('training.autoencoder.start').map((call) => (call as { anyway?: boolean }).anyway ?? false)).toEqual([false, true]));
    await waitFor(() => expect(card.querySelector('.verdict strong')?.textContent).toMatch(/^Now using Face studio v3$/), { timeout: 15_000 });
  }, 30_000);
});

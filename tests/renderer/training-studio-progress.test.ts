// @vitest-environment jsdom
// The face studio's first run as it goes (QA): the card said "Not trained yet" over the run's progress, and its loss
// chart was a single dot for minutes, a pass taking minutes: the card says it is training, and the loss is charted
// per batch from within the first pass.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import TrainingScreen from '../../renderer/screens/TrainingScreen.svelte';
import { FakeEngine, trainableAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

describe('Face studio training as it runs', () => {
  it('says it is training, and charts the loss within the first pass', async () => {
    const engine = new FakeEngine(trainableAlbum());
    // Passes long enough to look at the card between reports (the fake reports one batch halfway through each pass).
    engine.stepMs = 200;
    renderScreen(TrainingScreen, {}, engine);
    const card = await screen.findByRole('article', { name: 'Face studio' });
    expect(within(card).getByText('Not trained yet')).toBeTruthy();
    await fireEvent.click(within(card).getByRole('button', { name: 'Train Face studio' }));
    expect(await within(card).findByText('Training…')).toBeTruthy();
    expect(within(card).queryByText('Not trained yet')).toBeNull();
    // A point measured during a pass, not only at its end.
    const chart = await within(card).findByRole('img', { name: /^How far off it still is, lower is better\. Faces it learns from: [\d.]+ during pass \d+/ }, { timeout: 10_000 });
    // The passes' ends add the faces set aside; the batches and the passes draw one line.
    await waitFor(() => expect(chart.getAttribute('aria-label')).toMatch(/; Faces set aside: [\d.]+ after pass \d+$/), { timeout: 10_000 });
    expect(chart.querySelectorAll('path.line').length).toBeGreaterThan(0);
    await fireEvent.click(within(card).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(within(card).queryByText('Training…')).toBeNull());
  });
});

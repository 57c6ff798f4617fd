// @vitest-environment jsdom
// A training run Familiar closed or crashed during is said on its card after the next open (QA: "Not trained yet",
// as if it had never run), and the Studio promises no time the Training screen then contradicts (QA: "a few minutes"
// there, "About 30 min left" here).
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/svelte';
import TrainingScreen from '../../renderer/screens/TrainingScreen.svelte';
import StudioScreen from '../../renderer/screens/StudioScreen.svelte';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

describe('an interrupted training', () => {
  it('is said on its card: where it stopped, and why', async () => {
    const engine = new FakeEngine(sampleAlbum());
    engine.models.interrupted = {
      autoencoder: { pass: 3, passes: 65, startedAt: '2026-12-02T03:00:00.000Z', cause: 'closed' },
      embedder: { pass: null, passes: null, startedAt: '2026-12-02T02:00:00.000Z', cause: 'crashed' },
    };
    renderScreen(TrainingScreen, {}, engine);
    const studio = (await screen.findByRole('heading', { name: 'Face studio' })).closest('article')!;
    expect(await within(studio).findByText('The last training was interrupted during pass 3 of 65 (Familiar closed); train again.')).toBeTruthy();
    expect(within(studio).getByText('Not trained yet')).toBeTruthy();
    const recognition = screen.getByRole('heading', { name: 'Recognition' }).closest('article')!;
    expect(within(recognition).getByText('The last training was interrupted before its first pass (Familiar stopped unexpectedly); train again.')).toBeTruthy();
  });

  it('is not promised to take "a few minutes" by the Studio: the Training screen measures it', async () => {
    renderScreen(StudioScreen, {});
    const empty = await screen.findByText(/Start it once on the Training screen/);
    expect(empty.textContent).not.toMatch(/minute/);
  });
});

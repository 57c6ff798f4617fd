// @vitest-environment jsdom
// A face studio training cancelled before its first pass ended said "The last finished pass is kept: train again with
// the same settings to continue from it" (a code review): no pass had ended, nothing was kept to continue from.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import TrainingScreen from '../../renderer/screens/TrainingScreen.svelte';
import { FakeEngine, trainableAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

/** Starts a face studio training from its card and cancels it once `passes` passes have ended. */
async function cancelAfter(passes: number, inUse: string | null = null): Promise<HTMLElement> {
  const engine = new FakeEngine(trainableAlbum());
  engine.models.autoencoderInUse = inUse;
  engine.stepMs = 60;
  const { live } = renderScreen(TrainingScreen, {}, engine);
  const card = await screen.findByRole('article', { name: 'Face studio' });
  await fireEvent.click(within(card).getByRole('button', { name: 'Train Face studio' }));
  const cancel = await within(card).findByRole('button', { name: 'Cancel' });
  if (passes > 0) {
    await waitFor(() => expect(Object.values(live.jobs).some((j) => j.history.some((p) => typeof p.detail?.trainLoss === 'number' && p.done >= passes))).toBe(true), { timeout: 10_000 });
  }
  await fireEvent.click(cancel);
  return (await within(card).findByText(/^Training stopped;/, {}, { timeout: 10_000 })) as HTMLElement;
}

describe('a face studio training cancelled', () => {
  it('before its first pass ended says there is nothing to continue from', async () => {
    // The library's first: no face studio to speak of as unchanged (QA).
    expect((await cancelAfter(0)).textContent).toBe(
      'Training stopped; no face studio is in use yet. It stopped before its first pass ended, so there is nothing to continue from.',
    );
  });

  it('after a pass says the last finished pass is kept', async () => {
    expect((await cancelAfter(1, 'v1')).textContent).toBe(
      'Training stopped; the face studio in use did not change. The last finished pass is kept: train again with the same settings to continue from it.',
    );
  });
});

// @vitest-environment jsdom
// The recognition version in use lost its files: the library opens (tests/main/api/lost-recognition-version.test.ts),
// and the Training screen says why new faces are refused, keeps Train from a run that needs that version, and switches
// away from it with no Undo back to a version that cannot load.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import TrainingScreen from '../../renderer/screens/TrainingScreen.svelte';
import Toasts from '../../renderer/components/Toasts.svelte';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, shownToasts } from './render.js';

describe('a recognition version in use that cannot be loaded', () => {
  it('is said on its card, keeps Train back, and a roll back mends it without an Undo to the lost version', async () => {
    const engine = new FakeEngine(sampleAlbum());
    const trained = { createdAt: '2026-12-02T03:05:00Z', faces: 160, people: 18, metrics: { identificationAccuracy: 0.9 } };
    engine.models.embedder.push({ ...trained, version: 'v1', inUse: false });
    engine.models.embedderInUse = 'v2';
    engine.models.embedderProblem = 'The embedder head v2 in use cannot be loaded (its files are missing from the models folder of the library)';
    renderScreen(TrainingScreen, {}, engine);
    renderScreen(Toasts, {}, engine);
    const card = await screen.findByRole('article', { name: 'Recognition' });
    const alert = await within(card).findByRole('alert');
    expect(alert.textContent!.replace(/\s+/g, ' ').trim()).toBe(
      'Recognition v2, in use, cannot be loaded: its files are missing or damaged. No new face can be added until another version is in use: roll back, or use an earlier version, below.',
    );
    const train = within(card).getByRole('button', { name: 'Train Recognition' }) as HTMLButtonElement;
    expect(train.disabled).toBe(true);
    expect(within(card).getByText('Put another version in use first (below): the one in use cannot be loaded.')).toBeTruthy();

    await fireEvent.click(within(card).getByRole('button', { name: 'Roll back' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Go back to recognition as shipped?' });
    expect(dialog.textContent).not.toContain('Undo');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    await waitFor(() => expect(engine.calls('models.use')).toEqual([{ kind: 'embedder', version: 'raw' }]));
    const toast = await shownToasts().findByText(/^Back to recognition as shipped/);
    expect(within(toast.closest('.toast')!).queryByRole('button', { name: 'Undo' })).toBeNull();
    await waitFor(() => expect(within(card).queryByRole('alert')).toBeNull());
  });
});

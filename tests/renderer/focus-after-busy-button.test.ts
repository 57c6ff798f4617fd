// @vitest-environment jsdom
// A button greyed out while its action runs drops the keyboard focus to the page in a browser, and the next Tab starts
// again from "Skip to content" (QA, on Studio and Settings). When the action ends, the focus comes back to where the
// user was. jsdom keeps the focus on a disabled button, so each test drops it as Chromium does (`dropFocus`).
import { beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import StudioScreen from '../../renderer/screens/StudioScreen.svelte';
import SettingsScreen from '../../renderer/screens/SettingsScreen.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import type { CallName } from '../../preload/contract.js';
import { holdCalls, studioEngine, type FakeEngine } from './fake-engine.js';
import { renderScreen } from './render.js';

beforeEach(() => {
  document.body.focus();
});

/** What Chromium does to a focused button that becomes disabled: the focus goes to the page. */
function dropFocus(button: HTMLElement): void {
  expect((button as HTMLButtonElement).disabled).toBe(true);
  // jsdom will not blur a disabled button: a stand-in takes the focus and goes, which leaves it on the page.
  const standIn = document.body.appendChild(document.createElement('input'));
  standIn.focus();
  standIn.remove();
  expect(document.activeElement).toBe(document.body);
}

async function press(button: HTMLElement): Promise<void> {
  button.focus();
  await fireEvent.click(button);
}

/** Presses `button` with the engine holding `call`, drops the focus from the greyed button as Chromium does, then lets the call answer. */
async function pressWhileBusy(engine: FakeEngine, call: CallName, button: HTMLElement): Promise<void> {
  const held = holdCalls(engine, call);
  await press(button);
  await waitFor(() => expect(held.asked()).toBe(true));
  dropFocus(button);
  held.release();
}

/** The Studio on a face studio in use, Interpolate's ends picked. */
async function studioWithEnds() {
  const engine = studioEngine();
  renderScreen(StudioScreen, {}, engine);
  await fireEvent.change(await screen.findByLabelText('From: person'), { target: { value: 'person-ada' } });
  await fireEvent.change(screen.getByLabelText('To: person'), { target: { value: 'person-bob' } });
  return engine;
}

describe('the focus after a button greyed out while it ran', () => {
  it('comes back to Blend, Apply and Restore in the Studio once their faces are drawn', async () => {
    const engine = await studioWithEnds();
    for (const [tab, name, call] of [
      ['Blend', 'Blend', 'studio.interpolate'],
      ['Restore', 'Restore', 'studio.denoise'],
    ] as const) {
      await fireEvent.click(screen.getByRole('tab', { name: tab }));
      await pressWhileBusy(engine, call, screen.getByRole('button', { name }));
      await waitFor(() => expect(engine.calls(call)).toHaveLength(1));
      await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name })));
      // With the focus back on the button, the status says what was drawn (nothing else would to a screen reader).
      expect(screen.getByTestId('studio-drawn').textContent).toBe(
        tab === 'Blend' ? 'Drew 8 steps from Ada to unnamed group 1, below.' : 'Restored the face, below: the original, with noise added and restored.',
      );
    }
    await fireEvent.click(screen.getByRole('tab', { name: 'Mix looks' }));
    await fireEvent.change(screen.getByLabelText('Add the look of: person'), { target: { value: 'person-bob' } });
    await pressWhileBusy(engine, 'studio.arithmetic', screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Apply' })));
    expect(screen.getByTestId('studio-drawn').getAttribute('role')).toBe('status');
    expect(screen.getByTestId('studio-drawn').textContent).toMatch(/^Drew Ada \+ 1\.0× the look of unnamed group 1, below\.$/);
  });

  it('leaves the focus where the user moved it while the Studio drew', async () => {
    const engine = await studioWithEnds();
    const held = holdCalls(engine, 'studio.interpolate');
    const button = screen.getByRole('button', { name: 'Blend' });
    await press(button);
    await waitFor(() => expect(held.asked()).toBe(true));
    const steps = screen.getByLabelText('Number of steps');
    steps.focus();
    held.release();
    await waitFor(() => expect(engine.calls('studio.interpolate')).toHaveLength(1));
    await screen.findByRole('list', { name: 'Blend, step by step' });
    expect(document.activeElement).toBe(steps);
  });

  it('goes back to the setting saved once Save greys out, and to Regroup faces when the regrouping ends', async () => {
    const { engine } = renderScreen(SettingsScreen, {});
    const distance = (await screen.findByLabelText(/count as one person$/)) as HTMLInputElement;
    distance.value = '0.05';
    await fireEvent.input(distance);
    await fireEvent.change(distance);
    await pressWhileBusy(engine, 'settings.set', screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(engine.calls('settings.set')).toHaveLength(1));
    await waitFor(() => expect(document.activeElement).toBe(distance));
    // Nothing left to save: Save stays grey, so the focus could not have waited on it.
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);

    const regroup = screen.getByRole('button', { name: 'Regroup faces' });
    await press(regroup);
    await waitFor(() => expect(engine.calls('recluster.start')).toHaveLength(1));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Regrouping…' }) as HTMLButtonElement).disabled).toBe(true));
    dropFocus(screen.getByRole('button', { name: 'Regrouping…' }));
    await waitFor(() => expect(toasts.items.at(-1)?.message).toMatch(/^Regrouped /), { timeout: 15_000 });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Regroup faces' })));
  });

  it('goes back to "Read names from other apps" once the names are read', async () => {
    const { engine } = renderScreen(SettingsScreen, {});
    const read = await screen.findByRole('button', { name: 'Read names from other apps' });
    await press(read);
    await waitFor(() => expect(engine.calls('names.import')).toHaveLength(1));
    await waitFor(() => expect((read as HTMLButtonElement).disabled).toBe(true));
    dropFocus(read);
    await screen.findByText('Names read', {}, { timeout: 15_000 });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Read names from other apps' })));
  });
});

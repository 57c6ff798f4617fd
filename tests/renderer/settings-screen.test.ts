// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import SettingsScreen from '../../renderer/screens/SettingsScreen.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { renderScreen } from './render.js';

describe('Settings screen', () => {
  it('regroups faces, says it is at work, and says what it did when it is done', async () => {
    const { engine } = renderScreen(SettingsScreen, {});
    await fireEvent.click(await screen.findByRole('button', { name: 'Regroup faces' }));
    await waitFor(() => expect(engine.calls('recluster.start')).toHaveLength(1));
    expect((screen.getByRole('button', { name: 'Regrouping…' }) as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(toasts.items.at(-1)?.message).toMatch(/^Regrouped \d+ faces into 3 people and groups\. \d+ faces are in no group\. Your names and corrections held\.$/), { timeout: 5000 });
    expect(await screen.findByRole('button', { name: 'Regroup faces' })).toBeTruthy();
    // The "Regrouping…" toast goes once the result is in.
    expect(toasts.items.some((t) => t.message.startsWith('Regrouping faces'))).toBe(false);
  });

  it('says how many settings it saved, and asks for a regroup only when the same-person distance changed', async () => {
    const { engine } = renderScreen(SettingsScreen, {});
    await fireEvent.click(await screen.findByRole('checkbox', { name: /Read names other apps tagged/ }));
    await fireEvent.click(screen.getByRole('button', { name: /^Save/ }));
    await waitFor(() => expect(engine.calls('settings.set')).toEqual([{ values: { readNamesOnImport: false } }]));
    await waitFor(() => expect(toasts.items.at(-1)?.message).toBe('Saved 1 setting. It applies from the next import.'));
    expect(toasts.items.at(-1)?.action).toBeUndefined();
  });

  it('says under a number what is wrong with it, and Save waits until it is right', async () => {
    const { engine } = renderScreen(SettingsScreen, {});
    const size = await screen.findByLabelText('Analysis size (pixels)');
    await fireEvent.change(size, { target: { value: '10' } });
    expect((await screen.findByRole('alert')).textContent).toBe('Analysis size (pixels) is at least 320.');
    expect((screen.getByRole('button', { name: /^Save/ }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.change(size, { target: { value: '' } });
    expect(screen.getByRole('alert').textContent).toBe('Analysis size (pixels): type a number.');
    await fireEvent.change(size, { target: { value: '1600' } });
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    await fireEvent.click(screen.getByRole('button', { name: /^Save/ }));
    await waitFor(() => expect(engine.calls('settings.set')).toEqual([{ values: { analysisMaxSide: 1600 } }]));
  });
});

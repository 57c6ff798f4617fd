// @vitest-environment jsdom
// The Studio's three tools side by side: each its own busy state and error, the arithmetic's optional source, and the
// interpolation strip as one Tab stop (QA findings on the Studio screen).
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import StudioScreen from '../../renderer/screens/StudioScreen.svelte';
import { holdCalls, studioEngine } from './fake-engine.js';
import { renderScreen } from './render.js';

const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

describe('Studio tools', () => {
  it('lets "Take away the look of" go back to nobody, and does not apply a look added and taken away at once', async () => {
    const engine = studioEngine();
    renderScreen(StudioScreen, {}, engine);
    await fireEvent.click(await screen.findByRole('tab', { name: 'Mix looks' }));
    await fireEvent.change(screen.getByLabelText('Face: person'), { target: { value: 'person-ada' } });
    await fireEvent.change(screen.getByLabelText('Add the look of: person'), { target: { value: 'person-bob' } });
    const takeAway = screen.getByLabelText('Take away the look of (optional): person') as HTMLSelectElement;
    await fireEvent.change(takeAway, { target: { value: 'person-bob' } });
    expect(button('Apply').disabled).toBe(true);
    expect(screen.getByText(/^Adding and taking away the same look cancel out/).getAttribute('role')).toBe('status');

    // "Nobody" is a choice of its own, not a disabled placeholder.
    const nobody = within(takeAway).getByRole('option', { name: 'Nobody' }) as HTMLOptionElement;
    expect(nobody.disabled).toBe(false);
    await fireEvent.change(takeAway, { target: { value: '' } });
    expect(takeAway.value).toBe('');
    expect(screen.queryByRole('radiogroup', { name: 'Take away the look of (optional): which face' })).toBeNull();
    expect(button('Apply').disabled).toBe(false);
    await fireEvent.click(button('Apply'));
    await waitFor(() => expect(engine.calls('studio.arithmetic')).toHaveLength(1));
    expect(engine.calls('studio.arithmetic')[0]).toMatchObject({ sub: [] });
    // The pickers that must name someone keep their placeholder out of reach.
    const face = screen.getByLabelText('Face: person') as HTMLSelectElement;
    expect((within(face).getByRole('option', { name: 'Choose a person…' }) as HTMLOptionElement).disabled).toBe(true);
  });

  it('keeps each tool busy and failing on its own: a denoise under way leaves Interpolate free, an error stays with its tool', async () => {
    const engine = studioEngine();
    renderScreen(StudioScreen, {}, engine);
    await fireEvent.change(await screen.findByLabelText('From: person'), { target: { value: 'person-ada' } });
    await fireEvent.change(screen.getByLabelText('To: person'), { target: { value: 'person-bob' } });

    const denoise = holdCalls(engine, 'studio.denoise');
    await fireEvent.click(screen.getByRole('tab', { name: 'Restore' }));
    await fireEvent.click(button('Restore'));
    await waitFor(() => expect(denoise.asked()).toBe(true));
    expect(button('Restore').disabled).toBe(true);
    expect(screen.getByRole('status', { name: 'Generating' })).toBeTruthy();
    await fireEvent.click(screen.getByRole('tab', { name: 'Blend' }));
    expect(button('Blend').disabled).toBe(false);
    expect(screen.queryByRole('status', { name: 'Generating' })).toBeNull();
    denoise.release();
    await waitFor(() => expect(engine.calls('studio.denoise')).toHaveLength(1));

    // An arithmetic that fails: its error on its tab only, and not on the others.
    const call = engine.dispatcher.call.bind(engine.dispatcher);
    engine.dispatcher.call = async (name, args) => {
      if (name === 'studio.arithmetic') throw new Error('The face studio could not draw this face.');
      return call(name, args);
    };
    await fireEvent.click(screen.getByRole('tab', { name: 'Mix looks' }));
    await fireEvent.change(screen.getByLabelText('Add the look of: person'), { target: { value: 'person-cleo' } });
    await fireEvent.click(button('Apply'));
    expect((await screen.findByRole('alert')).textContent).toBe('The face studio could not draw this face.');
    await fireEvent.click(screen.getByRole('tab', { name: 'Restore' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('img', { name: 'Restored by the face studio' })).toBeTruthy();
    await fireEvent.click(screen.getByRole('tab', { name: 'Mix looks' }));
    expect(screen.getByRole('alert')).toBeTruthy();
    // Another choice is a new request: the error was about the last one.
    await fireEvent.input(screen.getByLabelText('Strength'), { target: { value: '2' } });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says the noise as a share of full brightness', async () => {
    renderScreen(StudioScreen, {}, studioEngine());
    await fireEvent.click(await screen.findByRole('tab', { name: 'Restore' }));
    const noise = screen.getByLabelText('Noise level');
    expect(noise.getAttribute('aria-valuetext')).toBe('15%');
    expect(noise.closest('label')!.querySelector('output')!.textContent).toBe('15%');
  });

  it('makes the strip one Tab stop that the arrows, Home and End move along, the focus with them', async () => {
    const engine = studioEngine();
    renderScreen(StudioScreen, {}, engine);
    await fireEvent.change(await screen.findByLabelText('From: person'), { target: { value: 'person-ada' } });
    await fireEvent.change(screen.getByLabelText('To: person'), { target: { value: 'person-bob' } });
    await fireEvent.click(button('Blend'));
    const strip = await screen.findByRole('list', { name: 'Blend, step by step' });
    const frames = within(strip).getAllByRole('button');
    const stops = () => frames.filter((f) => f.tabIndex === 0);
    expect(stops()).toEqual([frames[0]]);
    frames[0].focus();
    await fireEvent.keyDown(frames[0], { key: 'ArrowRight' });
    expect(document.activeElement).toBe(frames[1]);
    expect(frames[1].getAttribute('aria-current')).toBe('true');
    await fireEvent.keyDown(frames[1], { key: 'End' });
    expect(document.activeElement).toBe(frames.at(-1));
    expect(stops()).toEqual([frames.at(-1)]);
    expect(screen.getByRole('img', { name: `Generated face at step ${frames.length} of ${frames.length}` })).toBeTruthy();
    await fireEvent.keyDown(frames.at(-1)!, { key: 'Home' });
    expect(document.activeElement).toBe(frames[0]);
    await fireEvent.keyDown(frames[0], { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(frames[0]);
    // The slider beside it says the step as the caption does, counted from 1 (its value counts from 0).
    await fireEvent.keyDown(frames[0], { key: 'ArrowRight' });
    const label = frames[1].getAttribute('aria-label')!.replace(/^Step 2: /, '');
    expect(screen.getByLabelText('Position along the strip').getAttribute('aria-valuetext')).toBe(`Step 2 of ${frames.length}: ${label}`);
  });
});

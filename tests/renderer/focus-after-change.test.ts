// @vitest-environment jsdom
// A control with the keyboard focus that goes away with what it did hands the focus on, rather than drop it to the page,
// where the next Tab starts again from "Skip to content" (QA): Use on Training gives way to "In use", Train to its run's
// Cancel (and Cancel back to Train), the last suggestion answered to the heading of the emptied queue. And a person's
// faces put in another order keep the page around them, with the focus on the order menu.
import { beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import TrainingScreen from '../../renderer/screens/TrainingScreen.svelte';
import PersonScreen from '../../renderer/screens/PersonScreen.svelte';
import { FakeEngine, sampleAlbum, trainableAlbum } from './fake-engine.js';
import { renderScreen } from './render.js';

beforeEach(() => {
  document.body.focus();
});

describe('the focus after a change on Training', () => {
  it('goes from Use to the version now in use once recognition has switched', async () => {
    const engine = new FakeEngine(sampleAlbum());
    const trained = { createdAt: '2026-12-02T03:05:00Z', faces: 160, people: 18, metrics: { identificationAccuracy: 0.9 } };
    engine.models.embedder.push({ ...trained, version: 'v1', inUse: false }, { ...trained, version: 'v2', inUse: true });
    engine.models.embedderInUse = 'v2';
    renderScreen(TrainingScreen, {}, engine);
    const card = await screen.findByRole('article', { name: 'Recognition' });
    const use = await within(card).findByRole('button', { name: 'Use Recognition v1' });
    use.focus();
    await fireEvent.click(use);
    const dialog = await screen.findByRole('alertdialog', { name: 'Use Recognition v1?' });
    await fireEvent.click(await within(dialog).findByRole('button', { name: 'Use v1' }));
    await waitFor(() => expect(engine.calls('models.use')).toEqual([{ kind: 'embedder', version: 'v1' }]));
    await waitFor(() => expect(document.activeElement?.textContent).toMatch(/^Recognition v1.*In use$/s));
    expect(document.activeElement?.tagName).toBe('LI');
  });

  it('goes from Train to the Cancel of the run it started, and back to Train when the run ends', async () => {
    const engine = new FakeEngine(trainableAlbum());
    renderScreen(TrainingScreen, {}, engine);
    const card = await screen.findByRole('article', { name: 'Face studio' });
    const train = await within(card).findByRole('button', { name: 'Train Face studio' });
    await waitFor(() => expect((train as HTMLButtonElement).disabled).toBe(false));
    train.focus();
    await fireEvent.click(train);
    await waitFor(() => expect(document.activeElement).toBe(within(card).queryByRole('button', { name: 'Cancel' })));
    await fireEvent.click(document.activeElement!);
    await waitFor(() => expect(document.activeElement).toBe(within(card).queryByRole('button', { name: 'Train Face studio' })));
  });
});

describe('the focus after the last suggestion is answered', () => {
  it('goes to the heading of the emptied queue after N, from a page with nothing focused', async () => {
    const { engine } = renderScreen(PersonScreen, { personId: 'person-ada', initialTab: 'suggestions' });
    expect(await screen.findByText(/1 of 2/)).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'n' });
    await screen.findByText(/1 of 1/);
    await fireEvent.keyDown(document.activeElement ?? document.body, { key: 'n' });
    await waitFor(() => expect(engine.calls('faces.reject')).toHaveLength(2));
    const heading = await screen.findByRole('heading', { name: 'No suggestions left' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
  });

  it('goes to the heading of the emptied queue after a click on No, which goes with the queue', async () => {
    renderScreen(PersonScreen, { personId: 'person-ada', initialTab: 'suggestions' });
    expect(await screen.findByText(/1 of 2/)).toBeTruthy();
    for (const left of ['1 of 1', null]) {
      const no = screen.getByRole('button', { name: /No/ });
      no.focus();
      await fireEvent.click(no);
      if (left) await screen.findByText(left);
    }
    const heading = await screen.findByRole('heading', { name: 'No suggestions left' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
  });
});

describe('the focus on a person’s page when the faces are put in another order', () => {
  it('stays on the order menu, the page around it kept while the faces come in their new order', async () => {
    const { engine } = renderScreen(PersonScreen, { personId: 'person-ada' });
    await screen.findByRole('listbox', { name: 'Faces of Ada' });
    const menu = screen.getByRole('combobox', { name: 'Order' }) as HTMLSelectElement;
    menu.focus();
    menu.value = 'unconfirmed-first';
    await fireEvent.change(menu);
    await waitFor(() => expect(engine.calls('faces.ofPerson').at(-1)).toMatchObject({ order: 'unconfirmed-first' }));
    await waitFor(() => expect(within(screen.getByRole('listbox', { name: 'Faces of Ada' })).getAllByRole('option')[0].getAttribute('aria-label')).toMatch(/^Face 1,/));
    expect(screen.getByRole('combobox', { name: 'Order' })).toBe(menu);
    expect(document.activeElement).toBe(menu);
  });
});

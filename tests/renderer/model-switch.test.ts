// @vitest-environment jsdom
// Switching recognition's version looks at every face again and regroups the unnamed ones (QA: "Who is this?" went from
// 121 to 127 on one click, unasked and with no way back): the screen asks first, says what is kept, and the toast's
// Undo switches back to the version in use before.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import TrainingScreen from '../../renderer/screens/TrainingScreen.svelte';
import Toasts from '../../renderer/components/Toasts.svelte';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, shownToasts } from './render.js';

/** Two recognition versions, v2 in use, and a face studio version. */
function twoVersions(): FakeEngine {
  const engine = new FakeEngine(sampleAlbum());
  const trained = { createdAt: '2026-12-02T03:05:00Z', faces: 160, people: 18, metrics: { identificationAccuracy: 0.9 } };
  engine.models.embedder.push({ ...trained, version: 'v1', inUse: false }, { ...trained, version: 'v2', inUse: true });
  engine.models.embedderInUse = 'v2';
  engine.models.autoencoder.push({ ...trained, version: 'v1', inUse: false, metrics: {} }, { ...trained, version: 'v2', inUse: true, metrics: {} });
  engine.models.autoencoderInUse = 'v2';
  return engine;
}

describe('switching the version of recognition', () => {
  it('asks first, saying that faces are regrouped and decisions kept; Cancel switches nothing', async () => {
    const engine = twoVersions();
    renderScreen(TrainingScreen, {}, engine);
    const card = await screen.findByRole('article', { name: 'Recognition' });
    await fireEvent.click(await within(card).findByRole('button', { name: 'Use Recognition v1' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Use Recognition v1?' });
    expect(dialog.textContent).toContain('Familiar looks at every face again with it and regroups the faces nobody named');
    expect(dialog.textContent).toContain('The names you gave, the faces you confirmed and your other answers are all kept.');
    expect(dialog.textContent).toContain('Undo on the message that follows switches back to Recognition v2.');
    // Cancel has the focus: Enter on a reflex changes nothing.
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await fireEvent.click(document.activeElement!);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(engine.calls('models.use')).toEqual([]);

    await fireEvent.click(within(card).getByRole('button', { name: 'Roll back' }));
    expect(await screen.findByRole('alertdialog', { name: 'Go back to recognition as shipped?' })).toBeTruthy();
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(engine.calls('models.use')).toEqual([]);
  });

  it('switches once confirmed, and its toast\'s Undo switches back to the version in use before', async () => {
    const engine = twoVersions();
    const { container } = renderScreen(TrainingScreen, {}, engine);
    renderScreen(Toasts, {}, engine);
    const card = await screen.findByRole('article', { name: 'Recognition' });
    await fireEvent.click(await within(card).findByRole('button', { name: 'Use Recognition v1' }));
    await fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Use v1' }));
    await waitFor(() => expect(engine.calls('models.use')).toEqual([{ kind: 'embedder', version: 'v1' }]));
    await waitFor(() => expect(container.querySelector('.in-use')!.textContent).toBe('Recognition v1'));
    const toast = await shownToasts().findByText(/^Now using Recognition v1;/);
    await fireEvent.click(within(toast.closest('.toast')!).getByRole('button', { name: 'Undo' }));
    // Back to what the user had: past the check of the groups nobody named, which asked about the switch undone.
    await waitFor(() => expect(engine.calls('models.use')).toEqual([{ kind: 'embedder', version: 'v1' }, { kind: 'embedder', version: 'v2', anyway: true }]));
    await waitFor(() => expect(container.querySelector('.in-use')!.textContent).toBe('Recognition v2'));
    // Switching back is not asked about, and offers no Undo of its own.
    expect(screen.queryByRole('alertdialog')).toBeNull();
    const back = await shownToasts().findByText(/^Now using Recognition v2;/);
    expect(within(back.closest('.toast')!).queryByRole('button', { name: 'Undo' })).toBeNull();
  });

  it('says before the switch that the version would split groups nobody named, and switches only when told "anyway"', async () => {
    // QA: `familiar models use v1`, then a regrouping, and Andy Roddick's 10 unnamed faces were in pieces.
    const engine = twoVersions();
    engine.unnamedGroupsSplit.v1 = { groups: 36, keptWhole: 34, torn: 1, tornSizes: [10] };
    renderScreen(TrainingScreen, {}, engine);
    renderScreen(Toasts, {}, engine);
    const card = await screen.findByRole('article', { name: 'Recognition' });
    await fireEvent.click(await within(card).findByRole('button', { name: 'Use Recognition v1' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Use Recognition v1?' });
    const finding = await within(dialog).findByTestId('splits-groups');
    expect(finding.textContent).toBe(
      'Recognition v1 would split 1 of the 34 unnamed groups the recognition in use keeps as one person (a group of 10 faces): regrouping on it would tear that person apart.',
    );
    expect(dialog.textContent).toContain('Cancel keeps Recognition v2 and those groups as they are.');
    expect(engine.calls('models.checkUse')).toEqual([{ version: 'v1' }]);
    // Cancel keeps the focus; the switch is the button that says "anyway".
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(within(dialog).queryByRole('button', { name: 'Use v1' })).toBeNull();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Use v1 anyway' }));
    await waitFor(() => expect(engine.calls('models.use')).toEqual([{ kind: 'embedder', version: 'v1', anyway: true }]));
    expect(await shownToasts().findByText(/^Now using Recognition v1;/)).toBeTruthy();
  });

  it('says a version keeps every group nobody named as one, and a switch confirmed before the check answers is still checked by the engine', async () => {
    const engine = twoVersions();
    renderScreen(TrainingScreen, {}, engine);
    renderScreen(Toasts, {}, engine);
    const card = await screen.findByRole('article', { name: 'Recognition' });
    await fireEvent.click(await within(card).findByRole('button', { name: 'Roll back' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Go back to recognition as shipped?' });
    const unnamed = engine.state.people.filter((p) => p.name === null).length;
    expect((await within(dialog).findByTestId('keeps-groups')).textContent?.trim()).toBe(
      `It keeps together each of the ${unnamed} unnamed groups the recognition in use keeps as one person; a face at the edge of one may still go back to “Who is this?”`,
    );
    await fireEvent.keyDown(window, { key: 'Escape' });

    // Confirmed while the check is still out: the engine's own check refuses, in the same words, and nothing changes.
    engine.unnamedGroupsSplit.v1 = { groups: 36, keptWhole: 34, torn: 4, tornSizes: [12, 9, 6, 4] };
    engine.callDelays['models.checkUse'] = 5_000;
    await fireEvent.click(within(card).getByRole('button', { name: 'Use Recognition v1' }));
    const asked = await screen.findByRole('alertdialog', { name: 'Use Recognition v1?' });
    expect(asked.textContent).toContain('Checking what it would do to the groups nobody named…');
    await fireEvent.click(within(asked).getByRole('button', { name: 'Use v1' }));
    const said = 'Recognition v1 would split 4 of the 34 unnamed groups the recognition in use keeps as one person (31 faces in all; the largest groups hold 12, 9 and 6): regrouping on it would tear those people apart.';
    expect(await shownToasts().findByText((text) => text.startsWith(said))).toBeTruthy();
    expect(engine.calls('models.use')).toEqual([{ kind: 'embedder', version: 'v1' }]);
    expect(engine.models.embedderInUse).toBe('v2');
  });

  it('switches the face studio at once, with an Undo too', async () => {
    const engine = twoVersions();
    renderScreen(TrainingScreen, {}, engine);
    renderScreen(Toasts, {}, engine);
    const card = await screen.findByRole('article', { name: 'Face studio' });
    await fireEvent.click(await within(card).findByRole('button', { name: 'Use Face studio v1' }));
    await waitFor(() => expect(engine.calls('models.use')).toEqual([{ kind: 'autoencoder', version: 'v1' }]));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    const toast = await shownToasts().findByText(/^Now using Face studio v1;/);
    await fireEvent.click(within(toast.closest('.toast')!).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(engine.calls('models.use')).toEqual([{ kind: 'autoencoder', version: 'v1' }, { kind: 'autoencoder', version: 'v2' }]));
  });
});

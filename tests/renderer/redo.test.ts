// @vitest-environment jsdom
// Redo (lib/redo.ts): QA pressed Ctrl+Z once too often and had to type two names again. Ctrl+Shift+Z, Ctrl+Y and the
// "Undone" toast's Redo make the undone decision again; never from a text field, where they redo the typing.
import { beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../renderer/App.svelte';
import { FamiliarClient } from '../../renderer/lib/api.js';
import { LiveState } from '../../renderer/lib/live.svelte.js';
import { router } from '../../renderer/lib/router.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { shownToasts } from './render.js';

const nameOf = (engine: FakeEngine, id: string) => engine.state.people.find((p) => p.id === id)?.name ?? null;

async function named(): Promise<{ engine: FakeEngine; client: FamiliarClient }> {
  const engine = new FakeEngine(sampleAlbum());
  const client = new FamiliarClient(engine.bridge());
  render(App, { props: { client, live: new LiveState() } });
  await screen.findByRole('option', { name: 'Ada, 5 faces' });
  await client.call('people.rename', { personId: 'person-bob', name: 'Bob' });
  await client.call('people.rename', { personId: 'person-cleo', name: 'Cleo' });
  return { engine, client };
}

describe('Redo', () => {
  beforeEach(() => router.go({ name: 'people' }, { replace: true }));

  it('gives back with Ctrl+Shift+Z and Ctrl+Y the names Ctrl+Z took back, newest undo first', async () => {
    const { engine } = await named();
    await fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(engine.calls('undo')).toHaveLength(2));
    await waitFor(() => expect(nameOf(engine, 'person-bob')).toBeNull());
    // Shift turns the key to "Z", as browsers send it.
    await fireEvent.keyDown(document.body, { key: 'Z', ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(nameOf(engine, 'person-bob')).toBe('Bob'));
    expect(nameOf(engine, 'person-cleo')).toBeNull();
    expect(await shownToasts().findByText(/^Redone: /)).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'y', metaKey: true });
    await waitFor(() => expect(nameOf(engine, 'person-cleo')).toBe('Cleo'));
    await fireEvent.keyDown(document.body, { key: 'y', ctrlKey: true });
    expect(await shownToasts().findByText('Nothing to redo.')).toBeTruthy();
    expect(engine.calls('redo')).toHaveLength(3);
  });

  it('offers Redo on the toast of an undo, whose own toast offers Undo again', async () => {
    const { engine } = await named();
    await fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    const undone = (await shownToasts().findByText(/^Undid: /)).closest('.toast') as HTMLElement;
    await fireEvent.click(within(undone).getByRole('button', { name: 'Redo' }));
    await waitFor(() => expect(nameOf(engine, 'person-cleo')).toBe('Cleo'));
    const redone = (await shownToasts().findByText(/^Redone: /)).closest('.toast') as HTMLElement;
    expect(shownToasts().queryByText(/^Undid: /)).toBeNull();
    await fireEvent.click(within(redone).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(nameOf(engine, 'person-cleo')).toBeNull());
  });

  it("gives the Redone toast an Undo that takes back what was made again or nothing, when another window decided since", async () => {
    const { engine, client } = await named();
    await fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    const undone = (await shownToasts().findByText(/^Undid: /)).closest('.toast') as HTMLElement;
    await fireEvent.click(within(undone).getByRole('button', { name: 'Redo' }));
    await waitFor(() => expect(nameOf(engine, 'person-cleo')).toBe('Cleo'));
    const redone = (await shownToasts().findByText(/^Redone: /)).closest('.toast') as HTMLElement;
    // Another tab hides Ada: the toast's Undo must not take that back (it used to: the latest decision, whoever's).
    await client.call('people.hide', { personIds: ['person-ada'], hidden: true });
    await fireEvent.click(within(redone).getByRole('button', { name: 'Undo' }));
    expect(await shownToasts().findByText(/was decided since, in another window perhaps/)).toBeTruthy();
    expect(engine.state.people.find((p) => p.id === 'person-ada')?.hidden).toBe(true);
    expect(nameOf(engine, 'person-cleo')).toBe('Cleo');
  });

  it('is refused, and says why, once something was decided since the undo', async () => {
    const { engine, client } = await named();
    await fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(engine.calls('undo')).toHaveLength(1));
    await client.call('people.hide', { personIds: ['person-ada'], hidden: true });
    await fireEvent.keyDown(document.body, { key: 'Z', ctrlKey: true, shiftKey: true });
    expect(await shownToasts().findByText('Nothing to redo: something changed since the undo.')).toBeTruthy();
    expect(nameOf(engine, 'person-cleo')).toBeNull();
  });

  it('keeps the focus in a person\'s suggestions after Ctrl+Y answers the current one again', async () => {
    // QA: after Y, Ctrl+Z and Ctrl+Y on Venus's suggestions the focus fell to the page; after the undo it stayed.
    const engine = new FakeEngine(sampleAlbum());
    const client = new FamiliarClient(engine.bridge());
    router.go({ name: 'person', personId: 'person-ada', tab: 'suggestions' }, { replace: true });
    render(App, { props: { client, live: new LiveState() } });
    expect(await screen.findByText(/1 of 2/)).toBeTruthy();
    const inQueue = () => !!document.activeElement?.closest('.strip-face.current');
    await fireEvent.click(screen.getByRole('tab', { name: /Suggestions/ }), { detail: 1 });
    await waitFor(() => expect(inQueue()).toBe(true));
    await fireEvent.keyDown(document.activeElement!, { key: 'y' });
    await waitFor(() => expect(engine.calls('faces.confirm')).toHaveLength(1));
    await waitFor(() => expect(screen.getByText(/1 of 1/)).toBeTruthy());
    await fireEvent.keyDown(document.activeElement!, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(screen.getByText(/1 of 2/)).toBeTruthy());
    await waitFor(() => expect(inQueue()).toBe(true));
    await fireEvent.keyDown(document.activeElement!, { key: 'y', ctrlKey: true });
    await waitFor(() => expect(engine.calls('redo')).toHaveLength(1));
    await waitFor(() => expect(screen.getByText(/1 of 1/)).toBeTruthy());
    await waitFor(() => expect(inQueue()).toBe(true));
  });

  it('leaves the keys to a text field, where they redo the typing', async () => {
    const { engine } = await named();
    await fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(engine.calls('undo')).toHaveLength(1));
    router.go({ name: 'who' });
    const field = (await screen.findByRole('combobox', { name: /name/i })) as HTMLInputElement;
    await fireEvent.keyDown(field, { key: 'Z', ctrlKey: true, shiftKey: true });
    await fireEvent.keyDown(field, { key: 'y', ctrlKey: true });
    expect(engine.calls('redo')).toHaveLength(0);
  });

  it('is listed among the keyboard shortcuts', async () => {
    render(App, { props: { client: new FamiliarClient(new FakeEngine(sampleAlbum()).bridge()), live: new LiveState() } });
    await fireEvent.keyDown(document.body, { key: '?' });
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog.textContent).toContain('Redo what Undo took back (Ctrl+Y too)');
  });
});

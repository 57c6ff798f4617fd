// @vitest-environment jsdom
// The keys the hint line on a person's page promises while faces are selected work wherever the focus is on the page
// (QA: "Select it" selected the face that looks unlike Amy and kept the focus on that button; Del, as the hint says
// "Del Not Amy", did nothing and said nothing: only the face grid heard it). Not while typing a name.
import { beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import PersonScreen from '../../renderer/screens/PersonScreen.svelte';
import { router } from '../../renderer/lib/router.svelte.js';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

beforeEach(() => {
  router.go({ name: 'person', personId: 'person-ada' });
});

/**
 * Ada's page, two of her faces confirmed and face4-0 (Bob's) placed with her by the clustering: that face, which looks
 * unlike her, selected with "Select it", the focus left on that button.
 */
async function selectedWithSelectIt() {
  const album = sampleAlbum();
  for (const f of album.faces.filter((f) => f.id === 'face1-0' || f.id === 'face2-0')) f.assignedBy = 'user';
  const rendered = renderScreen(PersonScreen, { personId: 'person-ada' }, new FakeEngine(album));
  await screen.findByRole('listbox', { name: 'Faces of Ada' });
  const selectIt = await screen.findByRole('button', { name: 'Select it' });
  selectIt.focus();
  await fireEvent.click(selectIt);
  await screen.findByRole('toolbar', { name: 'Selected faces' });
  expect(document.activeElement).toBe(selectIt);
  return { ...rendered, selectIt };
}

describe('keys while faces are selected on a person’s page', () => {
  it('says "Not Ada" with Del pressed on the "Select it" button, as the hint line promises', async () => {
    const { engine, selectIt } = await selectedWithSelectIt();
    const hint = screen.getByText(/double-click or/);
    expect(hint.textContent).toMatch(/Del\s*Not Ada/);
    await fireEvent.keyDown(selectIt, { key: 'Delete' });
    await waitFor(() => expect(engine.calls('faces.reject')).toEqual([{ faceIds: ['face4-0'], personId: 'person-ada' }]));
    // Said, with a way back, and the selection gone with it.
    await waitFor(() => expect(toasts.items.map((t) => t.action?.label)).toEqual(['Undo']));
    expect(screen.queryByRole('toolbar', { name: 'Selected faces' })).toBeNull();
  });

  it('takes Backspace as Del, and clears the selection with Escape before Escape goes back to People', async () => {
    const { engine, selectIt } = await selectedWithSelectIt();
    await fireEvent.keyDown(selectIt, { key: 'Escape' });
    expect(screen.queryByRole('toolbar', { name: 'Selected faces' })).toBeNull();
    expect(router.current).toEqual({ name: 'person', personId: 'person-ada' });
    await fireEvent.click(selectIt);
    await screen.findByRole('toolbar', { name: 'Selected faces' });
    await fireEvent.keyDown(selectIt, { key: 'Backspace' });
    await waitFor(() => expect(engine.calls('faces.reject')).toEqual([{ faceIds: ['face4-0'], personId: 'person-ada' }]));
  });

  it('leaves Backspace and Escape to the field while a name is typed in "Move to…"', async () => {
    const { engine } = await selectedWithSelectIt();
    const bar = screen.getByRole('toolbar', { name: 'Selected faces' });
    await fireEvent.click(within(bar).getByRole('button', { name: 'Move to…' }));
    const field = await within(bar).findByRole('combobox', { name: 'Move to person' });
    await typeInto(field, 'Bo');
    await fireEvent.keyDown(field, { key: 'Backspace' });
    expect(engine.calls('faces.reject')).toEqual([]);
    // Escape closes the names offered, then the field, not the selection; the focus goes back to the button the
    // field came from.
    await fireEvent.keyDown(field, { key: 'Escape' });
    expect(screen.getByRole('toolbar', { name: 'Selected faces' })).toBeTruthy();
    await fireEvent.keyDown(field, { key: 'Escape' });
    await waitFor(() => expect(document.activeElement).toBe(within(bar).getByRole('button', { name: 'Move to…' })));
    expect(screen.getByRole('toolbar', { name: 'Selected faces' })).toBeTruthy();
  });

  it('opens the next selection\'s bar with "Move to…" closed, however the last selection with it open went', async () => {
    // CI, then by hand: "Move to…" opened, Clear clicked, a face selected again: the bar came back with the field open
    // and took the focus, and the button was gone.
    const { selectIt } = await selectedWithSelectIt();
    const bar = screen.getByRole('toolbar', { name: 'Selected faces' });
    await fireEvent.click(within(bar).getByRole('button', { name: 'Move to…' }));
    await within(bar).findByRole('combobox', { name: 'Move to person' });
    await fireEvent.click(within(bar).getByRole('button', { name: 'Clear' }));
    expect(screen.queryByRole('toolbar', { name: 'Selected faces' })).toBeNull();
    await fireEvent.click(selectIt);
    const again = await screen.findByRole('toolbar', { name: 'Selected faces' });
    expect(within(again).getByRole('button', { name: 'Move to…' })).toBeTruthy();
    expect(within(again).queryByRole('combobox', { name: 'Move to person' })).toBeNull();
  });
});

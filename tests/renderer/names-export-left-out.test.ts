// @vitest-environment jsdom
// A confirmed-only export says how many faces it left out and how to include them (QA: 22 faces Familiar had placed
// under a name were silently not written).
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import NamesInterchange from '../../renderer/components/NamesInterchange.svelte';
import { renderScreen } from './render.js';

async function writeBeside(): Promise<void> {
  await fireEvent.click(screen.getByRole('button', { name: 'Write names beside the photos…' }));
  await fireEvent.click(within(screen.getByRole('alertdialog', { name: 'Write names beside your photos?' })).getByRole('button', { name: 'Write names' }));
}

describe('Names export: the faces left out', () => {
  it('says how many unconfirmed faces a confirmed-only export left out, and how to include them; not when they were written', async () => {
    const { engine } = renderScreen(NamesInterchange, {});
    // The sample's user confirmed one of Ada's faces; the others Familiar placed under her name.
    const ada = engine.state.faces.filter((f) => f.personId === 'person-ada');
    ada[0].assignedBy = 'user';
    const placed = engine.state.faces.filter((f) => f.personId && f.assignedBy !== 'user' && engine.state.people.find((p) => p.id === f.personId)?.name).length;
    expect(placed).toBeGreaterThan(1);

    await writeBeside();
    const leftOut = await screen.findByTestId('names-left-out', {}, { timeout: 15_000 });
    expect(leftOut.textContent).toBe(
      `${placed} faces Familiar placed under a name were left out because you have not confirmed them. To include them, marked as unconfirmed, tick “Also write the faces Familiar placed” and write again; or confirm them on the person's page.`,
    );
    expect(screen.getByTestId('names-summary').textContent).toContain('Wrote 1 sidecar.');

    // Written too when asked for: nothing was left out, and nothing is said about it.
    await fireEvent.click(screen.getByLabelText(/Also write the faces Familiar placed that you have not confirmed/));
    await writeBeside();
    await waitFor(() => expect(engine.calls('names.export')).toHaveLength(2));
    expect(await screen.findByRole('progressbar', { name: 'Writing names' })).toBeTruthy();
    const summary = await screen.findByTestId('names-summary', {}, { timeout: 15_000 });
    expect(summary.textContent).toMatch(/Wrote \d+ sidecars/);
    expect(screen.queryByTestId('names-left-out')).toBeNull();
  });

  it('says which photos with names it could not write beside, every file of theirs gone (QA: "0 written", no reason)', async () => {
    const { engine } = renderScreen(NamesInterchange, {});
    const withNames = engine.state.photos.filter((p) => p.faceIds.some((id) => engine.state.people.find((person) => person.id === engine.state.faces.find((f) => f.id === id)?.personId)?.name));
    expect(withNames.length).toBeGreaterThan(1);
    for (const face of engine.state.faces) if (face.personId) face.assignedBy = 'user';
    engine.missingPhotos = withNames.map((p) => p.id);
    await writeBeside();
    const summary = await screen.findByTestId('names-summary', {}, { timeout: 15_000 });
    expect(summary.textContent).toContain(
      `${withNames.length} photos with names to write are missing from disk (moved or deleted outside Familiar), so nothing was written for them: import them from where they are now, and write the names again.`,
    );
  });
});

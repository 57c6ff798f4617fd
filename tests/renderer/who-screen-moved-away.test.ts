// @vitest-environment jsdom
// A face moved to the wrong sister, then said not her, waits under "Who is this?". QA: one of Serena's faces moved to
// Venus ("Move to…"), then "Not Venus" on Venus's page, read "You said this is not Serena or Venus" and offered
// "Serena · you said not": the move marks the face not Serena (so nothing puts it back with her), but the user never
// said so. The card and the name field say what the user did (FaceSummary.movedFromPersonNames).
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import { FakeEngine, type FakeState } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

/** Serena with two faces of hers, Venus with one, Ada with one. */
function sisters(): FakeState {
  const state: FakeState = { photos: [], faces: [], people: [] };
  const add = (identity: string, personId: string) => {
    const n = state.photos.length;
    state.photos.push({ id: `photo${n}`, path: `/photos/img_${n}.jpg`, width: 1200, height: 800, takenAt: null, faceIds: [`face${n}-0`] });
    state.faces.push({ id: `face${n}-0`, photoId: `photo${n}`, box: [200, 200, 240, 240], identity, personId, assignedBy: 'user', rejected: [] });
  };
  add('serena', 'person-serena');
  add('serena', 'person-serena');
  add('venus', 'person-venus');
  add('ada', 'person-ada');
  state.people.push(
    { id: 'person-serena', name: 'Serena', hidden: false, coverFaceId: null },
    { id: 'person-venus', name: 'Venus', hidden: false, coverFaceId: null },
    { id: 'person-ada', name: 'Ada', hidden: false, coverFaceId: null },
  );
  return state;
}

/** Serena's second face moved to Venus, then, on Venus's page, said not Venus; and `alsoNot` said of it too. */
async function movedThenSaidNot(alsoNot: string[] = []): Promise<FakeEngine> {
  const engine = new FakeEngine(sisters());
  await engine.dispatcher.call('faces.move', { faceIds: ['face1-0'], personId: 'person-venus' });
  await engine.dispatcher.call('faces.reject', { faceIds: ['face1-0'], personId: 'person-venus' });
  for (const personId of alsoNot) await engine.dispatcher.call('faces.reject', { faceIds: ['face1-0'], personId });
  expect(engine.face('face1-0')).toMatchObject({ personId: null, rejected: ['person-serena', 'person-venus'] });
  return engine;
}

const card = () => document.querySelector<HTMLElement>('.queue-ask')!;

describe('"Who is this?" about a face moved away from someone', () => {
  it('says whom the user moved it away from apart from whom they said it is not', async () => {
    renderScreen(WhoScreen, {}, await movedThenSaidNot());
    expect(await screen.findByText('You said this is not Venus, and moved it away from Serena')).toBeTruthy();
    expect(card().textContent).not.toContain('not Serena');
  });

  it('says what was said in so many words as before, once the user said "Not Serena" too', async () => {
    renderScreen(WhoScreen, {}, await movedThenSaidNot(['person-serena']));
    expect(await screen.findByText('You said this is not Serena or Venus')).toBeTruthy();
  });

  it('says only the move when nothing else was said of the face, after why Familiar left it to the user', async () => {
    // A face in no group marked only by a move away from Serena (the person it went to since deleted, say).
    const loose = (unrecognisable?: 'small') => {
      const state = sisters();
      Object.assign(state.faces[1], { personId: null, assignedBy: null, rejected: ['person-serena'], movedFrom: ['person-serena'], ...(unrecognisable ? { unrecognisable } : {}) });
      return new FakeEngine(state);
    };
    const first = renderScreen(WhoScreen, {}, loose());
    expect(await screen.findByText('You moved this away from Serena')).toBeTruthy();
    first.unmount();
    first.disconnect();
    renderScreen(WhoScreen, {}, loose('small'));
    expect(await screen.findByText('A face too small for Familiar to recognise on its own. You moved it away from Serena')).toBeTruthy();
  });

  it('marks the name moved away from " · moved away", and naming the face so still takes it back', async () => {
    const { engine } = renderScreen(WhoScreen, {}, await movedThenSaidNot());
    await screen.findByText('You said this is not Venus, and moved it away from Serena');
    const field = await screen.findByRole('combobox', { name: 'Name' });
    await typeInto(field, 'Ser');
    await waitFor(() => expect(within(card()).getAllByRole('option').map((o) => o.textContent!.trim())).toEqual(['Serena · moved away', 'New person “Ser”']));
    await typeInto(field, 'Ven');
    await waitFor(() => expect(within(card()).getAllByRole('option').map((o) => o.textContent!.trim())).toEqual(['Venus · you said not', 'New person “Ven”']));
    await typeInto(field, 'Ser');
    await waitFor(() => expect(within(card()).getAllByRole('option').map((o) => o.textContent!.trim())).toEqual(['Serena · moved away', 'New person “Ser”']));
    await fireEvent.mouseDown(within(card()).getByRole('option', { name: /Serena/ }));
    await waitFor(() => expect(engine.calls('faces.name')).toEqual([{ faceIds: ['face1-0'], name: 'Serena' }]));
    expect(engine.face('face1-0')).toMatchObject({ personId: 'person-serena', rejected: ['person-venus'] });
  });
});

// @vitest-environment jsdom
// Who is this? asks about likely people first, and sets a photo's strangers aside at once. QA, after naming everyone
// in a 674-photo album: 126 items left, about 117 of them strangers in party photos, one Delete each, and two faces of
// Barack Obama 0.010 from his named faces came 82nd and 84th, behind every unnamed group and every clear face.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, type FakeState } from './fake-engine.js';
import { renderScreen } from './render.js';

/**
 * Ada named from two photos; two unnamed groups (Dan's four faces, Eve's three); a party photo of three strangers and
 * Ada in the background, none of them grouped; and one more stranger alone.
 */
function party(): FakeState {
  const state: FakeState = { photos: [], faces: [], people: [] };
  const photo = (faces: Array<[identity: string, personId: string | null, assignedBy: 'user' | 'cluster' | null]>) => {
    const n = state.photos.length;
    state.photos.push({ id: `photo${n}`, path: `/photos/img_${n}.jpg`, width: 1200, height: 800, takenAt: null, faceIds: faces.map((_, i) => `face${n}-${i}`) });
    faces.forEach(([identity, personId, assignedBy], i) => state.faces.push({ id: `face${n}-${i}`, photoId: `photo${n}`, box: [100 + i * 260, 200, 200, 200], identity, personId, assignedBy, rejected: [] }));
  };
  for (let i = 0; i < 2; i++) photo([['ada', 'person-ada', 'user']]);
  for (let i = 0; i < 4; i++) photo([['dan', 'group-dan', 'cluster']]);
  for (let i = 0; i < 3; i++) photo([['eve', 'group-eve', 'cluster']]);
  photo([['guest1', null, null], ['guest2', null, null], ['ada', null, null], ['guest3', null, null]]);
  photo([['passer-by', null, null]]);
  state.people = [
    { id: 'person-ada', name: 'Ada', hidden: false, coverFaceId: null },
    { id: 'group-dan', name: null, hidden: false, coverFaceId: null },
    { id: 'group-eve', name: null, hidden: false, coverFaceId: null },
  ];
  return state;
}

const card = () => document.querySelector<HTMLElement>('.queue-ask')!;
const onScreen = () => screen.getByRole('list', { name: 'Queue' }).querySelector('[aria-current="true"]')?.getAttribute('aria-label');

describe('Who is this? orders and sets aside', () => {
  it('asks first about the face Ada is likely to be, in the background of a party photo, then the groups', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(party()));
    // Before: the two groups, then the party's faces in the photo's order, Ada's third of them (6 of 7).
    expect(await screen.findByRole('heading', { name: 'Is this Ada?' })).toBeTruthy();
    expect(screen.getByText('1 of 7')).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'y' });
    await waitFor(() => expect(engine.calls('faces.confirm')).toEqual([{ faceIds: ['face9-2'], personId: 'person-ada' }]));
    // Then the largest group, as before.
    await waitFor(() => expect(onScreen()).toBe('Unnamed group of 4'));
    expect(screen.getByText('1 of 6')).toBeTruthy();
  });

  it('sets aside the strangers of a face\'s photo with Shift+Delete, not Ada\'s face, in one decision one Undo takes back', async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(party()));
    await screen.findByRole('heading', { name: 'Is this Ada?' });
    // Past Ada's face and the two groups, to the first guest.
    for (const n of [2, 3, 4]) {
      await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
      expect(await screen.findByText(`${n} of 7`)).toBeTruthy();
    }
    const button = await within(card()).findByRole('button', { name: 'Don’t ask about 3 faces in this photo' });
    expect(button.getAttribute('aria-keyshortcuts')).toBe('Shift+Delete');
    await fireEvent.keyDown(screen.getByRole('combobox', { name: 'Name' }), { key: 'Delete', shiftKey: true });
    await waitFor(() => expect(engine.calls('faces.ignore')).toEqual([{ faceIds: ['face9-0', 'face9-1', 'face9-3'] }]));
    // On to the next face not set aside: the passer-by, alone in his photo (Ada's face was passed by).
    expect(await screen.findByText('4 of 4')).toBeTruthy();
    expect(within(card()).queryByRole('button', { name: /faces in this photo/ })).toBeNull();
    expect(within(card()).getByRole('button', { name: 'Don’t ask about this face' })).toBeTruthy();
    // One Undo brings the three back, and the screen to the face it was on.
    await toasts.items.findLast((t) => t.action?.label === 'Undo')!.action!.run();
    await waitFor(() => expect(engine.state.faces.filter((f) => f.photoId === 'photo9' && f.assignedBy === 'user')).toEqual([]));
    expect(await screen.findByText('4 of 7')).toBeTruthy();
    expect(await within(card()).findByRole('button', { name: 'Don’t ask about 3 faces in this photo' })).toBeTruthy();
  });

  it('takes off with Shift+Delete, as with Delete, a box the face model doubts, and sets none aside with the strangers', async () => {
    // QA: Shift+Delete on such a box set it and its photo's strangers aside, the box kept, where Delete removed it.
    const album = party();
    album.faces.find((f) => f.id === 'face9-1')!.unrecognisable = 'not-a-face';
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album));
    await screen.findByRole('heading', { name: 'Is this Ada?' });
    for (const n of [2, 3, 4]) {
      await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
      expect(await screen.findByText(`${n} of 7`)).toBeTruthy();
    }
    // The first guest: the doubted box beside it is not among the strangers the button sets aside.
    expect(await within(card()).findByRole('button', { name: 'Don’t ask about 2 faces in this photo' })).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(await screen.findByText('Familiar’s face model doubts this is a face at all')).toBeTruthy();
    expect(within(card()).queryByRole('button', { name: /faces in this photo/ })).toBeNull();
    await fireEvent.keyDown(screen.getByRole('combobox', { name: 'Name' }), { key: 'Delete', shiftKey: true });
    await waitFor(() => expect(engine.calls('faces.notAFace')).toEqual([{ faceIds: ['face9-1'] }]));
    expect(engine.calls('faces.ignore')).toEqual([]);
  });
});

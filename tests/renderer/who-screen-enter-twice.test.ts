// @vitest-environment jsdom
// Who is this?, from the keyboard: an Enter meant for one card never answers the next. QA: the Williams sisters' group
// showed as two parts; the cover's sister named with Enter, the other was asked "Is this <that name>?" at once with Yes
// focused, and a second Enter merged them back. The engine no longer asks that (main/people/group-candidates.ts
// setApartFrom); a question that does appear after an Enter takes the focus on itself, not on Yes.
// Naming group after group, a user types the next name at once, before the next group's field is there (QA: "Rose
// Leslie" typed on after "Joe Biden" and Enter named the next group "e Leslie", its first keys lost while the engine
// answered): what is typed on meanwhile begins the next name field; a question that comes instead drops it, and none of
// its keys answers the question.
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import WhoScreen from '../../renderer/screens/WhoScreen.svelte';
import { FakeEngine, holdCalls, sampleAlbum, type FakeState } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

/** Ada named from three photos; an unnamed group of four of Dan's photos, then one of three more of Ada's. */
function album(): FakeState {
  const state: FakeState = { photos: [], faces: [], people: [] };
  const add = (identity: string, personId: string, assignedBy: 'user' | 'cluster') => {
    const n = state.photos.length;
    state.photos.push({ id: `photo${n}`, path: `/photos/img_${n}.jpg`, width: 1200, height: 800, takenAt: null, faceIds: [`face${n}-0`] });
    state.faces.push({ id: `face${n}-0`, photoId: `photo${n}`, box: [200, 200, 240, 240], identity, personId, assignedBy, rejected: [] });
  };
  for (let i = 0; i < 3; i++) add('ada', 'person-ada', 'user');
  for (let i = 0; i < 4; i++) add('dan', 'group-dan', 'cluster');
  for (let i = 0; i < 3; i++) add('ada', 'group-ada', 'cluster');
  state.people = [
    { id: 'person-ada', name: 'Ada', hidden: false, coverFaceId: null },
    { id: 'group-dan', name: null, hidden: false, coverFaceId: null },
    { id: 'group-ada', name: null, hidden: false, coverFaceId: null },
  ];
  return state;
}

const card = () => document.querySelector<HTMLElement>('.queue-ask')!;
const nameField = () => screen.findByRole('combobox', { name: 'Name' }) as Promise<HTMLInputElement>;

/** The screen's clock, standing still but for the moments a test adds: "at once" is at once on a loaded machine. */
function stillClock(): { advance: (ms: number) => void } {
  let now = performance.now();
  const clock = vi.spyOn(performance, 'now').mockImplementation(() => now);
  onTestFinished(() => clock.mockRestore());
  return { advance: (ms) => void (now += ms) };
}

/** album() on screen, passed by Ada's group (asked about first, and the one left after Dan's) for Dan's name field. */
async function atDansGroup() {
  const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(album()));
  expect(await screen.findByRole('heading', { name: 'Is this Ada?' })).toBeTruthy();
  await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
  return { engine, field: await nameField() };
}

/** Types `keys` one at a time where the focus is, as a keyboard does. */
async function typeOn(keys: Iterable<string>): Promise<void> {
  for (const key of keys) await fireEvent.keyDown(document.activeElement ?? document.body, { key });
}

describe('Who is this? from the keyboard', () => {
  it('after a name given with Enter, "Is this Ada?" about the next group has the focus on the question: another Enter says nothing', async () => {
    const clock = stillClock();
    const { engine, field } = await atDansGroup();
    await typeInto(field, 'Dan');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('people.rename')).toEqual([{ personId: 'group-dan', name: 'Dan' }]));
    const question = await within(card()).findByRole('heading', { name: 'Is this Ada?' });
    // Not on Yes: the browser would take the next Enter as a click on it, merging the group into Ada.
    await waitFor(() => expect(document.activeElement).toBe(question));
    expect(within(card()).getByRole('button', { name: 'Yes, Ada' }).hasAttribute('disabled')).toBe(false);
    await fireEvent.keyDown(question, { key: 'Enter' });
    await fireEvent.keyDown(question, { key: 'Enter', repeat: true });
    expect(engine.calls('unknown.answer')).toEqual([]);
    // The card says what Yes does, which is true of any group it asks about.
    expect(card().textContent).toMatch(/A group of 3 faces in 3 photos that looks like Ada\.\s+Yes adds them to Ada\./);
    expect(card().textContent).not.toContain('did not put them together');
    // Y answers, as the keys below the card say, once the question is read (at once, it is a name typed on:
    // who-screen-maybe.test.ts); held down, it answers once.
    clock.advance(700);
    await fireEvent.keyDown(question, { key: 'y' });
    await fireEvent.keyDown(document.body, { key: 'y', repeat: true });
    await waitFor(() => expect(engine.calls('unknown.answer')).toHaveLength(1));
    expect(engine.calls('unknown.answer')[0]).toMatchObject({ groupId: 'group-ada', personId: 'person-ada', same: true });
    await new Promise((done) => setTimeout(done, 100));
    expect(engine.calls('unknown.answer')).toHaveLength(1);
  });

  it('the part a name set apart comes next with the name field focused and says where it came from', async () => {
    const state = sampleAlbum();
    // Ada's faces grouped with Bob's, as the clustering groups siblings, in a group nobody named.
    for (const f of state.faces) if (f.identity === 'ada' && f.personId === 'person-ada') f.personId = 'person-bob';
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(state));
    await screen.findByRole('group', { name: 'The two parts of this group' });
    const field = screen.getByRole('combobox', { name: 'Name' });
    await typeInto(field, 'Sister A');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('people.rename')).toMatchObject([{ personId: 'person-bob', name: 'Sister A', twoPeople: 'cover-part' }]));
    expect(await screen.findByText('A group of 3 faces in 3 photos')).toBeTruthy();
    expect(card().querySelector('.split-off')?.textContent).toMatch(/Split off from the group you named “Sister A”: Familiar thinks these are someone else\.\s+If they are\s+Sister A after all, type that name\./);
    const next = screen.getByRole('combobox', { name: 'Name' });
    await waitFor(() => expect(document.activeElement).toBe(next));
    // A second Enter in the empty field gives nothing.
    await fireEvent.keyDown(next, { key: 'Enter' });
    expect(engine.calls('people.rename')).toHaveLength(1);
    expect(engine.calls('unknown.answer')).toEqual([]);
  });

  it("keeps a name typed on while the last one is given for the next group's field, the caret after it", async () => {
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(sampleAlbum()));
    const first = await nameField();
    await waitFor(() => expect(document.activeElement).toBe(first));
    const held = holdCalls(engine, 'people.rename');
    await typeInto(first, 'Bob');
    await fireEvent.keyDown(first, { key: 'Enter' });
    await waitFor(() => expect(held.asked()).toBe(true));
    // Into the field still there, which is going: kept, with a slip mended by Backspace.
    await typeOn([...'Clea', 'Backspace', 'o']);
    expect(first.value).toBe('Bob');
    held.release();
    await waitFor(() => expect(engine.calls('people.rename')).toEqual([{ personId: 'person-bob', name: 'Bob' }]));
    const next = await nameField();
    await waitFor(() => expect(document.activeElement).toBe(next));
    expect(next).not.toBe(first);
    expect(next.value).toBe('Cleo');
    // Typed on, not a name to replace: the caret after it, not the whole of it selected.
    expect([next.selectionStart, next.selectionEnd]).toEqual([4, 4]);
    await fireEvent.keyDown(next, { key: 'Enter' });
    // The engine holds every rename: this one is let through once it comes.
    await waitFor(() => {
      held.release();
      expect(engine.calls('people.rename')).toEqual([{ personId: 'person-bob', name: 'Bob' }, { personId: 'person-cleo', name: 'Cleo' }]);
    });
  });

  it("keeps a name typed on while the name given is checked against the person who has it, for the next group's field", async () => {
    const state = album();
    // Eve's group, unnamed, comes after Dan's.
    for (let i = 0; i < 2; i++) {
      const n = state.photos.length;
      state.photos.push({ id: `photo${n}`, path: `/photos/img_${n}.jpg`, width: 1200, height: 800, takenAt: null, faceIds: [`face${n}-0`] });
      state.faces.push({ id: `face${n}-0`, photoId: `photo${n}`, box: [200, 200, 240, 240], identity: 'eve', personId: 'group-eve', assignedBy: 'cluster', rejected: [] });
    }
    state.people.push({ id: 'group-eve', name: null, hidden: false, coverFaceId: null });
    const { engine } = renderScreen(WhoScreen, {}, new FakeEngine(state));
    expect(await screen.findByRole('heading', { name: 'Is this Ada?' })).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    const field = await nameField();
    // Ada's name for Dan's group: the engine is asked whether his faces look like hers first, and answers yes, slowly.
    const held = holdCalls(engine, 'people.namesake');
    const call = engine.dispatcher.call.bind(engine.dispatcher);
    engine.dispatcher.call = (async (name: string, args: unknown) =>
      name === 'people.namesake'
        ? (await call(name as never, args as never), { personId: 'person-ada', name: 'Ada', faceCount: 3, together: 0, looksAlike: true, distance: 0.03, face: null, groupFace: null })
        : call(name as never, args as never)) as typeof engine.dispatcher.call;
    await typeInto(field, 'Ada');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(held.asked()).toBe(true));
    await typeOn([...'Eve', 'Enter']);
    expect(field.value).toBe('Ada');
    held.release();
    await waitFor(() => expect(engine.calls('people.rename')).toEqual([{ personId: 'group-dan', name: 'Ada' }]));
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Name' })).not.toBe(field));
    expect(card().textContent).toContain('A group of 2 faces in 2 photos');
    expect((await nameField()).value).toBe('Eve');
    expect(engine.calls('people.rename')).toHaveLength(1);
  });

  it('drops a name typed on when "Is this Ada?" comes instead, and takes none of its keys as an answer', async () => {
    const clock = stillClock();
    const { engine, field } = await atDansGroup();
    const held = holdCalls(engine, 'people.rename');
    await typeInto(field, 'Dan');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(held.asked()).toBe(true));
    await typeOn('Dora ');
    held.release();
    const question = await within(card()).findByRole('heading', { name: 'Is this Ada?' });
    await waitFor(() => expect(within(card()).getByRole('button', { name: 'Yes, Ada' }).hasAttribute('disabled')).toBe(false));
    // The rest of the name, typed on into the question: its y and n are not answers.
    for (const key of 'Nyman') {
      clock.advance(150);
      await fireEvent.keyDown(document.activeElement ?? question, { key });
    }
    expect(engine.calls('unknown.answer')).toEqual([]);
    // Read, then answered No: the name field that follows starts empty, not with "Dora ".
    clock.advance(700);
    await fireEvent.keyDown(document.activeElement ?? question, { key: 'n' });
    await waitFor(() => expect(engine.calls('unknown.answer')).toHaveLength(1));
    expect(engine.calls('unknown.answer')[0]).toMatchObject({ groupId: 'group-ada', personId: 'person-ada', same: false });
    expect((await nameField()).value).toBe('');
  });
});

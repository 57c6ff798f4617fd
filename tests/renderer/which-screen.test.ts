// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import WhichScreen from '../../renderer/screens/WhichScreen.svelte';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';
import { MAX_PAGE, type AmbiguousFace } from '../../preload/contract.js';

/** Ada and Bob both named, and Bob's faces look like Ada: each is an "is this Bob or Ada?" question. */
function lookalikeAlbum() {
  const album = sampleAlbum();
  album.people.find((p) => p.id === 'person-bob')!.name = 'Bob';
  album.lookalikes = { bob: 'ada' };
  return new FakeEngine(album);
}

async function questionOrder(engine: FakeEngine): Promise<string[]> {
  const answer = await engine.dispatcher.call('faces.ambiguous', { limit: 50 });
  return (answer.result as { faces: Array<{ face: { id: string } }> }).faces.map((q) => q.face.id);
}

type QuestionPage = { total: number; faces: AmbiguousFace[] };

/** The engine's answers to "faces.ambiguous" as `rewrite` changes them: questions an answer raised, or faces far from both. */
function rewriteQuestions(engine: FakeEngine, rewrite: (page: QuestionPage) => QuestionPage): void {
  const call = engine.dispatcher.call.bind(engine.dispatcher);
  engine.dispatcher.call = (async (name: string, args: unknown) => {
    const answer = await call(name as never, args);
    if (name !== 'faces.ambiguous' || answer.error !== undefined) return answer;
    return { result: rewrite(answer.result as QuestionPage) };
  }) as typeof engine.dispatcher.call;
}

/**
 * The screen's clock stands still unless a test moves it on: an answer key pressed a moment after its question
 * appeared counts, one pressed at once does not, however long the checks between take on a loaded machine.
 */
let now = 0;
beforeEach(() => {
  now = performance.now();
  vi.spyOn(performance, 'now').mockImplementation(() => now);
});
afterEach(() => vi.restoreAllMocks());

/** An answer key, pressed once the question has been on screen a while (as a user who read it does). */
async function answerKey(key: string, init: KeyboardEventInit = {}): Promise<void> {
  now += 1000;
  await fireEvent.keyDown(document.body, { key, ...init });
}

/** Lets the screen finish what a key started (its calls and their reload), for a check that nothing happened. */
async function settled(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((done) => setTimeout(done, 0));
}

/** The face the question on screen is about (the face shown beside it). */
const faceAskedAbout = () => /thumb\/([^/?&]+)/.exec(decodeURIComponent(screen.getByRole('img', { name: 'The face in question' }).getAttribute('src') ?? ''))?.[1];

describe('Which one? screen', () => {
  it('answers "is this A or B?" with 1, a click, N for neither, and a typed name for someone else', async () => {
    const engine = lookalikeAlbum();
    const order = await questionOrder(engine);
    expect(order).toHaveLength(4);
    renderScreen(WhichScreen, {}, engine);
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    expect(screen.getByText('4 faces that may be one of two people you named')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Is this Bob or Ada?' })).toBeTruthy();

    await answerKey('1');
    await waitFor(() => expect(engine.calls('faces.confirm')).toEqual([{ faceIds: [order[0]], personId: 'person-bob' }]));
    expect(await screen.findByText('1 of 3')).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Ada', description: 'It’s Ada (their picture)' }));
    await waitFor(() => expect(engine.calls('faces.confirm')).toContainEqual({ faceIds: [order[1]], personId: 'person-ada' }));
    expect(await screen.findByText('1 of 2')).toBeTruthy();

    await answerKey('n');
    // "Neither" is one decision about both people: one undo, the toast's or Ctrl+Z, takes it all back.
    await waitFor(() => expect(engine.calls('faces.reject')).toEqual([{ faceIds: [order[2]], personId: 'person-bob', alsoNotPersonIds: ['person-ada'] }]));
    expect(await screen.findByText('1 of 1')).toBeTruthy();

    const field = screen.getByRole('combobox', { name: 'Someone else' });
    await typeInto(field, 'Dora');
    // Typing a digit in the field is the name's, not a shortcut.
    await fireEvent.keyDown(field, { key: '1' });
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.calls('faces.name')).toEqual([{ faceIds: [order[3]], name: 'Dora' }]));
    expect(engine.calls('faces.confirm')).toHaveLength(2);
    expect(await screen.findByText('Nothing to decide')).toBeTruthy();
  });

  it('keeps its order after an answer: the next question is the one after it, and a question the answer raised joins the end', async () => {
    const engine = lookalikeAlbum();
    const order = await questionOrder(engine);
    // The last question appears only after an answer, and the engine sorts it first: the answer made that face less sure.
    rewriteQuestions(engine, (page) => {
      const raised = page.faces.filter((q) => q.face.id === order[3]);
      const rest = page.faces.filter((q) => q.face.id !== order[3]);
      const faces = engine.calls('faces.confirm').length ? [...raised, ...rest] : rest;
      return { total: faces.length, faces };
    });
    renderScreen(WhichScreen, {}, engine);
    expect(await screen.findByText('1 of 3')).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(await screen.findByText('2 of 3')).toBeTruthy();
    await answerKey('1');
    await waitFor(() => expect(engine.calls('faces.confirm')).toEqual([{ faceIds: [order[1]], personId: 'person-bob' }]));
    // The question after the answered one, at the same place: the position does not jump back (QA), and the raised
    // question waits at the end.
    await waitFor(() => expect(screen.getByRole('list', { name: 'Questions' }).querySelectorAll('li')).toHaveLength(3));
    expect(await screen.findByText('2 of 3')).toBeTruthy();
    await answerKey('n');
    await waitFor(() => expect(engine.calls('faces.reject').map((c) => (c as { faceIds: string[] }).faceIds[0])).toContain(order[2]));
    // Then the raised one, past the skipped first question.
    expect(await screen.findByText('2 of 2')).toBeTruthy();
    await answerKey('n');
    await waitFor(() => expect(engine.calls('faces.reject').map((c) => (c as { faceIds: string[] }).faceIds[0])).toContain(order[3]));
  });

  it('asks "A, B or someone else?" about a face close to neither, with Neither as the likely answer', async () => {
    const engine = lookalikeAlbum();
    const order = await questionOrder(engine);
    // The engine marks the second question's face as farther than the same-person distance from both people.
    rewriteQuestions(engine, (page) => ({ ...page, faces: page.faces.map((q) => ({ ...q, closeToNeither: q.face.id === order[1] })) }));
    renderScreen(WhichScreen, {}, engine);
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    // QA: "Is this Tom Cruise or Raj?" about a stranger like neither. The count says which kind each is.
    expect(screen.getByText('3 faces that may be one of two people you named, 1 face that may be someone else')).toBeTruthy();
    const neither = () => screen.getByRole('button', { name: /Neither of them/ });
    expect(screen.getByRole('heading', { name: 'Is this Bob or Ada?' })).toBeTruthy();
    expect(neither().classList.contains('primary')).toBe(false);
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(await screen.findByRole('heading', { name: 'Is this Bob, Ada or someone else?' })).toBeTruthy();
    expect(screen.getByText('This face looks far from both, so it is most likely someone else.')).toBeTruthy();
    expect(neither().classList.contains('primary')).toBe(true);
    expect(screen.getByRole('status').textContent).toBe('Question 2 of 4: is this Bob, Ada or someone else?');
    expect(screen.getByRole('list', { name: 'Questions' }).querySelector('[aria-current="true"]')!.getAttribute('aria-label')).toBe('Bob, Ada or someone else');
    await answerKey('n');
    await waitFor(() => expect(engine.calls('faces.reject')).toEqual([{ faceIds: [order[1]], personId: 'person-bob', alsoNotPersonIds: ['person-ada'] }]));
  });

  it('puts the focus on the next question, not on one of its answers, so a stray Enter answers nothing (QA: "1 Amy" focused after N)', async () => {
    const engine = lookalikeAlbum();
    renderScreen(WhichScreen, {}, engine);
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    await answerKey('n');
    expect(await screen.findByText('1 of 3')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Is this Bob or Ada?' })));

    // Answered with a click: the button clicked does not keep the focus either, though the next question has it too.
    await fireEvent.click(screen.getByRole('button', { name: 'Ada', description: 'It’s Ada (their picture)' }));
    expect(await screen.findByText('1 of 2')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Is this Bob or Ada?' })));
  });

  it("keeps every answer in a very short window: the photo shows the face, so the card drops its copy and the key hints (QA, 720x480)", async () => {
    const height = window.innerHeight;
    Object.defineProperty(window, 'innerHeight', { configurable: true, value: 480 });
    try {
      renderScreen(WhichScreen, {}, lookalikeAlbum());
      expect(await screen.findByText('1 of 4')).toBeTruthy();
      const card = document.querySelector('.queue-ask')!;
      expect(card.classList.contains('tight')).toBe(true);
      expect(within(card as HTMLElement).queryByAltText('The face in question')).toBeNull();
      expect(screen.queryByText('Each answer teaches Familiar to tell them apart.')).toBeNull();
      // The keys are still said to a screen reader, and every answer is there.
      expect(card.querySelector('.queue-keys.sr-only')).toBeTruthy();
      expect(screen.getByRole('button', { name: /Neither of them/ })).toBeTruthy();
      expect(screen.getByRole('combobox', { name: 'Someone else' })).toBeTruthy();
    } finally {
      Object.defineProperty(window, 'innerHeight', { configurable: true, value: height });
    }
  });

  it('says so when there is nothing to decide, without counting "0 faces"', async () => {
    renderScreen(WhichScreen, {});
    expect(await screen.findByText('Nothing to decide')).toBeTruthy();
    // QA: "Every face near the people you named is clearly one of them" was more than Familiar knows.
    expect(screen.getByText(/Right now Familiar is not torn between two of the people you named\./)).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/clearly one of them|\b0 faces?\b/);
    // Not a dead end (QA): on to the faces waiting for a name, or back to People.
    const onward = await screen.findByRole('link', { name: /^Who is this\? \(\d+ to name\)$/ });
    expect(onward.getAttribute('href')).toBe('#/who');
    expect(onward.classList.contains('primary')).toBe(true);
    expect(screen.getByRole('link', { name: 'Back to People' }).getAttribute('href')).toBe('#/people');
  });

  it('keeps each pair of people in the order first shown, so 1 and 2 stay with the same person (QA: 2, 2 confirmed Venus as Serena)', async () => {
    const engine = lookalikeAlbum();
    const order = await questionOrder(engine);
    // The engine lists the nearer person first: Ada for the second question, and for every question after an answer.
    const swapped = (q: AmbiguousFace): AmbiguousFace => ({ ...q, candidates: [q.candidates[1], q.candidates[0]] });
    rewriteQuestions(engine, (page) => ({ ...page, faces: page.faces.map((q) => (q.face.id === order[1] || engine.calls('faces.confirm').length ? swapped(q) : q)) }));
    renderScreen(WhichScreen, {}, engine);
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Is this Bob or Ada?' })).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(await screen.findByText('2 of 4')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Is this Bob or Ada?' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Bob', description: 'It’s Bob (their picture)' }).getAttribute('aria-keyshortcuts')).toBe('1');
    expect(screen.getByRole('list', { name: 'Questions' }).querySelector('[aria-current="true"]')!.getAttribute('aria-label')).toBe('Bob or Ada');
    await answerKey('1');
    await waitFor(() => expect(engine.calls('faces.confirm')).toEqual([{ faceIds: [order[1]], personId: 'person-bob' }]));
    // The reload after the answer lists Ada first everywhere: the screen still asks about Bob first.
    await waitFor(() => expect(faceAskedAbout()).toBe(order[2]));
    await settled();
    expect(screen.getByRole('heading', { name: 'Is this Bob or Ada?' })).toBeTruthy();
    await answerKey('2');
    await waitFor(() => expect(engine.calls('faces.confirm')).toContainEqual({ faceIds: [order[2]], personId: 'person-ada' }));
  });

  it('answers only a question that was on screen: a held key, or a key pressed again at once, does not answer the next', async () => {
    const engine = lookalikeAlbum();
    const order = await questionOrder(engine);
    renderScreen(WhichScreen, {}, engine);
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    // A key held down repeats: only its first press answers.
    await answerKey('2', { repeat: true });
    await settled();
    expect(engine.calls('faces.confirm')).toEqual([]);
    await answerKey('2');
    await waitFor(() => expect(engine.calls('faces.confirm')).toEqual([{ faceIds: [order[0]], personId: 'person-ada' }]));
    expect(await screen.findByText('1 of 3')).toBeTruthy();
    // QA: 2 pressed twice 30 ms apart answered two faces, the second never seen. At once after the next question
    // appeared, neither 2 nor N answers it.
    await fireEvent.keyDown(document.body, { key: '2' });
    await fireEvent.keyDown(document.body, { key: 'n' });
    // Nor does the second click of a double-click, which lands on the next question's button.
    await fireEvent.click(screen.getByRole('button', { name: 'Bob' }), { detail: 2 });
    await settled();
    expect(engine.calls('faces.confirm')).toHaveLength(1);
    expect(engine.calls('faces.reject')).toEqual([]);
    expect(screen.getByText('1 of 3')).toBeTruthy();
    // A moment later, it does.
    await answerKey('2');
    await waitFor(() => expect(engine.calls('faces.confirm')).toContainEqual({ faceIds: [order[1]], personId: 'person-ada' }));
  });

  it('goes back to the face an undo brings back, where it was, with the focus on its question', async () => {
    const engine = lookalikeAlbum();
    const order = await questionOrder(engine);
    renderScreen(WhichScreen, {}, engine);
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(await screen.findByText('2 of 4')).toBeTruthy();
    await answerKey('1');
    await waitFor(() => expect(engine.calls('faces.confirm')).toEqual([{ faceIds: [order[1]], personId: 'person-bob' }]));
    await waitFor(() => expect(faceAskedAbout()).toBe(order[2]));
    expect(screen.getByText('2 of 3')).toBeTruthy();
    // The toast's Undo: its button goes with the toast, and the focus with it.
    (document.activeElement as HTMLElement | null)?.blur();
    const undo = toasts.items.findLast((t) => t.action?.label === 'Undo')!.action!;
    await undo.run();
    await waitFor(() => expect(engine.calls('undo')).toHaveLength(1));
    // QA: the face came back at the end of the queue, and the cursor stayed on the next question.
    await waitFor(() => expect(faceAskedAbout()).toBe(order[1]));
    expect(screen.getByText('2 of 4')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Questions' })).getAllByRole('button').map((b) => b.getAttribute('aria-current'))).toEqual([null, 'true', null, null]);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Is this Bob or Ada?' })));
    // Answered again, differently, it goes, and the queue goes on after it.
    await answerKey('2');
    await waitFor(() => expect(engine.calls('faces.confirm')).toContainEqual({ faceIds: [order[1]], personId: 'person-ada' }));
    await waitFor(() => expect(faceAskedAbout()).toBe(order[2]));
  });

  it('puts the focus on the question when opened from a button that goes with the screen before it', async () => {
    (document.activeElement as HTMLElement | null)?.blur();
    renderScreen(WhichScreen, {}, lookalikeAlbum());
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Is this Bob or Ada?' })));
  });

  it('says the name the face is filed under is Familiar\'s guess, not the answer', async () => {
    renderScreen(WhichScreen, {}, lookalikeAlbum());
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    const box = await waitFor(() => {
      const asked = document.querySelector<HTMLElement>('.box.highlight');
      expect(asked).toBeTruthy();
      return asked!;
    });
    expect(box.textContent?.trim()).toMatch(/^Familiar’s guess: (Ada|Bob)$/);
  });
  it('asks for a full page of questions and counts every question, not just the page', async () => {
    const engine = lookalikeAlbum();
    // A library with more questions than one page holds: the engine answers two of its four.
    const call = engine.dispatcher.call.bind(engine.dispatcher);
    engine.dispatcher.call = (async (name: string, args: unknown) => {
      const answer = await call(name as never, args);
      if (name !== 'faces.ambiguous' || answer.error !== undefined) return answer;
      const page = answer.result as { total: number; faces: unknown[] };
      return { result: { ...page, faces: page.faces.slice(0, 2) } };
    }) as typeof engine.dispatcher.call;
    renderScreen(WhichScreen, {}, engine);
    expect(await screen.findByText('1 of 4')).toBeTruthy();
    expect(engine.calls('faces.ambiguous')[0]).toEqual({ limit: MAX_PAGE });
  });
});

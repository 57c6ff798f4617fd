// @vitest-environment jsdom
// The photo viewer's "Mark a missed face": a box drawn with the mouse or placed with the keyboard is looked into,
// a face found there opens for naming, and a box with no face says so and lets the user draw again.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import PhotoViewer from '../../renderer/components/PhotoViewer.svelte';
import { drawnBoxFrom, moveDraft } from '../../renderer/lib/drawn-box.js';
import { toasts } from '../../renderer/lib/live.svelte.js';
import { FakeEngine, sampleAlbum } from './fake-engine.js';
import { renderScreen, typeInto } from './render.js';

const undo: Array<() => void> = [];
afterEach(() => {
  undo.splice(0).forEach((restore) => restore());
  toasts.items.splice(0);
});

/** jsdom lays nothing out: the drawing layer is given the photo's own size (1200 x 800) at the page's corner. */
function layOut(): void {
  const prototype = HTMLElement.prototype as unknown as Record<string, unknown>;
  Object.defineProperty(prototype, 'getBoundingClientRect', {
    configurable: true,
    value: () => ({ top: 0, left: 0, right: 1200, bottom: 800, x: 0, y: 0, width: 1200, height: 800, toJSON: () => ({}) }) as DOMRect,
  });
  undo.push(() => delete prototype.getBoundingClientRect);
}

/** photo9 ('ada', in no group) with a second face, of Ada, that the import missed at the right of the photo. */
function engineWithMissedFace(): FakeEngine {
  const engine = new FakeEngine(sampleAlbum());
  engine.missedFaces = [{ id: 'photo9-1', photoId: 'photo9', box: [800, 300, 200, 240], identity: 'ada', personId: null, assignedBy: null, rejected: [] }];
  return engine;
}

const open = (engine: FakeEngine) =>
  renderScreen(PhotoViewer, { photoId: 'photo9', people: [], onclose: () => {}, onstep: () => {} }, engine);

async function drag(from: [number, number], to: [number, number]) {
  const layer = await screen.findByRole('button', { name: /Drag a box around the missed face/ });
  await fireEvent.pointerDown(layer, { button: 0, clientX: from[0], clientY: from[1], pointerId: 1 });
  await fireEvent.pointerMove(layer, { clientX: to[0], clientY: to[1], pointerId: 1 });
  await fireEvent.pointerUp(layer, { clientX: to[0], clientY: to[1], pointerId: 1 });
}

describe('Photo viewer: mark a missed face', () => {
  it('adds the face found in a dragged box and opens it for naming', async () => {
    layOut();
    const engine = engineWithMissedFace();
    open(engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Mark a missed face' }));
    expect(screen.getByText(/Drag a box around the face, from the hairline to the chin/)).toBeTruthy();
    await drag([790, 290], [1010, 550]);
    await waitFor(() => expect(engine.log.some((c) => c.name === 'faces.addDrawn')).toBe(true));
    const call = engine.log.find((c) => c.name === 'faces.addDrawn')!.args as { photoId: string; box: number[] };
    expect(call.photoId).toBe('photo9');
    expect(call.box).toEqual([790, 290, 220, 260]);
    // The new face is in the photo, picked for naming, and the toast says it was added.
    expect(await screen.findByRole('combobox', { name: 'Name this face' })).toBeTruthy();
    expect(toasts.items.some((t) => /Added the face you marked/.test(t.message))).toBe(true);
    const field = screen.getByRole('combobox', { name: 'Name this face' });
    await typeInto(field, 'Ada');
    await fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(engine.state.faces.find((f) => f.id === 'photo9-1')?.personId).toBe('person-ada'));
  });

  it('offers Undo on the added face, which takes it out of the photo again', async () => {
    layOut();
    const engine = engineWithMissedFace();
    open(engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Mark a missed face' }));
    await drag([790, 290], [1010, 550]);
    await waitFor(() => expect(engine.state.faces.some((f) => f.id === 'photo9-1')).toBe(true));
    const toast = toasts.items.find((t) => /Added the face you marked/.test(t.message))!;
    expect(toast.action?.label).toBe('Undo');
    await toast.action!.run();
    await waitFor(() => expect(engine.state.faces.some((f) => f.id === 'photo9-1')).toBe(false));
    expect(engine.state.photos.find((p) => p.id === 'photo9')!.faceIds).toEqual(['face9-0']);
    expect(toasts.items.some((t) => t.message === 'Undone: Marked a face in img_9.jpg.')).toBe(true);
  });

  it('says when the box holds no face, and lets the user draw again', async () => {
    layOut();
    const engine = engineWithMissedFace();
    open(engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Mark a missed face' }));
    await drag([20, 20], [120, 140]);
    await waitFor(() => expect(toasts.items.some((t) => /found no face in that box/.test(t.message))).toBe(true));
    expect(engine.state.faces.some((f) => f.id === 'photo9-1')).toBe(false);
    // Still drawing: the second box finds the face.
    await drag([800, 300], [1000, 540]);
    await waitFor(() => expect(engine.state.faces.some((f) => f.id === 'photo9-1')).toBe(true));
  });

  it('does not ask for another box when no box can help (the file changed since the import)', async () => {
    layOut();
    const engine = engineWithMissedFace();
    engine.changedFiles = ['photo9'];
    open(engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Mark a missed face' }));
    await drag([800, 300], [1000, 540]);
    await waitFor(() => expect(toasts.items.some((t) => /has changed since it was imported/.test(t.message))).toBe(true));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Mark a missed face' })).toBeTruthy());
    expect(screen.queryByRole('button', { name: /Drag a box around the missed face/ })).toBeNull();
  });

  it('a click without a drag draws nothing, and Escape stops drawing without closing the photo', async () => {
    layOut();
    const engine = engineWithMissedFace();
    let closed = false;
    renderScreen(PhotoViewer, { photoId: 'photo9', people: [], onclose: () => (closed = true), onstep: () => {} }, engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Mark a missed face' }));
    await drag([500, 400], [502, 401]);
    expect(engine.log.some((c) => c.name === 'faces.addDrawn')).toBe(false);
    expect(toasts.items.some((t) => /^Drag across the face/.test(t.message))).toBe(true);
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(closed).toBe(false);
    expect(screen.queryByRole('button', { name: /Drag a box around the missed face/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Mark a missed face' })).toBeTruthy();
  });

  it('draws with the keyboard: Enter places a box, arrows move and resize it, Enter looks', async () => {
    const engine = engineWithMissedFace();
    open(engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Mark a missed face' }));
    const layer = await screen.findByRole('button', { name: /Drag a box around the missed face/ });
    await waitFor(() => expect(document.activeElement).toBe(layer));
    await fireEvent.keyDown(layer, { key: 'Enter' });
    for (let i = 0; i < 10; i++) await fireEvent.keyDown(layer, { key: 'ArrowRight' });
    await fireEvent.keyDown(layer, { key: 'ArrowDown', shiftKey: true });
    await fireEvent.keyDown(layer, { key: 'Enter' });
    await waitFor(() => expect(engine.log.some((c) => c.name === 'faces.addDrawn')).toBe(true));
    const { box } = engine.log.find((c) => c.name === 'faces.addDrawn')!.args as { box: number[] };
    // A fifth of the 800-px side, face-shaped, in the middle; moved right by 10 x 2 %, then 2 % taller.
    expect(box[0]).toBeCloseTo(520 + 240, 0);
    expect(box[2]).toBeCloseTo(160, 0);
    expect(box[3]).toBeCloseTo(192 + 16, 0);
    await waitFor(() => expect(engine.state.faces.some((f) => f.id === 'photo9-1')).toBe(true));
  });

  it('a box drawn around a face already marked opens that face', async () => {
    layOut();
    const engine = engineWithMissedFace();
    open(engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Mark a missed face' }));
    await drag([190, 190], [450, 450]);
    await waitFor(() => expect(toasts.items.some((t) => /marked already/.test(t.message))).toBe(true));
    expect(await screen.findByRole('combobox', { name: 'Name this face' })).toBeTruthy();
    expect(engine.state.faces.filter((f) => f.photoId === 'photo9')).toHaveLength(1);
  });

  it('keeps a box being looked into on its photo when the arrows step to another, and still says what was found', async () => {
    layOut();
    const engine = engineWithMissedFace();
    engine.callDelays['faces.addDrawn'] = 200;
    const { rerender } = open(engine);
    await fireEvent.click(await screen.findByRole('button', { name: 'Mark a missed face' }));
    await drag([790, 290], [1010, 550]);
    expect(await screen.findByRole('status', { name: 'Looking for a face in the box you drew' })).toBeTruthy();
    await rerender({ photoId: 'photo1', people: [], onclose: () => {}, onstep: () => {} });
    // The other photo shows its own faces, with no box from photo9 over it.
    expect(screen.queryByRole('status', { name: 'Looking for a face in the box you drew' })).toBeNull();
    expect(screen.queryByText('Looking for a face in the box…')).toBeNull();
    expect(await screen.findByRole('button', { name: 'Mark a missed face' })).toBeTruthy();
    await waitFor(() => expect(toasts.items.some((t) => /Added the face you marked/.test(t.message))).toBe(true));
    expect(engine.state.faces.some((f) => f.id === 'photo9-1')).toBe(true);
    expect(screen.queryByRole('combobox', { name: 'Name this face' })).toBeNull();
  });

  it('offers "Don\'t ask about this face" for a face with no name', async () => {
    const engine = engineWithMissedFace();
    open(engine);
    await fireEvent.click(await screen.findByRole('button', { name: /Face: unknown/ }));
    await fireEvent.click(await screen.findByRole('button', { name: "Don't ask about this face" }));
    await waitFor(() => expect(engine.state.faces.find((f) => f.id === 'face9-0')?.assignedBy).toBe('user'));
  });
});

describe('drawn boxes', () => {
  it('are handed over in the photo\'s pixels, and a click is no box', () => {
    expect(drawnBoxFrom({ x: 0.5, y: 0.25, w: 0.1, h: 0.2 }, 1200, 800)).toEqual([600, 200, 120, 160]);
    expect(drawnBoxFrom({ x: 0.5, y: 0.5, w: 0.005, h: 0.2 }, 1200, 800)).toBeNull();
  });

  it('stay inside the photo when moved or resized with the keyboard', () => {
    let draft = moveDraft(null, '', false, 1200, 800);
    for (let i = 0; i < 100; i++) draft = moveDraft(draft, 'ArrowLeft', false, 1200, 800);
    expect(draft.x).toBe(0);
    for (let i = 0; i < 100; i++) draft = moveDraft(draft, 'ArrowDown', true, 1200, 800);
    expect(draft.y + draft.h).toBeCloseTo(1, 6);
  });

  it('shrink with the keyboard no smaller than the engine takes, so Enter looks rather than starting over', () => {
    // A 250-pixel photo (lfw): a step is 5 pixels, under the 12 a face needs.
    for (const [width, height] of [[250, 250], [1200, 800], [60, 40]]) {
      let draft = moveDraft(null, '', false, width, height);
      expect(drawnBoxFrom(draft, width, height), `${width} x ${height}`).not.toBeNull();
      for (let i = 0; i < 100; i++) draft = moveDraft(moveDraft(draft, 'ArrowLeft', true, width, height), 'ArrowUp', true, width, height);
      expect(drawnBoxFrom(draft, width, height), `${width} x ${height}`).not.toBeNull();
    }
  });
});

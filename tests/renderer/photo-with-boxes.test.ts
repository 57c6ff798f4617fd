// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import PhotoWithBoxes from '../../renderer/components/PhotoWithBoxes.svelte';
import type { FaceSummary } from '../../renderer/lib/types.js';
import { FIT, PhotoZoom, clampView, largestScale, photoPointAt, reveal, zoomAbout } from '../../renderer/lib/zoom.svelte.js';
import { renderScreen } from './render.js';
import { layOutZoomablePhoto, onScreen } from './zoom-layout.js';

const undo: Array<() => void> = [];
afterEach(() => undo.splice(0).forEach((restore) => restore()));

const face = (id: string, box: [number, number, number, number], personName: string | null = null): FaceSummary =>
  ({ id, photoId: 'p', box, score: 0.9, personId: personName ? `person-${personName}` : null, personName, assignedBy: null, faceness: null, unrecognisable: null, thumb: `thumb/${id}` }) as unknown as FaceSummary;

describe('PhotoWithBoxes', () => {
  it('zooms to a small face in a group photo, shows the whole photo on request, and labels only that face among many', async () => {
    const faces = [face('a', [100, 100, 60, 60]), face('b', [300, 100, 60, 60], 'Bo'), face('c', [500, 100, 60, 60]), face('d', [700, 100, 60, 60]), face('e', [900, 100, 60, 60])];
    renderScreen(PhotoWithBoxes, { image: 'photo/p', width: 2000, height: 1000, faces, highlight: 'c', zoom: true, alt: 'A group' });
    const canvas = document.querySelector<HTMLElement>('.canvas')!;
    expect(canvas.style.width).toBe('400%');
    expect([...document.querySelectorAll('.tag')].map((t) => t.textContent)).toEqual(['Unnamed face']);
    await fireEvent.click(screen.getByRole('button', { name: 'Whole photo' }));
    expect(canvas.style.width).toBe('100%');
    expect(screen.getByRole('button', { name: 'Zoom to the face' })).toBeTruthy();
  });

  it('says "Unnamed" of both faces nobody named, the group\'s as a group and the other as a face (QA: "Not named yet" beside "Unnamed group")', () => {
    const inGroup = { ...face('a', [100, 100, 200, 200]), personId: 'person-g' } as FaceSummary;
    renderScreen(PhotoWithBoxes, { image: 'photo/p', width: 1000, height: 500, faces: [inGroup, face('b', [600, 100, 200, 200])], alt: 'Two people' });
    expect([...document.querySelectorAll('.tag')].map((t) => t.textContent)).toEqual(['Unnamed group', 'Unnamed face']);
    expect(screen.getByRole('img', { name: /Two people/ })).toBeTruthy();
  });

  it('keeps a zoomed view inside the photo for a face near its edge, instead of showing black past it', () => {
    // A face at the top-left corner, zoomed 4x: centred it would leave the left and top of the view empty.
    renderScreen(PhotoWithBoxes, { image: 'photo/p', width: 2000, height: 1000, faces: [face('a', [20, 10, 60, 60]), face('b', [900, 100, 60, 60])], highlight: 'a', zoom: true, alt: 'Edge' });
    const canvas = document.querySelector<HTMLElement>('.canvas')!;
    // At 4x the view spans 25 % of the photo: its centre no nearer the edge than 12.5 %, so the photo's top-left
    // corner stays at the frame's.
    expect([canvas.style.left, canvas.style.top, canvas.style.width]).toEqual(['0%', '0%', '400%']);
  });

  it('says why a photo the engine will not serve is not shown, and what to do (a file gone, changed or damaged on disk, which an <img> cannot tell apart), with no boxes over it', async () => {
    let failed = 0;
    renderScreen(PhotoWithBoxes, { image: 'photo/p', width: 400, height: 400, faces: [face('a', [100, 100, 60, 60], 'Lea')], alt: 'Changed on disk', onfailed: () => failed++ });
    expect(document.querySelectorAll('.box')).toHaveLength(1);
    await fireEvent.error(document.querySelector('img')!);
    expect(document.querySelector('.placeholder')!.textContent!.trim()).toBe(
      'This photo cannot be shown: its file was moved, deleted, changed or damaged since it was imported. Its faces and names are kept: put the file back, or, if it was edited, import its folder again.',
    );
    // QA: Lea's box and tag were drawn across the sentence.
    expect(document.querySelectorAll('.box')).toHaveLength(0);
    expect(failed).toBe(1);
  });

  it('says a missing file is missing, and that putting it back or importing it from its new place shows it', async () => {
    // QA: "Import its folder again" for a file deleted from a watched folder, which the watcher had just imported.
    renderScreen(PhotoWithBoxes, { image: 'photo/p', width: 400, height: 400, faces: [], alt: 'Gone', missing: true });
    await fireEvent.error(document.querySelector('img')!);
    expect(document.querySelector('.placeholder')!.textContent!.trim()).toBe(
      'This photo’s file is missing: it was moved or deleted outside Familiar. Its faces and names are kept: put the file back, or import it from its new place.',
    );
  });

  it('numbers and reads the face boxes left to right, whatever order the engine lists them in', () => {
    // QA: "Face 1 (middle), Face 2 (left), Face 3 (right), Face 4 (middle)", in the order the detector found them.
    const faces = [face('m', [900, 100, 60, 60]), face('l', [100, 100, 60, 60], 'Lea'), face('r', [1700, 100, 60, 60]), face('m2', [1100, 300, 60, 60])];
    renderScreen(PhotoWithBoxes, { image: 'photo/p', width: 2000, height: 1000, faces, alt: 'A group', onpick: () => {} });
    expect(screen.getAllByRole('button').map((box) => box.getAttribute('aria-label'))).toEqual([
      'Face 1 of 4 (left): Lea. Click to name or correct.',
      'Face 2 of 4 (middle): unnamed. Click to name or correct.',
      'Face 3 of 4 (middle): unnamed. Click to name or correct.',
      'Face 4 of 4 (right): unnamed. Click to name or correct.',
    ]);
  });

  it('leaves a large face unzoomed, with no button', () => {
    renderScreen(PhotoWithBoxes, { image: 'photo/p', width: 400, height: 400, faces: [face('a', [100, 100, 200, 200])], highlight: 'a', zoom: true, alt: 'One face' });
    expect(document.querySelector<HTMLElement>('.canvas')!.style.width).toBe('100%');
    expect(screen.queryByRole('button', { name: 'Whole photo' })).toBeNull();
  });
});

describe('PhotoWithBoxes: the viewer\'s zoom', () => {
  /** A 1200 x 800 photo fitted to 600 x 400 pixels on screen: twice its pixels is 4x. */
  function zoomable(onpick: (f: FaceSummary) => void = () => {}, size: [number, number] = [1200, 800], fit: [number, number] = [600, 400]) {
    undo.push(layOutZoomablePhoto(...fit));
    const zoom = new PhotoZoom();
    const faces = [face('a', [120, 80, 60, 72], 'Ann'), face('b', [900, 300, 200, 240])];
    renderScreen(PhotoWithBoxes, { image: 'photo/p', width: size[0], height: size[1], faces, alt: 'A group', onpick, userZoom: zoom });
    flushSync();
    return { zoom, photo: document.querySelector<HTMLElement>('.photo')!, canvas: document.querySelector<HTMLElement>('.canvas')! };
  }

  it('zooms with the wheel about the pointer: the point of the photo under it stays there', async () => {
    const { zoom, photo, canvas } = zoomable();
    expect(zoom.largest).toBe(4);
    await fireEvent.wheel(photo, { deltaY: -100, clientX: 150, clientY: 100 });
    expect(zoom.view.scale).toBeCloseTo(Math.exp(0.25), 6);
    const under = photoPointAt(zoom.view, { x: 0.25, y: 0.25 });
    expect(under.x).toBeCloseTo(0.25, 6);
    expect(under.y).toBeCloseTo(0.25, 6);
    expect(canvas.style.width).toMatch(/^128\.4\d*%$/);
    // Shown at once, not eased behind the wheel.
    expect(canvas.classList.contains('live')).toBe(true);
    // Wheeled back out: the whole photo, fitted.
    await fireEvent.wheel(photo, { deltaY: 100, clientX: 150, clientY: 100 });
    await fireEvent.wheel(photo, { deltaY: 100, clientX: 150, clientY: 100 });
    expect(zoom.view).toEqual(FIT);
    expect([canvas.style.left, canvas.style.top, canvas.style.width]).toEqual(['0%', '0%', '100%']);
  });

  it('zooms no further in than twice the photo\'s pixels, nor out past the whole photo, nor past its edges', async () => {
    const { zoom, photo } = zoomable();
    for (let i = 0; i < 30; i++) await fireEvent.wheel(photo, { deltaY: -100, ctrlKey: true, clientX: 600, clientY: 0 });
    // 4x: each of the 1200 pixels is two on screen. At the top-right corner, the view goes no further than it.
    expect(zoom.view).toEqual({ scale: 4, cx: 1 - 0.125, cy: 0.125 });
    zoom.zoomIn();
    expect(zoom.view.scale).toBe(4);
    expect(zoom.canZoomIn).toBe(false);
    for (let i = 0; i < 10; i++) zoom.zoomOut();
    expect(zoom.view).toEqual(FIT);
  });

  it('does not zoom a small photo already shown at twice its size (a 250-px photo at 500 px)', async () => {
    const { zoom, photo, canvas } = zoomable(undefined, [250, 250], [500, 500]);
    expect(zoom.largest).toBe(1);
    await fireEvent.wheel(photo, { deltaY: -100, clientX: 250, clientY: 250 });
    await fireEvent.dblClick(photo, { clientX: 250, clientY: 250 });
    expect(zoom.view).toEqual(FIT);
    expect(canvas.style.width).toBe('100%');
  });

  it('double-click zooms in at the pointer, and again back to the whole photo', async () => {
    const { zoom, photo } = zoomable();
    await fireEvent.dblClick(photo, { clientX: 450, clientY: 200 });
    // The image's own pixels would be 2x here (1200 on 600): that, about the point clicked.
    expect(zoom.view.scale).toBe(2);
    expect(photoPointAt(zoom.view, { x: 0.75, y: 0.5 }).x).toBeCloseTo(0.75, 6);
    await fireEvent.dblClick(photo, { clientX: 450, clientY: 200 });
    expect(zoom.view).toEqual(FIT);
  });

  it('a drag moves the zoomed photo without opening the face it started on; a click still opens it', async () => {
    const picked: string[] = [];
    const { zoom } = zoomable((f) => picked.push(f.id));
    zoom.zoomTo(2);
    flushSync();
    const box = screen.getByRole('button', { name: /Face 1 of 2 \(left\): Ann/ });
    await fireEvent.pointerDown(box, { button: 0, clientX: 300, clientY: 200, pointerId: 1 });
    await fireEvent.pointerMove(box, { clientX: 200, clientY: 150, pointerId: 1 });
    await fireEvent.pointerUp(box, { clientX: 200, clientY: 150, pointerId: 1 });
    await fireEvent.click(box);
    expect(picked).toEqual([]);
    // Moved left by a sixth of the frame and up by an eighth: the view's centre moves right and down, at 2x by half that.
    expect(zoom.view.cx).toBeCloseTo(0.5 + 100 / 600 / 2, 6);
    expect(zoom.view.cy).toBeCloseTo(0.5 + 50 / 400 / 2, 6);
    await fireEvent.pointerDown(box, { button: 0, clientX: 300, clientY: 200, pointerId: 2 });
    await fireEvent.pointerUp(box, { clientX: 301, clientY: 200, pointerId: 2 });
    await fireEvent.click(box);
    expect(picked).toEqual(['a']);
  });

  it('keeps the face boxes and their tags on the zoomed photo, and hides the tag of a face out of view', () => {
    const { zoom } = zoomable();
    zoom.zoomTo(3, { x: 0.75, y: 0.5 });
    flushSync();
    // The boxes are on the canvas, in shares of the photo: zoomed with the image, their borders 2 px as ever.
    const [ann, other] = document.querySelectorAll<HTMLElement>('.box');
    expect(ann.parentElement).toBe(document.querySelector('.canvas'));
    expect(parseFloat(other.style.left)).toBeCloseTo(75, 6);
    expect(parseFloat(other.style.top)).toBeCloseTo(37.5, 6);
    const [x, y] = onScreen(1200, 800, [900, 300]);
    expect(x).toBeCloseTo(450, 6);
    expect(y).toBeCloseTo(400 * (0.5 + 3 * (0.375 - zoom.view.cy)), 6);
    // Ann, at the far left, is out of view: her tag is not pinned to the frame's edge.
    expect(ann.querySelector('.tag')!.classList.contains('offscreen')).toBe(true);
    const tag = other.querySelector<HTMLElement>('.tag')!;
    expect(tag.classList.contains('offscreen')).toBe(false);
    // Placed by lib/labels.ts: the box, from 450 px, runs past the frame's foot and right edge at 3x, so the tag (21 by
    // 100.4 px, estimated) goes above it, joined to its top, as near its middle as the frame's edge (2 px clear) lets
    // it; placed from inside the box's 2-px border.
    expect(parseFloat(tag.style.left)).toBeCloseTo(600 - 2 - 100.4 - 450 - 2, 3);
    expect(parseFloat(tag.style.top)).toBeCloseTo(-21 - 2, 3);
  });
});

describe('zoom arithmetic', () => {
  it('limits: the whole photo up to twice its pixels, never past its edges', () => {
    expect(largestScale(4000, 1000)).toBe(8);
    expect(largestScale(250, 500)).toBe(1);
    expect(largestScale(250, 0)).toBe(1);
    expect(clampView({ scale: 0.5, cx: 0.1, cy: 0.9 }, 8)).toEqual(FIT);
    expect(clampView({ scale: 10, cx: 0, cy: 1 }, 8)).toEqual({ scale: 8, cx: 1 / 16, cy: 1 - 1 / 16 });
  });

  it('zooming about a point keeps it still; revealing a part moves the view as little as needed', () => {
    const view = zoomAbout({ scale: 2, cx: 0.4, cy: 0.6 }, 5, { x: 0.2, y: 0.9 }, 8);
    const before = photoPointAt({ scale: 2, cx: 0.4, cy: 0.6 }, { x: 0.2, y: 0.9 });
    const after = photoPointAt(view, { x: 0.2, y: 0.9 });
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
    // At 4x the view is a quarter of the photo: a box just right of it brings its right edge in, no further.
    const moved = reveal({ scale: 4, cx: 0.5, cy: 0.5 }, { x: 0.6, y: 0.45, w: 0.05, h: 0.05 }, 8);
    expect(moved.cx).toBeCloseTo(0.65 - 0.125, 9);
    expect(moved.cy).toBe(0.5);
  });
});

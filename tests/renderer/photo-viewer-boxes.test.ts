// @vitest-environment jsdom
// The photo viewer's face boxes in a row of people (QA, groups/bbt1.jpg at 800 x 600: the photo 468 px wide): each
// name tag is seen to be its own box's, and the face being named is marked on the photo, not only in the side panel.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import PhotoViewer from '../../renderer/components/PhotoViewer.svelte';
import type { Rect } from '../../renderer/lib/labels.js';
import type { FakeFace } from './fake-engine.js';
import { FakeEngine } from './fake-engine.js';
import { renderScreen } from './render.js';
import { layOutZoomablePhoto } from './zoom-layout.js';

const undo: Array<() => void> = [];
afterEach(() => undo.splice(0).forEach((restore) => restore()));

/** The photo's size on screen in an 800 x 600 window, as QA saw it. */
const SHOWN: [number, number] = [468, 263];

/** Four men side by side on a sofa, their boxes as Familiar found them in the 1366 x 768 photo; two of them named. */
function sofaEngine(): FakeEngine {
  const sitters: Array<[string, FakeFace['box'], string]> = [
    ['raj', [212, 117, 93, 140], 'person-raj'],
    ['leonard', [470, 134, 93, 135], 'person-leonard'],
    ['howard', [728, 107, 94, 155], 'person-howard'],
    ['sheldon', [1003, 63, 96, 156], 'person-sheldon'],
  ];
  const faces = sitters.map(([who, box, personId]): FakeFace => ({ id: `face-${who}`, photoId: 'sofa', box, identity: who, personId, assignedBy: 'cluster', rejected: [] }));
  return new FakeEngine({
    photos: [{ id: 'sofa', path: '/photos/groups/bbt1.jpg', width: 1366, height: 768, takenAt: null, faceIds: faces.map((f) => f.id) }],
    faces,
    people: [
      { id: 'person-raj', name: null, hidden: false, coverFaceId: null },
      { id: 'person-leonard', name: 'Leonard', hidden: false, coverFaceId: null },
      { id: 'person-howard', name: null, hidden: false, coverFaceId: null },
      { id: 'person-sheldon', name: 'Sheldon', hidden: false, coverFaceId: null },
    ],
  });
}

/** A tag's size as a browser lays it out (12 px bold text, 7 px padding each side): jsdom lays out nothing. */
function layOutTags(): void {
  const prototype = HTMLElement.prototype as unknown as Record<string, unknown>;
  const size = (side: 'width' | 'height') =>
    function (this: HTMLElement): number {
      if (!this.classList.contains('tag')) return 0;
      return side === 'width' ? 14 + 7 * (this.textContent ?? '').length : 21;
    };
  Object.defineProperty(prototype, 'offsetWidth', { configurable: true, get: size('width') });
  Object.defineProperty(prototype, 'offsetHeight', { configurable: true, get: size('height') });
  undo.push(() => {
    delete prototype.offsetWidth;
    delete prototype.offsetHeight;
  });
}

async function openSofa() {
  undo.push(layOutZoomablePhoto(...SHOWN));
  layOutTags();
  renderScreen(PhotoViewer, { photoId: 'sofa', people: [], onclose: () => {}, onstep: () => {} }, sofaEngine());
  await waitFor(() => expect(faceBoxes()).toHaveLength(4));
  flushSync();
}

const faceBoxes = () => screen.queryAllByRole('button', { name: /^Face \d of 4/ });

/** Where an element placed in % of the photo is on screen. */
function boxOnScreen(box: HTMLElement): Rect {
  const share = (value: string) => parseFloat(value) / 100;
  return { x: share(box.style.left) * SHOWN[0], y: share(box.style.top) * SHOWN[1], w: share(box.style.width) * SHOWN[0], h: share(box.style.height) * SHOWN[1] };
}

/** Where something drawn in a box (its tag, the line to it) is on screen: placed in px from inside the box's border. */
function inBox(box: HTMLElement, element: HTMLElement, w: number, h: number): Rect {
  const outer = boxOnScreen(box);
  const border = box.getAttribute('aria-current') === 'true' ? 3 : 2;
  return { x: outer.x + border + parseFloat(element.style.left), y: outer.y + border + parseFloat(element.style.top), w, h };
}

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const centre = (r: Rect) => r.x + r.w / 2;

describe('Photo viewer: the boxes of a row of faces', () => {
  it("puts each name tag on its own box's edge, or joins it to the box by a line, never nearer another face (QA: Howard's tag under Leonard)", async () => {
    await openSofa();
    const boxes = faceBoxes();
    const placed = boxes.map((box) => {
      const tag = box.querySelector<HTMLElement>('.tag')!;
      return { box: boxOnScreen(box), tag: inBox(box, tag, tag.offsetWidth, tag.offsetHeight), leader: box.querySelector<HTMLElement>('.leader'), label: tag.textContent };
    });
    expect(placed.map((p) => p.label)).toEqual(['Unnamed group', 'Leonard', 'Unnamed group', 'Sheldon']);
    placed.forEach(({ box, tag, leader }, i) => {
      // Under or over the middle of its own box, and nearer it than any other.
      expect(tag.x).toBeLessThan(centre(box));
      expect(tag.x + tag.w).toBeGreaterThan(centre(box));
      placed.forEach((other, j) => j !== i && expect(Math.abs(centre(tag) - centre(other.box))).toBeGreaterThan(Math.abs(centre(tag) - centre(box))));
      // Joined to the box's foot or top, or a line from the box reaches it.
      const joined = Math.abs(tag.y - (box.y + box.h)) < 0.5 || Math.abs(tag.y + tag.h - box.y) < 0.5;
      if (!joined) {
        expect(leader).not.toBeNull();
        const line = inBox(boxes[i], leader!, 2, parseFloat(leader!.style.height));
        expect([line.y, line.y + line.h].map(Math.round).sort((a, b) => a - b)).toEqual(
          (tag.y > box.y ? [box.y + box.h, tag.y] : [tag.y + tag.h, box.y]).map(Math.round),
        );
      }
      // Clear of every other tag and face.
      placed.forEach((other, j) => j !== i && expect(overlaps(tag, other.tag) || overlaps(tag, other.box)).toBe(false));
    });
  });

  it('marks the face being named on the photo, the others set back, whether picked on the photo or in the list', async () => {
    await openSofa();
    const box = (n: number) => faceBoxes()[n];
    const photo = document.querySelector<HTMLElement>('.photo')!;
    expect(faceBoxes().filter((b) => b.hasAttribute('aria-current'))).toEqual([]);
    expect(photo.classList.contains('naming')).toBe(false);

    // With the pointer: Howard's box, third from the left.
    await fireEvent.click(box(2));
    expect(await screen.findByRole('combobox', { name: 'Name this face' })).toBeTruthy();
    expect(box(2).getAttribute('aria-current')).toBe('true');
    expect(box(2).classList.contains('highlight')).toBe(true);
    expect(faceBoxes().filter((b) => b.hasAttribute('aria-current'))).toEqual([box(2)]);
    expect(photo.classList.contains('naming')).toBe(true);

    // Done: no face is being named.
    await fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(faceBoxes().filter((b) => b.hasAttribute('aria-current'))).toEqual([]));
    expect(photo.classList.contains('naming')).toBe(false);

    // From the keyboard, through the list of faces: Sheldon's row, then his box is the one marked.
    const row = await screen.findByRole('button', { name: 'Sheldon' });
    row.focus();
    await fireEvent.click(row);
    await waitFor(() => expect(box(3).getAttribute('aria-current')).toBe('true'));
    expect(faceBoxes().filter((b) => b.hasAttribute('aria-current'))).toEqual([box(3)]);
  });
});

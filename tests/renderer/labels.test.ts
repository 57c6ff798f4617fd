import { describe, expect, it } from 'vitest';
import { placeLabels, type Rect } from '../../renderer/lib/labels.js';

const tag = (face: number, w = 80, solid = true) => ({ face, w, h: 21, solid });
const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('placeLabels', () => {
  it('puts a tag below its face, centred on it and joined to its edge, when there is room', () => {
    const [spot] = placeLabels([{ x: 100, y: 100, w: 40, h: 50 }], [tag(0)], 400, 300);
    expect(spot).toEqual({ x: 80, y: 150, side: 'below', leader: null });
  });

  it('sets a tag that has no room beside its neighbours a row away, with a line to its box', () => {
    // Six faces a third as far apart as their tags are wide: not even every other tag fits in a row.
    const boxes = [0, 1, 2, 3, 4, 5].map((i) => ({ x: 40 + i * 30, y: 120, w: 25, h: 50 }));
    const spots = placeLabels(boxes, boxes.map((_, i) => tag(i, 100)), 400, 300);
    const rects = spots.map((s) => ({ ...s!, w: 100, h: 21 }));
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) expect(overlaps(rects[i], rects[j])).toBe(false);
    spots.forEach((spot, i) => {
      const box = boxes[i];
      // Centred on its own box, and touching it or joined to it by a line from its edge to the tag.
      expect(spot!.x + 50).toBeCloseTo(box.x + box.w / 2, 6);
      const touching = spot!.y === box.y + box.h || spot!.y + 21 === box.y;
      if (touching) expect(spot!.leader).toBeNull();
      else {
        const line = spot!.leader!;
        expect(line.x).toBeGreaterThanOrEqual(box.x);
        expect(line.x + line.w).toBeLessThanOrEqual(box.x + box.w);
        expect([line.y, line.y + line.h]).toEqual(spot!.side === 'below' ? [box.y + box.h, spot!.y] : [spot!.y + 21, box.y]);
      }
      // No line runs across another tag.
      rects.forEach((other, j) => j !== i && spot!.leader && expect(overlaps(spot!.leader, other)).toBe(false));
    });
    expect(spots.some((s) => s!.leader)).toBe(true);
  });

  it('keeps the tags of faces side by side off each other ("Unknown" was drawn over "Unnamed")', () => {
    // Three faces in a row, closer together than a tag is wide (the 900x600 review's photo).
    const boxes = [
      { x: 133, y: 99, w: 39, h: 60 },
      { x: 222, y: 89, w: 41, h: 61 },
      { x: 177, y: 75, w: 46, h: 67 },
    ];
    const spots = placeLabels(boxes, [tag(0), tag(1, 106), tag(2)], 412, 275);
    const rects = spots.map((s, i) => ({ ...s!, w: i === 1 ? 106 : 80, h: 21 }));
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) expect(overlaps(rects[i], rects[j])).toBe(false);
    // None covers another face either, and each is centred on its own.
    rects.forEach((r, i) => boxes.forEach((b, j) => i !== j && expect(overlaps(r, b)).toBe(false)));
    rects.forEach((r, i) => expect(r.x + r.w / 2).toBeCloseTo(boxes[i].x + boxes[i].w / 2, 6));
  });

  it('keeps a tag inside the photo at its edges, and above a face at the bottom', () => {
    const [left, right, bottom] = placeLabels(
      [
        { x: 0, y: 50, w: 30, h: 40 },
        { x: 380, y: 50, w: 20, h: 40 },
        { x: 200, y: 250, w: 30, h: 40 },
      ],
      [tag(0), tag(1), tag(2)],
      400,
      300,
    );
    expect(left!.x).toBeGreaterThanOrEqual(0);
    expect(right!.x + 80).toBeLessThanOrEqual(400);
    expect(bottom!.y + 21).toBeLessThanOrEqual(250);
  });

  it('gives no place to the tag of a face outside the view, and keeps clear of the zoom button', () => {
    const [outside, near] = placeLabels(
      [
        { x: 500, y: 50, w: 30, h: 40 },
        { x: 300, y: 230, w: 30, h: 40 },
      ],
      [tag(0), tag(1)],
      400,
      300,
      [{ x: 300, y: 270, w: 92, h: 22 }],
    );
    expect(outside).toBeNull();
    expect(overlaps({ ...near!, w: 80, h: 21 }, { x: 300, y: 270, w: 92, h: 22 })).toBe(false);
  });
});

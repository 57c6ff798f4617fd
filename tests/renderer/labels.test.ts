import { describe, expect, it } from 'vitest';
import { placeLabels, type Rect } from '../../renderer/lib/labels.js';

const tag = (face: number, w = 80, solid = true) => ({ face, w, h: 21, solid });
const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('placeLabels', () => {
  it('puts a tag below its face, as before, when there is room', () => {
    const [spot] = placeLabels([{ x: 100, y: 100, w: 40, h: 50 }], [tag(0)], 400, 300);
    expect(spot).toEqual({ x: 98, y: 154 });
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
    // None covers another face either.
    rects.forEach((r, i) => boxes.forEach((b, j) => i !== j && expect(overlaps(r, b)).toBe(false)));
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

// Where the name tags of the face boxes go on a photo. Below each box by default, as before; but two faces side by
// side put their tags on top of each other (QA: "Unknown" drawn over "Unnamed"), and a face at the photo's edge
// had its tag cut by it ("own" for "Unknown"). So each tag tries a few places around its box and takes the first
// that covers no other tag and no other face, clamped inside the part of the photo on screen.
// Everything here is in screen pixels of the photo's frame, after any zoom.

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LabelRequest {
  /** Which of the boxes the tag names. */
  face: number;
  /** The tag's size on screen. */
  w: number;
  h: number;
  /** Shown all the time: other tags keep clear of it. A tag shown only on hover is placed, but blocks nothing. */
  solid: boolean;
}

/** Gap between a box and its tag, and the least room kept between a tag and the frame's edge. */
const GAP = 4;
const EDGE = 2;

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

const clamp = (value: number, low: number, high: number) => Math.max(low, Math.min(high, value));

/**
 * The top-left corner of each tag, in the order asked (the first ones, the face asked about, choose first). `boxes`
 * are all the face boxes on screen, tagged or not; `avoid` are other things drawn over the photo (its zoom button).
 * The frame is `width` x `height`; a tag never leaves it, even when its face is partly outside the view (zoomed).
 * A face wholly outside the view (zoomed on another) gets null: a tag at the edge would name a face not there.
 */
export function placeLabels(
  boxes: readonly Rect[],
  requests: readonly LabelRequest[],
  width: number,
  height: number,
  avoid: readonly Rect[] = [],
): Array<{ x: number; y: number } | null> {
  const placed: Rect[] = [...avoid];
  return requests.map((request) => {
    const { w, h } = request;
    const box = boxes[request.face];
    if (overlap(box, { x: 0, y: 0, w: width, h: height }) === 0) return null;
    const left = box.x - EDGE;
    const right = box.x + box.w - w + EDGE;
    // In order of preference: below (as the app always drew them), above, then the same at the box's right edge, then
    // inside the box at its foot (a face filling the photo leaves no room around it).
    const spots: Array<[number, number]> = [
      [left, box.y + box.h + GAP],
      [left, box.y - h - GAP],
      [right, box.y + box.h + GAP],
      [right, box.y - h - GAP],
      [left + GAP, box.y + box.h - h - GAP],
    ];
    let best = { x: 0, y: 0, cost: Infinity };
    spots.forEach(([sx, sy], rank) => {
      const x = clamp(sx, EDGE, Math.max(EDGE, width - w - EDGE));
      const y = clamp(sy, EDGE, Math.max(EDGE, height - h - EDGE));
      const spot = { x, y, w, h };
      // Covering another tag is worst (neither can be read), then covering another face, then its own (a tag pushed
      // onto it by the frame's edge); being pushed a little, and a later spot in the list, cost least.
      const onTags = placed.reduce((sum, other) => sum + overlap(spot, other), 0);
      const onFaces = boxes.reduce((sum, other, i) => sum + (i === request.face ? 0 : overlap(spot, other)), 0);
      const onOwn = overlap(spot, box);
      const pushed = Math.abs(x - sx) + Math.abs(y - sy);
      const cost = onTags * 100 + onFaces * 4 + onOwn + pushed * 2 + rank * 5;
      if (cost < best.cost) best = { x, y, cost };
    });
    if (request.solid) placed.push({ x: best.x, y: best.y, w, h });
    return { x: best.x, y: best.y };
  });
}

// Where the name tags of the face boxes go on a photo. Each tag is centred on its box and joined to its lower (or
// upper) edge, like a tab, so it reads as that box's and no neighbour's: tags set at a box's left edge drifted under the
// next face in a row of people (QA: an "Unnamed group" under Leonard's box was Howard's). Where the tags of faces side
// by side would cover each other or another face, one moves a row further from its box, joined to it by a line. A tag
// never leaves the part of the photo on screen ("own" for "Unknown" at its edge).
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

/** The least room kept between a tag and the frame's edge, and between the rows of tags a box's tag can move to. */
const EDGE = 2;
const ROW_GAP = 3;
/** The least room between two tags side by side: touching, two read as one ("Unnamed groupLeonard"). */
const TAG_GAP = 4;
/** The line joining a tag set a row away to its box. */
const LEADER_WIDTH = 2;

/** Where a tag goes: its top-left corner, and the line to its box when it does not touch it. */
export interface LabelSpot {
  x: number;
  y: number;
  /** Which edge of its box the tag hangs from: below its foot, above its top, or inside at its foot (a face filling the photo). */
  side: 'below' | 'above' | 'inside';
  leader: Rect | null;
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

const clamp = (value: number, low: number, high: number) => Math.max(low, Math.min(high, value));

/**
 * Each tag's place, in the order asked (the first ones, the face asked about, choose first). `boxes` are all the face
 * boxes on screen, tagged or not; `avoid` are other things drawn over the photo (its zoom button). The frame is
 * `width` x `height`; a tag never leaves it, even when its face is partly outside the view (zoomed). A face wholly
 * outside the view (zoomed on another) gets null: a tag at the edge would name a face not there.
 */
export function placeLabels(
  boxes: readonly Rect[],
  requests: readonly LabelRequest[],
  width: number,
  height: number,
  avoid: readonly Rect[] = [],
): Array<LabelSpot | null> {
  const placed: Rect[] = [...avoid];
  return requests.map((request) => {
    const { w, h } = request;
    const box = boxes[request.face];
    if (overlap(box, { x: 0, y: 0, w: width, h: height }) === 0) return null;
    const x = clamp(box.x + box.w / 2 - w / 2, EDGE, Math.max(EDGE, width - w - EDGE));
    // The line runs down the middle of the box, inside the tag (at the frame's edge, the tag may not be centred on it).
    const lineX = clamp(box.x + box.w / 2, Math.max(x, box.x) + EDGE, Math.min(x + w, box.x + box.w) - EDGE) - LEADER_WIDTH / 2;
    // In order of preference: joined below the box (as the app always drew them), joined above it, then a row and two
    // rows further below or above with a line to the box, then inside the box at its foot.
    const row = h + ROW_GAP;
    const spots: Array<{ y: number; side: LabelSpot['side']; rows: number }> = [
      { y: box.y + box.h, side: 'below', rows: 0 },
      { y: box.y - h, side: 'above', rows: 0 },
      { y: box.y + box.h + row, side: 'below', rows: 1 },
      { y: box.y - h - row, side: 'above', rows: 1 },
      { y: box.y + box.h + 2 * row, side: 'below', rows: 2 },
      { y: box.y - h - 2 * row, side: 'above', rows: 2 },
      { y: box.y + box.h - h - EDGE, side: 'inside', rows: 0 },
    ];
    let best: (LabelSpot & { cost: number }) | null = null;
    spots.forEach((spot, rank) => {
      const y = clamp(spot.y, EDGE, Math.max(EDGE, height - h - EDGE));
      const tag = { x, y, w, h };
      const leader =
        spot.rows === 0
          ? null
          : spot.side === 'below'
            ? { x: lineX, y: box.y + box.h, w: LEADER_WIDTH, h: Math.max(0, y - box.y - box.h) }
            : { x: lineX, y: y + h, w: LEADER_WIDTH, h: Math.max(0, box.y - y - h) };
      // Covering another tag or its line is worst (neither can be read or followed), then covering another face, then
      // its own (a tag pushed onto it by the frame's edge); being pushed, and a later spot in the list, cost least.
      const onTags = placed.reduce((sum, other) => sum + overlap(tag, other) + (leader ? overlap(leader, other) : 0), 0);
      const onFaces = boxes.reduce((sum, other, i) => sum + (i === request.face ? 0 : overlap(tag, other) + (leader ? overlap(leader, other) : 0)), 0);
      const onOwn = spot.side === 'inside' ? 0 : overlap(tag, box);
      const cost = onTags * 100 + onFaces * 4 + onOwn + Math.abs(y - spot.y) * 2 + rank * 5;
      if (!best || cost < best.cost) best = { x, y, side: spot.side, leader, cost };
    });
    const chosen = best!;
    if (request.solid) placed.push({ x: chosen.x - TAG_GAP, y: chosen.y, w: w + 2 * TAG_GAP, h }, ...(chosen.leader ? [chosen.leader] : []));
    return { x: chosen.x, y: chosen.y, side: chosen.side, leader: chosen.leader };
  });
}

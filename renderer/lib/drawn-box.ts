// The box the user draws around a missed face (PhotoWithBoxes' drawing layer): kept in shares of the photo while
// drawn, so any preview size lines up, and handed over in the photo's pixels.

export type Box = [number, number, number, number];

/** Left, top, width and height as shares (0-1) of the photo's width and height. */
export interface Draft {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The engine finds no usable face in a box smaller than this, in the photo's pixels (main/library/drawn-faces.ts). */
export const MIN_DRAWN_SIDE = 12;

/** One arrow key press moves or resizes the box by this share of the photo (of the part on screen, zoomed). */
const STEP = 0.02;

/** The draft in the photo's pixels, or null when it is too small to hold a face (a click rather than a drag). */
export function drawnBoxFrom(draft: Draft, width: number, height: number): Box | null {
  const box: Box = [draft.x * width, draft.y * height, draft.w * width, draft.h * height].map((v) => Math.round(v * 10) / 10) as Box;
  return box[2] >= MIN_DRAWN_SIDE && box[3] >= MIN_DRAWN_SIDE ? box : null;
}

/**
 * The keyboard's way to draw: the first key places a face-shaped box in the middle (a fifth of the photo's shorter
 * side wide), the arrows move it, with Shift they make it wider or taller (right and down) or narrower or shorter.
 * Zoomed (`view`: its scale, and the photo's point at the middle of the screen, in shares), the box starts in the
 * middle of the part on screen, sized to it, and a key moves it by a step of that part: the same on screen at any zoom.
 */
export function moveDraft(
  draft: Draft | null,
  key: string,
  resize: boolean,
  width: number,
  height: number,
  view: { scale: number; cx: number; cy: number } = { scale: 1, cx: 0.5, cy: 0.5 },
): Draft {
  // Never narrower or lower than the engine takes (drawnBoxFrom): Enter on a box shrunk below that would put a new
  // box in the middle, losing the one placed. On a small photo that is more than one step.
  const step = STEP / Math.max(1, view.scale);
  const minW = Math.min(1, Math.max(step, MIN_DRAWN_SIDE / Math.max(1, width)));
  const minH = Math.min(1, Math.max(step, MIN_DRAWN_SIDE / Math.max(1, height)));
  const clamp = (v: number, low: number, high: number) => Math.min(high, Math.max(low, v));
  if (!draft) {
    const side = Math.min(width, height) / 5 / Math.max(1, view.scale);
    const w = clamp(side / Math.max(1, width), minW, 1);
    const h = clamp((side * 1.2) / Math.max(1, height), minH, 1);
    return { x: clamp(view.cx - w / 2, 0, 1 - w), y: clamp(view.cy - h / 2, 0, 1 - h), w, h };
  }
  const dx = key === 'ArrowRight' ? step : key === 'ArrowLeft' ? -step : 0;
  const dy = key === 'ArrowDown' ? step : key === 'ArrowUp' ? -step : 0;
  if (resize) {
    const w = clamp(draft.w + dx, Math.min(minW, 1 - draft.x), 1 - draft.x);
    const h = clamp(draft.h + dy, Math.min(minH, 1 - draft.y), 1 - draft.y);
    return { ...draft, w, h };
  }
  return { ...draft, x: clamp(draft.x + dx, 0, 1 - draft.w), y: clamp(draft.y + dy, 0, 1 - draft.h) };
}

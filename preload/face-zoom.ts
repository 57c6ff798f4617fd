// How the queues ("Who is this?", "Which one?", a person's suggestions) show a face in its photo: zoomed in until the
// face fills a share of the view, its surroundings around it. Worked out by the app (the view it shows) and by the
// engine (`around/<faceId>`, the photo's own pixels in that view) from the same face box and photo size, so the
// image the engine cuts out lies exactly where the app draws it. Loaded by Node and the browser alike, so it imports
// nothing.

/** The face fills about this share of the view's width (or height) when zoomed. */
export const ZOOMED_FACE_SHARE = 0.3;
/** The most a photo is zoomed on its face from the photo's small preview alone: past this it is a blur. */
const PREVIEW_ZOOM = 4;
/**
 * With the photo's own pixels around the face (`around/`), the view spans at least this many of them along the
 * photo's longer side: a small face in a large photo fills its share of the view, drawn from its own pixels (QA: a
 * face in a 12,000-px panorama was a speck at 4x, a blur of the preview until the 8,192-px image came).
 */
const VIEW_MIN_PIXELS = 640;
/** Zoomed by less than this, the whole photo shows the face well enough. */
const WORTH_ZOOMING = 1.4;

/** A view of a photo: its scale (1 = the whole photo) and the point at the view's middle, in shares of the photo. */
export interface FaceView {
  scale: number;
  cx: number;
  cy: number;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/**
 * The view that brings the face in `box` forward in a photo of `width` x `height` pixels, or null when the whole photo
 * shows it large enough. `ownPixels`: the view is drawn from the photo's own pixels around the face, not only its
 * preview, so it may zoom farther. The face is as near the middle as the photo allows: the view never runs past the
 * photo's edge.
 */
export function faceView(box: readonly [number, number, number, number], width: number, height: number, ownPixels: boolean): FaceView | null {
  const [x, y, w, h] = box;
  const [W, H] = [Math.max(1, width), Math.max(1, height)];
  const largest = ownPixels ? Math.max(PREVIEW_ZOOM, Math.max(W, H) / VIEW_MIN_PIXELS) : PREVIEW_ZOOM;
  const scale = Math.min(largest, ZOOMED_FACE_SHARE / Math.max(w / W, h / H, 1e-3));
  if (scale < WORTH_ZOOMING) return null;
  const half = 0.5 / scale;
  return { scale, cx: clamp((x + w / 2) / W, half, 1 - half), cy: clamp((y + h / 2) / H, half, 1 - half) };
}

/** The part of the photo a view shows, in shares of the photo's width and height. */
export function viewRegion(view: FaceView): { x: number; y: number; w: number; h: number } {
  const size = 1 / view.scale;
  return { x: view.cx - size / 2, y: view.cy - size / 2, w: size, h: size };
}

/** The image of the photo's own pixels around a face, in the view faceView(…, true) gives (served by the engine). */
export const aroundFaceRef = (faceId: string): `around/${string}` => `around/${faceId}`;

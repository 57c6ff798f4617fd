// Zoom and pan for the photo viewer (PhotoWithBoxes draws the view; PhotoViewer's keys and buttons change it). A
// view is a scale over the photo fitted to its frame (1 = the whole photo) and the point of the photo at the frame's
// middle, in shares (0-1) of the photo's width and height: any frame size shows the same part of the photo, and the
// face boxes, kept in shares too, scale with it.
import { FULL_IMAGE_MAX_EDGE } from '../../preload/contract.js';
import { aroundFaceRef } from '../../preload/face-zoom.js';
import type { ImageRef, PhotoDetail } from './types.js';

export interface View {
  scale: number;
  cx: number;
  cy: number;
}

/** A point in shares (0-1) of the frame's width and height. */
export interface At {
  x: number;
  y: number;
}

export const FIT: View = { scale: 1, cx: 0.5, cy: 0.5 };
/** One press of + or − zooms by this much. */
export const ZOOM_STEP = 1.5;
const MIDDLE: At = { x: 0.5, y: 0.5 };

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/**
 * The most the photo may be zoomed: until each of the image's pixels is two pixels on screen; past that it is a blur
 * (a 250-px photo shown at 500 px is as large as it goes). `shownPixels` is the image's width (pixelsAvailable),
 * `fitWidth` the photo's width on screen when it fits its frame.
 */
export function largestScale(shownPixels: number, fitWidth: number): number {
  if (fitWidth <= 0 || shownPixels <= 0) return 1;
  return Math.max(1, (2 * shownPixels) / fitWidth);
}

/**
 * The width of the image the zoom may count on: the viewer is sent at most 2,560 px of a larger photo (`shown`, its
 * width once loaded), and with a larger image to load when zoomed in (PhotoDetail.fullImage) `full` is 'coming' (the
 * photo's own width, up to FULL_IMAGE_MAX_EDGE a side), then that image's width once loaded, or null when there is
 * none or it failed.
 */
export function pixelsAvailable({ width, height, shown, full }: { width: number; height: number; shown: number; full: number | 'coming' | null }): number {
  if (typeof full === 'number') return full;
  if (full === 'coming') return Math.min(width, (width * FULL_IMAGE_MAX_EDGE) / Math.max(1, width, height));
  return Math.min(width, shown || width);
}

/**
 * The image of a photo with every pixel a zoom may use (its `fullImage`, or `image` when that holds them all): the queues
 * show the small preview first and give this to PhotoWithBoxes as its `fullImage`, loaded once the face is zoomed (QA: a
 * face in an 800-px group photo was the 480-px preview stretched to 2,400 px).
 */
export function sharpestImage(photo: Pick<PhotoDetail, 'image' | 'fullImage'>): PhotoDetail['image'] {
  return photo.fullImage ?? photo.image;
}

/**
 * The photo's own pixels around a face (`around/<faceId>`, which the engine cuts to the view the queues zoom to), for a
 * photo larger than its image holds; null for one whose image holds every pixel (no `fullImage`).
 */
export function aroundFace(photo: Pick<PhotoDetail, 'fullImage'>, faceId: string): ImageRef | null {
  return photo.fullImage ? aroundFaceRef(faceId) : null;
}

/** The view within its limits: no smaller than the whole photo, no larger than `largest`, never past its edges. */
export function clampView(view: View, largest: number): View {
  let scale = clamp(view.scale, 1, Math.max(1, largest));
  // Within a hair of the whole photo is the whole photo (zooming out by steps lands on 1.0000001).
  if (scale < 1.001) scale = 1;
  const half = 0.5 / scale;
  return { scale, cx: clamp(view.cx, half, 1 - half), cy: clamp(view.cy, half, 1 - half) };
}

/** The point of the photo (shares of it) under a point of the frame. */
export function photoPointAt(view: View, at: At): At {
  return { x: view.cx + (at.x - 0.5) / view.scale, y: view.cy + (at.y - 0.5) / view.scale };
}

/** The view at another scale that keeps the photo's point under `at` (shares of the frame) where it is. */
export function zoomAbout(view: View, scale: number, at: At, largest: number): View {
  const next = clamp(scale, 1, Math.max(1, largest));
  const point = photoPointAt(view, at);
  return clampView({ scale: next, cx: point.x - (at.x - 0.5) / next, cy: point.y - (at.y - 0.5) / next }, largest);
}

/** The view with the photo moved by (dx, dy) shares of the frame, as a drag moves it. */
export function panBy(view: View, dx: number, dy: number, largest: number): View {
  return clampView({ scale: view.scale, cx: view.cx - dx / view.scale, cy: view.cy - dy / view.scale }, largest);
}

/** The view moved as little as needed to show a part of the photo (shares of it), e.g. a box placed with the keys. */
export function reveal(view: View, part: { x: number; y: number; w: number; h: number }, largest: number): View {
  const half = 0.5 / view.scale;
  const along = (centre: number, start: number, size: number) => {
    if (size >= 2 * half) return start + size / 2;
    if (start < centre - half) return start + half;
    if (start + size > centre + half) return start + size - half;
    return centre;
  };
  return clampView({ scale: view.scale, cx: along(view.cx, part.x, part.w), cy: along(view.cy, part.y, part.h) }, largest);
}

/**
 * Where the canvas (the image and everything drawn on it) goes to show the view, in % of the frame: `size` times the
 * frame (width and height), its corner at `left`, `top`. Laid out at that size rather than scaled by a CSS transform,
 * so the face boxes' borders and tags stay crisp lines of their own width (Chromium rounds a border scaled down to
 * under a pixel up to one, then scales it back up: 9 px thick at 9x).
 */
export function viewPlacement(view: View): { left: string; top: string; size: string } {
  const percent = (value: number) => `${+(value * 100).toFixed(4)}%`;
  return { left: percent(0.5 - view.scale * view.cx), top: percent(0.5 - view.scale * view.cy), size: percent(view.scale) };
}

/**
 * The viewer's zoom, shared by the photo (wheel, double-click, drag) and the viewer (keys, buttons). The photo sets
 * `largest` from its size on screen; every change is kept within it.
 */
export class PhotoZoom {
  private wanted = $state.raw<View>(FIT);
  /** The most the photo on screen may be zoomed (largestScale); 1 until it is measured. */
  largest = $state(1);
  /** Moved by the wheel or a drag: shown at once rather than eased, or it lags behind the hand. */
  live = $state(false);
  /** The view shown: within the limits as they are now (a larger window lowers `largest`). */
  readonly view = $derived(clampView(this.wanted, this.largest));
  readonly zoomed = $derived(this.view.scale > 1);
  readonly canZoomIn = $derived(this.view.scale < this.largest - 1e-3);

  set(view: View, live = false): void {
    this.wanted = clampView(view, this.largest);
    this.live = live;
  }

  zoomTo(scale: number, at: At = MIDDLE, live = false): void {
    this.set(zoomAbout(this.view, scale, at, this.largest), live);
  }

  zoomIn(at: At = MIDDLE): void {
    this.zoomTo(this.view.scale * ZOOM_STEP, at);
  }

  zoomOut(at: At = MIDDLE): void {
    this.zoomTo(this.view.scale / ZOOM_STEP, at);
  }

  /** Back to the whole photo. Reads nothing, so an effect can call it without depending on the zoom. */
  reset(): void {
    this.wanted = FIT;
    this.live = false;
  }

  /**
   * Double-click: zoomed, back to the whole photo; else in on the point, to the image's own pixels (one on screen
   * for one in the image) or to twice the fitted size when that is more, as far as the limit allows.
   */
  toggle(at: At, ownPixelsScale: number): void {
    if (this.zoomed) this.reset();
    else this.zoomTo(Math.max(2, ownPixelsScale), at);
  }

  panBy(dx: number, dy: number, live = true): void {
    this.set(panBy(this.view, dx, dy, this.largest), live);
  }
}

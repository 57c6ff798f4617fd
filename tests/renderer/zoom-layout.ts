// jsdom lays nothing out. For the zoom tests the photo (PhotoWithBoxes' `.photo`) is given a size on screen at the
// page's corner, and the canvas (the zoomed image and all drawn on it) the rectangle its style gives it (left, top,
// width and height in % of the photo's frame), as a browser would: so the drawing layer's rectangle is the zoomed
// photo's, and a drag on it goes through the same arithmetic as in Chromium.

/** Lays the photo out at `width` x `height` pixels; returns the function that takes the layout away again. */
export function layOutZoomablePhoto(width: number, height: number): () => void {
  const prototype = HTMLElement.prototype as unknown as Record<string, unknown>;
  const rect = (left: number, top: number, w: number, h: number) =>
    ({ left, top, x: left, y: top, width: w, height: h, right: left + w, bottom: top + h, toJSON: () => ({}) }) as DOMRect;
  const size = (side: 'width' | 'height') =>
    function (this: HTMLElement): number {
      return this.classList.contains('photo') ? (side === 'width' ? width : height) : 0;
    };
  Object.defineProperty(prototype, 'clientWidth', { configurable: true, get: size('width') });
  Object.defineProperty(prototype, 'clientHeight', { configurable: true, get: size('height') });
  Object.defineProperty(prototype, 'getBoundingClientRect', {
    configurable: true,
    value(this: HTMLElement): DOMRect {
      const canvas = this.closest<HTMLElement>('.canvas');
      // The canvas and what fills it (the image, the drawing layer).
      if (canvas && (this === canvas || this.classList.contains('draw-layer') || this.tagName === 'IMG')) {
        const share = (value: string) => (value.endsWith('%') ? parseFloat(value) / 100 : NaN);
        const [left, top, w, h] = [canvas.style.left, canvas.style.top, canvas.style.width, canvas.style.height].map(share);
        if ([left, top, w, h].some(Number.isNaN)) throw new Error(`the canvas is not placed in %: ${canvas.style.cssText}`);
        return rect(left * width, top * height, w * width, h * height);
      }
      return this.closest('.photo') ? rect(0, 0, width, height) : rect(0, 0, 0, 0);
    },
  });
  return () => {
    delete prototype.clientWidth;
    delete prototype.clientHeight;
    delete prototype.getBoundingClientRect;
  };
}

/** Where a point of the photo (in its own pixels) is on screen now: where the image is drawn, zoomed. */
export function onScreen(photoWidth: number, photoHeight: number, [x, y]: [number, number]): [number, number] {
  const rect = document.querySelector<HTMLElement>('.canvas')!.getBoundingClientRect();
  return [rect.left + (x / photoWidth) * rect.width, rect.top + (y / photoHeight) * rect.height];
}

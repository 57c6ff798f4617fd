// A drawn box's crop turned by quarter turns, and its finds mapped back (models/pipeline.ts turnImage).
import { describe, expect, it } from 'vitest';
import { turnImage } from '../../models/pipeline.js';
import type { Box, Point, RgbImage } from '../../models/types.js';

/** A 4 x 2 image whose pixel (x, y) holds [x, y, 7]. */
const image: RgbImage = (() => {
  const width = 4, height = 2;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([x, y, 7], (y * width + x) * 3);
  return { data, width, height };
})();
const pixel = (img: RgbImage, x: number, y: number) => Array.from(img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3));

describe('turnImage', () => {
  it('turns a quarter clockwise: the left column becomes the top row, read from the bottom up', () => {
    const turned = turnImage(image, 1);
    expect([turned.image.width, turned.image.height]).toEqual([2, 4]);
    expect(pixel(turned.image, 0, 0)).toEqual([0, 1, 7]);
    expect(pixel(turned.image, 1, 0)).toEqual([0, 0, 7]);
    expect(pixel(turned.image, 0, 3)).toEqual([3, 1, 7]);
  });

  it('turns a quarter anticlockwise and a half turn', () => {
    const anti = turnImage(image, 3);
    expect([anti.image.width, anti.image.height]).toEqual([2, 4]);
    expect(pixel(anti.image, 0, 0)).toEqual([3, 0, 7]);
    expect(pixel(anti.image, 1, 3)).toEqual([0, 1, 7]);
    const half = turnImage(image, 2);
    expect([half.image.width, half.image.height]).toEqual([4, 2]);
    expect(pixel(half.image, 0, 0)).toEqual([3, 1, 7]);
    expect(image.data[0]).toBe(0); // the image itself is left alone
  });

  it('maps boxes and points there and back: a pixel\'s box lands on the same pixel of the turned image', () => {
    for (const quarters of [1, 2, 3] as const) {
      const turned = turnImage(image, quarters);
      // Pixel (3, 0) as a box, into the turned frame: its value sits there.
      const [x, y] = turned.box([3, 0, 1, 1]);
      expect(pixel(turned.image, x, y), `quarters ${quarters}`).toEqual([3, 0, 7]);
      const box: Box = [0.5, 0.25, 2, 1.5];
      const round = (v: number[]) => v.map((n) => Math.round(n * 1e9) / 1e9);
      expect(round(turned.boxBack(turned.box(box)))).toEqual(box);
      const point: Point = [1.25, 1.75];
      const [bx, by] = turned.box([point[0], point[1], 0, 0]);
      expect(round(turned.back([bx, by]))).toEqual(point);
    }
  });
});

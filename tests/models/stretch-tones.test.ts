// The auto levels a drawn box gets before the detector looks again (models/pipeline.ts stretchTones).
import { describe, expect, it } from 'vitest';
import { stretchTones } from '../../models/pipeline.js';
import type { RgbImage } from '../../models/types.js';

function image(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 3);
  return { data, width, height };
}

describe('stretchTones', () => {
  it('spreads a dark box\'s tones over the full range, per channel, and clamps the rest of the photo', () => {
    // Left half: a dark gradient 10-50 (red 10-30); right half: bright.
    const dark = image(100, 10, (x) => (x < 50 ? [10 + Math.round((x / 49) * 20), 10 + Math.round((x / 49) * 40), 10 + Math.round((x / 49) * 40)] : [220, 220, 220]));
    const out = stretchTones(dark, [0, 0, 50, 10])!;
    const at = (x: number) => Array.from(out.data.subarray(x * 3, x * 3 + 3));
    expect(at(0)).toEqual([0, 0, 0]);
    expect(at(49)).toEqual([255, 255, 255]);
    expect(at(25)[1]).toBeGreaterThan(110);
    expect(at(25)[1]).toBeLessThan(145);
    expect(at(80)).toEqual([255, 255, 255]);
    expect(dark.data[0]).toBe(10); // the photo itself is left alone
  });

  it('leaves a box that already spans the range, or lies outside the photo', () => {
    const full = image(20, 20, (x) => [x * 13, x * 13, x * 13]);
    expect(stretchTones(full, [0, 0, 20, 20])).toBeNull();
    expect(stretchTones(full, [30, 30, 10, 10])).toBeNull();
  });
});

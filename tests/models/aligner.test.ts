import { describe, expect, it } from 'vitest';
import {
  alignFace,
  applySimilarity,
  chipToImageTransform,
  fitSimilarity,
  fivePoints,
  similarityScale,
  templatePoints,
  warpSimilarity,
  type ChipSpec,
  type Similarity,
} from '../../models/aligner.js';
import type { Point, RgbImage } from '../../models/types.js';

const spec: ChipSpec = { size: 150, template: 'dlib68', padding: 0.25, border: 'zero' };

/** A plausible 68-point face: the template itself, pushed through `t` (chip -> image). */
function landmarksThrough(t: Similarity, chip: ChipSpec): Point[] {
  const points: Point[] = Array.from({ length: 68 }, () => [0, 0]);
  const templ = templatePoints(chip);
  // Template landmark indices are 27..67 minus the lower lip; fill those, and the eyes' 5-point summary follows.
  const indices = [...Array(41).keys()].map((k) => k + 27).filter((i) => !((i >= 55 && i <= 59) || (i >= 65 && i <= 67)));
  indices.forEach((i, k) => (points[i] = applySimilarity(t, templ[k])));
  for (const i of [0, 5, 10, 16, 20, 55, 58, 66]) points[i] = applySimilarity(t, [75, 140]);
  return points;
}

function gradientImage(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      data[p] = x % 256;
      data[p + 1] = y % 256;
      data[p + 2] = (x + y) % 256;
    }
  return { data, width, height };
}

describe('fitSimilarity', () => {
  it('recovers a known rotation, scale and translation exactly', () => {
    const angle = 0.3, scale = 1.7;
    const t: Similarity = { a: scale * Math.cos(angle), b: scale * Math.sin(angle), tx: 40, ty: -12 };
    const from: Point[] = [[0, 0], [10, 3], [5, 9], [-4, 7], [8, -6]];
    const fitted = fitSimilarity(from, from.map((p) => applySimilarity(t, p)));
    expect(fitted.a).toBeCloseTo(t.a, 9);
    expect(fitted.b).toBeCloseTo(t.b, 9);
    expect(fitted.tx).toBeCloseTo(t.tx, 9);
    expect(fitted.ty).toBeCloseTo(t.ty, 9);
  });

  it('is the least-squares fit under noise, not an exact interpolation', () => {
    const from: Point[] = [[0, 0], [1, 0], [0, 1], [1, 1]];
    const to: Point[] = [[0, 0], [2.2, 0], [0, 1.8], [2, 2]];
    const t = fitSimilarity(from, to);
    // Closed form for these centred points: a = sum(p.q)/sum|p|^2 = 4/2, b = sum(p x q)/sum|p|^2 = 0.2/2.
    expect(t.a).toBeCloseTo(2, 12);
    expect(t.b).toBeCloseTo(0.1, 12);
    expect(similarityScale(t)).toBeCloseTo(Math.hypot(2, 0.1), 12);
    // The residual is not zero: no similarity maps this rectangle-ish quad exactly.
    expect(to.some((q, i) => Math.hypot(...applySimilarity(t, from[i]).map((v, k) => v - q[k])) > 0.05)).toBe(true);
  });

  it('rejects degenerate input with a clear error', () => {
    expect(() => fitSimilarity([[1, 1], [1, 1]], [[0, 0], [2, 2]])).toThrow(/coincide/);
    expect(() => fitSimilarity([[1, 1]], [[0, 0]])).toThrow(/at least 2/);
  });
});

describe('alignment', () => {
  it('maps landmarks that lie on the template back onto the template', () => {
    const t: Similarity = { a: 0.8 * Math.cos(-0.4), b: 0.8 * Math.sin(-0.4), tx: 210, ty: 95 };
    const landmarks = landmarksThrough(t, spec);
    const fitted = chipToImageTransform(landmarks, spec);
    expect(fitted.a).toBeCloseTo(t.a, 6);
    expect(fitted.b).toBeCloseTo(t.b, 6);
    expect(fitted.tx).toBeCloseTo(t.tx, 4);
    expect(fitted.ty).toBeCloseTo(t.ty, 4);
  });

  it('places the eye centres level and symmetric in the 5-point chip', () => {
    const t: Similarity = { a: 2 * Math.cos(0.5), b: 2 * Math.sin(0.5), tx: 300, ty: 100 };
    const landmarks = landmarksThrough(t, spec);
    const five: ChipSpec = { size: 112, template: 'five', padding: 0, border: 'zero' };
    const chipToImage = chipToImageTransform(landmarks, five);
    // Invert: image eye centres -> chip.
    const s2 = chipToImage.a ** 2 + chipToImage.b ** 2;
    const toChip = ([x, y]: Point): Point => {
      const dx = x - chipToImage.tx, dy = y - chipToImage.ty;
      return [(chipToImage.a * dx + chipToImage.b * dy) / s2, (-chipToImage.b * dx + chipToImage.a * dy) / s2];
    };
    const [left, right] = fivePoints(landmarks).map(toChip);
    expect(Math.abs(left[1] - right[1])).toBeLessThan(1.5);
    expect(left[0] + right[0]).toBeGreaterThan(112 - 4);
    expect(left[0] + right[0]).toBeLessThan(112 + 4);
  });

  it('warps with the identity transform without changing pixels', () => {
    const image = gradientImage(40, 30);
    const out = warpSimilarity(image, { a: 1, b: 0, tx: 5, ty: 3 }, 20, 'zero');
    for (const [u, v] of [[0, 0], [7, 11], [19, 19]]) {
      const o = (v * 20 + u) * 3, p = ((v + 3) * 40 + (u + 5)) * 3;
      expect([out.data[o], out.data[o + 1], out.data[o + 2]]).toEqual([image.data[p], image.data[p + 1], image.data[p + 2]]);
    }
  });

  it('interpolates bilinearly between pixels and fills outside the photo as asked', () => {
    const image = gradientImage(10, 10);
    const half = warpSimilarity(image, { a: 1, b: 0, tx: 0.5, ty: 0 }, 4, 'zero');
    expect(half.data[0]).toBe(1); // between x=0 and x=1 (rounded 0.5 -> 1)
    const outside = warpSimilarity(image, { a: 1, b: 0, tx: -100, ty: -100 }, 4, 'zero');
    expect(Math.max(...outside.data)).toBe(0);
    const replicated = warpSimilarity(image, { a: 1, b: 0, tx: -100, ty: -100 }, 4, 'replicate');
    expect(Array.from(replicated.data.slice(0, 3))).toEqual([0, 0, 0]);
    const farRight = warpSimilarity(image, { a: 1, b: 0, tx: 100, ty: 0 }, 4, 'replicate');
    expect(farRight.data[0]).toBe(9);
  });

  it('fades a face cut by the photo edge into the crop\'s mean colour instead of smearing the edge', () => {
    // A 20x20 photo, left half black, right half white, in a 40x40 chip: all but its top-left quarter is beyond the photo.
    const data = new Uint8Array(20 * 20 * 3);
    for (let y = 0; y < 20; y++) for (let x = 10; x < 20; x++) data.fill(255, (y * 20 + x) * 3, (y * 20 + x) * 3 + 3);
    const chip = warpSimilarity({ data, width: 20, height: 20 }, { a: 1, b: 0, tx: 0, ty: 0 }, 40, 'fade');
    const at = (x: number, y: number) => chip.data[(y * 40 + x) * 3];
    expect(at(5, 10)).toBe(0); // inside the photo: untouched
    expect(at(15, 10)).toBe(255);
    expect(at(20, 10)).toBeGreaterThan(200); // just past the edge: still the edge colour
    expect(at(39, 10)).toBe(128); // far past it: the mean of the photo's pixels in the chip (half black, half white)
    expect(at(5, 39)).toBe(128);
    const replicated = warpSimilarity({ data, width: 20, height: 20 }, { a: 1, b: 0, tx: 0, ty: 0 }, 40, 'replicate');
    expect(replicated.data[(10 * 40 + 39) * 3]).toBe(255);
  });

  it('averages over the footprint when shrinking, so a fine checkerboard becomes grey', () => {
    const size = 64;
    const data = new Uint8Array(size * size * 3);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.fill((x + y) % 2 ? 255 : 0, (y * size + x) * 3, (y * size + x) * 3 + 3);
    const out = warpSimilarity({ data, width: size, height: size }, { a: 4, b: 0, tx: 0, ty: 0 }, 16, 'zero');
    for (const v of out.data) expect(Math.abs(v - 127.5)).toBeLessThan(20);
  });

  it('produces a chip of the requested size', () => {
    const landmarks = landmarksThrough({ a: 1, b: 0, tx: 0, ty: 0 }, spec);
    const chip = alignFace(gradientImage(200, 200), landmarks, spec);
    expect(chip.width).toBe(150);
    expect(chip.height).toBe(150);
    expect(chip.data.length).toBe(150 * 150 * 3);
  });
});

// The closer look's tiles (models/detector.ts tileGrid) and its check that a tile's find is a face
// (models/aligner.ts landmarkFitResidual).
import { describe, expect, it } from 'vitest';
import { landmarkFitResidual, templatePoints, TEMPLATE_LANDMARKS } from '../../models/aligner.js';
import { mergeDetections, sameFaceBoxes, tileGrid } from '../../models/detector.js';
import type { Box, Point } from '../../models/types.js';

describe('tileGrid', () => {
  it('covers the image with tiles inside it, the last flush with its edges', () => {
    const tiles = tileGrid(2048, 1536, 768, 128);
    expect(tiles).toHaveLength(9);
    for (const t of tiles) {
      expect(t.x).toBeGreaterThanOrEqual(0);
      expect(t.y).toBeGreaterThanOrEqual(0);
      expect(t.x + t.width).toBeLessThanOrEqual(2048);
      expect(t.y + t.height).toBeLessThanOrEqual(1536);
    }
    expect(Math.max(...tiles.map((t) => t.x + t.width))).toBe(2048);
    expect(Math.max(...tiles.map((t) => t.y + t.height))).toBe(1536);
  });

  it('every face up to the overlap lies whole inside some tile', () => {
    const tiles = tileGrid(2048, 1536, 768, 128);
    for (let i = 0; i < 2000; i++) {
      const size = 4 + ((i * 37) % 125);
      const x = (i * 7919) % (2048 - size);
      const y = (i * 104729) % (1536 - size);
      expect(tiles.some((t) => x >= t.x && y >= t.y && x + size <= t.x + t.width && y + size <= t.y + t.height)).toBe(true);
    }
  });

  it('an image no larger than a tile is one tile', () => {
    expect(tileGrid(500, 400, 768, 128)).toEqual([{ x: 0, y: 0, width: 500, height: 400 }]);
  });
});

describe('mergeDetections', () => {
  it('keeps one detection per face, the best scored', () => {
    const boxes: Array<{ box: Box; score: number }> = [
      { box: [100, 100, 40, 40], score: 0.6 },
      { box: [102, 98, 42, 44], score: 0.9 },
      // The same face boxed loosely (whole head): centred on each other.
      { box: [85, 80, 70, 90], score: 0.5 },
      { box: [400, 100, 40, 40], score: 0.7 },
    ];
    expect(mergeDetections(boxes).map((d) => d.score)).toEqual([0.9, 0.7]);
    expect(sameFaceBoxes([100, 100, 40, 40], [400, 100, 40, 40])).toBe(false);
  });
});

describe('landmarkFitResidual', () => {
  /** 68 points whose template points are the mean face turned, scaled and moved: a perfect face. */
  function faceAt(scale: number, angle: number, dx: number, dy: number): Point[] {
    const template = templatePoints({ size: 1, padding: 0, template: 'dlib68' });
    const out: Point[] = Array.from({ length: 68 }, () => [0, 0]);
    const place = ([x, y]: Point): Point => [dx + scale * (x * Math.cos(angle) - y * Math.sin(angle)), dy + scale * (x * Math.sin(angle) + y * Math.cos(angle))];
    TEMPLATE_LANDMARKS.forEach((index, k) => (out[index] = place(template[k])));
    // Outer eye corners (36, 45) are template points too; the rest are not used by the fit.
    return out;
  }

  it('is ~0 for a face shape at any size, angle and place', () => {
    expect(landmarkFitResidual(faceAt(100, 0.3, 50, 80))).toBeLessThan(1e-6);
    expect(landmarkFitResidual(faceAt(12, -0.5, 900, 10))).toBeLessThan(1e-6);
  });

  it('grows as the points stop looking like a face', () => {
    const face = faceAt(100, 0, 0, 0);
    const jitter = (amount: number) => face.map(([x, y], i): Point => [x + amount * Math.sin(i * 12.9898), y + amount * Math.cos(i * 78.233)]);
    const small = landmarkFitResidual(jitter(3));
    const large = landmarkFitResidual(jitter(30));
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThan(0.3);
    expect(large).toBeGreaterThan(0.3);
  });

  it('refuses anything but the 68 points', () => {
    expect(() => landmarkFitResidual([[0, 0]])).toThrow(/68/);
  });
});

import { describe, expect, it } from 'vitest';
import { l2Normalize, mirrorImage } from '../../models/backbone.js';

describe('backbone helpers', () => {
  it('mirrors an RGB image left-right, keeping each pixel\'s channels together', () => {
    const image = { width: 3, height: 2, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]) };
    expect(Array.from(mirrorImage(image).data)).toEqual([7, 8, 9, 4, 5, 6, 1, 2, 3, 16, 17, 18, 13, 14, 15, 10, 11, 12]);
    expect(Array.from(mirrorImage(mirrorImage(image)).data)).toEqual(Array.from(image.data));
  });

  it('normalises to unit length and refuses a zero vector', () => {
    const v = l2Normalize(Float32Array.from([3, 4]));
    expect(v[0]).toBeCloseTo(0.6, 6);
    expect(v[1]).toBeCloseTo(0.8, 6);
    expect(() => l2Normalize(new Float32Array(4))).toThrow(/zero descriptor/);
  });
});

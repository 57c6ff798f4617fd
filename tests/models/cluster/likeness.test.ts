import { describe, expect, it } from 'vitest';
import { averageDirection, distanceToDirection, meanDistanceToNearest } from '../../../models/cluster/likeness.js';

const unit = (degrees: number) => [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)];
const distance = (degrees: number) => 1 - Math.cos((degrees * Math.PI) / 180);

describe('likeness to a person', () => {
  it('is the mean distance to the k nearest references, leaving the face itself out', () => {
    const references = [0, 10, 20, 90, 180].map(unit);
    expect(meanDistanceToNearest(unit(5), references, 3)).toBeCloseTo((distance(5) + distance(5) + distance(15)) / 3, 12);
    expect(meanDistanceToNearest(unit(5), references, 1)).toBeCloseTo(distance(5), 12);
    // The reference at index 0 is the face itself: its own zero distance does not count.
    expect(meanDistanceToNearest(unit(0), references, 2, 0)).toBeCloseTo((distance(10) + distance(20)) / 2, 12);
    // Fewer references than k: the mean of those there are; none left: 0.
    expect(meanDistanceToNearest(unit(0), [unit(60)], 3)).toBeCloseTo(distance(60), 12);
    expect(meanDistanceToNearest(unit(0), [unit(0)], 3, 0)).toBe(0);
  });

  it('measures a group without confirmations against its average direction', () => {
    const direction = averageDirection([unit(-30), unit(30)]);
    expect(Array.from(direction)).toEqual([expect.closeTo(1, 12), expect.closeTo(0, 12)]);
    expect(distanceToDirection(unit(30), direction)).toBeCloseTo(distance(30), 12);
  });
});

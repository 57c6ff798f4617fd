import { describe, expect, it } from 'vitest';
import { isNegativePair, mineSemiHardTriplets, pairwiseSquaredDistances, tripletLossFromDistances } from '../../../models/embedder/triplet.js';

/** Points on a line: distance between slots i and j is (x_i - x_j)^2. */
function lineDistances(xs: number[]): Float32Array {
  return pairwiseSquaredDistances(Float32Array.from(xs), 1);
}

describe('semi-hard triplet mining', () => {
  it('computes squared distances', () => {
    const d = pairwiseSquaredDistances(Float32Array.from([0, 0, 3, 4, 1, 0]), 2);
    expect(Array.from(d)).toEqual([0, 25, 1, 25, 0, 20, 1, 20, 0]);
  });

  it('picks the closest negative farther than the positive, else the farthest closer one', () => {
    // anchor 0 at 0 (person 0), positive 1 at 1 (d=1); negatives (person 1) at 0.5 (d=.25), 1.2 (d=1.44), 3 (d=9).
    const distances = lineDistances([0, 1, 0.5, 1.2, 3]);
    const batch = { labels: Int32Array.from([0, 0, 1, 1, 1]), rejected: [[], [], [], [], []] };
    const t = mineSemiHardTriplets(distances, batch);
    const fromAnchor0 = [...t.anchors.keys()].filter((i) => t.anchors[i] === 0 && t.positives[i] === 1);
    expect(fromAnchor0).toHaveLength(1);
    expect(t.negatives[fromAnchor0[0]]).toBe(3);
    // Anchor 1 (at 1) with positive 0 (d=1): negatives at d=.25, .04, 4 -> semi-hard is slot 4 (d=4).
    const fromAnchor1 = [...t.anchors.keys()].find((i) => t.anchors[i] === 1 && t.positives[i] === 0)!;
    expect(t.negatives[fromAnchor1]).toBe(4);
    // When every negative is closer than the positive: the farthest of them.
    const close = mineSemiHardTriplets(lineDistances([0, 5, 1, 2]), { labels: Int32Array.from([0, 0, 1, 1]), rejected: [[], [], [], []] });
    const i = [...close.anchors.keys()].find((k) => close.anchors[k] === 0)!;
    expect(close.negatives[i]).toBe(3);
    expect(close.rejectionCount).toBe(0);
  });

  it('uses rejected faces as explicit negatives and never as anchors', () => {
    // Slot 2 has unknown identity but was rejected from person 0; slot 3 is unknown and rejected nothing.
    const batch = { labels: Int32Array.from([0, 0, -1, -1, 1]), rejected: [[], [], [0], [], []] };
    expect(isNegativePair(batch, 0, 2)).toBe(true);
    expect(isNegativePair(batch, 0, 3)).toBe(false);
    expect(isNegativePair(batch, 4, 2)).toBe(false);
    const t = mineSemiHardTriplets(lineDistances([0, 1, 5, 0.1, 9]), batch);
    expect(t.anchors.every((a) => a !== 2 && a !== 3)).toBe(true);
    expect(Array.from(t.negatives)).not.toContain(3);
    expect(t.rejectionCount).toBe(2);
    const rejectionNegatives = Array.from(t.negatives.slice(t.negatives.length - t.rejectionCount));
    expect(rejectionNegatives).toEqual([2, 2]);
  });

  it('averages the margin hinge over triplets', () => {
    const distances = lineDistances([0, 1, 1.1]);
    const n = 3;
    const triplets = { anchors: Int32Array.from([0]), positives: Int32Array.from([1]), negatives: Int32Array.from([2]), rejectionCount: 0 };
    expect(tripletLossFromDistances(distances, n, triplets, 0.5)).toBeCloseTo(1 - 1.21 + 0.5, 5);
    expect(tripletLossFromDistances(distances, n, triplets, 0.1)).toBe(0);
  });
});

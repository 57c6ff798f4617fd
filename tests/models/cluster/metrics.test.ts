import { describe, expect, it } from 'vitest';
import { scoreClustering } from '../../../models/cluster/metrics.js';

describe('scoreClustering', () => {
  it('is perfect when the clusters are the identities', () => {
    const s = scoreClustering([0, 0, 1, 1, 2], [5, 5, 7, 7, 9].map((x) => x));
    expect(s.bcubedPrecision).toBe(1);
    expect(s.bcubedRecall).toBe(1);
    expect(s.pairwiseF1).toBe(1);
  });

  it('counts an unassigned face as its own cluster in BCubed and in no pair', () => {
    // Identity A has three faces, one left unknown.
    const s = scoreClustering([0, 0, -1], [1, 1, 1]);
    expect(s.bcubedPrecision).toBe(1);
    // Recall per face: 2/3, 2/3, 1/3.
    expect(s.bcubedRecall).toBeCloseTo(5 / 9, 10);
    expect(s.pairwisePrecision).toBe(1);
    expect(s.pairwiseRecall).toBeCloseTo(1 / 3, 10);
    expect(s.unassigned).toBeCloseTo(1 / 3, 10);
    expect(s.clusters).toBe(1);
  });

  it('penalises a wrong merge in precision, not recall', () => {
    // Two identities of two faces merged into one cluster.
    const s = scoreClustering([0, 0, 0, 0], [1, 1, 2, 2]);
    expect(s.bcubedPrecision).toBeCloseTo(0.5, 10);
    expect(s.bcubedRecall).toBe(1);
    expect(s.pairwisePrecision).toBeCloseTo(2 / 6, 10);
    expect(s.pairwiseRecall).toBe(1);
  });

  it('two unassigned faces of one identity are not a correct pair', () => {
    const s = scoreClustering([-1, -1], [3, 3]);
    expect(s.bcubedRecall).toBeCloseTo(0.5, 10);
    expect(s.pairwiseRecall).toBe(0);
    expect(s.unassigned).toBe(1);
  });

  it('refuses mismatched lengths', () => {
    expect(() => scoreClustering([0, 1], [0])).toThrow(/one true label per face/);
  });
});

// Two people in one group (models/cluster/two-people.ts): split when the group's last average-linkage merge joins
// parts farther apart on average than the same-person distance and each part is a group's worth of faces; never a
// stray face, never more than once per group; and on lfw_subset, whose shipped groups hold no such pair, nothing.
import { describe, expect, it } from 'vitest';
import { BACKBONE_THRESHOLDS } from '../../../main/people/thresholds.js';
import { clusterMembers } from '../../../models/cluster/labels.js';
import { clusterVectors } from '../../../models/cluster/methods.js';
import { scoreClustering } from '../../../models/cluster/metrics.js';
import { lastMerge, lastMergePeeled, separateTwoPeople } from '../../../models/cluster/two-people.js';
import { normalizeRows, vectorSetFromRows, type VectorSet } from '../../../models/cluster/vectors.js';
import { loadLabelledFaces } from '../../../scripts/compare-clustering.js';

/** Unit vectors at the given angles (radians) in a plane, plus a little of a third axis per face. */
function atAngles(angles: number[]): VectorSet {
  const set = vectorSetFromRows(angles.map((a, i) => [Math.cos(a), Math.sin(a), 0.001 * i]));
  normalizeRows(set);
  return set;
}
const steps = (from: number, count: number, step = 0.02) => Array.from({ length: count }, (_, i) => from + i * step);
const sizes = (labels: ArrayLike<number>) => clusterMembers(labels).map((g) => g.length).sort((a, b) => b - a);
const rule = { cut: 0.087, minSize: 3 };

describe('separateTwoPeople', () => {
  it('splits a small tight group off a larger one it was merged into', () => {
    // A brother in 12 photos, a cousin in 3: ~0.13 apart on average, ~0.01 within each.
    const set = atAngles([...steps(0, 12), ...steps(0.6, 3)]);
    const split = lastMerge(set, [...Array(15).keys()])!;
    expect(split.parts[1].sort((a, b) => a - b)).toEqual([12, 13, 14]);
    expect(split.distance).toBeGreaterThan(0.087);
    const r = separateTwoPeople(set, new Array(15).fill(0), rule);
    expect(r.groupsSplit).toBe(1);
    expect(sizes(r.labels)).toEqual([12, 3]);
  });

  it('leaves one stray face in the group (that is "Not X"), and unknown faces unknown', () => {
    const set = atAngles([...steps(0, 12), 0.64, 0.9]);
    const r = separateTwoPeople(set, [...new Array(13).fill(0), -1], rule);
    expect(r.groupsSplit).toBe(0);
    expect(sizes(r.labels)).toEqual([13]);
    expect(r.labels[13]).toBe(-1);
  });

  it('sets a stray face aside to find two people under it, and keeps the stray with the part it is nearer', () => {
    // Two people of 8 faces each, 0.13 apart, and one stranger far from both: the last merge is the stranger's.
    const set = atAngles([...steps(0, 8), ...steps(0.6, 8), 2.4]);
    const rows = [...Array(17).keys()];
    expect(lastMerge(set, rows)!.parts[1]).toEqual([16]);
    expect(separateTwoPeople(set, new Array(17).fill(0), rule).groupsSplit).toBe(0);
    const peeled = lastMergePeeled(set, rows, 3, 3)!;
    expect(peeled.distance).toBeGreaterThan(0.087);
    const [a, b] = peeled.parts.map((p) => [...p].sort((x, y) => x - y));
    // The stranger (at 2.4 rad) is nearer the second person's mean (0.6-0.74 rad).
    expect([a, b].sort((x, y) => x[0] - y[0])).toEqual([steps(0, 8, 1), [...steps(8, 8, 1), 16]]);
    const r = separateTwoPeople(set, new Array(17).fill(0), { ...rule, peelStrays: 3 });
    expect(r.groupsSplit).toBe(1);
    expect(sizes(r.labels)).toEqual([9, 8]);
    // One person and a stranger: nothing under the stray to split.
    const one = atAngles([...steps(0, 12), 2.4]);
    expect(separateTwoPeople(one, new Array(13).fill(0), { ...rule, peelStrays: 3 }).groupsSplit).toBe(0);
    // None to set aside: judged as before.
    expect(lastMergePeeled(set, rows, 3, 0)).toBeNull();
  });

  it('keeps a person who drifts less than the same-person distance whole, and cuts a long drift only once', () => {
    const drift = (span: number) => atAngles(steps(0, 40, span / 39));
    expect(separateTwoPeople(drift(0.7), new Array(40).fill(0), rule).groupsSplit).toBe(0);
    // Far enough for its halves to be two people on average: two groups, not a string of age bands.
    const long = separateTwoPeople(drift(1.6), new Array(40).fill(0), rule);
    expect(sizes(long.labels)).toHaveLength(2);
  });

  it('judges a group larger than the sample on a sample, then gives every face to the nearer part', () => {
    const set = atAngles([...steps(0, 30, 0.005), ...steps(0.6, 30, 0.005)]);
    const r = separateTwoPeople(set, new Array(60).fill(0), { ...rule, sampleSize: 20 });
    expect(r.groupsSplit).toBe(1);
    expect(clusterMembers(r.labels).map((g) => [...g].sort((a, b) => a - b))).toEqual([[...steps(0, 30, 1)], [...steps(30, 30, 1)]]);
  });

  it('changes none of the groups the shipped clustering draws on lfw_subset', async () => {
    const lfw = await loadLabelledFaces('lfw_subset');
    const labels = clusterVectors(lfw.set, BACKBONE_THRESHOLDS.cluster);
    const r = separateTwoPeople(lfw.set, labels, { cut: BACKBONE_THRESHOLDS.sameDistance, minSize: 3 });
    expect(r.groupsSplit).toBe(0);
    expect(scoreClustering(r.labels, lfw.identity).bcubedF1).toBeCloseTo(scoreClustering(labels, lfw.identity).bcubedF1, 10);
  });
});

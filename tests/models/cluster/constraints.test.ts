import { describe, expect, it } from 'vitest';
import { applyConstraints } from '../../../models/cluster/constraints.js';
import { placeFace } from '../../../models/cluster/placement.js';
import { vectorSetFromRows } from '../../../models/cluster/vectors.js';

// Five faces in one cluster: 0 and 1 near the x axis, 3 and 4 near the y axis, 2 in between (nearer x).
const vectors = vectorSetFromRows([
  [1, 0, 0],
  [0.99, 0.05, 0],
  [0.8, 0.6, 0],
  [0.05, 0.99, 0],
  [0, 1, 0],
]);
const oneCluster = new Int32Array([0, 0, 0, 0, 0]);

describe('applyConstraints', () => {
  it('a cluster with user faces of one person becomes that person', () => {
    const r = applyConstraints({ vectors, labels: oneCluster, pinned: new Int32Array([7, -1, -1, -1, -1]), forbidden: () => false });
    expect(Array.from(r.person)).toEqual([7, 7, 7, 7, 7]);
    expect(r.anonymous).toEqual([]);
  });

  it('a cluster with user faces of two people is split by the nearest user face', () => {
    const r = applyConstraints({ vectors, labels: oneCluster, pinned: new Int32Array([1, -1, -1, -1, 2]), forbidden: () => false });
    expect(Array.from(r.person)).toEqual([1, 1, 1, 2, 2]);
  });

  it('a face never goes to a person it rejected', () => {
    const r = applyConstraints({ vectors, labels: oneCluster, pinned: new Int32Array([1, -1, -1, -1, -1]), forbidden: (row, p) => row === 2 && p === 1 });
    expect(r.person[2]).toBe(-1);
    expect(r.person[1]).toBe(1);
  });

  it("returns a cluster's faces that none of its people may take, together, for the caller to group (QA: they were dropped)", () => {
    const r = applyConstraints({ vectors, labels: oneCluster, pinned: new Int32Array([1, -1, -1, -1, -1]), forbidden: (row, p) => row >= 2 && p === 1 });
    expect(Array.from(r.person)).toEqual([1, 1, -1, -1, -1]);
    expect(r.unclaimed).toEqual([[2, 3, 4]]);
    expect(r.anonymous).toEqual([]);
    // And a face whose photo already shows the person.
    const inPhoto = applyConstraints({ vectors, labels: oneCluster, pinned: new Int32Array([1, -1, -1, -1, -1]), forbidden: () => false, photoOf: [10, 11, 12, 10, 14] });
    expect(inPhoto.person[3]).toBe(-1);
    expect(inPhoto.unclaimed).toEqual([[3]]);
  });

  it('user faces keep their person even when unclustered, and free clusters stay anonymous', () => {
    const labels = new Int32Array([-1, 0, 0, 1, 1]);
    const r = applyConstraints({ vectors, labels, pinned: new Int32Array([4, -1, -1, -1, -1]), forbidden: () => false });
    expect(r.person[0]).toBe(4);
    expect(r.anonymous).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});

describe('placeFace', () => {
  const rule = { threshold: 0.1, margin: 0.02 };
  it('joins the nearest person when close and clearly closer than the runner-up', () => {
    expect(placeFace([{ personId: 'a', distance: 0.05 }, { personId: 'a', distance: 0.06 }, { personId: 'b', distance: 0.09 }], rule)?.personId).toBe('a');
  });
  it('stays unknown when the runner-up is within the margin, or everything is too far', () => {
    expect(placeFace([{ personId: 'a', distance: 0.05 }, { personId: 'b', distance: 0.06 }], rule)).toBeNull();
    expect(placeFace([{ personId: 'a', distance: 0.2 }], rule)).toBeNull();
  });
  it('ignores unknown neighbours and rejected people', () => {
    const n = [
      { personId: null, distance: 0.01 },
      { personId: 'a', distance: 0.04 },
      { personId: 'b', distance: 0.05 },
    ];
    expect(placeFace(n, rule)).toBeNull();
    // b nearest, a rejected just behind it: a does not hold b's face back (a split's part stays whole).
    expect(placeFace([{ personId: 'b', distance: 0.04 }, { personId: 'a', distance: 0.05 }], rule, ['a'])?.personId).toBe('b');
  });
  it('places nobody when the nearest person is one the face is not: their lookalike next in line is asked about', () => {
    const n = [
      { personId: 'venus', distance: 0.03 },
      { personId: 'serena', distance: 0.04 },
      { personId: 'serena', distance: 0.045 },
    ];
    expect(placeFace(n, rule, ['venus'])).toBeNull();
    expect(placeFace([{ personId: null, distance: 0.01 }, ...n], rule, ['venus'])).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { applyConstraints } from '../../../models/cluster/constraints.js';
import { constrainedAverageLinkage, hasSamePhotoConflict, looksLikeSeveralPeople, separateSamePhotoFaces } from '../../../models/cluster/same-photo.js';
import { seededRandom } from '../../../models/cluster/random.js';
import { clusterMembers } from '../../../models/cluster/labels.js';
import { vectorSetFromRows, normalizeRows, type VectorSet } from '../../../models/cluster/vectors.js';

/** Unit vectors at small angles (radians) in a plane, plus a little of a third axis per face: near-duplicates stay distinct. */
function atAngles(angles: number[]): VectorSet {
  const set = vectorSetFromRows(angles.map((a, i) => [Math.cos(a), Math.sin(a), 0.001 * i]));
  normalizeRows(set);
  return set;
}

const members = (labels: ArrayLike<number>) => clusterMembers(labels).map((g) => [...g].sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);

describe('separateSamePhotoFaces', () => {
  // Twins: A at angles 0, 0.02, 0.04 and B at 0.30, 0.32, 0.34 (cosine distance between them ~0.045, within a
  // loose cut of 0.08, so one group holds all six); A and B are photographed together twice.
  const twins = atAngles([0, 0.02, 0.04, 0.3, 0.32, 0.34]);
  const photos = [10, 11, 12, 10, 11, 13];
  const oneGroup = [0, 0, 0, 0, 0, 0];

  it('splits a group holding two faces of one photo into people who each appear once per photo', () => {
    const r = separateSamePhotoFaces(twins, oneGroup, photos, { cut: 0.08, minSize: 2 });
    expect(members(r.labels)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(r.groupsWithConflicts).toBe(1);
    expect(r.groupsSplit).toBe(1);
    expect(r.released).toBe(0);
  });

  it('a person shown twice in one photo (a photo of a photo, a mirror) stays one person; only the outlying face leaves', () => {
    // Ten faces of one person spread along an arc; photo 0 holds faces 0 and 9, the two ends.
    const person = atAngles(Array.from({ length: 10 }, (_, i) => i * 0.04));
    const photoOf = [0, 1, 2, 3, 4, 5, 6, 7, 8, 0];
    const r = separateSamePhotoFaces(person, new Array(10).fill(0), photoOf, { cut: 0.002, minSize: 3 });
    expect(r.groupsSplit).toBe(0);
    expect(clusterMembers(r.labels)).toHaveLength(1);
    expect(r.released).toBe(1);
    expect([r.labels[0], r.labels[9]]).toContain(-1);
  });

  it('takes a group for several people only when its photos show someone twice too often for one person', () => {
    expect(looksLikeSeveralPeople(1, 9)).toBe(false);
    expect(looksLikeSeveralPeople(2, 4)).toBe(true);
    expect(looksLikeSeveralPeople(7, 7)).toBe(true);
    expect(looksLikeSeveralPeople(5, 2000)).toBe(false);
    expect(looksLikeSeveralPeople(60, 2000)).toBe(true);
  });

  it('leaves groups without a shared photo exactly as they were', () => {
    const r = separateSamePhotoFaces(twins, [0, 0, 0, 1, 1, 1], [1, 2, 3, 4, 5, 6], { cut: 0.08, minSize: 2 });
    expect(members(r.labels)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(r.groupsWithConflicts).toBe(0);
  });

  it('releases sub-groups smaller than the smallest group, and merges nothing beyond the cut', () => {
    // Face 5 shares a photo with face 0 and sits far from everyone: it cannot join and is released.
    const set = atAngles([0, 0.02, 0.04, 0.06, 0.08, 1.2]);
    const r = separateSamePhotoFaces(set, [0, 0, 0, 0, 0, 0], [1, 2, 3, 4, 5, 1], { cut: 0.08, minSize: 3 });
    expect(members(r.labels)).toEqual([[0, 1, 2, 3, 4]]);
    expect(r.labels[5]).toBe(-1);
    expect(r.released).toBe(1);
  });

  it('never lets a photo into a group twice, whatever the geometry (random groups of a hundred faces)', () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 20; trial++) {
      const n = 100;
      const set = vectorSetFromRows(Array.from({ length: n }, () => Array.from({ length: 8 }, () => random() - 0.5)));
      normalizeRows(set);
      const photoOf = Array.from({ length: n }, () => Math.floor(random() * 30));
      const r = separateSamePhotoFaces(set, new Array(n).fill(0), photoOf, { cut: 2, minSize: 1 });
      for (const g of clusterMembers(r.labels)) expect(hasSamePhotoConflict(g, photoOf)).toBe(false);
      // With every merge allowed up to distance 2, only the cannot-links stop it: as many groups as the most
      // crowded photo has faces, at least.
      const crowded = Math.max(...[...new Set(photoOf)].map((p) => photoOf.filter((q) => q === p).length));
      expect(clusterMembers(r.labels).length).toBeGreaterThanOrEqual(crowded);
      expect(r.released).toBe(0);
    }
  });

  it('a group too large to redraw pairwise keeps, per photo, the face nearest its mean, however many photos conflict', () => {
    const set = atAngles([0, 0.01, 0.02, 0.03, 0.5]);
    const r = separateSamePhotoFaces(set, [0, 0, 0, 0, 0], [1, 2, 1, 2, 3], { cut: 0.08, minSize: 2, pairwiseLimit: 3 });
    expect(r.groupsSplit).toBe(0);
    expect(members(r.labels)).toEqual([[2, 3, 4]]);
  });

  it('average linkage with cannot-links matches plain average linkage when no photo repeats', () => {
    const set = atAngles([0, 0.05, 0.1, 0.6, 0.62, 1.5]);
    const groups = constrainedAverageLinkage(set, [0, 1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], 0.02);
    expect(groups.map((g) => [...g].sort((a, b) => a - b)).sort((a, b) => a[0] - b[0])).toEqual([[0, 1, 2], [3, 4], [5]]);
  });
});

describe('applyConstraints with photos', () => {
  // One cluster: 0 is the user's face of person 7; 1 and 2 are free faces of one photo, 1 nearer to 0; 3 shares
  // the photo of the user's face 0.
  const set = atAngles([0, 0.01, 0.05, 0.02]);
  const labels = new Int32Array([0, 0, 0, 0]);
  const pinned = new Int32Array([7, -1, -1, -1]);

  it('gives a person at most one face per photo: the nearer of two, never one beside the user\'s own', () => {
    const r = applyConstraints({ vectors: set, labels, pinned, forbidden: () => false, photoOf: [100, 200, 200, 100] });
    expect(Array.from(r.person)).toEqual([7, 7, -1, -1]);
  });

  it('without photos, the cluster becomes the person as before', () => {
    const r = applyConstraints({ vectors: set, labels, pinned, forbidden: () => false });
    expect(Array.from(r.person)).toEqual([7, 7, 7, 7]);
  });

  it('the user may still put two faces of one photo in one person (a photo of a photo, a mirror): both stay', () => {
    const r = applyConstraints({ vectors: set, labels, pinned: new Int32Array([7, -1, -1, 7]), forbidden: () => false, photoOf: [100, 200, 300, 100] });
    expect(Array.from(r.person)).toEqual([7, 7, 7, 7]);
  });
});

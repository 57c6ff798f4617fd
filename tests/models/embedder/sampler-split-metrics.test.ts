import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../models/embedder/random.js';
import { PKBatchSampler, type TrainingSet } from '../../../models/embedder/sampler.js';
import { stratifiedSplit } from '../../../models/embedder/split.js';
import {
  identify,
  mostConfusedPairs,
  confusionMatrixPairs,
  pairDistances,
  pairIdentificationError,
  transferThreshold,
  verificationAtFar,
  type LabelledVectors,
} from '../../../models/embedder/metrics.js';

function set2d(points: Array<[number, number]>, labels: number[]): LabelledVectors {
  const vectors = new Float32Array(points.length * 2);
  points.forEach(([x, y], i) => {
    const n = Math.hypot(x, y);
    vectors[i * 2] = x / n;
    vectors[i * 2 + 1] = y / n;
  });
  return { dim: 2, vectors, labels: Int32Array.from(labels) };
}

describe('P x K batch sampler', () => {
  const labels = [0, 0, 0, 0, 0, 0, 1, 2, 2, -1];
  const set: TrainingSet = {
    dim: 3,
    vectors: Float32Array.from(labels.flatMap((_, i) => [Math.cos(i / 10), Math.sin(i / 10), 0])),
    labels: Int32Array.from(labels),
    rejected: labels.map((_, i) => (i === 9 ? [1] : [])),
  };

  it('represents every person K times, tops up small people with noisy copies and adds their rejections', () => {
    const sampler = new PKBatchSampler(set, { peoplePerBatch: 3, facesPerPerson: 4, rejectionsPerPerson: 1, noiseStd: 0.01 }, seededRandom(2));
    const batch = sampler.nextBatch();
    for (const person of [0, 1, 2]) expect(batch.labels.filter((l) => l === person)).toHaveLength(4);
    // Person 1 has one face: its four slots come from row 6, three of them perturbed but still unit length.
    const slots = [...batch.labels.keys()].filter((s) => batch.labels[s] === 1);
    expect(slots.every((s) => batch.source[s] === 6)).toBe(true);
    const distinct = new Set(slots.map((s) => batch.vectors.slice(s * 3, s * 3 + 3).join(',')));
    expect(distinct.size).toBe(4);
    for (const s of slots) expect(Math.hypot(...batch.vectors.slice(s * 3, s * 3 + 3))).toBeCloseTo(1, 5);
    // The face rejected from person 1 joins as a negative with unknown identity.
    expect(Array.from(batch.source)).toContain(9);
    expect(batch.rejected[Array.from(batch.source).indexOf(9)]).toEqual([1]);
  });

  it('visits every person each epoch even when P is smaller than the number of people', () => {
    const sampler = new PKBatchSampler(set, { peoplePerBatch: 2, facesPerPerson: 2, rejectionsPerPerson: 0, noiseStd: 0 }, seededRandom(5));
    const seen = new Set<number>();
    for (let i = 0; i < 2; i++) for (const l of sampler.nextBatch().labels) seen.add(l);
    expect([...seen].sort()).toEqual([0, 1, 2]);
    expect(sampler.stepsPerEpoch).toBeGreaterThanOrEqual(2);
  });

  it('refuses a set with a single person', () => {
    const one: TrainingSet = { dim: 1, vectors: Float32Array.from([1, 1]), labels: Int32Array.from([0, 0]), rejected: [[], []] };
    expect(() => new PKBatchSampler(one, { peoplePerBatch: 2, facesPerPerson: 2, rejectionsPerPerson: 0, noiseStd: 0 }, seededRandom(1))).toThrow(/at least two people/);
  });
});

describe('stratified split', () => {
  it('holds out a share per person, keeps single-face people in training, and is stable', () => {
    const faces = [
      ...Array.from({ length: 10 }, (_, i) => ({ id: `a${i}`, label: 0 })),
      ...Array.from({ length: 2 }, (_, i) => ({ id: `b${i}`, label: 1 })),
      { id: 'c0', label: 2 },
    ];
    const split = stratifiedSplit(faces, 0.2);
    expect(split.validation.filter((i) => faces[i].label === 0)).toHaveLength(2);
    expect(split.validation.filter((i) => faces[i].label === 1)).toHaveLength(1);
    expect(split.train).toContain(12);
    expect(split.train.length + split.validation.length).toBe(faces.length);
    // Adding faces does not move the faces that were already held out out of validation, unless outranked.
    const again = stratifiedSplit([...faces], 0.2);
    expect(again).toEqual(split);
    // However large the share, each person keeps a face to train on.
    const pair = [{ id: 'a1', label: 0 }, { id: 'a2', label: 0 }, { id: 'b1', label: 1 }, { id: 'b2', label: 1 }, { id: 'b3', label: 1 }];
    for (const share of [0.75, 0.9]) {
      const held = stratifiedSplit(pair, share);
      expect(new Set(held.train.map((i) => pair[i].label)), String(share)).toEqual(new Set([0, 1]));
    }
  });
});

describe('embedding metrics', () => {
  const gallery = set2d([[1, 0], [0, 1]], [0, 1]);
  const probes = set2d([[1, 0.1], [0.1, 1], [1, 0.9]], [0, 1, 1]);

  it('identifies probes by their nearest named face', () => {
    const result = identify(gallery, probes);
    expect(Array.from(result.predictions)).toEqual([0, 1, 0]);
    expect(result.accuracy).toBeCloseTo(2 / 3);
    expect(result.margins[0]).toBeLessThan(0);
    expect(result.margins[2]).toBeGreaterThan(0);
  });

  it('measures TAR at a FAR and resolves the FAR honestly when impostor pairs are few', () => {
    const pairs = { genuine: Float32Array.from([0.1, 0.2, 0.5]), impostor: Float32Array.from([0.3, 0.6, 0.7, 0.9]) };
    const v = verificationAtFar(pairs, 1e-3);
    expect(v.threshold).toBeCloseTo(0.3);
    expect(v.tar).toBeCloseTo(2 / 3);
    expect(v.resolvedFar).toBe(0.25);
    const loose = verificationAtFar(pairs, 0.5);
    expect(loose.threshold).toBeCloseTo(0.7);
    expect(loose.tar).toBe(1);
    const within = pairDistances(probes);
    expect(within.genuine).toHaveLength(1);
    expect(within.impostor).toHaveLength(2);
  });

  it('keeps the false-accept rate when a threshold moves to another embedding', () => {
    const before = { genuine: Float32Array.from([0.05, 0.1]), impostor: Float32Array.from([0.2, 0.4, 0.6, 0.8]) };
    const after = { genuine: Float32Array.from([0.05, 0.1]), impostor: Float32Array.from([0.5, 0.7, 0.9, 1.1]) };
    const moved = transferThreshold(0.5, before, after); // accepts 2 of 4 impostors before
    expect(moved).toBeGreaterThan(0.7);
    expect(moved).toBeLessThan(0.9);
  });

  it('keeps the true-accept rate when the threshold accepts no impostor at all', () => {
    const before = { genuine: Float32Array.from([0.1, 0.2, 0.3, 0.4]), impostor: Float32Array.from([0.6, 0.7]) };
    const after = { genuine: Float32Array.from([0.05, 0.1, 0.15, 0.2]), impostor: Float32Array.from([0.9, 1.0]) };
    const moved = transferThreshold(0.25, before, after); // accepts 2 of 4 genuine pairs, no impostor
    expect(moved).toBeGreaterThan(0.1);
    expect(moved).toBeLessThan(0.15);
  });

  it('ranks the pairs of people an embedding confuses', () => {
    const g = set2d([[1, 0], [1, 0.05], [0, 1]], [0, 1, 2]);
    const p = set2d([[1, 0.06], [1, 0.01], [0.1, 1]], [0, 1, 2]);
    const pair = pairIdentificationError(g, p, 0, 1);
    expect(pair.errors).toBe(2);
    const ranked = mostConfusedPairs(g, p, 2);
    expect(ranked[0]).toMatchObject({ a: 0, b: 1, errors: 2 });
  });

  it('counts a photo unlike its own person once, against the person it is taken for', () => {
    // Person 0's probe at (0.5, 1) is nearer person 2 than anyone, and nearer person 1 than person 0 too: the
    // two-way ranking blames it on both pairs, the confusion matrix only on (0, 2).
    const g = set2d([[1, 0], [1, 1], [0, 1], [-1, 0]], [0, 1, 2, 3]);
    const p = set2d([[0.2, 1], [1, 0.95], [-1, 0.05], [0.05, 1]], [0, 1, 3, 2]);
    expect(pairIdentificationError(g, p, 0, 1).errors).toBe(1);
    expect(pairIdentificationError(g, p, 0, 2).errors).toBe(1);
    expect(confusionMatrixPairs(g, p, 5)).toEqual([{ a: 0, b: 2, confusions: 1 }]);
  });
});

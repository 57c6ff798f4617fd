// Doppelganger batches on real faces: lfw_subset backbone descriptors, three confirmations per person.
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeRows } from '../../../models/embedder/head.js';
import { seededRandom, shuffleInPlace } from '../../../models/embedder/random.js';
import { PKBatchSampler, type SamplerOptions, type TrainingSet } from '../../../models/embedder/sampler.js';
import { loadLfwPeople } from './lfw-fixture.js';

const DIM = 128;
const PEOPLE = 60;
const FACES = 3;

let set: TrainingSet;
/** Per person, every other person ranked by their closest pair of faces (cosine distance), computed here by brute force. */
let ranked: number[][];

beforeAll(async () => {
  const people = (await loadLfwPeople()).filter((p) => p.descriptors.length >= FACES).slice(0, PEOPLE);
  const rows: Float32Array[] = [];
  const labels: number[] = [];
  people.forEach((p, label) => {
    for (const i of shuffleInPlace([...p.descriptors.keys()], seededRandom(label + 1)).slice(0, FACES)) {
      rows.push(p.descriptors[i]);
      labels.push(label);
    }
  });
  const vectors = new Float32Array(rows.length * DIM);
  rows.forEach((r, i) => vectors.set(r, i * DIM));
  normalizeRows(vectors, DIM);
  set = { dim: DIM, vectors, labels: Int32Array.from(labels), rejected: labels.map(() => []) };
  const closest = (a: number, b: number) => {
    let best = Infinity;
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== a) continue;
      for (let j = 0; j < labels.length; j++) {
        if (labels[j] !== b) continue;
        let dot = 0;
        for (let d = 0; d < DIM; d++) dot += vectors[i * DIM + d] * vectors[j * DIM + d];
        best = Math.min(best, 1 - dot);
      }
    }
    return best;
  };
  ranked = people.map((_, a) =>
    people
      .map((__, b) => b)
      .filter((b) => b !== a)
      .map((b) => ({ b, d: closest(a, b) }))
      .sort((x, y) => x.d - y.d)
      .map((x) => x.b),
  );
});

const options = (doppelgangersPerPerson: number): SamplerOptions => ({
  peoplePerBatch: 16,
  facesPerPerson: 4,
  rejectionsPerPerson: 0,
  noiseStd: 0.01,
  doppelgangersPerPerson,
  doppelgangerPool: 4,
});

/** Share of a person's appearances in a batch where one of their `top` nearest people is in the same batch. */
function lookalikeShare(sampler: PKBatchSampler, batches: number, top: number): number {
  let together = 0;
  let appearances = 0;
  for (let i = 0; i < batches; i++) {
    const present = new Set(sampler.nextBatch().labels);
    for (const person of present) {
      appearances++;
      if (ranked[person].slice(0, top).some((other) => present.has(other))) together++;
    }
  }
  return together / appearances;
}

describe('doppelganger batches', () => {
  it('ranks each person\'s lookalikes by their closest faces in the backbone space', () => {
    const sampler = new PKBatchSampler(set, options(3), seededRandom(1));
    for (let person = 0; person < PEOPLE; person++) expect(sampler.doppelgangersOf(person)).toEqual(ranked[person].slice(0, 4));
    expect(new PKBatchSampler(set, options(0), seededRandom(1)).doppelgangersOf(0)).toEqual([]);
  });

  it('puts confusable people in the same batch far more often than random batches do', () => {
    const withLookalikes = lookalikeShare(new PKBatchSampler(set, options(3), seededRandom(7)), 40, 4);
    const random = lookalikeShare(new PKBatchSampler(set, options(0), seededRandom(7)), 40, 4);
    // 16 of 60 people at random: a given person's 4 nearest are all absent about 28 % of the time.
    expect(withLookalikes).toBeGreaterThan(0.9);
    expect(random).toBeLessThan(0.85);
    expect(withLookalikes).toBeGreaterThan(random + 0.1);
  });

  it('still puts every person in every epoch, K faces each', () => {
    const sampler = new PKBatchSampler(set, options(3), seededRandom(3));
    for (let epoch = 0; epoch < 3; epoch++) {
      const seen = new Set<number>();
      sampler.startEpoch();
      for (let step = 0; step < sampler.stepsPerEpoch; step++) {
        const batch = sampler.nextBatch();
        const counts = new Map<number, number>();
        for (const l of batch.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
        expect(counts.size).toBe(16);
        for (const count of counts.values()) expect(count).toBe(4);
        for (const l of batch.labels) seen.add(l);
      }
      expect(seen.size).toBe(PEOPLE);
    }
  });

  it('follows the current embedding when refreshed', () => {
    const sampler = new PKBatchSampler(set, options(3), seededRandom(1));
    // An embedding in which person 0's faces sit exactly on person 5's (as a drifting head might put them).
    const moved = Float32Array.from(set.vectors);
    const firstOf5 = set.labels.indexOf(5);
    for (let r = 0; r < set.labels.length; r++) if (set.labels[r] === 0) moved.set(set.vectors.subarray(firstOf5 * DIM, (firstOf5 + 1) * DIM), r * DIM);
    sampler.refreshDoppelgangers(moved);
    expect(sampler.doppelgangersOf(0)[0]).toBe(5);
    expect(sampler.doppelgangersOf(5)[0]).toBe(0);
    expect(() => sampler.refreshDoppelgangers(moved.subarray(DIM))).toThrow(/Expected 180 embedded faces/);
  });

  it('refuses a fractional or negative number of lookalikes', () => {
    expect(() => new PKBatchSampler(set, options(1.5), seededRandom(1))).toThrow(/whole number/);
    expect(() => new PKBatchSampler(set, options(-1), seededRandom(1))).toThrow(/whole number/);
  });
});

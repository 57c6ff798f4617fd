// Training on real faces (lfw_subset backbone descriptors from the shared cache).
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '../../../models/backend.js';
import { normalizeRows } from '../../../models/embedder/head.js';
import { embeddingQuality, mostConfusedPairs, pairDistances, type LabelledVectors } from '../../../models/embedder/metrics.js';
import { seededRandom, shuffleInPlace } from '../../../models/embedder/random.js';
import type { TrainingSet } from '../../../models/embedder/sampler.js';
import { datasetTripletLoss, embedLabelled, galleryOf, trainHead } from '../../../models/embedder/train.js';
import { adoptionDecision, metricsOf } from '../../../main/embedder/train-job.js';
import { loadLfwPeople, type LfwPerson } from './lfw-fixture.js';

const DIM = 128;

/** Faces [from, to) of each listed person (photo order fixed by a seeded shuffle) as labelled vectors. */
function facesOf(people: LfwPerson[], from: number, to: number, seed = 3): LabelledVectors {
  const rows: Float32Array[] = [];
  const labels: number[] = [];
  people.forEach((p, label) => {
    const order = shuffleInPlace([...p.descriptors.keys()], seededRandom(seed + label));
    for (const i of order.slice(from, to)) {
      rows.push(p.descriptors[i]);
      labels.push(label);
    }
  });
  const vectors = new Float32Array(rows.length * DIM);
  rows.forEach((r, i) => vectors.set(r, i * DIM));
  return { dim: DIM, vectors: normalizeRows(vectors, DIM), labels: Int32Array.from(labels) };
}

const asTraining = (set: LabelledVectors): TrainingSet => ({ ...set, rejected: Array.from(set.labels, () => []) });

/** ROC AUC of same-person vs different-person distances: the chance a same pair is closer than a different one. */
function separationAuc(set: LabelledVectors): number {
  const { genuine, impostor } = pairDistances(set);
  let wins = 0;
  for (const g of genuine) for (const i of impostor) wins += g < i ? 1 : g === i ? 0.5 : 0;
  return wins / (genuine.length * impostor.length);
}

let tf: Tf;
let people: LfwPerson[];

beforeAll(async () => {
  tf = (await initBackend()).tf;
  people = (await loadLfwPeople()).filter((p) => p.descriptors.length >= 8);
});

describe('embedder training on lfw_subset', () => {
  it('lowers the triplet loss on real confirmed faces', async () => {
    const chosen = people.slice(0, 40);
    const train = asTraining(facesOf(chosen, 0, 5));
    const result = await trainHead(tf, { train, validation: null }, { epochs: 8, seed: 2 });
    const before = datasetTripletLoss(null, train, result.options.margin);
    const after = datasetTripletLoss(result.head, train, result.options.margin);
    expect(before).toBeGreaterThan(0);
    expect(after).toBeLessThan(before * 0.5);
    expect(result.history[result.history.length - 1].loss).toBeLessThan(result.history[0].loss);
  });

  it('separates two people the raw backbone confuses better than raw, on photos it did not train on', async () => {
    // Among the pairs of neighbouring people, the one whose held-out photos the raw backbone separates worst.
    const all = facesOf(people, 0, 10);
    const candidates = mostConfusedPairs(all, all, 30).map((pair) => {
      const two = [people[pair.a], people[pair.b]];
      return { two, rawAuc: separationAuc(embedLabelled(null, facesOf(two, 5, 10))) };
    });
    const { two } = candidates.sort((x, y) => x.rawAuc - y.rawAuc)[0];
    const train = asTraining(facesOf(two, 0, 5));
    const heldOut = facesOf(two, 5, 10);
    const result = await trainHead(tf, { train, validation: null }, { epochs: 15, seed: 4 });
    const rawAuc = separationAuc(embedLabelled(null, heldOut));
    const trainedAuc = separationAuc(embedLabelled(result.head, heldOut));
    expect(rawAuc).toBeLessThan(1);
    expect(trainedAuc).toBeGreaterThan(rawAuc);
  });

  it('a head trained on shuffled identities is worse than raw and is not adopted', async () => {
    const chosen = people.slice(40, 80);
    const confirmed = facesOf(chosen, 0, 5);
    const validation = facesOf(chosen, 5, 8);
    const shuffled = Int32Array.from(shuffleInPlace([...confirmed.labels], seededRandom(11)));
    const train = asTraining({ ...confirmed, labels: shuffled });
    const result = await trainHead(tf, { train, validation: null }, { epochs: 10, seed: 5 });
    const gallery = galleryOf(asTraining(confirmed));
    const raw = metricsOf(embeddingQuality(embedLabelled(null, gallery), embedLabelled(null, validation), 1e-3));
    const sabotaged = metricsOf(embeddingQuality(embedLabelled(result.head, gallery), embedLabelled(result.head, validation), 1e-3));
    // Pulling random pairs together costs verification first (identification on LFW is near-perfect raw).
    expect(sabotaged.tar).toBeLessThan(raw.tar);
    expect(sabotaged.identificationAccuracy).toBeLessThanOrEqual(raw.identificationAccuracy);
    const decision = adoptionDecision(raw, sabotaged);
    expect(decision.adopt).toBe(false);
    expect(decision.reason).toMatch(/^The new model/);
  });
});

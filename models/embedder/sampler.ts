// P x K batches: P people, K faces each, so every person — however few faces the user confirmed — takes part
// in training as often as the others (a person with 40 confirmed faces does not drown one with 2). People
// are drawn from a shuffled cycle, so each epoch visits every person. A person with fewer than K faces is
// topped up by re-drawing their faces with a little Gaussian noise on the backbone vector (then
// re-normalised): distinct points, same identity. Faces the user rejected from a person in the batch join it
// as explicit negatives.
import { gaussian, shuffleInPlace } from './random.js';
import type { MiningBatch } from './triplet.js';

export interface TrainingSet {
  dim: number;
  /** Row-major n x dim backbone vectors. */
  vectors: Float32Array;
  /** Person index per row, or -1 for a face known only through rejections. */
  labels: Int32Array;
  /** Person indices each row was rejected from. */
  rejected: ReadonlyArray<readonly number[]>;
}

export interface SamplerOptions {
  peoplePerBatch: number;
  facesPerPerson: number;
  /** Rejected faces added per person in the batch (when the user rejected any from that person). */
  rejectionsPerPerson: number;
  /** Std of the Gaussian noise per dimension on repeated faces (backbone vectors are unit length). */
  noiseStd: number;
}

export interface SampledBatch extends MiningBatch {
  vectors: Float32Array;
  /** Row of the training set each slot came from. */
  source: Int32Array;
}

export function validateTrainingSet(set: TrainingSet): void {
  const n = set.labels.length;
  if (set.vectors.length !== n * set.dim) throw new Error(`The training set has ${set.vectors.length} values for ${n} faces of ${set.dim} dimensions.`);
  if (set.rejected.length !== n) throw new Error('The training set needs one rejection list per face.');
  for (let i = 0; i < set.vectors.length; i++) {
    if (!Number.isFinite(set.vectors[i])) throw new Error(`Face ${Math.floor(i / set.dim)} of the training set has a non-finite backbone value.`);
  }
}

export class PKBatchSampler {
  private readonly facesByPerson = new Map<number, number[]>();
  private readonly rejectedFrom = new Map<number, number[]>();
  private queue: number[] = [];
  readonly people: number[];

  constructor(
    private readonly set: TrainingSet,
    private readonly options: SamplerOptions,
    private readonly random: () => number,
  ) {
    validateTrainingSet(set);
    for (let i = 0; i < set.labels.length; i++) {
      const label = set.labels[i];
      if (label >= 0) {
        const faces = this.facesByPerson.get(label) ?? [];
        faces.push(i);
        this.facesByPerson.set(label, faces);
      }
      for (const person of set.rejected[i]) {
        const faces = this.rejectedFrom.get(person) ?? [];
        faces.push(i);
        this.rejectedFrom.set(person, faces);
      }
    }
    this.people = [...this.facesByPerson.keys()].sort((a, b) => a - b);
    if (this.people.length < 2) throw new Error('Training the embedder needs confirmed faces of at least two people.');
  }

  /** Batches per epoch: enough to visit every person once and to draw about as many faces as there are. */
  get stepsPerEpoch(): number {
    const p = Math.min(this.options.peoplePerBatch, this.people.length);
    const labelled = this.people.reduce((sum, person) => sum + this.facesByPerson.get(person)!.length, 0);
    return Math.max(Math.ceil(this.people.length / p), Math.ceil(labelled / (p * this.options.facesPerPerson)));
  }

  private nextPeople(): number[] {
    const p = Math.min(this.options.peoplePerBatch, this.people.length);
    const chosen: number[] = [];
    const deferred: number[] = [];
    while (chosen.length < p) {
      if (this.queue.length === 0) this.queue = shuffleInPlace([...this.people], this.random);
      const person = this.queue.shift()!;
      if (chosen.includes(person)) deferred.push(person);
      else chosen.push(person);
    }
    this.queue.unshift(...deferred);
    return chosen;
  }

  nextBatch(): SampledBatch {
    const { dim, vectors } = this.set;
    const { facesPerPerson: k, rejectionsPerPerson, noiseStd } = this.options;
    const slots: Array<{ row: number; noisy: boolean }> = [];
    for (const person of this.nextPeople()) {
      const faces = shuffleInPlace([...this.facesByPerson.get(person)!], this.random);
      for (let i = 0; i < k; i++) {
        slots.push(i < faces.length ? { row: faces[i], noisy: false } : { row: faces[Math.floor(this.random() * faces.length)], noisy: true });
      }
      const rejected = this.rejectedFrom.get(person);
      if (rejected) {
        for (const row of shuffleInPlace([...rejected], this.random).slice(0, rejectionsPerPerson)) {
          if (!slots.some((s) => s.row === row && !s.noisy)) slots.push({ row, noisy: false });
        }
      }
    }
    const out = new Float32Array(slots.length * dim);
    slots.forEach(({ row, noisy }, s) => {
      let norm = 0;
      for (let d = 0; d < dim; d++) {
        const v = vectors[row * dim + d] + (noisy ? gaussian(this.random) * noiseStd : 0);
        out[s * dim + d] = v;
        norm += v * v;
      }
      if (noisy && norm > 0) for (let d = 0; d < dim; d++) out[s * dim + d] /= Math.sqrt(norm);
    });
    return {
      vectors: out,
      source: Int32Array.from(slots.map((s) => s.row)),
      labels: Int32Array.from(slots.map((s) => this.set.labels[s.row])),
      rejected: slots.map((s) => this.set.rejected[s.row]),
    };
  }
}

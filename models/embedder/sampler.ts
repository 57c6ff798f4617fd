// P x K batches: P people, K faces each, so every person — however few faces the user confirmed — takes part
// in training as often as the others (a person with 40 confirmed faces does not drown one with 2). Each epoch
// draws the people from a fresh shuffle, so each epoch visits every person. A person with fewer than K faces is
// topped up by re-drawing their faces with a little Gaussian noise on the backbone vector (then
// re-normalised): distinct points, same identity. Faces the user rejected from a person in the batch join it
// as explicit negatives.
//
// Doppelganger batches (Smirnov et al. 2017, "Doppelganger Mining for Face Representation Learning"): a batch
// of people drawn at random almost never holds two lookalikes, so semi-hard mining never sees the pairs the
// embedding confuses — the siblings and cousins users complain about. Each person therefore brings into the
// batch a few of their current doppelgangers (the people whose faces lie nearest theirs in the current
// embedding, refreshed every epoch), so every batch holds class-level hard negatives. The people still come
// from the epoch's shuffle as "seeds", so every person is in every epoch.
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
  /** Lookalikes each seed person brings into the batch (0: plain random P x K batches). */
  doppelgangersPerPerson?: number;
  /** The lookalikes are drawn from this many nearest people (>= doppelgangersPerPerson), for variety. */
  doppelgangerPool?: number;
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
  /** Per person, the other people nearest them in the current embedding, nearest first. */
  private doppelgangers = new Map<number, number[]>();
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
    const m = this.options.doppelgangersPerPerson ?? 0;
    if (!(Number.isInteger(m) && m >= 0)) throw new Error(`Doppelgangers per person must be a whole number >= 0, got ${m}.`);
    // An untrained head is the raw backbone: its geometry gives the first lists.
    if (m > 0) this.refreshDoppelgangers(set.vectors);
  }

  /** How many lookalikes a seed brings, given the batch size and the number of people. */
  private get groupSize(): number {
    const p = Math.min(this.options.peoplePerBatch, this.people.length);
    return Math.max(1, Math.min(p, 1 + (this.options.doppelgangersPerPerson ?? 0)));
  }

  /**
   * Batches per epoch: enough for every person to be a seed once (a seed and its lookalikes make a group) and
   * to draw about as many faces as there are.
   */
  get stepsPerEpoch(): number {
    const p = Math.min(this.options.peoplePerBatch, this.people.length);
    const seedsPerBatch = Math.max(1, Math.floor(p / this.groupSize));
    const labelled = this.people.reduce((sum, person) => sum + this.facesByPerson.get(person)!.length, 0);
    return Math.max(Math.ceil(this.people.length / seedsPerBatch), Math.ceil(labelled / (p * this.options.facesPerPerson)));
  }

  /**
   * Re-ranks every person's lookalikes from `embedded` (the training rows through the current head, row-major,
   * unit length): people are as close as their two nearest faces, the distance nearest-named-face
   * identification gets wrong. Call once per epoch.
   */
  refreshDoppelgangers(embedded: Float32Array): void {
    const { dim } = this.set;
    if (embedded.length !== this.set.vectors.length) throw new Error(`Expected ${this.set.labels.length} embedded faces, got ${embedded.length / dim}.`);
    const people = this.people;
    const index = new Map(people.map((person, i) => [person, i]));
    const norms = new Float64Array(this.set.labels.length);
    for (let r = 0; r < norms.length; r++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += embedded[r * dim + d] ** 2;
      norms[r] = Math.sqrt(s) || 1;
    }
    const closest = new Float64Array(people.length * people.length).fill(Infinity);
    for (let a = 0; a < people.length; a++) {
      for (const ra of this.facesByPerson.get(people[a])!) {
        for (let b = a + 1; b < people.length; b++) {
          for (const rb of this.facesByPerson.get(people[b])!) {
            let dot = 0;
            for (let d = 0; d < dim; d++) dot += embedded[ra * dim + d] * embedded[rb * dim + d];
            const distance = 1 - dot / (norms[ra] * norms[rb]);
            if (distance < closest[a * people.length + b]) {
              closest[a * people.length + b] = distance;
              closest[b * people.length + a] = distance;
            }
          }
        }
      }
    }
    const keep = Math.min(people.length - 1, Math.max(this.options.doppelgangerPool ?? 0, this.options.doppelgangersPerPerson ?? 0));
    this.doppelgangers = new Map(
      people.map((person, a) => {
        const others = people.filter((other) => other !== person);
        others.sort((x, y) => closest[a * people.length + index.get(x)!] - closest[a * people.length + index.get(y)!] || x - y);
        return [person, others.slice(0, keep)];
      }),
    );
  }

  /**
   * Starts an epoch from a fresh shuffle of the people. Each batch takes at least floor(P / group) seeds from
   * the shuffle, so stepsPerEpoch batches use all of it: every person is in the epoch's batches.
   */
  startEpoch(): void {
    this.queue = shuffleInPlace([...this.people], this.random);
  }

  /** The current lookalikes of a person, nearest first (empty when doppelganger batches are off). */
  doppelgangersOf(person: number): readonly number[] {
    return this.doppelgangers.get(person) ?? [];
  }

  private nextPeople(): number[] {
    const p = Math.min(this.options.peoplePerBatch, this.people.length);
    const lookalikes = this.groupSize - 1;
    const chosen: number[] = [];
    const deferred: number[] = [];
    while (chosen.length < p) {
      if (this.queue.length === 0) this.queue = shuffleInPlace([...this.people], this.random);
      const seed = this.queue.shift()!;
      if (chosen.includes(seed)) {
        deferred.push(seed);
        continue;
      }
      chosen.push(seed);
      // The seed's lookalikes, drawn from its pool; one already in the batch still counts (it is there).
      const pool = shuffleInPlace([...this.doppelgangersOf(seed)], this.random).slice(0, lookalikes);
      for (const other of pool) {
        if (chosen.length >= p) break;
        if (!chosen.includes(other)) chosen.push(other);
      }
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

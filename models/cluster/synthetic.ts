// Synthetic face-like embeddings for tests and benchmarks: people of very different sizes (log-uniform, as in real
// albums: a few people in hundreds of photos, many in a handful), each a direction on the unit sphere with its faces
// scattered around it, plus one-off strangers. Identities are known, so clustering can be scored.
import { gaussian, seededRandom } from './random.js';
import { normalizeRows, type VectorSet } from './vectors.js';

export interface SyntheticOptions {
  faces: number;
  dim?: number;
  /** Share of faces that are one-off strangers (each its own identity). */
  noiseShare?: number;
  /** Largest person, in faces. */
  maxPersonSize?: number;
  /** Per-dimension spread of a person's faces around its direction (scaled per person by 0.7-1.3). */
  spread?: number;
  /** Per-dimension spread of people around the common face direction: smaller = people look more alike. */
  personSpread?: number;
  seed?: number;
}

export interface SyntheticFaces {
  set: VectorSet;
  /** Identity of each face; strangers have unique identities. */
  identity: Int32Array;
  people: number;
}

export function syntheticFaces(options: SyntheticOptions): SyntheticFaces {
  const { faces, dim = 128, noiseShare = 0.1, maxPersonSize = 300, spread = 0.035, personSpread = 0.09, seed = 7 } = options;
  const random = seededRandom(seed);
  const noise = Math.round(faces * noiseShare);
  const sizes: number[] = [];
  let remaining = faces - noise;
  while (remaining > 0) {
    const size = Math.min(remaining, Math.max(2, Math.round(Math.exp(random() * Math.log(maxPersonSize)))));
    sizes.push(size);
    remaining -= size;
  }
  const mean = new Float32Array(dim);
  for (let t = 0; t < dim; t++) mean[t] = gaussian(random);
  let norm = Math.hypot(...mean);
  for (let t = 0; t < dim; t++) mean[t] /= norm;
  const data = new Float32Array(faces * dim);
  const identity = new Int32Array(faces);
  const direction = new Float32Array(dim);
  let r = 0;
  sizes.forEach((size, person) => {
    for (let t = 0; t < dim; t++) direction[t] = mean[t] + personSpread * gaussian(random);
    norm = Math.hypot(...direction);
    for (let t = 0; t < dim; t++) direction[t] /= norm;
    const s = spread * (0.7 + 0.6 * random());
    for (let f = 0; f < size; f++, r++) {
      for (let t = 0; t < dim; t++) data[r * dim + t] = direction[t] + s * gaussian(random);
      identity[r] = person;
    }
  });
  for (let f = 0; f < noise; f++, r++) {
    for (let t = 0; t < dim; t++) data[r * dim + t] = mean[t] + personSpread * gaussian(random) + spread * gaussian(random);
    identity[r] = sizes.length + f;
  }
  const set = { dim, count: faces, data };
  normalizeRows(set);
  return { set, identity, people: sizes.length };
}

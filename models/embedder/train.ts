// Training loop of the embedder head: Adam on the triplet loss over P x K batches with semi-hard negatives
// mined in each batch (plus the user's rejections as explicit negatives), weight decay pulling the head back
// to the identity, and early stopping on validation identification (ties broken by the mean margin). The best
// epoch's weights are returned, not the last ones.
import type { Tf } from '../backend.js';
import type * as TfTypes from '@tensorflow/tfjs';
import { createInitialHead, HEAD_TENSORS, headTensorShape, normalizeRows, applyHead, type HeadWeights } from './head.js';
import { embeddingQuality, type EmbeddingQuality, type LabelledVectors } from './metrics.js';
import { seededRandom } from './random.js';
import { PKBatchSampler, type TrainingSet } from './sampler.js';
import { mineSemiHardTriplets, pairwiseSquaredDistances, tripletLossFromDistances, type Triplets } from './triplet.js';

export interface TrainOptions {
  /** Most epochs to run (early stopping usually ends sooner). */
  epochs: number;
  /**
   * Triplet margin on squared distances between unit vectors. FaceNet used 0.2 on its own embedding; face-api's
   * descriptors sit in a narrow cone (same person ~0.1, best clustering cut ~0.16 in squared distance on
   * lfw_subset), where 0.2 asks for more than the whole spread and the head distorts the space for everyone.
   */
  margin: number;
  learningRate: number;
  /**
   * Width of the head's MLP branch; 0 gives a linear head (y = x + x·A + b). On lfw_subset the MLP branch
   * cost 1-2 points of TAR@FAR=1e-3 on the remaining photos, seen and unseen people alike, for no gain on the
   * confused pairs: with 2-4 faces per person it fits the confirmations, not the people.
   */
  hiddenDim: number;
  peoplePerBatch: number;
  facesPerPerson: number;
  rejectionsPerPerson: number;
  noiseStd: number;
  /**
   * Lookalikes each person brings into its batch (doppelganger mining): the people nearest them in the current
   * embedding, refreshed every epoch. 0 gives plain random P x K batches.
   */
  doppelgangersPerPerson: number;
  /** Lookalikes are drawn from this many nearest people. */
  doppelgangerPool: number;
  /** L2 penalty on the residual weights (A, W2, b2): keeps the head near the identity when data is scarce. */
  identityDecay: number;
  /** Epochs without a better validation score before stopping. */
  patience: number;
  /** FAR at which validation verification (TAR) is measured. */
  targetFar: number;
  seed: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  epochs: 40,
  margin: 0.05,
  learningRate: 1e-3,
  hiddenDim: 0,
  peoplePerBatch: 32,
  facesPerPerson: 4,
  rejectionsPerPerson: 2,
  noiseStd: 0.01,
  doppelgangersPerPerson: 3,
  doppelgangerPool: 6,
  identityDecay: 1e-3,
  patience: 6,
  targetFar: 1e-3,
  seed: 1,
};

export interface EpochReport {
  epoch: number;
  epochs: number;
  /** Mean triplet loss over the epoch's batches (before weight decay). */
  loss: number;
  /** Share of mined triplets still violating the margin, over the epoch. */
  activeTriplets: number;
  validation: EmbeddingQuality | null;
  /** True when this epoch is the best so far (its weights are kept). */
  best: boolean;
  seconds: number;
}

export interface TrainResult {
  head: HeadWeights;
  history: EpochReport[];
  bestEpoch: number;
  stoppedEarly: boolean;
  options: TrainOptions;
}

export interface TrainData {
  train: TrainingSet;
  /** Held-out confirmed faces (raw backbone vectors), identified against the training faces. */
  validation: LabelledVectors | null;
}

export class TrainingCancelledError extends Error {
  constructor() {
    super('Training was cancelled.');
    this.name = 'TrainingCancelledError';
  }
}

export interface TrainHooks {
  onEpoch?: (report: EpochReport) => void;
  /** Polled between batches; true stops training with TrainingCancelledError. */
  isCancelled?: () => boolean;
}

/** The head's tensors; the MLP branch (w1, b1, w2) is absent for a linear head (hiddenDim 0). */
export type HeadTensors = { linear: TfTypes.Tensor; b2: TfTypes.Tensor; w1?: TfTypes.Tensor; b1?: TfTypes.Tensor; w2?: TfTypes.Tensor };
type HeadVariables = { [name in keyof HeadTensors]: TfTypes.Variable };

/** Forward pass in tensors: same maths as applyHead. */
export function headForward(tf: Tf, v: HeadTensors, x: TfTypes.Tensor2D): TfTypes.Tensor2D {
  return tf.tidy(() => {
    const terms: TfTypes.Tensor[] = [x, tf.matMul(x, v.linear as TfTypes.Tensor2D), v.b2.expandDims(0).tile([x.shape[0], 1])];
    if (v.w1 && v.b1 && v.w2) terms.push(tf.matMul(tf.relu(tf.add(tf.matMul(x, v.w1 as TfTypes.Tensor2D), v.b1)), v.w2 as TfTypes.Tensor2D));
    const y = tf.addN(terms) as TfTypes.Tensor2D;
    const norm = tf.sqrt(tf.add(tf.sum(tf.square(y), 1, true), 1e-12));
    return tf.div(y, norm) as TfTypes.Tensor2D;
  });
}

/** Sparse +1/-1 rows selecting e[i] - e[j] for each (i, j): gather without the gather gradient wasm lacks. */
function differenceSelector(first: Int32Array, second: Int32Array, batchSize: number): Float32Array {
  const out = new Float32Array(first.length * batchSize);
  for (let t = 0; t < first.length; t++) {
    out[t * batchSize + first[t]] += 1;
    out[t * batchSize + second[t]] -= 1;
  }
  return out;
}

/** Trains a head in the backbone space of `data`; a fresh head is identical to the raw backbone up to 1e-3. */
export async function trainHead(tf: Tf, data: TrainData, partial: Partial<TrainOptions> = {}, hooks: TrainHooks = {}): Promise<TrainResult> {
  const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...partial };
  if (!(options.epochs >= 1)) throw new Error(`Training needs at least one epoch, got ${options.epochs}.`);
  if (!(options.margin > 0)) throw new Error(`The triplet margin must be positive, got ${options.margin}.`);
  const random = seededRandom(options.seed);
  const { dim } = data.train;
  const sampler = new PKBatchSampler(
    data.train,
    {
      peoplePerBatch: options.peoplePerBatch,
      facesPerPerson: options.facesPerPerson,
      rejectionsPerPerson: options.rejectionsPerPerson,
      noiseStd: options.noiseStd,
      doppelgangersPerPerson: options.doppelgangersPerPerson,
      doppelgangerPool: options.doppelgangerPool,
    },
    random,
  );
  const initial = createInitialHead(dim, options.hiddenDim, random);
  const variables = Object.fromEntries(
    HEAD_TENSORS.filter((name) => options.hiddenDim > 0 || name === 'linear' || name === 'b2').map((name) => [
      name,
      tf.variable(tf.tensor(initial[name], headTensorShape(name, dim, options.hiddenDim)), true),
    ]),
  ) as HeadVariables;
  const optimizer = tf.train.adam(options.learningRate);
  const gallery = galleryOf(data.train);
  const history: EpochReport[] = [];
  let best: { score: [number, number]; head: HeadWeights; epoch: number } | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const started = performance.now();
      let lossSum = 0;
      let activeSum = 0;
      let tripletSum = 0;
      const steps = sampler.stepsPerEpoch;
      sampler.startEpoch();
      for (let step = 0; step < steps; step++) {
        if (hooks.isCancelled?.()) throw new TrainingCancelledError();
        const batch = sampler.nextBatch();
        const b = batch.labels.length;
        let mined: Triplets | null = null;
        let tripletLoss = 0;
        let activeCount = 0;
        const cost = optimizer.minimize(() => {
          const x = tf.tensor2d(batch.vectors, [b, dim]);
          const e = headForward(tf, variables, x);
          // Mining is a selection on the current embeddings; reading them does not cut the gradient path.
          const values = e.dataSync() as Float32Array;
          const distances = pairwiseSquaredDistances(values, dim);
          mined = mineSemiHardTriplets(distances, batch);
          tripletLoss = tripletLossFromDistances(distances, b, mined, options.margin);
          activeCount = countActiveTriplets(distances, b, mined, options.margin);
          const t = mined.anchors.length;
          const decay = tf.mul(
            options.identityDecay,
            tf.addN([variables.linear, variables.w2, variables.b2].filter((w) => w !== undefined).map((w) => tf.sum(tf.square(w)))),
          ) as TfTypes.Scalar;
          if (t === 0) return decay;
          const ap = tf.matMul(tf.tensor2d(differenceSelector(mined.anchors, mined.positives, b), [t, b]), e);
          const an = tf.matMul(tf.tensor2d(differenceSelector(mined.anchors, mined.negatives, b), [t, b]), e);
          const hinge = tf.relu(tf.add(tf.sub(tf.sum(tf.square(ap), 1), tf.sum(tf.square(an), 1)), options.margin));
          return tf.add(tf.mean(hinge), decay) as TfTypes.Scalar;
        }, true);
        cost?.dispose();
        const triplets = mined as Triplets | null;
        if (triplets) {
          lossSum += tripletLoss * triplets.anchors.length;
          tripletSum += triplets.anchors.length;
          activeSum += activeCount;
        }
      }
      const head = await readHead(variables, dim, options.hiddenDim);
      // The next epoch's lookalikes are the people this head still puts close together.
      if (options.doppelgangersPerPerson > 0) sampler.refreshDoppelgangers(applyHead(head, data.train.vectors, dim));
      const validation = data.validation ? embeddingQuality(embedLabelled(head, gallery), embedLabelled(head, data.validation), options.targetFar) : null;
      // Without validation faces the training loss is the only signal: lower is better.
      // Identification and verification both count (adoption asks for both); the mean margin only breaks ties.
      const score: [number, number] = validation
        ? [validation.identificationAccuracy + validation.verification.tar, -validation.meanMargin]
        : [0, -(tripletSum ? lossSum / tripletSum : 0)];
      const improved = !best || score[0] > best.score[0] || (score[0] === best.score[0] && score[1] > best.score[1] + 1e-6);
      if (improved) {
        best = { score, head, epoch };
        sinceBest = 0;
      } else {
        sinceBest++;
      }
      const report: EpochReport = {
        epoch,
        epochs: options.epochs,
        loss: tripletSum ? lossSum / tripletSum : 0,
        activeTriplets: tripletSum ? activeSum / tripletSum : 0,
        validation,
        best: improved,
        seconds: (performance.now() - started) / 1000,
      };
      history.push(report);
      hooks.onEpoch?.(report);
      if (sinceBest >= options.patience && epoch < options.epochs) {
        stoppedEarly = true;
        break;
      }
    }
  } finally {
    optimizer.dispose();
    for (const v of Object.values(variables)) v?.dispose();
  }
  return { head: best!.head, history, bestEpoch: best!.epoch, stoppedEarly, options };
}

/** Triplets still inside the margin (non-zero loss) on the pre-step embeddings: how much is left to learn. */
function countActiveTriplets(distances: Float32Array, n: number, triplets: Triplets, margin: number): number {
  let active = 0;
  for (let t = 0; t < triplets.anchors.length; t++) {
    const a = triplets.anchors[t];
    if (distances[a * n + triplets.positives[t]] - distances[a * n + triplets.negatives[t]] + margin > 0) active++;
  }
  return active;
}

async function readHead(v: HeadVariables, inputDim: number, hiddenDim: number): Promise<HeadWeights> {
  const [linear, w1, b1, w2, b2] = await Promise.all(HEAD_TENSORS.map((name) => (v[name]?.data() as Promise<Float32Array> | undefined) ?? new Float32Array(0)));
  return { inputDim, hiddenDim, linear: Float32Array.from(linear), w1: Float32Array.from(w1), b1: Float32Array.from(b1), w2: Float32Array.from(w2), b2: Float32Array.from(b2) };
}

/** The confirmed (labelled) training faces as an identification gallery, in raw backbone space. */
export function galleryOf(set: TrainingSet): LabelledVectors {
  const rows: number[] = [];
  for (let i = 0; i < set.labels.length; i++) if (set.labels[i] >= 0) rows.push(i);
  const vectors = new Float32Array(rows.length * set.dim);
  rows.forEach((row, i) => vectors.set(set.vectors.subarray(row * set.dim, (row + 1) * set.dim), i * set.dim));
  return { dim: set.dim, vectors: normalizeRows(vectors, set.dim), labels: Int32Array.from(rows.map((r) => set.labels[r])) };
}

/** Applies a head (or the raw backbone, null) to labelled vectors. */
export function embedLabelled(head: HeadWeights | null, set: LabelledVectors): LabelledVectors {
  return { dim: set.dim, vectors: applyHead(head, set.vectors, set.dim), labels: set.labels };
}

/** Triplet loss of a head over a whole labelled set (semi-hard mining over all faces, no noise): a fixed yardstick. */
export function datasetTripletLoss(head: HeadWeights | null, set: TrainingSet, margin: number): number {
  const embedded = applyHead(head, set.vectors, set.dim);
  const distances = pairwiseSquaredDistances(embedded, set.dim);
  const triplets = mineSemiHardTriplets(distances, { labels: set.labels, rejected: set.rejected });
  return tripletLossFromDistances(distances, set.labels.length, triplets, margin);
}

/** Applies a head to many rows with tensors (batched): the fast path for re-embedding a whole library. */
export function applyHeadWithTensors(tf: Tf, head: HeadWeights, rows: Float32Array, batchRows = 4096): Float32Array {
  const dim = head.inputDim;
  const n = rows.length / dim;
  const out = new Float32Array(rows.length);
  const weights: HeadTensors = { linear: tf.tensor2d(head.linear, [dim, dim]), b2: tf.tensor1d(head.b2) };
  if (head.hiddenDim > 0) {
    weights.w1 = tf.tensor2d(head.w1, [dim, head.hiddenDim]);
    weights.b1 = tf.tensor1d(head.b1);
    weights.w2 = tf.tensor2d(head.w2, [head.hiddenDim, dim]);
  }
  try {
    for (let start = 0; start < n; start += batchRows) {
      const count = Math.min(batchRows, n - start);
      const x = tf.tensor2d(rows.subarray(start * dim, (start + count) * dim), [count, dim]);
      const y = headForward(tf, weights, x);
      out.set(y.dataSync() as Float32Array, start * dim);
      tf.dispose([x, y]);
    }
  } finally {
    tf.dispose(Object.values(weights).filter((w) => w !== undefined));
  }
  return out;
}

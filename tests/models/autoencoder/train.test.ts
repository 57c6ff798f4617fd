// Training on real face crops: the loss falls within a few epochs, a seed reproduces a run bit for bit, a resumed
// run ends where an uninterrupted one does, cancelling stops between batches.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '../../../models/backend.js';
import { Autoencoder } from '../../../models/autoencoder/model.js';
import {
  compareOnValidation,
  DEFAULT_TRAIN_OPTIONS,
  splitIndices,
  trainAutoencoder,
  TrainingCancelledError,
  untilDrawnPlan,
  type ImageSet,
  type TrainOptions,
  type TrainState,
} from '../../../models/autoencoder/train.js';
import { addGaussianNoise } from '../../../models/autoencoder/corruption.js';
import { restoreImages } from '../../../models/autoencoder/latent.js';
import { psnrPerImage } from '../../../models/autoencoder/losses.js';
import { seededRandom } from '../../../models/embedder/random.js';
import { orlFaces, lfwFaces, SMALL_CONFIG } from './helpers.js';

let tf: Tf;
let faces: ImageSet;

const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, epochs: 4, batchSize: 16, learningRate: 2e-3, seed: 7 };

async function run(config = SMALL_CONFIG, opts: TrainOptions = options, resume?: TrainState, stopAfterEpoch?: number) {
  const model = Autoencoder.create(tf, config, opts.seed);
  const controller = new AbortController();
  let snapshot: TrainState | undefined;
  try {
    const state = await trainAutoencoder(tf, model, faces, opts, {
      signal: controller.signal,
      onEpoch: async (report) => {
        if (report.epoch === stopAfterEpoch) {
          snapshot = await report.state();
          controller.abort();
        }
      },
    }, resume);
    return { state, snapshot };
  } catch (err) {
    if (err instanceof TrainingCancelledError && snapshot) return { state: snapshot, snapshot };
    throw err;
  } finally {
    model.dispose();
  }
}

beforeAll(async () => {
  ({ tf } = await initBackend());
  const [orl, lfw] = await Promise.all([orlFaces(40, 32), lfwFaces(40, 32)]);
  const images = new Float32Array(orl.images.length + lfw.images.length);
  images.set(orl.images);
  images.set(lfw.images, orl.images.length);
  faces = { images, count: orl.count + lfw.count, size: 32 };
});

describe('trainAutoencoder', () => {
  it('lowers the training and validation loss on real face crops within a few epochs', async () => {
    const { state } = await run(SMALL_CONFIG, { ...options, epochs: 10, learningRate: 3e-3 });
    const [first, last] = [state.history[0], state.history[state.history.length - 1]];
    expect(state.history).toHaveLength(10);
    expect(last.trainLoss).toBeLessThan(first.trainLoss * 0.9);
    expect(last.validationLoss).toBeLessThan(first.validationLoss);
    expect(last.validationPsnr).toBeGreaterThan(first.validationPsnr);
  });

  it('denoises held-out real crops after a short training: the restored PSNR beats the noisy input', async () => {
    // Crops the model never saw (other LFW photos), Gaussian noise of sigma 0.1 as in the benchmark.
    const heldOut = await lfwFaces(16, 32, 50);
    const noisy = heldOut.images.slice();
    addGaussianNoise(noisy, 0.1, seededRandom(21));
    const model = Autoencoder.create(tf, SMALL_CONFIG, options.seed);
    try {
      await trainAutoencoder(tf, model, faces, { ...options, epochs: 15, learningRate: 3e-3 });
      const restored = restoreImages(model, noisy, heldOut.count);
      const mean = (v: Float32Array) => v.reduce((a, b) => a + b, 0) / v.length;
      const [noisyPsnr, restoredPsnr] = tf.tidy(() => {
        const clean = tf.tensor4d(heldOut.images, [heldOut.count, 32, 32, 3]);
        return [
          mean(psnrPerImage(tf, clean, tf.tensor4d(noisy, clean.shape))),
          mean(psnrPerImage(tf, clean, tf.tensor4d(restored, clean.shape))),
        ];
      });
      expect(restoredPsnr).toBeGreaterThan(noisyPsnr + 1);
    } finally {
      model.dispose();
    }
  });

  it('is reproducible from its seed, and another seed gives another model', async () => {
    const short = { ...options, epochs: 1 };
    const a = await run(SMALL_CONFIG, short);
    const b = await run(SMALL_CONFIG, short);
    const c = await run(SMALL_CONFIG, { ...short, seed: 8 });
    expect(b.state.weights).toEqual(a.state.weights);
    expect(b.state.history.map((h) => h.trainLoss)).toEqual(a.state.history.map((h) => h.trainLoss));
    expect(c.state.weights[0]).not.toEqual(a.state.weights[0]);
  });

  it('trains the variational mode reproducibly too (seeded sampling noise)', async () => {
    const vae = { ...SMALL_CONFIG, variational: true };
    const short = { ...options, epochs: 1 };
    const a = await run(vae, short);
    const b = await run(vae, short);
    expect(b.state.weights).toEqual(a.state.weights);
    expect(Number.isFinite(a.state.history[0].trainLoss)).toBe(true);
  });

  it('resumes from an epoch checkpoint to the same weights as an uninterrupted run', async () => {
    const opts = { ...options, epochs: 2 };
    let tensorsBefore = tf.memory().numTensors;
    const straight = await run(SMALL_CONFIG, opts);
    const leftByStraightRun = tf.memory().numTensors - tensorsBefore;
    const interrupted = await run(SMALL_CONFIG, opts, undefined, 1);
    expect(interrupted.state.epoch).toBe(1);
    tensorsBefore = tf.memory().numTensors;
    const resumed = await run(SMALL_CONFIG, opts, interrupted.state);
    // Nothing of the checkpoint stays behind once its values are in the model and the optimizer.
    expect(tf.memory().numTensors - tensorsBefore).toBeLessThanOrEqual(leftByStraightRun);
    expect(resumed.state.epoch).toBe(2);
    expect(resumed.state.history).toHaveLength(2);
    for (let i = 0; i < straight.state.weights.length; i++) {
      let worst = 0;
      for (let k = 0; k < straight.state.weights[i].length; k++) worst = Math.max(worst, Math.abs(straight.state.weights[i][k] - resumed.state.weights[i][k]));
      expect(worst).toBeLessThan(1e-5);
    }
  });

  it('stops between batches when cancelled', async () => {
    const model = Autoencoder.create(tf, SMALL_CONFIG, 1);
    const controller = new AbortController();
    let batches = 0;
    try {
      await expect(
        trainAutoencoder(tf, model, faces, options, {
          signal: controller.signal,
          onBatch: () => {
            batches++;
            controller.abort();
          },
        }),
      ).rejects.toBeInstanceOf(TrainingCancelledError);
      expect(batches).toBe(1);
    } finally {
      model.dispose();
    }
  });
});

describe('held-out faces and the comparison that decides adoption', () => {
  it('sets aside faces by name, so a library that gained or lost faces sets aside the same ones', () => {
    const ids = Array.from({ length: 300 }, (_, i) => `face-${i}`);
    const heldOut = (keys: string[]) => new Set(splitIndices(keys.length, 0.1, 1, keys).validation.map((i) => keys[i]));
    const before = heldOut(ids);
    expect(before.size).toBeGreaterThan(15);
    expect(before.size).toBeLessThan(50);
    // QA: one face fewer (249 -> 248) used to reshuffle the split, so the old version had learnt most new held-out faces.
    const after = heldOut(ids.filter((id) => id !== 'face-7'));
    for (const id of after) expect(before.has(id)).toBe(true);
    const grown = heldOut([...ids, ...Array.from({ length: 50 }, (_, i) => `new-${i}`)]);
    for (const id of before) expect(grown.has(id)).toBe(true);
    // Whatever the seed: a run with another seed never learns from faces another run set aside.
    expect(splitIndices(300, 0.1, 9, ids).validation).toEqual(splitIndices(300, 0.1, 1, ids).validation);
  });

  it('sets aside two faces at least: one cannot say whether drawings differ from face to face', () => {
    // Up to 24 faces, of which the hash puts one below 10 %: a grey-blob model was recorded as drawing faces apart.
    const ids = Array.from({ length: 24 }, (_, i) => `photo${i}-0`);
    for (let n = 3; n <= ids.length; n++) expect(splitIndices(n, 0.1, 1, ids.slice(0, n)).validation.length).toBeGreaterThanOrEqual(2);
    expect(splitIndices(24, 0.1, 1).validation.length).toBeGreaterThanOrEqual(2);
    expect(splitIndices(2, 0.1, 1, ids.slice(0, 2)).validation).toHaveLength(1);
  });

  it('keeps making passes while too few faces were drawn or the drawings are much alike, up to the cap', () => {
    const rule = { epochs: 2, untilDrawn: { variety: 0.5, facesDrawn: 1000, maxEpochs: 6 } };
    const pass = (epoch: number, drawingVariety?: number) => ({ epoch, drawingVariety });
    // 224 faces a pass draw 1000 in 5 passes: planned from the start, so the time left counts them at once.
    expect(untilDrawnPlan(rule, [], 224)).toBe(5);
    expect(untilDrawnPlan(rule, [pass(1, 0.9)], 224)).toBe(5);
    expect(untilDrawnPlan(rule, [pass(4, 0.2)], 224)).toBe(5); // much alike, but the plan has a pass left anyway
    expect(untilDrawnPlan(rule, [pass(5, 0.9)], 224)).toBe(5); // 1120 drawn and apart: done
    expect(untilDrawnPlan(rule, [pass(1, 0.9)], 600)).toBe(2); // 1200 in the passes asked for: those
    expect(untilDrawnPlan(rule, [pass(5, 0.2)], 224)).toBe(6); // still much alike
    expect(untilDrawnPlan(rule, [pass(6, 0.2)], 224)).toBe(6); // the cap
    expect(untilDrawnPlan({ epochs: 2 }, [pass(2, 0.1)], 10)).toBe(2); // no rule: exactly the passes asked for
    // 6 passes of 100 never draw 1000: the cap's passes from the start, the closest a small library comes (QA: 12
    // passes over 103 faces drew grey faces), and none past it.
    expect(untilDrawnPlan(rule, [], 100)).toBe(6);
    expect(untilDrawnPlan(rule, [pass(2, 0.9)], 100)).toBe(6);
    expect(untilDrawnPlan(rule, [pass(6, 0.2)], 100)).toBe(6);
    expect(untilDrawnPlan({ ...rule, epochs: 9 }, [pass(2, 0.2)], 100)).toBe(9); // more asked for: all made
  });

  it('measures two models on the same held-out real faces in one go, with the noise of the difference', async () => {
    const keys = Array.from({ length: faces.count }, (_, i) => `crop-${i}`);
    const named = { ...faces, keys };
    const opts = { ...options, epochs: 3 };
    const trained = Autoencoder.create(tf, SMALL_CONFIG, 7);
    const untrained = Autoencoder.create(tf, SMALL_CONFIG, 8);
    try {
      const state = await trainAutoencoder(tf, trained, named, opts);
      const last = state.history.at(-1)!;
      const compared = compareOnValidation(tf, trained, untrained, named, opts);
      expect(compared.faces).toBe(splitIndices(faces.count, opts.validationFraction, opts.seed, keys).validation.length);
      // The new model's figures are its last pass's, measured again the same way.
      expect(compared.candidate.validationLoss).toBeCloseTo(last.validationLoss, 6);
      expect(compared.candidate.drawingVariety).toBeCloseTo(last.drawingVariety!, 6);
      expect(compared.lossGain).toBeCloseTo(compared.incumbent.validationLoss - compared.candidate.validationLoss, 6);
      expect(compared.lossGain).toBeGreaterThan(2 * compared.lossGainError);
      // An untrained model draws every face alike: grey, near-identical drawings.
      expect(compared.incumbent.drawingVariety!).toBeLessThan(0.05);
      const itself = compareOnValidation(tf, trained, trained, named, opts);
      expect(itself.lossGain).toBe(0);
      expect(itself.lossGainError).toBe(0);
    } finally {
      trained.dispose();
      untrained.dispose();
    }
  });
});

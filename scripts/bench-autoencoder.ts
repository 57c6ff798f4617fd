// Benchmark of the denoising autoencoder on ../shared/faces/lfw_subset:
//   npm run bench:autoencoder [-- --epochs N --limit N --seed S --no-vae --speed-batch B]
//
// LFW people are split by a hash of their name: ~80% train the model (centre crops of the 250x250 photos,
// 64x64), the rest are held out. On the held-out crops, for the plain and the variational model trained on the
// same crops with the same seed:
//   reconstruction  PSNR / SSIM of clean crops through the 128-number bottleneck (what interpolation decodes)
//   denoising       PSNR of the noisy input (Gaussian, sigma 0.1) and of its restoration against the clean crop
//   restoration     the same for the training mix of damage (noise, masks, blur, blockiness)
//   faceness AUC    held-out face crops vs random windows of ../shared/faces/compreface/_no_faces photos
// Speed, measured in the same run: ms per training step (batch 32, or --speed-batch) and per decoded image on the wasm backend
// (with the custom gradient kernels) and on the pure-JS cpu backend as the baseline; an 8-face interpolation
// strip decode. Sample strips go to bench-output/autoencoder/ (gitignored) for a person to look at.
import { mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, type Tf } from '../models/backend.js';
import { Autoencoder, DEFAULT_AUTOENCODER_CONFIG, type AutoencoderConfig } from '../models/autoencoder/model.js';
import { addGaussianNoise, corruptBatch, DEFAULT_CORRUPTION } from '../models/autoencoder/corruption.js';
import { calibrateForUnseenFaces, FACENESS_REVIEW_THRESHOLD, facenessScore, rocAuc } from '../models/autoencoder/faceness.js';
import { decodeLatents, encodeImages, facenessErrors, interpolateLatents, latentArithmetic, reconstructImages, reconstructionErrors, restoreImages } from '../models/autoencoder/latent.js';
import { DEFAULT_LOSS_WEIGHTS, ssimPerImage } from '../models/autoencoder/losses.js';
import { DEFAULT_TRAIN_OPTIONS, splitIndices, tileImages, trainAutoencoder, trainingLoss, type ImageSet } from '../models/autoencoder/train.js';
import { seededRandom, stableHash } from '../models/embedder/random.js';
import { loadCropSet, randomWindows, writePng } from '../main/autoencoder/crops.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const epochs = arg('--epochs', 8);
const limit = arg('--limit', Infinity);
const seed = arg('--seed', 1);
const withVae = !process.argv.includes('--no-vae');
// One pure-JS cpu step at batch 32 takes minutes on a busy machine; a smaller batch (same on both backends) is fair.
const speedBatch = arg('--speed-batch', 32);
const SIZE = DEFAULT_AUTOENCODER_CONFIG.imageSize;
const LFW_FACE_FRACTION = 0.45;
const REVIEW_THRESHOLDS = [0.05, FACENESS_REVIEW_THRESHOLD, 0.001].filter((t, i, all) => all.indexOf(t) === i);
const NOISE_SIGMA = 0.1;
const WINDOWS_PER_PHOTO = 60;

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..');
const facesDir = resolve(repoRoot, '..', 'shared', 'faces');
const outDir = join(repoRoot, 'bench-output', 'autoencoder');

const f2 = (v: number) => v.toFixed(2);
const f3 = (v: number) => v.toFixed(3);

async function lfwSplit(): Promise<{ train: string[]; heldOut: string[] }> {
  const root = join(facesDir, 'lfw_subset');
  const people = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('_')).map((d) => d.name).sort();
  const train: string[] = [];
  const heldOut: string[] = [];
  for (const person of people) {
    const files = (await readdir(join(root, person))).filter((f) => /\.jpe?g$/i.test(f)).sort().map((f) => join(root, person, f));
    (stableHash(person) % 5 === 0 ? heldOut : train).push(...files);
  }
  return { train: train.slice(0, limit), heldOut };
}

function slice(set: ImageSet, index: number): Float32Array {
  const pixels = set.size * set.size * 3;
  return set.images.subarray(index * pixels, (index + 1) * pixels);
}

function meanPsnr(tf: Tf, a: Float32Array, b: Float32Array, count: number): { psnr: number; ssim: number } {
  return tf.tidy(() => {
    const ta = tf.tensor4d(a, [count, SIZE, SIZE, 3]);
    const tb = tf.tensor4d(b, [count, SIZE, SIZE, 3]);
    const mse = tf.mean(tf.squaredDifference(ta, tb), [1, 2, 3]).dataSync();
    const psnr = Array.from(mse).reduce((s, m) => s + 10 * Math.log10(1 / Math.max(m, 1e-10)), 0) / count;
    const ssim = tf.mean(ssimPerImage(tf, ta, tb)).dataSync()[0];
    return { psnr, ssim };
  });
}

interface ModelFigures {
  name: string;
  msPerStep: number;
  trainSeconds: number;
  /** Share of the training time spent checking the held-out crops at the end of each pass. */
  checkShare: number;
  clean: { psnr: number; ssim: number };
  noisyInput: { psnr: number; ssim: number };
  denoised: { psnr: number; ssim: number };
  denoisedSinglePass: { psnr: number; ssim: number };
  denoisedBottleneck: { psnr: number; ssim: number };
  damagedInput: { psnr: number; ssim: number };
  restored: { psnr: number; ssim: number };
  auc: number;
  aucPlainMse: number;
  /** Share of held-out faces and of no-face windows scoring below each of REVIEW_THRESHOLDS. */
  facesBelow: number[];
  windowsBelow: number[];
}

async function evaluateModel(
  tf: Tf,
  name: string,
  config: AutoencoderConfig,
  train: ImageSet,
  heldOut: ImageSet,
  windows: ImageSet,
): Promise<{ figures: ModelFigures; model: Autoencoder }> {
  const model = Autoencoder.create(tf, config, seed);
  const started = performance.now();
  // Where a pass's time goes: its steps, then the check at its end (held-out figures, the sample strip).
  let passStart = started;
  let lastStep = started;
  let checkMs = 0;
  const state = await trainAutoencoder(tf, model, train, { ...DEFAULT_TRAIN_OPTIONS, epochs, seed }, {
    onBatch: () => (lastStep = performance.now()),
    onEpoch: (r) => {
      const now = performance.now();
      checkMs += now - lastStep;
      console.log(`  ${name} epoch ${r.epoch}/${r.epochs}: loss ${r.trainLoss.toFixed(4)}, damaged validation crops: bottleneck PSNR ${f2(r.validationPsnr)} dB, SSIM ${f3(r.validationSsim)}, restored PSNR ${f2(r.restoredPsnr)} dB; ${r.msPerStep.toFixed(0)} ms/step, pass ${((now - passStart) / 1000).toFixed(0)} s of which ${((now - lastStep) / 1000).toFixed(1)} s checking at its end`);
      passStart = lastStep = now;
    },
  });
  const trainSeconds = (performance.now() - started) / 1000;
  const msPerStep = state.history.reduce((s, h) => s + h.msPerStep, 0) / state.history.length;

  const n = heldOut.count;
  const clean = meanPsnr(tf, heldOut.images, reconstructImages(model, heldOut.images, n), n);
  const noisy = heldOut.images.slice();
  addGaussianNoise(noisy, NOISE_SIGMA, seededRandom(seed + 101));
  const noisyInput = meanPsnr(tf, heldOut.images, noisy, n);
  const denoised = meanPsnr(tf, heldOut.images, restoreImages(model, noisy, n), n);
  const denoisedSinglePass = meanPsnr(tf, heldOut.images, restoreImages(model, noisy, n, { mirrorAverage: false }), n);
  const denoisedBottleneck = meanPsnr(tf, heldOut.images, reconstructImages(model, noisy, n), n);
  const damaged = corruptBatch(heldOut.images, n, SIZE, seededRandom(seed + 202), { ...DEFAULT_CORRUPTION, cleanProbability: 0 });
  const damagedInput = meanPsnr(tf, heldOut.images, damaged, n);
  const restored = meanPsnr(tf, heldOut.images, restoreImages(model, damaged, n), n);

  // Faceness: calibrated on the training faces and those held out of training, as the app does after training.
  const { train: trainIdx, validation: validationIdx } = splitIndices(train.count, DEFAULT_TRAIN_OPTIONS.validationFraction, seed);
  const trainErrors = facenessErrors(model, train.images, train.count);
  const calibration = calibrateForUnseenFaces(Float32Array.from(trainIdx, (i) => trainErrors[i]), Float32Array.from(validationIdx, (i) => trainErrors[i]));
  const faceErrors = facenessErrors(model, heldOut.images, n);
  const windowErrors = facenessErrors(model, windows.images, windows.count);
  const faceScores = Array.from(faceErrors, (e) => facenessScore(e, calibration));
  const windowScores = Array.from(windowErrors, (e) => facenessScore(e, calibration));
  // Ranked by the error itself: the score saturates at 1 for the many faces below the typical error (ties).
  const auc = rocAuc(Array.from(faceErrors, (e) => -e), Array.from(windowErrors, (e) => -e));
  const aucPlainMse = rocAuc(Array.from(reconstructionErrors(model, heldOut.images, n), (e) => -e), Array.from(reconstructionErrors(model, windows.images, windows.count), (e) => -e));
  return {
    model,
    figures: {
      name,
      msPerStep,
      trainSeconds,
      checkShare: checkMs / 1000 / trainSeconds,
      clean,
      noisyInput,
      denoised,
      denoisedSinglePass,
      denoisedBottleneck,
      damagedInput,
      restored,
      auc,
      aucPlainMse,
      facesBelow: REVIEW_THRESHOLDS.map((t) => faceScores.filter((s) => s < t).length / n),
      windowsBelow: REVIEW_THRESHOLDS.map((t) => windowScores.filter((s) => s < t).length / windows.count),
    },
  };
}

/** ms per training step (both paths, as training does) and per decoded image on a backend, fresh model. The wasm figure is taken after a
 * warm-up step (XNNPACK operator set-up); the cpu backend has none worth paying another minute-long step for. */
async function speedOn(tf: Tf, backend: 'wasm' | 'cpu', batch: Float32Array, steps: number, warmUp: boolean): Promise<{ stepMs: number; decodeMs: number }> {
  await tf.setBackend(backend);
  const model = Autoencoder.create(tf, DEFAULT_AUTOENCODER_CONFIG, seed);
  const optimizer = tf.train.adam(1e-3);
  const count = batch.length / (SIZE * SIZE * 3);
  const step = () =>
    tf.tidy(() => {
      const x = tf.tensor4d(batch, [count, SIZE, SIZE, 3]);
      // The step training takes: bottleneck and restoration paths, damaged input (noise here) against the clean crop.
      const noisy = tf.clipByValue(tf.add(x, tf.randomNormal(x.shape, 0, NOISE_SIGMA, 'float32', seed)), 0, 1) as typeof x;
      return optimizer.minimize(() => trainingLoss(tf, model, noisy, x, DEFAULT_LOSS_WEIGHTS, seed), true, model.variables)!.dataSync();
    });
  try {
    if (warmUp) step();
    let t = performance.now();
    for (let i = 0; i < steps; i++) step();
    const stepMs = (performance.now() - t) / steps;
    const latents = encodeImages(model, batch, count);
    decodeLatents(model, latents, count);
    t = performance.now();
    decodeLatents(model, latents, count);
    const decodeMs = (performance.now() - t) / count;
    return { stepMs, decodeMs };
  } finally {
    optimizer.dispose();
    model.dispose();
    await tf.setBackend('wasm');
  }
}

async function main(): Promise<void> {
  const { tf, info } = await initBackend();
  if (info.name !== 'wasm') console.log(`Note: the active backend is ${info.name}; the wasm figures below are for it.`);
  await mkdir(outDir, { recursive: true });
  const split = await lfwSplit();
  const train = (await loadCropSet(split.train, SIZE, { centreFraction: LFW_FACE_FRACTION })).set;
  const heldOut = (await loadCropSet(split.heldOut, SIZE, { centreFraction: LFW_FACE_FRACTION })).set;
  const noFaceDir = join(facesDir, 'compreface', '_no_faces');
  const noFacePhotos = (await readdir(noFaceDir)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
  const random = seededRandom(seed + 303);
  const windowParts: Float32Array[] = [];
  for (const photo of noFacePhotos) windowParts.push(await randomWindows(join(noFaceDir, photo), SIZE, WINDOWS_PER_PHOTO, random));
  const windows: ImageSet = { images: new Float32Array(windowParts.reduce((a, p) => a + p.length, 0)), count: noFacePhotos.length * WINDOWS_PER_PHOTO, size: SIZE };
  windowParts.reduce((offset, part) => (windows.images.set(part, offset), offset + part.length), 0);
  console.log(`lfw_subset: ${train.count} training crops, ${heldOut.count} held-out crops (other people); ${windows.count} no-face windows from ${noFacePhotos.length} photos; ${epochs} epochs, seed ${seed}, ${info.name} backend`);

  const plain = await evaluateModel(tf, 'plain', DEFAULT_AUTOENCODER_CONFIG, train, heldOut, windows);
  const vae = withVae ? await evaluateModel(tf, 'variational', { ...DEFAULT_AUTOENCODER_CONFIG, variational: true }, train, heldOut, windows) : null;

  // Sample strips for a person to look at: interpolations (both modes), denoising, restoration, arithmetic.
  const writeStrips = async (label: string, model: Autoencoder) => {
    const dim = model.config.latentDim;
    const pairs: Array<[number, number]> = [[0, Math.floor(heldOut.count / 2)], [3, heldOut.count - 5], [10, Math.floor(heldOut.count / 3)]];
    let stripMs = 0;
    for (const [p, [i, j]] of pairs.entries()) {
      const both = new Float32Array(2 * SIZE * SIZE * 3);
      both.set(slice(heldOut, i), 0);
      both.set(slice(heldOut, j), SIZE * SIZE * 3);
      const latents = encodeImages(model, both, 2);
      for (const mode of ['spherical', 'linear'] as const) {
        const t = performance.now();
        const frames = decodeLatents(model, interpolateLatents(latents.slice(0, dim), latents.slice(dim), 8, mode), 8);
        if (mode === 'spherical') stripMs = Math.max(stripMs, performance.now() - t);
        const withEnds = new Float32Array(10 * SIZE * SIZE * 3);
        withEnds.set(both.subarray(0, SIZE * SIZE * 3), 0);
        withEnds.set(frames, SIZE * SIZE * 3);
        withEnds.set(both.subarray(SIZE * SIZE * 3), 9 * SIZE * SIZE * 3);
        await writePng(tileImages(withEnds, 10, SIZE, 10), join(outDir, `${label}-interpolation-${p + 1}-${mode}.png`));
      }
    }
    const show = 8;
    const cleanRows = heldOut.images.subarray(0, show * SIZE * SIZE * 3);
    const noisy = cleanRows.slice();
    addGaussianNoise(noisy, NOISE_SIGMA, seededRandom(seed + 7));
    const damaged = corruptBatch(cleanRows, show, SIZE, seededRandom(seed + 8), { ...DEFAULT_CORRUPTION, cleanProbability: 0 });
    // Rows: clean, noisy, denoised, damaged (training mix), restored, bottleneck-only reconstruction of the clean crop.
    const rows = [cleanRows, noisy, restoreImages(model, noisy, show), damaged, restoreImages(model, damaged, show), reconstructImages(model, cleanRows, show)];
    const grid = new Float32Array(rows.length * cleanRows.length);
    rows.forEach((r, k) => grid.set(r, k * cleanRows.length));
    await writePng(tileImages(grid, rows.length * show, SIZE, show), join(outDir, `${label}-denoise-restore.png`));
    // Arithmetic: face 0 + (mean of faces 1-4 - mean of faces 5-8), at strengths 0, 0.5, 1.
    const latents = encodeImages(model, heldOut.images.subarray(0, 9 * SIZE * SIZE * 3), 9);
    const base = latents.slice(0, dim);
    const steps = [0, 0.5, 1].map((s) => latentArithmetic(base, latents.slice(dim, 5 * dim), 4, latents.slice(5 * dim, 9 * dim), 4, s));
    const arith = new Float32Array(3 * dim);
    steps.forEach((v, k) => arith.set(v, k * dim));
    await writePng(tileImages(decodeLatents(model, arith, 3), 3, SIZE, 3), join(outDir, `${label}-arithmetic.png`));
    return stripMs;
  };
  const stripMs = await writeStrips('plain', plain.model);
  if (vae) await writeStrips('variational', vae.model);

  console.log(`\nspeed (fresh model, batch ${speedBatch}):`);
  const batch = train.images.subarray(0, speedBatch * SIZE * SIZE * 3);
  const wasm = await speedOn(tf, 'wasm', batch, 3, true);
  console.log(`  wasm  ${wasm.stepMs.toFixed(0)} ms/step, ${wasm.decodeMs.toFixed(2)} ms/decoded image`);
  const cpu = await speedOn(tf, 'cpu', batch, 1, false);
  console.log(`  cpu   ${cpu.stepMs.toFixed(0)} ms/step, ${cpu.decodeMs.toFixed(2)} ms/decoded image`);

  const rows = [plain.figures, ...(vae ? [vae.figures] : [])];
  const line = (label: string, get: (f: ModelFigures) => string) => console.log(`${label.padEnd(40)}${rows.map((f) => get(f).padStart(14)).join('')}`);
  console.log(`\n${''.padEnd(40)}${rows.map((f) => f.name.padStart(14)).join('')}`);
  line('bottleneck reconstruction PSNR dB / SSIM', (f) => `${f2(f.clean.psnr)} / ${f3(f.clean.ssim)}`);
  line(`noisy input (sigma ${NOISE_SIGMA}) PSNR dB`, (f) => f2(f.noisyInput.psnr));
  line('denoised PSNR dB / SSIM', (f) => `${f2(f.denoised.psnr)} / ${f3(f.denoised.ssim)}`);
  line('denoising gain dB (target >= 6)', (f) => f2(f.denoised.psnr - f.noisyInput.psnr));
  line('  same without the mirror average', (f) => f2(f.denoisedSinglePass.psnr - f.noisyInput.psnr));
  line('  same through the bottleneck alone', (f) => f2(f.denoisedBottleneck.psnr - f.noisyInput.psnr));
  line('mixed damage input PSNR dB', (f) => f2(f.damagedInput.psnr));
  line('restored PSNR dB / SSIM', (f) => `${f2(f.restored.psnr)} / ${f3(f.restored.ssim)}`);
  line('faceness AUC faces vs no-face (>= 0.9)', (f) => f3(f.auc));
  line('  AUC of plain MSE (not used)', (f) => f3(f.aucPlainMse));
  // The review threshold trades real faces kept out of people against non-faces caught (the app uses
  // FACENESS_REVIEW_THRESHOLD; the others show the trade-off).
  REVIEW_THRESHOLDS.forEach((t, i) => {
    const inUse = t === FACENESS_REVIEW_THRESHOLD ? ' (in use)' : '';
    line(`held-out faces / no-face windows below ${t}${inUse}`, (f) => `${(f.facesBelow[i] * 100).toFixed(1)}% / ${(f.windowsBelow[i] * 100).toFixed(1)}%`);
  });
  line('training ms/step (batch 32, both paths)', (f) => f.msPerStep.toFixed(0));
  line('training time s', (f) => f.trainSeconds.toFixed(0));
  line('  share checking at the end of each pass', (f) => `${(f.checkShare * 100).toFixed(1)}%`);
  console.log(`\nwasm vs cpu training step: ${(cpu.stepMs / wasm.stepMs).toFixed(1)}x faster (target >= 10x); decode ${(cpu.decodeMs / wasm.decodeMs).toFixed(1)}x`);
  console.log(`8-face interpolation strip decoded in ${stripMs.toFixed(0)} ms (target < 1000 ms)`);
  console.log(`sample strips: ${outDir}`);
  plain.model.dispose();
  vae?.model.dispose();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : String(err));
  process.exitCode = 1;
});

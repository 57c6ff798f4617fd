// What the app does with a trained autoencoder: encode crops to latents, decode latents to crops, walk between
// two faces, add a direction learnt from example faces, restore a damaged crop, and score how face-like a crop is.
// Images are interleaved [count, S, S, 3] Float32 in [0, 1]; latents are [count, latentDim] Float32.
import { msePerImage } from './losses.js';
import type { Autoencoder } from './model.js';

const CHUNK = 32;

/** Latent means (the deterministic code, also in variational mode) of `count` images. */
export function encodeImages(model: Autoencoder, images: Float32Array, count: number): Float32Array {
  const { tf, config } = model;
  const pixels = config.imageSize * config.imageSize * 3;
  if (images.length !== count * pixels) throw new Error(`Expected ${count} images of ${config.imageSize}x${config.imageSize}x3.`);
  const out = new Float32Array(count * config.latentDim);
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const mu = tf.tidy(() => {
      const batch = tf.tensor4d(images.subarray(start * pixels, (start + n) * pixels), [n, config.imageSize, config.imageSize, 3]);
      return model.encode(batch).mu.dataSync() as Float32Array;
    });
    out.set(mu, start * config.latentDim);
  }
  return out;
}

/** Decoded crops of `count` latents. */
export function decodeLatents(model: Autoencoder, latents: Float32Array, count: number): Float32Array {
  const { tf, config } = model;
  if (latents.length !== count * config.latentDim) throw new Error(`Expected ${count} latents of size ${config.latentDim}.`);
  const pixels = config.imageSize * config.imageSize * 3;
  const out = new Float32Array(count * pixels);
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const images = tf.tidy(() => {
      const z = tf.tensor2d(latents.subarray(start * config.latentDim, (start + n) * config.latentDim), [n, config.latentDim]);
      return model.decode(z).dataSync() as Float32Array;
    });
    out.set(images, start * pixels);
  }
  return out;
}

/** Reconstructions through the bottleneck (decode of the latent mean) of `count` images. */
export function reconstructImages(model: Autoencoder, images: Float32Array, count: number): Float32Array {
  return decodeLatents(model, encodeImages(model, images, count), count);
}

/** Denoised / restored versions of `count` images (the restoration path): the "denoise" result. */
export function restoreImages(model: Autoencoder, images: Float32Array, count: number, options: { mirrorAverage?: boolean } = {}): Float32Array {
  const { tf, config } = model;
  const pixels = config.imageSize * config.imageSize * 3;
  if (images.length !== count * pixels) throw new Error(`Expected ${count} images of ${config.imageSize}x${config.imageSize}x3.`);
  const out = new Float32Array(count * pixels);
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const restored = tf.tidy(() => {
      const batch = tf.tensor4d(images.subarray(start * pixels, (start + n) * pixels), [n, config.imageSize, config.imageSize, 3]);
      return model.restore(batch, options).dataSync() as Float32Array;
    });
    out.set(restored, start * pixels);
  }
  return out;
}

/** Mean of `count` latents (a person's or a selection's centre). */
export function meanLatent(latents: Float32Array, count: number, dim: number): Float32Array {
  if (count < 1) throw new Error('Cannot average an empty set of faces.');
  const mean = new Float32Array(dim);
  for (let n = 0; n < count; n++) for (let k = 0; k < dim; k++) mean[k] += latents[n * dim + k] / count;
  return mean;
}

export type InterpolationMode = 'linear' | 'spherical';

function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

/**
 * `steps` latents from a to b inclusive. 'spherical' turns the direction along the great circle and interpolates
 * the length linearly, so intermediate codes keep a typical norm instead of shrinking towards the origin, where
 * a linear blend of two distant faces decodes to a washed-out average.
 */
export function interpolateLatents(a: Float32Array, b: Float32Array, steps: number, mode: InterpolationMode): Float32Array {
  if (a.length !== b.length) throw new Error('Both latents must have the same size.');
  if (!Number.isInteger(steps) || steps < 2) throw new Error(`An interpolation needs at least 2 steps (got ${steps}).`);
  const dim = a.length;
  const out = new Float32Array(steps * dim);
  const [na, nb] = [norm(a), norm(b)];
  let cos = 0;
  for (let k = 0; k < dim; k++) cos += a[k] * b[k];
  cos = na > 0 && nb > 0 ? Math.min(1, Math.max(-1, cos / (na * nb))) : 1;
  const omega = Math.acos(cos);
  const nearlyParallel = Math.sin(omega) < 1e-4;
  for (let i = 0; i < steps; i++) {
    const t = i / (steps - 1);
    for (let k = 0; k < dim; k++) {
      if (mode === 'linear' || nearlyParallel) {
        out[i * dim + k] = (1 - t) * a[k] + t * b[k];
      } else {
        const wa = Math.sin((1 - t) * omega) / Math.sin(omega);
        const wb = Math.sin(t * omega) / Math.sin(omega);
        const length = (1 - t) * na + t * nb;
        out[i * dim + k] = length * (wa * a[k] / na + wb * b[k] / nb);
      }
    }
  }
  return out;
}

/** base + strength * (mean(add) - mean(subtract)): e.g. add a smile shown by `add` faces and absent in `subtract`. */
export function latentArithmetic(
  base: Float32Array,
  add: Float32Array,
  addCount: number,
  subtract: Float32Array,
  subtractCount: number,
  strength = 1,
): Float32Array {
  const dim = base.length;
  const plus = meanLatent(add, addCount, dim);
  const minus = subtractCount > 0 ? meanLatent(subtract, subtractCount, dim) : new Float32Array(dim);
  return base.map((v, k) => v + strength * (plus[k] - minus[k]));
}

/** Mean squared reconstruction error of each clean image (no corruption): low for faces like the training crops. */
export function reconstructionErrors(model: Autoencoder, images: Float32Array, count: number): Float32Array {
  const { tf, config } = model;
  const pixels = config.imageSize * config.imageSize * 3;
  const out = new Float32Array(count);
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const errors = tf.tidy(() => {
      const batch = tf.tensor4d(images.subarray(start * pixels, (start + n) * pixels), [n, config.imageSize, config.imageSize, 3]);
      return msePerImage(tf, batch, model.reconstruct(batch)).dataSync() as Float32Array;
    });
    out.set(errors, start);
  }
  return out;
}


/**
 * Where the faceness error is measured. 'face': an oval over the face of an aligned crop (centre, 54% of the width,
 * 68% of the height). 'whole': every pixel, as versions calibrated before the oval were. Over the whole crop the
 * background counted as much as the face: on the lfw library's model the faces it scored least face-like were all
 * clear faces against saturated blue backgrounds the model blurs; inside the oval they are blurred, cut-off and
 * half-turned faces, and random windows of photos without faces separate better (AUC 0.979 -> 0.994).
 */
export type FacenessRegion = 'face' | 'whole';

const ovals = new Map<number, Uint8Array>();

/** 1 inside the face oval of a size x size crop, 0 outside. */
export function faceOval(size: number): Uint8Array {
  let mask = ovals.get(size);
  if (!mask) {
    mask = new Uint8Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const u = ((x + 0.5) / size - 0.5) / 0.27;
        const v = ((y + 0.5) / size - 0.5) / 0.34;
        mask[y * size + x] = u * u + v * v <= 1 ? 1 : 0;
      }
    }
    ovals.set(size, mask);
  }
  return mask;
}

/**
 * The faceness error: bottleneck reconstruction MSE divided by the crop's own pixel variance (the share of its
 * contrast the model cannot explain), both over `region`. Plain MSE calls flat walls and sky "faces" because they
 * are easy to reconstruct; relative to their tiny variance their error is large. On LFW faces vs no-face windows
 * this lifted the AUC from 0.85 to 0.97 with the same model.
 */
export function facenessErrors(model: Autoencoder, images: Float32Array, count: number, region: FacenessRegion = 'face'): Float32Array {
  const { tf, config } = model;
  const size = config.imageSize;
  const pixels = size * size * 3;
  if (images.length < count * pixels) throw new Error(`Expected ${count} images of ${size}x${size}x3.`);
  const mask = region === 'face' ? faceOval(size) : new Uint8Array(size * size).fill(1);
  const out = new Float32Array(count);
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const reconstructed = tf.tidy(() => model.reconstruct(tf.tensor4d(images.subarray(start * pixels, (start + n) * pixels), [n, size, size, 3])).dataSync() as Float32Array);
    for (let i = 0; i < n; i++) {
      const offset = (start + i) * pixels;
      let sum = 0;
      let inside = 0;
      for (let p = 0; p < size * size; p++) {
        if (!mask[p]) continue;
        for (let c = 0; c < 3; c++) sum += images[offset + p * 3 + c];
        inside += 3;
      }
      const mean = sum / inside;
      let squaredError = 0;
      let variance = 0;
      for (let p = 0; p < size * size; p++) {
        if (!mask[p]) continue;
        for (let c = 0; c < 3; c++) {
          const k = p * 3 + c;
          squaredError += (images[offset + k] - reconstructed[i * pixels + k]) ** 2;
          variance += (images[offset + k] - mean) ** 2;
        }
      }
      out[start + i] = squaredError / inside / Math.max(variance / inside, 1e-4);
    }
  }
  return out;
}

/**
 * How much the model's drawings of different faces differ, as a share of how much the photos differ: the variance
 * across faces of each pixel of the bottleneck drawings (what the studio shows), summed over pixels, over the same of
 * the photos. A model that has not yet learnt to draw faces draws every face as the same grey average: near 0.
 */
export function drawingVariety(model: Autoencoder, images: Float32Array, count: number): number {
  if (count < 2) return 1;
  const drawn = reconstructImages(model, images, count);
  return acrossFaceVariance(drawn, count) / Math.max(1e-12, acrossFaceVariance(images, count));
}

function acrossFaceVariance(images: Float32Array, count: number): number {
  const pixels = images.length / count;
  let total = 0;
  for (let p = 0; p < pixels; p++) {
    let sum = 0;
    let squares = 0;
    for (let n = 0; n < count; n++) {
      const v = images[n * pixels + p];
      sum += v;
      squares += v * v;
    }
    const mean = sum / count;
    total += Math.max(0, squares / count - mean * mean);
  }
  return total;
}

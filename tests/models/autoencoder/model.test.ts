// The autoencoder itself: shapes, value ranges, serialisation, corruption, interpolation maths.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '../../../models/backend.js';
import { Autoencoder, paramSpecs } from '../../../models/autoencoder/model.js';
import { corruptBatch, DEFAULT_CORRUPTION } from '../../../models/autoencoder/corruption.js';
import { decodeLatents, encodeImages, interpolateLatents, latentArithmetic, reconstructImages, restoreImages } from '../../../models/autoencoder/latent.js';
import { manifestFor, packWeights, unpackWeights, loadAutoencoder } from '../../../models/autoencoder/serialize.js';
import { msePerImage, ssimPerImage, klPerImage } from '../../../models/autoencoder/losses.js';
import { seededRandom } from '../../../models/embedder/random.js';
import { lfwFaces, SMALL_CONFIG } from './helpers.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend());
});

describe('autoencoder model', () => {
  it('maps [B,S,S,3] crops to [B,latent] codes and back to [B,S,S,3] values in [0,1]', async () => {
    const faces = await lfwFaces(5, SMALL_CONFIG.imageSize);
    const model = Autoencoder.create(tf, SMALL_CONFIG, 3);
    try {
      const latents = encodeImages(model, faces.images, faces.count);
      expect(latents.length).toBe(5 * SMALL_CONFIG.latentDim);
      const images = decodeLatents(model, latents, 5);
      expect(images.length).toBe(faces.images.length);
      expect(Math.min(...images)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...images)).toBeLessThanOrEqual(1);
      expect(Array.from(latents).every(Number.isFinite)).toBe(true);
      expect(() => encodeImages(model, faces.images.subarray(0, 10), 5)).toThrow(/Expected 5 images/);
    } finally {
      model.dispose();
    }
  });

  it('frees every weight when disposed (a model loaded per version switch or training in a running app)', () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) Autoencoder.create(tf, SMALL_CONFIG, i).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('has a log-variance head only in variational mode', () => {
    const plain = paramSpecs(SMALL_CONFIG).map((s) => s.name);
    const vae = paramSpecs({ ...SMALL_CONFIG, variational: true }).map((s) => s.name);
    expect(plain).not.toContain('logvar.w');
    expect(vae).toContain('logvar.w');
    const model = Autoencoder.create(tf, { ...SMALL_CONFIG, variational: true }, 1);
    try {
      const encoded = tf.tidy(() => {
        const { mu, logVar } = model.encode(tf.zeros([2, 32, 32, 3]));
        return [mu.shape, logVar?.shape];
      });
      expect(encoded).toEqual([[2, 32], [2, 32]]);
    } finally {
      model.dispose();
    }
  });

  it('restores through the skips while the latent path ignores them; a model without skips refuses features', async () => {
    const faces = await lfwFaces(2, 32);
    const model = Autoencoder.create(tf, SMALL_CONFIG, 4);
    const noSkips = Autoencoder.create(tf, { ...SMALL_CONFIG, skips: false }, 4);
    try {
      const restored = restoreImages(model, faces.images, 2);
      const reconstructed = reconstructImages(model, faces.images, 2);
      expect(restored.length).toBe(reconstructed.length);
      expect(restored).not.toEqual(reconstructed);
      expect(Math.min(...restored)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...restored)).toBeLessThanOrEqual(1);
      // Without skips, restoring is the bottleneck reconstruction.
      expect(restoreImages(noSkips, faces.images, 2)).toEqual(reconstructImages(noSkips, faces.images, 2));
      expect(() =>
        tf.tidy(() => {
          const { mu, features } = noSkips.encode(tf.tensor4d(faces.images, [2, 32, 32, 3]));
          return noSkips.decode(mu, features);
        }),
      ).toThrow(/no restoration path/);
    } finally {
      model.dispose();
      noSkips.dispose();
    }
  });

  it('starts its residual restoration path as the identity and keeps every layout in [0,1]', async () => {
    const faces = await lfwFaces(3, 32);
    const noisy = corruptBatch(faces.images, 3, 32, seededRandom(5), { ...DEFAULT_CORRUPTION, kinds: ['noise'], cleanProbability: 0 });
    const residual = Autoencoder.create(tf, SMALL_CONFIG, 6);
    try {
      // The correction head starts at zero: an untrained model hands the input back instead of a grey blur.
      const restored = restoreImages(residual, noisy, 3);
      let worst = 0;
      for (let i = 0; i < noisy.length; i++) worst = Math.max(worst, Math.abs(restored[i] - noisy[i]));
      expect(worst).toBeLessThan(1e-6);
    } finally {
      residual.dispose();
    }
    for (const restoration of [{ fullResChannels: 8, residual: false }, { fullResChannels: 0, residual: true }, undefined]) {
      const model = Autoencoder.create(tf, { ...SMALL_CONFIG, restoration }, 6);
      try {
        // Push the residual head off zero so the clip to [0,1] has something to do.
        for (const v of model.variables) v.assign(tf.mul(tf.add(v, 0.05), 3));
        const restored = restoreImages(model, noisy, 3);
        expect(restored.length, JSON.stringify(restoration)).toBe(noisy.length);
        expect(Math.min(...restored)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...restored)).toBeLessThanOrEqual(1);
        expect(Array.from(restored).every(Number.isFinite)).toBe(true);
      } finally {
        model.dispose();
      }
    }
  });

  it('restores a mirrored crop to the mirror of its restoration (mirror-averaged), and can skip the average', async () => {
    const faces = await lfwFaces(2, 32);
    const model = Autoencoder.create(tf, SMALL_CONFIG, 8);
    try {
      // Move the correction head off zero (without saturating the output) so the restoration differs from the input.
      model.variables.forEach((v, i) => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.05, 'float32', i))));
      const mirror = (images: Float32Array) => tf.tidy(() => tf.reverse(tf.tensor4d(images, [2, 32, 32, 3]), 2).dataSync() as Float32Array);
      const restored = restoreImages(model, faces.images, 2);
      const ofMirror = restoreImages(model, mirror(faces.images), 2);
      const back = mirror(ofMirror);
      let worst = 0;
      for (let i = 0; i < restored.length; i++) worst = Math.max(worst, Math.abs(back[i] - restored[i]));
      expect(worst).toBeLessThan(1e-5);
      const single = restoreImages(model, faces.images, 2, { mirrorAverage: false });
      expect(single).not.toEqual(restored);
    } finally {
      model.dispose();
    }
  });

  it('loads a model saved before the restoration layout existed (one skip conv at S, shared output)', async () => {
    const { restoration: _, ...legacyConfig } = SMALL_CONFIG;
    const names = paramSpecs(legacyConfig).map((s) => s.name);
    expect(names).toContain('skip.w');
    expect(names).not.toContain('full1.w');
    expect(names).not.toContain('restore.w');
    const legacy = Autoencoder.create(tf, legacyConfig, 2);
    const faces = await lfwFaces(2, 32);
    try {
      const manifest = JSON.parse(JSON.stringify(manifestFor(legacyConfig, null)));
      expect(manifest.config.restoration).toBeUndefined();
      const bytes = packWeights(await legacy.readWeights());
      const copy = loadAutoencoder(tf, manifest, bytes);
      try {
        expect(restoreImages(copy, faces.images, 2)).toEqual(restoreImages(legacy, faces.images, 2));
        // Weights of the old layout under today's config are a clear error, not a crash.
        expect(() => unpackWeights(bytes, manifestFor(SMALL_CONFIG, null))).toThrow(/damaged/);
      } finally {
        copy.dispose();
      }
    } finally {
      legacy.dispose();
    }
  });

  it('rejects image sizes that are not multiples of 16', () => {
    expect(() => Autoencoder.create(tf, { ...SMALL_CONFIG, imageSize: 40 }, 1)).toThrow(/multiple of 16/);
  });

  it('round-trips its weights through the on-disk format and rejects damaged files', async () => {
    const model = Autoencoder.create(tf, SMALL_CONFIG, 9);
    const faces = await lfwFaces(2, 32);
    try {
      const weights = await model.readWeights();
      const manifest = manifestFor(SMALL_CONFIG, null);
      const bytes = packWeights(weights);
      const copy = loadAutoencoder(tf, JSON.parse(JSON.stringify(manifest)), bytes);
      try {
        expect(reconstructImages(copy, faces.images, 2)).toEqual(reconstructImages(model, faces.images, 2));
      } finally {
        copy.dispose();
      }
      expect(() => unpackWeights(bytes.subarray(0, bytes.length - 4), manifest)).toThrow(/damaged/);
      expect(() => unpackWeights(bytes, { ...manifest, format: 'other' as never })).toThrow(/not a Familiar autoencoder/);
    } finally {
      model.dispose();
    }
  });
});

describe('losses', () => {
  it('SSIM is 1 for identical images and lower for noisy ones; MSE and KL are 0 at the optimum', async () => {
    const faces = await lfwFaces(3, 32);
    const noisy = corruptBatch(faces.images, 3, 32, seededRandom(4), { ...DEFAULT_CORRUPTION, kinds: ['noise'], cleanProbability: 0 });
    const [same, different, mse, kl] = tf.tidy(() => {
      const a = tf.tensor4d(faces.images, [3, 32, 32, 3]);
      const b = tf.tensor4d(noisy, [3, 32, 32, 3]);
      return [
        Array.from(ssimPerImage(tf, a, a).dataSync()),
        Array.from(ssimPerImage(tf, a, b).dataSync()),
        Array.from(msePerImage(tf, a, a).dataSync()),
        Array.from(klPerImage(tf, tf.zeros([3, 4]), tf.zeros([3, 4])).dataSync()),
      ];
    });
    for (const v of same) expect(v).toBeCloseTo(1, 4);
    for (const v of different) expect(v).toBeLessThan(0.95);
    expect(mse).toEqual([0, 0, 0]);
    expect(kl).toEqual([0, 0, 0]);
  });
});

describe('corruption', () => {
  it('damages every kind reproducibly from a seed and keeps values in [0,1]', async () => {
    const faces = await lfwFaces(4, 32);
    for (const kind of ['noise', 'mask', 'blur', 'blocky'] as const) {
      const options = { ...DEFAULT_CORRUPTION, kinds: [kind], cleanProbability: 0 };
      const a = corruptBatch(faces.images, 4, 32, seededRandom(11), options);
      const b = corruptBatch(faces.images, 4, 32, seededRandom(11), options);
      expect(a).toEqual(b);
      let changed = 0;
      for (let i = 0; i < a.length; i++) changed += Math.abs(a[i] - faces.images[i]);
      expect(changed / a.length, kind).toBeGreaterThan(0.001);
      expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...a)).toBeLessThanOrEqual(1);
    }
    expect(() => corruptBatch(faces.images, 5, 32, seededRandom(1))).toThrow(/expected/);
  });
});

describe('latent operations', () => {
  it('interpolation starts and ends exactly at the endpoints, so the strip ends decode to their reconstructions', async () => {
    const faces = await lfwFaces(2, 32);
    const model = Autoencoder.create(tf, SMALL_CONFIG, 5);
    try {
      const latents = encodeImages(model, faces.images, 2);
      const dim = SMALL_CONFIG.latentDim;
      const a = latents.slice(0, dim);
      const b = latents.slice(dim);
      for (const mode of ['linear', 'spherical'] as const) {
        const path = interpolateLatents(a, b, 8, mode);
        const strip = decodeLatents(model, path, 8);
        const ends = reconstructImages(model, faces.images, 2);
        const pixels = 32 * 32 * 3;
        let first = 0;
        let last = 0;
        for (let i = 0; i < pixels; i++) {
          first = Math.max(first, Math.abs(strip[i] - ends[i]));
          last = Math.max(last, Math.abs(strip[7 * pixels + i] - ends[pixels + i]));
        }
        expect(first, mode).toBeLessThan(1e-4);
        expect(last, mode).toBeLessThan(1e-4);
      }
    } finally {
      model.dispose();
    }
  });

  it('spherical interpolation keeps the code length between the endpoint lengths; linear shrinks it', () => {
    const dim = 64;
    const random = seededRandom(2);
    const a = Float32Array.from({ length: dim }, () => random() - 0.5);
    const b = Float32Array.from({ length: dim }, () => random() - 0.5);
    const norm = (v: Float32Array) => Math.hypot(...v);
    const middle = (mode: 'linear' | 'spherical') => interpolateLatents(a, b, 5, mode).slice(2 * dim, 3 * dim);
    const low = Math.min(norm(a), norm(b));
    expect(norm(middle('spherical'))).toBeGreaterThanOrEqual(low * 0.999);
    expect(norm(middle('linear'))).toBeLessThan(low);
    expect(() => interpolateLatents(a, b, 1, 'linear')).toThrow(/at least 2 steps/);
  });

  it('arithmetic adds the difference of the set means', () => {
    const base = Float32Array.from([1, 2]);
    const add = Float32Array.from([3, 0, 5, 0]);
    const sub = Float32Array.from([1, 1]);
    expect(Array.from(latentArithmetic(base, add, 2, sub, 1))).toEqual([4, 1]);
    expect(Array.from(latentArithmetic(base, add, 2, new Float32Array(0), 0, 0.5))).toEqual([3, 2]);
    expect(() => latentArithmetic(base, new Float32Array(0), 0, sub, 1)).toThrow(/empty/);
  });
});

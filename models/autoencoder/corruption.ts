// Damage applied to clean crops during training (the model learns to undo it) and in the benchmark.
// Pure TypeScript over interleaved RGB Float32 images in [0, 1]; every random choice comes from the given
// generator, so a seed reproduces the exact same damaged batch.
import { gaussian } from '../embedder/random.js';

export type Corruption = 'noise' | 'mask' | 'blur' | 'blocky';

export interface CorruptionOptions {
  /** Which kinds may be applied; each image gets a random non-empty subset. */
  kinds: Corruption[];
  /** Largest Gaussian noise standard deviation (the benchmark measures at 0.1). */
  maxNoiseSigma: number;
  /** Probability that an image is left clean (keeps the identity mapping for already-clean crops). */
  cleanProbability: number;
}

export const DEFAULT_CORRUPTION: CorruptionOptions = {
  kinds: ['noise', 'mask', 'blur', 'blocky'],
  maxNoiseSigma: 0.2,
  cleanProbability: 0.1,
};

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Adds N(0, sigma^2) to every value, clamped to [0, 1]. */
export function addGaussianNoise(image: Float32Array, sigma: number, random: () => number): void {
  for (let i = 0; i < image.length; i++) image[i] = clamp01(image[i] + sigma * gaussian(random));
}

/** 1-3 rectangles (6-30% of the side) filled with flat grey or noise: occluders, stickers, scratches. */
function maskBlocks(image: Float32Array, size: number, random: () => number): void {
  const blocks = 1 + Math.floor(random() * 3);
  for (let n = 0; n < blocks; n++) {
    const w = Math.max(2, Math.round(size * (0.06 + random() * 0.24)));
    const h = Math.max(2, Math.round(size * (0.06 + random() * 0.24)));
    const x0 = Math.floor(random() * (size - w));
    const y0 = Math.floor(random() * (size - h));
    const flat = random() < 0.5;
    const grey = random();
    for (let y = y0; y < y0 + h; y++) {
      for (let x = x0; x < x0 + w; x++) {
        const p = (y * size + x) * 3;
        for (let c = 0; c < 3; c++) image[p + c] = flat ? grey : random();
      }
    }
  }
}

/** Separable box blur of radius 1 or 2, applied 1-2 times (close to a Gaussian of sigma 0.8-2 px). */
function blur(image: Float32Array, size: number, random: () => number): void {
  const radius = 1 + Math.floor(random() * 2);
  const passes = 1 + Math.floor(random() * 2);
  const tmp = new Float32Array(image.length);
  for (let pass = 0; pass < passes; pass++) {
    for (const horizontal of [true, false]) {
      const src = horizontal ? image : tmp;
      const dst = horizontal ? tmp : image;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          for (let c = 0; c < 3; c++) {
            let sum = 0;
            for (let k = -radius; k <= radius; k++) {
              const xx = horizontal ? Math.min(size - 1, Math.max(0, x + k)) : x;
              const yy = horizontal ? y : Math.min(size - 1, Math.max(0, y + k));
              sum += src[(yy * size + xx) * 3 + c];
            }
            dst[(y * size + x) * 3 + c] = sum / (2 * radius + 1);
          }
        }
      }
    }
  }
}

/**
 * JPEG-like damage: within each 8x8 block, detail is pulled towards the block mean (what coarse DCT quantisation
 * does to high frequencies) and the values are quantised to a few levels, giving the familiar blockiness and banding.
 */
function blocky(image: Float32Array, size: number, random: () => number): void {
  const keepDetail = 0.1 + random() * 0.5;
  const levels = 8 + Math.floor(random() * 24);
  const block = 8;
  for (let by = 0; by < size; by += block) {
    for (let bx = 0; bx < size; bx += block) {
      const yEnd = Math.min(size, by + block);
      const xEnd = Math.min(size, bx + block);
      for (let c = 0; c < 3; c++) {
        let mean = 0;
        for (let y = by; y < yEnd; y++) for (let x = bx; x < xEnd; x++) mean += image[(y * size + x) * 3 + c];
        mean /= (yEnd - by) * (xEnd - bx);
        for (let y = by; y < yEnd; y++) {
          for (let x = bx; x < xEnd; x++) {
            const p = (y * size + x) * 3 + c;
            const v = mean + keepDetail * (image[p] - mean);
            image[p] = clamp01(Math.round(v * (levels - 1)) / (levels - 1));
          }
        }
      }
    }
  }
}

/**
 * Returns a damaged copy of `clean` (a batch of `count` images of size x size x 3). Order of application is fixed
 * (blur and blockiness before masks and noise), as real damage compounds: a blurred photo is then recompressed...
 */
export function corruptBatch(
  clean: Float32Array,
  count: number,
  size: number,
  random: () => number,
  options: CorruptionOptions = DEFAULT_CORRUPTION,
): Float32Array {
  const out = clean.slice();
  const pixels = size * size * 3;
  if (clean.length !== count * pixels) throw new Error(`Batch has ${clean.length} values, expected ${count * pixels}.`);
  for (let n = 0; n < count; n++) {
    if (random() < options.cleanProbability || options.kinds.length === 0) continue;
    const image = out.subarray(n * pixels, (n + 1) * pixels);
    let chosen = options.kinds.filter(() => random() < 0.5);
    if (chosen.length === 0) chosen = [options.kinds[Math.floor(random() * options.kinds.length)]];
    if (chosen.includes('blur')) blur(image, size, random);
    if (chosen.includes('blocky')) blocky(image, size, random);
    if (chosen.includes('mask')) maskBlocks(image, size, random);
    if (chosen.includes('noise')) addGaussianNoise(image, 0.02 + random() * (options.maxNoiseSigma - 0.02), random);
  }
  return out;
}

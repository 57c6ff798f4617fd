// Convolutional (variational) autoencoder over aligned face crops.
//
//   encoder: 4 x [3x3 conv, stride 2, leaky ReLU]   S x S x 3  ->  S/16 x S/16 x C4  -> dense -> latent (mu[, logVar])
//   decoder: dense -> S/16 x S/16 x C4 -> 4 x [4x4 transposed conv, stride 2, leaky ReLU] -> 3x3 conv -> sigmoid
//
// Two ways through it. The bottleneck path (latent only) is what interpolation, arithmetic and the faceness score
// use: everything about the face must pass through 128 numbers. The restoration path adds encoder feature maps at
// S/2 and S/4 to the decoder's (U-Net-style skips), then at full resolution concatenates the decoder's last map with
// two 3x3 convs of the input, merges them with a third, and predicts a correction added to the input in pixel space
// (DnCNN's residual learning: noise is easier to predict than the clean face, and an untrained path is the identity).
// A 128-number code cannot carry a face's fine detail, so denoising through the bottleneck alone blurs more than the
// noise it removes. Every training step trains both paths, so one decoder serves both.
//
// Stride-2 convolutions instead of pooling keep the encoder cheap; 4x4 transposed convolutions (kernel divisible
// by the stride) avoid the checkerboard pattern 3x3 ones leave. Plain tfjs ops over named variables rather than
// tf.layers: the weights serialise to one flat Float32Array, initialisation is seeded, and two models can live
// in one process (a wasm model and a cpu baseline in the benchmark) without layer-name clashes.
import type * as TfModule from '@tensorflow/tfjs';
import type { Tf } from '../backend.js';
import { gaussian, seededRandom } from '../embedder/random.js';

type Tensor = TfModule.Tensor;
type Tensor2D = TfModule.Tensor2D;
type Tensor4D = TfModule.Tensor4D;
type Variable = TfModule.Variable;

export interface AutoencoderConfig {
  /** Side of the square RGB input and output, a multiple of 16 (64: crops downsampled from the library's thumbs). */
  imageSize: number;
  /** Bottleneck size: the latent space the interpolation, arithmetic and faceness uses live in. */
  latentDim: number;
  /** Encoder widths after each of the four stride-2 convolutions (the decoder mirrors them). */
  channels: [number, number, number, number];
  /** Width of the last upsampling stage, before the 3-channel output convolution. */
  outputStageChannels: number;
  /** VAE: the encoder predicts mu and log-variance and training samples z = mu + sigma * eps with a KL term. */
  variational: boolean;
  /** Restoration path with encoder-to-decoder skips at S, S/2 and S/4 (denoise/restore); the latent path is unchanged. */
  skips: boolean;
  /**
   * Layout of the restoration path's full-resolution end. Absent in models saved before it existed: then the skip at
   * S is one 3x3 conv of the input added to the decoder's last map, and restoration shares the sigmoid output.
   */
  restoration?: RestorationConfig;
}

export interface RestorationConfig {
  /**
   * Width of the full-resolution stage: two 3x3 convs of the input (the skip at S), concatenated with the decoder's
   * last map and merged by a third 3x3 conv before the output. 0 keeps the single-conv skip added to the decoder's map.
   */
  fullResChannels: number;
  /**
   * DnCNN-style residual learning: the head predicts a correction in pixel space, restored = clip(input + correction).
   * The head starts at zero, so an untrained restoration path is the identity rather than a grey blur.
   */
  residual: boolean;
}

export const DEFAULT_AUTOENCODER_CONFIG: AutoencoderConfig = {
  imageSize: 64,
  latentDim: 128,
  channels: [32, 64, 128, 128],
  outputStageChannels: 16,
  variational: false,
  skips: true,
  restoration: { fullResChannels: 32, residual: true },
};

const LEAK = 0.2;

export interface ParamSpec {
  name: string;
  shape: number[];
  /** Fan-in used by the initialiser (0 = starts at zero: biases, and the residual correction head). */
  fanIn: number;
}

export function validateConfig(config: AutoencoderConfig): void {
  const full = config.restoration?.fullResChannels;
  if (full !== undefined && (!Number.isInteger(full) || full < 0)) {
    throw new Error(`Autoencoder full-resolution width must be a non-negative integer (got ${full}).`);
  }
  if (!Number.isInteger(config.imageSize) || config.imageSize < 16 || config.imageSize % 16 !== 0) {
    throw new Error(`Autoencoder image size must be a multiple of 16 (got ${config.imageSize}).`);
  }
  if (!Number.isInteger(config.latentDim) || config.latentDim < 2) {
    throw new Error(`Autoencoder latent size must be an integer of at least 2 (got ${config.latentDim}).`);
  }
}

/** Every weight of the architecture, in the order they are serialised. */
export function paramSpecs(config: AutoencoderConfig): ParamSpec[] {
  validateConfig(config);
  const specs: ParamSpec[] = [];
  const [c1, c2, c3, c4] = config.channels;
  const encoderWidths = [3, c1, c2, c3, c4];
  for (let i = 0; i < 4; i++) {
    const [cin, cout] = [encoderWidths[i], encoderWidths[i + 1]];
    specs.push({ name: `enc${i + 1}.w`, shape: [3, 3, cin, cout], fanIn: 9 * cin });
    specs.push({ name: `enc${i + 1}.b`, shape: [cout], fanIn: 0 });
  }
  const bottom = config.imageSize / 16;
  const flat = bottom * bottom * c4;
  specs.push({ name: 'mu.w', shape: [flat, config.latentDim], fanIn: flat });
  specs.push({ name: 'mu.b', shape: [config.latentDim], fanIn: 0 });
  if (config.variational) {
    specs.push({ name: 'logvar.w', shape: [flat, config.latentDim], fanIn: flat });
    specs.push({ name: 'logvar.b', shape: [config.latentDim], fanIn: 0 });
  }
  specs.push({ name: 'dec.fc.w', shape: [config.latentDim, flat], fanIn: config.latentDim });
  specs.push({ name: 'dec.fc.b', shape: [flat], fanIn: 0 });
  const decoderWidths = [c4, c3, c2, c1, config.outputStageChannels];
  for (let i = 0; i < 4; i++) {
    const [cin, cout] = [decoderWidths[i], decoderWidths[i + 1]];
    // conv2dTranspose filters are [h, w, outChannels, inChannels]; each output pixel sees 4 of the 16 taps.
    specs.push({ name: `dec${i + 1}.w`, shape: [4, 4, cout, cin], fanIn: 4 * cin });
    specs.push({ name: `dec${i + 1}.b`, shape: [cout], fanIn: 0 });
  }
  specs.push({ name: 'out.w', shape: [3, 3, config.outputStageChannels, 3], fanIn: 9 * config.outputStageChannels });
  specs.push({ name: 'out.b', shape: [3], fanIn: 0 });
  if (config.skips && !config.restoration) {
    specs.push({ name: 'skip.w', shape: [3, 3, 3, config.outputStageChannels], fanIn: 27 });
    specs.push({ name: 'skip.b', shape: [config.outputStageChannels], fanIn: 0 });
  }
  if (config.skips && config.restoration) {
    const out = config.outputStageChannels;
    const full = config.restoration.fullResChannels;
    if (full > 0) {
      specs.push({ name: 'full1.w', shape: [3, 3, 3, full], fanIn: 27 });
      specs.push({ name: 'full1.b', shape: [full], fanIn: 0 });
      specs.push({ name: 'full2.w', shape: [3, 3, full, full], fanIn: 9 * full });
      specs.push({ name: 'full2.b', shape: [full], fanIn: 0 });
      specs.push({ name: 'merge.w', shape: [3, 3, out + full, full], fanIn: 9 * (out + full) });
      specs.push({ name: 'merge.b', shape: [full], fanIn: 0 });
    } else {
      specs.push({ name: 'skip.w', shape: [3, 3, 3, out], fanIn: 27 });
      specs.push({ name: 'skip.b', shape: [out], fanIn: 0 });
    }
    const headIn = full > 0 ? full : out;
    specs.push({ name: 'restore.w', shape: [3, 3, headIn, 3], fanIn: config.restoration.residual ? 0 : 9 * headIn });
    specs.push({ name: 'restore.b', shape: [3], fanIn: 0 });
  }
  return specs;
}

/** He-normal initial weights (for leaky ReLU), zero biases; a seed gives the same weights everywhere. */
export function initialWeights(config: AutoencoderConfig, seed: number): Float32Array[] {
  const random = seededRandom(seed);
  return paramSpecs(config).map((spec) => {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (spec.fanIn === 0) return values;
    const gain = spec.name === 'logvar.w' ? 0.1 : Math.sqrt(2 / (1 + LEAK * LEAK));
    const std = gain / Math.sqrt(spec.fanIn);
    for (let i = 0; i < size; i++) values[i] = gaussian(random) * std;
    return values;
  });
}

export interface RestorationFeatures {
  half: Tensor4D;
  quarter: Tensor4D;
  /** The input image; the full-resolution skip is computed from it only when the restoration path decodes. */
  input: Tensor4D;
}

let instanceCounter = 0;

export interface Encoded {
  mu: Tensor2D;
  /** Present in variational mode. */
  logVar: Tensor2D | null;
  /** Encoder feature maps at S/2 and S/4, and at S (only with skips), for the restoration path. */
  features: RestorationFeatures;
}

/** The trainable model: tfjs variables + the forward passes. Dispose it when done. */
export class Autoencoder {
  readonly variables: Variable[];
  private readonly byName = new Map<string, Variable>();

  constructor(
    readonly tf: Tf,
    readonly config: AutoencoderConfig,
    weights: Float32Array[],
  ) {
    const specs = paramSpecs(config);
    if (weights.length !== specs.length) {
      throw new Error(`Autoencoder weights do not match the architecture (${weights.length} arrays, expected ${specs.length}).`);
    }
    const prefix = `autoencoder${++instanceCounter}/`;
    this.variables = specs.map((spec, i) => {
      const expected = spec.shape.reduce((a, b) => a * b, 1);
      if (weights[i].length !== expected) {
        throw new Error(`Autoencoder weight ${spec.name} has ${weights[i].length} values, expected ${expected}.`);
      }
      // The variable holds its own reference to the values: the tensor they came in is let go, or dispose() would
      // leave every weight allocated (a model's worth per version switch or training in a running app).
      const initial = tf.tensor(weights[i], spec.shape);
      const variable = tf.variable(initial, true, prefix + spec.name);
      initial.dispose();
      this.byName.set(spec.name, variable);
      return variable;
    });
  }

  static create(tf: Tf, config: AutoencoderConfig, seed: number): Autoencoder {
    return new Autoencoder(tf, config, initialWeights(config, seed));
  }

  private param<T extends Tensor>(name: string): T {
    const variable = this.byName.get(name);
    if (!variable) throw new Error(`Autoencoder has no weight ${name}.`);
    return variable as unknown as T;
  }

  /** images [B, S, S, 3] in [0, 1] -> latent mean (and log-variance in variational mode). */
  encode(images: Tensor4D): Encoded {
    const tf = this.tf;
    const size = this.config.imageSize;
    if (images.shape[1] !== size || images.shape[2] !== size || images.shape[3] !== 3) {
      throw new Error(`Autoencoder input must be [batch, ${size}, ${size}, 3] (got [${images.shape.join(', ')}]).`);
    }
    const centred = tf.sub(images, 0.5) as Tensor4D;
    let h = centred;
    const maps: Tensor4D[] = [];
    for (let i = 1; i <= 4; i++) {
      h = tf.leakyRelu(tf.add(tf.conv2d(h, this.param<Tensor4D>(`enc${i}.w`), 2, 'same'), this.param(`enc${i}.b`)), LEAK) as Tensor4D;
      maps.push(h);
    }
    const features: RestorationFeatures = { half: maps[0], quarter: maps[1], input: images };
    const flat = tf.reshape(h, [images.shape[0], -1]) as Tensor2D;
    const mu = tf.add(tf.matMul(flat, this.param<Tensor2D>('mu.w')), this.param('mu.b')) as Tensor2D;
    if (!this.config.variational) return { mu, logVar: null, features };
    // Clamped so an early bad step cannot overflow exp() in the KL term or the sampling.
    const logVar = tf.clipByValue(tf.add(tf.matMul(flat, this.param<Tensor2D>('logvar.w')), this.param('logvar.b')), -10, 6) as Tensor2D;
    return { mu, logVar, features };
  }

  /**
   * latents [B, latentDim] -> images [B, S, S, 3] in [0, 1]. With the encoder's `features` (restoration path) they
   * are added to the decoder's maps of the same size; without them the latent alone decides the face.
   * A residual restoration head returns input + correction unclipped (training sees the true error); `restore()` clips.
   */
  decode(latents: Tensor2D, features?: RestorationFeatures): Tensor4D {
    if (features && !this.config.skips) throw new Error('This autoencoder has no restoration path (skips are off).');
    const trunk = this.decoderTrunk(latents);
    return features ? this.restorationHead(trunk, features) : this.bottleneckHead(trunk);
  }

  /**
   * Both paths' drawings of one latent, as a training step needs them: decode(z) and decode(z, features) with the
   * layers before the first skip (dense, dec1, dec2) run once for both, and their gradients summed once (~7 % of a
   * training step's work on wasm).
   */
  decodeBoth(latents: Tensor2D, features: RestorationFeatures): { reconstructed: Tensor4D; restored: Tensor4D } {
    if (!this.config.skips) throw new Error('This autoencoder has no restoration path (skips are off).');
    const trunk = this.decoderTrunk(latents);
    return { reconstructed: this.bottleneckHead(trunk), restored: this.restorationHead(trunk, features) };
  }

  /** Decoder widths from the bottom up: C4 at S/16, C3 at S/8, C2 at S/4, C1 at S/2, the output stage's at S. */
  private decoderWidths(): number[] {
    return [this.config.channels[3], this.config.channels[2], this.config.channels[1], this.config.channels[0], this.config.outputStageChannels];
  }

  /** dense -> S/16 -> dec1 -> dec2: the decoder up to S/4, where the first skip joins (the same for both paths). */
  private decoderTrunk(latents: Tensor2D): Tensor4D {
    const tf = this.tf;
    const bottom = this.config.imageSize / 16;
    const h = tf.reshape(
      tf.leakyRelu(tf.add(tf.matMul(latents, this.param<Tensor2D>('dec.fc.w')), this.param('dec.fc.b')), LEAK),
      [latents.shape[0], bottom, bottom, this.decoderWidths()[0]],
    ) as Tensor4D;
    return this.upsample(this.upsample(h, 1), 2);
  }

  /** Transposed conv `dec<i>`: doubles the side; dec2 ends at S/4 with C2 channels, dec3 at S/2 with C1, dec4 at S. */
  private upsample(h: Tensor4D, i: number): Tensor4D {
    const tf = this.tf;
    const side = h.shape[1] * 2;
    const up = tf.conv2dTranspose(h, this.param<Tensor4D>(`dec${i}.w`), [h.shape[0], side, side, this.decoderWidths()[i]], 2, 'same');
    return tf.leakyRelu(tf.add(up, this.param(`dec${i}.b`)), LEAK) as Tensor4D;
  }

  private bottleneckHead(trunk: Tensor4D): Tensor4D {
    return this.outputConv(this.upsample(this.upsample(trunk, 3), 4), 'out', 'sigmoid');
  }

  private restorationHead(trunk: Tensor4D, features: RestorationFeatures): Tensor4D {
    const tf = this.tf;
    const half = tf.add(this.upsample(tf.add(trunk, features.quarter) as Tensor4D, 3), features.half) as Tensor4D;
    let h = this.upsample(half, 4);
    const restoration = this.config.restoration;
    const centred = tf.sub(features.input, 0.5) as Tensor4D;
    if (!restoration) return this.outputConv(tf.add(h, this.fullResConv(centred, 'skip')) as Tensor4D, 'out', 'sigmoid');
    if (restoration.fullResChannels > 0) {
      h = this.merge(h, this.fullResConv(this.fullResConv(centred, 'full1'), 'full2'));
    } else {
      h = tf.add(h, this.fullResConv(centred, 'skip')) as Tensor4D;
    }
    if (!restoration.residual) return this.outputConv(h, 'restore', 'sigmoid');
    return tf.add(features.input, this.outputConv(h, 'restore', 'linear')) as Tensor4D;
  }

  /**
   * The merge conv over the decoder's last map and the full-resolution stage side by side, computed as the sum of
   * one conv per part with its share of merge.w's input channels: the same sums without the 48-channel concat and
   * its gradient's split (~2 % of a training step on wasm). merge.w keeps its [3, 3, out + full, full] layout.
   */
  private merge(decoded: Tensor4D, full: Tensor4D): Tensor4D {
    const tf = this.tf;
    const w = this.param<Tensor4D>('merge.w');
    const split = decoded.shape[3];
    const fromDecoded = tf.conv2d(decoded, tf.slice(w, [0, 0, 0, 0], [-1, -1, split, -1]), 1, 'same');
    const fromFull = tf.conv2d(full, tf.slice(w, [0, 0, split, 0], [-1, -1, -1, -1]), 1, 'same');
    return tf.leakyRelu(tf.add(tf.add(fromDecoded, fromFull), this.param('merge.b')), LEAK) as Tensor4D;
  }

  private fullResConv(x: Tensor4D, name: string): Tensor4D {
    const tf = this.tf;
    return tf.leakyRelu(tf.add(tf.conv2d(x, this.param<Tensor4D>(`${name}.w`), 1, 'same'), this.param(`${name}.b`)), LEAK) as Tensor4D;
  }

  private outputConv(h: Tensor4D, name: string, activation: 'sigmoid' | 'linear'): Tensor4D {
    const tf = this.tf;
    const y = tf.add(tf.conv2d(h, this.param<Tensor4D>(`${name}.w`), 1, 'same'), this.param(`${name}.b`)) as Tensor4D;
    return activation === 'sigmoid' ? (tf.sigmoid(y) as Tensor4D) : y;
  }

  /** Deterministic reconstruction through the bottleneck only (the latent mean, no sampling). */
  reconstruct(images: Tensor4D): Tensor4D {
    return this.tf.tidy(() => this.decode(this.encode(images).mu));
  }

  /**
   * Denoised / restored image: the restoration path when the model has one, else the bottleneck reconstruction.
   * By default the restoration of the image and of its mirror image (mirrored back) are averaged: aligned faces are
   * near-symmetric, so both are equally good estimates with partly independent errors (the "self-ensemble" of
   * image restoration work); it costs a second pass.
   */
  restore(images: Tensor4D, options: { mirrorAverage?: boolean } = {}): Tensor4D {
    const tf = this.tf;
    return tf.tidy(() => {
      if (!this.config.skips) return this.decode(this.encode(images).mu);
      const once = (x: Tensor4D) => {
        const { mu, features } = this.encode(x);
        return tf.clipByValue(this.decode(mu, features), 0, 1) as Tensor4D;
      };
      const direct = once(images);
      if (options.mirrorAverage === false) return direct;
      const mirrored = tf.reverse(once(tf.reverse(images, 2) as Tensor4D), 2);
      return tf.mul(tf.add(direct, mirrored), 0.5) as Tensor4D;
    });
  }

  /** Current weights as plain arrays, in paramSpecs order. */
  async readWeights(): Promise<Float32Array[]> {
    return Promise.all(this.variables.map(async (v) => (await v.data()) as Float32Array));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

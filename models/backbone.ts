// Recognition backbones: aligned face chips in, L2-normalised descriptors out.
import type { Tf } from './backend.js';
import type { ChipSpec } from './aligner.js';
import type { FaceApi } from './faceapi.js';
import type { RgbImage } from './types.js';

export interface Backbone {
  /** Stable identifier, part of PIPELINE_VERSION. */
  readonly id: string;
  readonly dims: number;
  /** The aligned chip the network expects. */
  readonly chip: ChipSpec;
  /** One descriptor per chip (each chip.size x chip.size), L2-normalised. */
  embed(chips: RgbImage[]): Promise<Float32Array[]>;
}

export function l2Normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const norm = Math.sqrt(sum);
  if (!(norm > 0)) throw new Error('Cannot normalise a zero descriptor.');
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] / norm;
  return out;
}

/** Largest batch per forward pass: bounds peak memory on photos with many faces. */
const MAX_BATCH = 16;

/**
 * face-api's 128-d recognition net: a port of dlib's ResNet-29 metric network, trained on 150x150 chips
 * aligned to dlib's mean face with padding 0.25 (reproduced by models/aligner.ts).
 */
export class FaceApiResNetBackbone implements Backbone {
  readonly id = 'faceapi-resnet128';
  readonly dims = 128;
  readonly chip: ChipSpec = { size: 150, template: 'dlib68', padding: 0.25, border: 'zero' };

  constructor(
    private readonly faceapi: FaceApi,
    private readonly tf: Tf,
  ) {}

  async embed(chips: RgbImage[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let start = 0; start < chips.length; start += MAX_BATCH) {
      const batch = chips.slice(start, start + MAX_BATCH);
      const tensors = batch.map((c) => this.tf.tensor3d(c.data, [c.height, c.width, 3], 'int32'));
      try {
        const result = await this.faceapi.nets.faceRecognitionNet.computeFaceDescriptor(tensors);
        const list = Array.isArray(result) ? result : [result];
        for (const d of list) out.push(l2Normalize(d));
      } finally {
        for (const t of tensors) t.dispose();
      }
    }
    return out;
  }
}

// face-api's 68-point landmark network, run by Familiar's own forward pass over the same weights.
//
// face-api prepares each face with a dozen small tensor ops (slice the photo, cast, pad to a square with
// concatenated zeros, resize, stack, subtract a mean built from three filled and concatenated tensors): on the
// wasm backend those cost three times the network itself. Here each face's 112x112 input is cut, padded and
// resized straight from the photo's bytes in one loop (the same arithmetic as tfjs's resizeBilinear without
// half-pixel centres), and the network's bias adds run inside its convolutions (fused kernels).
// tests/models/landmarks68.test.ts checks the landmarks against face-api's own pass.
import type { Tf } from './backend.js';
import type { FaceApi } from './faceapi.js';
import type { Box, Point, RgbImage } from './types.js';

type Tensor1D = ReturnType<Tf['tensor1d']>;
type Tensor2D = ReturnType<Tf['tensor2d']>;
type Tensor4D = ReturnType<Tf['tensor4d']>;

const INPUT_SIZE = 112;
const MEAN_RGB = [122.782, 117.001, 104.298];

interface Separable {
  depthwise: Tensor4D;
  pointwise: Tensor4D;
  bias: Tensor1D;
}
interface DenseBlock {
  /** dense0 starts with a plain 3x3 conv; the others with a separable one. */
  first: { filter: Tensor4D; bias: Tensor1D } | Separable;
  rest: [Separable, Separable, Separable];
}
interface FaceApiSeparable {
  depthwise_filter: Tensor4D;
  pointwise_filter: Tensor4D;
  bias: Tensor1D;
}

/** A face's pixel region in the photo, as face-api's landmark step cuts it from a detection box. */
interface Region {
  x0: number;
  y0: number;
  w: number;
  h: number;
}

export class Landmarks68 {
  private constructor(
    private readonly tf: Tf,
    private readonly blocks: DenseBlock[],
    private readonly fc: { weights: Tensor2D; bias: Tensor1D },
  ) {}

  /** Builds the network from face-api's loaded landmark net (loadFaceApiNets(['faceLandmark68Net']) first). */
  static fromFaceApi(faceapi: FaceApi, tf: Tf): Landmarks68 {
    const net = faceapi.nets.faceLandmark68Net as unknown as {
      params?: { fc: { weights: Tensor2D; bias: Tensor1D } };
      faceFeatureExtractor: { params?: Record<string, Record<string, unknown>> };
    };
    const extractor = net.faceFeatureExtractor.params;
    if (!net.params || !extractor) throw new Error('The 68-point landmark weights are not loaded.');
    const separable = (p: unknown): Separable => {
      const s = p as FaceApiSeparable;
      return { depthwise: tf.clone(s.depthwise_filter), pointwise: tf.clone(s.pointwise_filter), bias: tf.clone(s.bias) };
    };
    const blocks = ['dense0', 'dense1', 'dense2', 'dense3'].map((name, i): DenseBlock => {
      const p = extractor[name];
      if (!p) throw new Error(`The landmark weights have no ${name} block.`);
      const conv0 = p.conv0 as { filters: Tensor4D; bias: Tensor1D };
      return {
        first: i === 0 ? { filter: tf.clone(conv0.filters), bias: tf.clone(conv0.bias) } : separable(p.conv0),
        rest: [separable(p.conv1), separable(p.conv2), separable(p.conv3)],
      };
    });
    return new Landmarks68(tf, blocks, { weights: tf.clone(net.params.fc.weights), bias: tf.clone(net.params.fc.bias) });
  }

  /** 68 landmarks (photo pixels) for each detection box in `image`, in one batch. */
  async locate(image: RgbImage, boxes: Box[]): Promise<Point[][]> {
    if (boxes.length === 0) return [];
    const regions = boxes.map((box) => regionOf(box, image.width, image.height));
    const side = INPUT_SIZE * INPUT_SIZE * 3;
    const input = new Float32Array(regions.length * side);
    regions.forEach((r, i) => prepareFace(image, r, input.subarray(i * side, (i + 1) * side)));
    const output = this.tf.tidy(() => this.forward(this.tf.tensor4d(input, [regions.length, INPUT_SIZE, INPUT_SIZE, 3])));
    let raw: Float32Array;
    try {
      raw = (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
    return regions.map((r, i) => toPhotoPoints(raw.subarray(i * 136, (i + 1) * 136), r));
  }

  dispose(): void {
    for (const block of this.blocks) {
      for (const t of Object.values(block.first)) t.dispose();
      for (const s of block.rest) for (const t of Object.values(s)) t.dispose();
    }
    this.fc.weights.dispose();
    this.fc.bias.dispose();
  }

  private forward(x: Tensor4D): Tensor2D {
    const tf = this.tf;
    let out = x;
    this.blocks.forEach((block, i) => (out = this.denseBlock(out, block, i === 0)));
    const pooled = tf.avgPool(out, [7, 7], [2, 2], 'valid');
    return tf.add(tf.matMul(tf.reshape(pooled, [x.shape[0], -1]) as Tensor2D, this.fc.weights), this.fc.bias) as Tensor2D;
  }

  /** face-api's denseBlock4: four convs, each fed the sum of the ones before it. */
  private denseBlock(x: Tensor4D, block: DenseBlock, isFirst: boolean): Tensor4D {
    const tf = this.tf;
    const out1 =
      isFirst && 'filter' in block.first
        ? tf.fused.conv2d({ x, filter: block.first.filter, strides: 2, pad: 'same', bias: block.first.bias, activation: 'relu' })
        : this.separable(x, block.first as Separable, 2, 'relu');
    const out2 = this.separable(out1, block.rest[0], 1, 'linear');
    const in3 = tf.relu(tf.add(out1, out2)) as Tensor4D;
    const out3 = this.separable(in3, block.rest[1], 1, 'linear');
    const in4 = tf.relu(tf.add(out1, tf.add(out2, out3))) as Tensor4D;
    const out4 = this.separable(in4, block.rest[2], 1, 'linear');
    return tf.relu(tf.add(out1, tf.add(out2, tf.add(out3, out4)))) as Tensor4D;
  }

  private separable(x: Tensor4D, conv: Separable, strides: 1 | 2, activation: 'relu' | 'linear'): Tensor4D {
    const depthwise = this.tf.depthwiseConv2d(x, conv.depthwise, strides, 'same');
    return this.tf.fused.conv2d({ x: depthwise, filter: conv.pointwise, strides: 1, pad: 'valid', bias: conv.bias, activation });
  }
}

/** The detection box widened to whole pixels and clipped to the photo (as models/detector.ts always did). */
function regionOf([x, y, w, h]: Box, width: number, height: number): Region {
  const x0 = Math.min(width - 1, Math.max(0, Math.floor(x))), y0 = Math.min(height - 1, Math.max(0, Math.floor(y)));
  const x1 = Math.min(width, Math.ceil(x + w)), y1 = Math.min(height, Math.ceil(y + h));
  return { x0, y0, w: Math.max(1, x1 - x0), h: Math.max(1, y1 - y0) };
}

/**
 * The region padded to a centred square with black (face-api's padToSquare: the larger half of the padding
 * after), resized to 112x112 like tfjs's resizeBilinear (alignCorners false, halfPixelCenters false), minus
 * the mean, over 255.
 */
function prepareFace(image: RgbImage, r: Region, out: Float32Array): void {
  const square = Math.max(r.w, r.h);
  const diff = Math.abs(r.w - r.h);
  const before = diff - Math.round(diff * 0.5);
  const offX = r.w < r.h ? before : 0, offY = r.h < r.w ? before : 0;
  const ratio = square / INPUT_SIZE;
  const { data, width } = image;
  // A pixel of the padded square (black outside the region).
  const at = (sx: number, sy: number, c: number): number => {
    const x = sx - offX, y = sy - offY;
    if (x < 0 || y < 0 || x >= r.w || y >= r.h) return 0;
    return data[((r.y0 + y) * width + r.x0 + x) * 3 + c];
  };
  for (let v = 0; v < INPUT_SIZE; v++) {
    const fy = ratio * v;
    const top = Math.floor(fy), bottom = Math.min(square - 1, Math.ceil(fy)), dy = fy - top;
    for (let u = 0; u < INPUT_SIZE; u++) {
      const fx = ratio * u;
      const left = Math.floor(fx), right = Math.min(square - 1, Math.ceil(fx)), dx = fx - left;
      const o = (v * INPUT_SIZE + u) * 3;
      for (let c = 0; c < 3; c++) {
        const tl = at(left, top, c), tr = at(right, top, c), bl = at(left, bottom, c), br = at(right, bottom, c);
        const upper = tl + (tr - tl) * dx;
        const lower = bl + (br - bl) * dx;
        out[o + c] = (upper + (lower - upper) * dy - MEAN_RGB[c]) / 255;
      }
    }
  }
}

/** face-api's postProcess: network output (relative to the padded 112 square) -> photo pixels. */
function toPhotoPoints(raw: Float32Array, r: Region): Point[] {
  const scale = INPUT_SIZE / Math.max(r.w, r.h);
  const w = r.w * scale, h = r.h * scale;
  const padX = w < h ? Math.abs(w - h) / 2 : 0, padY = h < w ? Math.abs(w - h) / 2 : 0;
  const points: Point[] = [];
  for (let i = 0; i < 68; i++) {
    const relX = (raw[2 * i] * INPUT_SIZE - padX) / w, relY = (raw[2 * i + 1] * INPUT_SIZE - padY) / h;
    points.push([relX * r.w + r.x0, relY * r.h + r.y0]);
  }
  return points;
}

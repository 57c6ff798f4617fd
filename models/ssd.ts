// SSD MobileNet v1 face detector: face-api's trained weights, run by Familiar's own forward pass.
//
// Why not face-api's forward pass: it pads every photo to a square before resizing it to 512x512, so a 3:2 photo
// spends a third of the network's multiply-adds on black padding; and every conv is followed by separate
// batch-norm, bias and clip kernels. Here
//   - batch norm is folded into the conv weights once, and bias + ReLU6 run inside the conv (fused kernels);
//   - the MobileNet backbone (nearly all of the work) runs only on the photo's rows (or columns) rounded up to the
//     network's stride of 32 with black; the rest of the square is filled in at stride 32 with the
//     features the backbone computes for a black image, so the coarse layers and every anchor see the square
//     layout the network was trained on;
//   - box decoding, the score threshold and non-maximum suppression run on typed arrays (face-api's NMS
//     re-reads all 5118 boxes from the tensor for every overlap test), and NMS also drops a weaker box lying
//     mostly inside a stronger one of similar size (the same face found twice).
// tests/models/ssd.test.ts checks the detections against face-api's own pass on real photos.
import type { Tf } from './backend.js';
import type { FaceApi } from './faceapi.js';
import type { Box } from './types.js';

type Tensor = ReturnType<Tf['tensor']>;
type Tensor1D = ReturnType<Tf['tensor1d']>;
type Tensor3D = ReturnType<Tf['tensor3d']>;
type Tensor4D = ReturnType<Tf['tensor4d']>;

/** The network's input side: its anchors are laid out for a 512x512 square. */
const INPUT_SIZE = 512;
/** Stride of the backbone's output (a 16x16 map for the square). */
const BACKBONE_STRIDE = 32;
/**
 * Black rows (or columns) added below (or right of) the photo before rounding up to the stride. 0: measured on
 * 293 faces of non-square photos, a 32-px margin changed no detection that matters and cost 8% more backbone work.
 */
const EDGE_MARGIN = 0;
/** face-api's constant for the depthwise layers' batch norm. */
const BATCH_NORM_EPSILON = 0.0010000000474974513;
const NMS_IOU_THRESHOLD = 0.5;
/**
 * A weaker box mostly inside a stronger one of similar size is the same face found twice (IoU misses it when
 * the two boxes differ in size: seen on small faces in group photos). MTCNN's "Min" overlap mode, at its 0.7.
 */
const NMS_INSIDE_THRESHOLD = 0.7;
/** Anchors per cell of each prediction layer, and each layer's grid side on the square. */
const LAYERS = [
  { grid: 32, anchors: 3 },
  { grid: 16, anchors: 6 },
  { grid: 8, anchors: 6 },
  { grid: 4, anchors: 6 },
  { grid: 2, anchors: 6 },
  { grid: 1, anchors: 6 },
] as const;

export interface SsdDetection {
  /** Pixels of the input image: x, y, width, height (may extend past the image by the network's regression). */
  box: Box;
  score: number;
}

interface FusedConv {
  filter: Tensor4D;
  bias: Tensor1D;
}

interface NetWeights {
  conv0: FusedConv;
  pairs: { depthwise: FusedConv; pointwise: FusedConv; stride: 1 | 2 }[];
  extra: { conv: FusedConv; stride: 1 | 2 }[];
  predictors: { box: FusedConv; cls: FusedConv }[];
  /** Anchors as [ymin, xmin, ymax, xmax] in the square's normalised coordinates, 5118 x 4. */
  anchors: Float32Array;
}

// face-api's parameter layout (src/ssdMobilenetv1/types.ts).
interface FaceApiSsdParams {
  mobilenetv1: Record<string, { filters: Tensor4D; batch_norm_offset: Tensor1D } | { depthwise_conv: DepthwiseParams; pointwise_conv: PointwiseParams }>;
  prediction_layer: Record<string, PointwiseParams | { box_encoding_predictor: ConvParams; class_predictor: ConvParams }>;
  output_layer: { extra_dim: Tensor3D };
}
interface PointwiseParams {
  filters: Tensor4D;
  batch_norm_offset: Tensor1D;
}
interface DepthwiseParams {
  filters: Tensor4D;
  batch_norm_scale: Tensor1D;
  batch_norm_offset: Tensor1D;
  batch_norm_mean: Tensor1D;
  batch_norm_variance: Tensor1D;
}
interface ConvParams {
  filters: Tensor4D;
  bias: Tensor1D;
}

export class SsdFaceDetector {
  /** Backbone outputs for an all-black square: what the padding looks like at strides 16 and 32. */
  private readonly blackFeatures: { conv11: Tensor4D; out: Tensor4D };

  private constructor(
    private readonly tf: Tf,
    private readonly net: NetWeights,
  ) {
    this.blackFeatures = tf.tidy(() => this.backbone(tf.fill([1, INPUT_SIZE, INPUT_SIZE, 3], -1) as Tensor4D));
  }

  /** Builds the detector from face-api's loaded SSD network (loadFaceApiNets(['ssdMobilenetv1']) first). */
  static fromFaceApi(faceapi: FaceApi, tf: Tf): SsdFaceDetector {
    const params = (faceapi.nets.ssdMobilenetv1 as unknown as { params?: FaceApiSsdParams }).params;
    if (!params) throw new Error('The SSD MobileNet v1 weights are not loaded.');
    return new SsdFaceDetector(tf, foldWeights(tf, params));
  }

  /** Faces in `image` ([h, w, 3], 0..255, any numeric dtype) scoring above `minConfidence`, best first. */
  async detect(image: Tensor3D, minConfidence: number, maxResults = 200): Promise<SsdDetection[]> {
    const [height, width] = image.shape;
    const scale = INPUT_SIZE / Math.max(height, width);
    const resized = { h: Math.max(1, Math.round(height * scale)), w: Math.max(1, Math.round(width * scale)) };
    // The backbone's input: the photo, then black up to a multiple of the stride (with a margin), along the short side.
    const span = (side: number) => Math.min(INPUT_SIZE, Math.ceil((side + (side < INPUT_SIZE ? EDGE_MARGIN : 0)) / BACKBONE_STRIDE) * BACKBONE_STRIDE);
    const padded = { h: span(resized.h), w: span(resized.w) };
    const outputs = this.tf.tidy(() => {
      const tf = this.tf;
      let x = tf.cast(image, 'float32').expandDims(0) as Tensor4D;
      if (resized.h !== height || resized.w !== width) x = tf.image.resizeBilinear(x, [resized.h, resized.w]);
      x = tf.sub(tf.div(x, 127.5), 1);
      if (padded.h !== resized.h || padded.w !== resized.w) {
        x = tf.pad(x, [[0, 0], [0, padded.h - resized.h], [0, padded.w - resized.w], [0, 0]], -1);
      }
      const part = this.backbone(x);
      const out = completeSquare(tf, part.out, this.blackFeatures.out);
      const heads: { box: Tensor; cls: Tensor }[] = [this.predict(0, part.conv11), this.predict(1, out)];
      let map = out;
      for (let i = 0; i < this.net.extra.length; i++) {
        map = fusedConv(tf, map, this.net.extra[i].conv, this.net.extra[i].stride, 'relu6');
        if (i % 2 === 1) heads.push(this.predict(2 + (i - 1) / 2, map));
      }
      return heads;
    });
    try {
      const data = await Promise.all(outputs.map(async (h) => ({ box: (await h.box.data()) as Float32Array, cls: (await h.cls.data()) as Float32Array })));
      return this.decode(data, part0Grid(padded), minConfidence, maxResults, INPUT_SIZE / scale);
    } finally {
      for (const h of outputs) {
        h.box.dispose();
        h.cls.dispose();
      }
    }
  }

  dispose(): void {
    for (const t of allTensors(this.net)) t.dispose();
    this.blackFeatures.conv11.dispose();
    this.blackFeatures.out.dispose();
  }

  /** MobileNet v1: conv 3x3/2, then 13 depthwise-separable pairs; conv11 (stride 16) feeds the first predictor. */
  private backbone(x: Tensor4D): { conv11: Tensor4D; out: Tensor4D } {
    const tf = this.tf;
    let out = fusedConv(tf, x, this.net.conv0, 2, 'relu6');
    let conv11: Tensor4D | undefined;
    this.net.pairs.forEach((pair, i) => {
      out = tf.fused.depthwiseConv2d({ x: out, filter: pair.depthwise.filter, strides: pair.stride, pad: 'same', bias: pair.depthwise.bias, activation: 'relu6' });
      out = fusedConv(tf, out, pair.pointwise, 1, 'relu6');
      if (i + 1 === 11) conv11 = out;
    });
    return { conv11: conv11!, out };
  }

  private predict(layer: number, map: Tensor4D): { box: Tensor; cls: Tensor } {
    const p = this.net.predictors[layer];
    return { box: fusedConv(this.tf, map, p.box, 1, 'linear'), cls: fusedConv(this.tf, map, p.cls, 1, 'linear') };
  }

  /** Decodes every layer's boxes against its anchors, keeps scores above the threshold, then NMS. */
  private decode(
    layers: { box: Float32Array; cls: Float32Array }[],
    first: { rows: number; cols: number },
    minConfidence: number,
    maxResults: number,
    squareSide: number,
  ): SsdDetection[] {
    // sigmoid(logit) > minConfidence  <=>  logit > log(p / (1 - p)): most anchors are rejected without exp().
    const minLogit = Math.log(minConfidence / (1 - minConfidence));
    const candidates: { score: number; box: [number, number, number, number] }[] = [];
    let anchorBase = 0;
    layers.forEach((layer, l) => {
      const { grid, anchors } = LAYERS[l];
      const rows = l === 0 ? first.rows : grid;
      const cols = l === 0 ? first.cols : grid;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          for (let a = 0; a < anchors; a++) {
            const local = (i * cols + j) * anchors + a;
            // Class logits per anchor: [background, face, unused]; face-api scores sigmoid(face).
            const logit = layer.cls[local * 3 + 1];
            if (!(logit > minLogit)) continue;
            const anchor = (anchorBase + (i * grid + j) * anchors + a) * 4;
            candidates.push({ score: 1 / (1 + Math.exp(-logit)), box: decodeBox(this.net.anchors, anchor, layer.box, local * 4) });
          }
        }
      }
      anchorBase += grid * grid * anchors;
    });
    candidates.sort((p, q) => q.score - p.score);
    const kept: typeof candidates = [];
    for (const c of candidates) {
      if (kept.length >= maxResults) break;
      if (kept.every((k) => !sameFace(k.box, c.box))) kept.push(c);
    }
    return kept.map(({ score, box: [ymin, xmin, ymax, xmax] }) => {
      // face-api clips to the square; boxes are then in the square's pixels = the image's (top-left aligned).
      const y0 = Math.max(0, ymin) * squareSide, x0 = Math.max(0, xmin) * squareSide;
      const y1 = Math.min(1, ymax) * squareSide, x1 = Math.min(1, xmax) * squareSide;
      return { box: [x0, y0, x1 - x0, y1 - y0] as Box, score };
    });
  }
}

/** The first prediction layer's grid (stride 16) over the backbone's input. */
function part0Grid(padded: { h: number; w: number }): { rows: number; cols: number } {
  return { rows: padded.h / 16, cols: padded.w / 16 };
}

/** A stride-32 map of part of the square, completed with the black square's features to the full 16x16. */
function completeSquare(tf: Tf, part: Tensor4D, black: Tensor4D): Tensor4D {
  const [, rows, cols] = part.shape;
  const [, side] = black.shape;
  if (rows === side && cols === side) return part;
  let map = part;
  if (cols < side) map = tf.concat([map, tf.slice(black, [0, 0, cols, 0], [-1, rows, -1, -1])], 2);
  if (rows < side) map = tf.concat([map, tf.slice(black, [0, rows, 0, 0], [-1, -1, -1, -1])], 1);
  return map;
}

function fusedConv(tf: Tf, x: Tensor4D, conv: FusedConv, strides: 1 | 2, activation: 'relu6' | 'linear'): Tensor4D {
  return tf.fused.conv2d({ x, filter: conv.filter, strides, pad: 'same', bias: conv.bias, activation });
}

/** SSD box decoding (TF object detection API, scale factors 10, 10, 5, 5), as face-api's output layer. */
function decodeBox(anchors: Float32Array, a: number, enc: Float32Array, e: number): [number, number, number, number] {
  const ah = anchors[a + 2] - anchors[a], aw = anchors[a + 3] - anchors[a + 1];
  const acy = anchors[a] + ah / 2, acx = anchors[a + 1] + aw / 2;
  const cy = (enc[e] / 10) * ah + acy, cx = (enc[e + 1] / 10) * aw + acx;
  const h = Math.exp(enc[e + 2] / 5) * ah, w = Math.exp(enc[e + 3] / 5) * aw;
  return [cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2];
}

/** Whether a weaker box `b` repeats the kept box `a` (corner boxes [ymin, xmin, ymax, xmax]). */
function sameFace(a: [number, number, number, number], b: [number, number, number, number]): boolean {
  const areaA = (a[2] - a[0]) * (a[3] - a[1]), areaB = (b[2] - b[0]) * (b[3] - b[1]);
  if (areaA <= 0 || areaB <= 0) return false;
  const ih = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const iw = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = ih * iw;
  if (inter / (areaA + areaB - inter) > NMS_IOU_THRESHOLD) return true;
  const similarSize = Math.max(areaA, areaB) <= 2 * Math.min(areaA, areaB);
  return similarSize && inter / Math.min(areaA, areaB) > NMS_INSIDE_THRESHOLD;
}

/** face-api's parameters with batch norm folded into the filters and every bias made explicit. */
function foldWeights(tf: Tf, params: FaceApiSsdParams): NetWeights {
  // Copies, so face-api's own network keeps working and disposing ours never frees its tensors.
  const own = (filter: Tensor4D, bias: Tensor1D): FusedConv => ({ filter: tf.clone(filter), bias: tf.clone(bias) });
  const pointwise = (p: PointwiseParams): FusedConv => own(p.filters, p.batch_norm_offset);
  const depthwise = (p: DepthwiseParams): FusedConv => {
    // batchNorm(y) = (y - mean) * scale / sqrt(var + eps) + offset, per channel of a [3, 3, C, 1] filter.
    const [filter, bias] = tf.tidy(() => {
      const k = tf.div(p.batch_norm_scale, tf.sqrt(tf.add(p.batch_norm_variance, BATCH_NORM_EPSILON)));
      return [tf.mul(p.filters, tf.reshape(k, [1, 1, -1, 1])), tf.sub(p.batch_norm_offset, tf.mul(p.batch_norm_mean, k))];
    }) as [Tensor4D, Tensor1D];
    return { filter, bias };
  };
  const mobilenet = params.mobilenetv1;
  const pairs = Array.from({ length: 13 }, (_, i) => {
    const pair = mobilenet[`conv_${i + 1}`] as { depthwise_conv: DepthwiseParams; pointwise_conv: PointwiseParams };
    // face-api's getStridesForLayerIdx: the depthwise convs of pairs 2, 4, 6 and 12 halve the resolution.
    const stride: 1 | 2 = [2, 4, 6, 12].includes(i + 1) ? 2 : 1;
    return { depthwise: depthwise(pair.depthwise_conv), pointwise: pointwise(pair.pointwise_conv), stride };
  });
  const prediction = params.prediction_layer;
  const extra = Array.from({ length: 8 }, (_, i) => ({ conv: pointwise(prediction[`conv_${i}`] as PointwiseParams), stride: (i % 2 === 1 ? 2 : 1) as 1 | 2 }));
  const predictors = Array.from({ length: 6 }, (_, i) => {
    const p = prediction[`box_predictor_${i}`] as { box_encoding_predictor: ConvParams; class_predictor: ConvParams };
    return { box: own(p.box_encoding_predictor.filters, p.box_encoding_predictor.bias), cls: own(p.class_predictor.filters, p.class_predictor.bias) };
  });
  const anchors = new Float32Array(params.output_layer.extra_dim.dataSync() as Float32Array);
  const expected = LAYERS.reduce((n, l) => n + l.grid * l.grid * l.anchors, 0);
  if (anchors.length !== expected * 4) throw new Error(`The SSD weights have ${anchors.length / 4} anchors; expected ${expected}.`);
  return { conv0: pointwise(mobilenet.conv_0 as PointwiseParams), pairs, extra, predictors, anchors };
}

function allTensors(net: NetWeights): Tensor[] {
  const convs = [net.conv0, ...net.pairs.flatMap((p) => [p.depthwise, p.pointwise]), ...net.extra.map((e) => e.conv), ...net.predictors.flatMap((p) => [p.box, p.cls])];
  return convs.flatMap((c) => [c.filter, c.bias]);
}

// Face detection and 68-point landmarks with face-api's networks, on an image already in a tensor.
// Boxes and landmarks come back in the pixels of that image.
import type { Tf } from './backend.js';
import type { FaceApi } from './faceapi.js';
import { SsdFaceDetector } from './ssd.js';
import type { Box, Point, RgbImage } from './types.js';

type Tensor3D = ReturnType<Tf['tensor3d']>;

export interface DetectorConfig {
  /** 'ssd' = SSD MobileNet v1 (input resized to 512x512), 'tiny' = tiny face detector (YOLO-style). */
  model: 'ssd' | 'tiny';
  /** Detections scoring below this are dropped. */
  minConfidence: number;
  /** Tiny detector input side (a multiple of 32); ignored by SSD. */
  inputSize: number;
  /**
   * Tight crops (a face filling the whole picture, e.g. 92x112 ID-style crops) defeat full-image detectors,
   * which expect context around a face. When the first pass finds nothing in an image whose longest side is at
   * most this many pixels, a second pass runs on the image with a neutral border of `cropBorder` x its size on
   * every side. 0 disables the second pass. It costs one more detector pass, only on photos where the first
   * found nothing; on the no-face photos it found nothing either (docs/models.md).
   */
  cropRetryMaxSide: number;
  cropBorder: number;
  /**
   * The padded retry also runs when every face of the first pass scores below this (the threshold before it was
   * lowered to 0.35): a doubtful find in a tight crop must not stop the pass that finds the face in it. Its finds
   * and the first pass's are merged, one detection per face.
   */
  cropRetryBelowScore: number;
  /**
   * Who runs SSD's forward pass: Familiar's (models/ssd.ts: fused kernels, the backbone only over the photo, not
   * the padding that squares it) or face-api's own (the reference, square input). Same weights.
   */
  ssdPass: 'familiar' | 'faceapi';
  /**
   * Tiles for the closer look at small faces (detectInTiles): SSD sees every image at 512x512, so in a
   * 12-megapixel group photo analysed at 1,024 px a face 110 px tall in the original is ~14 px at the detector's
   * input, and two thirds of such faces are missed. The closer look runs the detector on overlapping tiles of
   * `tileSide` px of a larger decode, each seen at 512 px.
   */
  tileSide: number;
  /** Overlap of neighbouring tiles as a share of `tileSide`: every face up to this size lies whole in some tile. */
  tileOverlap: number;
  /** Keep faces larger than the overlap too (a panorama: no whole-image pass sees them). */
  keepLargeInTiles?: boolean;
}

/**
 * Chosen by `npm run bench:detector` (docs/models.md): best recall at no false positive measured. 0.35, not 0.4: over
 * every image of ../shared/faces, about 33 of the 36 detections scoring 0.35-0.4 were real faces (a child looking
 * down, bystanders), and below 0.35 about a quarter were not.
 */
export const DEFAULT_DETECTOR: DetectorConfig = {
  model: 'ssd',
  minConfidence: 0.35,
  inputSize: 416,
  cropRetryMaxSide: 8192,
  cropBorder: 0.5,
  cropRetryBelowScore: 0.4,
  ssdPass: 'familiar',
  tileSide: 768,
  tileOverlap: 1 / 6,
};

export interface RawFace {
  box: Box;
  score: number;
  landmarks: Point[];
}

export interface Detection {
  box: Box;
  score: number;
}

/** One SSD per face-api instance (its weights folded once, on first use). */
const ssdDetectors = new WeakMap<FaceApi, SsdFaceDetector>();

function ssdFor(faceapi: FaceApi, tf: Tf): SsdFaceDetector {
  let ssd = ssdDetectors.get(faceapi);
  if (!ssd) ssdDetectors.set(faceapi, (ssd = SsdFaceDetector.fromFaceApi(faceapi, tf)));
  return ssd;
}

/** One detector pass over `image` ([h, w, 3], any numeric dtype 0..255). */
export async function locateFaces(faceapi: FaceApi, tf: Tf, image: Tensor3D, config: DetectorConfig): Promise<Detection[]> {
  const [height, width] = image.shape;
  let found: Detection[];
  if (config.model === 'ssd' && config.ssdPass === 'familiar') {
    found = await ssdFor(faceapi, tf).detect(image, config.minConfidence);
  } else {
    const raw =
      config.model === 'ssd'
        ? await faceapi.nets.ssdMobilenetv1.locateFaces(image, new faceapi.SsdMobilenetv1Options({ minConfidence: config.minConfidence, maxResults: 200 }))
        : await faceapi.nets.tinyFaceDetector.locateFaces(image, new faceapi.TinyFaceDetectorOptions({ inputSize: config.inputSize, scoreThreshold: config.minConfidence }));
    found = raw.map((d) => ({ box: [d.box.x, d.box.y, d.box.width, d.box.height] as Box, score: d.score }));
  }
  return found
    .map((d) => {
      const [x, y, w, h] = d.box;
      const x0 = Math.max(0, x), y0 = Math.max(0, y);
      const x1 = Math.min(width, x + w), y1 = Math.min(height, y + h);
      return { box: [x0, y0, x1 - x0, y1 - y0] as Box, score: d.score };
    })
    .filter((d) => d.box[2] >= 4 && d.box[3] >= 4);
}

/** All passes of `config` over `image`: boxes in image pixels, overlapping finds merged. */
export async function detectFaces(faceapi: FaceApi, tf: Tf, image: Tensor3D, config: DetectorConfig): Promise<Detection[]> {
  const [height, width] = image.shape;
  const found = await locateFaces(faceapi, tf, image, config);
  const confident = found.some((d) => d.score >= config.cropRetryBelowScore);
  if (confident || config.cropRetryMaxSide <= 0 || Math.max(width, height) > config.cropRetryMaxSide) return found;
  const bx = Math.round(width * config.cropBorder), by = Math.round(height * config.cropBorder);
  const padded = tf.pad(image, [[by, by], [bx, bx], [0, 0]], 128) as Tensor3D;
  try {
    const again = (await locateFaces(faceapi, tf, padded, config))
      .map((d) => {
        const x0 = Math.max(0, d.box[0] - bx), y0 = Math.max(0, d.box[1] - by);
        const x1 = Math.min(width, d.box[0] + d.box[2] - bx), y1 = Math.min(height, d.box[1] + d.box[3] - by);
        return { box: [x0, y0, x1 - x0, y1 - y0] as Box, score: d.score };
      })
      .filter((d) => d.box[2] >= 4 && d.box[3] >= 4);
    return found.length === 0 ? again : mergeDetections([...found, ...again]);
  } finally {
    padded.dispose();
  }
}

export interface Tile {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Overlapping tiles of `side` px covering a width x height image, the last row and column flush with its edges. */
export function tileGrid(width: number, height: number, side: number, overlap: number): Tile[] {
  const starts = (length: number) => {
    if (length <= side) return [0];
    const step = Math.max(1, side - overlap);
    const out: number[] = [];
    for (let at = 0; ; at += step) {
      out.push(Math.min(at, length - side));
      if (at + side >= length) break;
    }
    return out;
  };
  return starts(height).flatMap((y) => starts(width).map((x) => ({ x, y, width: Math.min(side, width), height: Math.min(side, height) })));
}

/**
 * The closer look: detector passes over overlapping tiles of `image`, merged. A tile keeps only faces lying whole
 * inside it (not touching an edge it shares with a neighbour) and no larger than the overlap: larger faces are
 * the whole pass's, cut ones a neighbouring tile's.
 */
export async function detectInTiles(faceapi: FaceApi, tf: Tf, image: RgbImage, config: DetectorConfig): Promise<Detection[]> {
  const { width, height } = image;
  const overlap = Math.round(config.tileSide * config.tileOverlap);
  const out: Detection[] = [];
  for (const tile of tileGrid(width, height, config.tileSide, overlap)) {
    // One tile's pixels at a time: the whole decode as an int32 tensor would be 4 bytes a channel in the wasm heap.
    const pixels = new Uint8Array(tile.width * tile.height * 3);
    for (let row = 0; row < tile.height; row++) {
      const from = ((tile.y + row) * width + tile.x) * 3;
      pixels.set(image.data.subarray(from, from + tile.width * 3), row * tile.width * 3);
    }
    const part = tf.tensor3d(pixels, [tile.height, tile.width, 3], 'int32') as Tensor3D;
    try {
      for (const d of await locateFaces(faceapi, tf, part, config)) {
        const [x, y, w, h] = d.box;
        const cut = (x <= 1 && tile.x > 0) || (y <= 1 && tile.y > 0) || (x + w >= tile.width - 1 && tile.x + tile.width < width) || (y + h >= tile.height - 1 && tile.y + tile.height < height);
        if (cut || (Math.max(w, h) > overlap && !config.keepLargeInTiles)) continue;
        out.push({ box: [x + tile.x, y + tile.y, w, h], score: d.score });
      }
    } finally {
      part.dispose();
    }
  }
  return mergeDetections(out);
}

const centreInside = (inner: Box, outer: Box) => {
  const cx = inner[0] + inner[2] / 2;
  const cy = inner[1] + inner[3] / 2;
  return cx >= outer[0] && cx <= outer[0] + outer[2] && cy >= outer[1] && cy <= outer[1] + outer[3];
};

/** Each box holds the other's centre: one face boxed tight by one pass (or app) and loose by another. */
export const centredOnEachOther = (a: Box, b: Box): boolean => centreInside(a, b) && centreInside(b, a);

/** Two boxes of one face: they overlap (IoU > 0.3), or each holds the other's centre. */
export const sameFaceBoxes = (a: Box, b: Box): boolean => iou(a, b) > 0.3 || centredOnEachOther(a, b);

/** One detection per face: best score first, dropping boxes of a face already kept. */
export function mergeDetections(detections: Detection[]): Detection[] {
  const kept: Detection[] = [];
  for (const d of [...detections].sort((a, b) => b.score - a.score)) if (!kept.some((k) => sameFaceBoxes(k.box, d.box))) kept.push(d);
  return kept;
}

/**
 * 68 landmarks (image pixels) for each box through face-api's own landmark pass: the reference that
 * models/landmarks68.ts (what the pipeline runs) is tested against.
 */
export async function locateLandmarks(faceapi: FaceApi, tf: Tf, image: Tensor3D, boxes: Box[]): Promise<Point[][]> {
  if (boxes.length === 0) return [];
  const [height, width] = image.shape;
  const regions = boxes.map(([x, y, w, h]) => {
    const x0 = Math.max(0, Math.floor(x)), y0 = Math.max(0, Math.floor(y));
    const x1 = Math.min(width, Math.ceil(x + w)), y1 = Math.min(height, Math.ceil(y + h));
    return { x0, y0, w: Math.max(1, x1 - x0), h: Math.max(1, y1 - y0) };
  });
  const crops = regions.map((r) => tf.slice(image, [r.y0, r.x0, 0], [r.h, r.w, 3]));
  try {
    const result = await faceapi.nets.faceLandmark68Net.detectLandmarks(crops);
    const list = Array.isArray(result) ? result : [result];
    return list.map((lm, i) => lm.positions.map((p): Point => [p.x + regions[i].x0, p.y + regions[i].y0]));
  } finally {
    for (const crop of crops) crop.dispose();
  }
}

/** Intersection over union of two boxes. */
export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

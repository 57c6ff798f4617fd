// FaceAnalyzer: RGB pixels in, faces out (box, 68 landmarks, L2-normalised descriptor, aligned crop).
// One analyzer per worker thread; it owns no state between calls besides the loaded networks.
import { alignFace, landmarkFitResidual, type ChipSpec } from './aligner.js';
import { FaceApiResNetBackbone, type Backbone } from './backbone.js';
import { DEFAULT_DETECTOR, detectFaces, detectInTiles, type DetectorConfig, type RawFace } from './detector.js';
import { loadFaceApiNets, type FaceApi } from './faceapi.js';
import { Landmarks68 } from './landmarks68.js';
import type { Tf } from './backend.js';
import type { BackendInfo, DetectedFace, RgbImage } from './types.js';

/**
 * Identifies everything that changes the faces and descriptors a photo gets (detector, alignment, backbone).
 * Libraries store it per photo; a different value means the photo needs analysing again.
 */
export const PIPELINE_VERSION = 'ssd0.35own-padretry-closerlook2x768-lm68-dlib33align-resnet128mirror-fadecrop-v6';

/** Side of the aligned RGB crop in DetectedFace.crop (thumbnails, autoencoder input). */
export const CROP_SIZE = 160;

/** The crop: dlib's template with a wider margin than the recognition chip, so hair and chin show. */
export const CROP_SPEC: ChipSpec = { size: CROP_SIZE, template: 'dlib68', padding: 0.55, border: 'fade' };

/**
 * A face the closer look finds (tiles, models/detector.ts) is kept when its landmarks fit a face this well
 * (aligner.ts landmarkFitResidual): on lfw_subset 99% of detected faces fit within 0.22; the non-faces tiles turned
 * up in compreface's large portraits (a basket, a blurred leaf) sat at 0.44-0.52.
 */
export const MAX_TILE_FIT_RESIDUAL = 0.3;

/** Largest image side analyze() accepts; callers downscale (sharp shrink-on-load) before analysing. */
export const MAX_ANALYSIS_SIDE = 8192;
/**
 * A panorama's closer look (AnalyzeOptions.panorama) only ever hands the detector tiles of its short side, and the
 * landmarks and descriptor crops around faces: its decode may be twice as long. A 30,000 x 800 panorama then keeps
 * its short side at 437 px, where a face 130 px tall in the file is still 70 px (QA: at 8,192 it was 35, and missed).
 */
export const MAX_PANORAMA_SIDE = 16384;

export interface FaceAnalyzerOptions {
  detector?: Partial<DetectorConfig>;
}

export interface AnalyzeOptions {
  /**
   * The closer look at small faces: `image` is a larger decode of a photo whose first analysis found small faces;
   * the detector runs on its tiles only (DetectorConfig.tileSide), and a face is kept only if its landmarks fit a
   * face (MAX_TILE_FIT_RESIDUAL). The caller merges these faces with the first analysis's.
   */
  closerLook?: boolean;
  /**
   * With closerLook, `image` is a panorama decoded so its short side holds a face (main/library/closer-look.ts): no
   * whole-image pass saw its faces, so the tiles are squares of its short side, half overlapping, and keep faces of
   * any size.
   */
  panorama?: boolean;
}

export function validateRgbImage(image: RgbImage, maxSide = MAX_ANALYSIS_SIDE): void {
  const { width, height, data } = image ?? ({} as RgbImage);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`Image dimensions must be positive integers (got ${width}x${height}).`);
  }
  if (width > maxSide || height > maxSide) {
    throw new Error(`Image is ${width}x${height}; downscale it to at most ${maxSide} pixels per side before analysis.`);
  }
  if (!(data instanceof Uint8Array) || data.length !== width * height * 3) {
    throw new Error(`Image data must be ${width}x${height}x3 = ${width * height * 3} RGB bytes (got ${data?.length ?? 'none'}).`);
  }
}

/** One landmark network per face-api instance (its weights copied once). */
const landmarkNets = new WeakMap<FaceApi, Landmarks68>();

function landmarksFor(faceapi: FaceApi, tf: Tf): Landmarks68 {
  let net = landmarkNets.get(faceapi);
  if (!net) landmarkNets.set(faceapi, (net = Landmarks68.fromFaceApi(faceapi, tf)));
  return net;
}

export class FaceAnalyzer {
  private constructor(
    private readonly faceapi: FaceApi,
    private readonly tf: Tf,
    readonly backend: BackendInfo,
    readonly detector: DetectorConfig,
    private readonly backbone: Backbone,
    private readonly landmarks: Landmarks68,
  ) {}

  static async create(options: FaceAnalyzerOptions = {}): Promise<FaceAnalyzer> {
    const detector = { ...DEFAULT_DETECTOR, ...options.detector };
    const { faceapi, tf, backend } = await loadFaceApiNets([
      detector.model === 'ssd' ? 'ssdMobilenetv1' : 'tinyFaceDetector',
      'faceLandmark68Net',
      'faceRecognitionNet',
    ]);
    return new FaceAnalyzer(faceapi, tf, backend, detector, new FaceApiResNetBackbone(faceapi, tf), landmarksFor(faceapi, tf));
  }

  async analyze(image: RgbImage, options: AnalyzeOptions = {}): Promise<DetectedFace[]> {
    const faces = options.closerLook ? await this.detectSmall(image, options.panorama === true) : await this.detect(image);
    const descriptors = await this.describe(image, faces);
    return faces.map((f, i) => ({
      box: f.box,
      score: f.score,
      landmarks: f.landmarks,
      descriptor: descriptors[i],
      analysedSide: Math.min(f.box[2], f.box[3]),
      crop: alignFace(image, f.landmarks, CROP_SPEC),
    }));
  }

  /** Detection and 68 landmarks only (benchmarks; analyze() is the whole pipeline). */
  async detect(image: RgbImage): Promise<RawFace[]> {
    validateRgbImage(image);
    const tensor = this.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    try {
      const detections = await detectFaces(this.faceapi, this.tf, tensor, this.detector);
      const landmarks = await this.landmarks.locate(image, detections.map((d) => d.box));
      return detections.map((d, i) => ({ ...d, landmarks: landmarks[i] }));
    } finally {
      tensor.dispose();
    }
  }

  /** The closer look (AnalyzeOptions.closerLook): tiles only, and only faces whose landmarks fit a face. */
  async detectSmall(image: RgbImage, panorama = false): Promise<RawFace[]> {
    validateRgbImage(image, panorama ? MAX_PANORAMA_SIDE : MAX_ANALYSIS_SIDE);
    const tiles = panorama ? { ...this.detector, tileSide: Math.min(image.width, image.height), tileOverlap: 1 / 2, keepLargeInTiles: true } : this.detector;
    const detections = await detectInTiles(this.faceapi, this.tf, image, tiles);
    const landmarks = await this.landmarks.locate(image, detections.map((d) => d.box));
    return detections.map((d, i) => ({ ...d, landmarks: landmarks[i] })).filter((f) => landmarkFitResidual(f.landmarks) <= MAX_TILE_FIT_RESIDUAL);
  }

  /** Backbone descriptors of faces already located in `image`. */
  describe(image: RgbImage, faces: Pick<RawFace, 'landmarks'>[]): Promise<Float32Array[]> {
    return this.backbone.embed(faces.map((f) => alignFace(image, f.landmarks, this.backbone.chip)));
  }

  /**
   * Runs every stage once on a blank image, so the first photo does not pay for one-time work (folding the
   * networks' weights, compiling and caching kernels): a pool is ready when its analyzers are warm.
   */
  async warmUp(): Promise<void> {
    const blank: RgbImage = { data: new Uint8Array(320 * 240 * 3).fill(128), width: 320, height: 240 };
    await this.detect(blank);
    const [landmarks] = await this.landmarks.locate(blank, [[100, 60, 120, 120]]);
    await this.describe(blank, [{ landmarks }]);
  }

  /** Number of tensors alive on the backend (leak checks in tests). */
  get liveTensors(): number {
    return this.tf.memory().numTensors;
  }

  dispose(): void {
    // The networks are process-wide (shared by every analyzer in this thread) and freed with the thread.
  }
}

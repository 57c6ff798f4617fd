// Shared shapes of the ML layer. models/ never imports electron or the store.

/** Raw RGB pixels, row-major, 3 bytes per pixel, no alpha. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export type Point = [x: number, y: number];

/** [x, y, width, height] in pixels of the image that was analysed. */
export type Box = [x: number, y: number, w: number, h: number];

export interface DetectedFace {
  box: Box;
  /** Detector confidence, 0..1. */
  score: number;
  /** The 68 landmarks (iBUG order) in image pixels. */
  landmarks: Point[];
  /** Raw backbone descriptor, L2-normalized (the "backbone vector" the embedder head consumes). */
  descriptor: Float32Array;
  /**
   * Shorter side of the box in the pixels of the image the descriptor was computed from (`box` may be rescaled
   * later, e.g. by the closer look): what the recognition net had to work with (models/face-quality.ts).
   */
  analysedSide: number;
  /** Aligned face crop (canonical eye/mouth positions), RGB, CROP_SIZE x CROP_SIZE: thumbnails and the autoencoder. */
  crop: RgbImage;
  /**
   * The detector found no face in the box the user drew (AnalyzeOptions.drawnBox): the face is that box, on the user's
   * word, aligned by the landmarks located in it, or by the box alone where they do not describe a face.
   */
  undetected?: true;
}

export interface BackendInfo {
  name: 'tensorflow' | 'wasm' | 'cpu';
  /** Why this backend was chosen (and why the better ones were not). */
  reason: string;
  simd: boolean;
  threads: number;
  /**
   * tfjs-node is installed but this thread may not use it (a worker thread: models/backend.ts), and where it serves
   * instead: 'analysis' when face analysis started here runs on it in processes of its own (`familiar serve`),
   * 'terminal' when only the CLI's does (the desktop app, whose binary cannot start those processes). Taken back
   * once analysis found the library does not load (withAnalysisBackend).
   */
  nativeElsewhere?: 'analysis' | 'terminal';
}

// Messages between the autoencoder training job (main thread) and its worker (autoencoder-worker.ts).
// Crops travel by structured clone; the cancel flag is a shared Int32 the worker polls between batches.
import type { AutoencoderConfig } from '../../models/autoencoder/model.js';
import type { FacenessCalibration } from '../../models/autoencoder/faceness.js';
import type { EpochFigures, TrainOptions, TrainState, ValidationComparison, ValidationFigures } from '../../models/autoencoder/train.js';
import type { BackendInfo, RgbImage } from '../../models/types.js';

export interface TrainAutoencoderTask {
  /** Library folder: the worker writes the per-epoch checkpoint there itself (no big transfers per epoch). */
  libraryDir: string;
  faceIds: string[];
  /** [count, size, size, 3] floats in [0, 1], one crop per face id. */
  images: Float32Array;
  config: AutoencoderConfig;
  options: TrainOptions;
  resume: TrainState | null;
  cancelFlag: SharedArrayBuffer;
  /** The version in use, measured on the same held-out crops once training ends (null: none yet). */
  incumbent: string | null;
}

export type AutoencoderWorkerMessage =
  | { type: 'backend'; backend: BackendInfo }
  /** Set up (backend, model, held-out crops) and taking its first step. */
  | { type: 'started' }
  | { type: 'batch'; epoch: number; done: number; total: number; loss: number }
  | { type: 'epoch'; figures: EpochFigures; epochs: number; samples: RgbImage }
  | { type: 'checkpoint'; epoch: number }
  | {
      type: 'trained';
      weights: Float32Array[];
      history: EpochFigures[];
      validationFaces: number;
      faceness: FacenessCalibration;
      /** Faceness error of every face crop, in faceIds order (for FaceRecord.faceness). */
      errors: Float32Array;
      /** The version in use and the new model measured together on the same held-out crops; null when there is none. */
      incumbent: { version: string; figures: ValidationFigures; comparison: ValidationComparison } | { version: string; problem: string } | null;
    }
  | { type: 'cancelled' }
  | { type: 'error'; message: string };

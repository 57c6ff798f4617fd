// The "train autoencoder" job: decode every face thumbnail of the library, train the denoising autoencoder in a
// worker thread (progress per batch and epoch, sample reconstructions as PNG, a checkpoint after every epoch so a
// restarted run resumes, cancellable), store the result as a new version and score every face's faceness.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_AUTOENCODER_CONFIG, type AutoencoderConfig } from '../../models/autoencoder/model.js';
import { FACENESS_REVIEW_THRESHOLD, facenessScore, type FacenessCalibration } from '../../models/autoencoder/faceness.js';
import { DEFAULT_TRAIN_OPTIONS, type EpochFigures, type TrainOptions } from '../../models/autoencoder/train.js';
import { ProgressTracker, type ProgressListener } from '../jobs/progress.js';
import type { Library } from '../store/library.js';
import { loadCropSet, writePng } from './crops.js';
import { runAutoencoderWorker, TRAIN_AUTOENCODER_JOB } from './worker-client.js';
import { AUTOENCODER_DIR, clearCheckpoint, readCheckpoint, saveAutoencoderVersion } from './versions.js';

/** Fewer faces than this cannot teach a face model anything useful. */
export const MIN_TRAINING_FACES = 16;

/** Share of a thumbnail's side kept around its centre: library thumbs are already tight aligned face crops. */
export const THUMB_CENTRE_FRACTION = 1;

export interface TrainAutoencoderOptions {
  epochs?: number;
  variational?: boolean;
  seed?: number;
  batchSize?: number;
  learningRate?: number;
  /** Continue the checkpointed run when it was started with the same settings and faces (default true). */
  resume?: boolean;
  /** Architecture overrides (smaller models for tests and slow machines); the defaults suit a laptop. */
  architecture?: Partial<Omit<AutoencoderConfig, 'variational'>>;
}

export interface TrainAutoencoderHooks {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** After each epoch, with the library-relative path of its sample PNG (clean / damaged / reconstructed rows). */
  onEpoch?: (figures: EpochFigures & { epochs: number; samples: string }) => void;
}

export interface TrainAutoencoderResult {
  version: string;
  variational: boolean;
  /** Epochs done by an earlier, interrupted run that this one continued (0 = fresh start). */
  resumedFromEpoch: number;
  history: EpochFigures[];
  faces: number;
  validationFaces: number;
  /** Thumbnails that could not be decoded (left out of training, faceness unchanged). */
  skippedThumbnails: number;
  faceness: FacenessCalibration & { reviewFaces: number; threshold: number };
  backend: string;
  seconds: number;
}

function sameRun(a: TrainOptions, b: TrainOptions, aConfig: AutoencoderConfig, bConfig: AutoencoderConfig): boolean {
  const strip = (o: TrainOptions) => JSON.stringify({ ...o, epochs: 0 });
  return strip(a) === strip(b) && JSON.stringify(aConfig) === JSON.stringify(bConfig);
}

export async function trainAutoencoderJob(
  library: Library,
  options: TrainAutoencoderOptions = {},
  hooks: TrainAutoencoderHooks = {},
): Promise<TrainAutoencoderResult> {
  const started = performance.now();
  const config: AutoencoderConfig = { ...DEFAULT_AUTOENCODER_CONFIG, ...options.architecture, variational: options.variational ?? false };
  const trainOptions: TrainOptions = {
    ...DEFAULT_TRAIN_OPTIONS,
    ...(options.epochs !== undefined && { epochs: options.epochs }),
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
    ...(options.learningRate !== undefined && { learningRate: options.learningRate }),
  };
  const tracker = new ProgressTracker(TRAIN_AUTOENCODER_JOB, hooks.onProgress);

  const candidates = library.faces.filter((f) => f.thumb && existsSync(join(library.dir, f.thumb)));
  tracker.report('load', 0, candidates.length, { message: `Reading ${candidates.length} face thumbnails` });
  const skipped: string[] = [];
  const { set, files } = await loadCropSet(
    candidates.map((f) => join(library.dir, f.thumb)),
    config.imageSize,
    // Shared memory: the worker reads the crops in place instead of receiving a copy (64x64 RGB floats are 48 KiB
    // a face, so a 10,000-face album would otherwise hold half a gigabyte twice).
    { centreFraction: THUMB_CENTRE_FRACTION, shared: true },
    (file) => skipped.push(file),
  );
  const byFile = new Map(candidates.map((f) => [join(library.dir, f.thumb), f.id]));
  const faceIds = files.map((file) => byFile.get(file)!);
  if (set.count < MIN_TRAINING_FACES) {
    throw new Error(
      `The autoencoder needs at least ${MIN_TRAINING_FACES} face thumbnails to learn from; this library has ${set.count}. Import more photos first.`,
    );
  }

  let resume = null;
  let resumedFromEpoch = 0;
  if (options.resume !== false) {
    const checkpoint = await readCheckpoint(library.dir);
    if (
      checkpoint &&
      checkpoint.info.epoch < trainOptions.epochs &&
      sameRun(checkpoint.info.options, trainOptions, checkpoint.info.config, config) &&
      JSON.stringify(checkpoint.info.faceIds) === JSON.stringify(faceIds)
    ) {
      resume = checkpoint.state;
      resumedFromEpoch = checkpoint.info.epoch;
    }
  }
  tracker.resetWindow();
  tracker.report('train', resumedFromEpoch, trainOptions.epochs, {
    message: resume ? `Resuming at epoch ${resumedFromEpoch + 1} of ${trainOptions.epochs}` : `Training on ${set.count} faces`,
  });

  let backend = 'unknown';
  let epochsDone = resumedFromEpoch;
  const pendingWrites: Promise<void>[] = [];
  const trained = await runAutoencoderWorker(
    { libraryDir: library.dir, faceIds, images: set.images, config, options: trainOptions, resume, cancelFlag: new SharedArrayBuffer(4) },
    {
      signal: hooks.signal,
      onMessage: (message) => {
        if (message.type === 'backend') backend = message.backend.name;
        else if (message.type === 'batch') {
          tracker.report('train', epochsDone + message.done / message.total, trainOptions.epochs, {
            message: `Epoch ${epochsDone + 1} of ${trainOptions.epochs}, batch ${message.done}/${message.total}`,
            detail: { epoch: epochsDone + 1, batch: message.done, batches: message.total, loss: message.loss },
          });
        } else if (message.type === 'epoch') {
          epochsDone = message.figures.epoch;
          const relative = join(AUTOENCODER_DIR, 'checkpoint', `samples-epoch-${message.figures.epoch}.png`);
          const write = writePng(message.samples, join(library.dir, relative)).then(() => {
            hooks.onEpoch?.({ ...message.figures, epochs: message.epochs, samples: relative });
            tracker.report('train', epochsDone, trainOptions.epochs, {
              message: `Epoch ${epochsDone} of ${trainOptions.epochs}: validation PSNR ${message.figures.validationPsnr.toFixed(2)} dB`,
              detail: { ...message.figures, samples: relative },
            });
          });
          pendingWrites.push(write.catch(() => undefined));
        }
      },
    },
  );
  await Promise.all(pendingWrites);

  const version = await saveAutoencoderVersion(library.dir, config, trained.weights, {
    trainedOn: { faces: set.count, validationFaces: trained.validationFaces },
    options: trainOptions,
    history: trained.history,
    backend,
    faceness: trained.faceness,
  });
  const scores = new Map(faceIds.map((id, i) => [id, facenessScore(trained.errors[i], trained.faceness)]));
  let reviewFaces = 0;
  await library.transaction((tx) => {
    for (const face of tx.faces) {
      const score = scores.get(face.id);
      if (score === undefined) continue;
      face.faceness = score;
      if (score < FACENESS_REVIEW_THRESHOLD) reviewFaces++;
    }
  });
  await clearCheckpoint(library.dir);
  tracker.report('done', trainOptions.epochs, trainOptions.epochs, { message: `Saved autoencoder ${version.version}` });
  return {
    version: version.version,
    variational: config.variational,
    resumedFromEpoch,
    history: trained.history,
    faces: set.count,
    validationFaces: trained.validationFaces,
    skippedThumbnails: skipped.length,
    faceness: { ...trained.faceness, reviewFaces, threshold: FACENESS_REVIEW_THRESHOLD },
    backend,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Faces whose faceness is below the review threshold, least face-like first: the "is this a face?" review list. */
export function facesForReview(library: Pick<Library, 'faces'>, threshold = FACENESS_REVIEW_THRESHOLD) {
  return library.faces
    .filter((f) => f.faceness !== null && f.faceness < threshold)
    .sort((a, b) => (a.faceness ?? 0) - (b.faceness ?? 0));
}

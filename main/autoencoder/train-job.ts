// The "train autoencoder" job: decode a sample of the library's face thumbnails spread over everyone, train the
// denoising autoencoder on it in a worker thread (progress per batch and epoch, sample reconstructions as PNG, a
// checkpoint after every epoch so a restarted run resumes, cancellable), store the result as a new version, and put
// it in use only if it beats the version in use on the run's set-aside faces; then score every face's faceness with
// it (the sample's from training, the rest streamed by the faceness job).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_AUTOENCODER_CONFIG, type AutoencoderConfig } from '../../models/autoencoder/model.js';
import { FACENESS_REVIEW_THRESHOLD, facenessScore, type FacenessCalibration } from '../../models/autoencoder/faceness.js';
import { DEFAULT_TRAIN_OPTIONS, DRAWINGS_ALIKE_BELOW, facesDrawnPerPass, UNTIL_DRAWN, untilDrawnPlan, type EpochFigures, type TrainOptions, type ValidationComparison, type ValidationFigures } from '../../models/autoencoder/train.js';
import { JobCancelledError, ProgressTracker, type ProgressListener } from '../jobs/progress.js';
import type { Library } from '../store/library.js';
import { loadCropSet, THUMB_CENTRE_FRACTION, writePng } from './crops.js';
import { runAutoencoderWorker, TRAIN_AUTOENCODER_JOB } from './worker-client.js';
import { AUTOENCODER_DIR, AUTOENCODER_SETTING, autoencoderInUse, clearCheckpoint, listAutoencoderVersions, readCheckpoint, saveAutoencoderVersion, type AutoencoderVersion, type CheckpointInfo } from './versions.js';
import { facesLeftUnchecked, scoreFaceness, UNCHECKED_SETTING } from './faceness-job.js';
import { stableHash } from '../../models/embedder/random.js';
import type { FaceRecord } from '../store/types.js';
import { isForReview } from '../people/library.js';
import { plural, TRAINING_MINIMUMS } from '../../preload/contract.js';

/** Under the autoencoder folder: each epoch's sample reconstructions of the latest run (clean / damaged / restored). */
export const SAMPLES_DIR = 'samples';

/** Fewer faces than this cannot teach a face model anything useful. */
export const MIN_TRAINING_FACES = TRAINING_MINIMUMS.studioFaces;

/**
 * Training learns from at most this many faces. Every crop is held in memory (48 KiB a face at 64 px) and every
 * epoch visits each one, so a 100,000-face album would need 5 GB and a day; a few thousand faces of everyone
 * teach the same model. On this project's 2-core test machine (wasm) an epoch of 2,500 faces takes ~3 minutes.
 */
export const MAX_TRAINING_FACES = 2500;

export interface TrainAutoencoderOptions {
  epochs?: number;
  variational?: boolean;
  seed?: number;
  batchSize?: number;
  learningRate?: number;
  /** Continue the checkpointed run when it was started with the same settings and faces (default true). */
  resume?: boolean;
  /** At most this many faces to learn from (default MAX_TRAINING_FACES); every face is scored either way. */
  maxFaces?: number;
  /** More passes while too few faces were drawn or the drawings are much alike (default UNTIL_DRAWN); null: exactly `epochs`. */
  untilDrawn?: TrainOptions['untilDrawn'] | null;
  /** Architecture overrides (smaller models for tests and slow machines); the defaults suit a laptop. */
  architecture?: Partial<Omit<AutoencoderConfig, 'variational'>>;
  /** Train even when a version was trained on the same faces with the same settings (else the job says so at once). */
  anyway?: boolean;
}

/**
 * Nothing trained: a version was already trained on the same face thumbnails with the same settings, and training is
 * deterministic, so the same model would come out (QA: 10 minutes for a v2 whose every figure was v1's).
 */
export interface StudioNothingNew {
  /** The version trained on them ("v2"). */
  since: string;
  /** Whether it is the version in use. */
  inUse: boolean;
  trainedAt: string;
  faces: number;
}

export interface TrainAutoencoderHooks {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** After each epoch, with the library-relative path of its sample PNG (clean / damaged / reconstructed rows). */
  onEpoch?: (figures: EpochFigures & { epochs: number; samples: string }) => void;
}

export interface TrainAutoencoderResult {
  version: string;
  /** Whether the new version replaced the one in use (it must draw the held-out faces better; the first always does). */
  adopted: boolean;
  /**
   * The version in use when training started and the new one, measured together on the same held-out faces
   * (figures: the old one's; comparison: both), or why the old one could not be measured.
   */
  incumbent: { version: string; figures: ValidationFigures; comparison: ValidationComparison } | { version: string; problem: string } | null;
  variational: boolean;
  /** Whether the new version draws the held-out faces much alike (grey blobs: drawsMuchAlike). */
  drawsMuchAlike: boolean;
  /** Epochs done by an earlier, interrupted run that this one continued (0 = fresh start). */
  resumedFromEpoch: number;
  /** Epochs of a stopped run with other settings that this one could not continue and replaced (0: none). */
  replacedStoppedRun: number;
  history: EpochFigures[];
  /** Faces learnt from (the training sample, validation included). */
  faces: number;
  validationFaces: number;
  /** Faces scored for faceness: the sample and every other face with a thumbnail. */
  scoredFaces: number;
  /**
   * Faces the check by the version just put in use did not reach: a stop that came once it was trained (the worker
   * finishes its last pass first) ends that check, not the training. They keep their earlier check until Familiar
   * checks every face (faceness-job.ts UNCHECKED_SETTING: the app's next open, or a training with nothing new).
   */
  uncheckedFaces: number;
  /** Faces a job had placed that now look unlike a face, taken out of their person or group. */
  releasedFaces: number;
  /** Thumbnails that could not be decoded (left out of training, faceness unchanged). */
  skippedThumbnails: number;
  faceness: FacenessCalibration & { reviewFaces: number; threshold: number };
  backend: string;
  seconds: number;
  /** Set when nothing was trained, as a version learnt from the same faces with the same settings (then version is it). */
  nothingNew: StudioNothingNew | null;
}

/** Why nothing was trained, in one sentence for the CLI and the job's result (the Training screen says it in its own). */
export function studioNothingNewSentence(nothing: StudioNothingNew): string {
  const where = nothing.inUse ? 'it is the version in use' : `it is not in use: the Training screen's Versions can put it in use`;
  return (
    `Nothing new to learn from since ${nothing.since} was trained: the same ${plural(nothing.faces, 'face')} with the same settings, so training again ` +
    `would give the same model (${where}). Import more photos first.`
  );
}

/** What a training that was stopped once its version was in use left unchecked (TrainAutoencoderResult.uncheckedFaces). */
export function uncheckedSentence(unchecked: number): string {
  if (unchecked === 0) return '';
  return (
    `You stopped it as it checked the other faces: ${plural(unchecked, 'face')} ${unchecked === 1 ? 'keeps its' : 'keep their'} earlier check ` +
    'until Familiar checks them, the next time it opens or you train the face studio again.'
  );
}

/** A run with nothing new to learn that checked the faces a stopped training had left unchecked, said so; else ''. */
export function leftUncheckedDone(result: Pick<TrainAutoencoderResult, 'nothingNew' | 'scoredFaces'>): string {
  return result.nothingNew && result.scoredFaces > 0 ? `Checked all ${plural(result.scoredFaces, 'face')} again: a stopped training had left some unchecked.` : '';
}

/**
 * What a run learns from, as one digest: each face's id and thumbnail (path, size and time written: a face analysed
 * again gets a new one), the architecture and every training setting. The same digest trains the same model.
 */
export async function studioTrainingDigest(
  libraryDir: string,
  faces: Array<Pick<FaceRecord, 'id' | 'thumb'>>,
  config: AutoencoderConfig,
  options: TrainOptions,
): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ config, options }));
  const files = await Promise.all(faces.map((f) => stat(join(libraryDir, f.thumb)).then((s) => `${s.size}:${Math.round(s.mtimeMs)}`, () => 'missing')));
  faces.forEach((f, i) => hash.update(`\n${f.id}\t${f.thumb}\t${files[i]}`));
  return hash.digest('hex');
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
    // More passes while too few faces were drawn or the drawings are much alike (UNTIL_DRAWN), unless turned off.
    ...(options.untilDrawn !== null && { untilDrawn: options.untilDrawn ?? UNTIL_DRAWN }),
  };
  const tracker = new ProgressTracker(TRAIN_AUTOENCODER_JOB, hooks.onProgress);

  // Not the boxes kept as the user drew them where the detector found no face (FaceRecord.undetected): aligned by the
  // box alone they are not the aligned faces the model learns to draw, and some hold no face at all. Nor the boxes
  // the user said hold no face (FaceRecord.notAFace).
  const withThumbs = library.faces.filter((f) => !f.undetected && !f.notAFace && f.thumb && existsSync(join(library.dir, f.thumb)));
  const candidates = trainingSample(withThumbs, options.maxFaces ?? MAX_TRAINING_FACES);
  const digest = await studioTrainingDigest(library.dir, candidates, config, trainOptions);
  if (!options.anyway) {
    // The digest holds the settings, not the plan of passes, which a release may change (small libraries got the
    // cap's 40 passes after QA's 12-pass model of grey faces): a version is the same run only if this plan, given
    // the version's own passes, would make no more.
    const perPass = facesDrawnPerPass(candidates.length, trainOptions, candidates.map((f) => f.id));
    const samePlan = (v: AutoencoderVersion) => {
      const made = v.history.at(-1)?.epoch ?? 0;
      return made > 0 && untilDrawnPlan(trainOptions, v.history, perPass) <= made;
    };
    const same = (await listAutoencoderVersions(library.dir))
      .filter((v) => v.trainedOn.digest === digest && samePlan(v))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .at(-1);
    if (same) {
      const inUse = (await autoencoderInUse(library)) === same.version;
      // Its training was stopped as it checked the faces outside its sample: that check is what is left to do.
      const checked = inUse && (await facesLeftUnchecked(library)) ? await scoreFaceness(library, {}, { signal: hooks.signal, onProgress: hooks.onProgress }) : null;
      tracker.report('done', 0, 0, { message: `Nothing new to learn from since ${same.version} was trained` });
      return {
        version: same.version,
        adopted: false,
        incumbent: null,
        variational: config.variational,
        drawsMuchAlike: drawsMuchAlike(same.history.at(-1)),
        resumedFromEpoch: 0,
        replacedStoppedRun: 0,
        // No pass made: the run's history is empty (that version's is in its record).
        history: [],
        faces: same.trainedOn.faces,
        validationFaces: same.trainedOn.validationFaces,
        scoredFaces: checked?.scored ?? 0,
        uncheckedFaces: 0,
        releasedFaces: checked?.released ?? 0,
        skippedThumbnails: checked?.skipped ?? 0,
        // Versions with a digest were calibrated when trained; the fallback only satisfies the manifest's older form.
        faceness: { ...(same.faceness ?? { logErrorMean: 0, logErrorStd: 0, faces: 0 }), reviewFaces: library.faces.filter(isForReview).length, threshold: FACENESS_REVIEW_THRESHOLD },
        backend: 'none',
        seconds: (performance.now() - started) / 1000,
        nothingNew: { since: same.version, inUse, trainedAt: same.createdAt, faces: same.trainedOn.faces },
      };
    }
  }
  tracker.report('load', 0, candidates.length, { message: `Reading ${plural(candidates.length, 'face thumbnail')}` });
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
      `The face studio needs at least ${MIN_TRAINING_FACES} faces to learn from; this library has ${set.count === 0 ? 'none' : set.count}. Import more photos first.`,
    );
  }

  let resume = null;
  let resumedFromEpoch = 0;
  let replacedStoppedRun = 0;
  const samplesDir = join(library.dir, AUTOENCODER_DIR, SAMPLES_DIR);
  const checkpoint = options.resume !== false ? await readCheckpoint(library.dir) : null;
  if (options.resume !== false) {
    if (
      checkpoint &&
      checkpoint.info.epoch < untilDrawnPlan(trainOptions, checkpoint.info.history, facesDrawnPerPass(set.count, trainOptions, faceIds)) &&
      sameRun(checkpoint.info.options, trainOptions, checkpoint.info.config, config) &&
      JSON.stringify(checkpoint.info.faceIds) === JSON.stringify(faceIds)
    ) {
      resume = checkpoint.state;
      resumedFromEpoch = checkpoint.info.epoch;
    } else if (checkpoint) {
      // Said, not silent (QA): a stopped run with other settings (or faces) cannot be continued by this one.
      replacedStoppedRun = checkpoint.info.epoch;
    }
  }
  // The passes planned: those asked for, or those that draw enough faces to draw them apart (known from the start),
  // and more once a pass's drawings are still much alike (TrainOptions.untilDrawn).
  const drawnPerPass = facesDrawnPerPass(set.count, trainOptions, faceIds);
  let planned = untilDrawnPlan(trainOptions, resume?.history ?? [], drawnPerPass);
  // A fresh run's pictures replace the last run's; a resumed run adds to them.
  if (!resume) await rm(samplesDir, { recursive: true, force: true });
  tracker.resetWindow();
  // A resumed run's chart starts at epoch 1: the epochs the stopped run finished are reported again first (QA).
  for (const figures of resume?.history ?? []) {
    tracker.report('train', figures.epoch, planned, { message: `Epoch ${figures.epoch} of ${planned} (before the stop)`, detail: { ...figures } });
  }
  const more = planned > trainOptions.epochs && !resume ? `: ${planned} passes, as a library this size needs ${planned} to draw enough faces to draw them apart` : '';
  const startMessage = resume
    ? `Resuming at epoch ${resumedFromEpoch + 1} of ${planned}`
    : `Training on ${set.count} faces${more}${replacedStoppedRun ? ` (a stopped run of other settings, at epoch ${replacedStoppedRun}, is not continued: this one starts afresh)` : ''}`;

  const incumbentVersion = await autoencoderInUse(library);
  let backend = 'unknown';
  let epochsDone = resumedFromEpoch;
  // Until this run has timed a step of its own, the time left is the last run's pace on this computer (QA: "Working
  // out how long…" for the ~30 s its first step took on a busy machine).
  const pastPace = await pastSecondsPerPass(library.dir, config, checkpoint?.info ?? null, drawnPerPass);
  const startClock = () => {
    tracker.resetWindow();
    if (pastPace !== null) tracker.assumePace(pastPace);
    tracker.report('train', epochsDone, planned, { message: startMessage });
  };
  startClock();
  const pendingWrites: Promise<void>[] = [];
  // The loss charted per batch: the mean of the last quarter pass's batches, as one batch's loss swings with its damage.
  const recentLosses: number[] = [];
  const trained = await runAutoencoderWorker(
    { libraryDir: library.dir, faceIds, images: set.images, config, options: trainOptions, resume, cancelFlag: new SharedArrayBuffer(4), incumbent: incumbentVersion },
    {
      signal: hooks.signal,
      onMessage: (message) => {
        if (message.type === 'backend') backend = message.backend.name;
        // The worker's start (loading the backend and the crops) is not a pass's work: the pace is timed from here.
        else if (message.type === 'started') startClock();
        else if (message.type === 'batch') {
          recentLosses.push(message.loss);
          recentLosses.splice(0, recentLosses.length - Math.ceil(message.total / 4));
          tracker.report('train', epochsDone + message.done / message.total, planned, {
            message: `Epoch ${epochsDone + 1} of ${planned}, batch ${message.done}/${message.total}`,
            detail: {
              epoch: epochsDone + 1,
              batch: message.done,
              batches: message.total,
              loss: message.loss,
              recentLoss: recentLosses.reduce((sum, loss) => sum + loss, 0) / recentLosses.length,
            },
          });
        } else if (message.type === 'epoch') {
          epochsDone = message.figures.epoch;
          const epoch = message.figures.epoch;
          const extended = message.epochs > planned;
          planned = message.epochs;
          // Outside the checkpoint, which goes once the version is saved: the paths printed stay valid.
          const relative = join(AUTOENCODER_DIR, SAMPLES_DIR, `epoch-${epoch}.png`);
          // Every epoch is reported, its picture or not (the first epoch's used to be lost with a folder not made yet).
          const write = writePng(message.samples, join(library.dir, relative)).then(
            () => relative,
            () => '',
          );
          pendingWrites.push(
            write.then((samples) => {
              hooks.onEpoch?.({ ...message.figures, epochs: message.epochs, samples });
              tracker.report('train', epoch, planned, {
                message:
                  `Epoch ${epoch} of ${planned}: validation PSNR ${message.figures.validationPsnr.toFixed(2)} dB` +
                  (extended ? '; its drawings are still much alike, so it makes another pass' : ''),
                detail: { ...message.figures, ...(samples && { samples }) },
              });
            }),
          );
        }
      },
    },
  );
  await Promise.all(pendingWrites);

  const version = await saveAutoencoderVersion(library.dir, config, trained.weights, {
    trainedOn: { faces: set.count, validationFaces: trained.validationFaces, digest },
    options: trainOptions,
    history: trained.history,
    backend,
    faceness: trained.faceness,
    heldOut: 'by-face',
    ...(trained.incumbent && 'comparison' in trained.incumbent && { comparison: { version: trained.incumbent.version, ...trained.incumbent.comparison } }),
  });
  const adopted = beatsIncumbent(trained.incumbent);
  const common = {
    version: version.version,
    adopted,
    replacedStoppedRun,
    incumbent: trained.incumbent,
    variational: config.variational,
    drawsMuchAlike: drawsMuchAlike(trained.incumbent && 'comparison' in trained.incumbent ? trained.incumbent.comparison.candidate : trained.history.at(-1)),
    resumedFromEpoch,
    history: trained.history,
    faces: set.count,
    validationFaces: trained.validationFaces,
    backend,
    nothingNew: null,
  };
  if (!adopted) {
    // Kept for the user to choose in Versions, never put in use on its own: a weaker model would blur the studio
    // and misjudge which detections are faces.
    await clearCheckpoint(library.dir);
    tracker.report('done', planned, planned, { message: `Saved autoencoder ${version.version}; kept ${incumbentVersion} in use` });
    const inUse = library.faces.filter(isForReview).length;
    return {
      ...common,
      scoredFaces: 0,
      uncheckedFaces: 0,
      releasedFaces: 0,
      skippedThumbnails: skipped.length,
      faceness: { ...trained.faceness, reviewFaces: inUse, threshold: FACENESS_REVIEW_THRESHOLD },
      seconds: (performance.now() - started) / 1000,
    };
  }
  const scores = new Map(faceIds.map((id, i) => [id, facenessScore(trained.errors[i], trained.faceness)]));
  const doubtedBefore = new Set(library.faces.filter(isForReview).map((f) => f.id));
  await library.transaction((tx) => {
    // The version just trained is the one in use from now on, for the studio, the CLI and new imports alike.
    tx.settings[AUTOENCODER_SETTING] = version.version;
    delete tx.settings[UNCHECKED_SETTING];
    for (const face of tx.faces) {
      const score = scores.get(face.id);
      if (score === undefined) continue;
      face.faceness = score;
    }
  });
  await clearCheckpoint(library.dir);
  // Faces outside the sample are scored by the version just saved. The version is trained, saved and in use: a stop
  // from here on (or one that came during the last pass, which the worker finishes) ends this check only, and the
  // result says so. It used to end the job "cancelled", promising a resume of a run already cleared (a code review).
  const rest = library.faces.filter((f) => !scores.has(f.id));
  const earlierCheck = new Map(rest.map((f) => [f.id, f.faceness]));
  let others: { scored: number; released: number; skipped: number };
  let uncheckedFaces = 0;
  try {
    others = await scoreFaceness(library, { faceIds: [...earlierCheck.keys()], version: version.version, doubtedBefore }, { signal: hooks.signal, onProgress: hooks.onProgress });
  } catch (err) {
    if (!(err instanceof JobCancelledError)) throw err;
    const unchecked = library.faces.filter((f) => earlierCheck.has(f.id) && f.faceness === earlierCheck.get(f.id));
    uncheckedFaces = unchecked.length;
    others = { scored: earlierCheck.size - uncheckedFaces, released: 0, skipped: 0 };
    if (uncheckedFaces > 0) {
      await library.transaction((tx) => {
        tx.settings[UNCHECKED_SETTING] = version.version;
      });
    }
  }
  const reviewFaces = facesForReview(library).length;
  tracker.report('done', planned, planned, { message: `Saved autoencoder ${version.version}` });
  return {
    ...common,
    scoredFaces: scores.size + others.scored,
    uncheckedFaces,
    releasedFaces: others.released,
    skippedThumbnails: skipped.length + others.skipped,
    faceness: { ...trained.faceness, reviewFaces, threshold: FACENESS_REVIEW_THRESHOLD },
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Seconds a pass over `facesPerPass` faces took in the library's latest run of this architecture (a stopped run's
 * checkpoint, else the newest version), from the pace of its steps (EpochFigures.msPerStep); null without one.
 */
async function pastSecondsPerPass(libraryDir: string, config: AutoencoderConfig, stopped: CheckpointInfo | null, facesPerPass: number): Promise<number | null> {
  const newest = (await listAutoencoderVersions(libraryDir)).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1);
  const run = stopped?.history.length ? stopped : newest;
  const last = run?.history.at(-1);
  if (!run || !last || !(last.msPerStep > 0) || JSON.stringify(run.config) !== JSON.stringify(config)) return null;
  return (last.msPerStep / 1000) * (facesPerPass / run.options.batchSize);
}

/** Standard errors of the face-by-face loss difference a new version must gain by before it counts as better. */
export const ADOPTION_Z = 2;

/**
 * Whether a model's drawings of the held-out faces are much alike (unknown for versions measured before): grey
 * blobs whose loss can still be close to a model's that draws faces.
 */
export function drawsMuchAlike(figures: Pick<ValidationFigures, 'drawingVariety'> | undefined): boolean {
  return figures?.drawingVariety !== undefined && figures.drawingVariety < DRAWINGS_ALIKE_BELOW;
}

/**
 * Whether the new version replaces the one in use, both measured together on the same held-out faces. A model that
 * draws distinct faces where the one in use draws them much alike replaces it: the blobs are what the user sees, and
 * a blob close to the average face scores a loss near a real drawing's (QA: a 30-pass model drawing recognisable
 * faces was kept out by 0.1 dB). The reverse never replaces. Otherwise the new one must draw the held-out faces
 * through its bottleneck (what interpolation and the faceness check use) no worse than the noise allows: a loss
 * higher by more than ADOPTION_Z standard errors of the face-by-face difference keeps the old one; inside the noise
 * the new one, trained on the library as it is now, replaces it (QA: a better model was kept out by 0.1 dB). One
 * that could not be measured (its weights gone) is replaced.
 */
export function beatsIncumbent(incumbent: TrainAutoencoderResult['incumbent']): boolean {
  if (incumbent === null || 'problem' in incumbent) return true;
  const { candidate, incumbent: old, lossGain, lossGainError } = incumbent.comparison;
  const [newAlike, oldAlike] = [drawsMuchAlike(candidate), drawsMuchAlike(old)];
  if (oldAlike !== newAlike) return oldAlike;
  return lossGain >= -ADOPTION_Z * lossGainError;
}

/** Why the new version was, or was not, put in use: one sentence for the Training screen and the CLI. */
export function adoptionReason(result: Pick<TrainAutoencoderResult, 'version' | 'adopted' | 'incumbent'>): string {
  const { incumbent } = result;
  if (incumbent === null) return `${result.version} is the first face model of this library, so it is in use.`;
  if ('problem' in incumbent) return `${result.version} is in use: ${incumbent.version} could not be measured (${incumbent.problem}).`;
  const { candidate, incumbent: old, faces, lossGain, incumbentMeasured } = incumbent.comparison;
  const figures = (f: ValidationFigures) => `loss ${f.validationLoss.toFixed(4)}, ${f.validationPsnr.toFixed(1)} dB`;
  const compared =
    incumbentMeasured === 'now'
      ? ` (${figures(candidate)} against ${figures(old)}, both measured now on the same ${plural(faces, 'set-aside face')})`
      : ` (${figures(candidate)} on ${plural(faces, 'set-aside face')} against ${figures(old)} on the faces ${incumbent.version} set aside, as it had learnt from most of these)`;
  const [newAlike, oldAlike] = [drawsMuchAlike(candidate), drawsMuchAlike(old)];
  const saved = 'It is saved under Versions if you want it anyway.';
  if (newAlike !== oldAlike) {
    return newAlike
      ? `Kept ${incumbent.version}: ${result.version} still draws every face much alike, grey and blurred, where ${incumbent.version} draws them apart${compared}. ${saved}`
      : `${result.version} draws faces apart where ${incumbent.version} drew them much alike, grey and blurred${compared}, so it is in use now.`;
  }
  if (!result.adopted) return `Kept ${incumbent.version}: ${result.version} draws the set-aside faces from its latent code less well${compared}. ${saved}`;
  return lossGain > ADOPTION_Z * incumbent.comparison.lossGainError
    ? `${result.version} draws the set-aside faces from its latent code better than ${incumbent.version}${compared}, so it is in use now.`
    : `${result.version} draws the set-aside faces from its latent code as well as ${incumbent.version}, within what chance gives on ${plural(faces, 'face')}${compared}; it learnt from the library as it is now, so it is in use.`;
}

/**
 * Up to `max` faces to learn from, spread over everyone: each person (or unnamed group) gives one face in turn, and
 * the faces in no group take one turn together, so a child photographed 5,000 times does not crowd out a cousin
 * photographed five times, and stray detections (the ones faceness should single out) stay a small share. Order
 * within a person is a stable hash of the face id, so a resumed run finds the same sample.
 */
export function trainingSample<F extends Pick<FaceRecord, 'id' | 'personId'>>(faces: F[], max: number): F[] {
  if (faces.length <= max) return faces;
  const groups = new Map<string, F[]>();
  for (const face of faces) {
    const key = face.personId ?? '';
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(face);
  }
  const queues = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]) => group.sort((a, b) => stableHash(a.id) - stableHash(b.id) || (a.id < b.id ? -1 : 1)));
  const chosen: F[] = [];
  for (let round = 0; chosen.length < max; round++) {
    for (const queue of queues) {
      if (round < queue.length && chosen.length < max) chosen.push(queue[round]);
    }
  }
  // Library order, as before sampling: the checkpoint compares face id lists.
  const picked = new Set(chosen);
  return faces.filter((f) => picked.has(f));
}

/**
 * What the faceness check found, in one sentence for the Training screen and the CLI. A model that draws every face
 * much alike cannot tell faces from other things, so it doubts none: that is said, not "every face looks like a
 * face" beside grey blobs (QA).
 */
export function lookUnlikeAFace(faces: number, released: number, muchAlike = false): string {
  if (muchAlike) return 'Its drawings are still grey and much alike, so it cannot yet tell which detections are not faces; train it for more passes.';
  if (faces === 0) return 'It found no detection that looks unlike a face.';
  const these = faces === 1 ? '1 detection looks unlike a face: it waits' : `${faces} detections look unlike a face: they wait`;
  return `${these} last under "Who is this?"` + (released > 0 ? `, ${released} of them taken out of the groups they were in.` : '.');
}

/**
 * Faces waiting for review as likely not faces (isForReview: below the review threshold and not placed by the user),
 * least face-like first.
 */
export function facesForReview(library: Pick<Library, 'faces'>) {
  return library.faces
    .filter(isForReview)
    .sort((a, b) => (a.faceness ?? 0) - (b.faceness ?? 0));
}

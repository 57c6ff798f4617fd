// The faceness job ("is this a face?"): scores faces with the autoencoder in use, in a worker, a chunk of
// thumbnails at a time, so a library of any size scores in bounded memory. It runs after training (the faces
// outside the training sample), after an import (the new faces, before they are placed: a detection that is not a
// face waits for review instead of joining a person) and after the user picks another version (every face: each
// version has its own calibration). Scores are written every few thousand faces, so a cancelled run keeps what it
// scored and a re-run simply scores again. Faces a job had placed that now look unlike a face leave their group.
import { join } from 'node:path';
import { plural } from '../../preload/contract.js';
import { newCancelFlag, runCancellableWorker } from '../jobs/cancellable-worker.js';
import { ProgressTracker, type ProgressListener } from '../jobs/progress.js';
import { assignNewFaces, releaseFacesForReview } from '../people/clustering.js';
import { isForReview } from '../people/library.js';
import { siblingModule } from '../jobs/worker-host.js';
import type { Library } from '../store/library.js';
import type { FacenessWorkerMessage, ScoreFacenessTask } from './faceness-protocol.js';
import { autoencoderInUse } from './versions.js';

export const SCORE_FACENESS_JOB = 'score-faceness';

/**
 * settings.json key: the face studio version in use whose check of every face was stopped (a training stopped as it
 * checked the faces outside its sample). A check of every face by that version clears it; until then the app checks
 * them when it opens, and a training with nothing new to learn does.
 */
export const UNCHECKED_SETTING = 'autoencoderUnchecked';

/** Whether the version in use left faces unchecked (UNCHECKED_SETTING names it). */
export async function facesLeftUnchecked(library: Library): Promise<boolean> {
  const version = library.settings[UNCHECKED_SETTING];
  return typeof version === 'string' && version === (await autoencoderInUse(library));
}

/** Faces decoded and scored per worker step (~12 MB of crops at 64 px). */
const CHUNK_SIZE = 256;
/** Scores are written to the library every this many faces (a journal line of their records: ~5 MB). */
const WRITE_EVERY = 4096;

export interface ScoreFacenessOptions {
  /** Faces to score (default: every face with a thumbnail). */
  faceIds?: Iterable<string>;
  /** Version to score with (default: the one in use). */
  version?: string;
  /**
   * Faces doubted before this check began (default: those doubted now). The ones it clears, left in no group, are
   * placed again as new faces are: a version that doubted them is no longer in use.
   */
  doubtedBefore?: ReadonlySet<string>;
}

export interface ScoreFacenessHooks {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface ScoreFacenessResult {
  /** The version that scored, or null when the library has no autoencoder (nothing is scored then). */
  version: string | null;
  scored: number;
  /** Faces whose thumbnail could not be read (their score is unchanged). */
  skipped: number;
  /** Scored faces now waiting for review: below the review threshold and not placed by the user. */
  reviewFaces: number;
  /** Faces a job had placed that now look unlike a face, taken out of their person or group (user-placed ones stay). */
  released: number;
  /** Faces doubted before and not now, placed again (in a person or group, or left unknown as a new face would be). */
  cleared: number;
}

export async function scoreFaceness(library: Library, options: ScoreFacenessOptions = {}, hooks: ScoreFacenessHooks = {}): Promise<ScoreFacenessResult> {
  const version = options.version ?? (await autoencoderInUse(library));
  const result: ScoreFacenessResult = { version, scored: 0, skipped: 0, reviewFaces: 0, released: 0, cleared: 0 };
  if (version === null) return result;
  const doubtedBefore = options.doubtedBefore ?? new Set(library.faces.filter(isForReview).map((f) => f.id));
  const wanted = options.faceIds ? new Set(options.faceIds) : null;
  const items = library.faces.filter((f) => f.thumb && (!wanted || wanted.has(f.id))).map((f) => ({ id: f.id, file: join(library.dir, f.thumb) }));
  if (items.length === 0) {
    await settleGroups(library, doubtedBefore, result);
    return result;
  }

  const tracker = new ProgressTracker(SCORE_FACENESS_JOB, hooks.onProgress);
  tracker.report('score', 0, items.length, { message: `Checking ${plural(items.length, 'face')} with autoencoder ${version}` });
  let pending = new Map<string, number>();
  let writes = Promise.resolve();
  const write = () => {
    const batch = pending;
    pending = new Map();
    if (batch.size === 0) return writes;
    writes = writes.then(() =>
      library.transaction((tx) => {
        for (const face of tx.faces) {
          const score = batch.get(face.id);
          if (score !== undefined) face.faceness = score;
        }
      }),
    );
    return writes;
  };
  let done = 0;
  const scoredIds = new Set<string>();
  const task: ScoreFacenessTask = { libraryDir: library.dir, version, items, chunkSize: CHUNK_SIZE, cancelFlag: newCancelFlag() };
  try {
    await runCancellableWorker<FacenessWorkerMessage, Extract<FacenessWorkerMessage, { type: 'done' }>>(
      siblingModule(import.meta.url, 'faceness-worker'),
      task,
      {
        job: SCORE_FACENESS_JOB,
        workerName: 'faceness',
        isFinal: (m): m is Extract<FacenessWorkerMessage, { type: 'done' }> => m.type === 'done',
        // One chunk takes a few seconds on a busy laptop.
        graceMs: 60_000,
        signal: hooks.signal,
        onMessage: (message) => {
          if (message.type !== 'scores') return;
          message.ids.forEach((id, i) => pending.set(id, message.scores[i]));
          message.ids.forEach((id) => scoredIds.add(id));
          result.scored += message.ids.length;
          result.skipped += message.skipped.length;
          done += message.ids.length + message.skipped.length;
          if (pending.size >= WRITE_EVERY) void write().catch(() => {});
          tracker.report('score', done, items.length, { message: `Checked ${done} of ${plural(items.length, 'face')}` });
        },
      },
    );
  } finally {
    // What was scored before a cancel or failure is kept.
    await write();
  }
  await settleGroups(library, doubtedBefore, result);
  result.reviewFaces = library.faces.filter((f) => scoredIds.has(f.id) && isForReview(f)).length;
  if (!wanted && library.settings[UNCHECKED_SETTING] === version) {
    await library.transaction((tx) => {
      delete tx.settings[UNCHECKED_SETTING];
    });
  }
  return result;
}

/** After new scores: placed faces now doubted (and unlike their group) leave it; faces no longer doubted are placed. */
async function settleGroups(library: Library, doubtedBefore: ReadonlySet<string>, result: ScoreFacenessResult): Promise<void> {
  result.released = await releaseFacesForReview(library);
  const cleared = library.faces.filter((f) => doubtedBefore.has(f.id) && !isForReview(f) && f.personId === null && f.assignedBy === null).map((f) => f.id);
  if (cleared.length > 0) await assignNewFaces(library, cleared);
  result.cleared = cleared.length;
}

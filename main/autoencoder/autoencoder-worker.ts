// Worker thread of the autoencoder training job: trains on wasm with the custom gradient kernels (tfjs-node serves
// only a process's main thread), checkpoints after every epoch, then calibrates the faceness score on the faces it
// learnt and on those it held out.
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../../models/backend.js';
import { calibrateForUnseenFaces } from '../../models/autoencoder/faceness.js';
import { facenessErrors } from '../../models/autoencoder/latent.js';
import { Autoencoder } from '../../models/autoencoder/model.js';
import { compareOnValidation, compareWithFiguresWhenTrained, splitIndices, trainAutoencoder, TrainingCancelledError, type ImageSet } from '../../models/autoencoder/train.js';
import type { AutoencoderWorkerMessage, TrainAutoencoderTask } from './protocol.js';
import { loadAutoencoderVersion, writeCheckpoint } from './versions.js';

const port = parentPort;
if (!port) throw new Error('autoencoder-worker.ts must run in a worker thread.');

function send(message: AutoencoderWorkerMessage, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

async function run(task: TrainAutoencoderTask): Promise<void> {
  const { tf, info } = await initBackend();
  send({ type: 'backend', backend: info });
  const cancelled = new Int32Array(task.cancelFlag);
  const controller = new AbortController();
  const poll = setInterval(() => {
    if (Atomics.load(cancelled, 0) !== 0) controller.abort();
  }, 50);
  const size = task.config.imageSize;
  const count = task.faceIds.length;
  const model = Autoencoder.create(tf, task.config, task.options.seed);
  try {
    const state = await trainAutoencoder(
      tf,
      model,
      { images: task.images, count, size, keys: task.faceIds },
      task.options,
      {
        signal: controller.signal,
        onStart: () => send({ type: 'started' }),
        onBatch: (done, total, loss) => {
          if (Atomics.load(cancelled, 0) !== 0) controller.abort();
          send({ type: 'batch', epoch: -1, done, total, loss });
        },
        onEpoch: async (report) => {
          const { samples, state, epochs, ...figures } = report;
          send({ type: 'epoch', figures, epochs, samples });
          await writeCheckpoint(task.libraryDir, await state(), { options: task.options, config: task.config, faceIds: task.faceIds });
          send({ type: 'checkpoint', epoch: figures.epoch });
        },
      },
      task.resume ?? undefined,
    );
    const errors = facenessErrors(model, task.images, count);
    const { train, validation } = splitIndices(count, task.options.validationFraction, task.options.seed, task.faceIds);
    const faceness = calibrateForUnseenFaces(Float32Array.from(train, (i) => errors[i]), Float32Array.from(validation, (i) => errors[i]));
    const incumbent = task.incumbent === null ? null : await measureIncumbent(tf, task, model, { images: task.images, count, size, keys: task.faceIds });
    send({ type: 'trained', weights: state.weights, history: state.history, validationFaces: count - train.length, faceness, errors, incumbent });
  } finally {
    clearInterval(poll);
    model.dispose();
  }
}

/**
 * The version in use and the model just trained, measured together on this run's held-out crops (the decision and
 * the figures shown for both come from this one measurement); a version that cannot be loaded or measured says why.
 */
async function measureIncumbent(tf: Awaited<ReturnType<typeof initBackend>>['tf'], task: TrainAutoencoderTask, trained: Autoencoder, data: ImageSet) {
  const version = task.incumbent!;
  try {
    const { model, version: manifest } = await loadAutoencoderVersion(tf, task.libraryDir, version);
    try {
      const whenTrained = manifest.history.at(-1);
      const comparison =
        manifest.heldOut === 'by-face' || !whenTrained
          ? compareOnValidation(tf, trained, model, data, task.options)
          : compareWithFiguresWhenTrained(tf, trained, whenTrained, data, task.options);
      return { version, figures: comparison.incumbent, comparison };
    } finally {
      model.dispose();
    }
  } catch (err) {
    return { version, problem: err instanceof Error ? err.message : String(err) };
  }
}

run(workerData as TrainAutoencoderTask).catch((err: unknown) => {
  if (err instanceof TrainingCancelledError) send({ type: 'cancelled' });
  else send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
});

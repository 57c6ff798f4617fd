// Runs the autoencoder training worker and resolves with its final message. On cancel the worker stops between
// batches, keeping the last epoch's checkpoint.
import { runCancellableWorker } from '../jobs/cancellable-worker.js';
import { siblingModule } from '../jobs/worker-host.js';
import type { AutoencoderWorkerMessage, TrainAutoencoderTask } from './protocol.js';

export const TRAIN_AUTOENCODER_JOB = 'train-autoencoder';

type Trained = Extract<AutoencoderWorkerMessage, { type: 'trained' }>;

export function runAutoencoderWorker(
  task: TrainAutoencoderTask,
  options: { signal?: AbortSignal; onMessage?: (message: AutoencoderWorkerMessage) => void },
): Promise<Trained> {
  return runCancellableWorker(siblingModule(import.meta.url, 'autoencoder-worker'), task, {
    ...options,
    job: TRAIN_AUTOENCODER_JOB,
    workerName: 'autoencoder',
    isFinal: (m): m is Trained => m.type === 'trained',
    // A training step takes a few seconds on a busy laptop; a worker silent for 60 s is stuck.
    graceMs: 60_000,
  });
}

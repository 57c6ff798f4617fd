// Runs the autoencoder training worker and resolves with its final message. Cancelling sets the shared flag (the
// worker stops between batches, keeping the last epoch's checkpoint) and, should it not answer, stops the thread.
import { siblingModule, startWorker } from '../jobs/worker-host.js';
import { JobCancelledError } from '../jobs/progress.js';
import type { AutoencoderWorkerMessage, TrainAutoencoderTask } from './protocol.js';

export const TRAIN_AUTOENCODER_JOB = 'train-autoencoder';

type Trained = Extract<AutoencoderWorkerMessage, { type: 'trained' }>;

export function runAutoencoderWorker(
  task: TrainAutoencoderTask,
  options: { signal?: AbortSignal; onMessage?: (message: AutoencoderWorkerMessage) => void },
): Promise<Trained> {
  if (options.signal?.aborted) return Promise.reject(new JobCancelledError(TRAIN_AUTOENCODER_JOB));
  const worker = startWorker(siblingModule(import.meta.url, 'autoencoder-worker'), { workerData: task });
  const flag = new Int32Array(task.cancelFlag);
  return new Promise<Trained>((resolve, reject) => {
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => {
      Atomics.store(flag, 0, 1);
      // A training step takes a few seconds on a busy laptop; a worker silent for 60 s is stuck.
      killTimer = setTimeout(() => finish(() => reject(new JobCancelledError(TRAIN_AUTOENCODER_JOB))), 60_000);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: AutoencoderWorkerMessage) => {
      options.onMessage?.(message);
      if (message.type === 'trained') finish(() => resolve(message));
      else if (message.type === 'cancelled') finish(() => reject(new JobCancelledError(TRAIN_AUTOENCODER_JOB)));
      else if (message.type === 'error') finish(() => reject(new Error(message.message)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`The autoencoder worker stopped unexpectedly (exit code ${code}).`))));
  });
}

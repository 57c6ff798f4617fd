// Runs one task in a worker thread and resolves with its final message. Cancelling sets a shared flag the worker
// polls between steps (so it can stop cleanly, e.g. after checkpointing) and, should it stay silent past a grace
// period, terminates the thread. Shared by the training and re-embedding jobs.
import { JobCancelledError } from './progress.js';
import { startWorker } from './worker-host.js';

/** Messages every cancellable worker may send besides its own progress and final messages. */
export type WorkerControlMessage = { type: 'cancelled' } | { type: 'error'; message: string };

export function newCancelFlag(): SharedArrayBuffer {
  return new SharedArrayBuffer(4);
}

export interface CancellableWorkerOptions<M, F extends M> {
  /** Job name for JobCancelledError. */
  job: string;
  /** Worker name in the error when the thread dies ("the embedder worker ..."). */
  workerName: string;
  isFinal: (message: M) => message is F;
  /** How long a cancelled worker may stay silent before it is stopped outright. */
  graceMs: number;
  signal?: AbortSignal;
  onMessage?: (message: M) => void;
}

export function runCancellableWorker<M extends { type: string }, F extends M>(
  entry: URL,
  task: { cancelFlag: SharedArrayBuffer },
  options: CancellableWorkerOptions<M, F>,
): Promise<F> {
  if (options.signal?.aborted) return Promise.reject(new JobCancelledError(options.job));
  const worker = startWorker(entry, { workerData: task });
  const flag = new Int32Array(task.cancelFlag);
  return new Promise<F>((resolve, reject) => {
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
      killTimer = setTimeout(() => finish(() => reject(new JobCancelledError(options.job))), options.graceMs);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: M | WorkerControlMessage) => {
      options.onMessage?.(message as M);
      if (message.type === 'cancelled') finish(() => reject(new JobCancelledError(options.job)));
      else if (message.type === 'error') finish(() => reject(new Error((message as { message: string }).message)));
      else if (options.isFinal(message as M)) finish(() => resolve(message as F));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`The ${options.workerName} worker stopped unexpectedly (exit code ${code}).`))));
  });
}

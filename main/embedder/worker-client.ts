// Runs one embedder worker task and resolves with its final message. Cancelling sets the shared flag (the worker
// stops between batches) and, should it not answer promptly, terminates the thread.
import { siblingModule, startWorker } from '../jobs/worker-host.js';
import { JobCancelledError } from '../jobs/progress.js';
import type { EmbedTask, TrainTask, WorkerMessage } from './protocol.js';

type Final = Extract<WorkerMessage, { type: 'trained' } | { type: 'embedded' }>;

export function newCancelFlag(): SharedArrayBuffer {
  return new SharedArrayBuffer(4);
}

export function runEmbedderWorker(
  task: TrainTask | EmbedTask,
  options: { signal?: AbortSignal; onMessage?: (message: WorkerMessage) => void; job: string },
): Promise<Final> {
  if (options.signal?.aborted) return Promise.reject(new JobCancelledError(options.job));
  const worker = startWorker(siblingModule(import.meta.url, 'embedder-worker'), { workerData: task });
  const flag = new Int32Array(task.cancelFlag);
  return new Promise<Final>((resolve, reject) => {
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
      // A batch takes well under a second; a worker still silent after 10 s is stuck and is stopped outright.
      killTimer = setTimeout(() => finish(() => reject(new JobCancelledError(options.job))), 10_000);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      options.onMessage?.(message);
      if (message.type === 'trained' || message.type === 'embedded') finish(() => resolve(message));
      else if (message.type === 'cancelled') finish(() => reject(new JobCancelledError(options.job)));
      else if (message.type === 'error') finish(() => reject(new Error(message.message)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`The embedder worker stopped unexpectedly (exit code ${code}).`))));
  });
}

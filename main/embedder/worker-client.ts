// Runs one embedder worker task (training or re-embedding) and resolves with its final message.
import { runCancellableWorker } from '../jobs/cancellable-worker.js';
import { siblingModule } from '../jobs/worker-host.js';
import type { EmbedTask, TrainTask, WorkerMessage } from './protocol.js';

export { newCancelFlag } from '../jobs/cancellable-worker.js';

type Final = Extract<WorkerMessage, { type: 'trained' } | { type: 'embedded' }>;

export function runEmbedderWorker(
  task: TrainTask | EmbedTask,
  options: { signal?: AbortSignal; onMessage?: (message: WorkerMessage) => void; job: string },
): Promise<Final> {
  return runCancellableWorker(siblingModule(import.meta.url, 'embedder-worker'), task, {
    ...options,
    workerName: 'embedder',
    isFinal: (m): m is Final => m.type === 'trained' || m.type === 'embedded',
    // A batch takes well under a second; a worker still silent after 10 s is stuck and is stopped outright.
    graceMs: 10_000,
  });
}

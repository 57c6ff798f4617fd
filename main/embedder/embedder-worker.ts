// Worker thread of the embedder job: trains a head (on wasm: tfjs-node serves only a process's main thread) and
// re-embeds backbone rows, off the main thread so the app stays responsive. One task per worker.
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../../models/backend.js';
import { applyHead, deserializeHead, serializeHead } from '../../models/embedder/head.js';
import { embeddingQuality } from '../../models/embedder/metrics.js';
import { applyHeadWithTensors, embedLabelled, galleryOf, trainHead, TrainingCancelledError } from '../../models/embedder/train.js';
import type { EmbedTask, TrainTask, WorkerMessage, WorkerTask } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('embedder-worker.ts must run in a worker thread.');

function send(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

async function runTrain(task: TrainTask): Promise<void> {
  const { tf } = await initBackend();
  const cancelled = new Int32Array(task.cancelFlag);
  const train = { dim: task.dim, vectors: task.trainVectors, labels: task.trainLabels, rejected: task.trainRejected };
  const result = await trainHead(tf, { train, validation: task.validation }, task.options, {
    onEpoch: (report) => send({ type: 'epoch', report }),
    isCancelled: () => Atomics.load(cancelled, 0) !== 0,
  });
  const current = task.currentHead ? deserializeHead(task.currentHead.manifest, task.currentHead.data) : null;
  const gallery = galleryOf(train);
  const far = result.options.targetFar;
  send({
    type: 'trained',
    head: serializeHead(result.head),
    history: result.history,
    bestEpoch: result.bestEpoch,
    stoppedEarly: result.stoppedEarly,
    options: result.options,
    current: embeddingQuality(embedLabelled(current, gallery), embedLabelled(current, task.validation), far),
    candidate: embeddingQuality(embedLabelled(result.head, gallery), embedLabelled(result.head, task.validation), far),
  });
}

async function runEmbed(task: EmbedTask): Promise<void> {
  const head = deserializeHead(task.head.manifest, task.head.data);
  const cancelled = new Int32Array(task.cancelFlag);
  let rows: Float32Array;
  try {
    const { tf } = await initBackend();
    rows = applyHeadWithTensors(tf, head, task.rows);
  } catch {
    // A backend that cannot start must not block a rollback: the plain-JS path gives the same numbers.
    rows = applyHead(head, task.rows);
  }
  if (Atomics.load(cancelled, 0) !== 0) throw new TrainingCancelledError();
  send({ type: 'embedded', rows }, [rows.buffer as ArrayBuffer]);
}

const task = workerData as WorkerTask;
(task.kind === 'train' ? runTrain(task) : runEmbed(task as EmbedTask)).catch((err: unknown) => {
  if (err instanceof TrainingCancelledError) send({ type: 'cancelled' });
  else send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
});

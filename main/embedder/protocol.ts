// Messages between the embedder job (main thread) and its worker (main/embedder/embedder-worker.ts).
// Typed arrays travel by structured clone (training data) or transfer (results); the cancel flag is a shared
// Int32 the worker polls between batches, so cancelling never waits for the message queue.
import type { SerializedHead } from '../../models/embedder/head.js';
import type { EmbeddingQuality, LabelledVectors } from '../../models/embedder/metrics.js';
import type { EpochReport, TrainOptions } from '../../models/embedder/train.js';
import type { BackendInfo } from '../../models/types.js';

export interface TrainTask {
  kind: 'train';
  dim: number;
  trainVectors: Float32Array;
  trainLabels: Int32Array;
  trainRejected: number[][];
  validation: LabelledVectors;
  /** The head whose embedding is in use now (null = raw backbone): the bar to beat. */
  currentHead: SerializedHead | null;
  options: Partial<TrainOptions>;
  cancelFlag: SharedArrayBuffer;
}

export interface EmbedTask {
  kind: 'embed';
  head: SerializedHead;
  rows: Float32Array;
  cancelFlag: SharedArrayBuffer;
}

export type WorkerTask = TrainTask | EmbedTask;

export type WorkerMessage =
  | { type: 'backend'; backend: BackendInfo }
  | { type: 'epoch'; report: EpochReport }
  | {
      type: 'trained';
      head: SerializedHead;
      history: EpochReport[];
      bestEpoch: number;
      stoppedEarly: boolean;
      options: TrainOptions;
      /** Current embedding and candidate on the same validation faces (gallery = training faces). */
      current: EmbeddingQuality;
      candidate: EmbeddingQuality;
    }
  | { type: 'embedded'; rows: Float32Array }
  | { type: 'cancelled' }
  | { type: 'error'; message: string };

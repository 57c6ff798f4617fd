// Messages between the faceness job (main thread) and its worker (faceness-worker.ts).

export interface ScoreFacenessTask {
  libraryDir: string;
  /** Autoencoder version to score with ("v3"). */
  version: string;
  /** Faces to score and their thumbnail files. */
  items: Array<{ id: string; file: string }>;
  /** Faces decoded and scored at a time. */
  chunkSize: number;
  cancelFlag: SharedArrayBuffer;
}

export type FacenessWorkerMessage =
  | { type: 'scores'; ids: string[]; scores: number[]; skipped: string[] }
  | { type: 'done'; version: string }
  | { type: 'cancelled' }
  | { type: 'error'; message: string };

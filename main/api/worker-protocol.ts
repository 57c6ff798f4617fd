// Messages between the desktop main process and the API worker (api-worker.ts): the whole engine runs in that
// worker thread, so nothing the engine does (clustering, decoding, JSON writes, studio decoding) can stall the
// Electron main thread that draws the window's frame and routes input.
import type { Envelope, EventName } from '../../preload/contract.js';

export interface ApiWorkerData {
  libraryDir: string;
  mode: 'electron' | 'browser';
}

export type ToWorker =
  | { type: 'call'; id: number; name: string; args: unknown }
  | { type: 'image'; id: number; ref: string }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'answer'; id: number; answer: Envelope<unknown> }
  | { type: 'image'; id: number; image: { body: Uint8Array; contentType: string; immutable: boolean; status?: 409 } | null }
  | { type: 'event'; name: EventName; payload: unknown }
  | { type: 'log'; message: string }
  | { type: 'closed' };

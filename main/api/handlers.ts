// Maps contract calls to the engine. Filled in as the engine modules land (main/engine.ts, main/people,
// main/embedder, main/autoencoder); a call without a handler answers "not available in this build".
import type { Handlers } from './dispatch.js';
import type { EventHub } from './events.js';
import type { GeneratedImages } from './generated.js';
import type { JobRegistry } from './jobs.js';

export interface EngineHandlerOptions {
  libraryDir: string;
  mode: 'electron' | 'browser';
  version: string;
  events: EventHub;
  jobs: JobRegistry;
  generated: GeneratedImages;
}

export interface EngineHandlers {
  handlers: Handlers;
  photoPaths(photoId: string): string[] | undefined;
  close(): Promise<void>;
}

export async function openEngineHandlers(_options: EngineHandlerOptions): Promise<EngineHandlers> {
  return { handlers: {}, photoPaths: () => undefined, close: async () => {} };
}

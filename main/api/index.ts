// The API both front doors share: the Electron IPC handlers (main/electron) and the HTTP server
// (main/server). It opens the engine on one library folder, owns the job registry and the event hub, and
// answers every contract call through one dispatcher.
import { createDispatcher, type Dispatcher, type Handlers } from './dispatch.js';
import { EventHub } from './events.js';
import { ImageSource } from './files.js';
import { GeneratedImages } from './generated.js';
import { JobRegistry } from './jobs.js';
import { openEngineHandlers } from './handlers.js';
import { appVersion } from './paths.js';

export interface CreateApiOptions {
  libraryDir: string;
  mode: 'electron' | 'browser';
  /** Front-door specific calls, e.g. the desktop folder picker. */
  extraHandlers?: Handlers;
  log?: (message: string) => void;
}

export interface Api {
  libraryDir: string;
  dispatcher: Dispatcher;
  events: EventHub;
  jobs: JobRegistry;
  images: ImageSource;
  /** Cancels running jobs, then closes the engine (releasing the library lock). */
  close(): Promise<void>;
}

export async function createApi(options: CreateApiOptions): Promise<Api> {
  const log = options.log ?? ((message: string) => process.stderr.write(message + '\n'));
  const events = new EventHub();
  const jobs = new JobRegistry(events);
  const generated = new GeneratedImages();
  const engine = await openEngineHandlers({
    libraryDir: options.libraryDir,
    mode: options.mode,
    version: appVersion(),
    events,
    jobs,
    generated,
  });
  const handlers: Handlers = {
    'jobs.list': () => jobs.list(),
    'jobs.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    ...engine.handlers,
    ...options.extraHandlers,
  };
  const images = new ImageSource({ libraryDir: options.libraryDir, photoPaths: engine.photoPaths, generated });
  return {
    libraryDir: options.libraryDir,
    dispatcher: createDispatcher(handlers, log),
    events,
    jobs,
    images,
    async close() {
      await jobs.shutdown();
      await engine.close();
    },
  };
}

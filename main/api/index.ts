// The API both front doors share: the Electron IPC handlers (main/electron) and the HTTP server
// (main/server). It opens the engine on one library folder, owns the job registry and the event hub, and
// answers every contract call through one dispatcher.
import { resolve } from 'node:path';
import { createDispatcher, type Dispatcher, type Handlers } from './dispatch.js';
import { ApiError } from './errors.js';
import { EventHub } from './events.js';
import { ImageSource } from './files.js';
import { GeneratedImages } from './generated.js';
import { JobRegistry } from './jobs.js';
import { openEngineHandlers } from './handlers.js';
import { appVersion } from './paths.js';
import { samePath } from '../paths.js';
import { FolderWatcher } from '../library/folder-watcher.js';

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
  /** Re-imports imported folders when photos appear in them. */
  watcher: FolderWatcher;
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
  const images = new ImageSource({ libraryDir: options.libraryDir, photoPaths: engine.photoPaths, photoFile: engine.photoFile, faceOf: engine.faceOf, generated, log });
  const dispatcher = createDispatcher(handlers, log);
  // New photos in an imported folder are imported on their own; the import is incremental, so a wake-up that
  // finds nothing new costs one scan. While an import runs, the change waits for the next quiet period.
  const watcher = new FolderWatcher({
    onChange: (folder) => {
      // A folder removed from the library while its change was pending is not imported again.
      if (!engine.importedFolders().some((f) => samePath(resolve(f), folder))) return;
      void dispatcher.call('import.start', { paths: [folder] }).then((answer) => {
        if (answer.error !== undefined && answer.code === 'busy') watcher.changed(folder);
      });
    },
    // A sidecar another app saved (digiKam, Lightroom, Picasa's .picasa.ini): its photos' names are read again, as
    // Settings › Read names does for every photo. Not the sidecars as Familiar's own export left them (OwnSidecarWrites).
    onSidecarsChange: (folder, files) => {
      if (!engine.importedFolders().some((f) => samePath(resolve(f), folder))) return;
      engine.rereadNames(files).catch((error: unknown) => {
        if (error instanceof ApiError && error.code === 'busy') watcher.sidecarsChanged(folder, files);
        else log(`Names not read again from ${files.length === 1 ? files[0] : `${files.length} sidecars in ${folder}`}: ${error instanceof Error ? error.message : String(error)}`);
      });
    },
    onError: (folder, error) => log(`Not watching ${folder} for new photos: ${error.message}`),
  });
  watcher.watch(engine.importedFolders());
  const stopRefreshing = events.subscribe((name, payload) => {
    // An import may add a folder to watch, a removal takes one away.
    const kind = name === 'job.done' ? (payload as { job: { kind: string } }).job.kind : null;
    if (kind === 'import' || kind === 'remove-photos') watcher.watch(engine.importedFolders());
  });
  return {
    libraryDir: options.libraryDir,
    dispatcher,
    events,
    jobs,
    images,
    watcher,
    async close() {
      stopRefreshing();
      watcher.close();
      await jobs.shutdown();
      await engine.close();
    },
  };
}

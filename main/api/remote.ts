// The desktop main process's view of the API running in a worker thread (api-worker.ts): a dispatcher, an image
// source and an event hub with the same shapes as in-process ones, so IPC and the protocol handler do not care
// where the engine runs. Calls named in `localHandlers` (the OS folder picker) are answered here on the main
// thread; everything else is forwarded. If the worker dies, pending and later calls answer one clear sentence.
import type { Worker } from 'node:worker_threads';
import { callNames, type Envelope } from '../../preload/contract.js';
import { siblingModule, startWorker } from '../jobs/worker-host.js';
import { createDispatcher, nestsTooDeep, refusal, TOO_DEEP, type Dispatcher, type Handlers } from './dispatch.js';
import { EventHub } from './events.js';
import type { ServedImage } from './files.js';
import type { ApiWorkerData, FromWorker, ToWorker } from './worker-protocol.js';

export interface RemoteApi {
  libraryDir: string;
  dispatcher: Dispatcher;
  events: EventHub;
  images: { get(ref: string): Promise<ServedImage | undefined> };
  /** Asks the worker to cancel jobs and close the library, then ends it. */
  close(): Promise<void>;
}

export interface RemoteApiOptions extends ApiWorkerData {
  localHandlers?: Handlers;
  log?: (message: string) => void;
}

const STOPPED = 'The Familiar engine stopped unexpectedly; restart Familiar (your library is safe).';

export async function startApiWorker(options: RemoteApiOptions): Promise<RemoteApi> {
  const log = options.log ?? ((message: string) => process.stderr.write(message + '\n'));
  const workerData: ApiWorkerData = { libraryDir: options.libraryDir, mode: options.mode };
  const worker: Worker = startWorker(siblingModule(import.meta.url, 'api-worker'), { workerData });
  const events = new EventHub();
  const pendingCalls = new Map<number, (answer: Envelope<unknown>) => void>();
  const pendingImages = new Map<number, (image: ServedImage | undefined) => void>();
  let nextId = 1;
  let stopped: string | undefined;
  let closed: (() => void) | undefined;

  const stop = (reason: string) => {
    if (stopped) return;
    stopped = reason;
    for (const answer of pendingCalls.values()) answer({ error: reason, code: 'failed' });
    for (const answer of pendingImages.values()) answer(undefined);
    pendingCalls.clear();
    pendingImages.clear();
  };

  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready':
          return resolve();
        case 'failed':
          stop(message.message);
          return reject(new Error(message.message));
        case 'answer':
          pendingCalls.get(message.id)?.(message.answer);
          pendingCalls.delete(message.id);
          return;
        case 'image': {
          const image = message.image;
          pendingImages.get(message.id)?.(image ? { ...image, body: Buffer.from(image.body.buffer, image.body.byteOffset, image.body.byteLength) } : undefined);
          pendingImages.delete(message.id);
          return;
        }
        case 'event':
          return events.emit(message.name, message.payload as never);
        case 'log':
          return log(message.message);
        case 'closed':
          return closed?.();
      }
    });
    worker.on('error', (err) => {
      log(`engine worker: ${err.stack ?? err.message}`);
      stop(STOPPED);
      reject(err);
    });
    worker.on('exit', () => {
      stop(STOPPED);
      reject(new Error(STOPPED));
      closed?.();
    });
  });

  const send = (message: ToWorker) => worker.postMessage(message);
  const forward = (name: unknown, args: unknown): Promise<Envelope<unknown>> => {
    if (stopped) return Promise.resolve({ error: stopped, code: 'failed' });
    // Copying arguments nested thousands deep to the worker overflows the stack: refused here, as the worker would.
    if (nestsTooDeep(args)) return Promise.resolve(refusal(`${String(name).slice(0, 64)}: ${TOO_DEEP}`));
    const id = nextId++;
    return new Promise((resolve) => {
      pendingCalls.set(id, resolve);
      try {
        send({ type: 'call', id, name: String(name), args });
      } catch (err) {
        // Arguments the worker cannot receive (not cloneable): nothing waits for an answer that will not come.
        pendingCalls.delete(id);
        resolve(refusal(`${String(name).slice(0, 64)}: the arguments cannot be sent to the engine (${(err as Error).message}).`));
      }
    });
  };
  const local = createDispatcher(options.localHandlers ?? {}, log);
  const localNames = new Set(local.available());

  return {
    libraryDir: options.libraryDir,
    events,
    dispatcher: {
      call: (name, args) => (typeof name === 'string' && localNames.has(name as never) ? local.call(name, args) : forward(name, args)),
      available: () => [...callNames],
    },
    images: {
      get(ref) {
        if (stopped) return Promise.resolve(undefined);
        const id = nextId++;
        return new Promise((resolve) => {
          pendingImages.set(id, resolve);
          send({ type: 'image', id, ref });
        });
      },
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (stopped) return resolve();
        closed = () => {
          closed = undefined;
          stop('Familiar is closing.');
          void worker.terminate().then(() => resolve());
        };
        send({ type: 'close' });
      }),
  };
}

/**
 * The API while the library is still opening, so the desktop window can show at once: an open of 100,000 faces
 * takes seconds, and one that compacts the vector files half a minute. Calls and images wait for the engine;
 * its events are passed on once it is up. If the library cannot open, every call answers why.
 */
export function openingApi(libraryDir: string, opening: Promise<RemoteApi>): RemoteApi {
  const events = new EventHub();
  let failure = '';
  let settled = false;
  const ready = opening.then(
    (api) => {
      settled = true;
      api.events.subscribe((name, payload) => events.emit(name, payload));
      return api;
    },
    (err: unknown) => {
      settled = true;
      failure = `Familiar could not open its library: ${err instanceof Error ? err.message : String(err)}`;
      return null;
    },
  );
  return {
    libraryDir,
    events,
    dispatcher: {
      call: async (name, args) => {
        // The one call that does not wait: the window asks it to say why it is still empty.
        if (name === 'library.opening' && !settled) return { result: { opening: true } };
        const api = await ready;
        return api ? api.dispatcher.call(name, args) : { error: failure, code: 'failed' };
      },
      available: () => [...callNames],
    },
    images: { get: async (ref) => (await ready)?.images.get(ref) },
    close: async () => {
      await (await ready)?.close();
    },
  };
}

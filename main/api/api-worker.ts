// The API in a worker thread (see worker-protocol.ts): opens the engine, answers calls and image requests from
// the main process, forwards engine events, and closes the library (releasing its lock) when asked.
import { parentPort, workerData } from 'node:worker_threads';
import { createApi, type Api } from './index.js';
import type { ApiWorkerData, FromWorker, ToWorker } from './worker-protocol.js';

const port = parentPort!;
const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const data = workerData as ApiWorkerData;

let opened: Api | undefined;
try {
  opened = await createApi({ libraryDir: data.libraryDir, mode: data.mode, log: (message) => post({ type: 'log', message }) });
} catch (err) {
  // The main process says why in one sentence (a locked or unreadable library is no crash: no stack trace), and the
  // worker ends once its port is closed.
  post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  port.close();
}
if (opened) serve(opened);

function serve(api: Api): void {
  api.events.subscribe((name, payload) => post({ type: 'event', name, payload }));

  port.on('message', (message: ToWorker) => {
    if (message.type === 'call') {
      void api.dispatcher.call(message.name, message.args).then((answer) => post({ type: 'answer', id: message.id, answer }));
    } else if (message.type === 'image') {
      void api.images.get(message.ref).then((image) => {
        if (!image) return post({ type: 'image', id: message.id, image: null });
        // A copy the main process owns outright: the source buffer may sit in the image caches here.
        const body = new Uint8Array(image.body);
        post({ type: 'image', id: message.id, image: { body, contentType: image.contentType, immutable: image.immutable, status: image.status } }, [body.buffer]);
      });
    } else if (message.type === 'close') {
      void api.close().finally(() => {
        post({ type: 'closed' });
        port.close();
      });
    }
  });
  post({ type: 'ready' });
}

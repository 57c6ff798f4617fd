// Child-process side of startWorkerProcess (worker-host.ts): gives a worker module the parentPort and workerData it
// would have in a worker thread, so one module runs either way. A process is needed where a worker must load
// tfjs-node, which serves only a process's main thread (models/backend.ts).
import { EventEmitter } from 'node:events';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { ProcessEnvelope, ProcessStart } from './worker-host.js';

const send = process.send?.bind(process);
if (!send) throw new Error('worker-process must be started by startWorkerProcess, with an IPC channel.');

const threads = createRequire(import.meta.url)('node:worker_threads') as { parentPort: unknown; workerData: unknown };

/** The worker thread's MessagePort, as far as the workers use it: postMessage, and 'message' events in order. */
class ParentPort extends EventEmitter {
  // The transfer list means nothing between processes: everything is copied.
  postMessage(data: unknown): void {
    send!({ kind: 'message', data } satisfies ProcessEnvelope);
  }
}

const port = new ParentPort();
// A thread's port holds messages until a 'message' listener is added; so does this one, or the first image of a
// worker that posts 'ready' before it listens would be lost.
const held: unknown[] = [];
let listening = false;
port.on('newListener', (event) => {
  if (event !== 'message' || listening) return;
  listening = true;
  queueMicrotask(() => {
    for (const data of held.splice(0)) port.emit('message', data);
  });
});

function reportAndExit(err: unknown): void {
  const error = err instanceof Error ? { message: err.message, stack: err.stack } : { message: String(err) };
  send!({ kind: 'error', ...error } satisfies ProcessEnvelope, () => process.exit(1));
}

process.on('uncaughtException', reportAndExit);
process.on('unhandledRejection', reportAndExit);
// The parent went away (closed the pool, or died): nothing will read this worker's replies.
process.on('disconnect', () => process.exit(0));
// Ctrl-C, a closed terminal or a SIGTERM to the whole group reach this process too where it shares the parent's group
// (Windows; elsewhere it has its own): the parent decides (a CLI import stops after the photos in flight, which would
// otherwise fail), and stops its workers with SIGKILL.
for (const signal of ['SIGINT', 'SIGHUP', 'SIGTERM'] as const) process.on(signal, () => {});

process.once('message', (start: ProcessStart) => {
  threads.parentPort = port;
  threads.workerData = start.workerData;
  // `import { parentPort } from 'node:worker_threads'` reads the builtin's ESM bindings, which follow its exports
  // object only when told to.
  syncBuiltinESMExports();
  process.on('message', (data: unknown) => (listening ? port.emit('message', data) : held.push(data)));
  import(start.entry).catch(reportAndExit);
});

// Starts worker threads from both the compiled build (dist/*.js) and the TypeScript sources (tests, tsx):
// a .ts entry is loaded through tsx's loader so tests exercise the same worker code the app ships.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** URL of a sibling module of `callerUrl` named `baseName`, with the caller's own extension (.ts or .js). */
export function siblingModule(callerUrl: string, baseName: string): URL {
  const ext = new URL(callerUrl).pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${baseName}${ext}`, callerUrl);
}

export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  // Node 20 does not apply --import loaders inside workers, so register tsx from within the worker first.
  const bootstrap =
    `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); })` +
    `.catch((err) => { setImmediate(() => { throw err; }); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

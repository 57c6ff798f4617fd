// Starts workers from both the compiled build (dist/*.js) and the TypeScript sources (tests, tsx): a .ts entry is
// loaded through tsx's loader so tests exercise the same worker code the app ships. A worker is a thread, or a child
// process (startWorkerProcess) where it must load tfjs-node, which serves only a process's main thread.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** URL of a sibling module of `callerUrl` named `baseName`, with the caller's own extension (.ts or .js). */
export function siblingModule(callerUrl: string, baseName: string): URL {
  const ext = new URL(callerUrl).pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${baseName}${ext}`, callerUrl);
}

/**
 * Where a tsx module is, found from this module rather than the working directory (development and tests only: the
 * build's workers are .js). Vitest's module runner refuses import.meta.resolve; it runs in the checkout, where the
 * bare name resolves.
 */
function tsxUrl(specifier: 'tsx' | 'tsx/esm/api'): string {
  try {
    return import.meta.resolve(specifier);
  } catch {
    return specifier;
  }
}

export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  // Node 20 does not apply --import loaders inside workers, so register tsx from within the worker first: found from
  // here, since eval'd code would look for it from the working directory (a test or script run from another folder).
  const bootstrap =
    `import(${JSON.stringify(tsxUrl('tsx/esm/api'))}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); })` +
    `.catch((err) => { setImmediate(() => { throw err; }); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** What the users of a worker thread need of it, which a worker process offers too. */
export interface WorkerLike<Reply = unknown> {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  terminate(): Promise<number>;
  on(event: 'message', listener: (message: Reply) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'exit', listener: (code: number) => void): this;
}

/** First message to a worker process: which module to run, and its workerData. */
export interface ProcessStart {
  entry: string;
  workerData: unknown;
}

/** Every later message from a worker process: one the worker posted, or the error that ends it. */
export type ProcessEnvelope = { kind: 'message'; data: unknown } | { kind: 'error'; message: string; stack?: string };

/**
 * Runs a worker module in a child process of this Node, as a thread would run it (main/jobs/worker-process.ts): the
 * module's parentPort and workerData work the same; messages are copied (structured clone), never transferred.
 * Not for Electron, whose binary is no Node interpreter once its RunAsNode fuse is off (scripts/after-pack-fuses.cjs).
 */
export function startWorkerProcess<Reply>(entry: URL, options: { workerData?: unknown } = {}): WorkerLike<Reply> {
  return new WorkerProcess(entry, options.workerData) as WorkerLike<Reply>;
}

class WorkerProcess extends EventEmitter implements WorkerLike {
  private readonly child: ChildProcess;
  private readonly exited: Promise<number>;
  private terminating = false;

  constructor(entry: URL, workerData: unknown) {
    super();
    const bootstrap = siblingModule(import.meta.url, 'worker-process');
    this.child = fork(fileURLToPath(bootstrap), [], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Not the parent's flags (a test runner's, an inspector's); tsx only for the TypeScript sources.
      // tsx found from here: --import looks from the working directory.
      execArgv: bootstrap.pathname.endsWith('.ts') ? ['--import', tsxUrl('tsx')] : [],
      // A process group of its own: Ctrl-C or a closed terminal reaches the parent, which decides (a CLI import stops
      // after the photos in flight), not a worker still starting, before it could ignore them (QA: under load, such a
      // worker died and the photos waiting for it failed). Not on Windows, where it would open a console window.
      detached: process.platform !== 'win32',
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        // Killed by a signal it was not sent from here (the kernel's out-of-memory killer sends SIGKILL): said by name.
        if (signal && !this.terminating) this.emit('error', new Error(`it was killed by ${signal}`));
        const exitCode = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 0);
        this.emit('exit', exitCode);
        resolve(exitCode);
      });
    });
    this.child.on('message', (envelope: ProcessEnvelope) => {
      if (envelope.kind === 'message') this.emit('message', owningViews(envelope.data));
      else this.emit('error', Object.assign(new Error(envelope.message), envelope.stack ? { stack: envelope.stack } : {}));
    });
    // The process could not start, or a message could not reach it. One that died meanwhile is said by its 'exit',
    // which follows and knows how it ended ("killed by SIGINT" says more than "write EPIPE").
    this.child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ERR_IPC_CHANNEL_CLOSED') this.emit('error', err);
    });
    this.child.send({ entry: entry.href, workerData } satisfies ProcessStart);
  }

  postMessage(message: unknown): void {
    if (!this.child.connected) throw new Error('The worker process has exited.');
    this.child.send(message as never);
  }

  /** Stops the process at once, as Worker.terminate() stops a thread (it ignores the polite signals: worker-process.ts). */
  terminate(): Promise<number> {
    this.terminating = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    return this.exited;
  }
}

/**
 * A message's typed arrays as each owning its memory, as transferred ones do in a thread. Deserialised, they are views
 * into the whole message or into Node's buffer pool: a descriptor kept for years would hold a photo's reply alive.
 */
function owningViews(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) {
    if (value instanceof DataView || (value.byteOffset === 0 && value.byteLength === value.buffer.byteLength)) return value;
    return Buffer.isBuffer(value) ? Buffer.from(value) : (value as Uint8Array).slice();
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = owningViews(value[i]);
  } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = owningViews(record[key]);
  }
  return value;
}

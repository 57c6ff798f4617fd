// A pool of worker threads, each with its own FaceAnalyzer (wasm runs single-threaded in Node, so
// parallelism comes from threads). Images go in with their pixel buffer transferred, not copied; faces come
// back the same way. A worker that dies fails only the task it was running and is replaced; one that cannot start
// fails the photos waiting only when no other worker is left to analyse them. Where tfjs-node may
// load, the workers are child processes instead: it serves only a process's main thread (models/backend.ts).
//
// A worker costs ~2.6 s of CPU to start and holds ~370 MB while it lives (its networks and wasm heap), so workers
// start as work needs them and stop when it is done: one at first, another once photos wait for a worker
// (GROW_AFTER_MS), none after IDLE_MS without work. A photo copied into a watched folder, or `familiar same a b`,
// starts one worker, not two; the app, idle between imports, holds none.
import { availableParallelism } from 'node:os';
import type { AnalyzeOptions, FaceAnalyzerOptions } from '../../models/pipeline.js';
import type { BackendInfo, DetectedFace, RgbImage } from '../../models/types.js';
import { nativeTensorFlowInChildProcesses } from '../../models/backend.js';
import { siblingModule, startWorker, startWorkerProcess, type WorkerLike } from './worker-host.js';

export interface WorkerRequest {
  id: number;
  data: Uint8Array;
  width: number;
  height: number;
  options?: AnalyzeOptions;
}

export type WorkerReply =
  | { type: 'ready'; backend: BackendInfo }
  | { type: 'init-error'; message: string }
  | { type: 'result'; id: number; faces?: DetectedFace[]; error?: string; fatal?: boolean };

export interface AnalysisPoolOptions {
  /** Worker threads; default min(2, available cores). */
  size?: number;
  /** Passed to every worker's FaceAnalyzer.create(). */
  analyzer?: FaceAnalyzerOptions;
  /**
   * Run each worker in a child process instead of a thread, for tfjs-node, which serves only a process's main thread
   * (models/backend.ts); the pixels are then copied to the worker, not transferred. 'while-native': in processes
   * until one reports it runs on another backend (tfjs-node installed but its library not loading), then in threads.
   * Default: FAMILIAR_ANALYSIS_WORKERS (processes | threads) when set, else 'while-native' where tfjs-node is
   * installed and may be used, else threads.
   */
  processes?: boolean | 'while-native';
  /** Worker entry module (tests substitute one); default ./analysis-worker. */
  entry?: URL;
  /** Milliseconds without work after which every worker stops (IDLE_MS); the next image starts one again. */
  idleMs?: number;
  /** Milliseconds images wait for a worker before another starts, up to `size` (GROW_AFTER_MS). */
  growAfterMs?: number;
}

interface Task {
  id: number;
  image: RgbImage;
  options: AnalyzeOptions;
  resolve: (faces: DetectedFace[]) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: WorkerLike<WorkerReply>;
  ready: boolean;
  task: Task | null;
  /** Stopped on purpose (the pool idle, or the worker reported a fatal failure): its exit is no failure. */
  retiring: boolean;
}

/** How long photos wait for a busy worker before another starts: a task or two queued briefly is not worth a start. */
export const GROW_AFTER_MS = 1_000;
/** How long the workers stay without work before they stop, their memory given back. */
export const IDLE_MS = 120_000;

/** FAMILIAR_ANALYSIS_WORKERS: a way round the default, either way (a native library that misbehaves, a test). */
function workersAskedFor(): boolean | undefined {
  const asked = process.env.FAMILIAR_ANALYSIS_WORKERS;
  if (asked === undefined || asked === '') return undefined;
  if (asked !== 'processes' && asked !== 'threads') throw new Error(`FAMILIAR_ANALYSIS_WORKERS must be "processes" or "threads", not "${asked}".`);
  if (asked === 'processes' && process.versions.electron) throw new Error('FAMILIAR_ANALYSIS_WORKERS=processes cannot work in the desktop app: its binary is no Node.');
  return asked === 'processes';
}

export class AnalysisPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  private backendInfo: BackendInfo | null = null;
  /** Set when a worker cannot even start (missing weights...): every task fails with it until close(). */
  private startupError: Error | null = null;
  /** The most workers at once. */
  readonly size: number;
  private readonly entry: URL;
  /** Whether the next worker starts as a child process (see AnalysisPoolOptions.processes). */
  private inProcesses: boolean;
  private readonly processesWhileNative: boolean;
  /** A worker started to grow the pool failed to start while another served: grow no more until none is left. */
  private growthStopped = false;
  private growTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  private constructor(private readonly options: AnalysisPoolOptions) {
    this.size = Math.max(1, Math.floor(options.size ?? Math.min(2, availableParallelism())));
    this.entry = options.entry ?? siblingModule(import.meta.url, 'analysis-worker');
    const processes = options.processes ?? workersAskedFor() ?? (nativeTensorFlowInChildProcesses() ? 'while-native' : false);
    this.inProcesses = processes !== false;
    this.processesWhileNative = processes === 'while-native';
  }

  /** Starts the first worker and resolves once it has loaded its networks (the others start as work waits). */
  static async create(options: AnalysisPoolOptions = {}): Promise<AnalysisPool> {
    const pool = new AnalysisPool(options);
    try {
      await pool.spawn();
    } catch (err) {
      await pool.close();
      throw err;
    }
    pool.idleSoon();
    return pool;
  }

  /** Whether workers start as child processes now. */
  get processes(): boolean {
    return this.inProcesses;
  }

  /** Workers running or starting now (0 once the pool has been idle for idleMs). */
  get workers(): number {
    return this.slots.size;
  }

  /** The tensor backend the workers run on. */
  get backend(): BackendInfo {
    if (!this.backendInfo) throw new Error('The analysis pool has not started.');
    return this.backendInfo;
  }

  /** Tasks waiting for a worker (not counting those running). */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Detects, aligns and embeds the faces in `image`. Its pixel buffer is transferred to the worker when it
   * owns the whole ArrayBuffer (the caller must not use `image.data` afterwards), copied otherwise (Node also
   * copies externally allocated buffers such as sharp's output, which costs ~1 ms per 1600x1200 photo).
   */
  analyze(image: RgbImage, options: AnalyzeOptions = {}): Promise<DetectedFace[]> {
    if (this.closed) return Promise.reject(new Error('The analysis pool is closed.'));
    if (this.startupError) return Promise.reject(this.startupError);
    if (this.idleTimer) clearTimeout(this.idleTimer), (this.idleTimer = null);
    return new Promise<DetectedFace[]>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, image, options, resolve, reject });
      this.dispatch();
      this.startAsNeeded();
    });
  }

  /** A worker when there is none (after an idle stop); another, up to `size`, once images have waited GROW_AFTER_MS. */
  private startAsNeeded(): void {
    if (this.closed || this.startupError || this.queue.length === 0) return;
    if (this.slots.size === 0) {
      this.growthStopped = false;
      this.spawn().catch(() => {});
      return;
    }
    if (this.slots.size >= this.size || this.growTimer || this.growthStopped) return;
    this.growTimer = setTimeout(() => {
      this.growTimer = null;
      if (!this.closed && !this.startupError && !this.growthStopped && this.queue.length > 0 && this.slots.size < this.size) this.spawn().catch(() => {});
    }, this.options.growAfterMs ?? GROW_AFTER_MS);
    this.growTimer.unref();
  }

  /** Stops every worker after idleMs without work: their networks' memory is given back; the next image starts one. */
  private idleSoon(): void {
    if (this.closed || this.idleTimer || this.queue.length > 0 || [...this.slots].some((slot) => slot.task)) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.closed || this.queue.length > 0 || [...this.slots].some((slot) => slot.task || !slot.ready)) return;
      for (const slot of this.slots) {
        slot.retiring = true;
        void slot.worker.terminate();
      }
      this.slots.clear();
    }, this.options.idleMs ?? IDLE_MS);
    this.idleTimer.unref();
  }

  /** Stops every worker; queued and running tasks are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of [this.growTimer, this.idleTimer]) if (timer) clearTimeout(timer);
    const closing = new Error('The analysis pool was closed before this image was analysed.');
    for (const task of this.queue.splice(0)) task.reject(closing);
    const workers = [...this.slots].map((slot) => {
      slot.task?.reject(closing);
      slot.task = null;
      return slot.worker.terminate();
    });
    this.slots.clear();
    await Promise.all(workers);
  }

  private spawn(): Promise<void> {
    return new Promise<void>((resolveStarted, rejectStarted) => {
      const workerData = this.options.analyzer ?? {};
      const worker: WorkerLike<WorkerReply> = this.inProcesses
        ? startWorkerProcess<WorkerReply>(this.entry, { workerData })
        : startWorker(this.entry, { workerData });
      const slot: Slot = { worker, ready: false, task: null, retiring: false };
      this.slots.add(slot);
      let exited = false;

      const fail = (err: Error) => {
        if (exited || slot.retiring) return;
        exited = true;
        this.slots.delete(slot);
        const task = slot.task;
        slot.task = null;
        if (!slot.ready) {
          rejectStarted(err);
          if (!this.backendInfo || this.closed) return;
          // Another worker lives: the photos wait for it. A start that failed (a Ctrl-C in the instant a worker
          // process forks, which kills it before it leaves the terminal's group) is not tried again until the pool
          // next starts from none, in case it would fail the same way.
          if (this.slots.size > 0) {
            this.growthStopped = true;
            return;
          }
          // A replacement that cannot start, with no worker left, means no worker ever will: fail what is waiting.
          this.failAll(err);
          return;
        }
        task?.reject(err);
        if (!this.closed) {
          this.spawn().catch(() => {});
        }
      };

      worker.on('message', (reply) => {
        if (reply.type === 'ready') {
          slot.ready = true;
          // A process is worth its copies only on native TensorFlow: this one works, the next workers are threads.
          if (this.processesWhileNative && reply.backend.name !== 'tensorflow') this.inProcesses = false;
          this.backendInfo ??= reply.backend;
          resolveStarted();
          this.dispatch();
          this.idleSoon();
        } else if (reply.type === 'init-error') {
          void worker.terminate();
          fail(new Error(`The face analysis worker could not start: ${reply.message}`));
        } else {
          const task = slot.task;
          if (!task || task.id !== reply.id) return;
          slot.task = null;
          if (reply.fatal) {
            // The worker's backend may be unusable: stop it (its exit is no further failure) and start another.
            slot.retiring = true;
            this.slots.delete(slot);
            void worker.terminate();
          }
          if (reply.error !== undefined) task.reject(new Error(reply.error));
          else task.resolve(reply.faces ?? []);
          if (reply.fatal) this.startAsNeeded();
          this.dispatch();
          this.idleSoon();
        }
      });
      worker.on('error', (err) => fail(new Error(`The face analysis worker crashed: ${err.message}`)));
      worker.on('exit', (code) => {
        if (!this.closed) fail(new Error(`The face analysis worker exited unexpectedly (code ${code}).`));
      });
    });
  }

  private failAll(err: Error): void {
    this.startupError = err;
    for (const task of this.queue.splice(0)) task.reject(err);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.task) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      const { data, width, height } = task.image;
      const ownsBuffer = data instanceof Uint8Array && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
      const message: WorkerRequest = { id: task.id, data: ownsBuffer ? data : new Uint8Array(data), width, height, options: task.options };
      try {
        slot.worker.postMessage(message, [message.data.buffer as ArrayBuffer]);
      } catch (err) {
        slot.task = null;
        task.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }
}

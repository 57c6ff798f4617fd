// Chooses the tensor backend once per thread: tfjs-node where its native library loads (users' machines) and this is
// a process's main thread, else tfjs + the wasm backend with SIMD. The pure-JS cpu backend is never chosen for real
// work: it measured ~40x slower than wasm for inference here; only tests that need a reference ask for it.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import type * as TfModule from '@tensorflow/tfjs';
import type { BackendInfo } from './types.js';

const require = createRequire(import.meta.url);

export type Tf = typeof TfModule;

let chosen: Promise<{ tf: Tf; info: BackendInfo }> | undefined;

const NATIVE_PACKAGE = '@tensorflow/tfjs-node';

export function nativeTensorFlowInstalled(): boolean {
  try {
    require.resolve(NATIVE_PACKAGE);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why this thread must not load tfjs-node, or null when it may. Worker threads never do: tfjs-node's binding keeps
 * one TensorFlow backend per process in a global that each thread loading it replaces (tensorflow/tfjs#3463, #8388),
 * so a second thread would lose or corrupt the first one's tensors (weights included) mid-import; its loads are
 * not thread-safe either. Worker threads (training; analysis inside Electron) therefore run on wasm side by side,
 * while a process's main thread, a worker process's included, uses native TensorFlow where it loads.
 */
export function nativeBackendRefusal(context: { backendAsked?: string; mainThread: boolean; installed: boolean }): string | null {
  if (context.backendAsked && context.backendAsked !== 'tensorflow') return `FAMILIAR_BACKEND=${context.backendAsked} asked for another backend`;
  // Said to users (Settings, familiar doctor): the usual case is the optional package not installed, not a fault.
  if (!context.installed) return 'native TensorFlow (the optional @tensorflow/tfjs-node) is not installed';
  if (!context.mainThread) return 'native TensorFlow (tfjs-node) serves one thread per process, its main one, and this is a worker thread';
  return null;
}

/**
 * Whether a child process of this Node may load native TensorFlow in its main thread, so work that wants it (face
 * analysis) should run in worker processes rather than threads. Never under Electron, whose binary cannot be started
 * as a Node interpreter once its RunAsNode fuse is off.
 */
export function nativeTensorFlowInChildProcesses(): boolean {
  if (process.versions.electron || process.env.FAMILIAR_ANALYSIS_WORKERS === 'threads') return false;
  return nativeBackendRefusal({ backendAsked: process.env.FAMILIAR_BACKEND, mainThread: true, installed: nativeTensorFlowInstalled() }) === null;
}

/**
 * For a thread refused tfjs-node only for being a worker thread, where it serves instead (BackendInfo.nativeElsewhere),
 * so Settings does not ask to install what is installed.
 */
export function whereNativeServes(context: {
  backendAsked?: string;
  /** FAMILIAR_ANALYSIS_WORKERS: 'threads' keeps face analysis off it, as FAMILIAR_BACKEND=wasm keeps everything off. */
  analysisWorkers?: string;
  mainThread: boolean;
  installed: boolean;
  electron: boolean;
}): BackendInfo['nativeElsewhere'] {
  if (context.mainThread || nativeBackendRefusal({ ...context, mainThread: true }) !== null) return undefined;
  if (context.electron) return 'terminal';
  return context.analysisWorkers === 'threads' ? undefined : 'analysis';
}

/**
 * The engine thread's backend as Settings should read it, once face analysis has started and said what it runs on:
 * where tfjs-node is installed but its library does not load, the analysis processes found wasm (and the pool went
 * back to threads), so 'analysis' would claim the native engine finds faces when it does not.
 */
export function withAnalysisBackend(engineThread: BackendInfo, analysis: BackendInfo | null): BackendInfo {
  if (engineThread.nativeElsewhere !== 'analysis' || analysis === null || analysis.name === 'tensorflow') return engineThread;
  const { nativeElsewhere: _claimed, ...rest } = engineThread;
  return { ...rest, reason: `Face analysis tried native TensorFlow in processes of its own. ${analysis.reason}` };
}

function tryTfjsNode(): { tf: Tf; error?: undefined } | { tf?: undefined; error: string; elsewhere?: BackendInfo['nativeElsewhere'] } {
  const asked = process.env.FAMILIAR_BACKEND;
  const installed = nativeTensorFlowInstalled();
  const refusal = nativeBackendRefusal({ backendAsked: asked, mainThread: isMainThread, installed });
  if (refusal) {
    const analysisWorkers = process.env.FAMILIAR_ANALYSIS_WORKERS;
    const elsewhere = whereNativeServes({ backendAsked: asked, analysisWorkers, mainThread: isMainThread, installed, electron: Boolean(process.versions.electron) });
    // Said where the report is read (Settings and `familiar serve` ask the engine's worker thread): analysis is elsewhere.
    const why =
      elsewhere === 'analysis'
        ? `${refusal} (face analysis uses it in processes of its own, where it loads)`
        : analysisWorkers === 'threads' && !isMainThread && installed && !process.versions.electron
          ? `${refusal} (FAMILIAR_ANALYSIS_WORKERS=threads keeps face analysis in threads too)`
          : refusal;
    return { error: why, elsewhere };
  }
  try {
    return { tf: require(NATIVE_PACKAGE) as Tf };
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { error: `native TensorFlow (@tensorflow/tfjs-node) did not load: ${message}` };
  }
}

async function choose(): Promise<{ tf: Tf; info: BackendInfo }> {
  const native = tryTfjsNode();
  if (native.tf) {
    await native.tf.setBackend('tensorflow');
    await native.tf.ready();
    return {
      tf: native.tf,
      info: {
        name: 'tensorflow',
        reason:
          'tfjs-node loaded its native TensorFlow library in this thread' +
          (nativeTensorFlowInChildProcesses() ? ', and face analysis uses it in processes of its own. Training runs' : '. Face analysis and training run') +
          ' in worker threads on WebAssembly: tfjs-node serves one thread per process.',
        simd: true,
        threads: 0,
      },
    };
  }
  const tf = require('@tensorflow/tfjs') as Tf;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
  wasm.setWasmPaths(wasmDir);
  if (process.env.FAMILIAR_BACKEND === 'cpu') {
    // Reference implementation for gradient checks and baselines only.
    await tf.setBackend('cpu');
    await tf.ready();
    return { tf, info: { name: 'cpu', reason: 'FAMILIAR_BACKEND=cpu (reference/baseline only)', simd: false, threads: 1 } };
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('The wasm tensor backend failed to initialise.');
  await tf.ready();
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threaded = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  const threads = threaded ? wasm.getThreadsCount() : 1;
  const { registerWasmGradientKernels } = await import('./wasm-kernels/index.js');
  registerWasmGradientKernels(tf);
  return {
    tf,
    info: {
      name: 'wasm',
      reason:
        `${native.error[0].toUpperCase()}${native.error.slice(1)}, so the models run on WebAssembly${simd ? ' with SIMD' : ' without SIMD'}` +
        (threaded ? `, on ${threads} threads.` : ': one thread each, in several workers side by side.'),
      simd,
      threads,
      ...(native.elsewhere ? { nativeElsewhere: native.elsewhere } : {}),
    },
  };
}

/** This thread's tfjs instance on the best backend it may use. Safe to call many times. */
export function initBackend(): Promise<{ tf: Tf; info: BackendInfo }> {
  chosen ??= choose();
  return chosen;
}

/** Directory holding face-api's pretrained weights (node_modules, or Electron's extra resources when packaged). */
export function faceApiModelDir(): string {
  if (process.env.FAMILIAR_MODELS_DIR) return join(process.env.FAMILIAR_MODELS_DIR, 'face-api');
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

// Chooses the tensor backend once per process: tfjs-node where its native library loads (users' machines),
// else tfjs + the wasm backend with SIMD. The pure-JS cpu backend is never chosen for real work: it measured
// ~40x slower than wasm for inference here; only tests that need a reference implementation ask for it.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TfModule from '@tensorflow/tfjs';
import type { BackendInfo } from './types.js';

const require = createRequire(import.meta.url);

export type Tf = typeof TfModule;

let chosen: Promise<{ tf: Tf; info: BackendInfo }> | undefined;

function tryTfjsNode(): { tf: Tf; error?: undefined } | { tf?: undefined; error: string } {
  if (process.env.FAMILIAR_BACKEND && process.env.FAMILIAR_BACKEND !== 'tensorflow') {
    return { error: `FAMILIAR_BACKEND=${process.env.FAMILIAR_BACKEND} asked for another backend` };
  }
  try {
    return { tf: require('@tensorflow/tfjs-node') as Tf };
  } catch (err) {
    // Said to users (Settings, familiar doctor): the usual case is the optional package not installed, not a fault.
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && /@tensorflow\/tfjs-node/.test(String((err as Error).message))) {
      return { error: 'native TensorFlow (the optional @tensorflow/tfjs-node) is not installed' };
    }
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
      info: { name: 'tensorflow', reason: 'tfjs-node loaded its native TensorFlow library', simd: true, threads: 0 },
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
    },
  };
}

/** The process-wide tfjs instance on the best backend available. Safe to call many times. */
export function initBackend(): Promise<{ tf: Tf; info: BackendInfo }> {
  chosen ??= choose();
  return chosen;
}

/** Directory holding face-api's pretrained weights (node_modules, or Electron's extra resources when packaged). */
export function faceApiModelDir(): string {
  if (process.env.FAMILIAR_MODELS_DIR) return join(process.env.FAMILIAR_MODELS_DIR, 'face-api');
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

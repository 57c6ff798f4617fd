// Which thread may load native TensorFlow: tfjs-node keeps one backend per process, so only a process's main thread
// uses it; worker threads (face analysis, training) run on wasm and say why.
import { describe, expect, it } from 'vitest';
import { initBackend, nativeBackendRefusal } from '../../models/backend.js';

describe('nativeBackendRefusal', () => {
  it('lets the main thread of a process load an installed tfjs-node', () => {
    expect(nativeBackendRefusal({ mainThread: true, installed: true })).toBeNull();
    expect(nativeBackendRefusal({ backendAsked: 'tensorflow', mainThread: true, installed: true })).toBeNull();
  });

  it('keeps worker threads off tfjs-node, whose one backend per process another thread would replace', () => {
    expect(nativeBackendRefusal({ mainThread: false, installed: true })).toBe(
      'native TensorFlow (tfjs-node) serves one thread per process, its main one, and this is a worker thread',
    );
  });

  it('says the optional package is missing before anything about threads', () => {
    for (const mainThread of [true, false]) {
      expect(nativeBackendRefusal({ mainThread, installed: false })).toBe(
        'native TensorFlow (the optional @tensorflow/tfjs-node) is not installed',
      );
    }
  });

  it('honours FAMILIAR_BACKEND asking for another backend', () => {
    expect(nativeBackendRefusal({ backendAsked: 'wasm', mainThread: true, installed: true })).toBe(
      'FAMILIAR_BACKEND=wasm asked for another backend',
    );
  });
});

describe('initBackend', () => {
  it('runs on wasm with SIMD here and says why native TensorFlow is not used', async () => {
    const { tf, info } = await initBackend();
    expect(tf.getBackend()).toBe('wasm');
    expect(info.name).toBe('wasm');
    expect(info.simd).toBe(true);
    expect(info.reason).toMatch(/^Native TensorFlow \(the optional @tensorflow\/tfjs-node\) is not installed, so the models run on WebAssembly with SIMD/);
  });
});

// Which thread may load native TensorFlow: tfjs-node keeps one backend per process, so only a process's main thread
// uses it; worker threads (face analysis, training) run on wasm and say why.
import { describe, expect, it } from 'vitest';
import { initBackend, nativeBackendRefusal, nativeTensorFlowInstalled, whereNativeServes, withAnalysisBackend } from '../../models/backend.js';
import type { BackendInfo } from '../../models/types.js';

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

describe('whereNativeServes', () => {
  it('says where an installed tfjs-node serves when this worker thread may not use it', () => {
    // `familiar serve`'s engine thread: its face analysis runs on it in processes of its own.
    expect(whereNativeServes({ mainThread: false, installed: true, electron: false })).toBe('analysis');
    // The desktop app's engine thread: Electron's binary cannot start those processes; the CLI's import can.
    expect(whereNativeServes({ mainThread: false, installed: true, electron: true })).toBe('terminal');
  });

  it('says nothing where tfjs-node is in use here, not installed, or asked away', () => {
    expect(whereNativeServes({ mainThread: true, installed: true, electron: false })).toBeUndefined();
    expect(whereNativeServes({ mainThread: false, installed: false, electron: false })).toBeUndefined();
    expect(whereNativeServes({ backendAsked: 'wasm', mainThread: false, installed: true, electron: false })).toBeUndefined();
  });

  it('does not say face analysis uses it when FAMILIAR_ANALYSIS_WORKERS=threads keeps analysis in threads', () => {
    expect(whereNativeServes({ analysisWorkers: 'threads', mainThread: false, installed: true, electron: false })).toBeUndefined();
    expect(whereNativeServes({ analysisWorkers: 'processes', mainThread: false, installed: true, electron: false })).toBe('analysis');
  });
});

describe('withAnalysisBackend', () => {
  const engineThread: BackendInfo = {
    name: 'wasm',
    reason: 'Native TensorFlow (tfjs-node) serves one thread per process, its main one, and this is a worker thread (face analysis uses it in processes of its own, where it loads), so the models run on WebAssembly with SIMD: one thread each, in several workers side by side.',
    simd: true,
    threads: 1,
    nativeElsewhere: 'analysis',
  };
  const analysis = (name: BackendInfo['name'], reason: string): BackendInfo => ({ name, reason, simd: true, threads: 1 });

  it('takes back "faces are found natively" once analysis found tfjs-node installed but not loading', () => {
    const broken = analysis('wasm', 'Native TensorFlow (@tensorflow/tfjs-node) did not load: libtensorflow.so.2: cannot open shared object file, so the models run on WebAssembly with SIMD.');
    const reported = withAnalysisBackend(engineThread, broken);
    expect(reported.nativeElsewhere).toBeUndefined();
    expect(reported.name).toBe('wasm');
    expect(reported.reason).toBe(`Face analysis tried native TensorFlow in processes of its own. ${broken.reason}`);
  });

  it('keeps the report while analysis runs natively, has not started, or was never said to', () => {
    expect(withAnalysisBackend(engineThread, analysis('tensorflow', 'tfjs-node loaded'))).toBe(engineThread);
    expect(withAnalysisBackend(engineThread, null)).toBe(engineThread);
    const terminal = { ...engineThread, nativeElsewhere: 'terminal' as const };
    expect(withAnalysisBackend(terminal, analysis('wasm', 'a worker thread'))).toBe(terminal);
  });
});

describe('initBackend', () => {
  it('runs a main thread on native TensorFlow where tfjs-node is installed, else on wasm with SIMD, saying why', async () => {
    const { tf, info } = await initBackend();
    // This machine has no tfjs-node (its install downloads from a blocked host); a developer's may.
    if (nativeTensorFlowInstalled()) {
      expect([tf.getBackend(), info.name]).toEqual(['tensorflow', 'tensorflow']);
      expect(info.reason).toMatch(/^tfjs-node loaded its native TensorFlow library in this thread/);
      return;
    }
    expect([tf.getBackend(), info.name, info.simd]).toEqual(['wasm', 'wasm', true]);
    expect(info.nativeElsewhere).toBeUndefined();
    expect(info.reason).toMatch(/^Native TensorFlow \(the optional @tensorflow\/tfjs-node\) is not installed, so the models run on WebAssembly with SIMD/);
  });
});

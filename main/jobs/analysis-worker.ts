// Worker side of AnalysisPool (a thread, or a child process through worker-process.ts): owns one FaceAnalyzer and
// analyses one image per message.
import { parentPort, workerData } from 'node:worker_threads';
import { FaceAnalyzer, MAX_ANALYSIS_SIDE, MAX_PANORAMA_SIDE, validateRgbImage, type FaceAnalyzerOptions } from '../../models/pipeline.js';
import type { DetectedFace, RgbImage } from '../../models/types.js';
import type { WorkerReply, WorkerRequest } from './analysis-pool.js';

if (!parentPort) throw new Error('analysis-worker must run as a worker of AnalysisPool.');
const port = parentPort;

const options = (workerData ?? {}) as FaceAnalyzerOptions;

// Ready means warm: the first photo must not pay for folding weights and compiling kernels.
async function start(): Promise<FaceAnalyzer> {
  const analyzer = await FaceAnalyzer.create(options);
  await analyzer.warmUp();
  return analyzer;
}

start().then(
  (analyzer) => {
    port.postMessage({ type: 'ready', backend: analyzer.backend } satisfies WorkerReply);
    port.on('message', (request: WorkerRequest) => void handle(analyzer, request));
  },
  (err: unknown) => {
    port.postMessage({ type: 'init-error', message: errorMessage(err) } satisfies WorkerReply);
  },
);

async function handle(analyzer: FaceAnalyzer, request: WorkerRequest): Promise<void> {
  const image: RgbImage = { data: request.data, width: request.width, height: request.height };
  try {
    validateRgbImage(image, request.options?.panorama ? MAX_PANORAMA_SIDE : MAX_ANALYSIS_SIDE);
  } catch (err) {
    port.postMessage({ type: 'result', id: request.id, error: errorMessage(err) } satisfies WorkerReply);
    return;
  }
  let faces: DetectedFace[];
  try {
    faces = await analyzer.analyze(image, request.options);
  } catch (err) {
    // A failure inside the model run (e.g. the wasm heap exhausted) may leave the backend unusable: report it, and
    // the pool sends no more work, stops this worker and starts a fresh one. Exiting here instead could lose the
    // report: the pool would see the exit first and tell the user only an exit code.
    port.postMessage({ type: 'result', id: request.id, error: errorMessage(err), fatal: true } satisfies WorkerReply);
    return;
  }
  const transfer = faces.flatMap((f) => [f.descriptor.buffer, f.crop.data.buffer]) as ArrayBuffer[];
  port.postMessage({ type: 'result', id: request.id, faces } satisfies WorkerReply, transfer);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

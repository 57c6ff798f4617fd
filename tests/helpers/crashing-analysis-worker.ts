// Stand-in for main/jobs/analysis-worker.ts speaking the same protocol, for pool tests: an image 13 pixels
// wide kills the thread (as a native crash or heap exhaustion would), 14 throws inside the thread, 15 reports a
// fatal failure and waits to be stopped, 16 never gets an answer, anything else gets one fake face after a short delay
// (a second when 17 wide). With FAMILIAR_TEST_FAILED_STARTS set to a file's path, the worker notes its start there and
// exits before it is ready, as a worker process killed by a Ctrl-C in the instant it forks does.
import { appendFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from '../../main/jobs/analysis-pool.js';

const port = parentPort!;
const failedStarts = process.env.FAMILIAR_TEST_FAILED_STARTS;
if (failedStarts) {
  appendFileSync(failedStarts, 'start\n');
  process.exit(4);
}
port.postMessage({ type: 'ready', backend: { name: 'cpu', reason: 'test stand-in', simd: false, threads: 1 } } satisfies WorkerReply);
port.on('message', (request: WorkerRequest) => {
  if (request.width === 13) process.exit(3);
  if (request.width === 14) throw new Error('simulated failure inside the worker');
  if (request.width === 15) {
    // As analysis-worker does when the model run fails: say why, and wait for the pool to stop this worker.
    port.postMessage({ type: 'result', id: request.id, error: 'simulated model failure', fatal: true } satisfies WorkerReply);
    return;
  }
  if (request.width === 16) return; // Never answers: a photo that takes the model forever.
  setTimeout(() => {
    const face = {
      box: [0, 0, request.width, request.height] as [number, number, number, number],
      score: request.data[0] / 255,
      landmarks: [],
      descriptor: new Float32Array(128),
      analysedSide: 100,
      crop: { data: new Uint8Array(3), width: 1, height: 1 },
    };
    port.postMessage({ type: 'result', id: request.id, faces: [face] } satisfies WorkerReply);
  }, request.width === 17 ? 1_000 : 20);
});

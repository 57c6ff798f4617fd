// Worker thread of the faceness job: loads one autoencoder version, then decodes face thumbnails a chunk at a time
// and scores them, so memory stays the size of one chunk however large the library is.
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../../models/backend.js';
import { facenessRegion, facenessScore } from '../../models/autoencoder/faceness.js';
import { facenessErrors } from '../../models/autoencoder/latent.js';
import { loadCrop, THUMB_CENTRE_FRACTION } from './crops.js';
import type { FacenessWorkerMessage, ScoreFacenessTask } from './faceness-protocol.js';
import { loadAutoencoderVersion } from './versions.js';

const port = parentPort;
if (!port) throw new Error('faceness-worker.ts must run in a worker thread.');

function send(message: FacenessWorkerMessage): void {
  port!.postMessage(message);
}

async function run(task: ScoreFacenessTask): Promise<void> {
  const { tf } = await initBackend();
  const { model, version } = await loadAutoencoderVersion(tf, task.libraryDir, task.version);
  const calibration = version.faceness;
  if (!calibration) throw new Error(`Autoencoder ${version.version} has no faceness calibration; train a new version.`);
  const cancelled = new Int32Array(task.cancelFlag);
  const size = model.config.imageSize;
  const pixels = size * size * 3;
  try {
    for (let start = 0; start < task.items.length; start += task.chunkSize) {
      if (Atomics.load(cancelled, 0) !== 0) return send({ type: 'cancelled' });
      const chunk = task.items.slice(start, start + task.chunkSize);
      const crops = new Float32Array(chunk.length * pixels);
      const ids: string[] = [];
      const skipped: string[] = [];
      for (const item of chunk) {
        try {
          crops.set(await loadCrop(item.file, size, { centreFraction: THUMB_CENTRE_FRACTION }), ids.length * pixels);
          ids.push(item.id);
        } catch {
          // An unreadable thumbnail keeps its face's score; "familiar doctor" rebuilds thumbnails.
          skipped.push(item.id);
        }
      }
      const errors = facenessErrors(model, crops, ids.length, facenessRegion(calibration));
      send({ type: 'scores', ids, scores: Array.from(errors, (e) => facenessScore(e, calibration)), skipped });
    }
    send({ type: 'done', version: version.version });
  } finally {
    model.dispose();
  }
}

run(workerData as ScoreFacenessTask).catch((err: unknown) => {
  send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
});

// A training run Familiar closed or crashed during is remembered in the library, and said after the next open (QA: the
// Training card read "Not trained yet" after a restart, as if the run had never been).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../../main/api/events.js';
import { JobRegistry, type JobRunner } from '../../../main/api/jobs.js';
import { TrainingRuns } from '../../../main/api/training-runs.js';
import { JobCancelledError, type JobProgress } from '../../../main/jobs/progress.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-training-runs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What the face studio reports: batches within a pass, then the pass's summary (main/autoencoder/train-job.ts). */
function pass(epoch: number, of: number, batch?: number): JobProgress {
  const done = batch === undefined ? epoch : epoch - 1 + batch / 10;
  return { job: 'train-autoencoder', stage: 'train', done, total: of, etaSeconds: null, ratePerSecond: null, detail: { epoch, ...(batch !== undefined && { batch }) } };
}

/** A training that makes two passes and a third's first batch, then runs until it is stopped. */
const stoppedInPassThree: JobRunner = (signal, onProgress) =>
  new Promise((_, reject) => {
    onProgress({ job: 'train-autoencoder', stage: 'load', done: 0, total: 200, etaSeconds: null, ratePerSecond: null });
    for (const report of [pass(1, 65, 5), pass(1, 65), pass(2, 65, 5), pass(2, 65), pass(3, 65, 1)]) onProgress(report);
    if (signal.aborted) reject(new JobCancelledError('train-autoencoder'));
    signal.addEventListener('abort', () => reject(new JobCancelledError('train-autoencoder')));
  });

describe('TrainingRuns', () => {
  it('says where a run stopped when Familiar closed during it, until the model is trained again', async () => {
    const jobs = new JobRegistry(new EventHub());
    const runs = new TrainingRuns(dir, false);
    const id = jobs.start('train-autoencoder', runs.recorded('autoencoder', stoppedInPassThree));
    await expect.poll(() => jobs.list()[0].progress?.detail?.epoch).toBe(3);
    await jobs.shutdown();
    expect((await jobs.settled(id)).state).toBe('cancelled');

    const reopened = new TrainingRuns(dir, false);
    expect(await reopened.interrupted()).toEqual({ autoencoder: { pass: 3, passes: 65, startedAt: expect.any(String), cause: 'closed' } });

    const again = new JobRegistry(new EventHub());
    const done = again.start('train-autoencoder', reopened.recorded('autoencoder', async () => null));
    await again.settled(done);
    expect(await reopened.interrupted()).toEqual({});
    expect(await new TrainingRuns(dir, false).interrupted()).toEqual({});
  });

  it('says a run was cut short when the engine stopped without closing (a crash)', async () => {
    const jobs = new JobRegistry(new EventHub());
    const runs = new TrainingRuns(dir, false);
    const reports: JobProgress[] = [];
    jobs.start('train-embedder', runs.recorded('embedder', (signal, onProgress, ...rest) => stoppedInPassThree(signal, (p) => (reports.push(p), onProgress(p)), ...rest)));
    // The third pass is written down once its first batch is reported.
    await expect.poll(() => reports.length).toBe(6);
    await expect
      .poll(async () => (await new TrainingRuns(dir, true).interrupted()).embedder, { timeout: 5000 })
      .toEqual({ pass: 3, passes: 65, startedAt: expect.any(String), cause: 'crashed' });
    await jobs.shutdown();
  });

  it('forgets a run the user cancelled or that ended: only an interruption is said', async () => {
    const jobs = new JobRegistry(new EventHub());
    const runs = new TrainingRuns(dir, false);
    const cancelled = jobs.start('train-autoencoder', runs.recorded('autoencoder', stoppedInPassThree));
    jobs.cancel(cancelled);
    await jobs.settled(cancelled);
    const failed = jobs.start('train-embedder', runs.recorded('embedder', async () => {
      throw new Error('The embedder needs two confirmed faces each of at least two named people.');
    }));
    expect((await jobs.settled(failed)).state).toBe('failed');
    expect(await new TrainingRuns(dir, false).interrupted()).toEqual({});
  });
});

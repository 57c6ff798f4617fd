// A face studio training stopped at its very end: the worker finishes its last pass before it hears the stop, so the
// version is saved and put in use, and the stop lands on the check of the faces outside the training sample. A code
// review found the job then ended "cancelled", the CLI promising a resume of a run already cleared, and those faces
// were never checked by the version in use (training again had "nothing new to learn"). Now the job says what it did
// and what it left, and the faces left are checked when the app opens (or a training with nothing new runs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNCHECKED_SETTING } from '../../../main/autoencoder/faceness-job.js';
import { leftUncheckedDone, trainAutoencoderJob, uncheckedSentence, type TrainAutoencoderOptions, type TrainAutoencoderResult } from '../../../main/autoencoder/train-job.js';
import { autoencoderInUse } from '../../../main/autoencoder/versions.js';
import { createApi } from '../../../main/api/index.js';
import { Library } from '../../../main/store/library.js';
import { makeAutoencoderFixture, type AutoencoderFixture } from './fixture.js';

const SMALL: TrainAutoencoderOptions = {
  epochs: 2,
  batchSize: 8,
  seed: 3,
  untilDrawn: null,
  // 16 of the 24 faces learnt from: 8 are checked after the training.
  maxFaces: 16,
  architecture: { imageSize: 32, latentDim: 24, channels: [8, 16, 16, 16], outputStageChannels: 8, restoration: { fullResChannels: 8, residual: true } },
};

let fixture: AutoencoderFixture;
let result: TrainAutoencoderResult;

beforeAll(async () => {
  fixture = await makeAutoencoderFixture(24);
  const controller = new AbortController();
  // Stopped during the last pass.
  result = await trainAutoencoderJob(fixture.library, SMALL, { signal: controller.signal, onEpoch: (e) => e.epoch === 2 && controller.abort() });
}, 300_000);

afterAll(async () => {
  await fixture?.close();
});

const unchecked = (library: Library) => library.faces.filter((f) => f.faceness === null).length;

describe('a face studio training stopped as it checks the other faces', () => {
  it('says it put the version in use and how many faces it left unchecked', async () => {
    expect(result.adopted).toBe(true);
    expect(await autoencoderInUse(fixture.library)).toBe(result.version);
    expect(result.uncheckedFaces).toBe(8);
    expect(unchecked(fixture.library)).toBe(8);
    expect(result.scoredFaces).toBe(16);
    expect(fixture.library.settings[UNCHECKED_SETTING]).toBe(result.version);
    expect(uncheckedSentence(result.uncheckedFaces)).toBe(
      'You stopped it as it checked the other faces: 8 faces keep their earlier check until Familiar checks them, the next time it opens or you train the face studio again.',
    );
  });

  it('has the faces left checked when the app opens', async () => {
    await fixture.library.close();
    const api = await createApi({ libraryDir: fixture.dir, mode: 'browser', log: () => {} });
    try {
      const job = api.jobs.list().find((j) => j.kind === 'score-faceness');
      expect(job).toBeDefined();
      expect((await api.jobs.settled(job!.id)).state).toBe('done');
    } finally {
      await api.close();
    }
    const reopened = await Library.open(fixture.dir, { readOnly: true });
    try {
      expect(unchecked(reopened)).toBe(0);
      expect(reopened.settings[UNCHECKED_SETTING]).toBeUndefined();
    } finally {
      await reopened.close();
    }
  }, 120_000);
});

describe('a training with nothing new to learn, after one stopped as it checked the other faces', () => {
  it('checks the faces left, and says so', async () => {
    const stopped = await makeAutoencoderFixture(24);
    try {
      const controller = new AbortController();
      await trainAutoencoderJob(stopped.library, SMALL, { signal: controller.signal, onEpoch: (e) => e.epoch === 2 && controller.abort() });
      expect(unchecked(stopped.library)).toBe(8);
      const again = await trainAutoencoderJob(stopped.library, SMALL);
      expect(again.nothingNew?.inUse).toBe(true);
      expect(unchecked(stopped.library)).toBe(0);
      expect(stopped.library.settings[UNCHECKED_SETTING]).toBeUndefined();
      expect(leftUncheckedDone(again)).toBe('Checked all 24 faces again: a stopped training had left some unchecked.');
    } finally {
      await stopped.close();
    }
  }, 300_000);
});

describe('the face studio training job, cancelled once its last pass is done', () => {
  it('ends "done" with the version it put in use, not "cancelled"', async () => {
    const late = await makeAutoencoderFixture(24);
    await late.library.close();
    const api = await createApi({ libraryDir: late.dir, mode: 'browser', log: () => {} });
    try {
      let jobId = '';
      // Cancel pressed as the only pass ends: the worker has no pass left to stop, and the version is saved and used.
      api.events.subscribe((name, payload) => {
        const { progress } = payload as { progress?: { stage: string; detail?: Record<string, unknown> } };
        if (name === 'job.progress' && progress?.stage === 'train' && typeof progress.detail?.trainLoss === 'number') void api.dispatcher.call('jobs.cancel', { jobId });
      });
      const started = await api.dispatcher.call('training.autoencoder.start', { epochs: 1, exact: true });
      jobId = (started.result as { jobId: string }).jobId;
      const job = await api.jobs.settled(jobId);
      expect(job).toMatchObject({ state: 'done', result: { adopted: true, version: 'v1' } });
      expect((await api.dispatcher.call('models.list', {})).result).toMatchObject({ autoencoderInUse: 'v1' });
    } finally {
      await api.close();
      await late.close();
    }
  }, 300_000);
});

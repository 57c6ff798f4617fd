// The library side of the autoencoder: the training job in a worker (progress, per-epoch checkpoint, resume,
// cancel, versions, a sample spread over everyone, faceness on every face) and the uses over faces and people,
// through the CLI too.
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adoptionReason, beatsIncumbent, lookUnlikeAFace, studioNothingNewSentence, trainAutoencoderJob, trainingSample, facesForReview, type TrainAutoencoderOptions } from '../../../main/autoencoder/train-job.js';
import type { ValidationComparison, ValidationFigures } from '../../../models/autoencoder/train.js';
import { AutoencoderUses } from '../../../main/autoencoder/uses.js';
import { scoreFaceness } from '../../../main/autoencoder/faceness-job.js';
import { AUTOENCODER_SETTING, autoencoderInUse, listAutoencoderVersions, readCheckpoint } from '../../../main/autoencoder/versions.js';
import { JobCancelledError, type JobProgress } from '../../../main/jobs/progress.js';
import { main } from '../../../main/cli/main.js';
import { Engine } from '../../../main/engine.js';
import { makeAutoencoderFixture, type AutoencoderFixture } from './fixture.js';

const SMALL: TrainAutoencoderOptions = {
  epochs: 2,
  batchSize: 8,
  seed: 3,
  // Exactly the passes asked for: a model this small on 24 faces would make passes up to the cap.
  untilDrawn: null,
  architecture: { imageSize: 32, latentDim: 24, channels: [8, 16, 16, 16], outputStageChannels: 8, restoration: { fullResChannels: 8, residual: true } },
};

let fixture: AutoencoderFixture;
let out: string;

beforeAll(async () => {
  fixture = await makeAutoencoderFixture(24);
  out = mkdtempSync(join(tmpdir(), 'familiar-autoencoder-out-'));
});

afterAll(async () => {
  await fixture?.close();
  rmSync(out, { recursive: true, force: true });
});

describe('train autoencoder job', () => {
  it('refuses a library with too few faces, in one sentence', async () => {
    const tiny = await makeAutoencoderFixture(4);
    try {
      await expect(trainAutoencoderJob(tiny.library, SMALL)).rejects.toThrow(/at least 16 faces/);
    } finally {
      await tiny.close();
    }
  });

  it('keeps the last epoch when cancelled and resumes from it, then stores a version and scores every face', async () => {
    const controller = new AbortController();
    const progress: JobProgress[] = [];
    // The interrupted run is asked for more epochs (settings other than epochs must match to resume) and small
    // batches, so the cancel lands well before it could finish on its own.
    await expect(
      trainAutoencoderJob(fixture.library, { ...SMALL, epochs: 6, batchSize: 4 }, {
        signal: controller.signal,
        onProgress: (p) => progress.push(p),
        onEpoch: () => controller.abort(),
      }),
    ).rejects.toBeInstanceOf(JobCancelledError);
    expect(progress.some((p) => p.job === 'train-autoencoder' && p.stage === 'train')).toBe(true);
    // Progress by batch, each a fraction of its pass (QA: the chart was one dot for minutes); the library's first run
    // has no earlier pace to estimate by before its own steps are timed.
    const batches = progress.filter((p) => p.detail?.batch !== undefined);
    const perPass = batches[0].detail!.batches as number;
    expect(perPass).toBeGreaterThan(1);
    expect(batches.slice(0, perPass).map((p) => p.done)).toEqual(Array.from({ length: perPass }, (_, i) => (i + 1) / perPass));
    expect(progress.find((p) => p.stage === 'train')!.etaSeconds).toBeNull();
    // The loss charted is the mean over the last quarter pass of batches, a batch's own swinging with its damage.
    const losses = batches.map((p) => p.detail!.loss as number);
    const window = Math.ceil(perPass / 4);
    batches.forEach((p, i) => {
      const recent = losses.slice(Math.max(0, i + 1 - window), i + 1);
      expect(p.detail!.recentLoss).toBeCloseTo(recent.reduce((a, b) => a + b, 0) / recent.length, 10);
    });
    // The worker stops at the first batch boundary after the cancel: whichever epoch it last finished is kept.
    const checkpoint = await readCheckpoint(fixture.dir);
    const kept = checkpoint?.info.epoch ?? 0;
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(kept).toBeLessThan(6);
    expect(await listAutoencoderVersions(fixture.dir)).toHaveLength(0);

    const epochs: number[] = [];
    const reported: number[] = [];
    const result = await trainAutoencoderJob(
      fixture.library,
      { ...SMALL, batchSize: 4, epochs: kept + 1 },
      {
        onEpoch: (e) => epochs.push(e.epoch),
        onProgress: (p) => p.stage === 'train' && typeof p.detail?.validationLoss === 'number' && reported.push(p.detail.epoch as number),
      },
    );
    expect(result.resumedFromEpoch).toBe(kept);
    expect(epochs).toEqual([kept + 1]);
    // The chart of the resumed run starts at epoch 1: the stopped run's epochs are reported again first.
    expect(reported).toEqual(Array.from({ length: kept + 1 }, (_, i) => i + 1));
    expect(result.history).toHaveLength(kept + 1);
    expect(result.version).toBe('v1');
    expect(result.faces).toBe(24);
    expect(await readCheckpoint(fixture.dir)).toBeNull();
    const versions = await listAutoencoderVersions(fixture.dir);
    expect(versions.map((v) => v.version)).toEqual(['v1']);
    expect(versions[0].faceness?.faces).toBeGreaterThan(10);
    for (const face of fixture.library.faces) {
      expect(face.faceness).not.toBeNull();
      expect(face.faceness!).toBeGreaterThanOrEqual(0);
      expect(face.faceness!).toBeLessThanOrEqual(1);
    }
    expect(facesForReview(fixture.library).length).toBe(result.faceness.reviewFaces);
    // User decisions are untouched by the job.
    expect(fixture.library.faces.filter((f) => f.assignedBy === 'user')).toHaveLength(8);
  });
});

describe('training sample', () => {
  const face = (id: string, personId: string | null) => ({ id, personId });

  it('spreads over everyone instead of the most photographed', () => {
    const child = Array.from({ length: 500 }, (_, i) => face(`child-${i}`, 'person-child'));
    const cousin = Array.from({ length: 5 }, (_, i) => face(`cousin-${i}`, 'person-cousin'));
    const loose = Array.from({ length: 300 }, (_, i) => face(`loose-${i}`, null));
    const faces = [...child, ...loose, ...cousin];
    const sample = trainingSample(faces, 60);
    expect(sample).toHaveLength(60);
    expect(sample.filter((f) => f.personId === 'person-cousin')).toHaveLength(5);
    expect(sample.filter((f) => f.personId === 'person-child')).toHaveLength(27);
    expect(sample.filter((f) => f.personId === null)).toHaveLength(28);
    // Stable (a resumed run must find the same faces) and in library order.
    expect(trainingSample([...faces].reverse(), 60).map((f) => f.id).sort()).toEqual(sample.map((f) => f.id).sort());
    expect(sample).toEqual(faces.filter((f) => sample.includes(f)));
    expect(trainingSample(cousin, 60)).toBe(cousin);
  });

  it('saves a version that restores the set-aside faces less well, but keeps the one in use and its scores', async () => {
    const inUse = await autoencoderInUse(fixture.library);
    expect(inUse).toBe('v1');
    const scores = fixture.library.faces.map((f) => f.faceness);
    // A learning rate this small leaves the new model about where it started: far worse than v1.
    const seen: Array<[number, string]> = [];
    const progress: JobProgress[] = [];
    const result = await trainAutoencoderJob(fixture.library, { ...SMALL, epochs: 1, learningRate: 1e-7, resume: false }, { onEpoch: (e) => seen.push([e.epoch, e.samples]), onProgress: (p) => progress.push(p) });
    expect(result.version).toBe('v2');
    // A time left at once, before its first step, from v1's pace on this computer: it is replaced once a step is timed.
    const start = progress.find((p) => p.stage === 'train')!;
    expect(start.done).toBe(0);
    expect(start.etaSeconds).toBeGreaterThan(0);
    // The first epoch is reported too, with a picture that outlives the run's checkpoint.
    expect(seen).toEqual([[1, join('models', 'autoencoder', 'samples', 'epoch-1.png')]]);
    expect(existsSync(join(fixture.dir, seen[0][1]))).toBe(true);
    expect(result.adopted).toBe(false);
    expect(result.incumbent).toMatchObject({ version: 'v1', figures: { validationLoss: expect.any(Number) } });
    // Both measured in this run on the same faces; the new one's figures are its last pass's, measured again.
    const { comparison } = result.incumbent as { comparison: import('../../../models/autoencoder/train.js').ValidationComparison };
    expect(comparison.incumbentMeasured).toBe('now');
    expect(comparison.candidate.validationLoss).toBeCloseTo(result.history.at(-1)!.validationLoss, 6);
    expect(comparison.lossGain).toBeLessThan(-2 * comparison.lossGainError);
    expect(adoptionReason(result)).toMatch(/^Kept v1: v2 draws the set-aside faces from its latent code less well \(loss [\d.]+, [\d.]+ dB against loss [\d.]+, [\d.]+ dB, both measured now on the same (1 set-aside face|\d+ set-aside faces)\)\. It is saved under Versions/);
    // The Versions list shows the same measurement as the verdict.
    const v2 = (await listAutoencoderVersions(fixture.dir)).find((v) => v.version === 'v2')!;
    expect(v2.heldOut).toBe('by-face');
    expect(v2.comparison).toMatchObject({ version: 'v1', incumbent: comparison.incumbent, candidate: comparison.candidate });
    expect(await autoencoderInUse(fixture.library)).toBe('v1');
    expect((await listAutoencoderVersions(fixture.dir)).map((v) => v.version)).toEqual(['v1', 'v2']);
    expect(result.scoredFaces).toBe(0);
    expect(fixture.library.faces.map((f) => f.faceness)).toEqual(scores);
  });

  it('learns from at most maxFaces, scores every face, and becomes the version in use when it beats it', async () => {
    // The weak v2 in use: any real training beats it.
    await fixture.library.transaction((tx) => {
      tx.settings[AUTOENCODER_SETTING] = 'v2';
      for (const f of tx.faces) f.faceness = null;
    });
    const stages = new Set<string>();
    const result = await trainAutoencoderJob(fixture.library, { ...SMALL, epochs: 1, maxFaces: 16, resume: false }, { onProgress: (p) => stages.add(`${p.job}:${p.stage}`) });
    expect(result.adopted).toBe(true);
    expect(adoptionReason(result)).toMatch(/^v3 draws the set-aside faces from its latent code better than v2/);
    expect(result.faces).toBe(16);
    expect(result.scoredFaces).toBe(24);
    // The faces outside the sample were scored by the faceness job, streamed in its own worker.
    expect(stages).toContain('score-faceness:score');
    for (const f of fixture.library.faces) expect(f.faceness).not.toBeNull();
    expect(fixture.library.settings[AUTOENCODER_SETTING]).toBe(result.version);
    expect(await autoencoderInUse(fixture.library)).toBe(result.version);
    expect(facesForReview(fixture.library).length).toBe(result.faceness.reviewFaces);
  });

  it('makes more passes than asked while its drawings are much alike, up to the cap, and says so', async () => {
    const messages: string[] = [];
    const result = await trainAutoencoderJob(
      fixture.library,
      // Drawings always "much alike" (variety 2): a library this small could never draw the default's faces within the cap.
      { ...SMALL, epochs: 1, resume: false, untilDrawn: { variety: 2, facesDrawn: 0, maxEpochs: 3 } },
      { onProgress: (p) => p.message && messages.push(p.message) },
    );
    expect(result.history.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(messages.some((m) => /^Epoch 1 of 2: .*drawings are still much alike, so it makes another pass/.test(m))).toBe(true);
    expect(messages).toContain(`Saved autoencoder ${result.version}${result.adopted ? '' : `; kept ${result.incumbent!.version} in use`}`);
  });
});

describe('whether a new face studio replaces the one in use', () => {
  const figures = (validationLoss: number, drawingVariety?: number): ValidationFigures => ({
    validationLoss,
    validationPsnr: 17,
    validationSsim: 0.44,
    restoredPsnr: 22,
    restoredSsim: 0.74,
    ...(drawingVariety !== undefined && { drawingVariety }),
  });
  const versus = (candidate: ValidationFigures, old: ValidationFigures, lossGainError = 0.004, incumbentMeasured: ValidationComparison['incumbentMeasured'] = 'now') => ({
    version: 'v1',
    figures: old,
    comparison: { faces: 25, candidate, incumbent: old, lossGain: old.validationLoss - candidate.validationLoss, lossGainError, incumbentMeasured },
  });

  it('keeps the old one only when the new one is worse by more than the noise', () => {
    expect(beatsIncumbent(versus(figures(0.13, 0.8), figures(0.12, 0.8)))).toBe(false); // worse by 2.5 standard errors
    expect(beatsIncumbent(versus(figures(0.125, 0.8), figures(0.12, 0.8)))).toBe(true); // within the noise: the newer
    expect(beatsIncumbent(versus(figures(0.11, 0.8), figures(0.12, 0.8)))).toBe(true);
    expect(beatsIncumbent(null)).toBe(true);
    expect(beatsIncumbent({ version: 'v1', problem: 'weights missing' })).toBe(true);
  });

  it('puts a model that draws faces apart in place of one drawing grey blobs, and never the reverse', () => {
    expect(beatsIncumbent(versus(figures(0.14, 0.7), figures(0.1, 0.05)))).toBe(true);
    expect(beatsIncumbent(versus(figures(0.1, 0.05), figures(0.14, 0.7)))).toBe(false);
    const result = { version: 'v2', adopted: true, incumbent: versus(figures(0.14, 0.7), figures(0.1, 0.05)) };
    expect(adoptionReason(result)).toMatch(/^v2 draws faces apart where v1 drew them much alike, grey and blurred \(loss 0\.1400, 17\.0 dB against loss 0\.1000, 17\.0 dB, both measured now on the same 25 set-aside faces\), so it is in use now\.$/);
  });

  it('says when the old one learnt from these faces and its own figures stood in for it', () => {
    const result = { version: 'v2', adopted: true, incumbent: versus(figures(0.1316, 0.69), figures(0.1392, 0.7), 0.006, 'when-trained') };
    expect(adoptionReason(result)).toContain('on 25 set-aside faces against loss 0.1392, 17.0 dB on the faces v1 set aside, as it had learnt from most of these');
  });

  it('never says every face looks like a face beside grey drawings', () => {
    expect(lookUnlikeAFace(0, 0, true)).toMatch(/^Its drawings are still grey and much alike/);
    expect(lookUnlikeAFace(0, 0)).toBe('It found no detection that looks unlike a face.');
    expect(lookUnlikeAFace(2, 1)).toMatch(/^2 detections look unlike a face/);
  });
});

describe('faceness job', () => {
  it('skips a damaged or missing thumbnail with the rest scored and its face left as it was', async () => {
    const [damaged, missing] = fixture.library.faces.slice(10, 12);
    const damagedFile = join(fixture.dir, damaged.thumb);
    const missingFile = join(fixture.dir, missing.thumb);
    const keptBytes = readFileSync(damagedFile);
    writeFileSync(damagedFile, keptBytes.subarray(0, 40));
    renameSync(missingFile, `${missingFile}.away`);
    const before = { damaged: damaged.faceness, missing: missing.faceness };
    expect(before.damaged).not.toBeNull();
    await fixture.library.transaction((tx) => {
      for (const f of tx.faces) if (f.id !== damaged.id && f.id !== missing.id) f.faceness = null;
    });
    try {
      const result = await scoreFaceness(fixture.library);
      expect(result).toMatchObject({ scored: 22, skipped: 2 });
      expect(fixture.library.face(damaged.id)!.faceness).toBe(before.damaged);
      expect(fixture.library.face(missing.id)!.faceness).toBe(before.missing);
      expect(fixture.library.faces.filter((f) => f.faceness === null)).toEqual([]);
    } finally {
      writeFileSync(damagedFile, keptBytes);
      renameSync(`${missingFile}.away`, missingFile);
    }
  });
});

describe('autoencoder uses', () => {
  it('interpolates between two faces and between two people, and explains bad references', async () => {
    const uses = await AutoencoderUses.open(fixture.library);
    try {
      const faces = await uses.interpolate(fixture.library, fixture.faceIds[10], fixture.faceIds[20], { steps: 8 });
      expect(faces.strip.width).toBe(8 * 32);
      expect(faces.strip.height).toBe(32);
      expect(faces.frames).toHaveLength(8);
      expect(faces.from.kind).toBe('face');
      const people = await uses.interpolate(fixture.library, 'Ada', 'person-bob', { steps: 4, mode: 'linear' });
      expect(people.from).toMatchObject({ kind: 'person', label: 'Ada' });
      expect(people.from.faceIds.sort()).toEqual([...fixture.ada].sort());
      expect(people.to.faceIds).toHaveLength(4);
      await expect(uses.interpolate(fixture.library, 'Nobody', fixture.faceIds[0])).rejects.toThrow(/neither a face id nor a person/);
      // One face at both ends would come back as the same picture `steps` times: said instead, by name or id alike.
      await expect(uses.interpolate(fixture.library, fixture.faceIds[10], fixture.faceIds[10])).rejects.toThrow(/^Both ends are a face .*: choose two different/);
      await expect(uses.interpolate(fixture.library, 'Ada', 'Ada')).rejects.toThrow(/^Both ends are Ada: choose two different faces or people/);
    } finally {
      uses.dispose();
    }
  });

  it('does latent arithmetic and denoising with faceness', async () => {
    const uses = await AutoencoderUses.open(fixture.library);
    try {
      const sum = await uses.arithmetic(fixture.library, fixture.faceIds[12], ['Ada'], ['Bob'], 1);
      expect(sum.pair.width).toBe(64);
      expect(sum.add[0].label).toBe('Ada');
      await expect(uses.arithmetic(fixture.library, fixture.faceIds[12], [], [])).rejects.toThrow(/at least one/);
      const pair = await uses.denoise(fixture.library, fixture.faceIds[3]);
      expect(pair.strip.width).toBe(64);
      expect(pair.noisy).toBeNull();
      expect(pair.faceness).toBeGreaterThanOrEqual(0);
      // With noise added, the noisy crop is what is restored, and the restoration is nearer the clean crop than it.
      const denoised = await uses.denoise(fixture.library, fixture.faceIds[3], { noise: 0.2 });
      expect(denoised.strip.width).toBe(96);
      const distance = (a: Uint8Array, b: Uint8Array) => a.reduce((sum, v, i) => sum + (v - b[i]) ** 2, 0);
      expect(distance(denoised.noisy!.data, denoised.before.data)).toBeGreaterThan(0);
      expect(distance(denoised.after.data, denoised.before.data)).toBeLessThan(distance(denoised.noisy!.data, denoised.before.data));
      expect(Array.from(denoised.before.data)).toEqual(Array.from(pair.before.data));
      await expect(uses.denoise(fixture.library, 'no-such-face')).rejects.toThrow(/No face "no-such-face"/);
    } finally {
      uses.dispose();
    }
  });

  it('writes PNGs from the CLI commands', async () => {
    const strip = join(out, 'strip.png');
    const pair = join(out, 'pair.png');
    const arithmetic = join(out, 'x.png');
    expect(await main(['interpolate', fixture.faceIds[1], fixture.faceIds[2], '--steps', '6', '--out', strip, '--library', fixture.dir, '--json'])).toBe(0);
    expect(await main(['denoise', fixture.faceIds[1], '--out', pair, '--library', fixture.dir])).toBe(0);
    expect(await main(['arithmetic', '--base', fixture.faceIds[5], '--add', fixture.faceIds[6], fixture.faceIds[7], '--sub', 'Bob', '--out', arithmetic, '--library', fixture.dir])).toBe(0);
    expect((await sharp(strip).metadata()).width).toBe(6 * 32 * 2);
    // The crop, with the app's noise added, restored; --noise 0 restores the crop as it is.
    expect((await sharp(pair).metadata()).width).toBe(3 * 32 * 2);
    expect(await main(['denoise', fixture.faceIds[1], '--noise', '0', '--out', pair, '--library', fixture.dir])).toBe(0);
    expect((await sharp(pair).metadata()).width).toBe(2 * 32 * 2);
    expect(await main(['denoise', fixture.faceIds[1], '--noise', '2', '--out', pair, '--library', fixture.dir])).toBe(2);
    expect(existsSync(arithmetic)).toBe(true);
    // A second value after --sub is subtracted too, as one after --add is added (QA: --sub C A added A).
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['arithmetic', '--base', fixture.faceIds[5], '--add', fixture.faceIds[6], '--sub', 'Bob', fixture.faceIds[7], '--out', arithmetic, '--library', fixture.dir, '--json'])).toBe(0);
      const said = JSON.parse(stdout.mock.calls.map((c) => String(c[0])).join('')) as { add: string[]; subtract: string[] };
      expect([said.add.length, said.subtract.length]).toEqual([1, 2]);
      // Nothing to add but what follows --sub: refused before the library opens, as with no --add at all.
      expect(await main(['arithmetic', '--base', fixture.faceIds[5], '--sub', 'Bob', fixture.faceIds[7], '--out', arithmetic, '--library', fixture.dir])).toBe(2);
    } finally {
      stdout.mockRestore();
    }
    expect(await main(['interpolate', fixture.faceIds[1], '--out', strip, '--library', fixture.dir])).toBe(2);
    // The app's API draws at most 32 faces; so does the CLI.
    expect(await main(['interpolate', fixture.faceIds[1], fixture.faceIds[2], '--steps', '33', '--out', strip, '--library', fixture.dir])).toBe(2);
    expect(await main(['denoise', fixture.faceIds[1], '--out', join(out, 'pair.jpg'), '--library', fixture.dir])).toBe(2);
    // A folder that does not exist: one sentence, before any model work (it used to be libvips' multi-line report).
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['denoise', fixture.faceIds[1], '--out', join(out, 'missing', 'pair.png'), '--library', fixture.dir])).toBe(1);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toBe(`familiar denoise: Cannot write ${join(out, 'missing', 'pair.png')}: the folder ${join(out, 'missing')} does not exist.\n`);
      // A folder that is there but takes no files (it used to be called missing).
      stderr.mockClear();
      expect(await main(['denoise', fixture.faceIds[1], '--out', '/proc/pair.png', '--library', fixture.dir])).toBe(1);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toBe('familiar denoise: Cannot write /proc/pair.png: /proc takes no new files.\n');
      // A file where the folder should be.
      stderr.mockClear();
      expect(await main(['denoise', fixture.faceIds[1], '--out', join(arithmetic, 'pair.png'), '--library', fixture.dir])).toBe(1);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toBe(`familiar denoise: Cannot write ${join(arithmetic, 'pair.png')}: ${arithmetic} is a file, not a folder.\n`);
    } finally {
      stderr.mockRestore();
    }
    expect(readdirSync(out).sort()).toEqual(['pair.png', 'strip.png', 'x.png']);
  });
});

describe('a stopped run with other settings', () => {
  it('is not continued by a run with other settings, and the result says so', async () => {
    const controller = new AbortController();
    await expect(
      trainAutoencoderJob(fixture.library, { ...SMALL, epochs: 6, batchSize: 4, learningRate: 1e-7 }, { signal: controller.signal, onEpoch: () => controller.abort() }),
    ).rejects.toBeInstanceOf(JobCancelledError);
    const stopped = (await readCheckpoint(fixture.dir))!.info.epoch;
    const messages: string[] = [];
    const other = await trainAutoencoderJob(fixture.library, { ...SMALL, epochs: 1, seed: 9, learningRate: 1e-7 }, { onProgress: (p) => p.message && messages.push(p.message) });
    expect(other.resumedFromEpoch).toBe(0);
    expect(other.replacedStoppedRun).toBe(stopped);
    expect(messages.some((m) => m.includes(`a stopped run of other settings, at epoch ${stopped}, is not continued`))).toBe(true);
  });
});

describe('a run with nothing new to learn from', () => {
  it('trains nothing when a version learnt from the same faces with the same settings, unless asked anyway or a face changed', async () => {
    // QA: 10 minutes for a face studio v2 whose every figure was v1's (training is deterministic).
    const options = { ...SMALL, epochs: 1, seed: 11, resume: false };
    const first = await trainAutoencoderJob(fixture.library, options);
    expect(first.nothingNew).toBeNull();
    const versions = (await listAutoencoderVersions(fixture.dir)).map((v) => v.version);
    const progress: JobProgress[] = [];
    const again = await trainAutoencoderJob(fixture.library, options, { onProgress: (p) => progress.push(p) });
    expect(again.nothingNew).toEqual({ since: first.version, inUse: first.adopted, trainedAt: expect.any(String), faces: first.faces });
    expect(again.version).toBe(first.version);
    expect(again.adopted).toBe(false);
    expect(again.history).toEqual([]);
    expect((await listAutoencoderVersions(fixture.dir)).map((v) => v.version)).toEqual(versions);
    // No thumbnail read, no pass made.
    expect(progress.map((p) => p.stage)).toEqual(['done']);
    expect(studioNothingNewSentence(again.nothingNew!)).toBe(
      `Nothing new to learn from since ${first.version} was trained: the same ${first.faces} faces with the same settings, so training again would give the same model ` +
        `(${first.adopted ? 'it is the version in use' : "it is not in use: the Training screen's Versions can put it in use"}). Import more photos first.`,
    );

    // Other settings are something new.
    const otherSeed = await trainAutoencoderJob(fixture.library, { ...options, seed: 12 });
    expect(otherSeed.nothingNew).toBeNull();
    // Asked anyway, it trains the same data again.
    const anyway = await trainAutoencoderJob(fixture.library, { ...options, anyway: true });
    expect(anyway.nothingNew).toBeNull();
    expect(anyway.version).not.toBe(first.version);
    // A face analysed again (its thumbnail rewritten) is something new too.
    const thumb = join(fixture.dir, fixture.library.faces[0].thumb);
    const later = new Date(Date.now() + 60_000);
    utimesSync(thumb, later, later);
    const changed = await trainAutoencoderJob(fixture.library, options);
    expect(changed.nothingNew).toBeNull();
  }, 120_000);
});

describe('a version that made fewer passes than the plan now makes', () => {
  it('is not the same run, though its faces and settings are', async () => {
    // QA: a library trained before small libraries got the cap's 40 passes was told "Nothing new to learn from" and
    // kept its 12-pass model of grey faces. Here the plan makes 2 passes (it cannot draw the faces asked within the cap).
    const options = { ...SMALL, epochs: 1, seed: 21, resume: false, untilDrawn: { variety: 0, facesDrawn: 1e9, maxEpochs: 2 } };
    const first = await trainAutoencoderJob(fixture.library, options);
    expect(first.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect((await trainAutoencoderJob(fixture.library, options)).nothingNew?.since).toBe(first.version);

    // As an earlier release's plan would have left it: one pass.
    const file = join(fixture.dir, 'models', 'autoencoder', `${first.version}.json`);
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    manifest.history = manifest.history.slice(0, 1);
    writeFileSync(file, JSON.stringify(manifest));
    const again = await trainAutoencoderJob(fixture.library, options);
    expect(again.nothingNew).toBeNull();
    expect(again.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect((await trainAutoencoderJob(fixture.library, options)).nothingNew?.since).toBe(again.version);
  }, 120_000);
});

describe('familiar train autoencoder stopped with Ctrl-C', () => {
  it('says the command that resumes it, with the options it was given', async () => {
    // QA: it said "familiar train autoencoder" resumes; without the run's --seed that started again at pass 1, over
    // the stopped run's passes.
    const own = await makeAutoencoderFixture(24);
    // One Ctrl-C, after the first pass (a second would quit at once).
    let stopped = false;
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      if (String(chunk).startsWith('epoch') && !stopped) {
        stopped = true;
        process.emit('SIGINT');
      }
      return true;
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await own.library.close();
      expect(await main(['train', 'autoencoder', '--epochs', '6', '--seed', '7', '--exact', '--library', own.dir])).toBe(1);
      const said = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(said).toContain('Training stopped; the last finished epoch is kept and "familiar train autoencoder --epochs 6 --seed 7 --exact" resumes from it.');
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      rmSync(own.dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('a face studio whose weights are damaged or lost', () => {
  it('is a problem doctor names, and drawing with it says where and what to do', async () => {
    // QA: doctor called the library healthy, and the Studio said only "The autoencoder weights file is damaged (1000
    // bytes, expected …)".
    const own = await makeAutoencoderFixture(24);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const trained = await trainAutoencoderJob(own.library, { ...SMALL, seed: 31 });
      await own.library.close();
      const weights = join(own.dir, 'models', 'autoencoder', `${trained.version}.bin`);
      const mend = 'Train the face studio again (Training screen, or "familiar train autoencoder"), or put another version in use.';
      expect((await Engine.doctor(own.dir)).library.studioProblem).toBeUndefined();

      writeFileSync(weights, readFileSync(weights).subarray(0, 1000));
      expect((await Engine.doctor(own.dir)).library.studioProblem).toBe(`The weights of face studio ${trained.version} are damaged (${weights}). ${mend}`);
      expect(await main(['doctor', '--library', own.dir])).toBe(1);
      expect(stdout.mock.calls.map((c) => String(c[0])).join('')).toContain(`PROBLEM: The weights of face studio ${trained.version} are damaged`);
      stderr.mockClear();
      expect(await main(['denoise', own.faceIds[1], '--out', join(own.dir, 'x.png'), '--library', own.dir])).toBe(1);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(new RegExp(`^familiar denoise: The autoencoder weights file is damaged \\(1000 bytes, expected \\d+\\): ${weights.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\. Train the face studio again`));

      rmSync(weights);
      expect((await Engine.doctor(own.dir)).library.studioProblem).toBe(`The weights of face studio ${trained.version} are missing (${weights}). ${mend}`);
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
      rmSync(own.dir, { recursive: true, force: true });
    }
  }, 120_000);
});

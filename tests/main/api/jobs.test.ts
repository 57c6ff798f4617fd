// The job registry: progress and completion become events, one job per kind at a time, cancellation is a clean
// stop, failures keep their sentence, and progress is throttled without losing the end of a stage.
import { describe, expect, it, vi } from 'vitest';
import { EventHub } from '../../../main/api/events.js';
import { finishedDespiteCancel, JobRegistry, LIBRARY_CHANGE_INTERVAL_MS } from '../../../main/api/jobs.js';
import { isShuttingDown, JobCancelledError, throwIfCancelled, type JobProgress } from '../../../main/jobs/progress.js';

function progress(stage: string, done: number, total: number): JobProgress {
  return { job: 'import', stage, done, total, etaSeconds: null, ratePerSecond: null };
}

function recordEvents() {
  const hub = new EventHub();
  const seen: Array<{ name: string; payload: unknown }> = [];
  hub.subscribe((name, payload) => seen.push({ name, payload }));
  return { hub, seen };
}

describe('JobRegistry', () => {
  it('replaces a running job of a kind: the old one is cancelled and awaited, the new one runs', async () => {
    const jobs = new JobRegistry(new EventHub());
    const order: string[] = [];
    const first = jobs.start('score-faceness', (signal) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          order.push('first stopped');
          reject(new JobCancelledError('score-faceness'));
        });
      }),
    );
    // Starting a second one the plain way is refused while the first runs.
    expect(() => jobs.start('score-faceness', async () => null)).toThrow(/already running/);
    const second = await jobs.replace('score-faceness', async () => {
      order.push('second ran');
      return { scored: 3 };
    });
    expect((await jobs.settled(first)).state).toBe('cancelled');
    expect(await jobs.settled(second)).toMatchObject({ state: 'done', result: { scored: 3 } });
    expect(order).toEqual(['first stopped', 'second ran']);
  });

  it('reports progress and the result, then lists the finished job', async () => {
    const { hub, seen } = recordEvents();
    let clock = 0;
    const jobs = new JobRegistry(hub, () => clock);
    const id = jobs.start('import', async (_signal, onProgress) => {
      onProgress(progress('scan', 0, 3));
      clock += 10;
      onProgress(progress('scan', 1, 3)); // within 100 ms of the previous one: throttled
      clock += 10;
      onProgress(progress('scan', 3, 3)); // end of the stage: always sent
      clock += 500;
      onProgress(progress('analyse', 1, 2)); // new stage: sent
      return { photosSeen: 3, photosAdded: 3, photosUnchanged: 0, photosMissing: 0, photosMoved: 0, photosEdited: 0, facesFound: 4, skipped: [] };
    });
    const done = await jobs.settled(id);
    expect(done.state).toBe('done');
    expect(done.result).toMatchObject({ facesFound: 4 });
    const progressEvents = seen.filter((e) => e.name === 'job.progress').map((e) => (e.payload as { progress: JobProgress }).progress);
    expect(progressEvents.map((p) => `${p.stage}:${p.done}`)).toEqual(['scan:0', 'scan:3', 'analyse:1']);
    expect(seen.map((e) => e.name).slice(-2)).toEqual(['job.done', 'library.changed']);
    expect(jobs.list()[0]).toMatchObject({ id, kind: 'import', state: 'done' });
  });

  it('sends the last report the throttle held back once the interval is up, not only with the next report', async () => {
    const { hub, seen } = recordEvents();
    const clock = 0; // every report at the same instant: all but the first are held back
    const jobs = new JobRegistry(hub, () => clock);
    let release!: () => void;
    const id = jobs.start('import', async (_signal, onProgress) => {
      // An import's unchanged files go by in a burst, then the face finder takes seconds to start (QA: "1 of 27").
      for (let done = 1; done <= 26; done++) onProgress(progress('analyse', done, 27));
      await new Promise<void>((resolve) => (release = resolve));
      onProgress(progress('analyse', 27, 27));
      return null;
    });
    const sent = () => seen.filter((e) => e.name === 'job.progress').map((e) => (e.payload as { progress: JobProgress }).progress.done);
    expect(sent()).toEqual([1]);
    await vi.waitFor(() => expect(sent()).toEqual([1, 26]), { timeout: 15_000 });
    release();
    await jobs.settled(id);
    expect(sent()).toEqual([1, 26, 27]);
  });

  it('sends nothing held back after the job ended', async () => {
    const { hub, seen } = recordEvents();
    const jobs = new JobRegistry(hub, () => 0);
    const id = jobs.start('import', async (_signal, onProgress) => {
      onProgress(progress('analyse', 1, 3));
      onProgress(progress('analyse', 2, 3)); // held back, then the job ends
      return null;
    });
    await jobs.settled(id);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(seen.filter((e) => e.name === 'job.progress').map((e) => (e.payload as { progress: JobProgress }).progress.done)).toEqual([1]);
  });

  it('keeps a training job\'s latest report of each chart point, each batch and each epoch, for a window that opens mid-run', async () => {
    let clock = 0;
    const jobs = new JobRegistry(new EventHub(), () => clock);
    const report = (epoch: number, batch: number, loss: number): JobProgress => ({
      job: 'train-autoencoder',
      stage: 'train',
      done: batch,
      total: 10,
      etaSeconds: null,
      ratePerSecond: null,
      detail: { epoch, batch, loss },
    });
    let release: () => void = () => {};
    const id = jobs.start('train-autoencoder', async (_signal, onProgress) => {
      for (const [epoch, batch, loss] of [[1, 1, 0.9], [1, 5, 0.8], [1, 5, 0.7], [2, 1, 0.6], [2, 9, 0.5]]) {
        clock += 500;
        onProgress(report(epoch, batch, loss));
      }
      await new Promise<void>((resolve) => (release = resolve));
      return null;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const running = jobs.list().find((j) => j.id === id)!;
    // The face studio charts its loss per batch (QA: one dot for minutes); a report of the same batch replaces the last.
    expect(running.history?.map((p) => [p.detail?.epoch, p.detail?.batch, p.detail?.loss])).toEqual([
      [1, 1, 0.9],
      [1, 5, 0.7],
      [2, 1, 0.6],
      [2, 9, 0.5],
    ]);
    release();
    await jobs.settled(id);
    // Other jobs carry no history.
    const other = jobs.start('import', async () => null);
    await jobs.settled(other);
    expect(jobs.list().find((j) => j.id === other)!.history).toBeUndefined();
  });

  it('forwards every epoch summary, however fast the epochs come, and throttles the batches', async () => {
    const clock = 0; // every report at the same instant: only the throttle's exceptions go out
    const events = new EventHub();
    const sent: JobProgress[] = [];
    events.subscribe((name, payload) => name === 'job.progress' && sent.push((payload as { progress: JobProgress }).progress));
    const jobs = new JobRegistry(events, () => clock);
    const id = jobs.start('train-embedder', async (_signal, onProgress) => {
      for (let epoch = 1; epoch <= 9; epoch++) {
        onProgress({ job: 'train-embedder', stage: 'epoch', done: epoch, total: 10, etaSeconds: null, ratePerSecond: null, detail: { epoch, batch: 1, loss: 1 } });
        onProgress({ job: 'train-embedder', stage: 'epoch', done: epoch, total: 10, etaSeconds: null, ratePerSecond: null, detail: { epoch, loss: 1 / epoch } });
      }
      return null;
    });
    await jobs.settled(id);
    const summaries = sent.filter((p) => p.detail?.batch === undefined).map((p) => p.detail?.epoch);
    expect(summaries).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sent.filter((p) => p.detail?.batch !== undefined).length).toBeLessThanOrEqual(1);
    expect(jobs.list().find((j) => j.id === id)!.history?.filter((p) => p.detail?.batch === undefined).map((p) => p.detail?.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('bounds a long run\'s history by thinning its older batches, every epoch\'s report kept', async () => {
    let clock = 0;
    const jobs = new JobRegistry(new EventHub(), () => clock);
    const progress = (detail: Record<string, number>): JobProgress => ({ job: 'train-autoencoder', stage: 'train', done: 0, total: 40, etaSeconds: null, ratePerSecond: null, detail });
    // 40 passes of 70 batches: a 2,500-face library's run at the cap.
    const id = jobs.start('train-autoencoder', async (_signal, onProgress) => {
      for (let epoch = 1; epoch <= 40; epoch++) {
        for (let batch = 1; batch <= 70; batch++) {
          clock += 1000;
          onProgress(progress({ epoch, batch, batches: 70, loss: 1 / (epoch + batch / 70) }));
        }
        clock += 1000;
        onProgress(progress({ epoch, trainLoss: 1 / epoch }));
      }
      return null;
    });
    await jobs.settled(id);
    const history = jobs.list().find((j) => j.id === id)!.history!;
    expect(history.length).toBeLessThanOrEqual(1000);
    expect(history.filter((p) => p.detail?.batch === undefined).map((p) => p.detail?.epoch)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const batches = history.filter((p) => p.detail?.batch !== undefined);
    // Every pass keeps its last batch and more, the latest pass most: the line keeps its shape from start to end.
    for (let epoch = 1; epoch <= 40; epoch++) expect(batches.filter((p) => p.detail?.epoch === epoch).at(-1)?.detail?.batch).toBe(70);
    expect(batches.filter((p) => p.detail?.epoch === 40).length).toBeGreaterThan(10);
  });

  it('refuses a second job of the same kind while one runs', async () => {
    const jobs = new JobRegistry(new EventHub());
    let release!: () => void;
    const id = jobs.start('train-embedder', () => new Promise((resolve) => (release = () => resolve(null))));
    expect(() => jobs.start('train-embedder', async () => null)).toThrow(/already running/);
    const other = jobs.start('recluster', async () => null);
    release();
    await jobs.settled(id);
    await jobs.settled(other);
    expect(() => jobs.start('train-embedder', async () => null)).not.toThrow();
  });

  it('cancels through the AbortSignal and records a clean stop', async () => {
    const jobs = new JobRegistry(new EventHub());
    const id = jobs.start('import', async (signal) => {
      while (true) {
        await new Promise((r) => setTimeout(r, 5));
        throwIfCancelled(signal, 'import');
      }
    });
    expect(jobs.cancel(id)).toBe(true);
    const info = await jobs.settled(id);
    expect(info.state).toBe('cancelled');
    expect(info.error).toBeNull();
    expect(jobs.cancel(id)).toBe(false);
    expect(() => jobs.cancel('no-such-job')).toThrow(/No job/);
  });

  it('keeps a failure\'s sentence', async () => {
    const jobs = new JobRegistry(new EventHub());
    const id = jobs.start('train-autoencoder', async () => {
      throw new Error('Not enough faces to train: 3 (at least 50).');
    });
    expect(await jobs.settled(id)).toMatchObject({ state: 'failed', error: 'Not enough faces to train: 3 (at least 50).' });
  });

  it('says a full disk in words, and how to carry on, not as the system\'s "ENOSPC: ..."', async () => {
    // QA: the app's Import said "Import stopped — ENOSPC: no space left on device, write".
    const jobs = new JobRegistry(new EventHub());
    const full = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const imported = jobs.start('import', async () => {
      throw full();
    });
    expect((await jobs.settled(imported)).error).toBe(
      'The disk is full (ENOSPC: no space left on device, write). What was done before this is kept: free some space, then resume the import.',
    );
    const trained = jobs.start('train-embedder', async () => {
      throw full();
    });
    expect((await jobs.settled(trained)).error).toMatch(/^The disk is full .*then try again\.$/);
  });

  it('shutdown cancels running jobs and waits for them', async () => {
    const jobs = new JobRegistry(new EventHub());
    const id = jobs.start('recluster', async (signal) => {
      await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new JobCancelledError('recluster'))));
      return null;
    });
    await jobs.shutdown();
    expect(jobs.list().find((j) => j.id === id)?.state).toBe('cancelled');
  });

  it('tells a job stopped by the app closing from one the user cancelled, so an import can leave its grouping to the next open', async () => {
    const jobs = new JobRegistry(new EventHub());
    const seen: boolean[] = [];
    const waitForStop = (signal: AbortSignal) =>
      new Promise<null>((resolve) =>
        signal.addEventListener('abort', () => {
          seen.push(isShuttingDown(signal));
          resolve(null);
        }),
      );
    const cancelled = jobs.start('import', waitForStop);
    jobs.cancel(cancelled);
    await jobs.settled(cancelled);
    jobs.start('import', waitForStop);
    await jobs.shutdown();
    expect(seen).toEqual([false, true]);
  });

  it('stops on closing a job the user cancelled before, which was still finishing (an import grouping what it kept)', async () => {
    const jobs = new JobRegistry(new EventHub());
    let finishing = false;
    const id = jobs.start('import', async (signal, _onProgress, closing) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      // What a cancel lets finish: only the app closing stops it (QA: quitting waited for every kept face to be grouped).
      finishing = true;
      await new Promise((_resolve, reject) => closing.addEventListener('abort', () => reject(new JobCancelledError('import'))));
      return null;
    });
    jobs.cancel(id);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(finishing).toBe(true);
    await jobs.shutdown();
    expect(await jobs.settled(id)).toMatchObject({ state: 'cancelled' });
    // A job started afterwards is not stopped by that close.
    const after = jobs.start('import', async (_signal, _onProgress, closing) => ({ closing: closing.aborted }));
    expect((await jobs.settled(after)).result).toEqual({ closing: false });
  });

  it("ends 'done' a job whose work was all done when the cancel came, and 'cancelled' one that stopped short", async () => {
    const jobs = new JobRegistry(new EventHub());
    const afterCancel = (finished: boolean) => async (signal: AbortSignal) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      return finished ? finishedDespiteCancel({ photosSeen: 20 }) : { photosSeen: 8 };
    };
    const done = jobs.start('import', afterCancel(true));
    jobs.cancel(done);
    expect(await jobs.settled(done)).toMatchObject({ state: 'done', result: { photosSeen: 20 } });
    const short = jobs.start('import', afterCancel(false));
    jobs.cancel(short);
    expect(await jobs.settled(short)).toMatchObject({ state: 'cancelled', result: { photosSeen: 8 } });
  });

  it('says what a running job changed at most every few seconds, the last change gathered, and nothing after its end', async () => {
    vi.useFakeTimers();
    try {
      const events = new EventHub();
      const changes: string[][] = [];
      events.subscribe((name, payload) => name === 'library.changed' && changes.push((payload as { what: string[] }).what));
      const jobs = new JobRegistry(events, () => Date.now());
      let finish: () => void = () => {};
      let changed: (what: Array<'photos' | 'faces' | 'people'>) => void = () => {};
      const id = jobs.start('import', async (_signal, _onProgress, _closing, libraryChanged) => {
        changed = libraryChanged;
        await new Promise<void>((resolve) => (finish = resolve));
        return null;
      });
      // An import storing a batch every second: the first goes out at once, the next three in one event.
      changed(['photos', 'faces']);
      expect(changes).toEqual([['photos', 'faces']]);
      for (let i = 0; i < 3; i++) {
        await vi.advanceTimersByTimeAsync(1000);
        changed(i === 2 ? ['people', 'faces'] : ['photos', 'faces']);
      }
      expect(changes).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(LIBRARY_CHANGE_INTERVAL_MS - 3000);
      expect(changes).toEqual([['photos', 'faces'], ['photos', 'faces', 'people']]);
      // Nothing new: nothing said.
      await vi.advanceTimersByTimeAsync(3 * LIBRARY_CHANGE_INTERVAL_MS);
      expect(changes).toHaveLength(2);
      // A change gathered when the job ends is said by its end, once.
      changed(['photos']);
      changed(['photos']);
      expect(changes).toHaveLength(3);
      changed(['faces']);
      finish();
      await jobs.settled(id);
      await vi.advanceTimersByTimeAsync(2 * LIBRARY_CHANGE_INTERVAL_MS);
      expect(changes.slice(3)).toEqual([['photos', 'faces', 'people']]);
    } finally {
      vi.useRealTimers();
    }
  });
});

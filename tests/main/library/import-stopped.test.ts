// An import that stops part-way keeps what it read, and its faces end up grouped: at once when the user cancels (QA:
// People said "No people yet" and "Who is this?" listed all 111 kept faces as in no group), at the next open when the
// app closed or crashed during it. Also: what an import reports as it goes (the faces of a resumed import's photos
// read before count with them; the library's counts come with the progress), and what it says of a folder without
// photos or a file that is none.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calls, noPhotosSentence, type ImportResult, type JobInfo, type JobProgress } from '../../../preload/contract.js';
import { createApi, type Api } from '../../../main/api/index.js';
import { Engine } from '../../../main/engine.js';
import { JobCancelledError, ShuttingDown } from '../../../main/jobs/progress.js';
import { importFolders, isKeptImport } from '../../../main/library/import.js';
import { listPeople } from '../../../main/people/index.js';
import { hasUngroupedFaces } from '../../../main/people/interim-groups.js';
import { Library } from '../../../main/store/library.js';
import { PIPELINE_VERSION } from '../../../models/pipeline.js';
import { peopleAlbum, sharedFaces } from './helpers.js';

const PEOPLE = ['Abdullah_Gul', 'Adrien_Brody'];
const setup = peopleAlbum('familiar-import-stopped-', PEOPLE);

/** Calls through the API's dispatcher, the answer checked against the contract. */
async function call<K extends keyof typeof calls>(api: Api, name: K, args?: unknown): Promise<ReturnType<(typeof calls)[K]['result']['parse']>> {
  const answer = await api.dispatcher.call(name, args);
  if (answer.error !== undefined) throw new Error(`${name} failed: ${answer.error}`);
  return calls[name].result.parse(answer.result) as ReturnType<(typeof calls)[K]['result']['parse']>;
}

/**
 * Every face of the library in a person or group, or left to the user in "Who is this?": none waits to be grouped. A
 * stopped import's groups are for now (tests/main/library/import-resumed.test.ts): its faces keep `unplaced`.
 */
function expectAllGrouped(library: Library): void {
  expect(library.faces.length).toBeGreaterThan(0);
  expect(hasUngroupedFaces(library)).toBe(false);
  // Two people of ten photos each: the faces read form groups (QA: every kept face "in no group").
  expect(listPeople(library).length).toBeGreaterThanOrEqual(1);
  expect(library.faces.filter((f) => f.personId !== null).length).toBeGreaterThanOrEqual(library.faces.length / 2);
}

/** As an import that went through every file leaves its faces: grouped, and placed for good. */
function expectAllPlaced(library: Library): void {
  expectAllGrouped(library);
  expect(library.faces.filter((f) => f.unplaced)).toEqual([]);
}

/** The error an import stops with (null when it finishes), to assert on: cancelled and closing imports reject. */
function stoppedWith(importing: Promise<unknown>): Promise<unknown> {
  return importing.then(
    () => null,
    (err: unknown) => err,
  );
}

/** What a crash after some photos were written leaves: faces stored, never placed (FaceRecord.unplaced). */
async function crashDuringImport(libraryDir: string): Promise<void> {
  const library = await Library.open(libraryDir);
  try {
    const controller = new AbortController();
    await importFolders(library, async () => setup.pool, PIPELINE_VERSION, [setup.album], {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage === 'analyse' && p.done >= 8) controller.abort();
      },
    }).catch((err: unknown) => {
      if (!(err instanceof JobCancelledError)) throw err;
    });
    expect(library.faces.length).toBeGreaterThan(0);
    expect(library.faces.every((f) => f.unplaced)).toBe(true);
  } finally {
    await library.close();
  }
}

/** Whether every face of the library at `libraryDir` still waits to be grouped. */
async function allUnplaced(libraryDir: string): Promise<boolean> {
  const library = await Library.open(libraryDir);
  try {
    return library.faces.length > 0 && library.faces.every((f) => f.unplaced);
  } finally {
    await library.close();
  }
}

describe('an import cancelled once every file was read', () => {
  it('ends as a finished import: not stopped, the names said not read, its faces grouped (engine)', async () => {
    const engine = await Engine.open(join(setup.work, 'engine-late-cancel'), { analyzer: setup.pool });
    try {
      const controller = new AbortController();
      // The last photo read: the cancel lands while the names other apps saved are read (QA: "Resume" with nothing left).
      const summary = await engine.import([setup.album], {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.stage === 'analyse' && p.total > 0 && p.done === p.total) controller.abort();
        },
      });
      expect(summary).toMatchObject({ photos: 20, stopped: null, names: null, namesNotRead: true });
      expectAllPlaced(engine.library);
    } finally {
      await engine.close();
    }
  }, 300_000);

  it("ends its job 'done', its folder watched (API)", async () => {
    const api = await createApi({ libraryDir: join(setup.work, 'api-late-cancel'), mode: 'browser', log: () => {} });
    try {
      const { jobId } = await call(api, 'import.start', { paths: [setup.album] });
      api.events.subscribe((name, payload) => {
        const { progress } = payload as { progress: JobProgress };
        if (name === 'job.progress' && progress.stage === 'analyse' && progress.total > 0 && progress.done === progress.total) api.jobs.cancel(jobId);
      });
      const job = await api.jobs.settled(jobId);
      expect(job.state).toBe('done');
      expect(job.result).toMatchObject({ photosSeen: 20, stopped: null, namesNotRead: true, watchedNow: [setup.album] });
      expect((await call(api, 'library.info')).folders).toEqual([setup.album]);
      expect((await call(api, 'people.list', {})).length).toBeGreaterThanOrEqual(1);
    } finally {
      await api.close();
    }
  }, 300_000);
});

describe('an import Familiar closes during its grouping', () => {
  it('leaves the faces to the next open rather than holding up the close, after a cancel too (engine)', async () => {
    const engine = await Engine.open(join(setup.work, 'engine-close-grouping'), { analyzer: setup.pool });
    try {
      // Every file read, then closing as the faces are grouped.
      const closed = new AbortController();
      const finished = await stoppedWith(
        engine.import([setup.album], {
          signal: closed.signal,
          onProgress: (p) => {
            if (p.stage === 'cluster') closed.abort(new ShuttingDown());
          },
        }),
      );
      expect(finished).toBeInstanceOf(JobCancelledError);
      expect(engine.library.faces.length).toBeGreaterThan(0);
      expect(engine.library.faces.every((f) => f.unplaced)).toBe(true);
      // What the next open runs.
      await engine.finishStoppedImport();
      expectAllGrouped(engine.library);

      // Cancelled part-way, then closing while the faces kept are grouped: the cancel's signal is spent, `closing` says it.
      const more = join(setup.work, 'more');
      cpSync(join(sharedFaces, 'lfw_subset', 'Andre_Agassi'), join(more, 'Andre_Agassi'), { recursive: true });
      const cancel = new AbortController();
      const closing = new AbortController();
      const before = new Set(engine.library.faces.map((f) => f.id));
      const cancelled = await stoppedWith(
        engine.import([more], {
          signal: cancel.signal,
          closing: closing.signal,
          onProgress: (p) => {
            if (p.stage === 'analyse' && p.done >= 4) cancel.abort();
            if (p.stage === 'cluster') closing.abort(new ShuttingDown());
          },
        }),
      );
      expect(cancelled).toBeInstanceOf(JobCancelledError);
      const kept = engine.library.faces.filter((f) => !before.has(f.id));
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.every((f) => f.unplaced)).toBe(true);
    } finally {
      await engine.close();
    }
  }, 300_000);
});

describe('an import cancelled part-way', () => {
  it('keeps what it read, groups those faces, and says how far it got (engine)', async () => {
    const engine = await Engine.open(join(setup.work, 'engine-cancel'), { analyzer: setup.pool });
    try {
      const controller = new AbortController();
      const reports: JobProgress[] = [];
      const stopped = await stoppedWith(
        engine.import([setup.album], {
          signal: controller.signal,
          onProgress: (p) => {
            reports.push(p);
            if (p.stage === 'analyse' && p.done >= 8) controller.abort();
          },
        }),
      );
      expect(stopped).toBeInstanceOf(JobCancelledError);
      const kept = (stopped as JobCancelledError).kept;
      expect(isKeptImport(kept)).toBe(true);
      if (!isKeptImport(kept)) return;
      expect(kept.stopped).toMatchObject({ how: 'cancelled', of: 20 });
      expect(kept.stopped!.files).toBeGreaterThanOrEqual(8);
      expect(kept.stopped!.files).toBeLessThan(20);
      expect(kept.photos).toBe(engine.library.photos.length);
      expect(kept.faces).toBe(engine.library.faces.length);
      expectAllGrouped(engine.library);
      // Once stopping, every report says so: the screen shows "Stopping…" in any window.
      const afterCancel = reports.slice(reports.findIndex((p) => p.stage === 'analyse' && p.done >= 8) + 1);
      expect(afterCancel.filter((p) => p.detail?.stopping === true).length).toBeGreaterThan(0);
      expect(afterCancel.filter((p) => p.stage !== 'analyse').every((p) => p.detail?.stopping === true)).toBe(true);

      // Resumed: the faces of the photos read before count with the photos (QA: "105 of 204 photos, 17 faces found").
      const resumed: JobProgress[] = [];
      const summary = await engine.import([setup.album], { onProgress: (p) => resumed.push(p) });
      expect(summary).toMatchObject({ photos: 20, stopped: null, noPhotos: null });
      const last = resumed.filter((p) => p.stage === 'analyse').at(-1)!;
      expect(last).toMatchObject({ done: 20, total: 20 });
      expect(last.detail).toMatchObject({ faces: summary.faces, facesInPhotosRead: engine.library.faces.length });
      expect(summary.faces).toBeLessThan(engine.library.faces.length);
      // The library's counts come with the progress, written or not yet: a header showing them agrees with the card.
      expect(last.detail?.library).toEqual({ photos: engine.library.photos.length, faces: engine.library.faces.length });
      expectAllPlaced(engine.library);
    } finally {
      await engine.close();
    }
  }, 300_000);

  it('ends its job "cancelled" with what it kept, the folder not watched, and People holding its faces (API)', async () => {
    const api = await createApi({ libraryDir: join(setup.work, 'api-cancel'), mode: 'browser', log: () => {} });
    try {
      const reports: JobProgress[] = [];
      let cancelAsked = false;
      const { jobId } = await call(api, 'import.start', { paths: [setup.album] });
      api.events.subscribe((name, payload) => {
        if (name !== 'job.progress') return;
        const { progress } = payload as { progress: JobProgress };
        reports.push(progress);
        if (!cancelAsked && progress.stage === 'analyse' && progress.done >= 6) {
          cancelAsked = true;
          void api.dispatcher.call('jobs.cancel', { jobId });
        }
      });
      const job = await api.jobs.settled(jobId);
      expect(job.state).toBe('cancelled');
      const result = calls['jobs.list'].result.parse([job])[0].result as ImportResult;
      expect(result.stopped).toMatchObject({ how: 'cancelled', of: 20 });
      expect(result.photosSeen).toBeGreaterThanOrEqual(6);
      expect(result.facesFound).toBeGreaterThan(0);
      const people = await call(api, 'people.list', {});
      expect(people.length).toBeGreaterThanOrEqual(1);
      const info = await call(api, 'library.info');
      expect(info.counts.faces).toBe(result.facesFound);
      // Resume reads the rest: a cancelled import's folder is not watched, or the watcher would import it on its own.
      expect(info.folders).toEqual([]);
    } finally {
      await api.close();
    }
  }, 300_000);
});

describe('an import stopped as its face finder starts', () => {
  it('stops, not fails, when the stop kills the face finder starting (a worker process forked as Ctrl-C came)', async () => {
    const library = await Library.open(join(setup.work, 'finder-killed'));
    try {
      const controller = new AbortController();
      // The terminal's Ctrl-C reaches a worker process in the instant before it has a process group of its own: it
      // dies of it, and the pool cannot start (QA: "The face analysis worker crashed: write EPIPE" for a clean Ctrl-C).
      const killedStarting = async (): Promise<never> => {
        controller.abort();
        throw new Error('The face analysis worker crashed: it was killed by SIGINT');
      };
      const stopped = await stoppedWith(importFolders(library, killedStarting, PIPELINE_VERSION, [setup.album], { signal: controller.signal }));
      expect(stopped).toBeInstanceOf(JobCancelledError);
      const kept = (stopped as JobCancelledError).kept;
      expect(isKeptImport(kept) && kept.stopped).toMatchObject({ how: 'cancelled', files: 0, of: 20 });

      // Not stopping, a face finder that cannot start fails the import, and says why.
      const failed = await stoppedWith(importFolders(library, () => Promise.reject(new Error('the model file is missing')), PIPELINE_VERSION, [setup.album]));
      expect((failed as Error).message).toBe('the model file is missing');
    } finally {
      await library.close();
    }
  }, 120_000);
});

describe('an import Familiar closed or crashed during', () => {
  it('has its kept faces grouped when the app next opens, and says the import stopped part-way', async () => {
    const libraryDir = join(setup.work, 'crash');
    await crashDuringImport(libraryDir);
    const api = await createApi({ libraryDir, mode: 'browser', log: () => {} });
    let job: JobInfo;
    try {
      const [opened] = await call(api, 'jobs.list');
      expect(opened).toMatchObject({ kind: 'import' });
      job = await api.jobs.settled(opened.id);
      const people = await call(api, 'people.list', {});
      expect(people.length).toBeGreaterThanOrEqual(1);
    } finally {
      await api.close();
    }
    expect(job.state).toBe('done');
    expect(job.result).toMatchObject({ stopped: { how: 'interrupted', files: null, of: null }, facesFound: expect.any(Number) });
    const reopened = await Library.open(libraryDir);
    try {
      expectAllGrouped(reopened);
      expect((job.result as ImportResult).facesFound).toBe(reopened.faces.length);
    } finally {
      await reopened.close();
    }
  }, 300_000);

  it('stops that grouping on Cancel and when the app closes, the faces left for the open after', async () => {
    const libraryDir = join(setup.work, 'crash-cancel');
    await crashDuringImport(libraryDir);
    const api = await createApi({ libraryDir, mode: 'browser', log: () => {} });
    try {
      const [opened] = api.jobs.list();
      api.jobs.cancel(opened.id);
      const job = await api.jobs.settled(opened.id);
      // QA: Cancel did nothing, yet the job ended "cancelled".
      expect(job.state).toBe('cancelled');
      expect(job.result).toMatchObject({ stopped: { how: 'interrupted', grouped: false }, facesFound: expect.any(Number) });
    } finally {
      await api.close();
    }
    expect(await allUnplaced(libraryDir)).toBe(true);
    // Closed at once: not held up by the grouping.
    const closed = await createApi({ libraryDir, mode: 'browser', log: () => {} });
    const [closing] = closed.jobs.list();
    await closed.close();
    expect((await closed.jobs.settled(closing.id)).state).toBe('cancelled');
    expect(await allUnplaced(libraryDir)).toBe(true);
    // The open after groups them.
    const again = await createApi({ libraryDir, mode: 'browser', log: () => {} });
    try {
      const [opened] = again.jobs.list();
      expect(await again.jobs.settled(opened.id)).toMatchObject({ state: 'done', result: { stopped: { how: 'interrupted' } } });
    } finally {
      await again.close();
    }
    const reopened = await Library.open(libraryDir);
    try {
      expectAllGrouped(reopened);
    } finally {
      await reopened.close();
    }
  }, 300_000);

  it('leaves the grouping to the next open when the app closes mid-import, rather than holding up the close', async () => {
    const libraryDir = join(setup.work, 'closed');
    const api = await createApi({ libraryDir, mode: 'browser', log: () => {} });
    const { jobId } = await call(api, 'import.start', { paths: [setup.album] });
    await new Promise<void>((resolve) => {
      api.events.subscribe((name, payload) => {
        if (name === 'job.progress' && (payload as { progress: JobProgress }).progress.stage === 'analyse' && (payload as { progress: JobProgress }).progress.done >= 4) resolve();
      });
    });
    await api.close();
    expect((await api.jobs.settled(jobId)).state).toBe('cancelled');
    const library = await Library.open(libraryDir);
    try {
      expect(library.faces.length).toBeGreaterThan(0);
      expect(library.faces.every((f) => f.unplaced)).toBe(true);
    } finally {
      await library.close();
    }
    const again = await createApi({ libraryDir, mode: 'browser', log: () => {} });
    try {
      const [opened] = await call(again, 'jobs.list');
      expect(await again.jobs.settled(opened.id)).toMatchObject({ state: 'done', result: { stopped: { how: 'interrupted' } } });
    } finally {
      await again.close();
    }
    const reopened = await Library.open(libraryDir);
    try {
      expectAllGrouped(reopened);
    } finally {
      await reopened.close();
    }
  }, 300_000);
});

describe('an import that finds no photo', () => {
  it('says a folder has none, and watches it for photos added later (API)', async () => {
    const empty = join(setup.work, 'empty');
    mkdirSync(join(empty, 'sub'), { recursive: true });
    writeFileSync(join(empty, 'sub', 'notes.txt'), 'not a photo');
    const api = await createApi({ libraryDir: join(setup.work, 'api-empty'), mode: 'browser', log: () => {} });
    try {
      const { jobId } = await call(api, 'import.start', { paths: [empty] });
      const job = await api.jobs.settled(jobId);
      expect(job.state).toBe('done');
      const result = job.result as ImportResult;
      expect(result).toMatchObject({ photosSeen: 0, skipped: [], noPhotos: { paths: [empty], fileReason: null, formats: expect.stringMatching(/^JPEG, PNG, .*, PGM\/PPM and camera RAW$/) }, watchedNow: [empty], stopped: null });
      expect(noPhotosSentence(result.noPhotos!, result.skipped.length)).toBe(`No photos in ${empty}`);
      expect((await call(api, 'library.info')).folders).toEqual([empty]);
      // Imported again: watched already, so this import did not start watching it.
      const again = await api.jobs.settled((await call(api, 'import.start', { paths: [empty] })).jobId);
      expect(again.result).toMatchObject({ noPhotos: { paths: [empty] }, watchedNow: [] });
    } finally {
      await api.close();
    }
  }, 120_000);

  it('says a file given is no photo, and why, without watching anything', async () => {
    const notes = join(setup.work, 'notes.jpg');
    writeFileSync(notes, 'These are not pixels.\n');
    const api = await createApi({ libraryDir: join(setup.work, 'api-file'), mode: 'browser', log: () => {} });
    try {
      const job = await api.jobs.settled((await call(api, 'import.start', { paths: [notes] })).jobId);
      const result = job.result as ImportResult;
      expect(result).toMatchObject({ photosSeen: 0, noPhotos: { paths: [notes], fileReason: 'not an image (its content is not a format Familiar reads)' }, watchedNow: [] });
      // QA: "Your library is up to date".
      expect(noPhotosSentence(result.noPhotos!, result.skipped.length)).toBe(`${notes} cannot be read as a photo: its content is not a format Familiar reads`);
      expect((await call(api, 'library.info')).folders).toEqual([]);
    } finally {
      await api.close();
    }
  }, 120_000);

  it('names the reason for a file whose name is no photo’s, which a folder would pass by', async () => {
    const text = join(setup.work, 'readme.txt');
    writeFileSync(text, 'hello');
    const engine = await Engine.open(join(setup.work, 'engine-text'), { analyzer: setup.pool });
    try {
      const summary = await engine.import([text]);
      expect(summary.noPhotos).toEqual({ paths: [text], fileReason: expect.stringMatching(/^its name does not end as a photo file does/), formats: expect.any(String) });
      expect(summary.skipped).toEqual([{ path: text, reason: summary.noPhotos!.fileReason }]);
    } finally {
      await engine.close();
    }
  }, 120_000);

  it('says nothing of the kind once a folder holds a photo', async () => {
    const engine = await Engine.open(join(setup.work, 'engine-some'), { analyzer: setup.pool });
    try {
      const one = join(setup.work, 'one');
      cpSync(join(sharedFaces, 'lfw_subset', 'Abdullah_Gul', 'Abdullah_Gul_0001.jpg'), join(one, 'a.jpg'));
      writeFileSync(join(one, 'broken.jpg'), 'nope');
      const summary = await engine.import([one]);
      expect(summary).toMatchObject({ photos: 1, noPhotos: null, stopped: null });
    } finally {
      await engine.close();
    }
  }, 120_000);
});

describe('the folders of an import Familiar closed or crashed during', () => {
  /** settings.json as on disk: what a process killed right then leaves for the next open. */
  const storedOnDisk = (libraryDir: string): unknown => JSON.parse(readFileSync(join(libraryDir, 'settings.json'), 'utf8')).unfinishedImports;

  it('are written before any file is read, offered to resume at the next open, and forgotten once resumed (API)', async () => {
    const libraryDir = join(setup.work, 'remembered');
    const api = await createApi({ libraryDir, mode: 'browser', log: () => {} });
    let onDiskWhileReading: unknown = null;
    try {
      const { jobId } = await call(api, 'import.start', { paths: [setup.album] });
      await new Promise<void>((resolve) => {
        api.events.subscribe((name, payload) => {
          const { progress } = payload as { progress: JobProgress };
          if (name === 'job.progress' && progress.stage === 'analyse' && progress.done >= 2) {
            onDiskWhileReading ??= storedOnDisk(libraryDir);
            resolve();
          }
        });
      });
      // The import under way is not offered while it runs.
      expect((await call(api, 'library.info')).unfinishedImports).toEqual([]);
      await api.close();
      expect((await api.jobs.settled(jobId)).state).toBe('cancelled');
    } finally {
      await api.close();
    }
    expect(onDiskWhileReading).toEqual([setup.album]);
    // Closed part-way (as a crash leaves it): named at the next open, not watched.
    const again = await createApi({ libraryDir, mode: 'browser', log: () => {} });
    try {
      const [grouping] = again.jobs.list();
      await again.jobs.settled(grouping.id);
      const info = await call(again, 'library.info');
      expect(info).toMatchObject({ unfinishedImports: [setup.album], folders: [] });
      expect((await call(again, 'library.doctor')).problems.join('\n')).toContain(`The import of ${setup.album} did not finish`);
      // Resume: the same folder imported again; once it ends, nothing is left to resume and the folder is watched.
      const { jobId } = await call(again, 'import.start', { paths: info.unfinishedImports });
      expect((await again.jobs.settled(jobId)).state).toBe('done');
      expect(await call(again, 'library.info')).toMatchObject({ unfinishedImports: [], folders: [setup.album] });
    } finally {
      await again.close();
    }
    expect(storedOnDisk(libraryDir)).toBeUndefined();
  }, 300_000);

  it('are forgotten when the user cancels, and an earlier unfinished one is kept (engine)', async () => {
    const libraryDir = join(setup.work, 'remembered-cancel');
    const other = join(setup.work, 'other-unfinished');
    mkdirSync(other, { recursive: true });
    const engine = await Engine.open(libraryDir, { analyzer: setup.pool });
    try {
      await engine.library.transaction((tx) => {
        tx.settings.unfinishedImports = [other];
      });
      const controller = new AbortController();
      await expect(
        engine.import([setup.album], {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.stage === 'analyse' && p.done >= 2) controller.abort();
          },
        }),
      ).rejects.toBeInstanceOf(JobCancelledError);
      expect(await engine.unfinishedImports()).toEqual([other]);
      // A folder deleted meanwhile is not offered.
      rmSync(other, { recursive: true });
      expect(await engine.unfinishedImports()).toEqual([]);
    } finally {
      await engine.close();
    }
  }, 300_000);

  it('ignore a malformed stored value, which the next import clears', async () => {
    const libraryDir = join(setup.work, 'remembered-malformed');
    const engine = await Engine.open(libraryDir, { analyzer: setup.pool });
    try {
      for (const bad of ['/not/a/list', { path: setup.album }, [42, null, '']]) {
        await engine.library.transaction((tx) => {
          tx.settings.unfinishedImports = bad;
        });
        expect(await engine.unfinishedImports()).toEqual([]);
        expect((await engine.doctor()).library.unfinishedImports).toEqual([]);
      }
      await engine.import([join(setup.album, PEOPLE[0])]);
      expect(engine.library.settings.unfinishedImports).toBeUndefined();
    } finally {
      await engine.close();
    }
  }, 300_000);
});

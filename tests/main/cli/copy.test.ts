// Copying a person's photos into a folder, on a real small library (photos imported, then named as a user would):
// `familiar copy` and the app's 'photos.copyTo' copy what `familiar search` and the Photos screen list, byte for byte,
// copy nothing twice when run again, and refuse in words a folder that cannot take the photos or a request that is
// not one.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../main/api/index.js';
import { newPersonId, nowIso } from '../../../main/people/library.js';
import { calls, CopyPhotosResult } from '../../../preload/contract.js';
import { sharedFaces } from '../library/helpers.js';
import { copyCommand } from '../../../main/cli/commands/copy.js';
import { runCli } from './cli-process.js';
import { preparedLibrary } from './prepared-library.js';

let dir: string;
let album: string;
let libraryDir: string;
let obama: string;
let biden: string;

const cli = (...args: string[]) => runCli(...args, '--library', libraryDir);
/** The summary, after the progress lines a pipe gets. */
const lastLine = (out: string) => out.trimEnd().split('\n').at(-1);
const albumFiles = (who: string) => readdirSync(join(album, who)).sort();

preparedLibrary('cli-copy', async (engine, work) => {
  dir = work;
  album = join(dir, 'album');
  libraryDir = join(dir, 'library');
  // Three photos of Obama (not the resized copies of one), two of Biden.
  for (const [who, files] of [['obama', ['obama.jpg', 'obama1.jpg', 'obama2.jpg']], ['biden', ['biden.jpg', 'biden2.jpg']]] as const) {
    mkdirSync(join(album, who), { recursive: true });
    for (const file of files) cpSync(join(sharedFaces, 'face_recognition', who, file), join(album, who, file));
  }
  await engine.import([album]);
  const library = engine.library;
  [obama, biden] = [newPersonId(), newPersonId()];
  const folderOf = (photoId: string) => library.photo(photoId)!.paths[0].split(sep).at(-2);
  await library.transaction((tx) => {
    tx.people.people = [
      { id: obama, name: 'Barack Obama', hidden: false, coverFaceId: null, createdAt: nowIso() },
      { id: biden, name: 'Joe Biden', hidden: false, coverFaceId: null, createdAt: nowIso() },
    ];
    for (const f of tx.faces) Object.assign(f, { personId: folderOf(f.photoId) === 'obama' ? obama : biden, assignedBy: 'user', rejectedPersonIds: [] });
  });
});

describe('familiar copy', () => {
  it('is listed in the help, and says what it needs', async () => {
    expect((await runCli('help')).out).toMatch(/^ {2}copy +Copy the photos with all of these people/m);
    expect(await cli('copy', '--to', join(dir, 'x'))).toMatchObject({ code: 2, err: expect.stringMatching(/give at least one person/) });
    expect(await cli('copy', 'Barack Obama')).toMatchObject({ code: 2, err: expect.stringMatching(/--to needs the folder/) });
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it("copies a person's photos as they are, and nothing twice when run again", async () => {
    const to = join(dir, 'For Michelle');
    const first = await cli('copy', 'Barack Obama', '--to', to);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(lastLine(first.out)).toBe(`3 photos copied to ${to} (3 photos with this person).`);
    expect(readdirSync(to).sort()).toEqual(albumFiles('obama'));
    for (const file of albumFiles('obama')) expect(readFileSync(join(to, file)).equals(readFileSync(join(album, 'obama', file)))).toBe(true);

    const again = await cli('copy', 'Barack Obama', '--to', to, '--json');
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.out.trim().split('\n').at(-1)!) as { type: string };
    expect(summary).toMatchObject({ type: 'summary', photos: 3, copied: 0, alreadyThere: 3, missing: [], failed: [] });
    expect(readdirSync(to)).toHaveLength(3);
  }, 60_000);

  it('copies the photos with all the people given (none here), and finds people as every command does', async () => {
    const together = await cli('copy', 'Barack Obama', 'Joe Biden', '--to', join(dir, 'together'));
    expect(together.code).toBe(0);
    expect(lastLine(together.out)).toBe(`0 photos copied to ${join(dir, 'together')} (0 photos with these people).`);
    const typo = await cli('copy', 'Barak Obama', '--to', join(dir, 'typo'));
    expect(typo.code).toBe(1);
    expect(typo.err).toMatch(/^familiar copy: No person "Barak Obama"; did you mean "Barack Obama"\?/);
  }, 60_000);

  it("refuses the library's own folder, and says why", async () => {
    const refused = await cli('copy', 'Joe Biden', '--to', join(libraryDir, 'photos'));
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(`familiar copy: ${join(libraryDir, 'photos')} is inside Familiar's own library folder (${libraryDir}): choose another folder to copy the photos into.\n`);
    expect(existsSync(join(libraryDir, 'photos'))).toBe(false);
  }, 60_000);

  it('says how far it went when stopped, and a run again copies only the rest', async () => {
    const to = join(dir, 'Stopped');
    // Ctrl-C as the copying starts: the command stops before the next photo.
    const stop = new AbortController();
    let out = '';
    let err = '';
    const stream = (write: (text: string) => void) => ({ write: (chunk: string) => (write(String(chunk)), true), isTTY: false }) as unknown as NodeJS.WriteStream;
    const ctx = {
      values: { to, only: false, json: true },
      positionals: ['Barack Obama'],
      libraryDir,
      json: true,
      stdout: stream((text) => {
        out += text;
        if (text.includes('"type":"progress"')) stop.abort();
      }),
      stderr: stream((text) => (err += text)),
      signal: stop.signal,
    };
    expect(await copyCommand.run(ctx)).toBe(1);
    expect(err).toBe(`familiar copy: stopped after 0 of 3 photos copied to ${to}; run the same command again to copy the rest (those there are not copied twice).\n`);
    expect(JSON.parse(lastLine(out)!)).toMatchObject({ type: 'stopped', job: 'copy', message: expect.stringMatching(/^stopped after 0 of 3 photos/) });
    const again = await cli('copy', 'Barack Obama', '--to', to);
    expect(lastLine(again.out)).toBe(`3 photos copied to ${to} (3 photos with this person).`);
  });
});

describe("the app's 'photos.copyTo'", () => {
  let api: Api;

  beforeAll(async () => {
    api = await createApi({ libraryDir, mode: 'browser', log: () => {} });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it("copies the photos the Photos screen lists for a person, as a job with progress and a summary", async () => {
    const to = join(dir, 'app', 'Joe');
    const answer = await api.dispatcher.call('photos.copyTo', { personIds: [biden], to });
    expect(answer.error).toBeUndefined();
    const { jobId } = calls['photos.copyTo'].result.parse(answer.result);
    const job = await api.jobs.settled(jobId);
    expect(job).toMatchObject({ kind: 'copy-photos', state: 'done', progress: { stage: 'copy', done: 2, total: 2 } });
    expect(CopyPhotosResult.parse(job.result)).toMatchObject({ folder: to, photos: 2, copied: 2, alreadyThere: 0 });
    expect(readdirSync(to).sort()).toEqual(albumFiles('biden'));
  }, 60_000);

  it('cancelled, ends with what it copied', async () => {
    const to = join(dir, 'app', 'cancelled');
    const { jobId } = calls['photos.copyTo'].result.parse((await api.dispatcher.call('photos.copyTo', { personIds: [obama], to })).result);
    api.jobs.cancel(jobId);
    const job = await api.jobs.settled(jobId);
    // Three small files may all be copied before the cancel lands: then it ran to the end.
    const copied = existsSync(to) ? readdirSync(to).length : 0;
    if (job.state === 'cancelled') expect(CopyPhotosResult.parse(job.result)).toMatchObject({ photos: 3, copied });
    else expect(job).toMatchObject({ state: 'done', result: { copied: 3 } });
  }, 60_000);

  it('refuses, before starting anything, a request that is not one or a folder that cannot take the photos', async () => {
    const call = (args: unknown) => api.dispatcher.call('photos.copyTo', args);
    expect(await call({ personIds: [obama], to: 'relative/folder' })).toMatchObject({ code: 'invalid-argument' });
    expect(await call({ personIds: [obama] })).toMatchObject({ code: 'invalid-argument' });
    expect(await call({ personIds: [obama], to: join(dir, 'y'), overwrite: true })).toMatchObject({ code: 'invalid-argument' });
    expect(await call({ personIds: ['person-nobody'], to: join(dir, 'y') })).toMatchObject({ code: 'not-found' });
    expect(await call({ personIds: [obama], to: libraryDir })).toEqual({
      code: 'invalid-argument',
      error: `${libraryDir} is inside Familiar's own library folder (${libraryDir}): choose another folder to copy the photos into.`,
    });
    expect(existsSync(join(dir, 'y'))).toBe(false);
    expect(api.jobs.list().filter((j) => j.kind === 'copy-photos')).toHaveLength(2);
  }, 60_000);
});

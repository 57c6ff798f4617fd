// SIGTERM (a service manager, `kill`, a container stopping) or SIGHUP (the terminal closed) during `familiar import` is a clean stop, as Ctrl-C is:
// the photos analysed so far are kept, --json ends with a "stopped" line, and the library lock is released. Ctrl-C
// while a large library opens stops the open (QA: it waited for the whole open).
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { repoRoot, sharedFaces } from '../library/helpers.js';
import { Library } from '../../../main/store/library.js';
import { writeKnownAlbum } from '../../../scripts/bench-reimport.js';
import { expectLockReleased, spawnCli } from './cli-process.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-signals-'));
  await mkdir(join(dir, 'album'));
  for (const [name, source] of [
    ['obama.jpg', 'face_recognition/obama/obama_small.jpg'],
    ['obama1.jpg', 'face_recognition/obama/obama1.jpg'],
    ['biden.jpg', 'face_recognition/biden/biden.jpg'],
    ['john1.jpeg', 'face_recognition/kit_harington/john1.jpeg'],
    ['rose1.jpg', 'face_recognition/rose_leslie/img1.jpg'],
  ]) {
    await copyFile(join(sharedFaces, source), join(dir, 'album', name));
  }
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * `familiar import <album> --library <library> --json`, sent `signal` at its first line holding `at`; its lines and
 * exit. `toGroup`: sent to its whole process group, as a terminal sends Ctrl-C, with `env` added.
 */
async function importSignalled(library: string, signal: NodeJS.Signals, at: string, options: { toGroup?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const cli = spawnCli(['import', join(dir, 'album'), '--library', library, '--json'], { env: options.env, detached: options.toGroup });
  const lines: string[] = [];
  let sent = false;
  createInterface({ input: cli.child.stdout }).on('line', (line) => {
    lines.push(line);
    if (!sent && line.includes(at)) {
      sent = true;
      if (options.toGroup) process.kill(-cli.child.pid!, signal);
      else cli.child.kill(signal);
    }
  });
  const [code, killedBy] = await cli.closed;
  expect(sent).toBe(true);
  return { lines, code, killedBy, stderr: cli.stderr() };
}

/**
 * How a command the signal stopped ends: stopped before it finished, it dies of the signal once it has cleaned up, as
 * a shell needs to stop the script that runs it; finished anyway (the last photo was done when the signal came), 0.
 */
function expectEndedBy(signal: NodeJS.Signals, ended: { lines: string[]; code: number | null; killedBy: NodeJS.Signals | null }): 'stopped' | 'finished' {
  const last = JSON.parse(ended.lines.at(-1)!) as { type: string };
  if (last.type === 'summary') {
    expect([ended.code, ended.killedBy]).toEqual([0, null]);
    return 'finished';
  }
  expect([ended.code, ended.killedBy]).toEqual([null, signal]);
  return 'stopped';
}

it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s during import stops cleanly, says so on stdout (--json) and releases the lock', async (signal) => {
  const library = join(dir, `library-${signal}`);
  // Once the photos are being analysed (the models are loaded, the lock is held).
  const ended = await importSignalled(library, signal, '"stage":"analyse"');
  // The last photo may already have been analysed when the signal came: a finished import.
  if (expectEndedBy(signal, ended) === 'stopped') {
    expect(JSON.parse(ended.lines.at(-1)!)).toMatchObject({ type: 'stopped', job: 'import' });
    expect(ended.stderr).toMatch(/familiar import: stopped; the photos analysed so far are stored/);
  }
  await expectLockReleased(library);
}, 60_000);

it('Ctrl-C to the whole terminal job, its analysis in worker processes (tfjs-node), fails no photo in flight', async () => {
  // The terminal sends Ctrl-C to its job's process group. The workers must leave stopping to the CLI, which finishes the
  // photos in flight (QA: they died with it, and those photos were skipped as "exited unexpectedly"; under CI's load a
  // worker still starting died before it could ignore the signal, so now they have a group of their own). One forked in
  // the instant the signal comes still dies of it: the import then stops, as asked, rather than failing.
  const library = join(dir, 'library-group');
  const ended = await importSignalled(library, 'SIGINT', '"stage":"analyse"', { toGroup: true, env: { FAMILIAR_ANALYSIS_WORKERS: 'processes' } });
  expect(`${ended.lines.join('\n')}\n${ended.stderr}`).not.toMatch(/exited unexpectedly|crashed|analysis failed/);
  if (expectEndedBy('SIGINT', ended) === 'stopped') expect(ended.stderr).toMatch(/familiar import: stopped; the photos analysed so far are stored/);
  await expectLockReleased(library);
}, 60_000);

it('Ctrl-C while a large library opens stops there at once, says so, and leaves the library as it was', async () => {
  // Large enough that the open is still reading its documents when the signal comes (seconds at 100,000 photos).
  const { library, files } = await writeKnownAlbum(join(dir, 'large'), 8000);
  const { lines, code, killedBy, stderr } = await importSignalled(library, 'SIGINT', '"stage":"open"');
  expect([code, killedBy]).toEqual([null, 'SIGINT']);
  expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'stopped', job: 'import', message: expect.stringMatching(/^stopped while the library was opening; nothing was lost/) });
  expect(lines.some((line) => line.includes('"stage":"scan"'))).toBe(false);
  expect(stderr).toMatch(/familiar import: stopped while the library was opening; nothing was lost — run the same command again to continue\./);
  await expectLockReleased(library);
  const reopened = await Library.open(library, { readOnly: true });
  try {
    expect(reopened.photos.map((p) => p.paths[0]).sort()).toEqual([...files].sort());
  } finally {
    await reopened.close();
  }
}, 120_000);

/**
 * A shell script running `familiar import <album>` twice in a loop, sent Ctrl-C (to its whole process group, as a
 * terminal does) at the first line holding `at`, and again `againAfterMs` later when given; its stderr and how it ended.
 */
async function loopInterrupted(album: string, library: string, at: string, againAfterMs?: number) {
  const loop = 'for n in 1 2; do "$0" --import tsx main/cli/index.ts import "$1" --library "$2" --json; echo "the loop went on after exit $?" >&2; done';
  const shell = spawn('bash', ['-c', loop, process.execPath, album, library], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  shell.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let sent = false;
  createInterface({ input: shell.stdout }).on('line', (line) => {
    if (sent || !line.includes(at)) return;
    sent = true;
    process.kill(-shell.pid!, 'SIGINT');
    if (againAfterMs !== undefined) setTimeout(() => process.kill(-shell.pid!, 'SIGINT'), againAfterMs);
  });
  const [code, killedBy] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => shell.on('close', (c, s) => resolve([c, s])));
  expect(sent).toBe(true);
  return { stderr, code, killedBy };
}

it('Ctrl-C stops a shell script that runs familiar, not only the command (it dies of the signal once it has cleaned up)', async () => {
  // A shell goes on with its script when its child exits with a code, whatever the code, and stops only when the child
  // died of Ctrl-C (QA: Ctrl-C in a loop of imports stopped one and started the next). A large library, so the signal
  // surely comes while the first import opens it.
  const { album, library } = await writeKnownAlbum(join(dir, 'large-loop'), 8000);
  const { stderr, code, killedBy } = await loopInterrupted(album, library, '"stage":"open"');
  expect(stderr).toMatch(/familiar import: stopped while the library was opening; nothing was lost/);
  expect(stderr).not.toMatch(/the loop went on/);
  expect([code, killedBy]).toEqual([null, 'SIGINT']);
  await expectLockReleased(library);
}, 120_000);

it('a second Ctrl-C ("quit now") stops the shell script too', async () => {
  // The first comes as the face finder starts, which takes seconds: the second finds the import still stopping.
  const { stderr, code, killedBy } = await loopInterrupted(join(dir, 'album'), join(dir, 'library-quit-now'), '"stage":"analyse"', 200);
  expect(stderr).toMatch(/Ctrl-C again to quit now/);
  expect(stderr).not.toMatch(/the loop went on/);
  expect([code, killedBy]).toEqual([null, 'SIGINT']);
}, 120_000);

it('a second Ctrl-C during import quits at once with one last line: what is kept, and that importing again continues', async () => {
  // QA: the process ended without a word, the library's state left to guess. The first comes as the face finder
  // starts, which takes seconds: the second finds the import still stopping.
  const library = join(dir, 'library-quit-line');
  const cli = spawnCli(['import', join(dir, 'album'), '--library', library, '--no-watch', '--json']);
  const lines: string[] = [];
  let sent = false;
  createInterface({ input: cli.child.stdout }).on('line', (line) => {
    lines.push(line);
    if (sent || !line.includes('"stage":"analyse"')) return;
    sent = true;
    cli.child.kill('SIGINT');
    setTimeout(() => cli.child.kill('SIGINT'), 200);
  });
  const [code, killedBy] = await cli.closed;
  expect(sent).toBe(true);
  expect([code, killedBy]).toEqual([null, 'SIGINT']);
  const said = 'quit at once; the photos stored before this step are kept — run the same command again to continue.';
  expect(cli.stderr()).toMatch(/Ctrl-C again to quit now/);
  expect(cli.stderr().trimEnd().split('\n').at(-1)).toBe(`familiar import: ${said}`);
  expect(JSON.parse(lines.at(-1)!)).toEqual({ type: 'stopped', job: 'import', message: said });
  // And it does: the same command again imports every photo.
  const again = spawnCli(['import', join(dir, 'album'), '--library', library, '--no-watch', '--json']);
  const out: string[] = [];
  createInterface({ input: again.child.stdout }).on('line', (line) => out.push(line));
  expect(await again.closed).toEqual([0, null]);
  expect(JSON.parse(out.at(-1)!)).toMatchObject({ type: 'summary', photos: 5 });
  await expectLockReleased(library);
}, 120_000);

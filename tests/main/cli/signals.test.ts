// SIGTERM (a service manager, `kill`, a container stopping) or SIGHUP (the terminal closed) during `familiar import` is a clean stop, as Ctrl-C is:
// the photos analysed so far are kept, --json ends with a "stopped" line, and the library lock is released. Ctrl-C
// while a large library opens stops the open (QA: it waited for the whole open).
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sharedFaces } from '../library/helpers.js';
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
  expect(killedBy).toBeNull();
  return { lines, code, stderr: cli.stderr() };
}

it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s during import stops cleanly, says so on stdout (--json) and releases the lock', async (signal) => {
  const library = join(dir, `library-${signal}`);
  // Once the photos are being analysed (the models are loaded, the lock is held).
  const { lines, code, stderr } = await importSignalled(library, signal, '"stage":"analyse"');
  const last = JSON.parse(lines.at(-1)!) as { type: string; job?: string };
  if (last.type === 'summary') {
    // The last photo was already analysed when the signal came: a finished import.
    expect(code).toBe(0);
  } else {
    expect(code).toBe(1);
    expect(last).toMatchObject({ type: 'stopped', job: 'import' });
    expect(stderr).toMatch(/familiar import: stopped; the photos analysed so far are stored/);
  }
  await expectLockReleased(library);
}, 60_000);

it('Ctrl-C to the whole terminal job, its analysis in worker processes (tfjs-node), fails no photo in flight', async () => {
  // The terminal sends Ctrl-C to its job's process group. The workers must leave stopping to the CLI, which finishes the
  // photos in flight (QA: they died with it, and those photos were skipped as "exited unexpectedly"; under CI's load a
  // worker still starting died before it could ignore the signal, so now they have a group of their own).
  const library = join(dir, 'library-group');
  const { lines, code, stderr } = await importSignalled(library, 'SIGINT', '"stage":"analyse"', { toGroup: true, env: { FAMILIAR_ANALYSIS_WORKERS: 'processes' } });
  expect(`${lines.join('\n')}\n${stderr}`).not.toMatch(/exited unexpectedly|crashed|analysis failed/);
  const last = JSON.parse(lines.at(-1)!) as { type: string; job?: string };
  expect(code).toBe(last.type === 'summary' ? 0 : 1);
  if (last.type !== 'summary') expect(stderr).toMatch(/familiar import: stopped; the photos analysed so far are stored/);
  await expectLockReleased(library);
}, 60_000);

it('Ctrl-C while a large library opens stops there at once, says so, and leaves the library as it was', async () => {
  // Large enough that the open is still reading its documents when the signal comes (seconds at 100,000 photos).
  const { library, files } = await writeKnownAlbum(join(dir, 'large'), 8000);
  const { lines, code, stderr } = await importSignalled(library, 'SIGINT', '"stage":"open"');
  expect(code).toBe(1);
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

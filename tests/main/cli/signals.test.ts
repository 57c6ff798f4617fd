// SIGTERM (a service manager, `kill`, a container stopping) or SIGHUP (the terminal closed) during `familiar import` is a clean stop, as Ctrl-C is:
// the photos analysed so far are kept, --json ends with a "stopped" line, and the library lock is released.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sharedFaces } from '../library/helpers.js';
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

it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s during import stops cleanly, says so on stdout (--json) and releases the lock', async (signal) => {
  const library = join(dir, `library-${signal}`);
  const cli = spawnCli(['import', join(dir, 'album'), '--library', library, '--json']);
  const lines: string[] = [];
  let sent = false;
  createInterface({ input: cli.child.stdout }).on('line', (line) => {
    lines.push(line);
    // Once the photos are being analysed (the models are loaded, the lock is held).
    if (!sent && line.includes('"stage":"analyse"')) {
      sent = true;
      cli.child.kill(signal);
    }
  });
  const [code, killedBy] = await cli.closed;
  expect(sent).toBe(true);
  expect(killedBy).toBeNull();
  const last = JSON.parse(lines.at(-1)!) as { type: string; job?: string };
  if (last.type === 'summary') {
    // The last photo was already analysed when the signal came: a finished import.
    expect(code).toBe(0);
  } else {
    expect(code).toBe(1);
    expect(last).toMatchObject({ type: 'stopped', job: 'import' });
    expect(cli.stderr()).toMatch(/familiar import: stopped; the photos analysed so far are stored/);
  }
  await expectLockReleased(library);
}, 60_000);

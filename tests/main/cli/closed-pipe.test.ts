// `familiar … | head`: the reader closes the pipe before the CLI has written; the CLI stops quietly (no stack
// trace), as Unix tools do, instead of dying on an unhandled EPIPE. A command that writes to the library stops as
// if Ctrl-C'd and still closes it, so its lock is released.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Library } from '../../../main/store/library.js';
import { sharedFaces } from '../library/helpers.js';
import { expectLockReleased, spawnCli } from './cli-process.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-pipe-'));
  await (await Library.open(join(dir, 'library'))).close();
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('a reader that closes the pipe early stops the CLI quietly', async () => {
  const cli = spawnCli(['people', '--library', join(dir, 'library')]);
  // Close our end at once: every write the CLI makes meets a closed pipe.
  cli.child.stdout.destroy();
  const [code] = await cli.closed;
  expect(cli.stderr()).toBe('');
  expect(code).toBe(0);
}, 60_000);

it('an import whose reader closes the pipe stops cleanly and releases the library lock', async () => {
  const album = join(dir, 'album');
  await mkdir(album);
  await copyFile(join(sharedFaces, 'face_recognition', 'obama', 'obama_small.jpg'), join(album, 'obama.jpg'));
  await copyFile(join(sharedFaces, 'face_recognition', 'biden', 'biden.jpg'), join(album, 'biden.jpg'));
  const library = join(dir, 'import-library');
  const cli = spawnCli(['import', album, '--library', library, '--json']);
  // `| head -0`: the first progress line already meets a closed pipe, long before the import is done.
  cli.child.stdout.destroy();
  const [code] = await cli.closed;
  expect(cli.stderr()).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
  // Stopped before the end (1), or done if the import won the race (0): either way no lock is left behind.
  expect([0, 1]).toContain(code);
  // The first line says the library is opening: the open stops there, or the import once it has begun.
  if (code === 1) expect(cli.stderr()).toMatch(/familiar import: stopped( while the library was opening; nothing was lost|; the photos analysed so far are stored)/);
  await expectLockReleased(library);
}, 60_000);

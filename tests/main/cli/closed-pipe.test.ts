// `familiar … | head`: the reader closes the pipe before the CLI has written; the CLI stops quietly (exit 0, no
// stack trace), as Unix tools do, instead of dying on an unhandled EPIPE.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Library } from '../../../main/store/library.js';
import { repoRoot } from '../library/helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-pipe-'));
  await (await Library.open(join(dir, 'library'))).close();
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('a reader that closes the pipe early stops the CLI quietly', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'main', 'cli', 'index.ts'), 'people', '--library', join(dir, 'library')], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Close our end at once: every write the CLI makes meets a closed pipe.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  expect(stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
  expect(stderr).toBe('');
  expect(code).toBe(0);
}, 60_000);

// The CLI as a child process, for the tests of how it ends: a closed pipe, a signal. Runs the TypeScript sources.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { expect, vi } from 'vitest';
import { main } from '../../../main/cli/main.js';
import { Library } from '../../../main/store/library.js';
import { repoRoot } from '../library/helpers.js';

export interface CliProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  stderr(): string;
  /** Exit code and the signal that ended it, once it has. */
  closed: Promise<[number | null, NodeJS.Signals | null]>;
}

/** `env` adds to this process's environment; `detached` starts it in a process group of its own, as a shell's job. */
export function spawnCli(args: string[], options: { env?: NodeJS.ProcessEnv; detached?: boolean } = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'main', 'cli', 'index.ts'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
    detached: options.detached ?? false,
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  return { child, stderr: () => stderr, closed };
}

/** The library's lock is gone and the next open has nothing to repair: the CLI closed the library before it ended. */
export async function expectLockReleased(libraryDir: string): Promise<void> {
  expect(existsSync(join(libraryDir, '.lock'))).toBe(false);
  const reopened = await Library.open(libraryDir);
  try {
    expect(reopened.repairs).toEqual([]);
  } finally {
    await reopened.close();
  }
}

/** `familiar <args>` in this process, with what it wrote to stdout and stderr, and its exit code. */
export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  try {
    return { code: await main(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

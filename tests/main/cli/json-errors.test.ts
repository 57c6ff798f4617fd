// With --json every failure is JSON on stdout too ({"type":"error","error":…,"code":…}, the API's words and codes),
// beside the sentence on stderr, with the same exit code: a script reading stdout was left with nothing (QA).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Library } from '../../../main/store/library.js';
import { runCli as run } from './cli-process.js';

let dir: string;
let library: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-json-errors-'));
  library = join(dir, 'library');
  await (await Library.open(library)).close();
});
afterAll(async () => {
  vi.restoreAllMocks();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function errorLine(out: string): { type: string; error: string; code: string } {
  const lines = out.trim().split('\n');
  return JSON.parse(lines.at(-1)!) as { type: string; error: string; code: string };
}

describe('--json errors', () => {
  it.each([
    [['frobnicate', '--json'], 2, 'unknown-call', /^unknown command "frobnicate"/],
    [['--json', 'train'], 2, 'unknown-call', /^give a subcommand: embedder or autoencoder\.$/],
    [['--json', '--bogus'], 2, 'invalid-argument', /--bogus/],
    [['people', '--bogus-flag', '--json'], 2, 'invalid-argument', /^unknown option --bogus-flag/],
    [['train', 'embedder', '--epochs', 'abc', '--json'], 2, 'invalid-argument', /--epochs/],
    [['search', '--json'], 2, 'invalid-argument', /./],
  ] as const)('familiar %j: exit %i, code %s', async (args, exitCode, code, error) => {
    const result = await run(...args, '--library', join(dir, 'never-made'));
    expect(result.code).toBe(exitCode);
    expect(errorLine(result.out)).toMatchObject({ type: 'error', code, error: expect.stringMatching(error) });
    expect(result.err).toContain(errorLine(result.out).error.replace(/\.$/, ''));
  });

  it('an error from the engine carries its code, the sentence also on stderr', async () => {
    const missing = await run('import', join(dir, 'nonexistent'), '--no-watch', '--library', library, '--json');
    expect(missing.code).toBe(1);
    expect(errorLine(missing.out)).toEqual({ type: 'error', error: expect.stringContaining(join(dir, 'nonexistent')), code: expect.any(String) });
    expect(missing.err).toBe(`familiar import: ${errorLine(missing.out).error}\n`);

    const named = await run('name', 'nosuch', 'Bob', '--library', library, '--json');
    expect(named.code).toBe(1);
    expect(errorLine(named.out)).toMatchObject({ type: 'error', code: 'not-found', error: expect.stringMatching(/^No person "nosuch"/) });
    expect(named.err).toBe(`familiar name: ${errorLine(named.out).error}\n`);

    const search = await run('search', 'Nobody Known', '--library', library, '--json');
    expect(search.code).toBe(1);
    expect(errorLine(search.out)).toMatchObject({ type: 'error', code: 'not-found' });
  });

  it('without --json, stdout stays empty', async () => {
    const result = await run('name', 'nosuch', 'Bob', '--library', library);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
  });
});

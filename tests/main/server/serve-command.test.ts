// `familiar serve` as a user (or the e2e tests) runs it: prints its URL and token as JSON, answers with the
// token, refuses without, validates --port, and on SIGTERM stops and releases the library lock.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'familiar-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function familiar(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', join(root, 'main', 'cli', 'index.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('familiar serve', () => {
  it('serves with the printed token, refuses without it, and releases the lock on SIGTERM', async () => {
    const library = join(dir, 'library');
    const child = familiar(['serve', '--library', library, '--port', '0', '--json']);
    const stderr: string[] = [];
    child.stderr.on('data', (c: Buffer) => stderr.push(c.toString()));
    const line = await new Promise<string>((resolveLine, reject) => {
      createInterface({ input: child.stdout }).once('line', resolveLine);
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr.join('')}`)));
    });
    const started = JSON.parse(line) as { url: string; origin: string; port: number; token: string; libraryDir: string };
    expect(started.url).toBe(`http://127.0.0.1:${started.port}/?token=${started.token}`);
    expect(started.libraryDir).toBe(library);
    expect(existsSync(join(library, '.lock'))).toBe(true);

    const call = (headers: Record<string, string>) =>
      fetch(`${started.origin}/api/call/library.info`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    expect((await call({})).status).toBe(401);
    const answer = (await (await call({ authorization: `Bearer ${started.token}` })).json()) as { result: { libraryDir: string; mode: string } };
    expect(answer.result).toMatchObject({ libraryDir: library, mode: 'browser' });
    // A folder that is not there is the engine's answer, in words (200: a browser logs no failed resource for it).
    const missing = join(dir, 'no-such-folder');
    const imported = await fetch(`${started.origin}/api/call/import.start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${started.token}` },
      body: JSON.stringify({ paths: [missing] }),
    });
    expect(imported.status).toBe(200);
    expect(await imported.json()).toEqual({ error: expect.stringContaining(`Cannot import ${missing}: there is no folder or file there.`), code: 'not-found' });
    // A request that is no call: refused by the engine's dispatcher in its worker, still a 4xx (its refusal's mark
    // comes back with the answer).
    const post = (name: string, body: string) =>
      fetch(`${started.origin}/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${started.token}` }, body });
    const relative = await post('import.start', JSON.stringify({ paths: ['photos'] }));
    expect(relative.status).toBe(400);
    expect(await relative.json()).toMatchObject({ code: 'invalid-argument' });
    expect((await post('no.such', '{}')).status).toBe(404);
    expect((await post('import.start', `{"paths":${'['.repeat(40)}${']'.repeat(40)}}`)).status).toBe(400);

    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(existsSync(join(library, '.lock'))).toBe(false);
  });

  it('refuses a bad --port with usage exit code 2', async () => {
    const child = familiar(['serve', '--library', join(dir, 'other'), '--port', 'eighty']);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^familiar serve: --port must be a whole number from 0 to 65535, not "eighty" \(see familiar serve --help\)\.\n$/);
  });
});

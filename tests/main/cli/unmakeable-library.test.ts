// A --library where no folder can be made (under /proc, /sys): `import` and `serve` refuse it in one sentence at
// once. Under /proc they used to spin at full CPU forever, deaf to SIGTERM (Node's recursive mkdir).
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { spawnCli } from './cli-process.js';

describe.runIf(process.platform === 'linux')('a library folder that cannot be made', () => {
  it.each([
    ['import', '/proc/familiar-test/lib'],
    ['serve', '/proc/familiar-test/lib'],
    ['import', '/sys/familiar-test'],
  ])('familiar %s --library %s is one sentence, exit 1', async (command, library) => {
    const args = command === 'import' ? ['import', tmpdir(), '--no-watch'] : ['serve', '--port', '0'];
    const cli = spawnCli([...args, '--library', library]);
    // Should it spin again, SIGTERM (a service manager's stop) must still end it: the test then fails on the code.
    const stop = setTimeout(() => cli.child.kill('SIGTERM'), 15_000);
    const [code] = await cli.closed;
    clearTimeout(stop);
    expect(cli.stderr()).toBe(`familiar ${command}: Familiar cannot write to the library folder ${library} (permission denied).\n`);
    expect(code).toBe(1);
  }, 30_000);
});

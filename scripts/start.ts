// `npm start`: runs the desktop app. Electron's binary is fetched on first launch (its install script is not
// allowed to run during `npm install`, so installs never depend on Electron's download host). Where it cannot
// be fetched, Familiar says so and opens the same app in the browser instead (`familiar serve --open`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary(): string | null {
  const pkgDir = dirname(require.resolve('electron/package.json'));
  if (!existsSync(join(pkgDir, 'path.txt'))) {
    process.stdout.write('Fetching the Electron runtime (first launch only)...\n');
    const fetched = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { stdio: 'inherit', timeout: 300_000 });
    if (fetched.status !== 0) return null;
  }
  // The same lookup electron/index.js does, without importing electron outside main/electron/.
  const binary = join(pkgDir, 'dist', readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function run(command: string, args: string[]): void {
  const child = spawn(command, args, { stdio: 'inherit', cwd: root });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
}

const binary = electronBinary();
if (binary) {
  run(binary, [root, ...process.argv.slice(2)]);
} else {
  process.stderr.write(
    'The Electron runtime could not be fetched on this machine, so Familiar opens in your browser instead ' +
      '(same app, served on 127.0.0.1 only).\n',
  );
  run(process.execPath, [join(root, 'bin', 'familiar.js'), 'serve', '--open', ...process.argv.slice(2)]);
}

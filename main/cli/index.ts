// Entry point of the `familiar` binary (bin/familiar.js). Tests call main() from ./main.js instead.
import { main } from './main.js';

// A reader that stops early (`familiar faces --json | head`) closes the pipe; stop quietly, as Unix tools do,
// instead of dying on an unhandled EPIPE. The library is crash-safe, so stopping mid-command loses nothing.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`familiar: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);

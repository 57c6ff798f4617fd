// Entry point of the `familiar` binary (bin/familiar.js). Tests call main() from ./main.js instead.
import { main } from './main.js';

// A reader that stops early (`familiar faces --json | head`) closes the pipe; stop quietly, as Unix tools do,
// instead of dying on an unhandled EPIPE. While a command runs, main() handles it: the command stops as if
// Ctrl-C'd and closes the library, so its lock is released; after that, the process just exits.
let running = true;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
      if (!running) process.exit(process.exitCode ?? 0);
      return;
    }
    throw err;
  });
}

main().then(
  (code) => {
    running = false;
    process.exitCode = code;
  },
  (err) => {
    running = false;
    process.stderr.write(`familiar: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);

// Entry point of the `familiar` binary (bin/familiar.js). Tests call main() from ./main.js instead.
import { main } from './main.js';

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`familiar: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);

// Entry point of the `familiar` binary (bin/familiar.js). Tests call main() from ./main.js instead.
import { afterOutput, dieOf, runProgram } from './program.js';

const { code, stoppedBy } = await runProgram(process.argv.slice(2));
process.exitCode = code;
// A command a signal stopped unfinished dies of it once its last lines have left.
if (stoppedBy !== null) afterOutput(() => dieOf(stoppedBy));

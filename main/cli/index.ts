// Entry point of the `familiar` binary (bin/familiar.js). Tests call main() from ./main.js instead.
import { afterOutput, runProgram } from './program.js';

/**
 * Dies of `signal` once what was written has left (a stopped command's last lines), as the shell's convention asks of
 * a program that cleans up after Ctrl-C: only then does a script running it stop too. Windows has no such death: there
 * the code says it.
 */
function dieOf(signal: NodeJS.Signals, code: number): void {
  // Where the signal cannot end it (Windows, or something still listens for it), the code does.
  process.exitCode = code;
  if (process.platform === 'win32') return;
  afterOutput(() => {
    // main() took its handlers off, so the signal's default action ends the process.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

const { code, stoppedBy } = await runProgram(process.argv.slice(2));
if (stoppedBy !== null) dieOf(stoppedBy, code);
else process.exitCode = code;

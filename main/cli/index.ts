// Entry point of the `familiar` binary (bin/familiar.js). Tests call main() from ./main.js instead.
import { main, signalThatStopped } from './main.js';

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

/**
 * Dies of `signal` once what was written has left (a stopped command's last lines), as the shell's convention asks of
 * a program that cleans up after Ctrl-C: only then does a script running it stop too. Windows has no such death: there
 * the code says it.
 */
function dieOf(signal: NodeJS.Signals, code: number): void {
  // Where the signal cannot end it (Windows, or something still listens for it), the code does.
  process.exitCode = code;
  if (process.platform === 'win32') return;
  let died = false;
  const die = () => {
    if (died) return;
    died = true;
    // main() took its handlers off, so the signal's default action ends the process.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  // A reader that closed the pipe never calls back: the timer ends it then.
  setTimeout(die, 1_000);
  process.stdout.write('', () => process.stderr.write('', die));
}

main().then(
  (code) => {
    running = false;
    // A command the signal stopped before it finished; one that finished anyway, or a server that stops on it as
    // asked (`familiar serve`), exits with its code.
    const signal = signalThatStopped();
    if (signal !== null && code !== 0) dieOf(signal, code);
    else process.exitCode = code;
  },
  (err) => {
    running = false;
    process.stderr.write(`familiar: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);

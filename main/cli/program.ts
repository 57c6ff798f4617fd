// The `familiar` CLI run as a program of its own: by bin/familiar.js under Node (./index.ts), and by the desktop app
// when it is started with a command (main/electron/terminal.ts), so an installed Familiar answers `familiar import`.
import { main, signalThatStopped } from './main.js';

export { signalThatStopped };

export interface ProgramEnd {
  /** The exit code. */
  code: number;
  /** The signal (Ctrl-C...) that stopped the command before it finished, or null. */
  stoppedBy: NodeJS.Signals | null;
}

/**
 * Runs one command line to its end. A reader that stops early (`familiar faces --json | head`) closes the pipe: the
 * program stops quietly, as Unix tools do, instead of dying on an unhandled EPIPE. While a command runs, main() handles
 * it (the command stops as if Ctrl-C'd and closes the library, so its lock is released); after that, the process just
 * exits.
 */
export async function runProgram(argv: string[]): Promise<ProgramEnd> {
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
  try {
    const code = await main(argv);
    // A command the signal stopped before it finished; one that finished anyway, or a server that stops on it as
    // asked (`familiar serve`), exits with its code.
    const signal = signalThatStopped();
    return { code, stoppedBy: signal !== null && code !== 0 ? signal : null };
  } catch (err) {
    process.stderr.write(`familiar: ${err instanceof Error ? err.message : String(err)}\n`);
    return { code: 1, stoppedBy: null };
  } finally {
    running = false;
  }
}

/** Calls `then` once what the program wrote has left, or after a second: a reader that closed the pipe never calls back. */
export function afterOutput(then: () => void): void {
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    then();
  };
  setTimeout(once, 1_000);
  process.stdout.write('', () => process.stderr.write('', once));
}

/**
 * Ends this process by `signal` (its default action) once main() has taken its handlers off, as the shell's convention
 * asks of a program that cleans up after Ctrl-C: only then does a script running it stop too. Windows has no such
 * death; nor does a process where something still listens for the signal: there the exit code says it.
 */
export function dieOf(signal: NodeJS.Signals): void {
  if (process.platform !== 'win32' && process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

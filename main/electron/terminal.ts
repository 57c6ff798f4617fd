// Familiar started with a command (`familiar import ~/Pictures` through the deb's /usr/bin/familiar, an AppImage, or
// Familiar.app/Contents/MacOS/Familiar): the installed app runs the CLI instead of opening a window, so the commands
// come with every installer, not only with a checkout. The app's RunAsNode fuse is off (scripts/after-pack-fuses.cjs),
// so its binary cannot run bin/familiar.js as plain Node; the CLI runs in this process, analysing in worker threads.
import { app } from 'electron';
import { announceModelsDir } from './app.js';

/** The options the CLI takes before a command's name (main/cli/main.ts leadingOptions), but --library, which takes a value. */
const LEADING_FLAGS = new Set(['--json', '--help', '-h', '--version', '-v']);
/** Chromium's switch an AppImage's launcher adds (electron-builder), wherever it comes. */
const CHROMIUM_ANYWHERE = new Set(['--no-sandbox']);

/**
 * The CLI's arguments when the app was started with a command, else null (open the window). A packaged app's argv is
 * [binary, ...arguments]; `electron .` (process.defaultApp) puts the app's folder second. Launchers pass only files
 * dropped on the app's icon, as absolute paths or file: URIs (Linux's %U): those, Chromium's switches or nothing open
 * the window. Any other word is a command line, mistyped ones too, for the CLI to answer ("did you mean"); so are the
 * CLI's own options alone (`familiar --version`). Switches before the command that the CLI does not know are
 * Chromium's (`--ozone-platform=headless` for a terminal without a display) and are left out. Windows runs the app
 * without a console (its output would be lost), so there the window always opens.
 */
export function terminalArguments(argv: readonly string[], context: { defaultApp: boolean; platform: NodeJS.Platform }): string[] | null {
  if (context.platform === 'win32') return null;
  const args = argv.slice(context.defaultApp ? 2 : 1).filter((arg) => !CHROMIUM_ANYWHERE.has(arg));
  const leading: string[] = [];
  let i = 0;
  for (; i < args.length && args[i].startsWith('-'); i++) {
    const arg = args[i];
    if (arg === '--library') {
      leading.push(arg, ...args.slice(i + 1, i + 2));
      i++;
    } else if (arg.startsWith('--library=') || LEADING_FLAGS.has(arg)) leading.push(arg);
  }
  if (i < args.length) return isAbsolute(args[i]) || /^file:/i.test(args[i]) ? null : [...leading, ...args.slice(i)];
  return leading.length > 0 ? leading : null;
}

/** A launcher's file: a POSIX absolute path (Windows never gets here). */
function isAbsolute(path: string): boolean {
  return path.startsWith('/');
}

/** How long a quit request waits for Node to hear the signal behind it before the CLI is told itself. */
const SIGNAL_HEARD_MS = 100;
/** The shell's code for a command Ctrl-C stopped (128 + SIGINT). */
const STOPPED_BY_CTRL_C = 130;

/**
 * Runs the CLI with `args` and ends the app with its exit code once the output has left, or, like the CLI under Node,
 * by the signal that stopped it unfinished, so a shell script running it stops too. Nothing of the window's starts:
 * no sandbox switch, no single-instance lock (the library's own lock says when the app has it open), no GPU, no Dock
 * icon. (Chromium still opens the display: with none, as over SSH, give --ozone-platform=headless before the command.)
 */
export async function runInTerminal(args: string[]): Promise<void> {
  announceModelsDir(app.isPackaged, process.resourcesPath);
  app.disableHardwareAcceleration();
  app.dock?.hide();
  // Electron's own handler would show an uncaught error in a dialog box and keep the process running (a write to a
  // full disk); a command says it in one line and ends, as under Node.
  const fail = (err: unknown) => {
    process.stderr.write(`familiar: ${err instanceof Error ? err.message : String(err)}\n`);
    app.exit(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // Chromium turns Ctrl-C, SIGTERM and SIGHUP into a quit (electron/electron#5273) until the command listens for them
  // itself. Before then nothing has started: the app ends as stopped. While it runs, a quit request (a signal Node did
  // not hear) becomes its own stop, so its last photos are saved and its lock released.
  let cli: typeof import('../cli/program.js') | null = null;
  let finished: number | null = null;
  app.on('before-quit', (event) => {
    event.preventDefault();
    if (finished !== null) app.exit(finished);
    else if (cli === null || process.listenerCount('SIGINT') === 0) app.exit(STOPPED_BY_CTRL_C);
    else {
      const { signalThatStopped } = cli;
      setTimeout(() => {
        if (signalThatStopped() === null && process.listenerCount('SIGINT') > 0) process.emit('SIGINT', 'SIGINT');
      }, SIGNAL_HEARD_MS);
    }
  });
  cli = await import('../cli/program.js');
  const { afterOutput, dieOf, runProgram } = cli;
  const { code, stoppedBy } = await runProgram(args);
  finished = code;
  afterOutput(() => {
    if (stoppedBy !== null) dieOf(stoppedBy);
    app.exit(code);
  });
}

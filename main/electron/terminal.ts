// Familiar started with a command (`familiar import ~/Pictures` through the deb's /usr/bin/familiar, an AppImage, or
// Familiar.app/Contents/MacOS/Familiar): the installed app runs the CLI instead of opening a window, so the commands
// come with every installer, not only with a checkout. The app's RunAsNode fuse is off (scripts/after-pack-fuses.cjs),
// so its binary cannot run bin/familiar.js as plain Node; the CLI runs in this process, analysing in worker threads.
import { app } from 'electron';
import { COMMAND_WORDS } from '../cli/command-words.js';
import { announceModelsDir } from './app.js';

/** The options the CLI takes before a command's name (main/cli/main.ts leadingOptions), but --library, which takes a value. */
const LEADING_FLAGS = new Set(['--json', '--help', '-h', '--version', '-v']);
const ASKS_ALONE = new Set(['--help', '-h', '--version', '-v']);

/**
 * The CLI's arguments when the app was started with a command, else null (open the window). A packaged app's argv is
 * [binary, ...arguments]; `electron .` (process.defaultApp) puts the app's folder second. A path alone is no command:
 * Linux launchers pass the files dropped on the app's icon. Switches before the command that the CLI does not know
 * are Chromium's (an AppImage started with --no-sandbox) and are left out. Windows runs the app without a console
 * (its output would be lost), so there the window always opens.
 */
export function terminalArguments(argv: readonly string[], context: { defaultApp: boolean; platform: NodeJS.Platform }): string[] | null {
  if (context.platform === 'win32') return null;
  const args = argv.slice(context.defaultApp ? 2 : 1);
  const leading: string[] = [];
  let i = 0;
  for (; i < args.length && args[i].startsWith('-'); i++) {
    const arg = args[i];
    if (arg === '--library') {
      leading.push(arg, ...args.slice(i + 1, i + 2));
      i++;
    } else if (arg.startsWith('--library=') || LEADING_FLAGS.has(arg)) leading.push(arg);
  }
  if (i < args.length) return COMMAND_WORDS.has(args[i]) ? [...leading, ...args.slice(i)] : null;
  return leading.some((arg) => ASKS_ALONE.has(arg)) ? leading : null;
}

/** How long a quit request waits for Node to hear the signal behind it before the CLI is told itself. */
const SIGNAL_HEARD_MS = 100;

/**
 * Runs the CLI with `args` and ends the app with its exit code once the output has left. Nothing of the window's
 * starts: no sandbox switch, no single-instance lock (the library's own lock says when the app has it open), no GPU,
 * display or Dock icon. A command stopped by Ctrl-C exits with its code (130), not by the signal: the app ends with app.exit.
 */
export async function runInTerminal(args: string[]): Promise<void> {
  announceModelsDir(app.isPackaged, process.resourcesPath);
  app.disableHardwareAcceleration();
  // No display either: Chromium would still open the X11 or Wayland one, and die where there is none (over SSH).
  if (process.platform === 'linux') app.commandLine.appendSwitch('ozone-platform', 'headless');
  app.dock?.hide();
  const { afterOutput, runProgram, signalThatStopped } = await import('../cli/program.js');
  // Chromium takes Ctrl-C, SIGTERM and SIGHUP in this process and asks the app to quit (electron/electron#5273), which
  // would end a command half-done: its last photos not saved, the library's lock left behind. The request becomes the
  // CLI's own stop instead, said to it as Ctrl-C unless Node's handler has heard the signal itself meanwhile; a
  // second one is its "quit now". With no command running (none has started, or it has finished), the app quits.
  let asked = 0;
  app.on('before-quit', (event) => {
    if (process.listenerCount('SIGINT') === 0) return;
    event.preventDefault();
    const heardBefore = asked++ === 0 ? null : signalThatStopped();
    setTimeout(() => {
      if (signalThatStopped() === heardBefore && process.listenerCount('SIGINT') > 0) process.emit('SIGINT', 'SIGINT');
    }, SIGNAL_HEARD_MS);
  });
  const { code } = await runProgram(args);
  afterOutput(() => app.exit(code));
}

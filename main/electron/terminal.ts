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

/**
 * Runs the CLI with `args` and ends the app with its exit code once the output has left. Nothing of the window's
 * starts: no sandbox switch, no single-instance lock (the library's own lock says when the app has it open), no Dock
 * icon. A command stopped by Ctrl-C exits with its code (130): Chromium handles the signal in this process.
 */
export async function runInTerminal(args: string[]): Promise<void> {
  announceModelsDir(app.isPackaged, process.resourcesPath);
  app.disableHardwareAcceleration();
  app.dock?.hide();
  const { afterOutput, runProgram } = await import('../cli/program.js');
  const { code } = await runProgram(args);
  afterOutput(() => app.exit(code));
}

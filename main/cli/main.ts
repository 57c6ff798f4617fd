// The `familiar` CLI dispatcher: plain Node, no Electron. Exit codes: 0 success, 1 failure, 2 bad usage.
// Errors go to stderr as one clear sentence.
import { parseArgs } from 'node:util';
import { defaultLibraryDir } from '../library-location.js';
import { UsageError, type Command, type OptionSpec } from './command.js';
import { commands } from './commands/index.js';

const commonOptions: OptionSpec = {
  library: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    'Usage: familiar <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --library DIR (default: the OS user-data folder, or $FAMILIAR_LIBRARY) and --json.',
  ].join('\n');
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  // Two-word commands ("train embedder", "models use") win over their one-word prefix.
  for (const take of [2, 1]) {
    const name = argv.slice(0, take).join(' ');
    const command = commands.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(take) };
  }
  return undefined;
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(helpText() + '\n');
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    process.stderr.write(`familiar: unknown command "${argv[0]}"; run "familiar help" for the list.\n`);
    return 2;
  }
  const { command, rest } = found;
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nStopping after the current step (Ctrl-C again to quit now)...\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...commonOptions, ...command.options }, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    if (parsed.values.help) {
      process.stdout.write(`Usage: familiar ${command.usage}\n${command.summary}\n`);
      return 0;
    }
    const library = parsed.values.library;
    return await command.run({
      values: parsed.values,
      positionals: parsed.positionals,
      libraryDir: typeof library === 'string' ? library : defaultLibraryDir(),
      json: parsed.values.json === true,
      stdout: process.stdout,
      stderr: process.stderr,
      signal: controller.signal,
    });
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`familiar ${command.name}: ${err.message}\nUsage: familiar ${command.usage}\n`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`familiar ${command.name}: ${message}\n`);
    if (process.env.FAMILIAR_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}


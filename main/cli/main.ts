// The `familiar` CLI dispatcher: plain Node, no Electron. Exit codes: 0 success, 1 failure, 2 bad usage.
// Errors go to stderr as one clear sentence; with --json also to stdout, as {"type":"error","error":…,"code":…}.
import { resolveUserPath } from '../paths.js';
import { constants } from 'node:os';
import { parseArgs } from 'node:util';
import type { ErrorCode } from '../../preload/contract.js';
import { codeOf } from '../api/errors.js';
import { setLockHolderName } from '../store/lock.js';
import { appVersion } from '../api/paths.js';
import { JobCancelledError } from '../jobs/progress.js';
import { defaultLibraryDir } from '../library-location.js';
import { OptionValueError, UsageError, type Command, type OptionSpec } from './command.js';
import { commands } from './commands/index.js';
import { closest, commandMeant } from './did-you-mean.js';
import { printStopped } from './progress.js';
import { systemErrorInWords } from '../jobs/system-errors.js';

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
    'Every command takes --library DIR (default: the OS user-data folder, or $FAMILIAR_LIBRARY) and --json,',
    'before or after its name. "familiar help <command>" or "familiar <command> --help" shows its options;',
    '"familiar --version" prints the version.',
  ].join('\n');
}

/** The two-word commands under a first word ("train" → train embedder, train autoencoder). */
function subcommandsOf(group: string): Command[] {
  return commands.filter((c) => c.name.startsWith(`${group} `));
}

function listing(list: Command[]): string[] {
  const width = Math.max(...list.map((c) => c.name.length));
  return list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
}

function commandHelp(command: Command): string {
  const subs = subcommandsOf(command.name);
  return (
    [`Usage: familiar ${command.usage}`, command.summary, ...(command.help ? ['', ...command.help] : []), ...(subs.length ? ['', 'Subcommands:', ...listing(subs)] : [])].join('\n') +
    '\n'
  );
}

function groupHelp(group: string): string {
  const subs = subcommandsOf(group);
  const words = subs.map((c) => c.name.slice(group.length + 1));
  return (
    [`Usage: familiar ${group} <${words.join('|')}> [options]`, '', 'Subcommands:', ...listing(subs), '', `Run "familiar ${group} <subcommand> --help" for its options.`].join('\n') +
    '\n'
  );
}

/** "embedder or autoencoder", "a, b or c". */
function orList(words: string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
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

interface GlobalOptions {
  /** --library/--json given before the command, passed on to it. */
  carried: string[];
  help: boolean;
  version: boolean;
  json: boolean;
  rest: string[];
}

/** The flags allowed before the command name: --library DIR, --library=DIR, --json, --help, --version. */
function leadingOptions(argv: string[]): GlobalOptions {
  const out: GlobalOptions = { carried: [], help: false, version: false, json: false, rest: [] };
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('-'); i++) {
    const token = argv[i];
    if (token === '--') {
      i++;
      break;
    }
    if (token === '--json') {
      out.json = true;
      out.carried.push(token);
    } else if (token === '--help' || token === '-h') out.help = true;
    else if (token === '--version' || token === '-v') out.version = true;
    else if (token === '--library') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('-')) throw new UsageError('--library needs a folder');
      out.carried.push(token, value);
      i++;
    } else if (token.startsWith('--library=')) {
      if (token === '--library=') throw new UsageError('--library needs a folder');
      out.carried.push(token);
    } else throw new UsageError(unknownOption(token.split('=')[0], ['--library', '--json', '--help', '--version']));
  }
  out.rest = argv.slice(i);
  return out;
}

/** The option given last before each positional (CommandContext.positionalsAfter); `--` ends the options. */
function optionBeforeEachPositional(tokens: ReadonlyArray<{ kind: string; name?: string }>): Array<string | null> {
  let last: string | null = null;
  const before: Array<string | null> = [];
  for (const token of tokens) {
    if (token.kind === 'option') last = token.name ?? null;
    else if (token.kind === 'option-terminator') last = null;
    else if (token.kind === 'positional') before.push(last);
  }
  return before;
}

/** Node's parseArgs reads `--epochs -1` as a missing value; a negative number there is the value (then checked). */
function joinNegativeNumbers(args: string[], options: OptionSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i];
    if (token === '--') return [...out, ...args.slice(i)];
    const name = token.startsWith('--') ? token.slice(2) : null;
    if (name !== null && Object.hasOwn(options, name) && options[name].type === 'string' && /^-(\d|\.\d)/.test(args[i + 1] ?? '')) {
      out.push(`${token}=${args[i + 1]}`);
      i++;
    } else out.push(token);
  }
  return out;
}

/** "unknown option --jsn; did you mean --json?" when one of `known` is a typo away. */
function unknownOption(option: string, known: readonly string[]): string {
  const meant = option.startsWith('--') ? closest(option, known) : null;
  return `unknown option ${option}${meant ? `; did you mean ${meant}?` : ''}`;
}

/** parseArgs' multi-line errors, as one short phrase; an unknown option with the one meant, of the command's `options`. */
function optionError(err: unknown, options: OptionSpec): string {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  const option = /'(?:-\w, )?(--?[^' =]+)/.exec(message)?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return unknownOption(option, Object.keys(options).map((name) => `--${name}`));
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /does not take an argument/.test(message) ? `${option} takes no value` : `${option} needs a value`;
  }
  return message.split('\n')[0].replace(/\.$/, '');
}

/** process.stdout/stderr for a command: once the reader closed the pipe, writes go nowhere instead of failing. */
function guarded(stream: NodeJS.WriteStream, isClosed: () => boolean): NodeJS.WriteStream {
  const wrapper = Object.create(stream) as NodeJS.WriteStream;
  wrapper.write = ((chunk: string | Uint8Array, ...rest: never[]) => (isClosed() ? true : stream.write(chunk, ...rest))) as typeof stream.write;
  return wrapper;
}

/**
 * An error: its sentence (and any usage lines) on stderr and, with --json, the sentence and the API's error code on
 * stdout too, so a script reading stdout gets JSON for a failure as for a success.
 */
function sayError(streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }, json: boolean, said: string, error: string, code: ErrorCode): void {
  if (json) streams.stdout.write(JSON.stringify({ type: 'error', error, code }) + '\n');
  streams.stderr.write(said);
}

/** The first stop signal the running command heard (see signalThatStopped). */
let heardSignal: NodeJS.Signals | null = null;

/**
 * The signal (Ctrl-C, SIGTERM, SIGHUP) that stopped the last command, or null. The binary dies of it once the command
 * has cleaned up and failed to finish (main/cli/index.ts): a shell stops a script's loop only when its child died of
 * Ctrl-C, not when it exited with a code, so a loop of `familiar import` over folders went on to the next one.
 */
export function signalThatStopped(): NodeJS.Signals | null {
  return heardSignal;
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  heardSignal = null;
  const processStreams = { stdout: process.stdout, stderr: process.stderr };
  let global: GlobalOptions;
  try {
    global = leadingOptions(argv);
  } catch (err) {
    const message = (err as Error).message;
    sayError(processStreams, argv.includes('--json'), `familiar: ${message} (see familiar help).\n`, `${message}.`, 'invalid-argument');
    return 2;
  }
  if (global.version) {
    process.stdout.write(global.json ? JSON.stringify({ version: appVersion() }) + '\n' : `familiar ${appVersion()}\n`);
    return 0;
  }
  let words = global.rest;
  let help = global.help;
  if (words[0] === 'help') {
    words = words.slice(1);
    help = true;
  }
  if (words.length === 0) {
    if (help) {
      process.stdout.write(helpText() + '\n');
      return 0;
    }
    // No command is a usage error, said as the others are: the list on stderr, and with --json an error object on
    // stdout (QA: a script's `familiar --json` got the help text to parse).
    const message = 'give a command; "familiar help" lists them.';
    sayError(processStreams, global.json, `familiar: ${message}\n${helpText()}\n`, message, 'invalid-argument');
    return 2;
  }
  const found = findCommand(words);
  if (!found) {
    const group = words[0];
    const subs = subcommandsOf(group);
    if (subs.length === 0) {
      const meant = commandMeant(group, commands.map((c) => c.name));
      const message = `unknown command "${group}"; ${meant ? `did you mean "familiar ${meant}"? Run` : 'run'} "familiar help" for the list.`;
      sayError(processStreams, global.json || words.includes('--json'), `familiar: ${message}\n`, message, 'unknown-call');
      return 2;
    }
    const sub = words[1];
    const wantsHelp = help || words.includes('--help') || words.includes('-h');
    if ((sub === undefined || sub.startsWith('-')) && wantsHelp) {
      process.stdout.write(groupHelp(group));
      return 0;
    }
    const choices = orList(subs.map((c) => c.name.slice(group.length + 1)));
    const meant = sub === undefined || sub.startsWith('-') ? null : closest(sub, subs.map((c) => c.name.slice(group.length + 1)));
    const message =
      sub === undefined || sub.startsWith('-')
        ? `give a subcommand: ${choices}.`
        : `unknown subcommand "${sub}"; ${meant ? `did you mean "familiar ${group} ${meant}"?` : `choose ${choices}.`}`;
    sayError(processStreams, global.json || words.includes('--json'), `familiar ${group}: ${message}\n` + groupHelp(group), message, 'unknown-call');
    return 2;
  }
  const { command } = found;
  if (help) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  const rest = [...global.carried, ...found.rest];
  // A second Familiar refused by this one's lock is told what holds it.
  setLockHolderName(`familiar ${command.name}`);

  const controller = new AbortController();
  const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // "Quit now": dies of the signal at once, so a script running this stops too (see signalThatStopped).
      for (const stop of STOP_SIGNALS) process.off(stop, onSignal);
      const quit = () => {
        if (process.platform !== 'win32' && process.listenerCount(signal) === 0) process.kill(process.pid, signal);
        process.exit(128 + constants.signals[signal]);
      };
      if (command.quitNow === undefined) return quit();
      // The last line, or the user is left not knowing what the library holds now (QA: it ended without a word). Out
      // before the end: a pipe (and a Windows console) is written to later, and an exit drops what waits (a review).
      const message = `quit at once; ${command.quitNow}`;
      if (json) printStopped({ stdout }, command.name, message);
      stderr.write(`\nfamiliar ${command.name}: ${message}\n`, () => quit());
      setTimeout(quit, 500).unref();
      return;
    }
    heardSignal = signal;
    process.stderr.write(`\nStopping after the current step (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to quit now)...\n`);
    controller.abort();
  };
  // A reader that stopped early (`familiar import … | head -1`) closed the pipe: the command stops as if Ctrl-C'd,
  // and still closes the library (releasing its lock) before the process exits.
  const closed = new Set<NodeJS.WriteStream>();
  const onStreamError = (stream: NodeJS.WriteStream) => (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') return;
    closed.add(stream);
    if (!controller.signal.aborted) controller.abort();
  };
  const onStdoutError = onStreamError(process.stdout);
  const onStderrError = onStreamError(process.stderr);
  // SIGHUP: the terminal the import ran in was closed (QA: it stopped as a crash does, its last batch lost and the lock
  // left behind).
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  process.stdout.on('error', onStdoutError);
  process.stderr.on('error', onStderrError);
  const stdout = guarded(process.stdout, () => closed.has(process.stdout));
  const stderr = guarded(process.stderr, () => closed.has(process.stderr));
  // Until the options are parsed: asked for anywhere (a refused option must not hide that --json was given).
  let json = rest.includes('--json');
  const streams = { stdout, stderr };
  try {
    let parsed;
    const options = { ...commonOptions, ...command.options };
    try {
      parsed = parseArgs({ args: joinNegativeNumbers(rest, options), options, allowPositionals: true, strict: true, tokens: true });
    } catch (err) {
      const message = optionError(err, options);
      sayError(streams, json, `familiar ${command.name}: ${message} (see familiar ${command.name} --help).\n`, `${message}.`, 'invalid-argument');
      return 2;
    }
    if (parsed.values.help) {
      stdout.write(commandHelp(command));
      return 0;
    }
    const library = parsed.values.library;
    if (library === '') throw new UsageError('--library needs a folder.');
    json = parsed.values.json === true;
    return await command.run({
      values: parsed.values,
      positionals: parsed.positionals,
      positionalsAfter: optionBeforeEachPositional(parsed.tokens),
      // Absolute, so every message names the library unambiguously (QA: "Familiar is running for lib").
      libraryDir: typeof library === 'string' ? resolveUserPath(library) : defaultLibraryDir(),
      json,
      stdout,
      stderr,
      stdin: process.stdin,
      signal: controller.signal,
    });
  } catch (err) {
    if (err instanceof OptionValueError) {
      sayError(streams, json, `familiar ${command.name}: ${err.message} (see familiar ${command.name} --help).\n`, err.message, 'invalid-argument');
      return 2;
    }
    if (err instanceof UsageError) {
      sayError(streams, json, `familiar ${command.name}: ${err.message}\nUsage: familiar ${command.usage}\n`, err.message, 'invalid-argument');
      return 2;
    }
    if (err instanceof JobCancelledError) {
      // A job stopped by Ctrl-C, SIGTERM or a closed pipe between two steps (the library stays consistent).
      const message = `stopped before it finished; run "familiar ${command.name}" again to finish.`;
      if (json) printStopped({ stdout }, command.name, message);
      stderr.write(`familiar ${command.name}: ${message}\n`);
      return 1;
    }
    const sentence = oneSentence(err);
    sayError(streams, json, `familiar ${command.name}: ${sentence}\n`, sentence, codeOf(err));
    if (process.env.FAMILIAR_DEBUG && err instanceof Error) stderr.write(`${err.stack}\n`);
    return 1;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    process.stdout.off('error', onStdoutError);
    process.stderr.off('error', onStderrError);
  }
}

/**
 * An error as one line for stderr. A system error from a write the engine did not wrap says what it means
 * (systemErrorInWords), and a message quoting a damaged file's contents keeps to its first line.
 */
export function oneSentence(err: unknown): string {
  const plain = systemErrorInWords(err, 'run the command again');
  if (plain) return plain[0].toLowerCase() + plain.slice(1);
  const raw = err instanceof Error ? err.message : String(err);
  const lines = raw.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.length > 1 ? `${lines[0]} …` : (lines[0] ?? raw);
}

// The shape every `familiar` sub-command has. Each lives in main/cli/commands/<name>.ts and is listed in
// main/cli/commands/index.ts; the dispatcher (main/cli/index.ts) parses arguments and maps errors to exit codes.
import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  /** Parsed --flags (always includes `library` when given, and `json`). */
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
  /** Library folder: --library, else FAMILIAR_LIBRARY, else the OS user-data folder. */
  libraryDir: string;
  json: boolean;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Fires on Ctrl-C so jobs can stop cleanly between stages. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  /** One line for `familiar help`. */
  summary: string;
  /** Usage line after `familiar`, e.g. 'import <dir...> [--library DIR] [--json]'. */
  usage: string;
  options?: OptionSpec;
  /** Returns the exit code: 0 success, 1 failure. */
  run(ctx: CommandContext): Promise<number>;
}

/** Wrong arguments: exit code 2 with the message and the command's usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

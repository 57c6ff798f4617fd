// The shape every `familiar` sub-command has. Each lives in main/cli/commands/<name>.ts and is listed in
// main/cli/commands/index.ts; the dispatcher (main/cli/index.ts) parses arguments and maps errors to exit codes.
import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  /** Parsed --flags (always includes `library` when given, and `json`). */
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
  /**
   * For each of `positionals`, the option last given before it (its name), or null: `--sub a b` leaves b after
   * `sub`, a list option's more values (parseArgs keeps only the first as the option's).
   */
  positionalsAfter?: Array<string | null>;
  /** Library folder: --library, else FAMILIAR_LIBRARY, else the OS user-data folder. */
  libraryDir: string;
  json: boolean;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Where the user answers a question (familiar remove asks before removing); absent, or not a terminal: nobody to ask. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Fires on Ctrl-C so jobs can stop cleanly between stages. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  /** One line for `familiar help`. */
  summary: string;
  /** Usage line after `familiar`, e.g. 'import <dir...> [--library DIR] [--json]'. */
  usage: string;
  /** More lines for `familiar <command> --help`, after the summary: what each option does, what to expect. */
  help?: string[];
  options?: OptionSpec;
  /**
   * What a second Ctrl-C (quitting at once, mid-step) leaves, said as the process ends: what is kept and how to go
   * on. Without it nothing is said.
   */
  quitNow?: string;
  /** Returns the exit code: 0 success, 1 failure. */
  run(ctx: CommandContext): Promise<number>;
}

/**
 * A path (or any text from a file name) as one line of the terminal: a name holding a newline or another control
 * character is written quoted with it escaped, as JSON writes it (QA: "bad\nSkipped 0 files.jpg" printed a second line
 * that read as the summary's). --json output keeps paths as they are.
 */
export function oneLine(text: string): string {
  return /[\u0000-\u001f\u007f]/.test(text) ? JSON.stringify(text) : text;
}

/** Wrong arguments: exit code 2 with the message and the command's usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A distance as the CLI shows it: never below 0 (float rounding gives -2e-7 for a face against itself). */
export function distanceOf(d: number): number {
  return d > 0 ? d : 0;
}

/** A distance or threshold for people to read: 3 decimals (JSON keeps full precision). */
export function shownDistance(d: number): string {
  return distanceOf(d).toFixed(3);
}

/** A --flag with a bad value: one line, pointing at --help (no usage line). */
export class OptionValueError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'OptionValueError';
  }
}

export interface NumberRule {
  integer?: boolean;
  /** Greater than 0 (for numbers that are not whole). */
  positive?: boolean;
  min?: number;
  max?: number;
}

/** A numeric --flag: undefined when absent, else the number, else an OptionValueError in one sentence. */
export function numberOption(value: unknown, flag: string, rule: NumberRule): number | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value.trim() : '';
  const n = Number(text);
  const shape = rule.integer ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  const ok =
    shape.test(text) &&
    Number.isFinite(n) &&
    !(rule.positive && n <= 0) &&
    !(rule.min !== undefined && n < rule.min) &&
    !(rule.max !== undefined && n > rule.max);
  if (ok) return n;
  const kind = `${rule.integer ? 'whole ' : ''}number`;
  const range =
    rule.min !== undefined && rule.max !== undefined
      ? `a ${kind} from ${rule.min} to ${rule.max}`
      : rule.positive || (rule.integer && rule.min === 1)
        ? `a positive ${kind}`
        : rule.min !== undefined
          ? `a ${kind} of at least ${rule.min}`
          : rule.max !== undefined
            ? `a ${kind} of at most ${rule.max}`
            : `a ${kind}`;
  throw new OptionValueError(`${flag} must be ${range}, not "${String(value)}"`);
}

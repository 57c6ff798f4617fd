// The dispatcher without a library: subcommand groups, global flags before the command, `help <command>`,
// --version, one-sentence option errors, and the shared helpers (plurals, distances, numbers, the --json progress
// stream). main() runs in-process with stdout/stderr captured; nothing here opens a library.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { distanceOf, numberOption, shownDistance, type CommandContext } from '../../../main/cli/command.js';
import { plural } from '../../../preload/contract.js';
import { oneSentence } from '../../../main/cli/main.js';
import { jsonProgress, printStopped, printSummary } from '../../../main/cli/progress.js';
import type { JobProgress } from '../../../main/jobs/progress.js';
import { repoRoot } from '../library/helpers.js';
import { runCli as run } from './cli-process.js';


const noLibrary = join(repoRoot, 'test-output', 'no-such-library-for-cli-usage');

afterEach(() => vi.restoreAllMocks());

describe('subcommand groups', () => {
  it('a missing or unknown subcommand lists the group (exit 2); --help lists it on stdout (exit 0)', async () => {
    const missing = await run('train');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^familiar train: give a subcommand: embedder or autoencoder\.\n/);
    expect(missing.err).toContain('train embedder');
    expect(missing.err).toContain('train autoencoder');
    expect(missing.err).not.toMatch(/unknown command/);

    const help = await run('train', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: familiar train <embedder\|autoencoder>/);
    expect(help.err).toBe('');

    const names = await run('names');
    expect(names.code).toBe(2);
    expect(names.err).toMatch(/names export/);
    expect(names.err).toMatch(/names import/);

    const unknown = await run('names', 'foo');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^familiar names: unknown subcommand "foo"; choose export or import\.\n/);

    expect((await run('help', 'names')).code).toBe(0);
    expect((await run('names', '-h')).out).toMatch(/Usage: familiar names <export\|import>/);
  });

  it('an unknown command or subcommand names the one meant, when it is the second word of one or a typo away (QA: "familiar export")', async () => {
    const second = await run('export', '--to', 'x');
    expect(second.code).toBe(2);
    expect(second.err).toBe('familiar: unknown command "export"; did you mean "familiar names export"? Run "familiar help" for the list.\n');
    expect((await run('use', 'v1')).err).toMatch(/did you mean "familiar models use"\?/);
    expect((await run('imprt', 'photos')).err).toMatch(/did you mean "familiar import"\?/);
    expect((await run('Peple')).err).toMatch(/did you mean "familiar people"\?/);
    expect((await run('trian')).err).toMatch(/did you mean "familiar train"\?/);
    expect((await run('exprot')).err).toMatch(/did you mean "familiar names export"\?/);
    // Nothing near: no guess.
    expect((await run('bogus')).err).toBe('familiar: unknown command "bogus"; run "familiar help" for the list.\n');
    const sub = await run('names', 'exprot');
    expect(sub.code).toBe(2);
    expect(sub.err).toMatch(/^familiar names: unknown subcommand "exprot"; did you mean "familiar names export"\?\nUsage: familiar names/);
  });

  it('a command that is also a group lists its subcommands in its help', async () => {
    const help = await run('models', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: familiar models /);
    expect(help.out).toMatch(/Subcommands:\n {2}models use/);
    const use = await run('models', 'use', '--help');
    expect(use.code).toBe(0);
    expect(use.out).toMatch(/^Usage: familiar models use <version\|raw>/);
    // models use without a version is bad usage, not an unknown command.
    const bare = await run('models', 'use', '--library', noLibrary);
    expect(bare.code).toBe(2);
    expect(bare.err).toMatch(/give exactly one version/);
  });
});

describe('global flags and help', () => {
  it('takes --library DIR, --library=DIR and --json before the command', async () => {
    for (const args of [['--library', noLibrary, 'people'], [`--library=${noLibrary}`, '--json', 'people'], ['--json', 'people', '--library', noLibrary]]) {
      const r = await run(...args);
      // The library is the one given: it does not exist, which is a failure (1), not bad usage (2).
      expect(r.code).toBe(1);
      expect(r.err).toBe(`familiar people: There is no Familiar library at ${noLibrary}; run "familiar import <folder>" first.\n`);
    }
    const noValue = await run('--library');
    expect(noValue.code).toBe(2);
    expect(noValue.err).toBe('familiar: --library needs a folder (see familiar help).\n');
    const unknown = await run('--bogus', 'people');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe('familiar: unknown option --bogus (see familiar help).\n');
  });

  it('a mistyped --library makes no library there, for training and models as for the people commands', async () => {
    // QA: train embedder and models use created an empty library at the typo, then said there was nothing to train.
    // Then a script's `import --look-again` exited 0 over an empty library made at the typo.
    for (const args of [['train', 'embedder', '--epochs', '1'], ['models', 'use', 'v2'], ['models'], ['import', '--look-again']]) {
      const r = await run(...args, '--library', noLibrary);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toContain(`There is no Familiar library at ${noLibrary}`);
      expect(existsSync(noLibrary), args.join(' ')).toBe(false);
    }
  });

  it('help <command> prints the command\'s help, like <command> --help', async () => {
    const viaHelp = await run('help', 'import');
    const viaFlag = await run('import', '--help');
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.out).toMatch(/^Usage: familiar import <dir\.\.\.>/);
    expect(viaHelp.out).toBe(viaFlag.out);
    expect((await run('help', 'train', 'embedder')).out).toMatch(/^Usage: familiar train embedder/);
    expect((await run('--help', 'import')).out).toBe(viaFlag.out);
    const unknown = await run('help', 'bogus');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command "bogus"/);
    expect((await run('help')).code).toBe(0);
    const bare = await run();
    expect(bare.code).toBe(2);
    expect(bare.out).toBe('');
    expect(bare.err).toMatch(/^familiar: give a command; "familiar help" lists them\.\nUsage: familiar/);
    // A script asking for JSON gets an error object to parse, not the help text.
    const bareJson = await run('--json');
    expect(bareJson.code).toBe(2);
    expect(JSON.parse(bareJson.out)).toEqual({ type: 'error', error: 'give a command; "familiar help" lists them.', code: 'invalid-argument' });
  });

  it('import --help explains each flag, and that moved, copied and edited photos keep their names', async () => {
    const { code, out } = await run('import', '--help');
    expect(code).toBe(0);
    // Every flag the command takes is explained, not only named in the usage line (QA).
    for (const flag of ['--look-again', '--ignore-names', '--library DIR', '--json']) expect(out).toMatch(new RegExp(`^  ${flag} +\\S`, 'm'));
    const text = out.replace(/\s+/g, ' ');
    expect(text).toContain('A photo moved, renamed or copied is found at its new place, nothing analysed again, and keeps its names');
    expect(text).toContain('A photo edited in another app (metadata written, cropped, mirrored, retouched, rotated) keeps what you said of its faces');
    // A command without more to say prints its usage and summary alone.
    expect((await run('undo', '--help')).out).toBe('Usage: familiar undo [--library DIR] [--json]\nUndo the most recent people decision\n');
  });

  it('--version and -v print the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(await run('--version')).toEqual({ code: 0, out: `familiar ${version}\n`, err: '' });
    expect((await run('-v')).out).toBe(`familiar ${version}\n`);
    expect(JSON.parse((await run('--json', '--version')).out)).toEqual({ version });
  });
});

describe('option errors', () => {
  it('an unknown option or a missing value is one sentence pointing at --help (exit 2)', async () => {
    expect(await run('people', '--bogus')).toEqual({ code: 2, out: '', err: 'familiar people: unknown option --bogus (see familiar people --help).\n' });
    expect((await run('people', '--library')).err).toBe('familiar people: --library needs a value (see familiar people --help).\n');
    expect((await run('people', '--json=yes')).err).toBe('familiar people: --json takes no value (see familiar people --help).\n');
    // A typo of one of the command's options names it.
    expect((await run('names', 'export', '--include-unconfimed')).err).toBe(
      'familiar names export: unknown option --include-unconfimed; did you mean --include-unconfirmed? (see familiar names export --help).\n',
    );
    expect((await run('people', '--jsn')).err).toBe('familiar people: unknown option --jsn; did you mean --json? (see familiar people --help).\n');
    expect((await run('--libary', 'x', 'people')).err).toBe('familiar: unknown option --libary; did you mean --library? (see familiar help).\n');
    // The dashes are not part of the word: a three-letter option is allowed one typo, not two ("--foo" is not "--to").
    expect((await run('names', 'export', '--foo')).err).toBe('familiar names export: unknown option --foo (see familiar names export --help).\n');
    expect((await run('names', 'export', '--tp')).err).toMatch(/; did you mean --to\? /);
  });

  it('a negative or invalid number is one sentence, not "argument is ambiguous" (exit 2)', async () => {
    const negative = await run('train', 'embedder', '--epochs', '-1', '--library', noLibrary);
    expect(negative).toEqual({
      code: 2,
      out: '',
      err: 'familiar train embedder: --epochs must be a whole number from 1 to 500, not "-1" (see familiar train embedder --help).\n',
    });
    const inline = await run('train', 'autoencoder', '--epochs=-3', '--library', noLibrary);
    expect(inline.err).toBe('familiar train autoencoder: --epochs must be a whole number from 1 to 500, not "-3" (see familiar train autoencoder --help).\n');
    // The margin the app refuses, the CLI refuses too.
    expect((await run('train', 'embedder', '--margin', '8', '--library', noLibrary)).err).toBe(
      'familiar train embedder: --margin must be a number from 0.01 to 2, not "8" (see familiar train embedder --help).\n',
    );
    const text = await run('suggest', 'Ada', '--limit', 'abc', '--library', noLibrary);
    expect(text.code).toBe(2);
    expect(text.err).toBe('familiar suggest: --limit must be a whole number from 1 to 1000, not "abc" (see familiar suggest --help).\n');
    expect((await run('unsure', '--limit', '2.5', '--library', noLibrary)).err).toMatch(/^familiar unsure: --limit must be a whole number from 1 to 1000, not "2\.5"/);
    expect((await run('serve', '--port', '-80', '--library', noLibrary)).err).toMatch(/^familiar serve: --port must be a whole number from 0 to 65535, not "-80"/);
  });

  it('numberOption accepts what the rule allows, negative numbers included', () => {
    expect(numberOption(undefined, '--n', { integer: true, min: 1 })).toBeUndefined();
    expect(numberOption('12', '--n', { integer: true, min: 1 })).toBe(12);
    expect(numberOption('-2.5', '--strength', { min: -5, max: 5 })).toBe(-2.5);
    expect(() => numberOption('1e400', '--n', {})).toThrow(/must be a number/);
    expect(() => numberOption('0', '--margin', { positive: true })).toThrow('--margin must be a positive number, not "0"');
    expect(() => numberOption('', '--n', { integer: true, min: 1 })).toThrow(/positive whole number/);
  });
});

describe('output helpers', () => {
  it('pluralises counts with the helper the engine and the app share', () => {
    expect(plural(1, 'face')).toBe('1 face');
    expect(plural(0, 'face')).toBe('0 faces');
    expect(plural(2, 'suggestion')).toBe('2 suggestions');
    expect(plural(1, 'person', 'people')).toBe('1 person');
    expect(plural(3, 'person', 'people')).toBe('3 people');
    expect(plural(12_345, 'photo')).toBe('12,345 photos');
  });

  it('shows distances from 0 up, to 3 decimals', () => {
    expect(distanceOf(-2.38e-7)).toBe(0);
    expect(distanceOf(0.4)).toBe(0.4);
    expect(shownDistance(0.14160989969968796)).toBe('0.142');
    expect(shownDistance(-2.38e-7)).toBe('0.000');
  });
});

describe('the --json stream', () => {
  function fakeCtx(): { ctx: CommandContext; lines: () => Array<Record<string, unknown>> } {
    let text = '';
    const stdout = { isTTY: false, write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WriteStream;
    const ctx = { stdout, stderr: stdout, json: true } as unknown as CommandContext;
    return { ctx, lines: () => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
  }
  const progress = (stage: string, done: number, total: number): JobProgress => ({ job: 'export-names', stage, done, total, etaSeconds: null, ratePerSecond: null });

  it('throttles progress lines to a few a second, always showing stage changes, the end of a stage and the last event', () => {
    const { ctx, lines } = fakeCtx();
    let t = 0;
    const printer = jsonProgress(ctx, 250, () => t);
    // 1000 photos in one second: 4 lines a second at most, plus the first and the end of the stage.
    for (let i = 0; i <= 1000; i++) {
      t = i;
      printer.onProgress(progress('write', i, 1000));
    }
    printer.onProgress(progress('write', 1000, 1000)); // reported twice by the job: shown once
    printer.onProgress(progress('tidy', 0, 0));
    t = 1001;
    printer.onProgress(progress('tidy', 1, 0)); // held back by the throttle...
    printer.end(); // ...and written at the end
    const out = lines();
    expect(out.every((l) => l.type === 'progress')).toBe(true);
    expect(out.map((l) => `${l.stage} ${l.done}`)).toEqual(['write 0', 'write 250', 'write 500', 'write 750', 'write 1000', 'tidy 0', 'tidy 1']);
  });

  it('ends with a summary or a stopped line', () => {
    const { ctx, lines } = fakeCtx();
    printSummary(ctx, { written: 3 });
    printStopped(ctx, 'import', 'stopped.');
    expect(lines()).toEqual([
      { type: 'summary', written: 3 },
      { type: 'stopped', job: 'import', message: 'stopped.' },
    ]);
  });
});

describe('errors on stderr', () => {
  it('say what a system error from a write means, and keep to one line', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(oneSentence(full)).toBe(
      'the disk is full (ENOSPC: no space left on device, write). What was done before this is kept: free some space, then run the command again.',
    );
    // Each with what mends it: a refused permission is no full disk.
    const refused = Object.assign(new Error("EACCES: permission denied, open '/photos/lib/faces.json'"), { code: 'EACCES' });
    expect(oneSentence(refused)).toBe(
      "permission was refused (EACCES: permission denied, open '/photos/lib/faces.json'). What was done before this is kept: let Familiar write there, then run the command again.",
    );
    expect(oneSentence(new Error('faces.json and its backup are damaged: Unexpected token\n{"faces": [\n'))).toBe('faces.json and its backup are damaged: Unexpected token …');
    expect(oneSentence(new Error('No face "x" in this library.'))).toBe('No face "x" in this library.');
  });
});

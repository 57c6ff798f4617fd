// Shared by the people commands of the CLI (main/cli/commands/*.ts): opening the library and printing results.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandContext } from '../cli/command.js';
import { Library } from '../store/library.js';
import type { OperationResult } from './types.js';

/** Opens an existing library (never creates an empty one for a people command), runs `fn`, closes it. */
export async function withLibrary<T>(ctx: CommandContext, mode: 'read' | 'write', fn: (library: Library) => Promise<T>): Promise<T> {
  if (!existsSync(join(ctx.libraryDir, 'library.json')) && !existsSync(join(ctx.libraryDir, 'faces.json'))) {
    throw new Error(`There is no Familiar library at ${ctx.libraryDir}; run "familiar import <folder>" first.`);
  }
  const library = await Library.open(ctx.libraryDir, { readOnly: mode === 'read' });
  try {
    // Whatever open found damaged and repaired is the user's to know (read-only opens only report, see doctor).
    if (mode === 'write') for (const r of library.repairs) ctx.stderr.write(`familiar: repaired ${r.part}: ${r.problem}; ${r.action}.\n`);
    // A reader leaves the damage as it is, but says so: what it prints may be missing those parts (QA: "people" printed
    // an empty library over lost vectors, and nothing else).
    else if (library.repairs.some((r) => !r.part.startsWith('index/'))) {
      // The index is a cache a reader rebuilds in memory (and is missing while a first import runs): not damage.
      const damage = library.repairs.filter((r) => !r.part.startsWith('index/'));
      ctx.stderr.write(
        `familiar: the library needs repair (${damage.map((r) => `${r.part}: ${r.problem}`).join('; ')}); ` +
          'what follows may be incomplete. "familiar doctor" says more; any command that changes the library repairs it.\n',
      );
    }
    return await fn(library);
  } finally {
    await library.close();
  }
}

export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.stdout.write(JSON.stringify(value) + '\n');
}

/** After a merge of people who appear together in photos (one person is in a photo once: likely siblings). */
export function appearedTogether(photos: number): string {
  return `They appeared together in ${photos === 1 ? '1 photo' : `${photos} photos`}: one person is in a photo only once. "familiar undo" takes the merge back.`;
}

export function printOperation(ctx: CommandContext, result: OperationResult): number {
  if (ctx.json) printJson(ctx, result);
  else ctx.stdout.write(`${result.description}  ("familiar undo" reverts it)\n`);
  return 0;
}

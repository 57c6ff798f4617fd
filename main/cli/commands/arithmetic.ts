// `familiar arithmetic --base <face> --add <faces...> --sub <faces...> --out x.png`
import { AutoencoderUses } from '../../autoencoder/uses.js';
import { withLibrary } from '../../people/cli-support.js';
import type { Library } from '../../store/library.js';
import { UsageError, numberOption, type Command } from '../command.js';
import { outPath, writeScaledPng } from './autoencoder-output.js';

/**
 * The faces and people of --add a,b / --add a --add b: each value split on commas. A part stays whole (a person's name
 * holds spaces: "Ada Lovelace" split was refused, or taken as two other people), unless it is face ids with spaces
 * between them, as --add "id1 id2" gives.
 */
export function refsOf(value: unknown, library: Pick<Library, 'face'>): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values
    .flatMap((v) => String(v).split(','))
    .map((part) => part.trim())
    .filter(Boolean)
    .flatMap((part) => {
      const words = part.split(/\s+/);
      return words.length > 1 && words.every((w) => library.face(w) !== undefined) ? words : [part];
    });
}

export const arithmeticCommand: Command = {
  name: 'arithmetic',
  summary: 'Write a face changed by latent arithmetic: base + mean(add) - mean(sub)',
  usage: 'arithmetic --base <face|person> --add <faces...> [--sub <faces...>] [--strength 1] --out x.png [--library DIR] [--json]',
  options: {
    base: { type: 'string' },
    add: { type: 'string', multiple: true },
    sub: { type: 'string', multiple: true },
    strength: { type: 'string' },
    out: { type: 'string' },
    version: { type: 'string' },
  },
  async run(ctx) {
    if (typeof ctx.values.base !== 'string') throw new UsageError('--base <face|person> is required.');
    // Values after --sub subtract (positionalsAfter): they are no face to add (a review: --sub C D alone got past this).
    const afterSub = (i: number) => ctx.positionalsAfter?.[i] === 'sub';
    const moreToAdd = ctx.positionals.filter((_, i) => !afterSub(i));
    const moreToSub = ctx.positionals.filter((_, i) => afterSub(i));
    if (ctx.values.add === undefined && moreToAdd.length === 0) throw new UsageError('--add needs at least one face or person.');
    const strength = numberOption(ctx.values.strength, '--strength', { min: -5, max: 5 }) ?? 1;
    const file = outPath(ctx);
    return withLibrary(ctx, 'read', async (library) => {
      // Extra positionals after --add a b c are more faces to add, after --sub c d more to subtract (parseArgs keeps
      // only the first as the value; QA: --sub C A added A), each read as an option's value is.
      const add = [...refsOf(ctx.values.add, library), ...refsOf(moreToAdd, library)];
      const sub = [...refsOf(ctx.values.sub, library), ...refsOf(moreToSub, library)];
      if (add.length === 0) throw new UsageError('--add needs at least one face or person.');
      const uses = await AutoencoderUses.open(library, typeof ctx.values.version === 'string' ? ctx.values.version : undefined);
      try {
        const result = await uses.arithmetic(library, ctx.values.base as string, add, sub, strength);
        await writeScaledPng(result.pair, file);
        const view = { out: file, version: uses.version.version, base: result.base.label, add: result.add.map((r) => r.label), subtract: result.subtract.map((r) => r.label), strength };
        ctx.stdout.write(ctx.json ? JSON.stringify(view) + '\n' : `Wrote ${result.base.label} before and after the change to ${file}\n`);
        return 0;
      } finally {
        uses.dispose();
      }
    });
  },
};

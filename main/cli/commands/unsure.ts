// `familiar unsure`: "is this A or B?", the faces that lie near two named people, least sure first. Answering them
// (familiar confirm / reject / name) is what untangles siblings; see docs/clustering.md.
import { ambiguousFaces } from '../../people/index.js';
import { photoPathOf, printJson, withLibrary } from '../../people/cli-support.js';
import { UsageError, distanceOf, numberOption, shownDistance, oneLine, type Command } from '../command.js';
import { plural } from '../../../preload/contract.js';

export const unsureCommand: Command = {
  name: 'unsure',
  summary: 'Faces near two named people ("is this A or B?"), least sure first',
  usage: 'unsure [--limit N] [--library DIR] [--json]',
  options: { limit: { type: 'string', default: '20' } },
  async run(ctx) {
    if (ctx.positionals.length !== 0) throw new UsageError('takes no arguments (see --limit).');
    const limit = numberOption(ctx.values.limit, '--limit', { integer: true, min: 1, max: 1000 }) ?? 20;
    return withLibrary(ctx, 'read', async (library) => {
      const all = ambiguousFaces(library);
      const shown = all
        .slice(0, limit)
        .map((a) => ({ ...a, photoPath: photoPathOf(library, a.photoId), candidates: a.candidates.map((c) => ({ ...c, distance: distanceOf(c.distance) })) }));
      if (ctx.json) printJson(ctx, { total: all.length, faces: shown });
      else {
        ctx.stdout.write(`${plural(all.length, 'face')} ${all.length === 1 ? 'lies' : 'lie'} near two named people${all.length > shown.length ? ` (the ${shown.length} least sure)` : ''}. Answer with: familiar confirm <face> <person>, familiar reject <face> <person>, familiar name <face> <name>\n`);
        for (const a of shown) {
          const [first, second] = a.candidates.map((c) => `${c.name ?? c.personId} ${shownDistance(c.distance)}`);
          // Far from both: the likely answer is someone else (familiar reject, or name).
          const neither = a.closeToNeither ? '  or someone else' : '';
          ctx.stdout.write(`${a.faceId}  ${first}  or  ${second}${neither}  margin ${shownDistance(a.margin)}  ${oneLine(a.photoPath)}\n`);
        }
      }
      return 0;
    });
  },
};

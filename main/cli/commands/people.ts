// `familiar people`: every person and unnamed group with its faces, largest first.
import { facesInNoGroup, LeastAlikeViews, listPeople } from '../../people/index.js';
import { printJson, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';
import { plural } from '../../../preload/contract.js';

export const peopleCommand: Command = {
  name: 'people',
  summary: 'List people and unnamed groups with their faces',
  usage: 'people [--all] [--library DIR] [--json]',
  options: { all: { type: 'boolean', default: false } },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`people takes no arguments (got "${ctx.positionals[0]}").`);
    return withLibrary(ctx, 'read', async (library) => {
      const toCheck = new LeastAlikeViews(library).unlikeCounts();
      const people = listPeople(library, { includeHidden: ctx.values.all === true }).map((p) => ({ ...p, toCheck: toCheck.get(p.id) ?? 0 }));
      if (ctx.json) {
        printJson(ctx, people);
        return 0;
      }
      // The faces in no group that the app's "Who is this?" asks about; those the user set aside are said apart.
      const { unknown, tooSmall, setAside } = facesInNoGroup(library);
      ctx.stdout.write(
        `${people.filter((p) => p.name !== null).length} named, ${plural(people.filter((p) => p.name === null).length, 'unnamed group')}, ${plural(unknown, 'unknown face')}` +
          `${tooSmall > 0 ? ` (${tooSmall} too small or unclear to group)` : ''}` +
          `${setAside > 0 ? `; ${plural(setAside, 'face')} set aside, not asked about` : ''}\n`,
      );
      const checking = people.filter((p) => p.toCheck > 0);
      if (checking.length > 0) {
        ctx.stdout.write(`${plural(checking.length, 'person has', 'people have')} faces that look unlike the ones you confirmed: see \`familiar unlike <person>\`\n`);
      }
      for (const p of people) {
        const label = p.name ?? '(unnamed)';
        ctx.stdout.write(`${p.id}  ${label.padEnd(24)}  ${String(p.faceCount).padStart(5)} ${p.faceCount === 1 ? 'face ' : 'faces'}  ${String(p.photoCount).padStart(5)} ${p.photoCount === 1 ? 'photo ' : 'photos'}  ${p.confirmedCount} confirmed${p.toCheck > 0 ? `  ${p.toCheck} to check` : ''}${p.hidden ? '  hidden' : ''}\n`);
      }
      return 0;
    });
  },
};

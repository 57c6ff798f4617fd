// `familiar merge <a> <b...>`: b (and any others) become a; a keeps its id (and its name, else b's name).
import { mergePeople, photosTogether, twoPeopleQuestion } from '../../people/index.js';
import { appearedTogether, printOperation, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';

export const mergeCommand: Command = {
  name: 'merge',
  summary: 'Merge people: the second (and any further) become the first',
  usage: 'merge <person> <person...> [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length < 2) throw new UsageError('give the person to keep, then at least one person to merge into it.');
    const [into, ...from] = ctx.positionals;
    return withLibrary(ctx, 'write', async (library) => {
      const together = photosTogether(library, ctx.positionals);
      const done = await mergePeople(library, into, from);
      const code = printOperation(ctx, done);
      // Said after the fact, as the app asks before it: one person is in a photo once (likely siblings).
      if (together > 0 && !ctx.json) {
        ctx.stdout.write(`${appearedTogether(together)}\n`);
      }
      // Their faces lie farther apart than one person's, so the merge left the question open: said now, as the app's
      // People card marks them.
      const [mergedId] = done.personIds;
      if (!ctx.json && twoPeopleQuestion(library, mergedId)) {
        const label = library.people.people.find((p) => p.id === mergedId)?.name ?? mergedId;
        ctx.stdout.write(`Their faces look like two people: familiar split ${JSON.stringify(label)} --dry-run shows the parts; "familiar undo" takes the merge back.\n`);
      }
      return code;
    });
  },
};

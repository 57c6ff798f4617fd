// `familiar suggest <person>`: the person's queue of candidate faces to confirm or reject, nearest first.
import { resolvePerson, suggestionsFor } from '../../people/index.js';
import { printJson, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';

export const suggestCommand: Command = {
  name: 'suggest',
  summary: "A person's suggested faces to confirm or reject, nearest first",
  usage: 'suggest <person> [--limit N] [--library DIR] [--json]',
  options: { limit: { type: 'string', default: '20' } },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('give exactly one person (id or name).');
    const limit = Number(ctx.values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be a whole number from 1 to 1000.');
    return withLibrary(ctx, 'read', async (library) => {
      const person = resolvePerson(library.people.people, ctx.positionals[0]);
      const queue = suggestionsFor(library, person.id, limit);
      if (ctx.json) printJson(ctx, { personId: person.id, name: person.name, suggestions: queue });
      else {
        ctx.stdout.write(`${queue.length} suggestions for ${person.name ?? person.id} (confirm: familiar confirm <face> ${person.id}; reject: familiar reject <face> ${person.id})\n`);
        for (const s of queue) ctx.stdout.write(`${s.faceId}  distance ${s.distance.toFixed(3)}  photo ${s.photoId.slice(0, 12)}${s.currentPersonId ? `  now in ${s.currentPersonId}` : ''}\n`);
      }
      return 0;
    });
  },
};

// `familiar suggest <person>`: the person's queue of candidate faces to confirm or reject, nearest first.
import { ambiguousFaces, resolvePerson, suggestionsFor } from '../../people/index.js';
import { photoPathOf, printJson, withLibrary } from '../../people/cli-support.js';
import { cannotBeOf } from '../../people/before-birth.js';
import { UsageError, distanceOf, numberOption, shownDistance, oneLine, type Command } from '../command.js';
import { plural } from '../../../preload/contract.js';

export const suggestCommand: Command = {
  name: 'suggest',
  summary: "A person's suggested faces to confirm or reject, nearest first",
  usage: 'suggest <person> [--limit N] [--library DIR] [--json]',
  options: { limit: { type: 'string', default: '20' } },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('give exactly one person (id or name).');
    const limit = numberOption(ctx.values.limit, '--limit', { integer: true, min: 1, max: 1000 }) ?? 20;
    return withLibrary(ctx, 'read', async (library) => {
      const person = resolvePerson(library.people.people, ctx.positionals[0]);
      // With the photo's file, to open and judge the face by (--json keeps the id and adds the path).
      const queue = suggestionsFor(library, person.id, limit, { cannotBe: cannotBeOf(library, person) }).map((s) => ({ ...s, distance: distanceOf(s.distance), photoPath: photoPathOf(library, s.photoId) }));
      if (ctx.json) printJson(ctx, { personId: person.id, name: person.name, suggestions: queue });
      else {
        const who = person.name ?? person.id;
        if (queue.length === 0) {
          // Faces as near them as someone else are asked about as "A or B?", not suggested: said, not "no face looks
          // like them" (QA: a face nearer Serena than Venus waited under `unsure`).
          const between = ambiguousFaces(library).filter((q) => q.candidates.some((c) => c.personId === person.id)).length;
          ctx.stdout.write(
            between > 0
              ? `No suggestions for ${who}: ${plural(between, 'face')} as like them as someone else ${between === 1 ? 'waits' : 'wait'} in "Which one?" instead (familiar unsure).\n`
              : `No suggestions for ${who}: no face outside them looks enough like them.\n`,
          );
        }
        else ctx.stdout.write(`${plural(queue.length, 'suggestion')} for ${who} (confirm: familiar confirm <face> ${person.id}; reject: familiar reject <face> ${person.id})\n`);
        // Where the face is now, by name: "now in <their own id>" read like a bug for a face already placed with them (QA).
        const label = (id: string) => {
          const p = library.people.people.find((q) => q.id === id);
          return p?.name ? `"${p.name}"` : `unnamed group ${id}`;
        };
        const where = (id: string | null) => (id === null ? '' : id === person.id ? '  placed with them, not confirmed' : `  now in ${label(id)}`);
        // The file last: a path may hold spaces, and ends the line whole.
        for (const s of queue) ctx.stdout.write(`${s.faceId}  distance ${shownDistance(s.distance)}${where(s.currentPersonId)}  ${oneLine(s.photoPath)}\n`);
      }
      return 0;
    });
  },
};

// `familiar separate <person> <merged person>`: a named person merged into another (siblings, most often) gets back
// the faces that were theirs at the merge, however long ago it was; a group that joined the person (named with their
// name, a Yes to "Is this <Name>?") becomes a group of its own again, its faces marked not the person. Later decisions
// stand. Without the second person, lists who was merged in and which groups joined, to separate again.
// main/people/decisions.ts (separatePerson) has the rule.
import { mergedPeopleOf, resolvePerson, separatePerson } from '../../people/index.js';
import { printJson, printOperation, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';
import { plural } from '../../../preload/contract.js';

export const separateCommand: Command = {
  name: 'separate',
  summary: 'Separate again a named person merged into another, or a group that joined them (without the second: list them)',
  usage: 'separate <person> [<merged person or joined group id>] [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length < 1 || ctx.positionals.length > 2) throw new UsageError('give the person merged into, then the person merged in (a name or an id) or the id of a group that joined them.');
    const [into, merged] = ctx.positionals;
    return withLibrary(ctx, merged === undefined ? 'read' : 'write', async (library) => {
      const person = resolvePerson(library.people.people, into);
      if (merged !== undefined) return printOperation(ctx, await separatePerson(library, person.id, merged));
      const list = mergedPeopleOf(library, person.id);
      if (ctx.json) printJson(ctx, list);
      else if (list.length === 0) ctx.stdout.write(`Nobody merged into ${person.name ?? 'this group'} can be separated again.\n`);
      else {
        for (const m of list) {
          const what = m.name !== null ? `${m.name}\t${m.personId}\tmerged` : `(a group)\t${m.personId}\tjoined`;
          ctx.stdout.write(`${what} ${m.at.slice(0, 10)}\t${plural(m.faceCount, 'face')}\n`);
        }
        const [latest] = list;
        const which = JSON.stringify(person.name ?? person.id);
        ctx.stdout.write(
          latest.name !== null
            ? `familiar separate ${which} ${JSON.stringify(latest.name)} gives them back their faces.\n`
            : `familiar separate ${which} ${latest.personId} makes the faces that group brought a group of their own again.\n`,
        );
      }
      return 0;
    });
  },
};

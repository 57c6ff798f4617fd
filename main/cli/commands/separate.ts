// `familiar separate <person> <merged person>`: a named person merged into another (siblings, most often) gets back
// the faces that were theirs at the merge, however long ago it was; later decisions stand. Without the second
// person, lists who was merged in and can be separated again. main/people/decisions.ts has the rule.
import { mergedPeopleOf, resolvePerson, separatePerson } from '../../people/index.js';
import { printJson, printOperation, withLibrary } from '../../people/cli-support.js';
import { UsageError, count, type Command } from '../command.js';

export const separateCommand: Command = {
  name: 'separate',
  summary: 'Separate a named person merged into another again (without the second person: list who can be)',
  usage: 'separate <person> [<merged person>] [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length < 1 || ctx.positionals.length > 2) throw new UsageError('give the person merged into, then the person merged in (a name or an id).');
    const [into, merged] = ctx.positionals;
    return withLibrary(ctx, merged === undefined ? 'read' : 'write', async (library) => {
      const person = resolvePerson(library.people.people, into);
      if (merged !== undefined) return printOperation(ctx, await separatePerson(library, person.id, merged));
      const list = mergedPeopleOf(library, person.id);
      if (ctx.json) printJson(ctx, list);
      else if (list.length === 0) ctx.stdout.write(`Nobody merged into ${person.name ?? 'this group'} can be separated again.\n`);
      else {
        for (const m of list) ctx.stdout.write(`${m.name}\t${m.personId}\tmerged ${m.at.slice(0, 10)}\t${count(m.faceCount, 'face')}\n`);
        ctx.stdout.write(`familiar separate ${JSON.stringify(person.name ?? person.id)} ${JSON.stringify(list[0].name)} gives them back their faces.\n`);
      }
      return 0;
    });
  },
};

// `familiar name <person|face> <name>`: names or renames a person, or names a face (enrolling a new person, or
// joining the person who already has that name).
import { nameFaces, photosTogether } from '../../people/index.js';
import { appearedTogether, nameAsShown, printJson, printOperation, twoPartsInWords, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';

export const nameCommand: Command = {
  name: 'name',
  summary: 'Name or rename a person, or name a face (enrols a new person)',
  usage: 'name <person|face> <name> [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length < 2) throw new UsageError('give a person (id or name) or a face id, then the name.');
    const [ref, ...words] = ctx.positionals;
    const name = words.join(' ');
    return withLibrary(ctx, 'write', async (library) => {
      if (library.face(ref)) return printOperation(ctx, await nameFaces(library, [ref], name));
      // A person given the name of someone they appear with joins them: said, as for "familiar merge".
      const namesake = library.people.people.find((p) => p.name !== null && p.name.toLocaleLowerCase() === name.toLocaleLowerCase());
      const together = namesake ? photosTogether(library, [namesake.id, ref]) : 0;
      // A group that looks like two people: the name goes to the part like its cover, and the parts are said.
      const { result, parts } = await nameAsShown(library, ref, name);
      if (ctx.json) {
        printJson(ctx, parts ? { ...result, twoPeople: parts } : result);
        return 0;
      }
      const code = printOperation(ctx, result);
      if (parts) ctx.stdout.write(`${twoPartsInWords(result.personIds[0], parts)}\n`);
      if (together > 0) ctx.stdout.write(`${appearedTogether(together)}\n`);
      return code;
    });
  },
};

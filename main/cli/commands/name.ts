// `familiar name <person|face> <name>`: names or renames a person, or names a face (enrolling a new person, or
// joining the person who already has that name).
import { nameFaces } from '../../people/index.js';
import { nameAsShown, printJson, printOperation, refuseUnaskedMerge, twoPartsInWords, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';

export const nameCommand: Command = {
  name: 'name',
  summary: 'Name or rename a person, or name a face (enrols a new person)',
  usage: 'name <person|face> <name> [--library DIR] [--json]',
  help: [
    'A group given the name of someone else joins them. A named person is not renamed to someone else\'s name, nor a',
    'group named after someone it appears with in a photo: that would merge two people, so "familiar merge" does it.',
  ],
  async run(ctx) {
    if (ctx.positionals.length < 2) throw new UsageError('give a person (id or name) or a face id, then the name.');
    const [ref, ...words] = ctx.positionals;
    const name = words.join(' ');
    return withLibrary(ctx, 'write', async (library) => {
      if (library.face(ref)) return printOperation(ctx, await nameFaces(library, [ref], name));
      refuseUnaskedMerge(library, ref, name);
      // A group that looks like two people: the name goes to the part like its cover, and the parts are said.
      const { result, parts } = await nameAsShown(library, ref, name);
      if (ctx.json) {
        printJson(ctx, parts ? { ...result, twoPeople: parts } : result);
        return 0;
      }
      const code = printOperation(ctx, result);
      if (parts) ctx.stdout.write(`${twoPartsInWords(result.personIds[0], parts)}\n`);
      return code;
    });
  },
};

// `familiar name <person|face> <name>`: names or renames a person, or names a face (enrolling a new person, or
// joining the person who already has that name).
import { nameFaces, namePerson } from '../../people/index.js';
import { printOperation, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';

export const nameCommand: Command = {
  name: 'name',
  summary: 'Name or rename a person, or name a face (enrols a new person)',
  usage: 'name <person|face> <name> [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length < 2) throw new UsageError('give a person (id or name) or a face id, then the name.');
    const [ref, ...words] = ctx.positionals;
    const name = words.join(' ');
    return withLibrary(ctx, 'write', async (library) =>
      printOperation(ctx, library.face(ref) ? await nameFaces(library, [ref], name) : await namePerson(library, ref, name)),
    );
  },
};

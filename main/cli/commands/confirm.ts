// `familiar confirm <face...> <person>`: the faces are this person's, by the user's word.
import { confirmFaces } from '../../people/index.js';
import { printOperation, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';

export const confirmCommand: Command = {
  name: 'confirm',
  summary: 'Confirm faces belong to a person',
  usage: 'confirm <face...> <person> [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length < 2) throw new UsageError('give at least one face id, then the person.');
    const faces = ctx.positionals.slice(0, -1);
    const person = ctx.positionals[ctx.positionals.length - 1];
    return withLibrary(ctx, 'write', async (library) => printOperation(ctx, await confirmFaces(library, faces, person)));
  },
};

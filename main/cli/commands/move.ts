// `familiar move <face...> <person>`: the faces become the person's (the user's decision), and are remembered as
// not the person they left.
import { moveFaces } from '../../people/index.js';
import { printOperation, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';

export const moveCommand: Command = {
  name: 'move',
  summary: 'Move faces to another person',
  usage: 'move <face...> <person> [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length < 2) throw new UsageError('give at least one face id, then the person.');
    const faces = ctx.positionals.slice(0, -1);
    const person = ctx.positionals[ctx.positionals.length - 1];
    return withLibrary(ctx, 'write', async (library) => printOperation(ctx, await moveFaces(library, faces, person)));
  },
};

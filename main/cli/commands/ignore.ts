// `familiar ignore <face...>`: strangers in the background, faces on posters: never asked about again (undo brings
// them back).
import { ignoreFaces } from '../../people/index.js';
import { printOperation, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';

export const ignoreCommand: Command = {
  name: 'ignore',
  summary: "Stop asking about faces (strangers, posters): they stay unknown for good",
  usage: 'ignore <face...> [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length < 1) throw new UsageError('give at least one face id.');
    return withLibrary(ctx, 'write', async (library) => printOperation(ctx, await ignoreFaces(library, ctx.positionals)));
  },
};

// `familiar reject <face...> <person>`: "not this person", remembered forever (never assigned or suggested again).
import { rejectFaces } from '../../people/index.js';
import { printOperation, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';

export const rejectCommand: Command = {
  name: 'reject',
  summary: 'Mark faces as not this person (never assigned or suggested to them again)',
  usage: 'reject <face...> <person> [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length < 2) throw new UsageError('give at least one face id, then the person.');
    const faces = ctx.positionals.slice(0, -1);
    const person = ctx.positionals[ctx.positionals.length - 1];
    return withLibrary(ctx, 'write', async (library) => printOperation(ctx, await rejectFaces(library, faces, person)));
  },
};

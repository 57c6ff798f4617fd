// `familiar not-a-face <face...>`: boxes the detector drew around no face (a pattern, a pet, a shadow) leave their
// photos: shown and counted nowhere, and not found again by the next analysis (undo brings them back).
import { notAFaces } from '../../people/index.js';
import { printOperation, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';

export const notAFaceCommand: Command = {
  name: 'not-a-face',
  summary: 'Remove boxes that hold no face (a pattern, a pet): shown and counted nowhere again',
  usage: 'not-a-face <face...> [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length < 1) throw new UsageError('give at least one face id.');
    return withLibrary(ctx, 'write', async (library) => printOperation(ctx, await notAFaces(library, ctx.positionals)));
  },
};

// `familiar cover <person> <face>`: the face a person is shown by on every screen, as "Make cover" in the app. The
// face must be one of theirs; choosing it confirms it as theirs.
import { setCover } from '../../people/index.js';
import { printOperation, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';

export const coverCommand: Command = {
  name: 'cover',
  summary: 'Choose the face a person is shown by (one of their faces; it is confirmed as theirs)',
  usage: 'cover <person> <face> [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length !== 2) throw new UsageError('give the person (a name in quotes, or an id) and one of their face ids.');
    const [person, face] = ctx.positionals;
    return withLibrary(ctx, 'write', async (library) => printOperation(ctx, await setCover(library, person, face)));
  },
};

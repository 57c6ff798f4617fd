// `familiar undo`: reverts the most recent decision (name, merge, move, reject, confirm, hide, cover, delete).
import { undoDecision } from '../../people/index.js';
import { printJson, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';

export const undoCommand: Command = {
  name: 'undo',
  summary: 'Undo the most recent people decision',
  usage: 'undo [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`undo takes no arguments (got "${ctx.positionals[0]}").`);
    return withLibrary(ctx, 'write', async (library) => {
      const result = await undoDecision(library);
      // Whom it changed is for the app's markers, not for the command's answer.
      if (ctx.json) printJson(ctx, { undone: result.undone, message: result.message, regrouped: result.regrouped });
      else ctx.stdout.write(result.message ? `${result.message}${result.regrouped ? ' Faces were regrouped without those names.' : ''}\n` : 'Nothing to undo.\n');
      return 0;
    });
  },
};

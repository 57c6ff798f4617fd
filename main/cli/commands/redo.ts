// `familiar redo`: makes the most recently undone decision again (after one `familiar undo` too many).
import { redoDecision } from '../../people/index.js';
import { printJson, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';

export const redoCommand: Command = {
  name: 'redo',
  summary: 'Redo the people decision undo last took back',
  usage: 'redo [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`redo takes no arguments (got "${ctx.positionals[0]}").`);
    return withLibrary(ctx, 'write', async (library) => {
      // Refused (an error, exit code 1) when something was decided since the undo.
      const result = await redoDecision(library);
      // Whom it changed is for the app's markers, not for the command's answer.
      if (ctx.json) printJson(ctx, { redone: result.redone, regrouped: result.regrouped });
      else ctx.stdout.write(result.redone ? `Redone: ${result.redone}${result.regrouped ? ' Faces were regrouped around those names.' : ''}\n` : 'Nothing to redo.\n');
      return 0;
    });
  },
};

// `familiar hide <person...>` / `familiar show <person...>`: People's "Hide" in the app. A hidden person or group keeps
// its faces (a regrouping or an import never makes them a group again, as they are the user's now) and is no longer
// listed or asked about; `familiar people --all` lists it. Deleting a named person is not that: their faces are grouped
// again, as new faces are (QA: deleting "Bill Gates" brought his faces straight back as a new group to name).
import { hidePeople } from '../../people/index.js';
import { printJson, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';

function hideOrShow(hidden: boolean): Command {
  const verb = hidden ? 'hide' : 'show';
  return {
    name: verb,
    summary: hidden
      ? 'Hide people or groups: no longer listed or asked about, their faces kept theirs ("familiar show" brings them back)'
      : 'Show hidden people or groups again',
    usage: `${verb} <person...> [--library DIR] [--json]`,
    help: hidden
      ? [
          'Each person is a name (in quotes when it has spaces) or an id from "familiar people". Their faces stay theirs:',
          'no regrouping or import puts them in another group, and no question asks about them. "familiar people --all"',
          'lists the hidden ones; "familiar undo" or "familiar show <person>" takes it back.',
        ]
      : ['Each person is a name or an id from "familiar people --all", which lists the hidden ones.'],
    async run(ctx) {
      if (ctx.positionals.length === 0) throw new UsageError(`give at least one person to ${verb} (a name or an id).`);
      return withLibrary(ctx, 'write', async (library) => {
        const result = await hidePeople(library, ctx.positionals, hidden);
        if (ctx.json) printJson(ctx, result);
        else {
          ctx.stdout.write(`${result.description}\n`);
          ctx.stdout.write(hidden ? '"familiar people --all" lists them; "familiar show" or "familiar undo" shows them again.\n' : '"familiar undo" hides them again.\n');
        }
        return 0;
      });
    },
  };
}

export const hideCommand = hideOrShow(true);
export const showCommand = hideOrShow(false);

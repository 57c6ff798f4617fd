// `familiar search A B [--only]` (or --person A --person B): photos with all of these people (and, with --only, nobody
// else). People are given by name or id as every other command takes them; --person stays for older scripts.
import { searchPhotos } from '../../people/index.js';
import { photoPathOf, printJson, withLibrary } from '../../people/cli-support.js';
import { UsageError, oneLine, type Command } from '../command.js';
import { plural } from '../../../preload/contract.js';
import { NewestFirst } from '../../api/views.js';
import { photoDatesOf } from '../../people/before-birth.js';

export const searchCommand: Command = {
  name: 'search',
  summary: 'Photos with all of these people (--only: and nobody else)',
  usage: 'search <person> [<person> ...] [--only] [--library DIR] [--json]   (a person: a name or id; --person P also works)',
  options: { person: { type: 'string', multiple: true }, only: { type: 'boolean', default: false } },
  async run(ctx) {
    const people = [...ctx.positionals, ...((ctx.values.person as string[] | undefined) ?? [])];
    if (people.length === 0) throw new UsageError('give at least one person (a name or id), e.g. familiar search "Rose" "Tom".');
    return withLibrary(ctx, 'read', async (library) => {
      // Newest first, as the Photos screen lists them (QA: here in the order they were imported).
      const order = new NewestFirst(library, undefined, photoDatesOf(library));
      const rank = new Map(order.photos.map((photo, i) => [photo.id, i]));
      const ids = searchPhotos(library, people, ctx.values.only === true).sort((a, b) => rank.get(a)! - rank.get(b)!);
      if (ctx.json) printJson(ctx, ids.map((id) => ({ id, path: library.photo(id) ? photoPathOf(library, id) : null })));
      else {
        ctx.stdout.write(`${plural(ids.length, 'photo')}\n`);
        for (const id of ids) ctx.stdout.write(`${oneLine(photoPathOf(library, id))}\n`);
      }
      return 0;
    });
  },
};

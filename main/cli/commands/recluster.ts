// `familiar recluster`: rebuilds every unnamed group from scratch; every user decision holds.
import { recluster } from '../../people/index.js';
import { printJson, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';

export const reclusterCommand: Command = {
  name: 'recluster',
  summary: 'Re-cluster every face into people, keeping every user decision',
  usage: 'recluster [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`recluster takes no arguments (got "${ctx.positionals[0]}").`);
    return withLibrary(ctx, 'write', async (library) => {
      const summary = await recluster(library, {
        signal: ctx.signal,
        onProgress: (p) => {
          if (ctx.json) printJson(ctx, { progress: p });
          else if (ctx.stderr.isTTY) ctx.stderr.write(`\r${p.stage} ${p.done}/${p.total}   `);
        },
      });
      if (!ctx.json && ctx.stderr.isTTY) ctx.stderr.write('\n');
      if (ctx.json) printJson(ctx, summary);
      else
        ctx.stdout.write(
          `${summary.faces} faces: ${summary.assigned} in ${summary.people} people/groups (${summary.newGroups} new groups), ${summary.unknown} unknown${summary.samePhotoGroups > 0 ? `; ${summary.samePhotoGroups} groups held two faces of one photo (${summary.samePhotoSplits} redrawn as several people, the rest kept one face per photo)` : ''}${summary.twoPeopleSplits > 0 ? `; ${summary.twoPeopleSplits} groups were two people apart and split in two` : ''}; ${summary.method} in ${summary.seconds.toFixed(1)} s\n`,
        );
      return 0;
    });
  },
};

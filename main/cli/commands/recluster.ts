// `familiar recluster`: rebuilds every unnamed group from scratch; every user decision holds.
import { facesInNoGroup, recluster } from '../../people/index.js';
import { withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';
import { plural } from '../../../preload/contract.js';
import { countedLine, printSummary, progressPrinter } from '../progress.js';

export const reclusterCommand: Command = {
  name: 'recluster',
  summary: 'Re-cluster every face into people, keeping every user decision',
  usage: 'recluster [--library DIR] [--json]',
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`recluster takes no arguments (got "${ctx.positionals[0]}").`);
    return withLibrary(ctx, 'write', async (library) => {
      // Counted in faces while each face's nearest are found, then in the steps that draw and save the groups.
      const printer = progressPrinter(ctx, (p) => countedLine(p, p.stage === 'cluster' ? 'step' : 'face'));
      const summary = await recluster(library, { signal: ctx.signal, onProgress: printer.onProgress });
      printer.end();
      if (ctx.json) {
        printSummary(ctx, summary);
        return 0;
      }
      const group = (n: number) => plural(n, 'group');
      // The unknown faces as `familiar people` counts them; and the faces the progress counted, of all of them.
      const { tooSmall } = facesInNoGroup(library);
      const notRegrouped = summary.faces - summary.regrouped;
      const unknownNotes = [
        ...(tooSmall > 0 ? [`${tooSmall} too small or unclear to group`] : []),
        ...(summary.notAskedAbout > 0 ? [`and ${plural(summary.notAskedAbout, 'face')} set aside, not asked about`] : []),
      ];
      ctx.stdout.write(
        `${plural(summary.faces, 'face')}: ${summary.assigned} in ${summary.people} ${summary.people === 1 ? 'person/group' : 'people/groups'} (${summary.newGroups} new ${summary.newGroups === 1 ? 'group' : 'groups'}), ${summary.unknown} unknown` +
          `${unknownNotes.length > 0 ? ` (${unknownNotes.join('; ')})` : ''}` +
          `${summary.hidden > 0 ? `, ${summary.hiddenFaces} in ${summary.hidden} hidden ${summary.hidden === 1 ? 'person/group' : 'people/groups'}` : ''}` +
          // Why a named person holds fewer faces than before: Familiar's placements held to the import's rule.
          `${summary.namedFacesWaiting > 0 ? `; ${plural(summary.namedFacesWaiting, 'face')} placed with people you named ${summary.namedFacesWaiting === 1 ? 'looks' : 'look'} as much like someone else, and ${summary.namedFacesWaiting === 1 ? 'waits' : 'wait'} for you under "Who is this?"` : ''}` +
          `${notRegrouped > 0 ? `; ${summary.regrouped} regrouped, the other ${notRegrouped} set aside or not to be grouped (too small, unclear, likely no face, or a box drawn by hand)` : ''}` +
          `${summary.samePhotoGroups > 0 ? `; ${group(summary.samePhotoGroups)} held two faces of one photo (${summary.samePhotoSplits} redrawn as several people, the rest kept one face per photo)` : ''}` +
          // What the clustering drew, not what changed: the same two groups come out of every run (QA: "split in two"
          // read as a change when nothing had moved).
          `${summary.twoPeopleSplits > 0 ? `; ${summary.twoPeopleSplits === 1 ? 'one group of two people was' : `${summary.twoPeopleSplits} groups of two people were`} kept as two groups` : ''}; ${summary.method} in ${summary.seconds.toFixed(1)} s\n`,
      );
      return 0;
    });
  },
};

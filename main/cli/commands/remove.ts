// `familiar remove <folder>`: takes a folder out of the library (the wrong folder imported, one no longer wanted).
// `familiar remove --missing`: forgets the photos no longer on disk (deleted or moved outside Familiar), which the
// library otherwise keeps with their names in case a drive comes back. The files stay on disk; photos with a copy
// elsewhere stay too. --dry-run prints what would go and changes nothing.
import { resolveUserPath } from '../../paths.js';
import { missingPathChanges, refreshMissingPhotos } from '../../library/import.js';
import { FolderRemovalError, planFolderRemoval, planMissingRemoval, removeFolder, removeMissingPhotos, type FolderRemovalPlan } from '../../library/remove-folder.js';
import type { Library } from '../../store/library.js';
import { printJson, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command } from '../command.js';
import { plural } from '../../../preload/contract.js';
import { jsonProgress, printSummary } from '../progress.js';

function describe(plan: FolderRemovalPlan, tense: 'would' | 'did'): string {
  // The faces set aside are said apart: no name goes with them (the app's dialog says the same).
  const yours = [
    ...(plan.decidedFaces > 0 ? [`${plan.decidedFaces} you named, confirmed or corrected`] : []),
    ...(plan.setAsideFaces > 0 ? [`${plan.setAsideFaces} you set aside`] : []),
  ];
  const faces = `${plural(plan.faces, 'face')}${yours.length > 0 ? ` (${yours.join('; ')})` : ''}`;
  const their = plan.photos === 1 ? 'its' : 'their';
  const lines = [
    plan.folder === null
      ? `${tense === 'would' ? 'Would forget' : 'Forgot'} the ${plural(plan.photos, 'photo')} missing from disk and ${their} ${faces}.`
      : `${tense === 'would' ? 'Would remove' : 'Removed'} ${plan.folder} from the library: ${plural(plan.photos, 'photo')} and ${their} ${faces}. The files stay on disk.`,
  ];
  if (plan.photosKeptElsewhere > 0) lines.push(`${plural(plan.photosKeptElsewhere, 'photo')} with a copy outside it ${plan.photosKeptElsewhere === 1 ? 'stays' : 'stay'} in the library.`);
  for (const p of plan.namedPeople) {
    const left = p.facesLeft > 0 ? `${p.facesLeft} left` : `none left (the name is kept: naming a face "${p.name}" again brings them back)`;
    lines.push(`  ${p.name}: ${plural(p.faces, 'face')} ${tense === 'would' ? 'would go' : 'went'}, ${left}`);
  }
  if (plan.watched) lines.push(`It ${tense === 'would' ? 'would no longer be' : 'is no longer'} watched for new photos.`);
  return lines.join('\n') + '\n';
}

export const removeCommand: Command = {
  name: 'remove',
  summary: 'Take a folder out of the library (its photos, faces and the names on them), or --missing: forget the photos gone from disk',
  usage: 'remove <folder> | --missing [--dry-run] [--library DIR] [--json]',
  options: { 'dry-run': { type: 'boolean' }, missing: { type: 'boolean' } },
  async run(ctx) {
    const missing = ctx.values.missing === true;
    if (missing ? ctx.positionals.length !== 0 : ctx.positionals.length !== 1) {
      throw new UsageError(missing ? '--missing takes no folder.' : 'give exactly one folder to remove, or --missing.');
    }
    const folder = missing ? null : resolveUserPath(ctx.positionals[0]);
    const dryRun = ctx.values['dry-run'] === true;
    return withLibrary(ctx, dryRun ? 'read' : 'write', async (library) => {
      try {
        return await remove(library);
      } catch (err) {
        // Every photo on disk: nothing to forget is an answer, not a failure.
        if (!(err instanceof FolderRemovalError && err.nothingToDo)) throw err;
        if (ctx.json) printJson(ctx, { type: 'summary', photos: 0, faces: 0, message: err.message });
        else ctx.stdout.write(`${err.message}\n`);
        return 0;
      }
    });

    async function remove(library: Library): Promise<number> {
      if (dryRun) {
        // Files deleted since the last import of their folder count as missing too (looked at, not written: a read).
        const plan = folder === null ? planMissingRemoval(library, await missingPathChanges(library)) : planFolderRemoval(library, folder);
        if (ctx.json) printJson(ctx, { dryRun: true, ...plan });
        else ctx.stdout.write(describe(plan, 'would'));
        return 0;
      }
      if (folder === null) await refreshMissingPhotos(library);
      const json = ctx.json ? jsonProgress(ctx) : null;
      const options = { signal: ctx.signal, ...(json && { onProgress: json.onProgress }) };
      const summary = folder === null ? await removeMissingPhotos(library, options) : await removeFolder(library, folder, options);
      json?.end();
      if (summary.keptAnalysesProblem) ctx.stderr.write(`familiar remove: ${summary.keptAnalysesProblem}\n`);
      if (ctx.json) printSummary(ctx, summary);
      else {
        ctx.stdout.write(describe(summary, 'did'));
        if (summary.groupsRemoved > 0) ctx.stdout.write(`${plural(summary.groupsRemoved, 'unnamed group')} had no face left and went too.\n`);
        if (summary.analysesKept > 0) {
          const one = summary.analysesKept === 1;
          ctx.stdout.write(`What the analysis found in ${plural(summary.analysesKept, 'photo')} is kept (not the names): imported again, ${one ? 'it is' : 'they are'} not analysed again.\n`);
        }
      }
      return 0;
    }
  },
};

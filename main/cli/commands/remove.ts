// `familiar remove <folder>`: takes a folder out of the library (the wrong folder imported, one no longer wanted).
// `familiar remove --missing`: forgets the photos no longer on disk (deleted or moved outside Familiar), which the
// library otherwise keeps with their names in case a drive comes back. The files stay on disk; photos with a copy
// elsewhere stay too. What their analysis found, and what the user said of their faces, is kept: imported again, they
// come back as they were. Undo cannot take a removal back, so it asks first, as the app's dialog does, saying what goes
// (a script says --yes); --dry-run prints what would go and changes nothing.
import { createInterface } from 'node:readline';
import { resolveUserPath } from '../../paths.js';
import { missingPathChanges, refreshMissingPhotos } from '../../library/import.js';
import { FolderRemovalError, planFolderRemoval, planMissingRemoval, removeFolder, removeMissingPhotos, type FolderRemovalPlan } from '../../library/remove-folder.js';
import type { Library } from '../../store/library.js';
import { printJson, withLibrary } from '../../people/cli-support.js';
import { UsageError, type Command, type CommandContext } from '../command.js';
import { decisionsComingBack, namesKeptSentence, notOnDiskSentence, plural } from '../../../preload/contract.js';
import { jsonProgress, printSummary } from '../progress.js';

/** What a removal takes (or took) out of the library, a line each, as the app's dialog says it. */
export function describeRemoval(plan: FolderRemovalPlan, tense: 'would' | 'did'): string {
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
      : `${tense === 'would' ? 'Would remove' : 'Removed'} ${plan.folder} from the library: ${plural(plan.photos, 'photo')} and ${their} ${faces}. ${plan.photosNotOnDisk > 0 ? 'The files still on disk stay there' : 'The files stay on disk'}.`,
  ];
  if (plan.photosKeptElsewhere > 0) lines.push(`${plural(plan.photosKeptElsewhere, 'photo')} with a copy outside it ${plan.photosKeptElsewhere === 1 ? 'stays' : 'stay'} in the library.`);
  for (const p of plan.namedPeople) lines.push(`  ${p.name}: ${plural(p.faces, 'face')} ${tense === 'would' ? 'would go' : 'went'}, ${p.facesLeft > 0 ? `${p.facesLeft} left` : 'none left'}`);
  const namesKept = namesKeptSentence(plan.namedPeople.filter((p) => p.facesLeft === 0).map((p) => p.name));
  if (namesKept) lines.push(namesKept);
  if (plan.watched) lines.push(`It ${tense === 'would' ? 'would no longer be' : 'is no longer'} watched for new photos.`);
  return lines.join('\n') + '\n';
}

/** What comes back of the user's word on the faces that go, when the photos are imported again (asked before the removal). */
function whatComesBack(plan: FolderRemovalPlan): string {
  const again = plan.folder === null ? 'Importing the photos again from where they are now' : 'Importing the folder again';
  const lost = plan.decidedFaces + plan.setAsideFaces - plan.decisionsKept;
  const comingBack = decisionsComingBack(plan);
  // Photos no longer on disk are said apart, before what is lost, which is "other" to both (a review: "brings them
  // back" of photos none of which was on disk).
  const notOnDisk = notOnDiskSentence(plan);
  const them = notOnDisk ? 'back the photos still on disk' : 'them back';
  const lines =
    plan.photosNotOnDisk >= plan.photos
      ? []
      : [
          comingBack > 0
            ? `${again} brings ${them} with what you said of ${plural(comingBack, 'face')}: names, confirmations, "not this person".`
            : `${again} brings ${them}.`,
        ];
  if (notOnDisk) lines.push(notOnDisk);
  if (lost > 0) lines.push(`What you said of ${plural(lost, plan.decisionsKept > 0 ? 'other face' : 'face')} is lost with them.`);
  return lines.join(' ');
}

/** Asks `question` on the terminal: true on y or yes; no on anything else, end of input, or Ctrl-C. */
function confirmed(ctx: CommandContext, question: string): Promise<boolean> {
  // Read as plain lines: the terminal turns Ctrl-C into a signal, which stops the command (ctx.signal) and answers no.
  const lines = createInterface({ input: ctx.stdin!, terminal: false });
  return new Promise((resolve) => {
    let answered = false;
    const answer = (yes: boolean) => {
      if (answered) return;
      answered = true;
      ctx.signal.removeEventListener('abort', no);
      lines.close();
      resolve(yes);
    };
    const no = () => answer(false);
    ctx.signal.addEventListener('abort', no, { once: true });
    lines.once('line', (line) => answer(/^\s*y(es)?\s*$/i.test(line)));
    lines.once('close', no);
    ctx.stdout.write(question);
  });
}

export const removeCommand: Command = {
  name: 'remove',
  summary: 'Take a folder out of the library (its photos, faces and the names on them), or --missing: forget the photos gone from disk',
  usage: 'remove <folder> | --missing [--dry-run | --yes] [--library DIR] [--json]',
  help: [
    'Undo cannot take a removal back: it says what would go and asks first (--yes: without asking, as a script must;',
    '--dry-run: only says). What the analysis found in the photos, and what you said of their faces (names,',
    'confirmations, "not this person", faces set aside), is kept: imported again, the photos come back as they were.',
  ],
  options: { 'dry-run': { type: 'boolean' }, missing: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' } },
  async run(ctx) {
    const missing = ctx.values.missing === true;
    if (missing ? ctx.positionals.length !== 0 : ctx.positionals.length !== 1) {
      throw new UsageError(missing ? '--missing takes no folder.' : 'give exactly one folder to remove, or --missing.');
    }
    const folder = missing ? null : resolveUserPath(ctx.positionals[0]);
    const dryRun = ctx.values['dry-run'] === true;
    const asking = !dryRun && ctx.values.yes !== true;
    try {
      if (dryRun || asking) {
        // Files deleted since the last import of their folder count as missing too (looked at, not written: a read).
        const plan = await withLibrary(ctx, 'read', async (library) =>
          folder === null ? planMissingRemoval(library, await missingPathChanges(library)) : await planFolderRemoval(library, folder),
        );
        if (dryRun) {
          if (ctx.json) printJson(ctx, { type: 'summary', dryRun: true, ...plan });
          else ctx.stdout.write(`${describeRemoval(plan, 'would')}${plan.photos > 0 ? `${whatComesBack(plan)}\n` : ''}`);
          return 0;
        }
        // Nobody to ask (a script, a pipe, --json): said, not assumed either way.
        if (ctx.json || !ctx.stdin?.isTTY || !ctx.stdout.isTTY) {
          const what = folder === null ? 'forget them' : `remove ${folder}`;
          throw new UsageError(`undo cannot take a removal back: add --yes to ${what}, or --dry-run to see what would go.`);
        }
        ctx.stdout.write(describeRemoval(plan, 'would'));
        if (plan.photos > 0) ctx.stdout.write(`${whatComesBack(plan)} Undo cannot take the removal back.\n`);
        if (!(await confirmed(ctx, folder === null ? 'Forget them? [y/N] ' : 'Remove it from the library? [y/N] '))) {
          // Not done as asked: a script's `familiar remove … && …` goes no further.
          ctx.stdout.write('Nothing removed.\n');
          return 1;
        }
      }
      return await withLibrary(ctx, 'write', remove);
    } catch (err) {
      // Every photo on disk: nothing to forget is an answer, not a failure.
      if (!(err instanceof FolderRemovalError && err.nothingToDo)) throw err;
      if (ctx.json) printJson(ctx, { type: 'summary', ...(dryRun ? { dryRun: true } : {}), photos: 0, faces: 0, message: err.message });
      else ctx.stdout.write(`${err.message}\n`);
      return 0;
    }

    async function remove(library: Library): Promise<number> {
      if (folder === null) await refreshMissingPhotos(library);
      const json = ctx.json ? jsonProgress(ctx) : null;
      const options = { signal: ctx.signal, ...(json && { onProgress: json.onProgress }) };
      const summary = folder === null ? await removeMissingPhotos(library, options) : await removeFolder(library, folder, options);
      json?.end();
      if (summary.keptAnalysesProblem) ctx.stderr.write(`familiar remove: ${summary.keptAnalysesProblem}\n`);
      if (ctx.json) printSummary(ctx, summary);
      else {
        ctx.stdout.write(describeRemoval(summary, 'did'));
        if (summary.groupsRemoved > 0) ctx.stdout.write(`${plural(summary.groupsRemoved, 'unnamed group')} had no face left and went too.\n`);
        if (summary.analysesKept > 0) {
          const one = summary.analysesKept === 1;
          const comingBack = decisionsComingBack(summary);
          const said = comingBack > 0 ? `, with what you said of ${plural(comingBack, 'face')}` : '';
          const notOnDisk = notOnDiskSentence(summary);
          ctx.stdout.write(`What the analysis found in ${plural(summary.analysesKept, 'photo')} is kept${said}: imported again, ${one ? 'it comes' : 'they come'} back as ${one ? 'it was' : 'they were'}, not analysed again.${notOnDisk ? ` ${notOnDisk}` : ''}\n`);
        }
      }
      return 0;
    }
  },
};

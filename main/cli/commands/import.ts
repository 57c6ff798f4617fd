// `familiar import <dir...>`: adds the photos under the folders to the library and finds their faces.
// On a terminal: a progress bar; otherwise plain lines; with --json one JSON object per line (progress, then summary).
import { stat } from 'node:fs/promises';
import { Engine, type ImportOutcome } from '../../engine.js';
import { JobCancelledError, type JobProgress } from '../../jobs/progress.js';
import { isKeptImport, type ImportOptions } from '../../library/import.js';
import { photosOfGoneFolders, rememberImportedOnce, watchImportedFolders } from '../../library/folder-watcher.js';
import { spelledAsTheLibraryKnows, watchedFolders, watchingParentOf } from '../../library/remove-folder.js';
import { READ_FORMATS_IN_WORDS } from '../../library/formats.js';
import { NAME_NOT_UTF8, nameNotUtf8 } from '../../library/scan.js';
import { listPeople } from '../../people/index.js';
import { requireLibrary } from '../../people/cli-support.js';
import { onDiskSpelling, resolveUserPath } from '../../paths.js';
import { keptDecisionsLostSentence, lookAgainCostSentence, namesReadSentence, namesReadUndoes, noPhotosSentence, PATHS_PER_REASON, plural, SKIPPED_LISTED, skippedByReason, skippedWords } from '../../../preload/contract.js';
import { lookAgainCounts } from '../../library/pipeline-upgrade.js';
import { lookAgainCost } from '../../library/analysis-pace.js';
import { UsageError, oneLine, type Command, type CommandContext } from '../command.js';
import { clock, printError, printStopped, printSummary, progressPrinter } from '../progress.js';

export function progressLine(p: JobProgress): string {
  if (p.stage === 'scan') return p.message ?? 'Looking for photos';
  // Grouping the new faces, the last step: counted in faces, in its own words.
  if (p.stage === 'cluster' && p.message) return p.message;
  // Opening the library, and the photos looked at for any moved or deleted: said in their own words.
  if ((p.stage === 'open' || p.stage === 'settle') && p.message) return p.message;
  // New photos compared with those they may be copies of (files read for the likely ones): its words, and the time left.
  if (p.stage === 'copies' && p.message) return `${p.message}, ETA ${clock(p.etaSeconds)}`;
  // The steps after the photos (checking new faces with the autoencoder) are counted in faces, in their own words.
  if (p.job !== 'import') return p.message ?? `${p.stage}: ${p.done}/${p.total}`;
  const faces = Number(p.detail?.faces ?? 0);
  // The faces of every photo gone through, as the files are: a resumed import counts those it read before too.
  const inPhotosRead = Number(p.detail?.facesInPhotosRead ?? faces);
  const found = inPhotosRead > faces ? `${plural(inPhotosRead, 'face')} (${faces} new)` : plural(faces, 'face');
  const rate = p.ratePerSecond === null ? '-' : p.ratePerSecond.toFixed(1);
  // Photos back in the library with the faces found before they left it: not analysed again, and said so.
  const restored = Number(p.detail?.restored ?? 0);
  const back = restored > 0 ? ` (${restored} back without analysis)` : '';
  return `${p.done}/${plural(p.total, 'file')}${back}, ${found}, ${rate} photos/s, ETA ${clock(p.etaSeconds)}`;
}

function summaryText(summary: ImportOutcome, libraryDir: string): string {
  // Files holding the same photo (a copy in another folder) are one photo: say so, or the counts do not add up.
  const copies = summary.copies;
  const newPhotos = Math.max(0, summary.newPhotos - summary.edited);
  // A re-import that read nothing new says so, not "Imported 153 photos (0 new, 0 analysed)" (QA).
  const nothingNew = newPhotos === 0 && summary.analysed === 0 && summary.photos > 0;
  const lines = [
    nothingNew
      ? `Nothing new: ${summary.photos === 1 ? 'the photo was' : `all ${plural(summary.photos, 'photo')} were`} already in the library ` +
        `(${libraryDir}, ${plural(summary.totalFaces, 'face')}).`
      : `Imported ${plural(summary.photos, 'photo')} (${newPhotos} new, ${summary.analysed} analysed${summary.restored > 0 ? `, ${summary.restored} restored` : ''}) in ${summary.seconds} s: ` +
        `${plural(summary.faces, 'face')} found, ${summary.totalFaces} in the library (${libraryDir}).`,
  ];
  if (summary.restored > 0) {
    const one = summary.restored === 1;
    // What the user said of their faces came back with them, kept when they left (main/library/restore-analysis.ts).
    const said = summary.restoredDecisions > 0 ? `, and what you said of ${plural(summary.restoredDecisions, 'face')} (names, confirmations, "not this person")` : '';
    lines.push(`${plural(summary.restored, 'photo')} taken out of the library earlier came back with the faces found in ${one ? 'it' : 'them'} then${said}: not analysed again.`);
  }
  if (copies > 0) lines.push(`${plural(copies, 'file')} ${copies === 1 ? 'was a copy' : 'were copies'} of a photo found in another file: one photo each.`);
  if (summary.foundAtNewPaths > 0) {
    const one = summary.foundAtNewPaths === 1;
    lines.push(`${plural(summary.foundAtNewPaths, 'photo')} the library knew ${one ? 'was' : 'were'} found at a new path (moved, renamed or copied): nothing analysed again, names kept.`);
  }
  if (summary.edited > 0) {
    lines.push(`${plural(summary.edited, 'photo')} ${summary.edited === 1 ? 'was' : 'were'} rewritten by another app or edited, and kept what you said of ${summary.edited === 1 ? 'its' : 'their'} faces.`);
  }
  if (summary.keptDecisionsLost > 0) lines.push(`${keptDecisionsLostSentence(summary.keptDecisionsLost)}.`);
  if (summary.resizedCopies > 0) {
    const one = summary.resizedCopies === 1;
    // Undo takes back the names read after them first.
    const undo = summary.names?.decision ? '' : ' "familiar undo" parts them.';
    lines.push(`${plural(summary.resizedCopies, 'new photo')} ${one ? 'is a copy' : 'are copies'} of a photo you have, resized or saved again: ${one ? 'its' : 'their'} faces go with the original's.${undo}`);
  }
  const names = namesReadSentence(summary);
  if (names !== null) {
    const then = summary.namesNotRead ? ' "familiar names import" reads them.' : summary.names?.decision ? ` "familiar undo" takes ${namesReadUndoes(summary.names)}.` : '';
    lines.push(names + then);
  }
  if (summary.missing > 0) {
    lines.push(
      `${plural(summary.missing, 'photo')} of the library ${summary.missing === 1 ? 'is' : 'are'} missing from disk (kept with ${summary.missing === 1 ? 'its' : 'their'} labels): ` +
        `import the folder ${summary.missing === 1 ? 'it' : 'they'} moved to, or "familiar remove --missing" to forget ${summary.missing === 1 ? 'it' : 'them'}.`,
    );
  }
  lines.push(...skippedLines(summary.skipped));
  return lines.join('\n') + '\n';
}

/**
 * The files skipped, each with why; more than SKIPPED_LISTED grouped by why, with their count and the first paths of
 * each (QA: 300 damaged files were 300 lines). --json lists them all.
 */
export function skippedLines(skipped: ImportOutcome['skipped']): string[] {
  if (skipped.length === 0) return [];
  if (skipped.length <= SKIPPED_LISTED) return [`Skipped ${skippedWords(skipped)}:`, ...skipped.map((s) => `  ${oneLine(s.path)}: ${s.reason}`)];
  const groups = skippedByReason(skipped);
  const lines = [`Skipped ${skippedWords(skipped)}, ${groups.length === 1 ? 'all for one reason' : `for ${groups.length} reasons`} (--json lists them all):`];
  for (const { reason, items } of groups) {
    lines.push(`  ${skippedWords(items)}: ${reason}`, ...items.slice(0, PATHS_PER_REASON).map((s) => `    ${oneLine(s.path)}`));
    if (items.length > PATHS_PER_REASON) lines.push(`    ... and ${items.length - PATHS_PER_REASON} more`);
  }
  return lines;
}

/**
 * The line that tells how many photos an earlier version analysed, how many of them may hold a face lying on its side
 * (main/library/pipeline-upgrade.ts mayHoldSidewaysFace), and how to look at them again.
 */
export function lookAgainHint(photos: number, sideways = 0): string {
  const lying = sideways > 0 ? ` and does not recognise faces lying on their side (${sideways === photos ? (photos === 1 ? 'it' : 'all of them') : sideways} may hold one)` : '';
  return `${photos} photo${photos === 1 ? ' was' : 's were'} analysed by an earlier version, which misses some faces${lying}: "familiar import --look-again" looks for them`;
}

/**
 * The line that says how many unnamed groups wait for a name (as "Who is this?" counts them: listPeople, unnamed),
 * and where to name them; null when none does.
 */
export function groupsToNameHint(groups: number): string | null {
  if (groups === 0) return null;
  return `${plural(groups, 'group')} of faces ${groups === 1 ? 'waits' : 'wait'} for a name: "familiar people" lists them, or "Who is this?" in the app.`;
}

/** The line that says which folders the import began to watch, and what that means; null when none. */
export function watchingHint(watchedNow: readonly string[]): string | null {
  if (watchedNow.length === 0) return null;
  const which = watchedNow.length === 1 ? watchedNow[0] : `${plural(watchedNow.length, 'folder')} (${watchedNow.join(', ')})`;
  return `Familiar now watches ${which} for new photos: the app imports what appears there while it runs. "familiar import --no-watch" imports once; Settings lists the watched folders.`;
}

/**
 * The lines that say which folders given are watched already as part of a watched folder (`partOf`: folder → the
 * watched one holding it), and which watched folders became part of one the import began to watch (`joined`: the
 * folder → the new one). The app says the same; neither is listed on its own.
 */
export function partOfHints(partOf: ReadonlyMap<string, string>, joined: ReadonlyMap<string, string>): string[] {
  return [
    ...[...partOf].map(([folder, parent]) => `${folder} is inside ${parent}, which Familiar watches already: it is kept up to date as part of it.`),
    ...[...joined].map(([folder, parent]) => `${folder}, watched before, is inside ${parent}: it is watched as part of it now, not on its own.`),
  ];
}

type ImportRun = (engine: Engine, options: Pick<ImportOptions, 'onProgress' | 'signal'>) => Promise<ImportOutcome & { watchedNow?: string[]; partOfHints?: string[] }>;

/** Opens the library, runs one import (folders, or looking again), and prints its progress and summary. */
async function runImport(ctx: CommandContext, run: ImportRun, texts: { stopped: string; nothingDone?: string; failWhenAllSkipped?: boolean }): Promise<number> {
  // The scan and the grouping are said in their own words, without a bar: their count is not of files.
  const printer = progressPrinter(ctx, progressLine, (p) => p.stage !== 'scan' && p.stage !== 'cluster' && p.stage !== 'open');
  // A library of 100,000 photos takes seconds to open: said step by step, and Ctrl-C stops it there (QA: it waited for
  // the open to end).
  const opening = (step: string) =>
    printer.onProgress({ job: 'import', stage: 'open', done: 0, total: 0, etaSeconds: null, ratePerSecond: null, message: `Opening the library: ${step}` });
  // The first step is said once the lock is held: a library in use prints only why it was refused (QA: "Opening the
  // library", then the refusal).
  const engine = await Engine.open(ctx.libraryDir, { signal: ctx.signal, onStep: opening }).catch((err: unknown) => (err instanceof JobCancelledError ? null : Promise.reject(err)));
  if (engine === null || ctx.signal.aborted) {
    await engine?.close();
    printer.end();
    const message = 'stopped while the library was opening; nothing was lost — run the same command again to continue.';
    if (ctx.json) printStopped(ctx, 'import', message);
    ctx.stderr.write(`familiar import: ${message}\n`);
    return 1;
  }
  try {
    for (const repair of engine.library.repairs) {
      ctx.stderr.write(`familiar: repaired ${repair.part}: ${repair.problem}; ${repair.action}.\n`);
    }
    const summary = await run(engine, { onProgress: printer.onProgress, signal: ctx.signal });
    printer.end();
    if (summary.keptAnalysesProblem) ctx.stderr.write(`familiar import: ${summary.keptAnalysesProblem}\n`);
    // Every file given was unreadable: nothing was imported, which is a failure (the summary says why), said as every
    // failure is: a sentence on stderr, and with --json an error line after the summary (QA: exit 1 and no word of it).
    const code = texts.failWhenAllSkipped && summary.photos === 0 && summary.skipped.length > 0 ? 1 : 0;
    const failure =
      code === 0 ? null : summary.noPhotos ? noPhotosSentence(summary.noPhotos, summary.skipped.length) : `Familiar could read none of the ${plural(summary.skipped.length, 'file')} given`;
    const skippedListed =
      summary.noPhotos?.fileReason != null || summary.skipped.length <= 1
        ? ''
        : summary.skipped.length <= SKIPPED_LISTED
          ? `; each of the ${plural(summary.skipped.length, 'file')} is listed with why`
          : `; the ${plural(summary.skipped.length, 'file')} are counted by why`;
    if (ctx.json) {
      printSummary(ctx, summary);
      if (failure !== null) {
        printError(ctx, failure, 'failed');
        ctx.stderr.write(`familiar import: ${failure}.\n`);
      }
      return code;
    }
    if (summary.noPhotos) {
      const sentence = noPhotosSentence(summary.noPhotos, summary.skipped.length);
      // One file that is no photo is a failure, said as one sentence; a folder without photos is not.
      if (summary.noPhotos.fileReason !== null) {
        ctx.stderr.write(`familiar import: ${sentence}.\n`);
        return code;
      }
      if (failure !== null) ctx.stderr.write(`familiar import: ${failure}${skippedListed}.\n`);
      const lines = [`${sentence}: Familiar reads ${READ_FORMATS_IN_WORDS} files, in subfolders too.`];
      lines.push(...skippedLines(summary.skipped));
      // An empty folder is watched too, as in the app: photos put there later are imported.
      const watching = watchingHint(summary.watchedNow ?? []);
      if (watching !== null) lines.push(watching);
      lines.push(...(summary.partOfHints ?? []));
      ctx.stdout.write(lines.join('\n') + '\n');
      return code;
    }
    const nothingDone = summary.photos === 0 && summary.skipped.length === 0;
    ctx.stdout.write(nothingDone && texts.nothingDone ? texts.nothingDone + '\n' : summaryText(summary, engine.dir));
    const earlier = lookAgainCounts(engine.library.photos, (p) => engine.library.facesOfPhoto(p.id));
    if (earlier.photos > 0) {
      const cost = lookAgainCostSentence(earlier.photos, earlier.sideways, lookAgainCost(earlier.photos, engine.library.settings));
      ctx.stdout.write(`${lookAgainHint(earlier.photos, earlier.sideways)}. ${cost}\n`);
    }
    const watching = watchingHint(summary.watchedNow ?? []);
    if (watching !== null) ctx.stdout.write(watching + '\n');
    for (const line of summary.partOfHints ?? []) ctx.stdout.write(line + '\n');
    const toName = groupsToNameHint(listPeople(engine.library).filter((p) => p.name === null).length);
    if (toName !== null) ctx.stdout.write(toName + '\n');
    if (failure !== null) ctx.stderr.write(`familiar import: ${failure}${skippedListed}.\n`);
    return code;
  } catch (err) {
    printer.end();
    if (err instanceof JobCancelledError) {
      // A stop part-way groups the faces kept (main/engine.ts): said, with how far it went.
      const kept = isKeptImport(err.kept) ? err.kept : null;
      const far = kept?.stopped?.files != null && kept.stopped.of !== null ? ` (${kept.stopped.files} of ${plural(kept.stopped.of, 'file')} read)` : '';
      const grouped = kept && kept.faces > 0 ? `, their ${plural(kept.faces, 'face')} grouped into people` : '';
      const message = `stopped; ${texts.stopped}${grouped}${far} — run the same command again to continue.`;
      if (ctx.json) printStopped(ctx, 'import', message);
      ctx.stderr.write(`familiar import: ${message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await engine.close();
  }
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Add the photos under folders to the library and find their faces',
  usage: 'import <dir...> [--ignore-names] [--no-watch] [--library DIR] [--json]  |  import --look-again',
  help: [
    'Options:',
    '  --look-again      Analyse again the photos an earlier version of Familiar analysed, to find the faces it',
    '                    missed; the faces found before keep their names. Takes no folder: it reads the photos',
    '                    already in the library, each from its own file.',
    '  --ignore-names    Do not read the names other apps (digiKam, Lightroom, Picasa...) saved in the photos\' face',
    '                    tags (XMP face regions); "familiar names import" reads them later.',
    '  --no-watch        Import once. Without it, the folders imported are watched for new photos, as the ones',
    '                    added in the app are: the app (or "familiar serve") imports what appears there while it',
    '                    runs, and lists them with the others (Settings; the Import screen, where Remove… takes',
    '                    one out).',
    '  --library DIR     The library to import into (default: the OS user-data folder, or $FAMILIAR_LIBRARY).',
    '  --json            One JSON object per line: the progress, then the summary.',
    '',
    'Folders are read with their subfolders; a file given is imported on its own. Photos are recognised by their',
    'content, so importing a folder again reads only what is new or changed. A photo moved, renamed or copied is',
    'found at its new place, nothing analysed again, and keeps its names; a moved folder is found by importing its',
    'new place. A photo edited in another app (metadata written, cropped, mirrored, retouched, rotated) keeps what',
    'you said of its faces. Ctrl-C stops after the current step, keeping what was read: run the command again to',
    'continue.',
  ],
  // Quitting mid-batch loses that batch only: the photos stored before it stay, their faces grouped by the next import,
  // which reads the rest (docs/reliability.md).
  quitNow: 'the photos stored before this step are kept — run the same command again to continue.',
  options: { 'ignore-names': { type: 'boolean', default: false }, 'look-again': { type: 'boolean', default: false }, 'no-watch': { type: 'boolean', default: false } },
  async run(ctx) {
    if (ctx.values['look-again'] === true) {
      // The photos an earlier version analysed, analysed again by this one (main/library/pipeline-upgrade.ts), each
      // read from its own file: their folders are not needed.
      if (ctx.positionals.length > 0) throw new UsageError('--look-again takes no folders: it reads the photos already in the library.');
      if (ctx.values['no-watch'] === true) throw new UsageError('--look-again takes no folders, so there is none to watch or not: leave out --no-watch.');
      // Nothing to look at again in a folder with no library: a mistyped --library is said, not made an empty library (QA).
      requireLibrary(ctx);
      return runImport(ctx, (engine, options) => engine.lookAgain(options), {
        stopped: 'the photos looked at so far are stored',
        nothingDone: 'Every photo was analysed by this version of Familiar: nothing to look at again.',
      });
    }
    if (ctx.positionals.length === 0) throw new UsageError('give at least one folder to import.');
    const folders = ctx.positionals.map(resolveUserPath);
    for (const folder of folders) {
      const info = await stat(folder).catch(() => null);
      if (!info) throw new Error(nameNotUtf8(folder) ? `${folder}: ${NAME_NOT_UTF8}.` : `${folder} does not exist.`);
      if (!info.isDirectory() && !info.isFile()) throw new Error(`${folder} is not a folder or a file.`);
    }
    const readNames = ctx.values['ignore-names'] !== true;
    // Watched as the app watches the folders added there (one library, one rule: QA found a folder imported here
    // missing from Settings' watched folders). Not when stopped part-way: that throws, and a rerun reads the rest.
    const watch = ctx.values['no-watch'] !== true;
    return runImport(ctx, async (engine, options) => {
      // A link to a folder the library has, or the real path of one it has through a link: read as it knows them.
      const known = spelledAsTheLibraryKnows(engine.library, folders);
      const toWatch = await onDiskSpellingsOfFolders(known);
      const gone = watch ? await photosOfGoneFolders(engine.library) : new Map<string, string[]>();
      const outcome = await engine.import(known, { ...options, readNames });
      if (watch) {
        // A folder inside a watched one is not listed on its own, and a watched one inside a new one joins it: said.
        const watchedParents = (folders: readonly string[]) =>
          new Map(folders.flatMap((f): Array<[string, string]> => {
            const parent = watchingParentOf(engine.library.settings, f);
            return parent === null ? [] : [[f, parent]];
          }));
        const partOf = watchedParents(toWatch);
        const before = watchedFolders(engine.library.settings);
        const watchedNow = await watchImportedFolders(engine.library, toWatch, gone);
        const joined = watchedParents(before);
        return { ...outcome, watchedNow, partOfHints: partOfHints(partOf, joined) };
      }
      await rememberImportedOnce(engine.library, toWatch);
      return outcome;
    }, {
      stopped: 'the photos analysed so far are stored',
      failWhenAllSkipped: true,
    });
  },
};

/** The folders (not single files) among `paths`, as the disk spells them, to watch once however typed (main/paths.ts). */
async function onDiskSpellingsOfFolders(paths: readonly string[]): Promise<string[]> {
  const folders: string[] = [];
  for (const path of paths) if (await stat(path).then((info) => info.isDirectory(), () => false)) folders.push(await onDiskSpelling(path));
  return folders;
}

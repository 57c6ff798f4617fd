// `familiar names export` writes every named face as XMP face regions (sidecars digiKam, Immich and PhotoPrism read;
// docs/names.md says who does not); `familiar names import` names faces from the regions other apps wrote. See
// main/people/xmp-names.ts.
import { stat } from 'node:fs/promises';
import { resolveUserPath } from '../../paths.js';
import { recluster } from '../../people/index.js';
import { withLibrary } from '../../people/cli-support.js';
import { exportNamesToXmp, importNamesFromOtherApps, type SkippedSidecar } from '../../people/xmp-names.js';
import { fromFolderSentence, missingPhotosSentence } from '../../../preload/contract.js';
import { AnalysisPool } from '../../jobs/analysis-pool.js';
import type { JobProgress } from '../../jobs/progress.js';
import { UsageError, oneLine, type Command, type CommandContext } from '../command.js';
import { plural } from '../../../preload/contract.js';
import { countedLine, printSummary, progressPrinter } from '../progress.js';

const SKIPPED_SHOWN = 10;

/**
 * A stage of reading or writing names as a line, counted in what it goes through: photos, the sidecars of a --from
 * folder, then the regrouping's faces and steps (QA: nothing was said over a large folder).
 */
function namesProgressLine(p: JobProgress): string {
  const unit = p.job === 'recluster' ? (p.stage === 'cluster' ? 'step' : 'face') : p.stage === 'match' ? 'sidecar' : 'photo';
  return countedLine(p, unit);
}

function printSkipped(ctx: CommandContext, skipped: SkippedSidecar[]): void {
  for (const s of skipped.slice(0, SKIPPED_SHOWN)) ctx.stdout.write(`  skipped ${oneLine(s.path)}: ${s.reason}\n`);
  if (skipped.length > SKIPPED_SHOWN) ctx.stdout.write(`  ... and ${skipped.length - SKIPPED_SHOWN} more (--json lists them all)\n`);
}

export const namesExportCommand: Command = {
  name: 'names export',
  summary: 'Write the names as XMP face regions beside each photo (or under --to DIR, by folder imported) for other apps',
  usage: 'names export [--to DIR] [--include-unconfirmed] [--library DIR] [--json]',
  // Where the sidecars go under --to: main/people/export-layout.ts, docs/names.md.
  help: [
    'With --to DIR, each sidecar goes under the name of the folder you imported that holds its photo, as the photo',
    'lies in it: /home/ana/Pictures/album/Family/x.jpg, album imported, gets DIR/album/Family/x.jpg.xmp. Two folders',
    'imported with the same name are told apart by the folders above them (DIR/ana/album, DIR/bob/album).',
    'Copied into the folder imported (DIR/album/* into album), each sidecar lands beside its photo, where digiKam',
    'and Immich read it; "familiar names import --from DIR" finds each photo by the id Familiar writes in, else by',
    'the end of its path.',
  ],
  // Confirmed faces only unless --include-unconfirmed; --confirmed-only (the default now) is still accepted.
  options: { to: { type: 'string' }, 'include-unconfirmed': { type: 'boolean', default: false }, 'confirmed-only': { type: 'boolean', default: false } },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`names export takes no arguments (got "${ctx.positionals[0]}"); --to DIR chooses the folder.`);
    const to = ctx.values.to;
    if (to !== undefined && (typeof to !== 'string' || to.trim() === '')) throw new UsageError('--to needs a folder.');
    if (ctx.values['include-unconfirmed'] === true && ctx.values['confirmed-only'] === true) throw new UsageError('choose one of --include-unconfirmed and --confirmed-only.');
    return withLibrary(ctx, 'read', async (library) => {
      const printer = progressPrinter(ctx, namesProgressLine);
      const result = await exportNamesToXmp(library, {
        to: typeof to === 'string' ? resolveUserPath(to) : undefined,
        confirmedOnly: ctx.values['include-unconfirmed'] !== true,
        signal: ctx.signal,
        onProgress: printer.onProgress,
      });
      printer.end();
      if (ctx.json) printSummary(ctx, result);
      else {
        // A photo in two folders gets a sidecar beside each file: said, or the sidecars outnumber the photos unexplained.
        const photos = result.photosWithNames + result.photosWithAnswersOnly;
        const files = result.files > photos ? `, in ${result.files} files (a photo in two folders gets a sidecar beside each)` : '';
        ctx.stdout.write(
          `${plural(result.photosWithNames, 'photo')} with named faces` +
            `${result.photosWithAnswersOnly ? ` and ${result.photosWithAnswersOnly} with only "not this person" answers` : ''}${files}: ${plural(result.written, 'sidecar')} written` +
            `${result.intoOtherApps ? ` (${result.intoOtherApps} of them other apps', their own tags kept)` : ''}, ${result.unchanged} already up to date` +
            `${result.removed ? `, ${result.removed} removed (no named face left)` : ''}` +
            `${result.conflicts.length ? `, ${plural(result.conflicts.length, 'face')} not written (another app names ${result.conflicts.length === 1 ? 'it' : 'them'} differently)` : ''}, ${result.skipped.length} skipped` +
            `${result.folder ? ` (under ${result.folder})` : ' (next to the photos)'}.\n` +
            (result.backups
              ? `Familiar kept a copy of each other app's sidecar as it was before first writing into it (${plural(result.backups, 'copy', 'copies')}, each at its own path under ${result.backupFolder}).\n`
              : '') +
            (result.unconfirmedLeftOut
              ? `${plural(result.unconfirmedLeftOut, 'face')} Familiar placed under a name ${result.unconfirmedLeftOut === 1 ? 'was' : 'were'} left out because you have not confirmed ${result.unconfirmedLeftOut === 1 ? 'it' : 'them'}; --include-unconfirmed writes ${result.unconfirmedLeftOut === 1 ? 'it' : 'them'} too, marked as unconfirmed.\n`
              : '') +
            (result.hiddenPeople
              ? `The names of ${plural(result.hiddenPeople, 'hidden person', 'hidden people')} stay in Familiar: show them again to export their names.\n`
              : '') +
            (result.missingPhotos ? `${missingPhotosSentence(result.missingPhotos)}\n` : ''),
        );
        for (const c of result.conflicts.slice(0, SKIPPED_SHOWN)) ctx.stdout.write(`  not written ${oneLine(c.path)}: ${c.reason}\n`);
        if (result.conflicts.length > SKIPPED_SHOWN) ctx.stdout.write(`  ... and ${result.conflicts.length - SKIPPED_SHOWN} more (--json lists them all)\n`);
        printSkipped(ctx, result.skipped);
      }
      // Names to write and not one sidecar written or already there: the export failed (a read-only folder, say; every
      // photo moved since the last import).
      const failed = result.photosWithNames > 0 && result.written + result.unchanged === 0 && (result.skipped.length > 0 || result.missingPhotos > 0);
      return failed ? 1 : 0;
    });
  },
};

export const namesImportCommand: Command = {
  name: 'names import',
  summary: 'Name faces from other apps\' tags: XMP regions and people keywords, Picasa\'s .picasa.ini, Google Takeout; undo takes it back',
  usage: 'names import [--from DIR] [--library DIR] [--json]',
  help: [
    'Reads, for every photo: the XMP sidecars beside it and the XMP inside it (digiKam, Lightroom, Immich, Windows),',
    'the .picasa.ini of its folder (Picasa), and the JSON of a Google Takeout. People keywords without face regions',
    '(Lightroom\'s People|Anna, digiKam\'s People/Anna, IPTC\'s Person Shown) and Takeout\'s lists say who, not which face:',
    'each name goes to the face nearest the faces known as that person, or to none when no face is clearly theirs. With',
    '--from DIR, also the sidecars under DIR (each matched to its photo wherever it is now), and Picasa\'s contacts.xml in',
    'DIR or in the Picasa2 folder under it: versions before Picasa 3.9 kept the names of the faces they tagged there only.',
    'A tagged face the detector missed is found by a closer look where the tag is. Where another app marked a face and',
    'named no one (Picasa\'s unnamed faces), a face the detector missed is looked for too, added unnamed and placed.',
    'While the app or "familiar serve" runs, a sidecar or .picasa.ini saved in a watched folder is read on its own.',
  ],
  options: { from: { type: 'string' } },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`names import takes no arguments (got "${ctx.positionals[0]}"); it reads every photo in the library, --from DIR a folder of sidecars ("names export --to" wrote it, or another app) or Picasa's contacts.xml.`);
    const given = ctx.values.from;
    if (given !== undefined && (typeof given !== 'string' || given.trim() === '')) throw new UsageError('--from needs a folder.');
    const from = typeof given === 'string' ? resolveUserPath(given) : undefined;
    if (from !== undefined && !(await stat(from).then((s) => s.isDirectory(), () => false))) throw new UsageError(`--from ${from}: no such folder.`);
    return withLibrary(ctx, 'write', async (library) => {
      let pool: AnalysisPool | null = null;
      const printer = progressPrinter(ctx, namesProgressLine);
      const result = await importNamesFromOtherApps(library, {
        from,
        signal: ctx.signal,
        onProgress: printer.onProgress,
        // Started only if a region, named or not, has no detected face under it.
        analyzer: async () => (pool ??= await AnalysisPool.create()),
        regroupAfter: true,
      }).finally(() => pool?.close());
      // Newly named faces pull their lookalikes out of the unnamed groups.
      // (not cancellable once the names are in: the summary below is what tells the user to undo)
      // Also when an earlier run named faces and was stopped before it could regroup (PeopleDocument.regroupPending).
      const regrouped = result.facesNamed > 0 || library.people.regroupPending ? await recluster(library, { onProgress: printer.onProgress }) : null;
      printer.end();
      if (ctx.json) printSummary(ctx, { ...result, regrouped: regrouped !== null });
      else {
        ctx.stdout.write(
          `${plural(result.photosRead, 'photo')} read, ${result.photosWithNames.toLocaleString('en')} with names` +
            `${result.photosWithUnnamedMarks ? `, ${result.photosWithUnnamedMarks.toLocaleString('en')} with faces marked and no name` : ''}: ${plural(result.facesNamed, 'face')} named` +
            `${result.newPeople.length ? ` (${plural(result.newPeople.length, 'new person', 'new people')})` : ''}` +
            `${result.facesAdded ? `, ${addedWords(result.facesAdded, result.facesKeptAsDrawn)}` : ''}, ${result.alreadyNamed} already were, ` +
            `${result.unnamedFacesFound ? `${plural(result.unnamedFacesFound, 'face')} the detector had missed found where another app marked ${result.unnamedFacesFound === 1 ? 'a face' : 'faces'} (unnamed, placed with whoever ${result.unnamedFacesFound === 1 ? 'it looks' : 'they look'} like), ` : ''}` +
            `${result.rejectionsRead ? `${plural(result.rejectionsRead, '"not this person" answer')} read from Familiar's sidecars, ` : ''}` +
            `${result.conflicts.length} kept this library's answer` +
            // Each name dropped is listed below: never a bare count (QA could not tell which photo lost "Aide Tom").
            `${result.unmatchedRegions ? `, ${plural(result.unmatchedRegions, 'tagged name')} went to no face` : ''}.` +
            `${regrouped !== null && result.facesNamed === 0 ? ' Faces were regrouped around the names an earlier, stopped run had read.' : ''}` +
            `${result.decision ? '  ("familiar undo" reverts it)' : ''}\n`,
        );
        // Names this library took from the tags, renamed where they came from: said, as the conflicts are.
        for (const r of result.renamed) ctx.stdout.write(`Renamed "${r.from}" to "${r.to}": the name came from these tags, which now say "${r.to}".\n`);
        // Sidecars in --from that no photo here matches: said with the counts, never a silent "0 with names" (QA).
        const fromNote = result.fromFolder ? fromFolderSentence(result.fromFolder) : null;
        if (fromNote) {
          ctx.stdout.write(`${fromNote}\n`);
          for (const path of result.fromFolder!.unmatchedExamples) ctx.stdout.write(`  no photo here for ${path}\n`);
          const more = result.fromFolder!.unmatched - result.fromFolder!.unmatchedExamples.length;
          if (more > 0) ctx.stdout.write(`  ... and ${more} more\n`);
        }
        for (const d of result.droppedRegions.slice(0, SKIPPED_SHOWN)) ctx.stdout.write(`  not kept: "${d.name}" in ${oneLine(d.path)}: ${d.reason}\n`);
        if (result.droppedRegions.length > SKIPPED_SHOWN) ctx.stdout.write(`  ... and ${result.droppedRegions.length - SKIPPED_SHOWN} more (--json lists them all)\n`);
        for (const c of result.conflicts.slice(0, SKIPPED_SHOWN)) ctx.stdout.write(`  kept ${c.faceId} (${oneLine(c.path)}): the metadata says "${c.name}", but ${c.reason}\n`);
        if (result.conflicts.length > SKIPPED_SHOWN) ctx.stdout.write(`  ... and ${result.conflicts.length - SKIPPED_SHOWN} more (--json lists them all)\n`);
        printSkipped(ctx, result.skipped);
      }
      return 0;
    });
  },
};

/**
 * The faces a names import added where a tag named a face Familiar had not found: found by a closer look, or the
 * tagged region kept as the face, as a box drawn in the viewer is (main/library/drawn-faces.ts).
 */
function addedWords(added: number, keptAsDrawn: number): string {
  if (keptAsDrawn === 0) return `${added} of them found by a closer look where the detector had missed them`;
  const kept = `kept as ${keptAsDrawn === 1 ? 'its region was' : 'their regions were'} drawn`;
  if (keptAsDrawn === added) return `${added} of them ${kept} (Familiar could not make out a face there itself)`;
  return `${added} of them added where the detector had missed them (${keptAsDrawn} ${kept})`;
}

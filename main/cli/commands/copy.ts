// `familiar copy A B --to DIR [--only]`: the photos `familiar search A B` lists, copied as files into DIR (a birthday
// slideshow, a USB stick, a print shop), with their file dates. Run again into DIR, it copies only what is not there.
// See main/library/copy-photos.ts.
import { copyPhotosTo, type CopyPhotosSummary, type PhotoNotCopied } from '../../library/copy-photos.js';
import { JobCancelledError } from '../../jobs/progress.js';
import { searchPhotos } from '../../people/index.js';
import { withLibrary } from '../../people/cli-support.js';
import { resolveUserPath } from '../../paths.js';
import { UsageError, oneLine, type Command, type CommandContext } from '../command.js';
import { countedLine, printStopped, printSummary, progressPrinter } from '../progress.js';
import { plural } from '../../../preload/contract.js';

const LISTED = 10;

function printNotCopied(ctx: CommandContext, label: string, files: readonly PhotoNotCopied[]): void {
  for (const f of files.slice(0, LISTED)) ctx.stdout.write(`  ${label} ${oneLine(f.path)}: ${f.reason}\n`);
  if (files.length > LISTED) ctx.stdout.write(`  ... and ${files.length - LISTED} more (--json lists them all)\n`);
}

export const copyCommand: Command = {
  name: 'copy',
  summary: 'Copy the photos with all of these people (--only: and nobody else) into a folder, as files',
  usage: 'copy <person> [<person> ...] --to DIR [--only] [--library DIR] [--json]   (a person: a name or id)',
  help: [
    'Each photo is copied as it is on disk, byte for byte, keeping its file dates; the library does not change.',
    'DIR is made when missing. Run again into the same DIR, a photo already there (same content) is not copied twice;',
    'two photos with one name become "IMG_0001.JPG" and "IMG_0001 (2).JPG". A photo whose file is not on disk',
    '(moved, deleted, on a drive that is not plugged in) is listed, not copied.',
  ],
  options: { to: { type: 'string' }, only: { type: 'boolean', default: false } },
  async run(ctx) {
    const people = ctx.positionals;
    if (people.length === 0) throw new UsageError('give at least one person (a name or id), e.g. familiar copy "Rose" --to ~/Desktop/Rose.');
    const to = ctx.values.to;
    if (typeof to !== 'string' || to.trim() === '') throw new UsageError('--to needs the folder to copy the photos into.');
    return withLibrary(ctx, 'read', async (library) => {
      const photos = searchPhotos(library, people, ctx.values.only === true).map((id) => library.photo(id)!);
      const printer = progressPrinter(ctx, (p) => countedLine(p, 'photo'));
      let result: CopyPhotosSummary;
      try {
        result = await copyPhotosTo(photos, { to: resolveUserPath(to), libraryDir: library.dir, signal: ctx.signal, onProgress: printer.onProgress });
      } catch (err) {
        printer.end();
        if (!(err instanceof JobCancelledError) || !err.kept) throw err;
        // Stopped between two photos: how far it went, and that running it again copies only the rest.
        const kept = err.kept as CopyPhotosSummary;
        const message =
          `stopped after ${kept.copied} of ${plural(kept.photos, 'photo')} copied to ${kept.folder}${kept.alreadyThere ? ` (${kept.alreadyThere} already there)` : ''}; ` +
          'run the same command again to copy the rest (those there are not copied twice).';
        if (ctx.json) printStopped(ctx, 'copy', message);
        ctx.stderr.write(`familiar copy: ${message}\n`);
        return 1;
      }
      printer.end();
      if (ctx.json) printSummary(ctx, result);
      else {
        ctx.stdout.write(
          `${plural(result.copied, 'photo')} copied to ${result.folder}` +
            `${result.alreadyThere ? `, ${result.alreadyThere} already there` : ''}` +
            `${result.missing.length ? `, ${result.missing.length} not on disk` : ''}` +
            `${result.failed.length ? `, ${result.failed.length} could not be copied` : ''}` +
            ` (${plural(result.photos, 'photo')} with ${people.length === 1 ? 'this person' : 'these people'}${ctx.values.only === true ? ' only' : ''}).\n`,
        );
        printNotCopied(ctx, 'not on disk', result.missing);
        printNotCopied(ctx, 'not copied', result.failed);
      }
      return result.failed.length > 0 || (result.photos > 0 && result.copied + result.alreadyThere === 0) ? 1 : 0;
    });
  },
};

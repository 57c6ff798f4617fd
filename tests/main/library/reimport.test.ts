// Importing a folder again (docs/reliability.md, "Re-importing a large library"): files whose date changed but not
// their content are read and hashed, never analysed again, and their new dates kept; the import says how far it got
// while it looks for the photos moved or deleted, its last step (QA: half a minute of silence there at 100,000 photos),
// those outside the folder imported looked for in their folders' listings; a known photo copied over another's file
// takes that path, the other photo missing once it has no file left.
import { copyFile, mkdtemp, rename, rm, stat, symlink, unlink, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../main/jobs/progress.js';
import { importFolders, settlingWords } from '../../../main/library/import.js';
import { Library } from '../../../main/store/library.js';
import { PIPELINE_VERSION } from '../../../models/pipeline.js';
import { PixelHashAnalyzer, writeDistinctPhotos } from '../../reliability/helpers/fake-analyzer.js';
import { dateFiles, TOUCHED_MTIME, writeKnownAlbum } from '../../../scripts/bench-reimport.js';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-reimport-'));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** A library of `count` photos under `name`/album, imported once by a stand-in face finder. */
async function importedOnce(name: string, count: number) {
  const album = join(work, name, 'album');
  const files = [...(await writeDistinctPhotos(join(album, 'one'), count / 2, 'one')), ...(await writeDistinctPhotos(join(album, 'two'), count / 2, 'two'))];
  const library = await Library.open(join(work, name, 'library'));
  const analyzer = new PixelHashAnalyzer();
  const first = await importFolders(library, async () => analyzer, PIPELINE_VERSION, [album], { closerLook: false });
  expect(first).toMatchObject({ photos: count, analysed: count });
  analyzer.calls = 0;
  return { album, files, library, analyzer };
}

describe('importing a folder again', () => {
  it('reads files whose date changed but not their content without analysing them again, and keeps their new dates', async () => {
    const { album, files, library, analyzer } = await importedOnce('touched', 40);
    try {
      const faces = library.faces.map((f) => ({ ...f }));
      const touched = new Date(Date.now() + 60_000);
      for (const file of files) await utimes(file, touched, touched);
      const again = await importFolders(library, async () => analyzer, PIPELINE_VERSION, [album], { closerLook: false });
      expect(again).toMatchObject({ photos: 40, newPhotos: 0, analysed: 0, faces: 0, missing: 0, foundAtNewPaths: 0, skipped: [] });
      expect(analyzer.calls).toBe(0);
      expect(library.faces).toEqual(faces);
      // Each file's new date is kept, on disk too: the next import takes it as known, without reading it.
      const onDisk = new Map<string, { size: number; mtimeMs: number }>();
      for (const file of files) onDisk.set(file, await stat(file).then(({ size, mtimeMs }) => ({ size, mtimeMs })));
      const stampsOf = (lib: Library) => new Map(files.map((file) => [file, lib.photos.find((p) => p.paths.includes(file))!.fileStamps?.[file]]));
      expect(stampsOf(library)).toEqual(onDisk);
      await library.close();
      const reopened = await Library.open(join(work, 'touched', 'library'));
      try {
        expect(reopened.repairs).toEqual([]);
        expect(stampsOf(reopened)).toEqual(onDisk);
      } finally {
        await reopened.close();
      }
    } finally {
      await library.close();
    }
  });

  it('reads thousands of touched files a thousand to a commit, none analysed, every new date kept', async () => {
    const { album, files, library: dir } = await writeKnownAlbum(join(work, 'thousands'), 2500);
    await dateFiles(files, TOUCHED_MTIME);
    const library = await Library.open(dir);
    try {
      let commits = 0;
      const again = await importFolders(library, () => Promise.reject(new Error('nothing is to be analysed')), PIPELINE_VERSION, [album], { onStored: () => commits++ });
      expect(again).toMatchObject({ photos: 2500, newPhotos: 0, analysed: 0, missing: 0, skipped: [] });
      // Each commit a line of photos.journal, not one commit of every photo at the end.
      expect(commits).toBeGreaterThanOrEqual(3);
      expect(library.photos.every((p) => p.fileStamps?.[p.paths[0]]?.mtimeMs === TOUCHED_MTIME.getTime())).toBe(true);
    } finally {
      await library.close();
    }
  });

  it('says how far it got while it looks for the photos moved or deleted, every photo of the library looked at', async () => {
    const { album, files, library, analyzer } = await importedOnce('settling', 20);
    try {
      await unlink(files[3]);
      await unlink(files[14]);
      const events: JobProgress[] = [];
      const again = await importFolders(library, async () => analyzer, PIPELINE_VERSION, [album], { closerLook: false, onProgress: (p) => events.push(p) });
      expect(again).toMatchObject({ photos: 18, analysed: 0, missing: 2 });
      const settling = events.filter((p) => p.stage === 'settle');
      expect(settling[0]).toMatchObject({ job: 'import', done: 0, total: 20, message: settlingWords(0, 20) });
      expect(settling.at(-1)).toMatchObject({ done: 20, total: 20, etaSeconds: 0, message: 'Looking for photos moved or deleted: 20 of 20 checked' });
      // The last step: after every file was read.
      expect(events.findLastIndex((p) => p.stage === 'analyse')).toBeLessThan(events.indexOf(settling[0]));
      expect(library.photos.filter((p) => p.missing).flatMap((p) => p.paths).sort()).toEqual([files[3], files[14]].sort());
    } finally {
      await library.close();
    }
  });

  it('finds which photos outside the folder imported are still on disk, deleted, or back, from their folders', async () => {
    const { album, files, library, analyzer } = await importedOnce('elsewhere', 10);
    const [one, two] = [join(album, 'one'), join(album, 'two')];
    const missingOnes = () => library.photos.filter((p) => p.missing).flatMap((p) => p.paths).sort();
    const importOne = () => importFolders(library, async () => analyzer, PIPELINE_VERSION, [one], { closerLook: false });
    try {
      // files[5..9] are in `two`, outside the folder imported: one deleted, one a link to a copy of itself elsewhere.
      await unlink(files[6]);
      await copyFile(files[8], join(work, 'elsewhere', 'kept.jpg'));
      await unlink(files[8]);
      await symlink(join(work, 'elsewhere', 'kept.jpg'), files[8]);
      await importOne();
      expect(missingOnes()).toEqual([files[6]]);
      // The whole folder gone (a drive unplugged): every photo of it missing, and found again when it is back.
      await rename(two, `${two}-away`);
      await importOne();
      expect(missingOnes()).toEqual(files.slice(5).sort());
      await rename(`${two}-away`, two);
      await importOne();
      expect(missingOnes()).toEqual([files[6]]);
      expect(analyzer.calls).toBe(0);
    } finally {
      await library.close();
    }
  });

  it('gives the path of a file copied over another known photo to the photo copied, the other one missing once it has no file', async () => {
    const { album, files, library, analyzer } = await importedOnce('copied', 10);
    try {
      const copied = library.photos.find((p) => p.paths.includes(files[1]))!.id;
      const overwritten = library.photos.find((p) => p.paths.includes(files[7]))!.id;
      await copyFile(files[1], files[7]);
      const again = await importFolders(library, async () => analyzer, PIPELINE_VERSION, [album], { closerLook: false });
      expect(again).toMatchObject({ photos: 9, analysed: 0, missing: 1 });
      expect(analyzer.calls).toBe(0);
      expect(library.photo(copied)!.paths.sort()).toEqual([files[1], files[7]].sort());
      expect(library.photo(overwritten)).toMatchObject({ missing: true });
      expect(library.photos.filter((p) => p.id !== overwritten).every((p) => !p.missing)).toBe(true);
    } finally {
      await library.close();
    }
  });
});

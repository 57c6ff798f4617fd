// Byte-for-byte copies of a photo (the phone's backup, a "Best of 2019" album) are one photo with several paths. The
// first path is its main one, which the viewer, `familiar search`, `familiar faces` and the sidecars' photo read: it
// stays the original, the first path the photo was known by, while that file is there (QA: importing a copy made the
// copy the photo's path); a copy found in the same import as the original comes after it (the older file first); when
// the original goes, a copy takes over.
import { copyFile, mkdir, mkdtemp, readFile, rm, utimes } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../main/cli/command.js';
import { searchCommand } from '../../../main/cli/commands/search.js';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { mainPathFirst } from '../../../main/library/import.js';
import { nameFaces } from '../../../main/people/index.js';
import { exportNamesToXmp } from '../../../main/people/xmp-names.js';
import { CountingAnalyzer, makeAlbum } from './helpers.js';

let pool: AnalysisPool;
let work: string;

beforeAll(async () => {
  pool = await AnalysisPool.create({ size: 2 });
  work = await mkdtemp(join(tmpdir(), 'familiar-main-path-'));
}, 120_000);

afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** `familiar search <name>`, run as the CLI runs it: its lines. */
async function search(libraryDir: string, name: string): Promise<string[]> {
  let text = '';
  const stdout = { isTTY: false, columns: 100, write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WriteStream;
  const ctx: CommandContext = { values: {}, positionals: [name], libraryDir, json: false, stdout, stderr: stdout, signal: new AbortController().signal };
  expect(await searchCommand.run(ctx)).toBe(0);
  return text.trim().split('\n').slice(1);
}

describe("a photo's main path", () => {
  it('stays the original when copies are imported, reaches every copy with its sidecar, and passes to a copy when the original goes', async () => {
    const album = join(work, 'album');
    const original = join(album, 'Phone backup', 'IMG_0001.jpg');
    const best = join(album, 'Best of 2019', 'IMG_0001.jpg');
    const shared = join(album, 'Shared', 'IMG_0001.jpg');
    await makeAlbum(join(album, 'Phone backup'), { 'IMG_0001.jpg': 'face_recognition/obama/obama_small.jpg' });
    const libraryDir = join(work, 'library');
    let engine = await Engine.open(libraryDir, { analyzer: new CountingAnalyzer(pool) });
    try {
      await engine.import([album]);
      const [photo] = engine.library.photos;
      await nameFaces(engine.library, [engine.library.facesOfPhoto(photo.id)[0].id], 'Barack');

      // Copied into two albums, one later than the other; "Best of 2019" comes first in the scan, as it sorts first.
      await mkdir(join(album, 'Best of 2019'));
      await mkdir(join(album, 'Shared'));
      await copyFile(original, shared);
      await copyFile(original, best);
      await utimes(best, new Date('2024-06-01'), new Date('2024-06-01'));
      await utimes(shared, new Date('2024-05-01'), new Date('2024-05-01'));
      const again = await engine.import([album]);
      expect(again).toMatchObject({ newPhotos: 0, analysed: 0, copies: 2 });
      // The original first; the copies after it, the older file first.
      expect(engine.library.photo(photo.id)!.paths).toEqual([original, shared, best]);
      expect(engine.faces().map((f) => f.photoPath)).toEqual([original]);

      // Sidecars go beside every copy: digiKam and Immich each show the file of their own album, and read the names
      // from the sidecar beside it.
      const exported = await exportNamesToXmp(engine.library);
      expect(exported.written).toBe(3);
      for (const path of [original, shared, best]) expect(await readFile(`${path}.xmp`, 'utf8')).toContain('Barack');
    } finally {
      await engine.close();
    }
    expect(await search(libraryDir, 'Barack')).toEqual([original]);

    // The original deleted: the oldest copy left takes over.
    await rm(original);
    engine = await Engine.open(libraryDir, { analyzer: new CountingAnalyzer(pool) });
    try {
      await engine.import([album]);
      const [photo] = engine.library.photos;
      expect(photo.paths).toEqual([shared, best]);
      expect(photo.missing).toBe(false);
    } finally {
      await engine.close();
    }
    expect(await search(libraryDir, 'Barack')).toEqual([shared]);
    expect(existsSync(`${original}.xmp`)).toBe(true); // a sidecar is never deleted with its photo
  });

  it('of a photo found at two paths in its first import is the older file', async () => {
    const album = await makeAlbum(join(work, 'first'), {
      'a/biden.jpg': 'face_recognition/biden/biden.jpg',
      'b/biden copy.jpg': 'face_recognition/biden/biden.jpg',
    });
    await utimes(join(album, 'a', 'biden.jpg'), new Date('2024-03-01'), new Date('2024-03-01'));
    await utimes(join(album, 'b', 'biden copy.jpg'), new Date('2019-07-14'), new Date('2019-07-14'));
    const engine = await Engine.open(join(work, 'first-library'), { analyzer: new CountingAnalyzer(pool) });
    try {
      expect(await engine.import([album])).toMatchObject({ photos: 1, copies: 1 });
      expect(engine.library.photos[0].paths).toEqual([join(album, 'b', 'biden copy.jpg'), join(album, 'a', 'biden.jpg')]);
    } finally {
      await engine.close();
    }
  });
});

describe('mainPathFirst', () => {
  const stamps = { '/new/late.jpg': { size: 1, mtimeMs: 20 }, '/new/early.jpg': { size: 1, mtimeMs: 10 }, '/old/first.jpg': { size: 1, mtimeMs: 30 }, '/old/second.jpg': { size: 1, mtimeMs: 5 } };
  const known = (path: string) => path.startsWith('/old/');
  const order = (path: string) => ['/new/late.jpg', '/new/early.jpg', '/old/first.jpg', '/old/second.jpg'].indexOf(path);
  const photo = { paths: ['/old/first.jpg', '/new/late.jpg', '/old/second.jpg', '/new/early.jpg'], fileStamps: stamps };

  it('keeps the known paths in their order first, then the new ones by file date', () => {
    expect(mainPathFirst(photo, known, () => false, order, false)).toEqual(['/old/first.jpg', '/old/second.jpg', '/new/early.jpg', '/new/late.jpg']);
  });

  it('puts known paths the scan did not find, and those of a missing photo, last', () => {
    expect(mainPathFirst(photo, known, (p) => p === '/old/first.jpg', order, false)).toEqual(['/old/second.jpg', '/new/early.jpg', '/new/late.jpg', '/old/first.jpg']);
    expect(mainPathFirst(photo, known, () => false, order, true)).toEqual(['/new/early.jpg', '/new/late.jpg', '/old/first.jpg', '/old/second.jpg']);
  });

  it('orders new files of one date, or of none, as the scan found them', () => {
    const undated = { paths: ['/new/late.jpg', '/new/early.jpg'] };
    expect(mainPathFirst(undated, known, () => false, (p) => (p === '/new/early.jpg' ? 0 : 1), false)).toEqual(['/new/early.jpg', '/new/late.jpg']);
  });
});

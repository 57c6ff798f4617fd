// One folder imported under two spellings (main/paths.ts). On Linux the two are two paths: a spelling not on disk is
// a folder not found, and one that is there too is another folder, whose photos are copies. Under macOS's rules
// (exercised here on Linux) "Zoë" typed NFC and handed back NFD, in any case, is the folder imported: nothing is read
// or analysed again, no path is listed twice, and paths are kept as the disk spells them. Two names one case apart
// (a case-sensitive volume) stay two photos.
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { CountingAnalyzer, makeAlbum } from './helpers.js';

const NFC = 'Zo\u00eb';
const NFD = 'Zoe\u0308';
const PHOTOS = { 'obama.jpg': 'face_recognition/obama/obama_small.jpg', 'biden.jpg': 'face_recognition/biden/biden.jpg' };

let pool: AnalysisPool;
let work: string;

beforeAll(async () => {
  pool = await AnalysisPool.create({ size: 1 });
  work = await mkdtemp(join(tmpdir(), 'familiar-spellings-'));
}, 120_000);

afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function withEngine<T>(library: string, fn: (engine: Engine, analyzer: CountingAnalyzer) => Promise<T>): Promise<T> {
  const analyzer = new CountingAnalyzer(pool);
  const engine = await Engine.open(join(work, library), { analyzer });
  try {
    return await fn(engine, analyzer);
  } finally {
    await engine.close();
  }
}

const allPaths = (engine: Engine) => engine.library.photos.flatMap((p) => p.paths).sort();

describe('a folder imported again in another spelling', () => {
  it('on Linux: a spelling not on disk is not found and changes nothing; one on disk too is another folder of copies', async () => {
    const base = join(work, 'linux');
    const nfc = await makeAlbum(join(base, NFC), PHOTOS);
    const nfd = join(base, NFD);
    await withEngine('linux-library', async (engine, analyzer) => {
      await engine.import([nfc], { platform: 'linux' });
      const before = allPaths(engine);
      expect(before).toEqual([join(nfc, 'biden.jpg'), join(nfc, 'obama.jpg')]);

      const missingSpelling = await engine.import([nfd], { platform: 'linux' });
      expect(missingSpelling).toMatchObject({ photos: 0, newPhotos: 0, missing: 0, skipped: [{ path: nfd, reason: 'folder not found' }] });
      expect(allPaths(engine)).toEqual(before);

      await cp(nfc, nfd, { recursive: true, preserveTimestamps: true });
      analyzer.calls = 0;
      const otherFolder = await engine.import([nfd], { platform: 'linux' });
      expect(otherFolder).toMatchObject({ photos: 2, newPhotos: 0, analysed: 0, foundAtNewPaths: 2, missing: 0, skipped: [] });
      expect(analyzer.calls).toBe(0);
      // Copies in another folder: the main path stays where each photo was first seen.
      for (const photo of engine.library.photos) expect(photo.paths.map((p) => basename(dirname(p)))).toEqual([NFC, NFD]);
      expect(await engine.import([nfc], { platform: 'linux' })).toMatchObject({ photos: 2, foundAtNewPaths: 0, missing: 0 });
      expect(engine.library.photos.every((p) => p.paths.length === 2 && !p.missing)).toBe(true);
    });
  });

  it("under macOS's rules: NFD in lower case is the NFC folder imported, nothing is analysed or written again", async () => {
    const album = await makeAlbum(join(work, 'mac', NFC), PHOTOS);
    await withEngine('mac-library', async (engine, analyzer) => {
      await engine.import([album], { platform: 'darwin' });
      const before = allPaths(engine);
      const photosFile = join(work, 'mac-library', 'photos.json');
      const written = (await stat(photosFile)).mtimeMs;
      analyzer.calls = 0;
      const again = await engine.import([join(work, 'mac', NFD.toLowerCase())], { platform: 'darwin' });
      expect(again).toMatchObject({ photos: 2, newPhotos: 0, analysed: 0, foundAtNewPaths: 0, missing: 0, skipped: [] });
      expect(analyzer.calls).toBe(0);
      expect(allPaths(engine)).toEqual(before);
      expect((await stat(photosFile)).mtimeMs).toBe(written);
    });
  });

  it("under macOS's rules: paths stored in another spelling are known by their stamps, and take the disk's spelling", async () => {
    const album = await makeAlbum(join(work, 'legacy', NFC), PHOTOS);
    await withEngine('legacy-library', async (engine, analyzer) => {
      await engine.import([album], { platform: 'darwin' });
      const ids = engine.library.photos.map((p) => p.id).sort();
      // As an older version stored a folder typed in capitals, NFD, twice for one photo. The file's bytes change
      // under the stamp it is known by: were it read and hashed again, it would be an unreadable new photo.
      const typed = join(work, 'legacy', NFD.toUpperCase());
      const obama = join(album, 'obama.jpg');
      await writeFile(obama, Buffer.alloc((await readFile(obama)).length, 7));
      const { size, mtimeMs } = await stat(obama);
      const stored = (path: string) => typed + path.slice(album.length);
      await engine.library.transaction((tx) => {
        for (const photo of tx.photos) {
          const path = photo.paths[0];
          photo.paths = path === obama ? [stored(path), path] : [stored(path)];
          photo.fileStamps = { [stored(path)]: path === obama ? { size, mtimeMs } : photo.fileStamps![path] };
        }
      });
      analyzer.calls = 0;
      const again = await engine.import([album], { platform: 'darwin' });
      expect(again).toMatchObject({ photos: 2, newPhotos: 0, analysed: 0, foundAtNewPaths: 0, missing: 0, skipped: [] });
      expect(analyzer.calls).toBe(0);
      expect(engine.library.photos.map((p) => p.id).sort()).toEqual(ids);
      expect(allPaths(engine)).toEqual([join(album, 'biden.jpg'), obama]);
      for (const photo of engine.library.photos) expect(Object.keys(photo.fileStamps ?? {})).toEqual(photo.paths);
    });
  });

  it("under macOS's rules: two names one case apart (a case-sensitive volume) stay two photos, each at its path", async () => {
    const album = await makeAlbum(join(work, 'sensitive'), { 'a.jpg': PHOTOS['obama.jpg'], 'A.jpg': PHOTOS['biden.jpg'] });
    await withEngine('sensitive-library', async (engine) => {
      const first = await engine.import([album], { platform: 'darwin' });
      expect(first).toMatchObject({ photos: 2, newPhotos: 2, skipped: [] });
      const again = await engine.import([album], { platform: 'darwin' });
      expect(again).toMatchObject({ photos: 2, newPhotos: 0, analysed: 0, missing: 0, foundAtNewPaths: 0 });
      expect(engine.library.photos.map((p) => p.paths).sort()).toEqual([[join(album, 'A.jpg')], [join(album, 'a.jpg')]]);
    });
  });
});

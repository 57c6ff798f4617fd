// Where `familiar names export --to DIR` puts the sidecars: under the name of the folder imported that holds each
// photo, as the photo lies in it, not at the photo's whole path (QA, session 38: /tmp/qa38/xmp/tmp/qa38/album/Family/
// x.jpg.xmp). Two folders imported with the same name are told apart by the folders above them, and `names import
// --from DIR` finds each photo again by the end of its path when the sidecar carries no photo id. Photos stored as the
// importer stores them (lfw_subset's cached faces), at files on disk the export checks are there.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNWATCHED_FOLDERS_KEY, WATCHED_FOLDERS_KEY } from '../../../main/library/remove-folder.js';
import { Library } from '../../../main/store/library.js';
import type { PersonRecord } from '../../../main/store/types.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';
import { onePhotoOneFace } from '../embedder/fixture.js';
import { runCli } from './cli-process.js';

let work: string;
let libraryDir: string;
/** Each photo's path below `work`, by its number. */
const PHOTOS = ['ana/Pictures/album/Family/x.jpg', 'ana/Pictures/album/y.jpg', 'bob/album/z.jpg', 'trip/2019/w.jpg'];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-cli-export-layout-'));
  libraryDir = join(work, 'library');
  for (const path of PHOTOS) {
    await mkdir(join(work, path, '..'), { recursive: true });
    await writeFile(join(work, path), 'a photo');
  }
  const library = await Library.open(libraryDir);
  try {
    const lfw = await loadLfwPeople();
    const descriptors = lfw.find((p) => p.identity === 'Colin_Powell')!.descriptors.slice(0, PHOTOS.length);
    const rows = await library.appendVectors(descriptors);
    const records = rows.map((row, i) => onePhotoOneFace(i + 1, join(work, PHOTOS[i]), row, { personId: 'powell', assignedBy: 'user' }));
    await library.transaction((tx) => {
      (tx.people.people as PersonRecord[]).push({ id: 'powell', name: 'Colin Powell', hidden: false, coverFaceId: null, createdAt: new Date().toISOString() });
      tx.photos.push(...records.map((r) => r.photo));
      tx.faces.push(...records.map((r) => r.face));
      // Two folders called album watched, and one imported once (--no-watch).
      tx.settings[WATCHED_FOLDERS_KEY] = [join(work, 'ana/Pictures/album'), join(work, 'bob/album')];
      tx.settings[UNWATCHED_FOLDERS_KEY] = [join(work, 'trip')];
    });
  } finally {
    await library.close();
  }
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('familiar names export --to', () => {
  it('puts each sidecar under its folder imported, as the photo lies in it, same-named folders told apart', async () => {
    const to = join(work, 'xmp');
    const run = await runCli('names', 'export', '--to', to, '--library', libraryDir);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain(`4 sidecars written, 0 already up to date, 0 skipped (under ${to}).`);
    const written = ['Pictures/album/Family/x.jpg.xmp', 'Pictures/album/y.jpg.xmp', 'bob/album/z.jpg.xmp', 'trip/2019/w.jpg.xmp'];
    expect((await readdir(to, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => relative(to, join(e.parentPath, e.name))).sort()).toEqual(written);
    for (const sidecar of written) expect(await readFile(join(to, sidecar), 'utf8')).toContain('Colin Powell');
  });

  it('and names import --from finds each photo by the end of that path, without the photo id', async () => {
    const to = join(work, 'xmp');
    // As another app keeps them: no familiar:PhotoId, so the path alone tells whose each sidecar is.
    for (const sidecar of ['Pictures/album/Family/x.jpg.xmp', 'Pictures/album/y.jpg.xmp', 'bob/album/z.jpg.xmp', 'trip/2019/w.jpg.xmp']) {
      const file = join(to, sidecar);
      await writeFile(file, (await readFile(file, 'utf8')).replace(/ familiar:PhotoId="[^"]*"/, ''));
    }
    const run = await runCli('names', 'import', '--from', to, '--library', libraryDir, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out.trim().split('\n').at(-1)!)).toMatchObject({ fromFolder: { sidecars: 4, matchedById: 0, matchedByPath: 4, unmatched: 0 }, alreadyNamed: 4 });
  });
});

// Names read back from a folder of sidecars after the photos moved: another folder, another user's home, another
// machine. A sidecar finds its photo by the photo id Familiar wrote into it, else by the end of its path (how other
// apps' sidecars, which carry no id, find theirs), and when sidecars match nothing here the result says so.
// Real photos through the real pipeline.
import { cp, mkdir, readdir, readFile, rename, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { nameFaces } from '../../../main/people/index.js';
import { ExportLayout } from '../../../main/people/export-layout.js';
import { exportNamesToXmp, importNamesFromOtherApps } from '../../../main/people/xmp-names.js';
import { fromFolderSentence } from '../../../preload/contract.js';
import type { Library } from '../../../main/store/library.js';
import type { FaceRecord } from '../../../main/store/types.js';
import { makeAlbum } from '../library/helpers.js';
import { runCli } from './fixture.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';

/** Two different photos both called face.jpg (in a/ and b/), and a pair. */
const ALBUM = {
  'a/face.jpg': 'face_recognition/obama/obama_small.jpg',
  'b/face.jpg': 'lfw_subset/Abdullah_Gul/Abdullah_Gul_0003.jpg',
  'pair/kit_with_rose.jpg': 'face_recognition/_group_photos/kit_with_rose.jpg',
};

// The run's answers (tests/helpers/analysis-cache.ts): names are the subject, on photos imported again.
let pool: CachedAnalysis;
let work: string;

beforeAll(async () => {
  pool = new CachedAnalysis(2);
  work = await mkdtemp(join(tmpdir(), 'familiar-xmp-moved-'));
}, 120_000);

afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A library of `album`, names not read on import (the test reads them). */
async function openLibrary(name: string, album: string): Promise<Engine> {
  const engine = await Engine.open(join(work, name), { analyzer: pool });
  await engine.library.transaction((tx) => {
    tx.settings.readNamesOnImport = false;
  });
  await engine.import([album]);
  return engine;
}

const photoAt = (library: Library, tail: string) => library.photos.find((p) => p.paths.some((path) => path.endsWith(`/${tail}`)))!;
/** A photo's faces left to right (the same in every library: same photo, same detector). */
const facesOf = (library: Library, tail: string): FaceRecord[] => [...library.facesOfPhoto(photoAt(library, tail).id)].sort((a, b) => a.box[0] - b.box[0]);
const nameOf = (library: Library, face: FaceRecord) => library.people.people.find((p) => p.id === library.face(face.id)!.personId)?.name ?? null;
const namesOn = (library: Library, tail: string) => facesOf(library, tail).map((f) => nameOf(library, f));
/** The biggest face of a photo (an LFW photo may show someone else small behind). */
const mainFace = (library: Library, tail: string) => [...facesOf(library, tail)].sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0];

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('names read back after the photos moved', () => {
  let album: string;
  let exported: string;
  /** The export with Familiar's photo ids taken out: sidecars as another app writes them, found by their path only. */
  let withoutIds: string;
  /** Where the export put a photo's sidecar under a folder (export-layout.ts). */
  let exportedSidecar: (photoPath: string, to: string) => string;

  beforeAll(async () => {
    album = await makeAlbum(join(work, 'home-ada', 'Pictures'), ALBUM);
    const source = await openLibrary('source', album);
    try {
      const lib = source.library;
      await nameFaces(lib, [mainFace(lib, 'a/face.jpg').id], 'Barack Obama');
      await nameFaces(lib, [mainFace(lib, 'b/face.jpg').id], 'Abdullah Gul');
      const [kit, rose] = facesOf(lib, 'pair/kit_with_rose.jpg');
      await nameFaces(lib, [kit.id], 'Kit Harington');
      await nameFaces(lib, [rose.id], 'Rose Leslie');
      exported = join(work, 'names-export');
      expect(await exportNamesToXmp(lib, { to: exported })).toMatchObject({ photosWithNames: 3, written: 3 });
      const layout = ExportLayout.of(lib);
      exportedSidecar = (photoPath, to) => layout.sidecarPath(photoPath, to);
    } finally {
      await source.close();
    }
    withoutIds = join(work, 'other-apps');
    for (const file of await filesUnder(exported)) {
      const target = join(withoutIds, relative(exported, file));
      await mkdir(join(target, '..'), { recursive: true });
      await writeFile(target, (await readFile(file, 'utf8')).replace(/ familiar:PhotoId="[^"]*"/, ''));
    }
  }, 240_000);

  it('a copy of the photos at another path gets its names back, on the same faces', async () => {
    // Another user's home on another machine: nothing of the old path is left but the folders under Pictures.
    const moved = join(work, 'home-bob', 'Photos from Ada');
    await cp(album, moved, { recursive: true });
    const fresh = await openLibrary('moved', moved);
    try {
      const result = await importNamesFromOtherApps(fresh.library, { from: exported });
      expect(result).toMatchObject({ photosWithNames: 3, facesNamed: 4, conflicts: [] });
      expect(result.fromFolder).toMatchObject({ sidecars: 3, matchedById: 3, matchedByPath: 0, unmatched: 0 });
      expect(fromFolderSentence(result.fromFolder!)).toBeNull();
      expect(nameOf(fresh.library, mainFace(fresh.library, 'a/face.jpg'))).toBe('Barack Obama');
      expect(nameOf(fresh.library, mainFace(fresh.library, 'b/face.jpg'))).toBe('Abdullah Gul');
      expect(namesOn(fresh.library, 'pair/kit_with_rose.jpg')).toEqual(['Kit Harington', 'Rose Leslie']);
    } finally {
      await fresh.close();
    }
  }, 240_000);

  it("sidecars without Familiar's photo id find their photos by the longest end of their path, IMG_1.xmp too", async () => {
    const moved = join(work, 'mnt', 'nas', 'Pictures');
    await cp(album, moved, { recursive: true });
    // Lightroom's naming for one of them: face.xmp for face.jpg.
    const lightroom = exportedSidecar(join(album, 'b/face.jpg'), withoutIds);
    const folder = join(work, 'other-apps-lightroom');
    await cp(withoutIds, folder, { recursive: true });
    await rename(join(folder, relative(withoutIds, lightroom)), join(folder, relative(withoutIds, join(lightroom, '..', 'face.xmp'))));
    // A sidecar called face.jpg.xmp with no folder to tell a/face.jpg from b/face.jpg names neither.
    await writeFile(join(folder, 'face.jpg.xmp'), await readFile(exportedSidecar(join(album, 'a/face.jpg'), withoutIds), 'utf8'));
    const fresh = await openLibrary('moved-no-ids', moved);
    try {
      const result = await importNamesFromOtherApps(fresh.library, { from: folder });
      expect(result.fromFolder).toMatchObject({ sidecars: 4, matchedById: 0, matchedByPath: 3, unmatched: 0 });
      expect(result.skipped).toEqual([{ path: join(folder, 'face.jpg.xmp'), reason: 'it could belong to any of 2 photos here (the same name in folders of the same names), so it names none' }]);
      // a/face.jpg and b/face.jpg are two people: each sidecar went to the photo under its own folder.
      expect(nameOf(fresh.library, mainFace(fresh.library, 'a/face.jpg'))).toBe('Barack Obama');
      expect(nameOf(fresh.library, mainFace(fresh.library, 'b/face.jpg'))).toBe('Abdullah Gul');
      expect(namesOn(fresh.library, 'pair/kit_with_rose.jpg')).toEqual(['Kit Harington', 'Rose Leslie']);
      expect(result.facesNamed).toBe(4);
    } finally {
      await fresh.close();
    }
  }, 240_000);

  it('says in plain words when the sidecars found match no photo here', async () => {
    // A library of other photos: nothing in the export is theirs.
    const others = await makeAlbum(join(work, 'others'), { 'group/011_3.jpg': 'compreface/_group_photos/011_3.jpg' });
    const engine = await openLibrary('others', others);
    await engine.close();
    const cli = await runCli(join(work, 'others'), 'names', 'import', '--from', withoutIds);
    expect(cli.code).toBe(0);
    expect(cli.out).toContain(`Found 3 sidecars in ${withoutIds}; 0 matched a photo in this library: were the photos imported here?`);
    expect(cli.out).toContain(`  no photo here for ${exportedSidecar(join(album, 'a/face.jpg'), withoutIds)}`);
    const json = await runCli(join(work, 'others'), 'names', 'import', '--from', withoutIds, '--json');
    expect(JSON.parse(json.out.trim().split('\n').at(-1)!)).toMatchObject({ photosWithNames: 0, fromFolder: { sidecars: 3, matchedById: 0, matchedByPath: 0, unmatched: 3 } });
    // Some matched, some not; and a folder with no sidecars at all.
    expect(fromFolderSentence({ folder: '/x', sidecars: 136, matchedById: 100, matchedByPath: 20, unmatched: 16, unmatchedExamples: [] })).toBe(
      'Found 136 sidecars in /x; 120 matched a photo in this library, 16 did not: were those photos imported here?',
    );
    const empty = join(work, 'empty');
    await mkdir(empty);
    const none = await runCli(join(work, 'others'), 'names', 'import', '--from', empty);
    expect(none.out).toContain(`Found no sidecars (.xmp files) in ${empty}.`);
  }, 240_000);
});

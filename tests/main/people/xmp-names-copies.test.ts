// A names import counts faces as People and its own Undo count them: a resized copy's face (another photo, linked to
// its original: main/library/copies.ts) named in its own sidecar is its original's face, not one more. The summary
// said "4 faces named" where the decision and Undo said 2. Real photos, real analysis.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { nameFaces, undoDecision } from '../../../main/people/index.js';
import { exportNamesToXmp, importNamesFromOtherApps } from '../../../main/people/xmp-names.js';
import type { Library } from '../../../main/store/library.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';
import { makeAlbum } from '../library/helpers.js';

let pool: CachedAnalysis;
let work: string;

beforeAll(async () => {
  pool = new CachedAnalysis(2);
  work = await mkdtemp(join(tmpdir(), 'familiar-names-copies-'));
}, 120_000);

afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const photoNamed = (library: Library, file: string) => library.photos.find((p) => p.paths.some((path) => path.endsWith(`/${file}`)))!;
const facesLeftToRight = (library: Library, file: string) => [...library.facesOfPhoto(photoNamed(library, file).id)].sort((a, b) => a.box[0] - b.box[0]);

describe('names import counts the faces of copies once', () => {
  it("says as many faces named as the decision and its Undo do, a copy's sidecar naming its faces again", async () => {
    const album = await makeAlbum(join(work, 'album'), { 'pair/kit_with_rose.jpg': 'face_recognition/_group_photos/kit_with_rose.jpg' });
    // The pair saved again, stored sideways (EXIF orientation 6): a copy of it, with faces of its own.
    const upright = await readFile(join(album, 'pair/kit_with_rose.jpg'));
    await sharp(upright).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 92 }).toFile(join(album, 'pair/kit_with_rose_sideways.jpg'));

    const source = await Engine.open(join(work, 'source'), { analyzer: pool });
    try {
      await source.import([album]);
      const lib = source.library;
      expect(photoNamed(lib, 'kit_with_rose_sideways.jpg').copyOf?.photoId).toBe(photoNamed(lib, 'kit_with_rose.jpg').id);
      const [kit, rose] = facesLeftToRight(lib, 'kit_with_rose.jpg');
      await nameFaces(lib, [kit.id], 'Kit');
      await nameFaces(lib, [rose.id], 'Rose');
      // Beside each photo: the copy's sidecar names its own two faces.
      expect(await exportNamesToXmp(lib)).toMatchObject({ photosWithNames: 2, written: 2 });
    } finally {
      await source.close();
    }

    const fresh = await Engine.open(join(work, 'fresh'), { analyzer: pool });
    try {
      await fresh.import([album], { readNames: false });
      const lib = fresh.library;
      expect(photoNamed(lib, 'kit_with_rose_sideways.jpg').copyOf?.photoId).toBe(photoNamed(lib, 'kit_with_rose.jpg').id);
      const read = await importNamesFromOtherApps(lib);
      expect(read.decision?.description).toMatch(/^Named 2 faces from photo metadata/);
      expect(read).toMatchObject({ facesNamed: 2, namedFromFamiliar: 2, newPeople: ['Kit', 'Rose'] });
      // Read again: the same two faces already named, not four.
      expect(await importNamesFromOtherApps(lib)).toMatchObject({ facesNamed: 0, alreadyNamed: 2 });
      expect((await undoDecision(lib, { onlyIfLatestIs: 'import-names' })).message).toMatch(/\(2 faces\)/);
    } finally {
      await fresh.close();
    }
  }, 300_000);
});

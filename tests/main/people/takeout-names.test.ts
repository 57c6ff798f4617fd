// Names from Google Photos via Takeout's JSON files, on real photos: one-face photos name their face, and the faces
// of a group photo go to the listed names they resemble, whatever order Takeout lists them in.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { nameFaces } from '../../../main/people/index.js';
import { takeoutJsonFor } from '../../../main/people/takeout-names.js';
import { importNamesFromOtherApps } from '../../../main/people/xmp-names.js';
import { sharedFacesDir } from '../../helpers/shared-faces.js';

describe('finding the Takeout JSON of a photo', () => {
  const entries = new Set([
    'IMG_1.jpg.json',
    'IMG_2.jpg.supplemental-metadata.json',
    'IMG_3.jpg.supplemental-metadata(1).json',
    'PXL_20230615_184512345.MP.jpg.supplemental-meta.json',
    'IMG_5.jpg.s.json',
    'IMG_6.jpg.other.json',
  ]);
  it('knows the old and new names, the 51-character cut, copies and edited versions', () => {
    expect(takeoutJsonFor('IMG_1.jpg', entries)).toBe('IMG_1.jpg.json');
    expect(takeoutJsonFor('IMG_1-edited.jpg', entries)).toBe('IMG_1.jpg.json');
    expect(takeoutJsonFor('IMG_2.jpg', entries)).toBe('IMG_2.jpg.supplemental-metadata.json');
    expect(takeoutJsonFor('IMG_3(1).jpg', entries)).toBe('IMG_3.jpg.supplemental-metadata(1).json');
    expect(takeoutJsonFor('IMG_3.jpg', entries)).toBeNull();
    expect(takeoutJsonFor('PXL_20230615_184512345.MP.jpg', entries)).toBe('PXL_20230615_184512345.MP.jpg.supplemental-meta.json');
    expect(takeoutJsonFor('IMG_5.jpg', entries)).toBe('IMG_5.jpg.s.json');
    expect(takeoutJsonFor('IMG_6.jpg', entries)).toBeNull();
    expect(takeoutJsonFor('IMG_7.jpg', entries)).toBeNull();
  });
});

describe('names from Google Takeout', () => {
  let pool: AnalysisPool;
  let work: string;
  const lfw = (who: string, n: number) => join(sharedFacesDir(), 'lfw_subset', who, `${who}_000${n}.jpg`);
  const people = (...names: string[]) => JSON.stringify({ title: 'x.jpg', people: names.map((name) => ({ name })) });

  beforeAll(async () => {
    pool = await AnalysisPool.create({ size: 2 });
    work = await mkdtemp(join(tmpdir(), 'familiar-takeout-'));
  }, 120_000);

  afterAll(async () => {
    await pool?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('places names on one-face photos, then on the right faces of a group photo; the user still wins', async () => {
    const album = join(work, 'Takeout', 'Google Photos', 'Photos from 2024');
    await mkdir(album, { recursive: true });
    // One-face photos, each with its JSON (old and new file names).
    await sharp(lfw('Tony_Blair', 1)).toFile(join(album, 'blair.jpg'));
    await writeFile(join(album, 'blair.jpg.json'), people('Tony Blair'));
    await sharp(lfw('George_W_Bush', 1)).toFile(join(album, 'bush.jpg'));
    await writeFile(join(album, 'bush.jpg.supplemental-metadata.json'), people('George W Bush'));
    // Blair on the left, Bush on the right; Takeout lists them the other way round.
    await sharp({ create: { width: 500, height: 250, channels: 3, background: '#808080' } })
      .composite([
        { input: lfw('Tony_Blair', 3), left: 0, top: 0 },
        { input: lfw('George_W_Bush', 3), left: 250, top: 0 },
      ])
      .jpeg({ quality: 92 })
      .toFile(join(album, 'summit.jpg'));
    await writeFile(join(album, 'summit.jpg.supplemental-metad.json'), people('George W Bush', 'Tony Blair'));
    // A name no face looks like (Gerhard Schröder is listed, only Colin Powell is in the photo).
    await sharp(lfw('Colin_Powell', 1)).toFile(join(album, 'powell.jpg'));
    await writeFile(join(album, 'powell.jpg.json'), people('Colin Powell', 'Gerhard Schröder'));
    // Damaged metadata is reported, and loses nothing.
    await sharp(lfw('Colin_Powell', 2)).toFile(join(album, 'powell-2.jpg'));
    await writeFile(join(album, 'powell-2.jpg.json'), '{"people": [');
    // A pipe under a Takeout name would block the read forever (QA: the import hung there, past Ctrl-C).
    await sharp(lfw('Colin_Powell', 3)).toFile(join(album, 'powell-3.jpg'));
    execFileSync('mkfifo', [join(album, 'powell-3.jpg.json')]);
    // The user already said the face in bush-2 is someone else.
    await sharp(lfw('George_W_Bush', 2)).toFile(join(album, 'bush-2.jpg'));
    await writeFile(join(album, 'bush-2.jpg.json'), people('George W Bush'));

    const engine = await Engine.open(join(work, 'library'), { analyzer: pool });
    try {
      // Without reading names on import, so the user can answer one face first (the import's own read is tested in
      // xmp-names.test.ts).
      await engine.import([join(work, 'Takeout')], { readNames: false });
      const lib = engine.library;
      const photo = (file: string) => lib.photos.find((p) => p.paths[0].endsWith(`/${file}`))!;
      const facesOf = (file: string) => [...lib.facesOfPhoto(photo(file).id)].sort((a, b) => a.box[0] - b.box[0]);
      const nameOf = (faceId: string) => lib.people.people.find((p) => p.id === lib.face(faceId)!.personId)?.name ?? null;
      expect(facesOf('summit.jpg')).toHaveLength(2);
      await nameFaces(lib, [facesOf('bush-2.jpg')[0].id], 'Someone Else');

      const result = await importNamesFromOtherApps(lib);
      // blair.jpg has a bystander too, so "Tony Blair" alone does not say which face: the summit photo does (Bush
      // placed by his one-face photo, the other face by elimination), and then the face that looks like him.
      const blairFaces = facesOf('blair.jpg');
      expect(blairFaces).toHaveLength(2);
      const central = blairFaces.reduce((a, b) => (Math.abs(a.box[0] + a.box[2] / 2 - 125) < Math.abs(b.box[0] + b.box[2] / 2 - 125) ? a : b));
      expect(blairFaces.map((f) => nameOf(f.id))).toEqual(blairFaces.map((f) => (f === central ? 'Tony Blair' : null)));
      expect(nameOf(facesOf('bush.jpg')[0].id)).toBe('George W Bush');
      const [left, right] = facesOf('summit.jpg');
      expect([nameOf(left.id), nameOf(right.id)]).toEqual(['Tony Blair', 'George W Bush']);
      // Powell is nobody's exemplar yet, so his group photo's face stays unnamed; Schröder places nowhere.
      expect(nameOf(facesOf('powell.jpg')[0].id)).toBeNull();
      expect(result.newPeople).toEqual(['George W Bush', 'Tony Blair']);
      expect(result.facesNamed).toBe(4);
      expect(result.photosWithNames).toBe(5);
      expect(result.unmatchedRegions).toBe(2);
      expect(result.skipped).toEqual([
        { path: join(album, 'powell-2.jpg'), reason: expect.stringMatching(/^unreadable Google Takeout metadata: powell-2\.jpg\.json is not valid JSON/) },
        { path: join(album, 'powell-3.jpg'), reason: 'unreadable Google Takeout metadata: powell-3.jpg.json is not a regular file (a device, pipe or socket)' },
      ]);
      expect(result.conflicts).toEqual([{ faceId: facesOf('bush-2.jpg')[0].id, path: join(album, 'bush-2.jpg'), name: 'George W Bush', reason: 'this face is confirmed as "Someone Else" here' }]);
    } finally {
      await engine.close();
    }
  }, 240_000);
});

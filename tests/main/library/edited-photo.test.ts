// A photo whose file another app rewrote (metadata only: the pixels are the same) is the same photo: its faces keep
// the names, confirmations and rejections they had, and it does not show twice. QA: a rejected face came back as a
// suggestion after a metadata edit, and the photo was listed twice with every face doubled.
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { nameFaces, rejectFaces, suggestionsFor, undoLast } from '../../../main/people/index.js';
import { resolvePhotoInput } from '../../../main/people/photo-input.js';
import type { Library } from '../../../main/store/library.js';
import { CountingAnalyzer, makeAlbum, sharedFaces } from './helpers.js';

let pool: AnalysisPool;
let work: string;

beforeAll(async () => {
  pool = await AnalysisPool.create({ size: 2 });
  work = await mkdtemp(join(tmpdir(), 'familiar-edited-'));
});

afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** What a tagging app does to a JPEG: a comment segment after SOI, the compressed pixels untouched. */
async function addJpegComment(path: string, text: string): Promise<void> {
  const bytes = await readFile(path);
  const body = Buffer.from(text, 'latin1');
  const segment = Buffer.concat([Buffer.from([0xff, 0xfe, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  await writeFile(path, Buffer.concat([bytes.subarray(0, 2), segment, bytes.subarray(2)]));
}

const leftToRight = (library: Library, photoId: string) => [...library.facesOfPhoto(photoId)].sort((a, b) => a.box[0] - b.box[0]);

describe('a photo file rewritten by another app', () => {
  it('keeps its faces’ names and rejections, shows once, and a copy elsewhere keeps the old bytes', async () => {
    const album = await makeAlbum(join(work, 'album'), {
      'group/011_3.jpg': 'compreface/_group_photos/011_3.jpg',
      'one/obama_small.jpg': 'face_recognition/obama/obama_small.jpg',
    });
    const groupPath = join(album, 'group', '011_3.jpg');
    const obamaPath = join(album, 'one', 'obama_small.jpg');
    const obamaCopy = join(album, 'backup', 'obama_small.jpg');
    await makeAlbum(join(album, 'backup'), { 'obama_small.jpg': 'face_recognition/obama/obama_small.jpg' });

    const engine = await Engine.open(join(work, 'library'), { analyzer: new CountingAnalyzer(pool) });
    try {
      const lib = engine.library;
      await engine.import([album]);
      const before = lib.photos.find((p) => p.paths.includes(groupPath))!;
      const [a, b, c] = leftToRight(lib, before.id);
      await nameFaces(lib, [a.id], 'Ana');
      await nameFaces(lib, [c.id], 'Cleo');
      await rejectFaces(lib, [b.id], 'Ana');
      const obama = lib.photos.find((p) => p.paths.includes(obamaPath))!;
      await nameFaces(lib, [lib.facesOfPhoto(obama.id)[0].id], 'Barack');
      const facesBefore = lib.faces.length;
      const thumbsBefore = (await readdir(join(lib.dir, 'thumbs'))).length;

      await addJpegComment(groupPath, 'edited by digiKam');
      await addJpegComment(obamaPath, 'edited by Lightroom');
      expect(await engine.import([album])).toMatchObject({ edited: 2, foundAtNewPaths: 0 });

      // One record at the path, under the new bytes' id, with the same three faces and what the user said of them.
      const atPath = lib.photos.filter((p) => p.paths.includes(groupPath));
      expect(atPath).toHaveLength(1);
      const after = atPath[0];
      expect(after.id).not.toBe(before.id);
      expect(lib.photo(before.id)).toBeUndefined();
      const [a2, b2, c2] = leftToRight(lib, after.id);
      expect(leftToRight(lib, after.id)).toHaveLength(3);
      const ana = lib.people.people.find((p) => p.name === 'Ana')!;
      expect(a2).toMatchObject({ personId: ana.id, assignedBy: 'user' });
      expect(c2).toMatchObject({ personId: lib.people.people.find((p) => p.name === 'Cleo')!.id, assignedBy: 'user' });
      expect(b2.rejectedPersonIds).toContain(ana.id);
      expect(suggestionsFor(lib, 'Ana').map((s) => s.faceId)).not.toContain(b2.id);

      // The copy elsewhere still holds the old bytes: it keeps the old record; the edited file's record inherits.
      const old = lib.photo(obama.id)!;
      expect(old.paths).toEqual([obamaCopy]);
      const edited = lib.photos.find((p) => p.paths.includes(obamaPath))!;
      expect(edited.id).not.toBe(obama.id);
      expect(lib.facesOfPhoto(edited.id)[0]).toMatchObject({ personId: lib.people.people.find((p) => p.name === 'Barack')!.id, assignedBy: 'user' });

      // Nothing doubled: the group's three faces replaced its old ones; the edited Obama is one more face.
      expect(lib.faces.length).toBe(facesBefore + 1);
      expect((await readdir(join(lib.dir, 'thumbs'))).length).toBe(thumbsBefore + 1);
      expect(lib.photos.filter((p) => p.missing)).toEqual([]);

      // Undo steps taken before the rewrite reach the faces that took over: the rejection is taken back from b2.
      expect((await undoLast(lib)).undone).toMatch(/Barack/);
      expect((await undoLast(lib)).undone).toMatch(/Ana/);
      expect(lib.face(b2.id)!.rejectedPersonIds).not.toContain(ana.id);
      expect(lib.face(a2.id)).toMatchObject({ personId: ana.id, assignedBy: 'user' });

      // A copy of it outside the album (a download) is that photo, with what the user said of its faces.
      const outside = join(work, 'download.jpg');
      await writeFile(outside, await readFile(groupPath));
      expect(resolvePhotoInput(lib, outside)).toEqual({ kind: 'photo', photo: after });

      // Another picture copied over the group photo (another size): the group photo is gone from that path, missing
      // with its names until the user forgets it, and a look at the disk does not find it there again.
      await makeAlbum(join(album, 'group'), { '011_3.jpg': 'face_recognition/biden/biden.jpg' });
      await engine.import([album]);
      const gone = lib.photo(after.id)!;
      expect(gone).toMatchObject({ paths: [], missing: true });
      expect(lib.face(a2.id)).toMatchObject({ personId: ana.id, assignedBy: 'user' });
      expect(lib.photos.filter((p) => p.paths.includes(groupPath))).toHaveLength(1);
      expect((await engine.missingRemovalPlan()).photos).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it('takes what the user said to a cropped or retouched copy, and never to another picture saved under the name', async () => {
    const album = await makeAlbum(join(work, 'album2'), {
      'toledo.jpg': 'lfw_subset/Alejandro_Toledo/Alejandro_Toledo_0004.jpg',
      'gul.jpg': 'lfw_subset/Abdullah_Gul/Abdullah_Gul_0002.jpg',
      'simon.jpg': 'lfw_subset/Bill_Simon/Bill_Simon_0003.jpg',
      'kit.jpeg': 'face_recognition/kit_harington/john2.jpeg',
    });
    const at = (name: string) => join(album, name);
    const engine = await Engine.open(join(work, 'library2'), { analyzer: new CountingAnalyzer(pool) });
    try {
      const lib = engine.library;
      await engine.import([album]);
      const photoAt = (name: string) => lib.photos.find((p) => p.paths.includes(at(name)))!;
      const faceAt = (name: string) => lib.facesOfPhoto(photoAt(name).id)[0];
      for (const [file, name] of [['toledo.jpg', 'Toledo'], ['gul.jpg', 'Gul'], ['simon.jpg', 'Simon'], ['kit.jpeg', 'Kit']]) await nameFaces(lib, [faceAt(file).id], name);
      await rejectFaces(lib, [faceAt('gul.jpg').id], 'Toledo');
      const person = (name: string) => lib.people.people.find((p) => p.name === name)!.id;
      const toledoBefore = photoAt('toledo.jpg');
      const simonBefore = photoAt('simon.jpg');

      // A new card's photo copied over one of the same size (both 250x250): a stranger, not Toledo.
      await copyFile(join(sharedFaces, 'lfw_subset/Colin_Powell/Colin_Powell_0001.jpg'), at('toledo.jpg'));
      // Cropped in an editor, and another mirrored and brightened: the same faces, in other places.
      const gulBytes = await readFile(at('gul.jpg'));
      await writeFile(at('gul.jpg'), await sharp(gulBytes).extract({ left: 30, top: 20, width: 200, height: 210 }).jpeg({ quality: 92 }).toBuffer());
      const kitBytes = await readFile(at('kit.jpeg'));
      await writeFile(at('kit.jpeg'), await sharp(kitBytes).flop().modulate({ brightness: 1.15 }).jpeg({ quality: 92 }).toBuffer());
      await engine.import([album]);

      expect(faceAt('toledo.jpg')).toMatchObject({ assignedBy: null });
      expect(faceAt('toledo.jpg').personId).not.toBe(person('Toledo'));
      expect(lib.photo(toledoBefore.id)).toMatchObject({ paths: [], missing: true });
      expect(lib.facesOfPhoto(toledoBefore.id)[0]).toMatchObject({ personId: person('Toledo'), assignedBy: 'user' });

      expect(faceAt('gul.jpg')).toMatchObject({ personId: person('Gul'), assignedBy: 'user' });
      expect(faceAt('gul.jpg').rejectedPersonIds).toContain(person('Toledo'));
      expect(faceAt('kit.jpeg')).toMatchObject({ personId: person('Kit'), assignedBy: 'user' });
      expect(lib.photos.filter((p) => p.missing).map((p) => p.id)).toEqual([toledoBefore.id]);

      // A photo the library knows copied over another: the overwritten one is no longer at that path.
      await copyFile(at('gul.jpg'), at('simon.jpg'));
      await engine.import([album]);
      expect(lib.photo(simonBefore.id)).toMatchObject({ paths: [], missing: true });
      expect(photoAt('simon.jpg').id).toBe(photoAt('gul.jpg').id);
      expect((await engine.missingRemovalPlan()).photos).toBe(2);
    } finally {
      await engine.close();
    }
  });

  it('another photo of the same person is not an edit, and a crop that cuts a named face out leaves it with the old photo', async () => {
    const album = await makeAlbum(join(work, 'album3'), {
      'bush.jpg': 'lfw_subset/George_W_Bush/George_W_Bush_0002.jpg',
      'group.jpg': 'compreface/_group_photos/011_3.jpg',
    });
    const at = (name: string) => join(album, name);
    const engine = await Engine.open(join(work, 'library3'), { analyzer: new CountingAnalyzer(pool) });
    try {
      const lib = engine.library;
      await engine.import([album]);
      const photoAt = (name: string) => lib.photos.find((p) => p.paths.includes(at(name)))!;
      const bushBefore = photoAt('bush.jpg');
      await nameFaces(lib, [lib.facesOfPhoto(bushBefore.id)[0].id], 'George');
      const groupBefore = photoAt('group.jpg');
      const [a, b, c] = leftToRight(lib, groupBefore.id);
      await nameFaces(lib, [a.id], 'Ana');
      await nameFaces(lib, [b.id], 'Ben');
      await nameFaces(lib, [c.id], 'Cleo');

      // Another photo of him, the same size, saved over the file: 0.046 from the old face, a same-person distance.
      await copyFile(join(sharedFaces, 'lfw_subset/George_W_Bush/George_W_Bush_0004.jpg'), at('bush.jpg'));
      // The group photo cropped to its left part: Cleo is cut out.
      const groupBytes = await readFile(at('group.jpg'));
      const { width = 0, height = 0 } = await sharp(groupBytes).metadata();
      const keep = Math.round((c.box[0] + b.box[0] + b.box[2]) / 2);
      expect(keep).toBeLessThan(width);
      await writeFile(at('group.jpg'), await sharp(groupBytes).extract({ left: 0, top: 0, width: keep, height }).jpeg({ quality: 92 }).toBuffer());
      await engine.import([album]);

      expect(lib.photo(bushBefore.id)).toMatchObject({ paths: [], missing: true });
      expect(lib.facesOfPhoto(photoAt('bush.jpg').id)[0].assignedBy).not.toBe('user');

      const cropped = photoAt('group.jpg');
      const names = (photoId: string) => lib.facesOfPhoto(photoId).filter((f) => f.assignedBy === 'user').map((f) => lib.people.people.find((p) => p.id === f.personId)!.name).sort();
      expect(names(cropped.id)).toEqual(['Ana', 'Ben']);
      // Cleo's face is no longer in the picture: it stays, named, with the old photo, now missing.
      expect(lib.photo(groupBefore.id)).toMatchObject({ paths: [], missing: true });
      expect(names(groupBefore.id)).toContain('Cleo');
    } finally {
      await engine.close();
    }
  });
});

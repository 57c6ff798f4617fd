// A photo whose file another app rewrote (metadata only: the pixels are the same) is the same photo: its faces keep
// the names, confirmations and rejections they had, and it does not show twice. QA: a rejected face came back as a
// suggestion after a metadata edit, and the photo was listed twice with every face doubled. So is a photo moved and
// edited (saved again smaller in another folder) whose old file is gone, and only such a photo: not a copy, not a burst.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { nameFaces, rejectFaces, suggestionsFor, undoLast } from '../../../main/people/index.js';
import { resolvePhotoInput } from '../../../main/people/photo-input.js';
import type { Library } from '../../../main/store/library.js';
import { CountingAnalyzer, makeAlbum, sharedFaces } from './helpers.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';

// The run's answers (tests/helpers/analysis-cache.ts): edited files are the subject, not the analysis.
let pool: CachedAnalysis;
let work: string;

beforeAll(async () => {
  pool = new CachedAnalysis(2);
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

    const analyzer = new CountingAnalyzer(pool);
    const engine = await Engine.open(join(work, 'library'), { analyzer });
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

      const backbonesBefore = [a, b, c].map((f) => Array.from(lib.backboneOf(f)));
      await addJpegComment(groupPath, 'edited by digiKam');
      await addJpegComment(obamaPath, 'edited by Lightroom');
      // The same pixels: nothing is analysed again (QA: a rating written into 30 photos took longer than their import).
      const analysesBefore = analyzer.calls;
      expect(await engine.import([album])).toMatchObject({ edited: 2, foundAtNewPaths: 0, analysed: 0 });
      expect(analyzer.calls).toBe(analysesBefore);

      // One record at the path, under the new bytes' id, with the same three faces and what the user said of them.
      const atPath = lib.photos.filter((p) => p.paths.includes(groupPath));
      expect(atPath).toHaveLength(1);
      const after = atPath[0];
      expect(after.id).not.toBe(before.id);
      expect(lib.photo(before.id)).toBeUndefined();
      const [a2, b2, c2] = leftToRight(lib, after.id);
      expect(leftToRight(lib, after.id)).toHaveLength(3);
      expect([a2, b2, c2].map((f) => f.box)).toEqual([a, b, c].map((f) => f.box));
      expect([a2, b2, c2].map((f) => Array.from(lib.backboneOf(f)))).toEqual(backbonesBefore);
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

  it('analyses again a picture whose face was blurred, though its perceptual hash stayed, and one a look again asks for', async () => {
    const album = await makeAlbum(join(work, 'album-blur'), { 'party.jpg': 'compreface/_group_photos/016_8.jpg', 'kit.jpeg': 'face_recognition/kit_harington/john2.jpeg' });
    const party = join(album, 'party.jpg');
    const analyzer = new CountingAnalyzer(pool);
    const engine = await Engine.open(join(work, 'library-blur'), { analyzer });
    try {
      const lib = engine.library;
      await engine.import([album]);
      const before = lib.photos.find((p) => p.paths.includes(party))!;
      const stranger = leftToRight(lib, before.id)[5];
      await nameFaces(lib, [stranger.id], 'Stranger');
      // Blurred for privacy, saved at the same size: the hash built to survive small changes survives it (review).
      const [left, top, width, height] = stranger.box.map(Math.round);
      const blurred = await sharp(party).extract({ left, top, width, height }).blur(Math.max(8, width / 6)).toBuffer();
      await writeFile(party, await sharp(party).composite([{ input: blurred, left, top }]).jpeg({ quality: 92 }).toBuffer());
      const calls = analyzer.calls;
      expect(await engine.import([album])).toMatchObject({ analysed: 1 });
      expect(analyzer.calls).toBeGreaterThan(calls);
      const after = lib.photos.find((p) => p.paths.includes(party))!;
      expect(after.pictureHash).toBe(before.pictureHash);
      expect(after.pixelsHash).not.toBe(before.pixelsHash);

      // Metadata written into a photo a look again is to analyse: analysed, as asked.
      await addJpegComment(join(album, 'kit.jpeg'), 'rated 5 stars');
      expect(await engine.import([album], { lookAgain: true })).toMatchObject({ analysed: 1 });
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

describe('a photo moved and edited', () => {
  it('takes its record along to its new place, and nothing from a copy, another photo, a burst shot or an ambiguous match', async () => {
    const album = await makeAlbum(join(work, 'album4'), {
      'a/group.jpg': 'compreface/_group_photos/011_3.jpg',
      'a/gul.jpg': 'lfw_subset/Abdullah_Gul/Abdullah_Gul_0002.jpg',
      'a/toledo.jpg': 'lfw_subset/Alejandro_Toledo/Alejandro_Toledo_0004.jpg',
      'a/bush.jpg': 'lfw_subset/George_W_Bush/George_W_Bush_0002.jpg',
      'a/simon.jpg': 'lfw_subset/Bill_Simon/Bill_Simon_0003.jpg',
      'a/obama.jpg': 'face_recognition/obama/obama_small.jpg',
    });
    const at = (name: string) => join(album, name);
    const bytesOf = (name: string) => readFile(at(name));
    const lfw = (person: string, n: string) => join(sharedFaces, 'lfw_subset', person, `${person}_${n}.jpg`);
    // Camera photos: capture time and camera in their EXIF.
    const shotAt = (when: string) => ({ IFD0: { Make: 'Canon', Model: 'EOS 80D' }, IFD2: { DateTimeOriginal: when } });
    await sharp(lfw('Colin_Powell', '0001')).withExif(shotAt('2024:05:01 10:00:00')).jpeg({ quality: 92 }).toFile(at('a/dated.jpg'));
    await sharp(lfw('Kofi_Annan', '0004')).withExif(shotAt('2024:05:01 10:00:05')).jpeg({ quality: 92 }).toFile(at('a/burst-1.jpg'));
    // The same picture twice (a re-saved copy the library knows too).
    await writeFile(at('a/obama-copy.jpg'), await sharp(await bytesOf('a/obama.jpg')).jpeg({ quality: 90 }).toBuffer());

    const engine = await Engine.open(join(work, 'library4'), { analyzer: new CountingAnalyzer(pool) });
    try {
      const lib = engine.library;
      await engine.import([album]);
      const photoAt = (name: string) => lib.photos.find((p) => p.paths.includes(at(name)))!;
      const faceAt = (name: string) => lib.facesOfPhoto(photoAt(name).id)[0];
      const [a, b, c] = leftToRight(lib, photoAt('a/group.jpg').id);
      await nameFaces(lib, [a.id], 'Ana');
      await nameFaces(lib, [c.id], 'Cleo');
      await rejectFaces(lib, [b.id], 'Ana');
      const names: Array<[string, string]> = [['gul', 'Gul'], ['toledo', 'Toledo'], ['bush', 'George'], ['simon', 'Simon'], ['dated', 'Colin'], ['burst-1', 'Kofi'], ['obama', 'Barack'], ['obama-copy', 'Barack']];
      for (const [file, name] of names) await nameFaces(lib, [faceAt(`a/${file}.jpg`).id], name);
      const person = (name: string) => lib.people.people.find((p) => p.name === name)!.id;
      const before = new Map([...names.map(([file]) => `a/${file}.jpg`), 'a/group.jpg'].map((name) => [name, photoAt(name)]));
      const facesBefore = lib.faces.length;

      const move = async (from: string, to: string, edit: (s: ReturnType<typeof sharp>) => ReturnType<typeof sharp>) => {
        await mkdir(dirname(at(to)), { recursive: true });
        await writeFile(at(to), await edit(sharp(await bytesOf(from))).jpeg({ quality: 88 }).toBuffer());
        await rm(at(from));
      };
      // Moved to another folder and saved again smaller; cropped and renamed; retouched, its EXIF kept.
      await move('a/group.jpg', 'b/2019/reunion.jpg', (s) => s.resize({ width: 500 }));
      await move('a/gul.jpg', 'b/gul-cropped.jpg', (s) => s.extract({ left: 30, top: 20, width: 200, height: 210 }));
      await move('a/dated.jpg', 'b/dated.jpg', (s) => s.keepExif().modulate({ brightness: 1.1 }));
      // A smaller copy saved beside the file, which stays: a copy, the old photo keeps its record.
      await writeFile(at('b/toledo-small.jpg'), await sharp(await bytesOf('a/toledo.jpg')).resize({ width: 200 }).jpeg({ quality: 88 }).toBuffer());
      // Moved as it is, and a smaller copy made of it: the photo is found where it went, the copy is a new photo.
      await mkdir(at('c'));
      await writeFile(at('c/simon-small.jpg'), await sharp(await bytesOf('a/simon.jpg')).resize({ width: 200 }).jpeg({ quality: 88 }).toBuffer());
      await rename(at('a/simon.jpg'), at('b/simon.jpg'));
      // Deleted, and another photo of him added: the same person, not the same photo.
      await rm(at('a/bush.jpg'));
      await copyFile(lfw('George_W_Bush', '0004'), at('b/bush.jpg'));
      // A burst: the next frame, a second later by its EXIF (here the same pixels retouched, as near as frames get).
      await move('a/burst-1.jpg', 'b/burst-2.jpg', (s) => s.modulate({ brightness: 1.05 }).withExif(shotAt('2024:05:01 10:00:06')));
      // Both of two near-identical photos gone, one more re-save of them added: it could be either, it takes from neither.
      await rm(at('a/obama-copy.jpg'));
      await move('a/obama.jpg', 'b/obama.jpg', (s) => s.resize({ width: 300 }));
      const summary = await engine.import([album]);
      expect(summary).toMatchObject({ edited: 3, missing: 4 });

      // The moved and edited photos: their records moved, under the new bytes, with what the user said of their faces.
      for (const [old, now] of [['a/group.jpg', 'b/2019/reunion.jpg'], ['a/gul.jpg', 'b/gul-cropped.jpg'], ['a/dated.jpg', 'b/dated.jpg']]) {
        expect(lib.photo(before.get(old)!.id), old).toBeUndefined();
        expect(photoAt(now)).toMatchObject({ paths: [at(now)], missing: false });
      }
      const [a2, b2, c2] = leftToRight(lib, photoAt('b/2019/reunion.jpg').id);
      expect(leftToRight(lib, photoAt('b/2019/reunion.jpg').id)).toHaveLength(3);
      expect(a2).toMatchObject({ personId: person('Ana'), assignedBy: 'user' });
      expect(c2).toMatchObject({ personId: person('Cleo'), assignedBy: 'user' });
      expect(b2.rejectedPersonIds).toContain(person('Ana'));
      expect(faceAt('b/gul-cropped.jpg')).toMatchObject({ personId: person('Gul'), assignedBy: 'user' });
      expect(faceAt('b/dated.jpg')).toMatchObject({ personId: person('Colin'), assignedBy: 'user' });

      // The copy and the photo moved as it is keep their records; the smaller copies made of them are photos of their
      // own, linked to them as copies, whose faces go with theirs (main/library/copies.ts). The others take no one's name.
      expect(lib.photo(before.get('a/toledo.jpg')!.id)).toMatchObject({ paths: [at('a/toledo.jpg')], missing: false });
      expect(lib.photo(before.get('a/simon.jpg')!.id)).toMatchObject({ paths: [at('b/simon.jpg')], missing: false });
      expect(faceAt('b/simon.jpg')).toMatchObject({ personId: person('Simon'), assignedBy: 'user' });
      for (const [copy, of, name] of [['b/toledo-small.jpg', 'a/toledo.jpg', 'Toledo'], ['c/simon-small.jpg', 'a/simon.jpg', 'Simon']]) {
        expect(photoAt(copy).copyOf?.photoId, copy).toBe(before.get(of)!.id);
        expect(faceAt(copy), copy).toMatchObject({ personId: person(name), assignedBy: 'user' });
      }
      for (const copy of ['b/bush.jpg', 'b/burst-2.jpg', 'b/obama.jpg']) expect(faceAt(copy).assignedBy, copy).not.toBe('user');
      // Another photo of him, the burst's earlier frame and the two alike: missing, with their names, until the user forgets them.
      for (const old of ['a/bush.jpg', 'a/burst-1.jpg', 'a/obama.jpg', 'a/obama-copy.jpg']) {
        expect(lib.photo(before.get(old)!.id), old).toMatchObject({ missing: true });
        expect(lib.facesOfPhoto(before.get(old)!.id)[0].assignedBy).toBe('user');
      }
      // The three moved photos' faces replaced theirs; the five new photos brought one face each.
      expect(lib.faces.length).toBe(facesBefore + 5);
    } finally {
      await engine.close();
    }
  });
});

describe('a photo on a drive unplugged', () => {
  it('is not gone: an edited copy of it imported from elsewhere takes nothing, while one of a photo deleted from its folder takes its record', async () => {
    // The drive: two folders imported; then one photo deleted from its folder, and the other folder gone with the
    // drive (renamed away here). Edited copies of both are imported from another folder.
    const drive = await makeAlbum(join(work, 'drive'), {
      'Photos/gul.jpg': 'lfw_subset/Abdullah_Gul/Abdullah_Gul_0002.jpg',
      'Kept/toledo.jpg': 'lfw_subset/Alejandro_Toledo/Alejandro_Toledo_0004.jpg',
    });
    const exports = join(work, 'exports');
    await mkdir(exports);
    const engine = await Engine.open(join(work, 'library-drive'), { analyzer: new CountingAnalyzer(pool) });
    try {
      const lib = engine.library;
      await engine.import([drive]);
      const photoAt = (path: string) => lib.photos.find((p) => p.paths.includes(path))!;
      const faceAt = (path: string) => lib.facesOfPhoto(photoAt(path).id)[0];
      const [gul, toledo] = [join(drive, 'Photos/gul.jpg'), join(drive, 'Kept/toledo.jpg')];
      await nameFaces(lib, [faceAt(gul).id], 'Gul');
      await nameFaces(lib, [faceAt(toledo).id], 'Toledo');
      const [gulBefore, toledoBefore] = [photoAt(gul), photoAt(toledo)];
      for (const [from, to] of [[gul, 'gul-small.jpg'], [toledo, 'toledo-small.jpg']]) {
        await writeFile(join(exports, to), await sharp(await readFile(from)).resize({ width: 200 }).jpeg({ quality: 88 }).toBuffer());
      }
      await rm(toledo);
      await rename(join(drive, 'Photos'), join(drive, 'Photos-unplugged'));

      expect(await engine.import([exports])).toMatchObject({ edited: 1 });
      // The photo deleted from a folder that is there: gone, its record moved to the edited copy, names kept.
      expect(lib.photo(toledoBefore.id)).toBeUndefined();
      expect(faceAt(join(exports, 'toledo-small.jpg'))).toMatchObject({ assignedBy: 'user' });
      // The one whose folder is not there keeps its record (missing until the drive comes back); its copy is a new photo.
      expect(lib.photo(gulBefore.id)).toMatchObject({ paths: [gul] });
      expect(lib.facesOfPhoto(gulBefore.id)[0]).toMatchObject({ assignedBy: 'user' });
      expect(faceAt(join(exports, 'gul-small.jpg')).assignedBy).not.toBe('user');

      // The drive back: the photo is found where it was, with its name, not a new photo.
      await rename(join(drive, 'Photos-unplugged'), join(drive, 'Photos'));
      expect(await engine.import([drive])).toMatchObject({ newPhotos: 0 });
      expect(lib.photo(gulBefore.id)).toMatchObject({ paths: [gul], missing: false });
      expect(faceAt(gul)).toMatchObject({ assignedBy: 'user' });
    } finally {
      await engine.close();
    }
  });
});

describe('a library carried to a machine in another time zone', () => {
  it('knows a photo moved and edited there by its camera clock, also one imported before the zone was kept', async () => {
    const album = await makeAlbum(join(work, 'album-zones'), { 'a/obama.jpg': 'face_recognition/obama/obama_small.jpg' });
    const at = (name: string) => join(album, name);
    const lfw = (person: string, n: string) => join(sharedFaces, 'lfw_subset', person, `${person}_${n}.jpg`);
    // Camera photos: the camera's clock in their EXIF, no zone.
    const shotAt = (when: string) => ({ IFD0: { Make: 'Canon', Model: 'EOS 80D' }, IFD2: { DateTimeOriginal: when } });
    await mkdir(at('a'), { recursive: true });
    await sharp(lfw('Colin_Powell', '0001')).withExif(shotAt('2024:05:01 10:00:00')).jpeg({ quality: 92 }).toFile(at('a/colin.jpg'));
    await sharp(lfw('Kofi_Annan', '0004')).withExif(shotAt('2024:05:01 11:00:00')).jpeg({ quality: 92 }).toFile(at('a/kofi.jpg'));
    // A phone's photo, which says its zone (Tokyo's): only of it is the offset where it was taken.
    const phone = { IFD0: { Make: 'Apple' }, IFD2: { DateTimeOriginal: '2024:05:01 19:00:00', OffsetTimeOriginal: '+09:00' } };
    await sharp(lfw('Abdullah_Gul', '0001')).withExif(phone).jpeg({ quality: 92 }).toFile(at('a/gul.jpg'));
    const zone = process.env.TZ;
    process.env.TZ = 'Europe/Paris';
    const engine = await Engine.open(join(work, 'library-zones'), { analyzer: new CountingAnalyzer(pool) });
    try {
      const lib = engine.library;
      await engine.import([album]);
      const photoAt = (name: string) => lib.photos.find((p) => p.paths.includes(at(name)))!;
      const faceAt = (name: string) => lib.facesOfPhoto(photoAt(name).id)[0];
      expect(photoAt('a/colin.jpg')).toMatchObject({ takenAt: '2024-05-01T08:00:00.000Z', takenOffset: 120 });
      expect(photoAt('a/colin.jpg').takenOffsetKnown).toBeUndefined();
      expect(photoAt('a/gul.jpg')).toMatchObject({ takenAt: '2024-05-01T10:00:00.000Z', takenOffset: 540, takenOffsetKnown: true });
      await nameFaces(lib, [faceAt('a/colin.jpg').id], 'Colin');
      await nameFaces(lib, [faceAt('a/kofi.jpg').id], 'Kofi');
      // Kofi's photo as a version that kept no zone left it (read in Paris, but the record does not say so).
      const kofi = photoAt('a/kofi.jpg').id;
      await lib.transaction((tx) => {
        delete tx.photos.find((p) => p.id === kofi)!.takenOffset;
      });

      // On a machine in New York: both moved and retouched, their EXIF kept.
      process.env.TZ = 'America/New_York';
      for (const name of ['colin', 'kofi']) {
        await mkdir(at('b'), { recursive: true });
        await writeFile(at(`b/${name}.jpg`), await sharp(await readFile(at(`a/${name}.jpg`))).keepExif().modulate({ brightness: 1.1 }).jpeg({ quality: 88 }).toBuffer());
        await rm(at(`a/${name}.jpg`));
      }
      const summary = await engine.import([album]);
      expect(summary).toMatchObject({ edited: 2, missing: 0 });
      // The same clock, read in New York's zone, and the names kept.
      expect(photoAt('b/colin.jpg')).toMatchObject({ takenAt: '2024-05-01T14:00:00.000Z', takenOffset: -240 });
      expect(faceAt('b/colin.jpg')).toMatchObject({ personId: lib.people.people.find((p) => p.name === 'Colin')!.id, assignedBy: 'user' });
      expect(faceAt('b/kofi.jpg')).toMatchObject({ personId: lib.people.people.find((p) => p.name === 'Kofi')!.id, assignedBy: 'user' });
      expect(lib.photos.filter((p) => p.missing)).toHaveLength(0);
    } finally {
      await engine.close();
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

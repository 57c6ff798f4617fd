// A photo edited (cropped, turned, saved again) while its folder was out of the library: imported again, its faces
// take back what the user said of them, told by likeness as an edit in the library tells them, and the summary says
// what a crop cut out. QA: a group photo cropped while its folder was out came back with every name gone, unsaid.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { keptAnalysesOf } from '../../../main/library/restore-analysis.js';
import { nameFaces, rejectFaces } from '../../../main/people/index.js';
import type { FaceRecord } from '../../../main/store/types.js';
import { keptDecisionsLostSentence } from '../../../preload/contract.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';
import { lfwPhoto, sharedFaces, subjectAt } from './helpers.js';

describe('a photo edited while its folder was out of the library', () => {
  let work: string;
  let album: string;
  let pool: CachedAnalysis;
  let engine: Engine;
  const group = () => join(album, 'bbt1.jpg');
  const pair = () => join(album, 'obama_and_biden.jpg');
  const facesAt = (path: string) => engine.library.facesOfPhoto(engine.library.photos.find((p) => p.paths.includes(path))!.id);
  /** The faces at `path`, left to right, as the photo shows them upright. */
  const leftToRight = (path: string) => [...facesAt(path)].sort((a, b) => a.box[0] - b.box[0]);
  const personName = (face: FaceRecord) => engine.library.people.people.find((p) => p.id === face.personId)?.name ?? null;
  let groupIds: string[];
  let pairIds: string[];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'familiar-edited-while-removed-'));
    album = join(work, 'album');
    await mkdir(album, { recursive: true });
    await copyFile(join(sharedFaces, 'face-api.js', '_group_photos', 'bbt1.jpg'), group());
    await copyFile(join(sharedFaces, 'face_recognition', '_group_photos', 'obama_and_biden.jpg'), pair());
    pool = new CachedAnalysis(1);
    engine = await Engine.open(join(work, 'library'), { analyzer: pool });
    await engine.import([album]);
    // bbt1, 1366 px wide: four faces; the rightmost (x > 1000) is named Raj, the leftmost Sheldon, the third is not Raj.
    const four = leftToRight(group()).filter((f) => f.score > 0.9);
    expect(four.map((f) => Math.round(f.box[0] / 100))).toEqual([2, 5, 7, 10]);
    await nameFaces(engine.library, [four[3].id], 'Raj');
    await nameFaces(engine.library, [four[0].id], 'Sheldon');
    await rejectFaces(engine.library, [four[2].id], 'Raj');
    groupIds = four.map((f) => f.id);
    // The pair: Barack on the left, Joe on the right.
    const pairFaces = leftToRight(pair());
    const [barack, joe] = pairFaces.filter((f) => f.score > 0.9);
    await nameFaces(engine.library, [barack.id], 'Barack');
    await nameFaces(engine.library, [joe.id], 'Joe');
    pairIds = [barack.id, joe.id];
  }, 300_000);

  afterAll(async () => {
    await engine?.close();
    await pool?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('gives the faces it still shows what was said of them, and says what a crop cut out', async () => {
    const removed = await engine.removeFolder(album);
    expect(removed).toMatchObject({ photos: 2, decisionsKept: 5 });
    // Meanwhile the group photo is cropped to its left 900 px (Raj cut out), and the pair turned a quarter clockwise.
    const cropped = await sharp(group()).extract({ left: 0, top: 0, width: 900, height: 768 }).jpeg({ quality: 90 }).toBuffer();
    await sharp(cropped).toFile(group());
    const turned = await sharp(pair()).rotate(90).jpeg({ quality: 90 }).toBuffer();
    await sharp(turned).toFile(pair());

    const again = await engine.import([album]);
    expect(again).toMatchObject({ photos: 2, edited: 2, keptDecisionsLost: 1, restoredDecisions: 0 });

    const groupNow = leftToRight(group()).filter((f) => f.score > 0.9);
    expect(groupNow).toHaveLength(3);
    expect(groupNow.map((f) => [personName(f), f.assignedBy])).toEqual([
      ['Sheldon', 'user'],
      [null, null],
      [null, null],
    ]);
    const raj = engine.library.people.people.find((p) => p.name === 'Raj')!;
    expect(groupNow[2].rejectedPersonIds).toEqual([raj.id]);
    // Turned, the pair shows Barack above Joe: each face took back its own name.
    const pairNow = [...facesAt(pair())].filter((f) => f.score > 0.9).sort((a, b) => a.box[1] - b.box[1]);
    expect(pairNow.map((f) => [personName(f), f.assignedBy])).toEqual([
      ['Barack', 'user'],
      ['Joe', 'user'],
    ]);
    // The new photos' own faces, not the old ids; their kept entries are spent.
    expect([...groupNow, ...pairNow].some((f) => [...groupIds, ...pairIds].includes(f.id))).toBe(false);
    expect(await keptAnalysesOf(engine.library).count()).toBe(0);
    expect(keptDecisionsLostSentence(again.keptDecisionsLost)).toBe(
      'What you said of 1 face could not be given back: its photo was edited while out of the library, and no longer shows that face (cropped out, or changed too much)',
    );
  }, 300_000);

  it('leaves what was said for the photo\'s copy elsewhere, which comes back whole once its folder does', async () => {
    // One photo at two paths (a and b); named; the folder removed; the copy in a turned meanwhile.
    const twice = join(work, 'twice');
    await mkdir(join(twice, 'a'), { recursive: true });
    await mkdir(join(twice, 'b'));
    for (const side of ['a', 'b']) await copyFile(join(sharedFaces, 'face_recognition', '_group_photos', 'two_people.jpg'), join(twice, side, 'x.jpg'));
    await engine.import([twice]);
    const [left, right] = leftToRight(join(twice, 'a', 'x.jpg'));
    await nameFaces(engine.library, [left.id], 'Left');
    await nameFaces(engine.library, [right.id], 'Right');
    expect(await engine.removeFolder(twice)).toMatchObject({ photos: 1, decisionsKept: 2 });
    const original = join(twice, 'a', 'x.jpg');
    const turned = await sharp(original).rotate(90).jpeg({ quality: 90 }).toBuffer();
    await sharp(turned).toFile(original);

    expect(await engine.import([join(twice, 'a')])).toMatchObject({ edited: 1 });
    // The unedited copy takes back its analysis and both names, as it did before edits were matched.
    expect(await engine.import([join(twice, 'b')])).toMatchObject({ restored: 1, restoredDecisions: 2 });
    const back = leftToRight(join(twice, 'b', 'x.jpg')).slice(0, 2);
    expect(back.map((f) => [personName(f), f.assignedBy])).toEqual([
      ['Left', 'user'],
      ['Right', 'user'],
    ]);
  }, 300_000);

  it('gives nothing to another photo saved under the same name, even of the same person, and keeps what was said for the photo', async () => {
    const other = join(work, 'other');
    await mkdir(other);
    const file = join(other, 'portrait.jpg');
    await copyFile(lfwPhoto('Bill_Gates', 1), file);
    await engine.import([other]);
    await nameFaces(engine.library, [subjectAt(engine.library, file).id], 'Bill');
    expect(await engine.removeFolder(other)).toMatchObject({ photos: 1, decisionsKept: 1 });
    // Another photo of him, not an edit of this one, saved under its name.
    await copyFile(lfwPhoto('Bill_Gates', 2), file);
    const again = await engine.import([other]);
    expect(again).toMatchObject({ photos: 1, edited: 0, keptDecisionsLost: 0 });
    expect(facesAt(file).filter((f) => f.assignedBy === 'user')).toEqual([]);
    // The photo itself, back at its place, still comes back with its name.
    await copyFile(lfwPhoto('Bill_Gates', 1), join(other, 'portrait (original).jpg'));
    expect(await engine.import([other])).toMatchObject({ restored: 1, restoredDecisions: 1 });
    expect(personName(subjectAt(engine.library, join(other, 'portrait (original).jpg')))).toBe('Bill');
  }, 300_000);
});

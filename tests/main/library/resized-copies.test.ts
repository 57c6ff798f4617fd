// A photo saved again smaller or compressed again (an export for sharing, a messenger's copy) is a photo of its own
// with other bytes, found at the end of an import to be a copy of the photo the library has (models/cluster/
// resized-copy.ts): its faces take what the user said of the original's, a decision about one face is the other's,
// the viewer says which photo it is a copy of, and Undo or "Not a copy" parts them, nothing lost. Distinct photos of
// one person taken a moment apart (lfw_subset's Julianne Moore 1 and 8: their faces lie within an edit's likeness),
// shots of one sitting (yalefaces: the head still, an eye closed) and faceless photos are never copies. Copies are
// made here, in a temporary folder, with sharp.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { copyRelations, linkCopies, notACopy } from '../../../main/library/copies.js';
import type { JobProgress } from '../../../main/jobs/progress.js';
import { nameFaces, redoDecision, rejectFaces, undoDecision } from '../../../main/people/index.js';
import type { Library } from '../../../main/store/library.js';
import type { FaceRecord, PhotoRecord } from '../../../main/store/types.js';
import { COPY_HASH_BITS, pictureHash, pictureHashDistance } from '../../../models/cluster/resized-copy.js';
import { decodePhoto } from '../../../main/library/decode.js';
import { CountingAnalyzer, lfwPhoto, makeAlbum, sharedFaces } from './helpers.js';

let pool: AnalysisPool;
let work: string;

beforeAll(async () => {
  pool = await AnalysisPool.create({ size: 2 });
  work = await mkdtemp(join(tmpdir(), 'familiar-resized-copies-'));
}, 120_000);

afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const photoAt = (library: Library, path: string): PhotoRecord => library.photos.find((p) => p.paths.includes(path))!;
const leftToRight = (library: Library, photo: PhotoRecord): FaceRecord[] => [...library.facesOfPhoto(photo.id)].sort((a, b) => a.box[0] - b.box[0]);
const personNamed = (library: Library, name: string) => library.people.people.find((p) => p.name === name)?.id;
const told = (f: FaceRecord | undefined) => f && { personId: f.personId, assignedBy: f.assignedBy, rejectedPersonIds: [...f.rejectedPersonIds].sort() };

/** A copy of `source` resized to `scale` of its width and saved as JPEG at `quality`. */
async function saveCopy(source: string, target: string, scale: number, quality: number): Promise<void> {
  const width = (await sharp(source).metadata()).width!;
  await sharp(source).rotate().resize({ width: Math.round(width * scale) }).jpeg({ quality }).toFile(target);
}

describe('the picture hash', () => {
  it('keeps a resized, re-compressed copy within COPY_HASH_BITS and puts two frames of one moment beyond it', async () => {
    const hashOf = async (file: string | Buffer) => pictureHash((await decodePhoto(file, 1024)).image);
    const group = join(sharedFaces, 'face_recognition', '_group_photos', 'kit_with_rose.jpg');
    const halfSize = await sharp(group).resize({ width: 250 }).jpeg({ quality: 75 }).toBuffer();
    const webp = await sharp(group).webp({ quality: 70 }).toBuffer();
    expect(pictureHashDistance(await hashOf(group), await hashOf(halfSize))).toBeLessThanOrEqual(COPY_HASH_BITS);
    expect(pictureHashDistance(await hashOf(group), await hashOf(webp))).toBeLessThanOrEqual(COPY_HASH_BITS);
    expect(pictureHashDistance(await hashOf(lfwPhoto('Julianne_Moore', 1)), await hashOf(lfwPhoto('Julianne_Moore', 8)))).toBeGreaterThan(COPY_HASH_BITS);
  });
});

describe('a resized copy of a photo', () => {
  it('takes the names of its faces from the original, follows every decision about them, and is parted by Undo or "Not a copy"', async () => {
    const album = await makeAlbum(join(work, 'album'), {
      'Phone/kit_with_rose.jpg': 'face_recognition/_group_photos/kit_with_rose.jpg',
      'Phone/biden.jpg': 'face_recognition/biden/biden.jpg',
      'Phone/Julianne_Moore_0001.jpg': 'lfw_subset/Julianne_Moore/Julianne_Moore_0001.jpg',
      'Phone/landscape.jpg': 'compreface/_no_faces/017_0.jpg',
    });
    const group = join(album, 'Phone', 'kit_with_rose.jpg');
    const biden = join(album, 'Phone', 'biden.jpg');
    // Imported with its original: the one with more pixels is the original.
    await mkdir(join(album, 'Shared'));
    const bidenShared = join(album, 'Shared', 'biden.jpg');
    await saveCopy(biden, bidenShared, 0.47, 80);
    const engine = await Engine.open(join(work, 'library'), { analyzer: new CountingAnalyzer(pool) });
    try {
      const lib = engine.library;
      const first = await engine.import([album]);
      expect(first.resizedCopies).toBe(1);
      expect(photoAt(lib, bidenShared).copyOf?.photoId).toBe(photoAt(lib, biden).id);
      const [kit, rose] = leftToRight(lib, photoAt(lib, group));
      await nameFaces(lib, [kit.id], 'Kit');
      await nameFaces(lib, [rose.id], 'Rose');
      const [joe] = leftToRight(lib, photoAt(lib, biden));
      await nameFaces(lib, [joe.id], 'Joe');
      // Named on the original, the copy of Joe's face is Joe's too.
      const [joeShared] = leftToRight(lib, photoAt(lib, bidenShared));
      expect(told(lib.face(joeShared.id))).toEqual(told(lib.face(joe.id)));
      await rejectFaces(lib, [rose.id], 'Kit');

      // Shared at half size, compressed again; another frame of Julianne Moore's moment; the landscape at half size.
      const groupShared = join(album, 'Shared', 'kit_with_rose.jpg');
      await saveCopy(group, groupShared, 0.5, 75);
      await makeAlbum(join(album, 'Shared'), { 'Julianne_Moore_0008.jpg': 'lfw_subset/Julianne_Moore/Julianne_Moore_0008.jpg' });
      await saveCopy(join(album, 'Phone', 'landscape.jpg'), join(album, 'Shared', 'landscape.jpg'), 0.5, 75);
      const second = await engine.import([album]);
      expect(second).toMatchObject({ newPhotos: 3, resizedCopies: 1 });
      const copy = photoAt(lib, groupShared);
      const original = photoAt(lib, group);
      expect(copy.copyOf?.photoId).toBe(original.id);
      expect(photoAt(lib, join(album, 'Shared', 'Julianne_Moore_0008.jpg')).copyOf).toBeUndefined();
      expect(photoAt(lib, join(album, 'Shared', 'landscape.jpg')).copyOf).toBeUndefined();
      // Each face of the copy was told what its original face was: Kit, and Rose who is "not Kit".
      const [kitCopy, roseCopy] = leftToRight(lib, copy);
      expect(told(lib.face(kitCopy.id))).toEqual(told(lib.face(kit.id)));
      expect(told(lib.face(roseCopy.id))).toEqual({ personId: personNamed(lib, 'Rose'), assignedBy: 'user', rejectedPersonIds: [personNamed(lib, 'Kit')] });
      // The viewer says what it is a copy of, and the original which copies it has.
      expect(copyRelations(lib, copy)).toEqual({ copyOf: { photoId: original.id, path: group }, copies: [] });
      expect(copyRelations(lib, original).copies).toEqual([{ photoId: copy.id, path: groupShared }]);

      // A name given to the copy's face is the original's, in one step: one Undo takes both back.
      await nameFaces(lib, [roseCopy.id], 'Rose Leslie');
      expect(lib.face(rose.id)!.personId).toBe(personNamed(lib, 'Rose Leslie'));
      await undoDecision(lib);
      expect(told(lib.face(rose.id))).toEqual(told(lib.face(roseCopy.id)));
      expect(lib.face(rose.id)!.personId).toBe(personNamed(lib, 'Rose'));

      // Undo of the import's finding: the copy is a photo of its own again, its faces as they were before it.
      const undone = await undoDecision(lib);
      expect(undone.message).toBe('The photo found to be a copy is a photo of its own again, 2 faces as they were.');
      expect(lib.photo(copy.id)!.copyOf).toBeUndefined();
      expect(lib.face(kitCopy.id)!.assignedBy).not.toBe('user');
      expect(lib.face(kit.id)).toMatchObject({ personId: personNamed(lib, 'Kit'), assignedBy: 'user' });
      await redoDecision(lib);
      expect(lib.photo(copy.id)!.copyOf?.photoId).toBe(original.id);
      expect(told(lib.face(kitCopy.id))).toEqual(told(lib.face(kit.id)));

      // "Not a copy": what each face was told stays, and a decision about one no longer reaches the other.
      await notACopy(lib, copy.id);
      expect(lib.photo(copy.id)!.copyOf).toBeUndefined();
      await rejectFaces(lib, [kit.id], 'Rose');
      expect(lib.face(kitCopy.id)!.rejectedPersonIds).not.toContain(personNamed(lib, 'Rose'));
      await undoDecision(lib);
      await undoDecision(lib);
      expect(lib.photo(copy.id)!.copyOf?.photoId).toBe(original.id);
      await rejectFaces(lib, [kit.id], 'Rose');
      expect(told(lib.face(kitCopy.id))).toEqual(told(lib.face(kit.id)));
      await expect(notACopy(lib, original.id)).rejects.toThrow('This photo is not taken for a copy of another.');
    } finally {
      await engine.close();
    }
  });

  it('finds the copy of a photo analysed before picture hashes were kept, reading its hash from the file, and keeps it', async () => {
    const album = await makeAlbum(join(work, 'older'), { 'Phone/biden.jpg': 'face_recognition/biden/biden.jpg' });
    const biden = join(album, 'Phone', 'biden.jpg');
    const engine = await Engine.open(join(work, 'older-library'), { analyzer: new CountingAnalyzer(pool) });
    try {
      const lib = engine.library;
      await engine.import([album]);
      // As a library from before hashes were kept has it.
      await lib.transaction((tx) => {
        const photo = { ...photoAt(lib, biden) };
        delete photo.pictureHash;
        tx.put('photos', [photo]);
      });
      expect(photoAt(lib, biden).pictureHash).toBeUndefined();
      await mkdir(join(album, 'Shared'));
      const shared = join(album, 'Shared', 'biden.jpg');
      await saveCopy(biden, shared, 0.5, 75);
      expect((await engine.import([album])).resizedCopies).toBe(1);
      expect(photoAt(lib, shared).copyOf?.photoId).toBe(photoAt(lib, biden).id);
      expect(photoAt(lib, biden).pictureHash).toBe(pictureHash((await decodePhoto(biden, lib.settings.analysisMaxSide)).image));
    } finally {
      await engine.close();
    }
  });

  it('is told from other shots of one sitting, where only an eye closed or the mouth moved (QA: yalefaces took 11 for copies); a long check says how far it is', async () => {
    // yalefaces: one man against one wall, the head still; the hash and the faces' descriptions hardly move between these.
    const shots = ['noglasses', 'happy', 'sad', 'sleepy', 'normal'];
    const album = await makeAlbum(join(work, 'sitting'), Object.fromEntries(shots.map((shot) => [`Studio/${shot}.gif`, `yalefaces/subject10/subject10.${shot}.gif`])));
    const neutral = join(album, 'Studio', 'noglasses.gif');
    await mkdir(join(album, 'Shared'));
    const [halfSize, sameSize] = [join(album, 'Shared', 'half.jpg'), join(album, 'Shared', 'same.jpg')];
    await saveCopy(neutral, halfSize, 0.5, 75);
    await saveCopy(neutral, sameSize, 1, 60);
    const engine = await Engine.open(join(work, 'sitting-library'), { analyzer: new CountingAnalyzer(pool) });
    try {
      const lib = engine.library;
      const summary = await engine.import([album]);
      expect(summary.resizedCopies).toBe(2);
      expect(photoAt(lib, halfSize).copyOf?.photoId).toBe(photoAt(lib, neutral).id);
      expect(photoAt(lib, sameSize).copyOf?.photoId).toBe(photoAt(lib, neutral).id);
      for (const shot of shots) expect(photoAt(lib, join(album, 'Studio', `${shot}.gif`)).copyOf, shot).toBeUndefined();

      // The check reads files for the likely copies: once it takes a while, the import says how far it is (an album of
      // a thousand exports sat at "Finding faces, 100 %" meanwhile). A clock that runs fast here makes it a while.
      const reports: JobProgress[] = [];
      let now = performance.now();
      const clock = vi.spyOn(performance, 'now').mockImplementation(() => (now += 400));
      try {
        await linkCopies(lib, lib.photos.map((p) => p.id), { onProgress: (p) => reports.push(p) });
      } finally {
        clock.mockRestore();
      }
      const unlinked = lib.photos.filter((p) => !p.copyOf).length;
      expect(reports.length).toBeGreaterThan(0);
      for (const report of reports) {
        expect(report).toMatchObject({ job: 'import', stage: 'copies', total: unlinked });
        expect(report.message).toBe(`Comparing the new photos with those they may be copies of: ${report.done} of ${unlinked}`);
      }
      expect(reports.map((r) => r.done)).toEqual([...reports.map((r) => r.done)].sort((a, b) => a - b));
      // The last word is that all were compared, not "4 of 5".
      expect(reports.at(-1)!.done).toBe(unlinked);
      // Familiar closing stops it: nothing more is compared or linked.
      const closing = new AbortController();
      closing.abort();
      const asked: JobProgress[] = [];
      expect(await linkCopies(lib, lib.photos.map((p) => p.id), { onProgress: (p) => asked.push(p), signal: closing.signal })).toEqual({ copies: 0 });
    } finally {
      await engine.close();
    }
  });
});

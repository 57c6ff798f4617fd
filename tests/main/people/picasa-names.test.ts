// Names a family gave in Picasa, read from the .picasa.ini files it left beside the photos, on real photos analysed by
// the real pipeline: a fresh library's import names the faces Picasa tagged (photos stored sideways too, whichever
// picture Picasa's rectangles were drawn on), leaves the faces nobody named in Picasa alone, takes the names of older
// Picasa versions from its contacts.xml, and reads damaged files without losing anything.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { JobCancelledError, ShuttingDown } from '../../../main/jobs/progress.js';
import { displayToStoredRect, type NormalizedRect } from '../../../main/library/xmp-regions.js';
import { rejectFaces } from '../../../main/people/index.js';
import { importNamesFromOtherApps } from '../../../main/people/xmp-names.js';
import { fromFolderSentence, namesReadSentence, namesReadUndoes } from '../../../preload/contract.js';
import type { Library } from '../../../main/store/library.js';
import type { FaceRecord, PhotoRecord } from '../../../main/store/types.js';
import type { Box } from '../../../models/types.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';
import { lfwPhoto, makeAlbum, writeLandscapeWithSmallFace } from '../library/helpers.js';

const ALBUM = {
  'summer/kit_with_rose.jpg': 'face_recognition/_group_photos/kit_with_rose.jpg',
  'convention/obama_and_biden.jpg': 'face_recognition/_group_photos/obama_and_biden.jpg',
};

/** A photo of the pair whose file name is decomposed (NFD), as on a Mac. */
const NIGHT_FILE = 'Cafe\u0301 night.jpg';

let pool: CachedAnalysis;
let work: string;
let album: string;
/** Each photo's faces as the pipeline finds them, left to right, from a library that read no names. */
let facesFound: Map<string, { photo: PhotoRecord; boxes: Box[] }>;

const photoNamed = (library: Library, file: string) => library.photos.find((p) => p.paths.some((path) => path.endsWith(`/${file}`)))!;
const facesOf = (library: Library, file: string): FaceRecord[] => [...library.facesOfPhoto(photoNamed(library, file).id)].sort((a, b) => a.box[0] - b.box[0]);
const namesOf = (library: Library, file: string) => facesOf(library, file).map((f) => library.people.people.find((p) => p.id === f.personId)?.name ?? null);

/** Picasa's rect64 for a face box, grown a little as Picasa drew its rectangles, in fractions of `width` x `height`. */
function rect64(rect: NormalizedRect): string {
  const grow = 0.1;
  const [left, top, right, bottom] = [
    rect.x - rect.width * grow,
    rect.y - rect.height * grow,
    rect.x + rect.width * (1 + grow),
    rect.y + rect.height * (1 + grow),
  ].map((v) => Math.round(Math.min(1, Math.max(0, v)) * 65535).toString(16).padStart(4, '0'));
  // Picasa writes the number without its leading zeros.
  return `rect64(${`${left}${top}${right}${bottom}`.replace(/^0+/, '')})`;
}
const fractions = (box: Box, photo: PhotoRecord): NormalizedRect => ({ x: box[0] / photo.width, y: box[1] / photo.height, width: box[2] / photo.width, height: box[3] / photo.height });

/**
 * A landscape with one small face (a real LFW photo of Tony Blair shrunk to 110 px in a 3000 px photo): at the import's
 * analysis size the detector misses it. Three more photos of him; nobody named anyone in Picasa, whose unnamed faces
 * are the small face and a patch of landscape its detector took for one.
 */
async function writeWalks(name: string): Promise<string> {
  const folder = join(work, name);
  await mkdir(folder, { recursive: true });
  await writeLandscapeWithSmallFace(join(folder, 'landscape.jpg'), lfwPhoto('Tony_Blair', 1));
  for (const n of [2, 3, 4]) await sharp(lfwPhoto('Tony_Blair', n)).toFile(join(folder, `blair-${n}.jpg`));
  const at = (x: number, y: number, w: number, h: number) => rect64({ x: x / 3000, y: y / 2000, width: w / 3000, height: h / 2000 });
  await writeFile(join(folder, '.picasa.ini'), `[landscape.jpg]\r\nfaces=${at(2425, 322, 60, 70)},ffffffffffffffff;${at(500, 1500, 60, 70)},ffffffffffffffff\r\n`);
  return folder;
}

beforeAll(async () => {
  pool = new CachedAnalysis(2);
  work = await mkdtemp(join(tmpdir(), 'familiar-picasa-'));
  album = await makeAlbum(join(work, 'album'), ALBUM);
  // The pair again, stored sideways (pixels turned a quarter left, EXIF orientation 6 shows them upright), twice: Picasa's
  // rectangles are given on the stored pixels for one and on the photo as shown for the other.
  const upright = await readFile(join(album, 'summer/kit_with_rose.jpg'));
  // Saved at two qualities: two photos, not one photo at two paths.
  for (const [name, quality] of [['sideways_stored.jpg', 92], ['sideways_shown.jpg', 90]] as const) {
    await sharp(upright).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality }).toFile(join(album, 'summer', name));
  }
  // Its name in the decomposed form a Mac gives it ("e" and a combining accent), where Picasa on Windows wrote "é".
  await sharp(upright).jpeg({ quality: 88 }).toFile(join(album, 'summer', NIGHT_FILE));
  const probe = await Engine.open(join(work, 'probe'), { analyzer: pool });
  try {
    await probe.import([album], { readNames: false });
    facesFound = new Map(
      ['kit_with_rose.jpg', 'sideways_stored.jpg', 'sideways_shown.jpg', NIGHT_FILE, 'obama_and_biden.jpg'].map((file) => [
        file,
        { photo: photoNamed(probe.library, file), boxes: facesOf(probe.library, file).map((f) => f.box) },
      ]),
    );
  } finally {
    await probe.close();
  }
}, 300_000);

afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("names from Picasa's .picasa.ini", () => {
  it("names the faces Picasa 3.9 tagged on import, sideways photos whichever picture its rectangles were drawn on, a Mac's file names too", async () => {
    const pair = facesFound.get('kit_with_rose.jpg')!;
    // Rose Leslie stands left of Kit Harington in every copy once it is shown upright.
    expect(pair.boxes).toHaveLength(2);
    const faces = (file: string, stored: boolean) => {
      const { photo, boxes } = facesFound.get(file)!;
      const [rose, kit] = boxes.map((box) => (stored ? displayToStoredRect(fractions(box, photo), photo.orientation) : fractions(box, photo)));
      return `faces=${rect64(rose)},8e62398ebda8c1a5;${rect64(kit)},d10a8325c557b085`;
    };
    await writeFile(
      join(album, 'summer/.picasa.ini'),
      [
        '[Picasa]',
        'name=Summer',
        '[Contacts2]',
        '8e62398ebda8c1a5=Rose Leslie;;',
        'd10a8325c557b085=Kit Harington;kit@example.com;',
        '[kit_with_rose.jpg]',
        faces('kit_with_rose.jpg', false),
        'backuphash=36003',
        // Windows ignores case: Picasa's section may not match the file's name letter for letter.
        '[SIDEWAYS_STORED.JPG]',
        faces('sideways_stored.jpg', true),
        '[sideways_shown.jpg]',
        faces('sideways_shown.jpg', false),
        '[Caf\u00e9 night.jpg]',
        faces(NIGHT_FILE, false),
        '',
      ].join('\r\n'),
    );
    const engine = await Engine.open(join(work, 'fresh'), { analyzer: pool });
    try {
      const { names } = await engine.import([album]);
      const lib = engine.library;
      for (const file of ['kit_with_rose.jpg', 'sideways_stored.jpg', 'sideways_shown.jpg', NIGHT_FILE]) expect(namesOf(lib, file), file).toEqual(['Rose Leslie', 'Kit Harington']);
      // Counted as People and the Undo count them: the three others are copies of the pair, their faces its two.
      expect(names).toMatchObject({ facesNamed: 2, conflicts: 0 });
      expect([...names!.newPeople].sort()).toEqual(['Kit Harington', 'Rose Leslie']);
      // Named as the user names: confirmed, one decision that undo takes back; each photo by its own tags, not placed
      // beside the others (the re-saved copy under the Mac's name too).
      for (const file of ['kit_with_rose.jpg', 'sideways_stored.jpg', 'sideways_shown.jpg', NIGHT_FILE]) expect(facesOf(lib, file).map((f) => f.assignedBy), file).toEqual(['user', 'user']);

      // The user's own answer wins over Picasa's when the names are read again.
      const kit = facesOf(lib, 'kit_with_rose.jpg')[1];
      const person = lib.people.people.find((p) => p.name === 'Kit Harington')!;
      await rejectFaces(lib, [kit.id], person.id);
      const again = await importNamesFromOtherApps(lib);
      // (The sideways copies are the same sighting of him: the answer holds for them too, docs/clustering.md.)
      expect(again.conflicts).toContainEqual(expect.objectContaining({ faceId: kit.id, name: 'Kit Harington', reason: 'you said this face is not "Kit Harington"' }));
      expect(again.conflicts.every((c) => c.reason === 'you said this face is not "Kit Harington"')).toBe(true);
      expect(again.facesNamed).toBe(0);
      expect(namesOf(lib, 'kit_with_rose.jpg')).toEqual(['Rose Leslie', null]);
    } finally {
      await engine.close();
    }
  }, 300_000);

  it('takes the names an older Picasa kept in its contacts.xml, and leaves the faces nobody named in Picasa alone', async () => {
    const { photo, boxes } = facesFound.get('obama_and_biden.jpg')!;
    // Joe Biden stands left of Barack Obama; a girl at the edge, whom the family never named.
    expect(boxes.length).toBeGreaterThanOrEqual(2);
    const tagged = boxes.map((box, i) => `${rect64(fractions(box, photo))},${['51c1e2b6d8a3f470', '6ab0e2d4c1f8e395'][i] ?? 'ffffffffffffffff'}`);
    // Picasa 2's file name; no [Contacts2], as before version 3.9.
    await writeFile(join(album, 'convention/Picasa.ini'), `[obama_and_biden.jpg]\nfaces=${tagged.join(';')}\n`);
    // Damaged files elsewhere lose nothing: a binary .picasa.ini, and one that is a folder, each beside a photo.
    await makeAlbum(album, { 'damaged/obama_small.jpg': 'face_recognition/obama/obama_small.jpg', 'odd/two_people.jpg': 'face_recognition/_group_photos/two_people.jpg' });
    await writeFile(join(album, 'damaged/.picasa.ini'), Buffer.from([0, 159, 146, 150, 255, 0, 1, 2]));
    await mkdir(join(album, 'odd/.picasa.ini'));
    const engine = await Engine.open(join(work, 'old-picasa'), { analyzer: pool });
    try {
      await engine.import([album]);
      const lib = engine.library;
      expect(namesOf(lib, 'obama_and_biden.jpg').every((name) => name === null)).toBe(true);
      expect(lib.photos).toHaveLength(7);
      // Another folder tagged by the same old Picasa: Barack Obama in a photo of his own.
      const small = photoNamed(lib, 'obama_small.jpg');
      await makeAlbum(album, { 'later/obama_small.jpg': 'face_recognition/obama/obama_small.jpg' });
      await writeFile(join(album, 'later/.picasa.ini'), `[obama_small.jpg]\nfaces=${rect64(fractions(facesOf(lib, 'obama_small.jpg')[0].box, small))},6ab0e2d4c1f8e395\n`);
      await engine.import([join(album, 'later')]);
      // Read again, it says where the names are, once for both files, and which file it could not read.
      const reread = await importNamesFromOtherApps(lib);
      expect(reread.facesNamed).toBe(0);
      const unnamedContacts = reread.skipped.filter((s) => s.reason.includes('contacts.xml'));
      expect(unnamedContacts).toEqual([{ path: join(album, 'convention/Picasa.ini'), reason: expect.stringContaining('3 faces are tagged in this Picasa file and 1 more') }]);
      expect(reread.skipped).toContainEqual({ path: join(album, 'odd/.picasa.ini'), reason: expect.stringContaining('not a regular file') });
      // The summer folder's names arrive as ever, beside the damaged file.
      expect(namesOf(lib, 'kit_with_rose.jpg')).toEqual(['Rose Leslie', 'Kit Harington']);

      // The user copied Picasa's application data (Google/Picasa2) and reads the names from it.
      const appData = join(work, 'LocalAppData');
      await mkdir(join(appData, 'Google/Picasa2/contacts'), { recursive: true });
      await writeFile(
        join(appData, 'Google/Picasa2/contacts/contacts.xml'),
        `<?xml version="1.0" encoding="utf-8" ?>\n<contacts>\n <contact id="51c1e2b6d8a3f470" name="Joe Biden" display="Joe" modified_time="2010-01-01T00:00:00+00:00" local_contact="1"/>\n <contact id="6ab0e2d4c1f8e395" name="Barack Obama" display="Barack" modified_time="2010-01-01T00:00:00+00:00" local_contact="1"/>\n</contacts>\n`,
      );
      const read = await importNamesFromOtherApps(lib, { from: join(appData, 'Google') });
      expect(read).toMatchObject({ facesNamed: 3, fromFolder: { sidecars: 0, picasaContacts: 2 } });
      expect(namesOf(lib, 'obama_small.jpg')).toEqual(['Barack Obama']);
      // Said as what the folder held, not as "no sidecars found".
      expect(fromFolderSentence(read.fromFolder!)).toBe(`Found Picasa's contacts.xml in ${join(appData, 'Google')} (2 names).`);
      const after = namesOf(lib, 'obama_and_biden.jpg');
      expect(after.slice(0, 2)).toEqual(['Joe Biden', 'Barack Obama']);
      expect(after.slice(2).every((name) => name === null)).toBe(true);
    } finally {
      await engine.close();
    }
  }, 300_000);

  it('looks closer where Picasa marked a face nobody named and the detector found none, and groups the face found with the import\'s own', async () => {
    const folder = await writeWalks('walks');
    const engine = await Engine.open(join(work, 'walks-library'), { analyzer: pool });
    try {
      const { names } = await engine.import([folder]);
      const lib = engine.library;
      // Found and kept as a face the detector confirms; the patch of landscape is not kept.
      const [found] = facesOf(lib, 'landscape.jpg');
      expect(facesOf(lib, 'landscape.jpg')).toHaveLength(1);
      expect(found.undetected).toBeUndefined();
      expect(found.box[0] + found.box[2] / 2).toBeGreaterThan(2425);
      expect(found.box[0] + found.box[2] / 2).toBeLessThan(2485);
      // Grouped with the import's own faces of him, as if the import had found it.
      const blair = facesOf(lib, 'blair-2.jpg')[0].personId;
      expect(blair).not.toBeNull();
      expect(lib.face(found.id)!.personId).toBe(blair);
      for (const n of [3, 4]) expect(facesOf(lib, `blair-${n}.jpg`)[0].personId).toBe(blair);
      // Nobody was named; the import's summary says what the names read found (its Undo takes the face out).
      expect(names).toMatchObject({ facesNamed: 0, facesAdded: 0, unnamedFacesFound: 1, decision: expect.stringMatching(/^Added 1 face Familiar had missed/) });
      expect(namesReadSentence({ names, namesNotRead: false })).toBe('Another app marked a face the detector had missed, with no name: it was added.');
      expect(namesReadUndoes(names!)).toBe('the face out again');
    } finally {
      await engine.close();
    }
  }, 300_000);

  it('leaves the face it found to the next open when Familiar closes before the import groups its faces', async () => {
    const folder = await writeWalks('walks-closed');
    const engine = await Engine.open(join(work, 'walks-closed-library'), { analyzer: pool });
    try {
      // Every file read and the names read, then Familiar closing as the faces are grouped.
      const closing = new AbortController();
      const stopped = await engine
        .import([folder], { signal: closing.signal, onProgress: (p) => p.stage === 'cluster' && closing.abort(new ShuttingDown()) })
        .then(() => null, (err: unknown) => err);
      expect(stopped).toBeInstanceOf(JobCancelledError);
      const lib = engine.library;
      const [found] = facesOf(lib, 'landscape.jpg');
      expect(found).toBeDefined();
      expect(found.drawn).toBe(true);
      // Waiting for a grouping, with the import's own faces (it was stored in no group, for nothing ever to place).
      expect(lib.faces.every((f) => f.unplaced && f.personId === null)).toBe(true);
      expect(engine.hasUngroupedFaces()).toBe(true);
      // What the next open runs: grouped with the import's faces of him.
      await engine.finishStoppedImport();
      const blair = facesOf(lib, 'blair-2.jpg')[0].personId;
      expect(blair).not.toBeNull();
      expect(lib.face(found.id)!.personId).toBe(blair);
      expect(engine.hasUngroupedFaces()).toBe(false);
    } finally {
      await engine.close();
    }
  }, 300_000);
});

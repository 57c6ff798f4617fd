// "No, not Rose" answers travel with the names, on real photos analysed by the real pipeline: an export writes each
// face's rejections into its sidecar (familiar:NotNames), and the folder removed and imported again, or a fresh library
// of the same photos, takes them back instead of asking again. The user's own confirmation wins over a sidecar's "not";
// a garbled list is passed over with nothing lost; another app's sidecar stays valid and as it was.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { buildFamiliarSidecar, parseXmpRegions } from '../../../main/library/xmp-regions.js';
import { nameFaces, rejectFaces, undoDecision } from '../../../main/people/index.js';
import { exportNamesToXmp, importNamesFromOtherApps, sidecarPathFor } from '../../../main/people/xmp-names.js';
import type { Library } from '../../../main/store/library.js';
import type { FaceRecord } from '../../../main/store/types.js';
import { namespacesOf, xmpMeaning } from '../../helpers/xmp-meaning.js';
import { makeAlbum, SMALL_ALBUM } from '../library/helpers.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';

/** A pair, a group of three strangers and a portrait, each in a folder of its own (the group's is removed and imported again). */
const ALBUM = {
  'pair/kit_with_rose.jpg': SMALL_ALBUM['groups/kit_with_rose.jpg'],
  'group/011_3.jpg': SMALL_ALBUM['groups/011_3.jpg'],
  'one/obama_small.jpg': SMALL_ALBUM['obama/obama_small.jpg'],
};

// The run's answers (tests/helpers/analysis-cache.ts): names are the subject, on photos imported again.
let pool: CachedAnalysis;
let work: string;

beforeAll(async () => {
  pool = new CachedAnalysis(2);
  work = await mkdtemp(join(tmpdir(), 'familiar-xmp-not-'));
}, 120_000);

afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** What the last openLibrary's import read from the photos' face tags. */
let namesReadOnImport: Awaited<ReturnType<Engine['import']>>['names'] = null;

async function openLibrary(name: string, album: string, options: { readNamesOnImport?: boolean } = {}): Promise<Engine> {
  const engine = await Engine.open(join(work, name), { analyzer: pool });
  if (options.readNamesOnImport !== undefined) {
    await engine.library.transaction((tx) => {
      tx.settings.readNamesOnImport = options.readNamesOnImport;
    });
  }
  namesReadOnImport = (await engine.import([album])).names;
  return engine;
}

const photoNamed = (library: Library, file: string) => library.photos.find((p) => p.paths.some((path) => path.endsWith(`/${file}`)))!;
/** A photo's faces left to right (the same order in every library: same photo, same detector). */
const facesOf = (library: Library, file: string): FaceRecord[] => [...library.facesOfPhoto(photoNamed(library, file).id)].sort((a, b) => a.box[0] - b.box[0]);
const personNamed = (library: Library, name: string) => library.people.people.find((p) => p.name === name)!;
/** Whom a face is said not to be, by name, sorted. */
const notOf = (library: Library, face: FaceRecord) =>
  library.face(face.id)!.rejectedPersonIds.map((id) => library.people.people.find((p) => p.id === id)?.name ?? id).sort();
const nameOf = (library: Library, face: FaceRecord) => library.people.people.find((p) => p.id === library.face(face.id)!.personId)?.name ?? null;

function strictXml(xml: string) {
  return new DOMParser({
    onError: (level, message) => {
      throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(xml.replace(/^\uFEFF/, '').trim(), 'text/xml');
}

/** A face's place as an MWG area, loosened as other apps draw it (head and hair). */
function mwgArea(library: Library, face: FaceRecord, pad = 0): string {
  const photo = library.photo(face.photoId)!;
  const [x, y, w, h] = face.box;
  const area = [(x + w / 2) / photo.width, (y + h / 2) / photo.height, (w * (1 + 2 * pad)) / photo.width, (h * (1 + 2 * pad)) / photo.height];
  return `<mwg-rs:Area stArea:x="${area[0]}" stArea:y="${area[1]}" stArea:w="${area[2]}" stArea:h="${area[3]}" stArea:unit="normalized"/>`;
}

describe('"not this person" answers in the sidecars', () => {
  it('come back when the folder is removed and imported again, and in a fresh library, in the decision that names the faces', async () => {
    const album = await makeAlbum(join(work, 'album-round-trip'), ALBUM);
    const source = await openLibrary('source', album);
    try {
      const lib = source.library;
      const [kit, rose] = facesOf(lib, 'kit_with_rose.jpg');
      const [obama] = facesOf(lib, 'obama_small.jpg');
      const group = facesOf(lib, '011_3.jpg');
      expect(group).toHaveLength(3);
      await nameFaces(lib, [kit.id], 'Kit Harington');
      await nameFaces(lib, [rose.id], 'Rose Leslie');
      await nameFaces(lib, [obama.id], 'Barack Obama');
      // "Is this Kit?" No, twice; "Which one?" Neither; and a named face that is not Kit either.
      await rejectFaces(lib, [group[0].id], 'Kit Harington');
      await rejectFaces(lib, [group[1].id], ['Kit Harington', 'Rose Leslie']);
      await rejectFaces(lib, [obama.id], 'Kit Harington');

      const exported = await exportNamesToXmp(lib);
      // The group photo has no name, only answers: it gets a sidecar of its own, with no region or keyword other apps show.
      expect(exported).toMatchObject({ photosWithNames: 2, photosWithAnswersOnly: 1, written: 3, skipped: [], conflicts: [] });
      const groupSidecar = await readFile(sidecarPathFor(photoNamed(lib, '011_3.jpg').paths[0]), 'utf8');
      expect(parseXmpRegions(groupSidecar, 1)).toMatchObject({ regions: [], hasOtherContent: false });
      expect(parseXmpRegions(groupSidecar, 1).notNames.map((entry) => entry.names)).toEqual([['Kit Harington'], ['Kit Harington', 'Rose Leslie']]);
      expect(groupSidecar).not.toContain('mwg-rs:');
      expect(await exportNamesToXmp(lib)).toMatchObject({ written: 0, unchanged: 3 });
      // An answer taken back in Familiar leaves the sidecar too.
      await rejectFaces(lib, [group[2].id], 'Barack Obama');
      expect(await exportNamesToXmp(lib)).toMatchObject({ written: 1, unchanged: 2 });
      expect(parseXmpRegions(await readFile(sidecarPathFor(photoNamed(lib, '011_3.jpg').paths[0]), 'utf8'), 1).notNames).toHaveLength(3);

      // The user's complaint: the folder removed and imported again asked the same questions again. The answers come
      // back with the faces, kept when they went; the sidecars, saying the same, add none.
      await source.removeFolder(join(album, 'group'));
      expect(photoNamed(lib, '011_3.jpg')).toBeUndefined();
      const again = await source.import([join(album, 'group')]);
      expect(again).toMatchObject({ restoredDecisions: 3 });
      expect(again.names?.rejectionsRead ?? 0).toBe(0);
      const back = facesOf(lib, '011_3.jpg');
      expect(back.map((f) => notOf(lib, f))).toEqual([['Kit Harington'], ['Kit Harington', 'Rose Leslie'], ['Barack Obama']]);
      for (const face of back) expect(nameOf(lib, face)).toBeNull();
    } finally {
      await source.close();
    }

    // A fresh library of the same photos: the people the names enrol in this very import are the ones the answers are of.
    const fresh = await openLibrary('fresh', album);
    try {
      const lib = fresh.library;
      expect(namesReadOnImport).toMatchObject({ facesNamed: 3, rejectionsRead: 5, newPeople: ['Barack Obama', 'Kit Harington', 'Rose Leslie'] });
      expect(namesReadOnImport!.decision).toMatch(/^Named 3 faces from photo metadata .*; read 5 "not this person" answers too\.$/);
      const group = facesOf(lib, '011_3.jpg');
      expect(group.map((f) => notOf(lib, f))).toEqual([['Kit Harington'], ['Kit Harington', 'Rose Leslie'], ['Barack Obama']]);
      const [obama] = facesOf(lib, 'obama_small.jpg');
      expect([nameOf(lib, obama), notOf(lib, obama)]).toEqual(['Barack Obama', ['Kit Harington']]);
      // Grouping after the import respected them: none of those faces is with a person it is not.
      for (const face of [...group, obama]) expect(lib.face(face.id)!.rejectedPersonIds).not.toContain(lib.face(face.id)!.personId);
      // Reading again takes nothing twice.
      expect(await importNamesFromOtherApps(lib)).toMatchObject({ facesNamed: 0, rejectionsRead: 0, decision: null });
      // One undo takes back the names and the answers together.
      await undoDecision(lib, { onlyIfLatestIs: 'import-names' });
      expect([...group, obama].map((f) => lib.face(f.id)!.rejectedPersonIds)).toEqual([[], [], [], []]);
    } finally {
      await fresh.close();
    }
  }, 240_000);

  it("never overrides the user's confirmation, frees a face Familiar only placed, and takes a name once someone has it", async () => {
    const album = await makeAlbum(join(work, 'album-confirmed'), ALBUM);
    const engine = await openLibrary('confirmed', album, { readNamesOnImport: false });
    try {
      const lib = engine.library;
      const [kit] = facesOf(lib, 'kit_with_rose.jpg');
      const group = facesOf(lib, '011_3.jpg');
      const photo = photoNamed(lib, '011_3.jpg');
      await nameFaces(lib, [kit.id], 'Kit Harington');
      // Here the user confirmed the first face as Kit; Familiar only placed the second with him.
      await nameFaces(lib, [group[0].id], 'Kit Harington');
      const kitId = personNamed(lib, 'Kit Harington').id;
      await lib.transaction((tx) => {
        Object.assign(tx.faces.find((f) => f.id === group[1].id)!, { personId: kitId, assignedBy: 'cluster' });
      });
      // Another library's sidecar says all three are not Kit, and the third is not "Nobody Here", whom no one is called.
      const box = (f: FaceRecord) => ({ x: f.box[0], y: f.box[1], width: f.box[2], height: f.box[3] });
      const sidecar = sidecarPathFor(photo.paths[0]);
      await writeFile(
        sidecar,
        buildFamiliarSidecar({
          displayWidth: photo.width,
          displayHeight: photo.height,
          orientation: photo.orientation,
          faces: [],
          notNames: [
            { box: box(group[0]), names: ['Kit Harington'] },
            { box: box(group[1]), names: ['Kit Harington'] },
            { box: box(group[2]), names: ['Kit Harington', 'Nobody Here'] },
          ],
          exportedAt: '2026-01-01T00:00:00.000Z',
        }),
      );

      const read = await importNamesFromOtherApps(lib);
      expect(read.rejectionsRead).toBe(2);
      // The confirmation stands, said as a conflict.
      expect([nameOf(lib, group[0]), lib.face(group[0].id)!.assignedBy, notOf(lib, group[0])]).toEqual(['Kit Harington', 'user', []]);
      expect(read.conflicts).toEqual([{ faceId: group[0].id, path: photo.paths[0], name: 'not Kit Harington', reason: 'you confirmed this face as "Kit Harington"' }]);
      // Familiar's own placement gives way, as a No in the app would.
      expect([nameOf(lib, group[1]), notOf(lib, group[1])]).toEqual([null, ['Kit Harington']]);
      expect(notOf(lib, group[2])).toEqual(['Kit Harington']);

      // Someone is given the name later: reading the names again takes that answer too.
      await nameFaces(lib, [facesOf(lib, 'obama_small.jpg')[0].id], 'Nobody Here');
      expect(await importNamesFromOtherApps(lib)).toMatchObject({ rejectionsRead: 1, facesNamed: 0 });
      expect(notOf(lib, group[2])).toEqual(['Kit Harington', 'Nobody Here']);
    } finally {
      await engine.close();
    }
  }, 240_000);

  it("go into another app's sidecar, which stays valid, outlive that app rewriting its regions, and a garbled list is passed over with nothing lost", async () => {
    const album = await makeAlbum(join(work, 'album-other-app'), ALBUM);
    const engine = await openLibrary('other-app', album, { readNamesOnImport: false });
    const sidecar = sidecarPathFor(join(album, 'group/011_3.jpg'));
    let digikam: string;
    try {
      const lib = engine.library;
      const group = facesOf(lib, '011_3.jpg');
      const photo = photoNamed(lib, '011_3.jpg');
      const region = (f: FaceRecord, name: string) => `<rdf:li><rdf:Description mwg-rs:Name="${name}" mwg-rs:Type="Face">${mwgArea(lib, f, 0.15)}</rdf:Description></rdf:li>`;
      // digiKam's sidecar: a rating, Ana and Ben tagged, and a list of Familiar's some tool mangled (text, a box of garbage).
      const regions = (names: string) => `<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:AppliedToDimensions stDim:w="${photo.width}" stDim:h="${photo.height}" stDim:unit="pixel"/>
<mwg-rs:RegionList><rdf:Bag>${names}</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>`;
      digikam = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" xmlns:familiar="https://familiar.app/ns/1.0/" xmp:Rating="4">
${regions(region(group[0], 'Ana') + region(group[1], 'Ben'))}
<familiar:NotNames><rdf:Bag><rdf:li>Ana</rdf:li><rdf:li rdf:parseType="Resource"><familiar:Area stArea:x="oops" stArea:y="0.5" stArea:w="0.1" stArea:h="0.1"/><familiar:Names><rdf:Bag><rdf:li>Ben</rdf:li></rdf:Bag></familiar:Names></rdf:li></rdf:Bag></familiar:NotNames>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`;
      await writeFile(sidecar, digikam);

      // The garbled list says nothing; the names are read as ever.
      const read = await importNamesFromOtherApps(lib);
      expect(read).toMatchObject({ facesNamed: 2, rejectionsRead: 0, skipped: [], conflicts: [] });
      expect(group.map((f) => [nameOf(lib, f), notOf(lib, f)])).toEqual([['Ana', []], ['Ben', []], [null, []]]);

      // The user says the third face is not Ana, nor Ben: the export writes that into digiKam's file, keeping all of it.
      await rejectFaces(lib, [group[2].id], ['Ana', 'Ben']);
      const exported = await exportNamesToXmp(lib);
      expect(exported).toMatchObject({ written: 1, intoOtherApps: 1, backups: 1, skipped: [], conflicts: [] });
      expect(await readFile(join(exported.backupFolder!, sidecar), 'utf8')).toBe(digikam);
      const merged = await readFile(sidecar, 'utf8');
      strictXml(merged);
      const keywords = ['Ana', 'Ben'].flatMap((name) => [name, `People|${name}`, `People/${name}`]);
      expect(xmpMeaning(merged, keywords)).toEqual(xmpMeaning(digikam));
      for (const declaration of namespacesOf(digikam)) expect(namespacesOf(merged)).toContain(declaration);
      expect(parseXmpRegions(merged, 1).regions.map((r) => r.name)).toEqual(['Ana', 'Ben']);
      expect(parseXmpRegions(merged, 1).notNames.map((entry) => entry.names)).toEqual([['Ana', 'Ben']]);
      expect(merged.match(/<familiar:NotNames>/g)).toHaveLength(1);
      expect(merged).not.toContain('oops');
      expect(await exportNamesToXmp(lib)).toMatchObject({ written: 0, unchanged: 1 });

      // digiKam writes its regions anew from its database, keeping the rest of the file: Ben renamed Benjamin, and the
      // third face tagged Ana there, against the user's No in Familiar.
      const rewritten = merged
        .replace(/<mwg-rs:Regions[\s\S]*<\/mwg-rs:Regions>/, regions(region(group[0], 'Ana') + region(group[1], 'Benjamin') + region(group[2], 'Ana')))
        .replace(/<MP:RegionInfo[\s\S]*<\/MP:RegionInfo>/, '');
      expect(rewritten).toContain('<familiar:NotNames>');
      await writeFile(sidecar, rewritten);
    } finally {
      await engine.close();
    }

    // A fresh library reads digiKam's names and Familiar's answers: the third face is not Ana, the user's No standing
    // over digiKam's tag as it does in the library that wrote it (a conflict, said); no one here is called Ben.
    const fresh = await openLibrary('other-app-fresh', album);
    try {
      const lib = fresh.library;
      expect(namesReadOnImport).toMatchObject({ facesNamed: 2, newPeople: ['Ana', 'Benjamin'], rejectionsRead: 1, conflicts: 1 });
      const group = facesOf(lib, '011_3.jpg');
      expect(group.map((f) => [nameOf(lib, f), notOf(lib, f)])).toEqual([['Ana', []], ['Benjamin', []], [null, ['Ana']]]);
      const read = await importNamesFromOtherApps(lib, { photoIds: new Set([group[2].photoId]) });
      expect(read.conflicts.map((c) => [c.faceId, c.name, c.reason])).toEqual([[group[2].id, 'Ana', 'you said this face is not "Ana"']]);
    } finally {
      await fresh.close();
    }
  }, 240_000);
});

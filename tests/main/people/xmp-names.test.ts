// Names in and out as XMP face regions, on real photos analysed by the real pipeline: what one library exports,
// a fresh library imports onto the same faces (including a photo stored sideways with an EXIF orientation);
// sidecars other apps wrote are read, and written into with everything of theirs kept; the user's own answers win
// over the metadata; bad files are reported and lose nothing.
import { createHash } from 'node:crypto';
import { chmod, chown, copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { parseXmpRegions } from '../../../main/library/xmp-regions.js';
import { namespacesOf, xmpMeaning } from '../../helpers/xmp-meaning.js';
import { deletePerson, hidePerson, nameFaces, rejectFaces, undoDecision, undoLast } from '../../../main/people/index.js';
import { ExportLayout } from '../../../main/people/export-layout.js';
import { exportNamesToXmp, importNamesFromOtherApps, matchRegionsToFaces, photosNamedBySidecars, readEmbeddedXmp, SIDECAR_BACKUP_DIR, sidecarPathFor } from '../../../main/people/xmp-names.js';
import { pathRules } from '../../../main/paths.js';
import type { Library } from '../../../main/store/library.js';
import type { FaceRecord, PhotoRecord } from '../../../main/store/types.js';
import { lfwPhoto, makeAlbum, writeLandscapeWithSmallFace } from '../library/helpers.js';
import { sharedFacesDir } from '../../helpers/shared-faces.js';
import { runCli } from './fixture.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';
import { nefFile } from '../../helpers/camera-raw-files.js';

const ALBUM = {
  'pair/kit_with_rose.jpg': 'face_recognition/_group_photos/kit_with_rose.jpg',
  'group/011_3.jpg': 'compreface/_group_photos/011_3.jpg',
  'one/obama_small.jpg': 'face_recognition/obama/obama_small.jpg',
};

// The run's answers (tests/helpers/analysis-cache.ts): names are the subject, on an album imported again and again.
let pool: CachedAnalysis;
let work: string;

beforeAll(async () => {
  pool = new CachedAnalysis(2);
  work = await mkdtemp(join(tmpdir(), 'familiar-xmp-'));
}, 120_000);

afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Each test its own copy of the album: sidecars written next to the photos must not leak between tests. */
async function makeTestAlbum(name: string): Promise<string> {
  const album = await makeAlbum(join(work, name), ALBUM);
  // The pair again, stored sideways: its pixels turned a quarter left and EXIF orientation 6 to show it upright,
  // as phones write portrait photos. Regions apply to the stored pixels, boxes to the upright photo.
  const upright = await readFile(join(album, 'pair/kit_with_rose.jpg'));
  await sharp(upright).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 92 }).toFile(join(album, 'pair/kit_with_rose_sideways.jpg'));
  return album;
}

/** What the last openLibrary's import read from the photos' face tags. */
let namesReadOnImport: Awaited<ReturnType<Engine['import']>>['names'] = null;

async function openLibrary(name: string, album: string, options: { readNames?: boolean; readNamesOnImport?: boolean } = {}): Promise<Engine> {
  const engine = await Engine.open(join(work, name), { analyzer: pool });
  if (options.readNamesOnImport !== undefined) {
    await engine.library.transaction((tx) => {
      tx.settings.readNamesOnImport = options.readNamesOnImport;
    });
  }
  if (engine.library.photos.length === 0) namesReadOnImport = (await engine.import([album], { readNames: options.readNames })).names;
  return engine;
}

const photoNamed = (library: Library, file: string) => library.photos.find((p) => p.paths.some((path) => path.endsWith(`/${file}`)))!;
/** A photo's faces left to right (the same order in every library: same photo, same detector). */
const facesOf = (library: Library, file: string): FaceRecord[] =>
  [...library.facesOfPhoto(photoNamed(library, file).id)].sort((a, b) => a.box[0] - b.box[0]);
const nameOf = (library: Library, face: FaceRecord) => library.people.people.find((p) => p.id === library.face(face.id)!.personId)?.name ?? null;

/** A face region around Abdullah Gul in lfw_subset/Abdullah_Gul/Abdullah_Gul_0003.jpg, as another app writes it. */
const GUL_FACE = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#"><mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag><rdf:li><rdf:Description mwg-rs:Name="Abdullah Gul" mwg-rs:Type="Face"><mwg-rs:Area stArea:x="0.4855" stArea:y="0.5215" stArea:w="0.45" stArea:h="0.51" stArea:unit="normalized"/></rdf:Description></rdf:li></rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions></rdf:Description></rdf:RDF></x:xmpmeta>`;

describe('names as XMP face regions', () => {
  it('a fresh library reads back what another exported, onto the same faces, sideways photos included', async () => {
    const album = await makeTestAlbum('album-round-trip');
    const source = await openLibrary('source', album);
    try {
      const lib = source.library;
      const [left, right] = facesOf(lib, 'kit_with_rose.jpg');
      const [sideLeft, sideRight] = facesOf(lib, 'kit_with_rose_sideways.jpg');
      expect(photoNamed(lib, 'kit_with_rose_sideways.jpg').orientation).toBe(6);
      const { personIds: [kit] } = await nameFaces(lib, [left.id], 'Kit Harington');
      // The sideways copy's Kit only grouped with him, as the clustering places faces: left out by default, and
      // exported marked unconfirmed when asked for.
      await lib.transaction((tx) => {
        Object.assign(tx.faces.find((f) => f.id === sideLeft.id)!, { personId: kit, assignedBy: 'cluster' });
      });
      await nameFaces(lib, [right.id, sideRight.id], 'Rose Leslie & co <"\'>');
      await nameFaces(lib, [facesOf(lib, 'obama_small.jpg')[0].id], 'Barack Obama');

      const confirmedOnly = await exportNamesToXmp(lib, { to: join(work, 'confirmed-only') });
      const onlyConfirmed = parseXmpRegions(await readFile(ExportLayout.of(lib).sidecarPath(photoNamed(lib, 'kit_with_rose_sideways.jpg').paths[0], join(work, 'confirmed-only')), 'utf8'), 6);
      expect(onlyConfirmed.regions.map((r) => r.name)).toEqual(['Rose Leslie & co <"\'>']);
      expect(confirmedOnly.photosWithNames).toBe(3);
      // Said, not silent: the one face left out because the user never confirmed it.
      expect(confirmedOnly.unconfirmedLeftOut).toBe(1);
      const first = await exportNamesToXmp(lib, { confirmedOnly: false });
      expect(first).toMatchObject({ photosWithNames: 3, written: 3, unchanged: 0, removed: 0, skipped: [], folder: null, unconfirmedLeftOut: 0 });
      const sidecar = await readFile(sidecarPathFor(photoNamed(lib, 'kit_with_rose_sideways.jpg').paths[0]), 'utf8');
      const parsed = parseXmpRegions(sidecar, 6);
      expect(parsed.writtenByFamiliar).toBe(true);
      expect(parsed.regions.map((r) => r.name).sort()).toEqual(['Kit Harington', 'Rose Leslie & co <"\'>']);
      expect(parsed.regions.find((r) => r.name === 'Kit Harington')!.confirmed).toBe(false);
      // A guess is in the MWG regions only, marked: keywords and Windows' regions carry no mark, so other apps would
      // take it for a tag.
      expect(sidecar).not.toContain('<rdf:li>Kit Harington</rdf:li>');
      expect(sidecar).not.toContain('MPReg:PersonDisplayName="Kit Harington"');
      expect(sidecar).toContain('<rdf:li>Rose Leslie &amp; co');
      expect(parsed.regions.find((r) => r.name !== 'Kit Harington')!.confirmed).toBeUndefined();
      // The stored regions are in the sideways pixels: AppliedToDimensions is the stored size.
      const stored = await sharp(join(album, 'pair/kit_with_rose_sideways.jpg')).metadata();
      expect(sidecar).toContain(`stDim:w="${stored.width}"`);
      // Nothing changed, nothing rewritten.
      const again = await exportNamesToXmp(lib, { confirmedOnly: false });
      expect(again).toMatchObject({ written: 0, unchanged: 3 });
      // digiKam adds a rating to one of Familiar's sidecars: a rename still reaches it (QA: it never did), the
      // rating stays, and the file as digiKam left it is kept once as a backup.
      const obamaSidecar = sidecarPathFor(photoNamed(lib, 'obama_small.jpg').paths[0]);
      const rated = (await readFile(obamaSidecar, 'utf8')).replace('rdf:about=""', 'rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="5"');
      await writeFile(obamaSidecar, rated);
      await nameFaces(lib, [facesOf(lib, 'obama_small.jpg')[0].id], 'Barack H. Obama');
      const afterEdit = await exportNamesToXmp(lib, { confirmedOnly: false });
      expect(afterEdit).toMatchObject({ written: 1, intoOtherApps: 1, backups: 1, unchanged: 2, skipped: [], conflicts: [] });
      const renamed = await readFile(obamaSidecar, 'utf8');
      expect(parseXmpRegions(renamed, 1).regions.map((r) => r.name)).toEqual(['Barack H. Obama']);
      expect(renamed).toContain('xmp:Rating="5"');
      expect(renamed).not.toContain('Barack Obama');
      expect(await readFile(join(afterEdit.backupFolder!, obamaSidecar), 'utf8')).toBe(rated);
      expect(await exportNamesToXmp(lib, { confirmedOnly: false })).toMatchObject({ written: 0, unchanged: 3, backups: 0 });
    } finally {
      await source.close();
    }

    // Imported with --ignore-names, or with the setting off, a library knows no names until it reads them.
    for (const [name, options] of [['ignoring', { readNames: false }], ['switched-off', { readNamesOnImport: false }]] as const) {
      const ignoring = await openLibrary(name, album, options);
      expect(namesReadOnImport).toBeNull();
      expect(ignoring.library.people.people.filter((p) => p.name !== null)).toEqual([]);
      await ignoring.close();
    }

    const fresh = await openLibrary('fresh', album);
    try {
      const lib = fresh.library;
      // Familiar's own sidecars say what the exporting library knew; a fresh library's import takes them like any
      // app's, in one decision.
      expect(namesReadOnImport).toMatchObject({ facesNamed: 3, facesAdded: 0, conflicts: 0, newPeople: ['Barack H. Obama', 'Kit Harington', 'Rose Leslie & co <"\'>'] });
      // Said as People counts them: the sideways pair is a copy of the upright one, its two faces the same two.
      expect(photoNamed(lib, 'kit_with_rose_sideways.jpg').copyOf?.photoId).toBe(photoNamed(lib, 'kit_with_rose.jpg').id);
      expect(namesReadOnImport!.decision).toMatch(/^Named 3 faces from photo metadata/);
      const [left, right] = facesOf(lib, 'kit_with_rose.jpg');
      const [sideLeft, sideRight] = facesOf(lib, 'kit_with_rose_sideways.jpg');
      expect([nameOf(lib, left), nameOf(lib, right)]).toEqual(['Kit Harington', 'Rose Leslie & co <"\'>']);
      expect([nameOf(lib, sideLeft), nameOf(lib, sideRight)]).toEqual(['Kit Harington', 'Rose Leslie & co <"\'>']);
      expect(lib.face(left.id)!.assignedBy).toBe('user');
      // What the other library only guessed stays a guess here: placed with him, not confirmed (QA).
      expect(lib.face(sideLeft.id)!.assignedBy).toBe('cluster');
      // Only on the copy, whose original's face he confirmed: People shows that face, confirmed.
      expect(namesReadOnImport!.decision).not.toMatch(/placed unconfirmed/);
      // Reading again changes nothing: every face already carries its name.
      const twice = await importNamesFromOtherApps(lib);
      expect(twice).toMatchObject({ facesNamed: 0, alreadyNamed: 3, decision: null });
      // One decision: one undo takes the whole import back. The import's own Undo refuses while a later change
      // is the latest, and takes nothing back.
      await rejectFaces(lib, [facesOf(lib, '011_3.jpg')[0].id], 'Kit Harington');
      await expect(undoLast(lib, { onlyIfLatestIs: 'import-names' })).rejects.toThrow(/Your latest change is/);
      expect(lib.face(facesOf(lib, '011_3.jpg')[0].id)!.rejectedPersonIds).toHaveLength(1);
      await undoLast(lib);
      // Taking the names back regroups the faces they had anchored, as the import's placement had (QA: every face
      // was left in no group).
      expect(await undoDecision(lib, { onlyIfLatestIs: 'import-names' })).toMatchObject({ undone: expect.stringMatching(/^Named 3 faces/), regrouped: true });
      expect(nameOf(lib, left)).toBeNull();
      expect(lib.people.people.filter((p) => p.name !== null)).toEqual([]);
      const people = new Set(lib.people.people.map((p) => p.id));
      expect(lib.faces.filter((f) => f.personId !== null && !people.has(f.personId))).toEqual([]);
    } finally {
      await fresh.close();
    }
  }, 240_000);

  it("reads another app's sidecar and embedded tags, writes into it keeping all of theirs, and keeps the user's own answers", async () => {
    const album = await makeTestAlbum('album-other-apps');
    const engine = await openLibrary('other-apps', album);
    try {
      const lib = engine.library;
      const group = photoNamed(lib, '011_3.jpg');
      const faces = facesOf(lib, '011_3.jpg');
      expect(faces.length).toBe(3);
      // digiKam-style sidecar (attribute form), its own regions drawn looser than our detector's boxes.
      const region = (f: FaceRecord, name: string) => {
        const pad = 0.15;
        const [bx, by, bw, bh] = f.box;
        const w = (bw * (1 + 2 * pad)) / group.width;
        const h = (bh * (1 + 2 * pad)) / group.height;
        const x = (bx + bw / 2) / group.width;
        const y = (by + bh / 2) / group.height;
        return `<rdf:li><rdf:Description mwg-rs:Name="${name}" mwg-rs:Type="Face"><mwg-rs:Area stArea:x="${x}" stArea:y="${y}" stArea:w="${w}" stArea:h="${h}" stArea:unit="normalized"/></rdf:Description></rdf:li>`;
      };
      const digikam = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" xmp:Rating="4">
<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:AppliedToDimensions stDim:w="${group.width}" stDim:h="${group.height}" stDim:unit="pixel"/>
<mwg-rs:RegionList><rdf:Bag>${region(faces[0], 'Ana')}${region(faces[1], 'Ben')}${region(faces[2], 'Cleo')}
<rdf:li><rdf:Description mwg-rs:Name="Rex" mwg-rs:Type="Pet"><mwg-rs:Area stArea:x="0.5" stArea:y="0.9" stArea:w="0.1" stArea:h="0.1" stArea:unit="normalized"/></rdf:Description></rdf:li>
<rdf:li><rdf:Description mwg-rs:Name="Ghost" mwg-rs:Type="Face"><mwg-rs:Area stArea:x="0.02" stArea:y="0.98" stArea:w="0.02" stArea:h="0.02" stArea:unit="normalized"/></rdf:Description></rdf:li>
</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions></rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`;
      const sidecarPath = sidecarPathFor(group.paths[0]);
      await writeFile(sidecarPath, digikam);
      // Shared with a group on a family NAS, and another family member's: it stays so once written into (it became
      // 644 and the exporter's, a code review found). Owners can be given away only by root, as the tests run here.
      const owner = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : null;
      await chmod(sidecarPath, 0o660);
      if (owner) await chown(sidecarPath, owner.uid, owner.gid);
      // The user already answered two of these faces in Familiar: Ben is someone else, and Cleo is not Cleo.
      await nameFaces(lib, [faces[1].id], 'Benedict');
      await nameFaces(lib, [facesOf(lib, 'obama_small.jpg')[0].id], 'Cleo');
      await rejectFaces(lib, [faces[2].id], 'Cleo');

      const result = await importNamesFromOtherApps(lib);
      expect(nameOf(lib, faces[0])).toBe('Ana');
      expect(nameOf(lib, faces[1])).toBe('Benedict');
      expect(nameOf(lib, faces[2])).not.toBe('Cleo');
      expect(result.conflicts.map((c) => [c.name, c.reason]).sort()).toEqual([
        ['Ben', 'this face is confirmed as "Benedict" here'],
        ['Cleo', 'you said this face is not "Cleo"'],
      ]);
      expect(result.unmatchedRegions).toBe(1);
      expect(result.newPeople).toEqual(['Ana']);

      // Export writes into digiKam's file: Ana is there already (not added twice), digiKam calls Benedict "Ben" (not
      // written over, reported with both names), and everything of digiKam's stays, the pet and the ghost too.
      const exported = await exportNamesToXmp(lib);
      expect(exported.skipped).toEqual([]);
      expect(exported.conflicts).toEqual([{ path: sidecarPath, name: 'Benedict', otherName: 'Ben', reason: 'this sidecar already names the face "Ben"; Familiar\'s "Benedict" was not written over it' }]);
      const merged = await readFile(sidecarPath, 'utf8');
      expect(parseXmpRegions(merged, 1).regions.map((r) => r.name)).toEqual(['Ana', 'Ben', 'Cleo', 'Ghost']);
      const written = await stat(sidecarPath);
      expect(written.mode & 0o7777).toBe(0o660);
      if (owner) expect([written.uid, written.gid]).toEqual([owner.uid, owner.gid]);
      const ours = ['Ana', 'People|Ana', 'People/Ana'];
      expect(xmpMeaning(merged, ours)).toEqual(xmpMeaning(digikam, ours));
      expect(await readFile(join(exported.backupFolder!, sidecarPath), 'utf8')).toBe(digikam);
      // Elsewhere, it writes all of them.
      const folder = join(work, 'exported');
      const elsewhere = await exportNamesToXmp(lib, { to: folder });
      expect(elsewhere.skipped).toEqual([]);
      // Under the name of the folder the photo is in (imported here without recording the album: its top folder), not its whole path.
      const mirrored = join(folder, relative(dirname(dirname(group.paths[0])), group.paths[0]) + '.xmp');
      expect(ExportLayout.of(lib).sidecarPath(group.paths[0], folder)).toBe(mirrored);
      expect(parseXmpRegions(await readFile(mirrored, 'utf8'), 1).regions.map((r) => r.name).sort()).toEqual(['Ana', 'Benedict']);

      // Tags embedded in the photo itself (Lightroom, Picasa): written by sharp into a copy's XMP segment.
      const embeddedPath = join(work, 'embedded.jpg');
      await sharp(group.paths[0]).withXmp(digikam.replace(/<\?xpacket[^>]*\?>/g, '').trim()).jpeg().toFile(embeddedPath);
      const embedded = await readEmbeddedXmp(embeddedPath);
      expect(parseXmpRegions(embedded!, 1).regions.map((r) => r.name)).toEqual(['Ana', 'Ben', 'Cleo', 'Ghost']);
      // obama_small.jpg carries an empty packet from Photoshop; a re-encoded copy none at all.
      expect(parseXmpRegions((await readEmbeddedXmp(join(album, 'one/obama_small.jpg')))!, 1).regions).toEqual([]);
      const bare = join(work, 'bare.jpg');
      await sharp(join(album, 'one/obama_small.jpg')).jpeg().toFile(bare);
      expect(await readEmbeddedXmp(bare)).toBeNull();
    } finally {
      await engine.close();
    }
  }, 240_000);

  it('a tagged face the detector missed is found by a closer look, added and named; a region around no face is kept as drawn', async () => {
    // A landscape with one small face in a corner (a real LFW photo shrunk to 110 px in a 3000 px wide photo): at the
    // import's analysis size that face is about 15 px tall, too small for the detector.
    const album = join(work, 'album-small-face');
    await mkdir(album, { recursive: true });
    const landscape = join(album, 'landscape-with-face.jpg');
    await writeLandscapeWithSmallFace(landscape, lfwPhoto('Tony_Blair', 1));
    await sharp(lfwPhoto('Tony_Blair', 2)).toFile(join(album, 'blair-2.jpg'));
    const engine = await openLibrary('small-face', album);
    try {
      const lib = engine.library;
      const photo = photoNamed(lib, 'landscape-with-face.jpg');
      expect(photo.faceIds).toEqual([]);
      // digiKam's tag around the face (LFW faces fill the middle of the frame), and one around nothing.
      const area = (x: number, y: number, w: number, h: number) =>
        `<mwg-rs:Area stArea:x="${(x + w / 2) / 3000}" stArea:y="${(y + h / 2) / 2000}" stArea:w="${w / 3000}" stArea:h="${h / 2000}" stArea:unit="normalized"/>`;
      await writeFile(
        sidecarPathFor(landscape),
        `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#">
<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag>
<rdf:li><rdf:Description mwg-rs:Name="Tony Blair" mwg-rs:Type="Face">${area(2425, 322, 60, 70)}</rdf:Description></rdf:li>
<rdf:li><rdf:Description mwg-rs:Name="Nobody There" mwg-rs:Type="Face">${area(500, 1500, 60, 70)}</rdf:Description></rdf:li>
</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions></rdf:Description></rdf:RDF></x:xmpmeta>`,
      );
      // Without the face pipeline, the regions are only counted.
      expect(await importNamesFromOtherApps(lib)).toMatchObject({ facesNamed: 0, facesAdded: 0, unmatchedRegions: 2 });

      // Stopped once the closer look has added the faces, before the names are given: the faces leave with it, and the
      // library is as it was (no face without a name or an undo; nothing left for a later undo to take back).
      const decisionsBefore = lib.people.decisions.length;
      const stop = new AbortController();
      const stopped = importNamesFromOtherApps(lib, {
        analyzer: async () => pool,
        signal: stop.signal,
        onProgress: (p) => {
          if (p.stage === 'look' && p.done === 1) stop.abort();
        },
      });
      await expect(stopped).rejects.toThrow(/cancelled/);
      expect(lib.facesOfPhoto(photo.id)).toEqual([]);
      expect(lib.photo(photo.id)!.faceIds).toEqual([]);
      expect(lib.people.decisions).toHaveLength(decisionsBefore);

      const result = await importNamesFromOtherApps(lib, { analyzer: async () => pool });
      // The region around nothing is kept as the user drew it in the other app, as the viewer keeps a drawn box.
      expect(result).toMatchObject({ facesAdded: 2, facesKeptAsDrawn: 1, facesNamed: 2, unmatchedRegions: 0, newPeople: ['Nobody There', 'Tony Blair'], skipped: [] });
      expect(lib.facesOfPhoto(photo.id)).toHaveLength(2);
      const added = lib.facesOfPhoto(photo.id).find((f) => nameOf(lib, f) === 'Tony Blair')!;
      expect(added.undetected).toBeUndefined();
      const keptAsDrawn = lib.facesOfPhoto(photo.id).find((f) => nameOf(lib, f) === 'Nobody There')!;
      expect(keptAsDrawn).toMatchObject({ drawn: true, undetected: true });
      keptAsDrawn.box.forEach((v, i) => expect(Math.abs(v - [500, 1500, 60, 70][i])).toBeLessThan(1));
      // Where the tag is, with landmarks and a thumbnail like any detected face...
      const [x, y, w, h] = added.box;
      expect(x + w / 2).toBeGreaterThan(2425);
      expect(x + w / 2).toBeLessThan(2485);
      expect(y + h / 2).toBeGreaterThan(322);
      expect(y + h / 2).toBeLessThan(392);
      expect(added.landmarks).toHaveLength(68 * 2); // flat x, y
      // Its size as analysed is its size in the photo: enlarging the crop for the detector added no detail.
      expect(Math.abs(added.analysedSide! - Math.min(w, h))).toBeLessThan(3);
      expect((await stat(join(lib.dir, added.thumb))).size).toBeGreaterThan(100);
      expect(nameOf(lib, added)).toBe('Tony Blair');
      // ...and it is Tony Blair: nearer another photo of him than the same-person distance.
      const other = facesOf(lib, 'blair-2.jpg')[0];
      expect(lib.search(lib.embeddingOf(added), 5).find((hit) => hit.faceId === other.id)!.distance).toBeLessThan(lib.settings.samePersonDistance);
      // Reading again finds the face in place: nothing is added twice.
      expect(await importNamesFromOtherApps(lib, { analyzer: async () => pool })).toMatchObject({ facesAdded: 0, alreadyNamed: 2, unmatchedRegions: 0 });
    } finally {
      await engine.close();
    }
  }, 240_000);

  it('a face another app marked and nobody named, which the detector missed, is found by a closer look and placed with its person', async () => {
    // The small-face landscape again (the detector misses Tony Blair there), with two more photos of him, named.
    const album = join(work, 'album-unnamed-mark');
    await mkdir(album, { recursive: true });
    const landscape = join(album, 'landscape-with-face.jpg');
    await writeLandscapeWithSmallFace(landscape, lfwPhoto('Tony_Blair', 1));
    for (const n of [2, 3]) await sharp(lfwPhoto('Tony_Blair', n)).toFile(join(album, `blair-${n}.jpg`));
    let engine = await openLibrary('unnamed-mark', album);
    try {
      let lib = engine.library;
      const photo = photoNamed(lib, 'landscape-with-face.jpg');
      expect(photo.faceIds).toEqual([]);
      await nameFaces(lib, [facesOf(lib, 'blair-2.jpg')[0].id, facesOf(lib, 'blair-3.jpg')[0].id], 'Tony Blair');
      // digiKam's unnamed faces: one around the small face, one around a patch of landscape (its detector's mistake).
      const area = (x: number, y: number, w: number, h: number) =>
        `<mwg-rs:Area stArea:x="${(x + w / 2) / 3000}" stArea:y="${(y + h / 2) / 2000}" stArea:w="${w / 3000}" stArea:h="${h / 2000}" stArea:unit="normalized"/>`;
      const marks = (extra = '') =>
        writeFile(
          sidecarPathFor(landscape),
          `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#">
<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag>
<rdf:li><rdf:Description mwg-rs:Type="Face">${area(2425, 322, 60, 70)}</rdf:Description></rdf:li>
<rdf:li><rdf:Description mwg-rs:Type="Face">${area(500, 1500, 60, 70)}</rdf:Description></rdf:li>${extra}
</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions></rdf:Description></rdf:RDF></x:xmpmeta>`,
        );
      await marks();
      // Without the face pipeline nothing is looked at, and nothing is said: an unnamed mark names no one to lose.
      expect(await importNamesFromOtherApps(lib)).toMatchObject({ facesNamed: 0, facesAdded: 0, unnamedFacesFound: 0, unmatchedRegions: 0, decision: null });

      const result = await importNamesFromOtherApps(lib, { analyzer: async () => pool });
      expect(result).toMatchObject({ facesNamed: 0, facesAdded: 0, facesKeptAsDrawn: 0, unnamedFacesFound: 1, unmatchedRegions: 0, newPeople: [], skipped: [] });
      // Only the face the detector confirms: the mark around no face is not kept as a drawn box.
      const [found] = lib.facesOfPhoto(photo.id);
      expect(lib.facesOfPhoto(photo.id)).toHaveLength(1);
      expect(found.undetected).toBeUndefined();
      const [x, y, w, h] = found.box;
      expect(x + w / 2).toBeGreaterThan(2425);
      expect(x + w / 2).toBeLessThan(2485);
      expect(y + h / 2).toBeGreaterThan(322);
      expect(y + h / 2).toBeLessThan(392);
      // Placed with Tony Blair as an import places a face, not confirmed: nobody named it.
      expect(nameOf(lib, found)).toBe('Tony Blair');
      expect(lib.face(found.id)!.assignedBy).toBe('cluster');
      expect(result.decision!.description).toMatch(/^Added 1 face Familiar had missed, where other apps marked faces/);

      // The place with no face is remembered, across a reopen. Another app marks the face found again, far more loosely
      // and off its centre (over the shoulder): that mark matches no face, and a look there finds only the face found.
      await engine.close();
      engine = await Engine.open(join(work, 'unnamed-mark'), { analyzer: pool });
      lib = engine.library;
      expect(lib.photo(photo.id)!.analysis!.lookedCloserAt).toHaveLength(1);
      await marks(`\n<rdf:li><rdf:Description mwg-rs:Type="Face">${area(2430, 325, 120, 140)}</rdf:Description></rdf:li>`);
      let analyzerAsked = 0;
      const analyzer = async () => (analyzerAsked++, pool);
      expect(await importNamesFromOtherApps(lib, { analyzer })).toMatchObject({ unnamedFacesFound: 0, decision: null, skipped: [] });
      expect(analyzerAsked).toBe(1);
      expect(lib.facesOfPhoto(photo.id)).toHaveLength(1);
      expect(lib.photo(photo.id)!.analysis!.lookedCloserAt).toHaveLength(2);
      // Reading again looks nowhere: each mark is on the face, or at a place looked at before.
      expect(await importNamesFromOtherApps(lib, { analyzer })).toMatchObject({ photosWithNames: 0, photosWithUnnamedMarks: 1, unnamedFacesFound: 0, decision: null });
      expect(analyzerAsked).toBe(1);

      // Undo of the read takes the face out again.
      expect(await undoDecision(lib)).toMatchObject({ message: 'Took out the 1 face found where other apps marked faces.', regrouped: false });
      expect(lib.facesOfPhoto(photo.id)).toHaveLength(0);

      // The photo edited in another app since its import: its boxes no longer line up, so nothing is looked for, and
      // nothing is said (the mark names no one to lose).
      await sharp(await readFile(landscape)).modulate({ brightness: 1.1 }).jpeg({ quality: 90 }).toFile(`${landscape}.edited`);
      await rename(`${landscape}.edited`, landscape);
      expect(await importNamesFromOtherApps(lib, { analyzer: async () => pool })).toMatchObject({ unnamedFacesFound: 0, skipped: [], decision: null });
      expect(lib.facesOfPhoto(photo.id)).toHaveLength(0);
    } finally {
      await engine.close();
    }
  }, 240_000);

  it('a sidecar drawn on a picture of another shape (the photo replaced or cropped since) names nobody, and says why', async () => {
    const album = await makeTestAlbum('album-stale-sidecar');
    const engine = await openLibrary('stale-sidecar', album);
    try {
      const lib = engine.library;
      const group = photoNamed(lib, '011_3.jpg');
      const [face] = facesOf(lib, '011_3.jpg');
      const [bx, by, bw, bh] = face.box;
      const sidecar = (width: number, height: number) => `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#">
<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:AppliedToDimensions stDim:w="${width}" stDim:h="${height}" stDim:unit="pixel"/>
<mwg-rs:RegionList><rdf:Bag><rdf:li><rdf:Description mwg-rs:Name="Ana" mwg-rs:Type="Face"><mwg-rs:Area stArea:x="${(bx + bw / 2) / group.width}" stArea:y="${(by + bh / 2) / group.height}" stArea:w="${bw / group.width}" stArea:h="${bh / group.height}" stArea:unit="normalized"/></rdf:Description></rdf:li></rdf:Bag></mwg-rs:RegionList>
</mwg-rs:Regions></rdf:Description></rdf:RDF></x:xmpmeta>`;
      const sidecarPath = sidecarPathFor(group.paths[0]);

      // Written for a square crop of another photo that the file was later replaced by.
      await writeFile(sidecarPath, sidecar(1000, 1000 * 2));
      const stale = await importNamesFromOtherApps(lib);
      expect(stale.facesNamed).toBe(0);
      expect(nameOf(lib, face)).toBeNull();
      expect(stale.skipped).toEqual([
        { path: sidecarPath, reason: `its face regions were drawn on a 1000×2000 picture, and this photo is ${group.width}×${group.height} (replaced or cropped since they were written)` },
      ]);

      // The same regions drawn on a copy three times the size fit, and so do sizes written before EXIF orientation.
      await writeFile(sidecarPath, sidecar(group.width * 3, group.height * 3));
      const resized = await importNamesFromOtherApps(lib);
      expect(resized.skipped).toEqual([]);
      expect(nameOf(lib, face)).toBe('Ana');
    } finally {
      await engine.close();
    }
  }, 240_000);

  it('bad files are reported, lose nothing, and a removed name removes only its own sidecar', async () => {
    const album = await makeTestAlbum('album-bad-files');
    // A copy of a photo the library knows under two paths; the copy is then deleted.
    const copy = join(album, 'one/obama-copy.jpg');
    await copyFile(join(album, 'one/obama_small.jpg'), copy);
    const engine = await openLibrary('bad-files', album);
    await rm(copy);
    try {
      const lib = engine.library;
      const pair = photoNamed(lib, 'kit_with_rose.jpg');
      const obama = photoNamed(lib, 'obama_small.jpg');
      const group = photoNamed(lib, '011_3.jpg');
      const [left] = facesOf(lib, 'kit_with_rose.jpg');
      await nameFaces(lib, [left.id], 'Kit');
      await nameFaces(lib, [facesOf(lib, 'obama_small.jpg')[0].id], 'Barack');
      await nameFaces(lib, [facesOf(lib, '011_3.jpg')[0].id], 'Dee');
      // Garbage where a sidecar would go, and a folder where another would.
      await writeFile(sidecarPathFor(join(album, 'one/obama_small.jpg')), '\u0000\u0001 not xml at all <<<');
      await mkdir(sidecarPathFor(group.paths[0]), { recursive: true });

      const exported = await exportNamesToXmp(lib);
      // The pair's, and its sideways copy's (the same picture saved again, linked to it: main/library/copies.ts), whose Kit is the pair's.
      expect(exported.written).toBe(2);
      expect(photoNamed(lib, 'kit_with_rose_sideways.jpg').copyOf?.photoId).toBe(pair.id);
      expect(exported.skipped.map((s) => s.path).sort()).toEqual([sidecarPathFor(group.paths[0]), sidecarPathFor(join(album, 'one/obama_small.jpg'))].sort());
      expect(exported.skipped.find((s) => s.path === sidecarPathFor(join(album, 'one/obama_small.jpg')))!.reason).toMatch(/not XMP/);
      expect(await readFile(sidecarPathFor(join(album, 'one/obama_small.jpg')), 'utf8')).toBe('\u0000\u0001 not xml at all <<<');
      // Beside a path the photo has gone from, nothing is written and nothing is reported.
      expect(obama.paths).toContain(copy);
      await expect(stat(sidecarPathFor(copy))).rejects.toThrow();

      const imported = await importNamesFromOtherApps(lib);
      expect(imported.skipped.map((s) => s.path)).toContain(sidecarPathFor(join(album, 'one/obama_small.jpg')));
      expect(imported.skipped.map((s) => s.path)).not.toContain(copy);
      expect(imported.facesNamed).toBe(0);

      // A hidden person's name stays in Familiar, and the export says so instead of leaving it out silently.
      await hidePerson(lib, 'Barack', true);
      const withHidden = await exportNamesToXmp(lib, { to: join(work, 'hidden-export') });
      expect(withHidden.hiddenPeople).toBe(1);
      await hidePerson(lib, 'Barack', false);

      // Kit is deleted: Familiar's own sidecars for the pair and its copy go, nobody else's file does.
      await deletePerson(lib, 'Kit');
      const after = await exportNamesToXmp(lib);
      expect(after.removed).toBe(2);
      await expect(stat(sidecarPathFor(pair.paths[0]))).rejects.toThrow();
      expect((await stat(sidecarPathFor(group.paths[0]))).isDirectory()).toBe(true);
    } finally {
      await engine.close();
    }
  }, 240_000);

  it("a sidecar beside a photo with XMP of its own starts from it, keeps all of it, and stays Familiar's to update", async () => {
    const album = await makeAlbum(join(work, 'album-own-xmp'), { 'pair/kit_with_rose.jpg': ALBUM['pair/kit_with_rose.jpg'] });
    const photoPath = join(album, 'pair/kit_with_rose.jpg');
    const engine = await openLibrary('own-xmp', album, { readNamesOnImport: false });
    try {
      const lib = engine.library;
      const photo = photoNamed(lib, 'kit_with_rose.jpg');
      const [, kitBefore] = facesOf(lib, 'kit_with_rose.jpg');
      const [x, y, w, h] = kitBefore.box;
      const centre = (value: number, size: number, total: number) => ((value + size / 2) / total).toFixed(4);
      // Another app's XMP inside the photo: a rating, keywords, Kit tagged under another name, a face Familiar
      // did not find, and a pet.
      const own = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="5"/>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag><rdf:li>Wedding</rdf:li><rdf:li>Kit H.</rdf:li></rdf:Bag></dc:subject></rdf:Description>
<rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#">
<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:AppliedToDimensions stDim:w="${photo.width}" stDim:h="${photo.height}" stDim:unit="pixel"/><mwg-rs:RegionList><rdf:Bag>
<rdf:li><rdf:Description mwg-rs:Name="Kit H." mwg-rs:Type="Face"><mwg-rs:Area stArea:x="${centre(x, w, photo.width)}" stArea:y="${centre(y, h, photo.height)}" stArea:w="${(w / photo.width).toFixed(4)}" stArea:h="${(h / photo.height).toFixed(4)}" stArea:unit="normalized"/></rdf:Description></rdf:li>
<rdf:li><rdf:Description mwg-rs:Name="Aunt Mae" mwg-rs:Type="Face"><mwg-rs:Area stArea:x="0.9" stArea:y="0.9" stArea:w="0.05" stArea:h="0.05" stArea:unit="normalized"/></rdf:Description></rdf:li>
<rdf:li><rdf:Description mwg-rs:Name="Rex" mwg-rs:Type="Pet"><mwg-rs:Area stArea:x="0.5" stArea:y="0.8" stArea:w="0.1" stArea:h="0.1" stArea:unit="normalized"/></rdf:Description></rdf:li>
</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions></rdf:Description></rdf:RDF></x:xmpmeta>`;
      const tagged = await sharp(await readFile(photoPath)).withXmp(own).jpeg({ quality: 95 }).toBuffer();
      await writeFile(photoPath, tagged);
      await engine.import([album]);
      const [rose, kit] = facesOf(lib, 'kit_with_rose.jpg');
      await nameFaces(lib, [kit.id], 'Kit');
      await nameFaces(lib, [rose.id], 'Rose');

      const sidecar = sidecarPathFor(photoPath);
      expect(await exportNamesToXmp(lib)).toMatchObject({ written: 1, skipped: [] });
      const text = await readFile(sidecar, 'utf8');
      expect(parseXmpRegions(text, photo.orientation).regions.map((r) => r.name).sort()).toEqual(['Aunt Mae', 'Kit', 'Rose']);
      expect(text).toContain('xmp:Rating="5"');
      expect(text).toContain('mwg-rs:Type="Pet"');
      expect(text).toContain('<rdf:li>Wedding</rdf:li>');
      expect(text).not.toContain('Kit H.'); // Familiar's name for that face replaced the region and its keyword
      expect(await readFile(photoPath)).toEqual(tagged);
      expect(await exportNamesToXmp(lib)).toMatchObject({ written: 0, unchanged: 1 });

      // Renamed in Familiar: built again from the photo, not skipped as another app's.
      await nameFaces(lib, [kit.id], 'Christopher');
      expect(await exportNamesToXmp(lib)).toMatchObject({ written: 1, skipped: [] });
      const renamed = await readFile(sidecar, 'utf8');
      expect(parseXmpRegions(renamed, photo.orientation).regions.map((r) => r.name).sort()).toEqual(['Aunt Mae', 'Christopher', 'Rose']);
      expect(renamed).toContain('<rdf:li>Wedding</rdf:li>');

      // Another app adds a keyword to the sidecar: Familiar's next rename goes into it, the keyword stays.
      const edited = renamed.replace('<rdf:li>Wedding</rdf:li>', '<rdf:li>Wedding</rdf:li><rdf:li>Beach</rdf:li>');
      await writeFile(sidecar, edited);
      await nameFaces(lib, [rose.id], 'Rosie');
      const exportedAfterEdit = await exportNamesToXmp(lib);
      expect(exportedAfterEdit).toMatchObject({ written: 1, intoOtherApps: 1, backups: 1, skipped: [], conflicts: [] });
      const afterEdit = await readFile(sidecar, 'utf8');
      expect(parseXmpRegions(afterEdit, photo.orientation).regions.map((r) => r.name).sort()).toEqual(['Aunt Mae', 'Christopher', 'Rosie']);
      expect(afterEdit).toContain('<rdf:li>Beach</rdf:li>');
      expect(afterEdit).toContain('mwg-rs:Type="Pet"');
      expect(afterEdit).not.toContain('Rose<');
      expect(await readFile(join(exportedAfterEdit.backupFolder!, sidecar), 'utf8')).toBe(edited);
    } finally {
      await engine.close();
    }
  }, 240_000);

  it('a confirmation reaches the sidecar, names keep out of keyword paths, read-only sidecars and shared base names are respected', async () => {
    const album = await makeAlbum(join(work, 'album-small-things'), {
      'a/IMG_1.jpg': 'lfw_subset/Abdullah_Gul/Abdullah_Gul_0003.jpg',
      'a/IMG_1.png': 'lfw_subset/Adrien_Brody/Adrien_Brody_0001.jpg',
      'b/obama.jpg': 'face_recognition/obama/obama_small.jpg',
    });
    // The same base name twice (a .png that is really a JPEG is read by its content): IMG_1.xmp could be either's.
    await writeFile(join(album, 'a/IMG_1.xmp'), GUL_FACE);
    const engine = await openLibrary('small-things', album);
    try {
      const lib = engine.library;
      expect(lib.faces.filter((f) => f.assignedBy === 'user')).toEqual([]);
      const shared = (await importNamesFromOtherApps(lib)).skipped.filter((s) => s.path === join(album, 'a/IMG_1.xmp'));
      expect(shared).toEqual([{ path: join(album, 'a/IMG_1.xmp'), reason: expect.stringMatching(/could belong to IMG_1\.(jpg|png) or to IMG_1\.(jpg|png)/) }]);

      // A guess exported marked, then confirmed: the sidecar follows, with keywords and Windows' region.
      const obama = facesOf(lib, 'obama.jpg')[0];
      const { personIds: [mum] } = await nameFaces(lib, [obama.id], 'Mum/Mom | Ma');
      await lib.transaction((tx) => {
        Object.assign(tx.faces.find((f) => f.id === obama.id)!, { personId: mum, assignedBy: 'cluster' });
      });
      const sidecar = sidecarPathFor(join(album, 'b/obama.jpg'));
      expect(await exportNamesToXmp(lib, { confirmedOnly: false })).toMatchObject({ written: 1 });
      expect(await readFile(sidecar, 'utf8')).toContain('familiar:Confirmed="False"');
      await nameFaces(lib, [obama.id], 'Mum/Mom | Ma');
      expect(await exportNamesToXmp(lib, { confirmedOnly: false })).toMatchObject({ written: 1 });
      const confirmed = await readFile(sidecar, 'utf8');
      expect(confirmed).not.toContain('familiar:Confirmed');
      expect(confirmed).toContain('MPReg:PersonDisplayName="Mum/Mom | Ma"');
      // The hierarchies' separators inside a name would make levels of it: look-alikes stand in.
      expect(confirmed).toContain('<rdf:li>People|Mum/Mom \u00A6 Ma</rdf:li>');
      expect(confirmed).toContain('<rdf:li>People/Mum\u2215Mom | Ma</rdf:li>');
      expect(await exportNamesToXmp(lib)).toMatchObject({ written: 0, unchanged: 1, skipped: [] });

      // A sidecar made read-only is left as it is.
      await chmod(sidecar, 0o444);
      await nameFaces(lib, [obama.id], 'Mother');
      expect((await exportNamesToXmp(lib)).skipped).toEqual([{ path: sidecar, reason: expect.stringContaining('read-only') }]);
      expect(await readFile(sidecar, 'utf8')).toBe(confirmed);
    } finally {
      await engine.close();
    }
  }, 240_000);

  it('IMG_1.xmp beside IMG_1.jpg and img_1.png names neither where names ignore case (macOS), and IMG_1.jpg on Linux', async () => {
    const album = await makeAlbum(join(work, 'album-case'), {
      'a/IMG_1.jpg': 'lfw_subset/Abdullah_Gul/Abdullah_Gul_0003.jpg',
      'a/img_1.png': 'lfw_subset/Adrien_Brody/Adrien_Brody_0001.jpg',
    });
    await writeFile(join(album, 'a/IMG_1.xmp'), GUL_FACE);
    const engine = await openLibrary('case', album, { readNames: false });
    try {
      const mac = await importNamesFromOtherApps(engine.library, { platform: 'darwin' });
      expect(mac.facesNamed).toBe(0);
      expect(mac.skipped).toEqual([{ path: join(album, 'a/IMG_1.xmp'), reason: expect.stringMatching(/could belong to (IMG_1\.jpg or to img_1\.png|img_1\.png or to IMG_1\.jpg)/) }]);
      const linux = await importNamesFromOtherApps(engine.library, { platform: 'linux' });
      expect(linux).toMatchObject({ facesNamed: 1, skipped: [] });
      expect(nameOf(engine.library, facesOf(engine.library, 'IMG_1.jpg')[0])).toBe('Abdullah Gul');
    } finally {
      await engine.close();
    }
  }, 240_000);

  it("IMG_1.xmp beside IMG_1.jpg and the camera's IMG_1.CR2 (Lightroom's sidecar of the RAW) names the JPEG: one shot", async () => {
    const album = await makeAlbum(join(work, 'album-raw-twin'), { 'a/IMG_1.jpg': 'lfw_subset/Abdullah_Gul/Abdullah_Gul_0003.jpg' });
    const preview = await sharp(join(album, 'a/IMG_1.jpg')).resize(800).jpeg().toBuffer();
    await writeFile(join(album, 'a/IMG_1.CR2'), nefFile({ preview }));
    await writeFile(join(album, 'a/IMG_1.xmp'), GUL_FACE);
    const engine = await openLibrary('raw-twin', album, { readNames: false });
    try {
      expect(engine.library.photos).toHaveLength(1);
      expect(await importNamesFromOtherApps(engine.library)).toMatchObject({ facesNamed: 1, skipped: [] });
      expect(nameOf(engine.library, facesOf(engine.library, 'IMG_1.jpg')[0])).toBe('Abdullah Gul');
    } finally {
      await engine.close();
    }
  }, 240_000);

  it("a sidecar Familiar wrote names only its own picture, and a name another app changed in it is that app's", async () => {
    const album = await makeAlbum(join(work, 'album-own-picture'), { 'p/bush.jpg': 'lfw_subset/George_W_Bush/George_W_Bush_0002.jpg' });
    const photoPath = join(album, 'p/bush.jpg');
    const engine = await openLibrary('own-picture', album);
    try {
      const lib = engine.library;
      const [face] = facesOf(lib, 'bush.jpg');
      await nameFaces(lib, [face.id], 'George');
      expect(await exportNamesToXmp(lib)).toMatchObject({ written: 1 });
      const sidecar = sidecarPathFor(photoPath);
      const written = await readFile(sidecar, 'utf8');
      expect(written).toContain('<familiar:AddedKeywords>');

      // One an earlier Familiar wrote, before it recorded the keywords it adds, is written once more to record them.
      const digestless = written.replace(/\s*<familiar:AddedKeywords>[^]*?<\/familiar:AddedKeywords>/, '').replace(/familiar:SidecarDigest="[0-9a-f]*"/, 'familiar:SidecarDigest=""');
      const unrecorded = digestless.replace('familiar:SidecarDigest=""', `familiar:SidecarDigest="${createHash('sha256').update(digestless).digest('hex')}"`);
      await writeFile(sidecar, unrecorded);
      expect(await exportNamesToXmp(lib)).toMatchObject({ written: 1, intoOtherApps: 0 });
      expect(await readFile(sidecar, 'utf8')).toContain('<familiar:AddedKeywords>');
      expect(await exportNamesToXmp(lib)).toMatchObject({ written: 0, unchanged: 1 });
      // And one written before Familiar wrote IPTC's Person Shown, to add it.
      const unshown = written.replace(/\s*<Iptc4xmpExt:PersonInImage>[^]*?<\/Iptc4xmpExt:PersonInImage>/, '').replace(/familiar:SidecarDigest="[0-9a-f]*"/, 'familiar:SidecarDigest=""');
      expect(unshown).not.toContain('PersonInImage>');
      await writeFile(sidecar, unshown.replace('familiar:SidecarDigest=""', `familiar:SidecarDigest="${createHash('sha256').update(unshown).digest('hex')}"`));
      expect(await exportNamesToXmp(lib)).toMatchObject({ written: 1, intoOtherApps: 0 });
      expect(await readFile(sidecar, 'utf8')).toContain('<Iptc4xmpExt:PersonInImage>');
      expect(await exportNamesToXmp(lib)).toMatchObject({ written: 0, unchanged: 1 });

      // A name changed in the sidecar with another tool (the keywords left as they were): that region is the tool's
      // now (QA: it was overwritten). Familiar's next name for the face is not written over it, and is reported.
      const edited = written.replace('mwg-rs:Name="George"', 'mwg-rs:Name="George W."');
      await writeFile(sidecar, edited);
      await nameFaces(lib, [face.id], 'Dubya');
      const afterEdit = await exportNamesToXmp(lib);
      expect(afterEdit.conflicts).toEqual([{ path: sidecar, name: 'Dubya', otherName: 'George W.', reason: expect.stringContaining('already names the face "George W."') }]);
      const kept = await readFile(sidecar, 'utf8');
      expect(parseXmpRegions(kept, 1).regions.map((r) => r.name)).toEqual(['George W.']);
      expect(kept).not.toContain('Dubya');

      // Another picture saved over the photo: the sidecar written for the old one names nobody in it.
      await writeFile(sidecar, written);
      await copyFile(join(sharedFacesDir(), 'lfw_subset/Colin_Powell/Colin_Powell_0006.jpg'), photoPath);
      const summary = await engine.import([album]);
      expect(summary.skipped).toContainEqual({ path: sidecar, reason: expect.stringContaining('another picture is there now') });
      const [newFace] = facesOf(lib, 'bush.jpg');
      expect(newFace.id).not.toBe(face.id);
      expect(newFace.assignedBy).not.toBe('user');
    } finally {
      await engine.close();
    }
  }, 240_000);

  it('writes into the sidecar each app already keeps (IMG_1.xmp, .XMP, both), and a fresh library reads the same names back', async () => {
    const album = await makeAlbum(join(work, 'album-apps-sidecars'), {
      'lr/IMG_1006.jpg': 'lfw_subset/Colin_Powell/Colin_Powell_0006.jpg',
      'dk/IMG_2000.jpg': 'lfw_subset/George_W_Bush/George_W_Bush_0002.jpg',
      'both/IMG_3000.jpg': 'lfw_subset/Tony_Blair/Tony_Blair_0001.jpg',
      'own/colin.jpg': 'lfw_subset/Colin_Powell/Colin_Powell_0001.jpg',
    });
    // Lightroom's IMG_1006.xmp (the extension replaced): a rating, a develop setting, keywords (Colin's name among
    // them), no regions.
    const lightroom = `<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0-c000 1.000000, 0000/00/00-00:00:00">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:lr="http://ns.adobe.com/lightroom/1.0/"
   xmp:Rating="3"
   crs:Exposure2012="+0.35">
   <dc:subject>
    <rdf:Bag>
     <rdf:li>Holiday</rdf:li>
     <rdf:li>Colin Powell</rdf:li>
    </rdf:Bag>
   </dc:subject>
   <lr:hierarchicalSubject>
    <rdf:Bag>
     <rdf:li>Places|Rome</rdf:li>
    </rdf:Bag>
   </lr:hierarchicalSubject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
`;
    await writeFile(join(album, 'lr/IMG_1006.xmp'), lightroom);
    // A sidecar of each naming beside Blair's photo, neither with regions.
    const ratingOnly = (rating: number) =>
      `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="${rating}"/></rdf:RDF></x:xmpmeta>`;
    await writeFile(join(album, 'both/IMG_3000.xmp'), ratingOnly(2));
    await writeFile(join(album, 'both/IMG_3000.jpg.xmp'), ratingOnly(4));
    const engine = await openLibrary('apps-sidecars', album);
    const lib = engine.library;
    /** The photo's main face: LFW photos show one person large, sometimes others small behind. */
    const mainFace = (file: string) => [...facesOf(lib, file)].sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0];
    try {
      // digiKam's IMG_2000.jpg.XMP (upper-case extension), its own region on Bush naming him in full.
      const bush = photoNamed(lib, 'IMG_2000.jpg');
      const [bx, by, bw, bh] = mainFace('IMG_2000.jpg').box;
      const digikam = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" xmp:Rating="5">
<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag><rdf:li><rdf:Description mwg-rs:Name="George Walker Bush" mwg-rs:Type="Face"><mwg-rs:Area stArea:x="${(bx + bw / 2) / bush.width}" stArea:y="${(by + bh / 2) / bush.height}" stArea:w="${bw / bush.width}" stArea:h="${bh / bush.height}" stArea:unit="normalized"/></rdf:Description></rdf:li></rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>
</rdf:Description></rdf:RDF></x:xmpmeta>`;
      await writeFile(join(album, 'dk/IMG_2000.jpg.XMP'), digikam);
      await nameFaces(lib, [mainFace('IMG_1006.jpg').id, mainFace('colin.jpg').id], 'Colin Powell');
      await nameFaces(lib, [mainFace('IMG_2000.jpg').id], 'George');
      await nameFaces(lib, [mainFace('IMG_3000.jpg').id], 'Tony Blair');

      const first = await exportNamesToXmp(lib);
      // Three sidecars other apps keep get the names, and one new is made (colin.jpg had none): no second sidecar
      // beside the others. digiKam's names Bush otherwise: not written over, so not changed at all.
      expect(first).toMatchObject({ written: 4, intoOtherApps: 3, backups: 3, unchanged: 0, skipped: [] });
      expect(await readFile(join(album, 'dk/IMG_2000.jpg.XMP'), 'utf8')).toBe(digikam);
      await expect(stat(join(first.backupFolder!, album, 'dk/IMG_2000.jpg.XMP'))).rejects.toThrow();
      expect(first.conflicts).toEqual([{ path: join(album, 'dk/IMG_2000.jpg.XMP'), name: 'George', otherName: 'George Walker Bush', reason: expect.any(String) }]);
      for (const absent of ['lr/IMG_1006.jpg.xmp', 'dk/IMG_2000.jpg.xmp']) await expect(stat(join(album, absent))).rejects.toThrow();
      const lrText = await readFile(join(album, 'lr/IMG_1006.xmp'), 'utf8');
      expect(parseXmpRegions(lrText, 1).regions.map((r) => r.name)).toEqual(['Colin Powell']);
      const colinKeywords = ['Colin Powell', 'People|Colin Powell', 'People/Colin Powell'];
      expect(xmpMeaning(lrText, colinKeywords)).toEqual(xmpMeaning(lightroom, colinKeywords));
      for (const declaration of namespacesOf(lightroom)) expect(namespacesOf(lrText)).toContain(declaration);
      expect(await readFile(join(first.backupFolder!, album, 'lr/IMG_1006.xmp'), 'utf8')).toBe(lightroom);
      expect(parseXmpRegions(await readFile(join(album, 'dk/IMG_2000.jpg.XMP'), 'utf8'), 1).regions.map((r) => r.name)).toEqual(['George Walker Bush']);
      for (const [file, rating] of [['both/IMG_3000.xmp', 2], ['both/IMG_3000.jpg.xmp', 4]] as const) {
        const text = await readFile(join(album, file), 'utf8');
        expect(parseXmpRegions(text, 1).regions.map((r) => r.name)).toEqual(['Tony Blair']);
        expect(text).toContain(`xmp:Rating="${rating}"`);
      }

      // Another app rates the sidecar Familiar made for colin.jpg; then Colin is renamed. The new name reaches every
      // sidecar of his (QA: it never reached that one, and a fresh library got two people).
      const ownSidecar = join(album, 'own/colin.jpg.xmp');
      const rated = (await readFile(ownSidecar, 'utf8')).replace('rdf:about=""', 'rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="1"');
      await writeFile(ownSidecar, rated);
      await nameFaces(lib, [mainFace('IMG_1006.jpg').id, mainFace('colin.jpg').id], 'Uncle Colin');
      const renamed = await exportNamesToXmp(lib);
      // Lightroom's file was backed up the first time, and is not again.
      expect(renamed).toMatchObject({ written: 2, intoOtherApps: 2, backups: 1, skipped: [] });
      for (const file of ['own/colin.jpg.xmp', 'lr/IMG_1006.xmp']) {
        const text = await readFile(join(album, file), 'utf8');
        expect(parseXmpRegions(text, 1).regions.map((r) => r.name)).toEqual(['Uncle Colin']);
        expect(text).not.toMatch(/People[|/]Colin Powell/);
      }
      // The keyword Lightroom had before Familiar stays; the one Familiar put in its own sidecar goes (QA: Lightroom's
      // own keyword was removed with Familiar's old name).
      expect(await readFile(join(album, 'lr/IMG_1006.xmp'), 'utf8')).toContain('<rdf:li>Colin Powell</rdf:li>');
      expect(await readFile(ownSidecar, 'utf8')).not.toContain('Colin Powell');
      const uncleKeywords = ['Uncle Colin', 'People|Uncle Colin', 'People/Uncle Colin'];
      expect(xmpMeaning(await readFile(join(album, 'lr/IMG_1006.xmp'), 'utf8'), uncleKeywords)).toEqual(xmpMeaning(lightroom));
      expect(await readFile(ownSidecar, 'utf8')).toContain('xmp:Rating="1"');
      expect(await readFile(join(renamed.backupFolder!, ownSidecar), 'utf8')).toBe(rated);
      expect(await exportNamesToXmp(lib)).toMatchObject({ written: 0, unchanged: 4, backups: 0 });
    } finally {
      await engine.close();
    }

    // The CLI says which faces were not written, and why.
    const cli = await runCli(join(work, 'apps-sidecars'), 'names', 'export');
    expect(cli.code).toBe(0);
    expect(cli.out).toContain('4 already up to date, 1 face not written (another app names it differently), 0 skipped');
    expect(cli.out).toContain(`not written ${join(album, 'dk/IMG_2000.jpg.XMP')}: this sidecar already names the face "George Walker Bush"; Familiar's "George" was not written over it`);

    // A fresh library of the same folders reads every naming back (not the backups): the same names, one Colin.
    const fresh = await openLibrary('apps-sidecars-fresh', album);
    try {
      expect(namesReadOnImport).toMatchObject({ facesNamed: 4, conflicts: 0, newPeople: ['George Walker Bush', 'Tony Blair', 'Uncle Colin'] });
      const freshMain = (file: string) => [...facesOf(fresh.library, file)].sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0];
      expect(['IMG_1006.jpg', 'colin.jpg', 'IMG_2000.jpg', 'IMG_3000.jpg'].map((file) => nameOf(fresh.library, freshMain(file)))).toEqual(['Uncle Colin', 'Uncle Colin', 'George Walker Bush', 'Tony Blair']);
    } finally {
      await fresh.close();
    }
  }, 240_000);

  it('the CLI exports and imports, and refuses bad usage', async () => {
    const dir = join(work, 'cli');
    const album = await makeTestAlbum('album-cli');
    const engine = await openLibrary('cli', album);
    await nameFaces(engine.library, [facesOf(engine.library, 'obama_small.jpg')[0].id], 'Barack Obama');
    const photoPath = photoNamed(engine.library, 'obama_small.jpg').paths[0];
    const layout = ExportLayout.of(engine.library);
    await engine.close();
    const folder = join(work, 'cli-export');
    const exported = await runCli(dir, 'names', 'export', '--to', folder, '--json');
    expect(exported.code).toBe(0);
    const summary = JSON.parse(exported.out.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ photosWithNames: 1, written: 1, folder });
    const text = await runCli(dir, 'names', 'import');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/\d photos? read, 0 with names: 0 faces named/);
    // Another library of the same photos reads the exported folder back: the names are not locked in one library.
    const fresh = await openLibrary('cli-fresh', album, { readNamesOnImport: false });
    await fresh.close();
    const back = await runCli(join(work, 'cli-fresh'), 'names', 'import', '--from', folder);
    expect(back.code).toBe(0);
    expect(back.out).toMatch(/\d+ photos? read, 1 with names: 1 face named \(1 new person\)/);
    // Killed between the names and the regrouping they call for (simulated: the names alone, as a killed run leaves
    // them): the next run names nothing new, and still regroups (QA).
    const killed = await openLibrary('cli-killed', album, { readNamesOnImport: false });
    await importNamesFromOtherApps(killed.library, { from: folder, regroupAfter: true });
    expect(killed.library.people.regroupPending).toBe(true);
    await killed.close();
    const rerun = await runCli(join(work, 'cli-killed'), 'names', 'import', '--from', folder, '--json');
    expect(JSON.parse(rerun.out.trim().split('\n').at(-1)!)).toMatchObject({ facesNamed: 0, alreadyNamed: 1, regrouped: true });
    const after = await runCli(join(work, 'cli-killed'), 'names', 'import', '--from', folder, '--json');
    expect(JSON.parse(after.out.trim().split('\n').at(-1)!)).toMatchObject({ facesNamed: 0, regrouped: false });
    expect((await runCli(join(work, 'cli-fresh'), 'names', 'import', '--from', join(work, 'nowhere'))).code).toBe(2);
    expect((await runCli(dir, 'names', 'export', 'extra')).code).toBe(2);
    expect((await runCli(dir, 'names', 'export', '--include-unconfirmed', '--confirmed-only')).code).toBe(2);
    expect((await runCli(dir, 'names', 'export', '--to', join(work, 'cli-all'), '--include-unconfirmed')).code).toBe(0);
    expect((await runCli(dir, 'names', 'export', '--to', '')).code).toBe(2);
    // Not one sidecar written: the export failed, and says so by its exit code.
    const blocked = join(work, 'cli-blocked');
    await mkdir(layout.sidecarPath(photoPath, blocked), { recursive: true });
    const failed = await runCli(dir, 'names', 'export', '--to', blocked);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/0 sidecars written, 0 already up to date, 1 skipped/);
    // A folder that cannot be made is one sentence, at once: under a file, or where the system refuses new folders
    // (Node's recursive mkdir spun forever under /proc).
    await writeFile(join(work, 'a-file'), 'x');
    const underFile = await runCli(dir, 'names', 'export', '--to', join(work, 'a-file', 'names'));
    expect([underFile.code, underFile.err.trim()]).toEqual([1, `familiar names export: Cannot export to ${join(work, 'a-file', 'names')}: part of the path is a file, not a folder.`]);
    const proc = await runCli(dir, 'names', 'export', '--to', '/proc/familiar-names');
    expect([proc.code, proc.err.trim()]).toEqual([1, 'familiar names export: Cannot export to /proc/familiar-names: no folder can be made there.']);
  }, 240_000);
});

describe('matching regions to faces', () => {
  const box = (x: number, y: number, width: number, height: number): [number, number, number, number] => [x, y, width, height];
  it('pairs one to one by overlap, accepts looser boxes around a face, and leaves far regions alone', () => {
    const faces = [box(100, 100, 50, 50), box(200, 100, 50, 50)];
    // A loose head-and-hair box around the second face, a tight one on the first, one nowhere, one on both.
    const regions = [box(185, 80, 80, 90), box(102, 98, 48, 52), box(0, 0, 10, 10)];
    expect(matchRegionsToFaces(regions, faces)).toEqual([1, 0, null]);
    // Two regions on one face: the better one wins, the other matches nothing.
    expect(matchRegionsToFaces([box(100, 100, 50, 50), box(110, 110, 50, 50)], [faces[0]])).toEqual([0, null]);
  });
});

describe('backups of the sidecars an export writes into', () => {
  it('are one folder per export in the library, each file at its own path, and lose nothing', async () => {
    const people = ['Abdullah_Gul', 'Alejandro_Toledo', 'Colin_Powell', 'Kofi_Annan'];
    const album = await makeAlbum(join(work, 'album-backups'), Object.fromEntries(people.map((p) => [`dk/${p}.jpg`, `lfw_subset/${p}/${p}_0001.jpg`])));
    const engine = await openLibrary('backups', album);
    try {
      const lib = engine.library;
      for (const p of people) await nameFaces(lib, [facesOf(lib, `${p}.jpg`)[0].id], p.replace('_', ' '));
      // digiKam's sidecars: a rating each, no faces yet.
      const digikam = (rating: number) =>
        `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="${rating}"/></rdf:RDF></x:xmpmeta>`;
      const sidecars = people.map((p) => join(album, `dk/${p}.jpg.xmp`));
      for (const [i, sidecar] of sidecars.entries()) await writeFile(sidecar, digikam(i + 1));

      const first = await exportNamesToXmp(lib);
      expect(first).toMatchObject({ written: 4, intoOtherApps: 4, backups: 4, skipped: [] });
      // One folder for the run, in the library: each sidecar as digiKam left it, at its own path, and a word on it.
      const runs = join(lib.dir, SIDECAR_BACKUP_DIR);
      expect(await readdir(runs)).toEqual([first.backupFolder!.slice(runs.length + 1)]);
      expect(first.backupFolder).toMatch(/sidecar-backups\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/);
      for (const [i, sidecar] of sidecars.entries()) expect(await readFile(join(first.backupFolder!, sidecar), 'utf8')).toBe(digikam(i + 1));
      const readme = await readFile(join(first.backupFolder!, 'README.txt'), 'utf8');
      expect(sidecars.some((sidecar) => readme.includes(`(${join(first.backupFolder!, sidecar)} was ${sidecar})`)), readme).toBe(true);
      // Nothing beside the photos but their sidecars, now holding the names too.
      expect((await readdir(join(album, 'dk'))).sort()).toEqual(people.flatMap((p) => [`${p}.jpg`, `${p}.jpg.xmp`]).sort());
      expect(parseXmpRegions(await readFile(sidecars[0], 'utf8'), 1).regions.map((r) => r.name)).toEqual(['Abdullah Gul']);

      // Again: nothing to keep, no folder made.
      expect(await exportNamesToXmp(lib)).toMatchObject({ written: 0, unchanged: 4, backups: 0, backupFolder: null });
      expect(await readdir(runs)).toHaveLength(1);
      // digiKam writes one sidecar anew from its database (Familiar's mark gone), and Colin is renamed: the next
      // export keeps that one sidecar, in a folder of its own; the earlier one is left as it was.
      await writeFile(sidecars[2], digikam(5));
      await nameFaces(lib, [facesOf(lib, 'Colin_Powell.jpg')[0].id], 'General Powell');
      const second = await exportNamesToXmp(lib);
      expect(second).toMatchObject({ written: 1, backups: 1, skipped: [] });
      expect(second.backupFolder).not.toBe(first.backupFolder);
      expect(await readFile(join(second.backupFolder!, sidecars[2]), 'utf8')).toBe(digikam(5));
      expect(await readFile(join(first.backupFolder!, sidecars[2]), 'utf8')).toBe(digikam(3));

      // No backup can be made (here a file where the folder goes): the sidecar is left as it was, and said.
      await rm(runs, { recursive: true });
      await writeFile(runs, 'not a folder');
      await writeFile(sidecars[3], digikam(2));
      await nameFaces(lib, [facesOf(lib, 'Kofi_Annan.jpg')[0].id], 'Kofi A. Annan');
      const refused = await exportNamesToXmp(lib);
      expect(refused).toMatchObject({ written: 0, backups: 0, backupFolder: null });
      expect(refused.skipped).toEqual([{ path: sidecars[3], reason: expect.stringMatching(/^no backup could be made before writing into it \(.*\), so Familiar leaves it alone$/) }]);
      expect(await readFile(sidecars[3], 'utf8')).toBe(digikam(2));
    } finally {
      await engine.close();
    }
  }, 240_000);
});

describe('the photos a changed sidecar names (a watched folder)', () => {
  const photo = (id: string, ...paths: string[]) => ({ id, paths, missing: false }) as unknown as PhotoRecord;
  const photos = [
    photo('a', '/album/IMG_1.jpg'),
    photo('b', '/album/IMG_2.JPG', '/copies/IMG_2.JPG'),
    photo('c', '/album/summer/beach.png'),
    photo('d', '/album/summer/sea.jpg'),
    photo('e', '/other/IMG_1.jpg'),
    { ...photo('f', '/album/IMG_3.jpg'), missing: true },
  ];
  const named = (files: string[], platform: NodeJS.Platform = 'linux') => [...photosNamedBySidecars(photos, files, pathRules(platform))].sort();

  it('finds IMG_1.jpg by IMG_1.jpg.xmp and by IMG_1.xmp, in that folder only, and any copy by its own sidecar', () => {
    expect(named(['/album/IMG_1.jpg.xmp'])).toEqual(['a']);
    expect(named(['/album/IMG_1.xmp'])).toEqual(['a']);
    expect(named(['/copies/IMG_2.xmp'])).toEqual(['b']);
    // A photo no longer on disk has nothing to read; a sidecar of no photo names nobody.
    expect(named(['/album/IMG_3.jpg.xmp', '/album/IMG_9.xmp'])).toEqual([]);
  });

  it('finds every photo of a folder by its .picasa.ini (Picasa.ini before Picasa 3), not those of its subfolders', () => {
    expect(named(['/album/summer/.picasa.ini'])).toEqual(['c', 'd']);
    expect(named(['/album/Picasa.ini'])).toEqual(['a', 'b']);
  });

  it('matches names as the platform does: any case on Windows and macOS, exactly on Linux', () => {
    expect(named(['/album/img_2.jpg.xmp'], 'linux')).toEqual([]);
    expect(named(['/album/img_2.jpg.xmp'], 'darwin')).toEqual(['b']);
    expect(named(['/album/IMG_2.JPG.XMP'], 'linux')).toEqual(['b']);
  });
});

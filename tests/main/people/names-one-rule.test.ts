// One rule for "are these two names the same person" (preload/names.ts) wherever the engine looks a name up: a person
// named on the command line, names read from other apps (XMP regions, Google Takeout), and the names import's
// decision. Case and the accents of Latin, Greek and Cyrillic letters are left aside ("Zoë" written by digiKam joins
// the library's Zoe); a mark of Hindi or Japanese is a letter ("किरण" is not "करण"); and a name is not another it
// only starts ("Mary Ann" is not "Mary Anne").
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listPeople, nameFacesInBulk, namePerson, recluster, resolvePerson } from '../../../main/people/index.js';
import { placeTakeoutNames, type TakeoutPhoto } from '../../../main/people/takeout-names.js';
import { importNamesFromOtherApps, sidecarPathFor } from '../../../main/people/xmp-names.js';
import type { FaceRecord, PersonRecord } from '../../../main/store/types.js';
import { makePeopleFixture, type PeopleFixture } from './fixture.js';

const person = (id: string, name: string | null): PersonRecord => ({ id, name, hidden: false, coverFaceId: null, createdAt: '2024-01-01T00:00:00.000Z' });

describe('resolvePerson: a person named on the command line', () => {
  const people = [person('p-zoe', 'Zoe'), person('p-jose', 'José'), person('p-karan', 'करण'), person('p-mary', 'Mary Anne'), person('p-group', null)];

  it('finds a name typed in another case or without its accents, as the app does', () => {
    expect(resolvePerson(people, 'Zoë').id).toBe('p-zoe');
    expect(resolvePerson(people, 'JOSE').id).toBe('p-jose');
    expect(resolvePerson(people, '  josé ').id).toBe('p-jose');
    expect(resolvePerson(people, 'p-group').id).toBe('p-group');
  });

  it('takes a mark of Hindi for a letter, and a name for no other it starts', () => {
    expect(() => resolvePerson(people, 'किरण')).toThrow(/No person "किरण"/);
    expect(() => resolvePerson(people, 'Mary Ann')).toThrow(/No person "Mary Ann"/);
  });

  it('of Jose and José, finds each by its spelling, and a third spelling is ambiguous', () => {
    const both = [...people, person('p-jose-plain', 'Jose')];
    expect(resolvePerson(both, 'jose').id).toBe('p-jose-plain');
    expect(resolvePerson(both, 'JOSÉ').id).toBe('p-jose');
    expect(() => resolvePerson(both, 'Josè')).toThrow(/ambiguous: 2 people/);
  });
});

describe('placing Google Takeout names', () => {
  // Two faces a photo; embeddings on two axes, so each face is plainly near one person's known faces.
  const face = (id: string): FaceRecord => ({
    id,
    photoId: 'photo',
    box: [0, 0, 10, 10],
    score: 0.9,
    landmarks: [],
    vectorRow: 0,
    personId: null,
    assignedBy: null,
    rejectedPersonIds: [],
    faceness: null,
    thumb: '',
  });
  const axis = (i: number) => Float32Array.from([0, 0, 0].map((_, j) => (j === i ? 1 : 0)));
  const embeddings = new Map([
    ['zoe-face', axis(0)],
    ['jose-face', axis(1)],
  ]);
  const photo: TakeoutPhoto = { path: '/takeout/pair.jpg', faces: [face('jose-face'), face('zoe-face')], names: ['Zoë', 'Jose'], listedBy: 'takeout' };

  it('finds the known faces of "Zoe" under the name "Zoë"', () => {
    const known = new Map([
      ['zoe', [axis(0)]],
      ['jose', [axis(1)]],
    ]);
    const placed = placeTakeoutNames([photo], known, (f) => embeddings.get(f.id)!, 0.3);
    expect(Object.fromEntries(placed.map((p) => [p.face.id, p.name]))).toEqual({ 'zoe-face': 'Zoë', 'jose-face': 'Jose' });
  });

  it('keys names as the caller finds them: of Jose and José, each their own faces', () => {
    // Jose's faces lie on the third axis, José's on the second: "Jose" must not take José's.
    const keyOf = (name: string) => (name === 'Jose' ? 'p-jose-plain' : name === 'José' ? 'p-jose' : name.toLowerCase());
    const known = new Map([
      ['p-jose-plain', [axis(2)]],
      ['p-jose', [axis(1)]],
    ]);
    const placed = placeTakeoutNames([{ ...photo, names: ['Jose'] }], known, (f) => embeddings.get(f.id)!, 0.3, keyOf);
    expect(placed).toEqual([]);
    const placedJose = placeTakeoutNames([{ ...photo, names: ['José'] }], known, (f) => embeddings.get(f.id)!, 0.3, keyOf);
    expect(placedJose.map((p) => [p.face.id, p.name])).toEqual([['jose-face', 'José']]);
  });
});

describe('names from other apps join the person of that name', () => {
  let fx: PeopleFixture;
  let zoe: string;
  let jose: string;
  let karan: string;
  let mary: string;
  /** Unnamed groups' faces, for the metadata to name. */
  let loose: string[][];
  /**
   * Faces of Zoe's and José's, in no group: another spelling joins a person only when the faces look like them
   * (names-read-spellings.test.ts), so the faces another app names "Zoë" are hers.
   */
  let zoeLoose: string[];
  let joseLoose: string[];

  beforeEach(async () => {
    fx = await makePeopleFixture({ faces: 240, reserve: 0, groupPhotos: 0 });
    await recluster(fx.library);
    const groups = listPeople(fx.library).filter((p) => p.faceIds.length >= 4);
    expect(groups.length).toBeGreaterThanOrEqual(8);
    [zoe, jose, karan, mary] = groups.slice(0, 4).map((g) => g.id);
    await namePerson(fx.library, zoe, 'Zoe');
    await namePerson(fx.library, jose, 'José');
    await namePerson(fx.library, karan, 'करण');
    await namePerson(fx.library, mary, 'Mary Anne');
    loose = groups.slice(4).map((g) => g.faceIds);
    const takeOut = (personId: string) => fx.library.faces.filter((f) => f.personId === personId && fx.library.people.people.every((p) => p.coverFaceId !== f.id)).slice(0, 2).map((f) => f.id);
    [zoeLoose, joseLoose] = [takeOut(zoe), takeOut(jose)];
    await fx.library.transaction((tx) => {
      for (const f of tx.faces) {
        if (![...zoeLoose, ...joseLoose].includes(f.id)) continue;
        f.personId = null;
        f.assignedBy = null;
      }
    });
  });

  afterEach(async () => {
    await fx.close();
  });

  const personOf = (faceId: string) => fx.library.face(faceId)!.personId;
  const nameOfFace = (faceId: string) => fx.library.people.people.find((p) => p.id === personOf(faceId))?.name ?? null;

  it('in one decision: "Zoë" joins Zoe, "JOSE" José; "किरण" and "Mary Ann" are new people; two spellings of a new name are one', async () => {
    const [c, d, e] = loose;
    const [a, b] = [zoeLoose, joseLoose];
    const result = await nameFacesInBulk(
      fx.library,
      [
        { faceId: a[0], name: 'Zoë' },
        { faceId: a[1], name: 'ZOE' },
        { faceId: b[0], name: 'JOSE' },
        { faceId: c[0], name: 'किरण' },
        { faceId: d[0], name: 'Mary Ann' },
        { faceId: e[0], name: 'Chloé' },
        { faceId: e[1], name: 'chloe' },
      ],
      'photo metadata',
    );
    expect(personOf(a[0])).toBe(zoe);
    expect(personOf(a[1])).toBe(zoe);
    expect(personOf(b[0])).toBe(jose);
    expect(nameOfFace(c[0])).toBe('किरण');
    expect(personOf(c[0])).not.toBe(karan);
    expect(nameOfFace(d[0])).toBe('Mary Ann');
    expect(personOf(d[0])).not.toBe(mary);
    expect(nameOfFace(e[0])).toBe('Chloé');
    expect(personOf(e[1])).toBe(personOf(e[0]));
    expect(result.description).toBe('Named 7 faces from photo metadata (5 people, 3 new).');
    expect(new Set(result.personIds).size).toBe(result.personIds.length);
  });

  it('a spelling of a name two people share is refused as ambiguous, the exact one is not', async () => {
    // Naming a group "Jose" would join José: both names are there from before the rule, or from another app.
    const group = fx.library.face(loose[0][0])!.personId;
    await fx.library.transaction((tx) => {
      tx.people.people.find((p) => p.id === group)!.name = 'Jose';
    });
    expect(() => nameFacesInBulk(fx.library, [{ faceId: loose[1][0], name: 'Josè' }], 'photo metadata')).toThrow(/"Josè" is ambiguous: 2 people/);
    await nameFacesInBulk(fx.library, [{ faceId: loose[1][0], name: 'JOSÉ' }], 'photo metadata');
    expect(personOf(loose[1][0])).toBe(jose);
  });

  it('reading XMP face regions: "Zoë" names a face Zoe, a face of Zoe already named so counts as named, "Mary Ann" is new', async () => {
    const album = await mkdtemp(join(tmpdir(), 'familiar-names-rule-'));
    try {
      // A face the user confirmed as Zoe, which the metadata names "ZOË".
      const zoeFace = fx.library.faces.find((f) => f.personId === zoe && f.assignedBy === 'user')!.id;
      // Each photo at a path of its own, with an exported sidecar naming its face (one face a photo in this fixture).
      const named = new Map([
        [zoeLoose[0], 'Zoë'],
        [joseLoose[0], 'JOSE'],
        [loose[2][0], 'Mary Ann'],
        [loose[3][0], 'किरण'],
        [zoeFace, 'ZOË'],
      ]);
      const photoOf = new Map([...named.keys()].map((faceId) => [fx.library.face(faceId)!.photoId, faceId]));
      await fx.library.transaction((tx) => {
        for (const p of tx.photos) if (photoOf.has(p.id)) p.paths = [join('/photos', `${p.id.slice(-12)}.jpg`)];
      });
      const sidecars = join(album, 'sidecars');
      for (const [photoId, faceId] of photoOf) {
        const photo = fx.library.photo(photoId)!;
        const [x, y, w, h] = fx.library.face(faceId)!.box;
        const area = { x: (x + w / 2) / photo.width, y: (y + h / 2) / photo.height, w: w / photo.width, h: h / photo.height };
        const file = sidecarPathFor(photo.paths[0], sidecars);
        await mkdir(join(file, '..'), { recursive: true });
        await writeFile(file, faceRegion(named.get(faceId)!, area));
      }
      const result = await importNamesFromOtherApps(fx.library, { from: sidecars, photoIds: new Set(photoOf.keys()) });
      expect(result.conflicts).toEqual([]);
      expect(personOf(zoeLoose[0])).toBe(zoe);
      expect(personOf(joseLoose[0])).toBe(jose);
      expect(nameOfFace(loose[2][0])).toBe('Mary Ann');
      expect(nameOfFace(loose[3][0])).toBe('किरण');
      expect(result.alreadyNamed).toBe(1);
      expect(result.facesNamed).toBe(4);
      expect(result.newPeople).toEqual(['Mary Ann', 'किरण']);
    } finally {
      await rm(album, { recursive: true, force: true });
    }
  });
});

/** An XMP packet with one MWG face region, as digiKam writes it (the area's x and y are its centre). */
function faceRegion(name: string, area: { x: number; y: number; w: number; h: number }): string {
  return (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#">' +
    `<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag><rdf:li><rdf:Description mwg-rs:Name="${name}" mwg-rs:Type="Face">` +
    `<mwg-rs:Area stArea:x="${area.x}" stArea:y="${area.y}" stArea:w="${area.w}" stArea:h="${area.h}" stArea:unit="normalized"/>` +
    '</rdf:Description></rdf:li></rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions></rdf:Description></rdf:RDF></x:xmpmeta>'
  );
}

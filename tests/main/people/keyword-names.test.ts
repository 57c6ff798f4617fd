// People tagged as keywords without face regions, on real photos analysed by the real pipeline: Lightroom's
// "People|Family|George W Bush" in IMG.xmp, IPTC's Person Shown and digiKam's "People/Barack Obama" in IMG.jpg.xmp say who a photo shows,
// not which face, as a Google Takeout does; the import places them with the embedding (a photo with one face is that
// person, a group photo's face goes to the name whose known faces it lies nearest), says which names went to no face
// and why, and never reads a plain keyword ("beach") or digiKam's "People/Unknown" as a person.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { importNamesFromOtherApps } from '../../../main/people/xmp-names.js';
import type { Library } from '../../../main/store/library.js';
import type { FaceRecord } from '../../../main/store/types.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';
import { makeAlbum } from '../library/helpers.js';

const ALBUM = {
  'lightroom/George_W_Bush_0001.jpg': 'lfw_subset/George_W_Bush/George_W_Bush_0001.jpg',
  'lightroom/George_W_Bush_0002.jpg': 'lfw_subset/George_W_Bush/George_W_Bush_0002.jpg',
  'lightroom/George_W_Bush_0003.jpg': 'lfw_subset/George_W_Bush/George_W_Bush_0003.jpg',
  'digikam/obama_small.jpg': 'face_recognition/obama/obama_small.jpg',
  'digikam/obama_and_biden.jpg': 'face_recognition/_group_photos/obama_and_biden.jpg',
};

const packet = (body: string) =>
  `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:lr="http://ns.adobe.com/lightroom/1.0/" xmlns:digiKam="http://www.digikam.org/ns/1.0/">${body}</rdf:Description></rdf:RDF></x:xmpmeta>`;
const lightroom = (...keywords: string[]) =>
  packet(
    `<dc:subject><rdf:Bag>${keywords.map((k) => `<rdf:li>${k.split('|').at(-1)}</rdf:li>`).join('')}</rdf:Bag></dc:subject>` +
      `<lr:hierarchicalSubject><rdf:Bag>${keywords.map((k) => `<rdf:li>${k}</rdf:li>`).join('')}</rdf:Bag></lr:hierarchicalSubject>`,
  );
const digikam = (...tags: string[]) => packet(`<digiKam:TagsList><rdf:Seq>${tags.map((t) => `<rdf:li>${t}</rdf:li>`).join('')}</rdf:Seq></digiKam:TagsList>`);

let pool: CachedAnalysis;
let work: string;

beforeAll(async () => {
  pool = new CachedAnalysis(2);
  work = await mkdtemp(join(tmpdir(), 'familiar-keywords-'));
}, 120_000);

afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const photoNamed = (library: Library, file: string) => library.photos.find((p) => p.paths.some((path) => path.endsWith(`/${file}`)))!;
const facesOf = (library: Library, file: string): FaceRecord[] => [...library.facesOfPhoto(photoNamed(library, file).id)].sort((a, b) => a.box[0] - b.box[0]);
const nameOf = (library: Library, face: FaceRecord) => library.people.people.find((p) => p.id === library.face(face.id)!.personId)?.name ?? null;
/** The largest face of a photo: LFW's person, not a bystander. */
const largest = (library: Library, file: string) => facesOf(library, file).sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0];

describe('names from people keywords', () => {
  it("places Lightroom's and digiKam's people keywords on the faces they must be, and says which went to none", async () => {
    const album = await makeAlbum(join(work, 'album'), ALBUM);
    for (const n of [1, 2]) {
      // Lightroom's sidecar convention: IMG.xmp beside IMG.jpg.
      await writeFile(join(album, `lightroom/George_W_Bush_000${n}.xmp`), lightroom('People|Family|George W Bush', 'Places|Texas'));
    }
    // IPTC's Person Shown, as Lightroom's IPTC Extension panel or Photo Mechanic writes it.
    await writeFile(
      join(album, 'lightroom/George_W_Bush_0003.xmp'),
      packet('<Iptc4xmpExt:PersonInImage xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"><rdf:Bag><rdf:li>George W Bush</rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImage>'),
    );
    await writeFile(join(album, 'digikam/obama_small.jpg.xmp'), digikam('People/Barack Obama', 'Events/Convention'));
    await writeFile(join(album, 'digikam/obama_and_biden.jpg.xmp'), digikam('People/Barack Obama', 'People/Joe Biden', 'People/Unknown'));
    const engine = await Engine.open(join(work, 'library'), { analyzer: pool });
    try {
      const { names } = await engine.import([album]);
      const lib = engine.library;
      for (const n of [1, 2, 3]) expect(nameOf(lib, largest(lib, `George_W_Bush_000${n}.jpg`)), `George_W_Bush_000${n}`).toBe('George W Bush');
      expect(nameOf(lib, facesOf(lib, 'obama_small.jpg')[0])).toBe('Barack Obama');
      // Joe Biden stands left of Barack Obama, a girl at the right edge: Obama's face lies nearest his own photo; Biden's
      // name has no known face, and three faces for two names leave no face to him by elimination.
      expect(facesOf(lib, 'obama_and_biden.jpg').map((f) => nameOf(lib, f))).toEqual([null, 'Barack Obama', null]);
      expect([...names!.newPeople].sort()).toEqual(['Barack Obama', 'George W Bush']);
      // Not people: the plain keywords, the places and events, and digiKam's tag for faces it has no name for.
      expect(lib.people.people.map((p) => p.name).filter((name) => name !== null).sort()).toEqual(['Barack Obama', 'George W Bush']);

      // Read again, it says which name went to no face, and why.
      const again = await importNamesFromOtherApps(lib);
      expect(again.droppedRegions).toEqual([
        { path: join(album, 'digikam/obama_and_biden.jpg'), name: 'Joe Biden', reason: 'a people keyword names them in this photo, with no face region, and no face in it was clearly theirs' },
      ]);
      // Named as the user names: confirmed, and the user's answers hold against the keywords.
      expect(largest(lib, 'George_W_Bush_0001.jpg').assignedBy).toBe('user');
    } finally {
      await engine.close();
    }
  }, 300_000);
});

// A face the user marked by drawing a box ("Mark a missed face"), named, goes out in the sidecars like any named face,
// and a fresh library of the same photos takes the name back onto a face at that box: kept as drawn where no detected
// face is there, as the viewer keeps the box (main/library/drawn-faces.ts). QA: "Aide Tom" was dropped with only a
// count saying a region had no detected face. Undo of the names takes the face out again. Real photos, real analysis.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { nameFaces, redoLast, undoDecision } from '../../../main/people/index.js';
import { exportNamesToXmp, importNamesFromOtherApps } from '../../../main/people/xmp-names.js';
import type { Library } from '../../../main/store/library.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';
import { makeAlbum } from '../library/helpers.js';

const ALBUM = {
  'laura/Laura_Bush_0007.jpg': 'lfw_subset/Laura_Bush/Laura_Bush_0007.jpg',
  'obama/obama_small.jpg': 'face_recognition/obama/obama_small.jpg',
};
/** A box in the photo's corner, away from Laura Bush's face: the detector finds no face there, so it is kept as drawn. */
const BOX: [number, number, number, number] = [4, 150, 44, 50];

let pool: CachedAnalysis;
let work: string;

beforeAll(async () => {
  pool = new CachedAnalysis(2);
  work = await mkdtemp(join(tmpdir(), 'familiar-xmp-drawn-'));
}, 120_000);

afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const laura = (library: Library) => library.photos.find((p) => p.paths.some((path) => path.endsWith('Laura_Bush_0007.jpg')))!;
const personOf = (library: Library, faceId: string) => library.people.people.find((p) => p.id === library.face(faceId)?.personId)?.name ?? null;

describe('a drawn face named in one library', () => {
  it('comes back named on a drawn face at its box in a fresh library of the same photos, and undo takes it out', async () => {
    const album = await makeAlbum(join(work, 'album'), ALBUM);
    const folder = join(work, 'exported');
    const source = await Engine.open(join(work, 'source'), { analyzer: pool });
    try {
      await source.import([album]);
      const drawn = await source.addDrawnFace(laura(source.library).id, BOX);
      expect(drawn).toMatchObject({ added: true });
      await nameFaces(source.library, [drawn.faceId], 'Aide Tom');
      expect((await exportNamesToXmp(source.library, { to: folder })).written).toBeGreaterThan(0);
    } finally {
      await source.close();
    }

    const fresh = await Engine.open(join(work, 'fresh'), { analyzer: pool });
    try {
      await fresh.import([album], { readNames: false });
      const lib = fresh.library;
      const photo = laura(lib);
      const facesBefore = [...photo.faceIds];
      const result = await importNamesFromOtherApps(lib, { from: folder, analyzer: async () => pool });
      expect(result).toMatchObject({ facesAdded: 1, unmatchedRegions: 0, droppedRegions: [] });
      expect(result.newPeople).toContain('Aide Tom');
      const added = lib.facesOfPhoto(photo.id).find((f) => !facesBefore.includes(f.id))!;
      expect(added.drawn).toBe(true);
      expect(personOf(lib, added.id)).toBe('Aide Tom');
      expect(lib.face(added.id)!.assignedBy).toBe('user');
      // At the box drawn in the other library (the sidecar's fractions of the photo, rounded).
      added.box.forEach((v, i) => expect(Math.abs(v - BOX[i])).toBeLessThan(result.facesKeptAsDrawn === 1 ? 1 : 12));

      // Undo takes the names back, and the face the import added with them.
      const undone = await undoDecision(lib);
      expect(undone.message).toContain('took out the 1 face added');
      expect(lib.face(added.id)).toBeUndefined();
      expect(lib.photo(photo.id)!.faceIds).toEqual(facesBefore);
      expect(lib.people.people.some((p) => p.name === 'Aide Tom')).toBe(false);
      // Its face went with the undo: redo would bring the names back without it, so it says to read them again.
      await expect(redoLast(lib)).rejects.toThrow('Read the names again');
    } finally {
      await fresh.close();
    }
  }, 300_000);

  it('a region too small to hold a face is dropped, and the summary says which name in which file', async () => {
    const album = await makeAlbum(join(work, 'album-tiny'), ALBUM);
    const engine = await Engine.open(join(work, 'tiny'), { analyzer: pool });
    try {
      await engine.import([album], { readNames: false });
      const lib = engine.library;
      const photo = laura(lib);
      const { writeFile } = await import('node:fs/promises');
      // 0.02 of 250 px is 5 px: no face fits there.
      await writeFile(
        `${photo.paths[0]}.xmp`,
        `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#"><mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag><rdf:li><rdf:Description mwg-rs:Name="Speck" mwg-rs:Type="Face"><mwg-rs:Area stArea:x="0.05" stArea:y="0.9" stArea:w="0.02" stArea:h="0.02" stArea:unit="normalized"/></rdf:Description></rdf:li></rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions></rdf:Description></rdf:RDF></x:xmpmeta>`,
      );
      const result = await importNamesFromOtherApps(lib, { analyzer: async () => pool });
      expect(result).toMatchObject({ facesAdded: 0, unmatchedRegions: 1 });
      expect(result.droppedRegions).toEqual([{ path: photo.paths[0], name: 'Speck', reason: expect.stringContaining('too small') }]);
    } finally {
      await engine.close();
    }
  }, 300_000);
});

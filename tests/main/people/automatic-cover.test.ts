// A person's automatic cover is a face a user would pick (main/people/queries.ts, coverOf): whole, large, frontal and
// typical of them. QA: names read from metadata enrolled George W Bush with the first face read as his cover, half his
// face at the right edge of a photo of Bill Simon (lfw_subset's Bill_Simon_0006), among ten portraits. On real photos
// imported through the engine: his ten, and Bill Simon's with him cut by the edge.
import { describe, expect, it } from 'vitest';
import { nameFacesInBulk, setCover } from '../../../main/people/index.js';
import { unrecognisable } from '../../../main/people/library.js';
import { headTurn, pictureOfPerson } from '../../../main/people/queries.js';
import { forgetFirstNamedFaceCovers } from '../../../main/store/upgrades.js';
import type { FaceRecord } from '../../../main/store/types.js';
import { importedLibrary, mainFacesOf } from '../../helpers/imported-library.js';

const { library } = importedLibrary('automatic-cover', ['lfw_subset/George_W_Bush', 'lfw_subset/Bill_Simon/Bill_Simon_0006.jpg']);

/** George W Bush at the edge of Bill Simon's photo: the face there the edge cuts. */
function cutBush(): FaceRecord {
  const photo = library().photos.find((p) => p.paths[0].endsWith('Bill_Simon_0006.jpg'))!;
  const cut = library().facesOfPhoto(photo.id).filter((f) => unrecognisable(f, photo) === 'cut');
  expect(cut).toHaveLength(1);
  return cut[0];
}

describe("a person's automatic cover", () => {
  it('is a whole frontal face of theirs, not the first face named; "Make cover" still wins, and the upgrade forgets old first-face covers', async () => {
    const lib = library();
    const cut = cutBush();
    const portraits = mainFacesOf(lib, 'George_W_Bush');
    expect(portraits).toHaveLength(10);
    // As QA's names import: the photo of Bill Simon read first, everything confirmed; its face the most confident of none.
    const { personIds } = await nameFacesInBulk(lib, [cut, ...portraits].map((f) => ({ faceId: f.id, name: 'George W Bush' })), 'photo metadata (XMP face regions)');
    const bush = personIds[0];
    expect(lib.people.people.find((p) => p.id === bush)!.coverFaceId).toBeNull();
    const picture = lib.face(pictureOfPerson(lib, bush)!)!;
    expect(picture.id).not.toBe(cut.id);
    expect(portraits.map((f) => f.id)).toContain(picture.id);
    expect(unrecognisable(picture, lib.photo(picture.photoId))).toBeNull();
    expect(headTurn(picture.landmarks)).toBeLessThanOrEqual(0.2);

    // A library named before this rule kept the first face as if chosen: the upgrade takes it back.
    const older = structuredClone(lib.people);
    older.people.find((p) => p.id === bush)!.coverFaceId = cut.id;
    expect(forgetFirstNamedFaceCovers(older)).toBe(1);
    expect(older.people.find((p) => p.id === bush)!.coverFaceId).toBeNull();

    // The user's choice wins over the rule, and the upgrade leaves it.
    await setCover(lib, bush, cut.id);
    expect(pictureOfPerson(lib, bush)).toBe(cut.id);
    const chosen = structuredClone(lib.people);
    expect(forgetFirstNamedFaceCovers(chosen)).toBe(0);
    expect(chosen.people.find((p) => p.id === bush)!.coverFaceId).toBe(cut.id);
  });
});

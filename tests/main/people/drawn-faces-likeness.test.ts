// A box the user drew where the detector found no face is kept as the face on their word (FaceRecord.undetected,
// main/library/drawn-faces.ts), but its vector may be of no face at all: it is never anyone's evidence of likeness
// (main/people/library.ts, isComparable). On real faces (lfw_subset): a library of 20 people with 6 photos each and the
// 100 one-photo strangers, regrouped, two of the people named. The user drew a box on a photo of a 21st person and
// named it "Ben": before, the next photo of that person, 0.03 from the box's vector, was placed with Ben by it alone,
// and more of his photos were asked about as Ben ("Is this Ben?", "Looks like Ben", "Ben or Ada?"). A drawn box nobody
// named, its vector near a named person's faces, was offered as one of her suggestions and hinted as her.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosineDistanceOf } from '../../../models/cluster/vectors.js';
import { looseFaceNeighbourhood } from '../../../main/people/face-candidates.js';
import { ambiguousFaces, assignNewFaces, groupCandidateOf, nameFaces, namePerson, recluster, suggestionsFor, whoInPhoto } from '../../../main/people/index.js';
import { likelyQuestions } from '../../../main/people/likely-questions.js';
import { Library } from '../../../main/store/library.js';
import { loadLfwPeople, type LfwPerson } from '../../models/embedder/lfw-fixture.js';
import { addFacePhotos, addOneFacePhotos, addPersonWithFaces } from '../embedder/fixture.js';

let dir: string;
let library: Library;
/** The person whose photo holds the drawn box named Ben, and his other photos, nearest the box first. */
let him: { descriptors: Float32Array[] };
let ben: string;
let ada: string;
let adaIdentity: LfwPerson;

const idOf = (name: string) => library.people.people.find((p) => p.name === name)!.id;

/** Adds one photo per descriptor with a box kept as drawn: no detection, score 0, its vector as given. */
async function drawnBoxes(descriptors: readonly Float32Array[]): Promise<string[]> {
  const ids = await addFacePhotos(library, descriptors);
  await library.transaction((tx) => {
    for (const f of tx.faces) if (ids.includes(f.id)) Object.assign(f, { drawn: true, undetected: true, score: 0 });
  });
  return ids;
}

beforeAll(async () => {
  const people = await loadLfwPeople();
  const many = people.filter((p) => p.descriptors.length >= 10);
  // The first person (by name) with a photo within 0.035 of his first: the box's vector and the photo placed by it.
  const his = many.find((p) => p.descriptors.slice(1).some((d) => cosineDistanceOf(d, p.descriptors[0]) < 0.035))!;
  const [box, ...rest] = his.descriptors;
  him = { descriptors: [box, ...rest.sort((a, b) => cosineDistanceOf(a, box) - cosineDistanceOf(b, box))] };
  const others = many.filter((p) => p !== his).slice(0, 20);
  dir = mkdtempSync(join(tmpdir(), 'familiar-drawn-likeness-'));
  library = await Library.open(dir);
  await addOneFacePhotos(library, [
    ...others.flatMap((p) => p.descriptors.slice(0, 6).map((descriptor) => ({ identity: p.identity, descriptor }))),
    ...people.filter((p) => p.descriptors.length === 1).map((p) => ({ identity: p.identity, descriptor: p.descriptors[0] })),
  ]);
  await recluster(library);
  // Two people named from their groups (the name confirms the faces like them).
  for (const [p, name] of [[others[0], 'Ada'], [others[1], 'Cy']] as const) {
    const descriptor = Array.from(p.descriptors[0].subarray(0, 8)).join();
    const face = library.faces.find((f) => Array.from(library.embeddingOf(f).subarray(0, 8)).join() === descriptor)!;
    await namePerson(library, face.personId!, name);
  }
  adaIdentity = others[0];
  ada = idOf('Ada');
  const [drawn] = await drawnBoxes([box]);
  await nameFaces(library, [drawn], 'Ben');
  ben = idOf('Ben');
}, 180_000);

afterAll(async () => {
  await library?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a box kept as drawn, named by the user', () => {
  it('places no new photo with them', async () => {
    const [next] = await addFacePhotos(library, [him.descriptors[1]]);
    await assignNewFaces(library, [next]);
    // Before: placed with Ben, the drawn box its nearest face (0.03) and nobody else's within placement's distance.
    expect(library.face(next)!.personId).toBeNull();
  });

  it('asks nothing about them from its vector: not of a face in no group, a group, or a face between two people', async () => {
    const loose = library.faces.filter((f) => f.personId === null && f.assignedBy === null);
    const group = 'person-his-later-photos';
    await addPersonWithFaces(library, group, null, him.descriptors.slice(2, 5), 0);
    for (const f of loose) {
      const { candidate, nearPersonIds } = looseFaceNeighbourhood(library, f.id);
      expect(candidate?.personId).not.toBe(ben);
      expect(nearPersonIds).not.toContain(ben);
    }
    expect(groupCandidateOf(library, group)).toBeNull();
    const likely = likelyQuestions(library);
    expect([...likely.groups, ...likely.faces].map((q) => q.personId)).not.toContain(ben);
    expect(ambiguousFaces(library).flatMap((q) => q.candidates.map((c) => c.personId))).not.toContain(ben);
    const hisPhotos = library.faces.filter((f) => f.personId === group || loose.includes(f)).map((f) => f.photoId);
    for (const photoId of hisPhotos) expect(whoInPhoto(library, photoId).flatMap((w) => w.candidates.map((c) => c.personId))).not.toContain(ben);
  });

  it('draws no group to them in a Regroup', async () => {
    await recluster(library);
    const hisFaces = library.faces.filter((f) => f.undetected !== true && him.descriptors.some((d) => cosineDistanceOf(d, library.embeddingOf(f)) < 1e-6));
    expect(hisFaces.length).toBe(4);
    expect(hisFaces.filter((f) => f.personId === ben)).toEqual([]);
    // The box stays his, as the user said.
    expect(library.faces.filter((f) => f.undetected && f.personId === ben)).toHaveLength(1);
  });
});

describe('a box kept as drawn, named by nobody', () => {
  it('is not suggested, hinted, or said to be anyone, however near a named person its vector lies', async () => {
    // Its vector: one of Ada's photos not in the library, near her faces.
    const [box] = await drawnBoxes([adaIdentity.descriptors[8]]);
    expect(suggestionsFor(library, ada).map((s) => s.faceId)).not.toContain(box);
    expect(looseFaceNeighbourhood(library, box)).toEqual({ candidate: null, nearPersonIds: [] });
    expect(likelyQuestions(library).faces.map((q) => q.faceId)).not.toContain(box);
    expect(whoInPhoto(library, library.face(box)!.photoId)).toEqual([expect.objectContaining({ faceId: box, best: null, candidates: [] })]);
  });
});

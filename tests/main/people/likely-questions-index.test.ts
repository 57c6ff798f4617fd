// The order of "Who is this?" (main/people/likely-questions.ts) scans every unnamed group and every face in no group for
// the named person each may be. Both parts search the named people's faces in an index of their own, and each built
// it: 4.7 s of the scan's 15.5 s at 100,000 faces with 300 people named (docs/clustering.md). Now the scan builds it
// once, and asks what each part asks on its own. On real faces: lfw_subset with 8 photos a person (seed 1) regrouped,
// the largest group of every third person named, a third of the remaining groups' faces put in no group.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as knn from '../../../models/cluster/knn.js';
import { looseFaceNeighbourhood } from '../../../main/people/face-candidates.js';
import { groupCandidates, namedFacesIndex, namedFacesIndexInSteps } from '../../../main/people/group-candidates.js';
import { namePerson, recluster } from '../../../main/people/index.js';
import { likelyQuestions, likelyQuestionsInSlices } from '../../../main/people/likely-questions.js';
import type { Library } from '../../../main/store/library.js';
import { fewPhotosLibrary } from '../embedder/fixture.js';

vi.mock('../../../models/cluster/knn.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../models/cluster/knn.js')>();
  return { ...actual, createHnswIndex: vi.fn(actual.createHnswIndex) };
});

let library: Library;
let close: () => Promise<void>;

beforeAll(async () => {
  const made = await fewPhotosLibrary(8);
  ({ library, close } = made);
  await recluster(library);
  const sizes = new Map<string, number>();
  const firstFace = new Map<string, number>();
  library.faces.forEach((f, i) => {
    if (!f.personId) return;
    sizes.set(f.personId, (sizes.get(f.personId) ?? 0) + 1);
    if (!firstFace.has(f.personId)) firstFace.set(f.personId, i);
  });
  // Groups of one size in the order of their first face: their ids are random, and ordered by id the people named
  // changed from run to run, once leaving no face in no group that a named person was likely to be (a CI run).
  const groups = [...sizes].sort((a, b) => b[1] - a[1] || firstFace.get(a[0])! - firstFace.get(b[0])!).map(([id]) => id);
  for (const [i, id] of groups.entries()) if (i % 3 === 0) await namePerson(library, id, `Person ${i}`);
  const unnamed = new Set(groups.filter((_, i) => i % 3 !== 0));
  await library.transaction((tx) => {
    tx.faces.forEach((f, i) => {
      if (f.personId !== null && unnamed.has(f.personId) && i % 3 === 0) Object.assign(f, { personId: null, assignedBy: null });
    });
  });
}, 120_000);

afterAll(async () => close?.());

describe('the scan for likely people', () => {
  it('builds the named faces\' index once, and asks what the groups\' and the faces\' own questions ask', () => {
    // The library's own index loaded first: only indexes the scan builds are counted.
    library.search(library.embeddingOf(library.faces[0]), 1);
    const built = vi.mocked(knn.createHnswIndex);
    built.mockClear();
    const likely = likelyQuestions(library);
    const named = new Set(library.people.people.filter((p) => p.name !== null).map((p) => p.id));
    const namedFaces = library.faces.filter((f) => f.personId !== null && named.has(f.personId)).length;
    expect(namedFaces * 2).toBeLessThan(library.faces.length);
    // Before: twice, one for the groups and one for the faces in no group.
    expect(built.mock.calls.map(([, size]) => size)).toEqual([namedFaces]);

    expect(likely.groups.length).toBeGreaterThan(0);
    expect(likely.faces.length).toBeGreaterThan(0);
    expect(likely.groups).toEqual(groupCandidates(library));
    const loose = library.faces.filter((f) => f.personId === null);
    expect(likely.faces).toEqual(
      loose
        .flatMap((f) => looseFaceNeighbourhood(library, f.id).candidate ?? [])
        .sort((a, b) => a.distance - b.distance || a.faceId.localeCompare(b.faceId)),
    );
    // As the scan with an index for each part (the rule before, kept to measure).
    expect(likelyQuestions(library, { oneIndex: false })).toEqual(likely);
  });

  it('builds that index in steps, so the API worker answers other calls while a large one is built (a profile)', async () => {
    const named = new Set(library.people.people.filter((p) => p.name !== null).map((p) => p.id));
    const namedFaces = library.faces.filter((f) => f.personId !== null && named.has(f.personId)).length;
    const steps = namedFacesIndexInSteps(library);
    let yields = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) yields++;
    // One step for every 32 faces added.
    expect(yields).toBe(Math.floor(namedFaces / 32));
    const probe = library.embeddingOf(library.faces[0]);
    expect(step.value!.search(probe, 5)).toEqual(namedFacesIndex(library)!.search(probe, 5));
    // The scan in slices asks the same.
    expect(await likelyQuestionsInSlices(library)).toEqual(likelyQuestions(library));
  });
});

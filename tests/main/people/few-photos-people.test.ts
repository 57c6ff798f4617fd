// People photographed a few times each (friends, cousins) stay apart: each one's few faces make a small group of
// their own or stay single faces, never one group with many others. The clustering kept whole every chain of faces
// within its distance: on lfw_subset with every person cut to 3 photos, one group of 144 faces held 48 people, and
// naming it would have named them all. A chain now parts where its parts hold more mass (models/cluster/hdbscan.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recluster } from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import { scoreClustering } from '../../../models/cluster/metrics.js';
import { fewPhotosLibrary } from '../embedder/fixture.js';

let library: Library;
let identityOf: Map<string, string>;
let close: () => Promise<void>;

beforeAll(async () => {
  // Each lfw_subset person with 3+ photos, 3 of them at random, and the 100 people with one photo.
  ({ library, identityOf, close } = await fewPhotosLibrary(3));
}, 60_000);

afterAll(async () => close?.());

/** Each group's faces, by the people they are. */
function groups(): string[][] {
  const byPerson = new Map<string, string[]>();
  for (const f of library.faces) if (f.personId) byPerson.set(f.personId, [...(byPerson.get(f.personId) ?? []), identityOf.get(f.id)!]);
  return [...byPerson.values()];
}

function precision(): number {
  const ids = new Map<string, number>();
  const number = (key: string) => ids.get(key) ?? ids.set(key, ids.size).get(key)!;
  return scoreClustering(
    Int32Array.from(library.faces, (f) => (f.personId === null ? -1 : number(`p:${f.personId}`))),
    Int32Array.from(library.faces, (f) => number(`t:${identityOf.get(f.id)}`)),
  ).bcubedPrecision;
}

describe('people with 3 photos each on lfw_subset (474 faces of 158 people, 100 one-photo people)', () => {
  it('formed groups of dozens of people when each chain of faces within the distance was kept whole', async () => {
    await recluster(library, { componentsBornAtCap: false });
    expect(Math.max(...groups().map((g) => g.length))).toBeGreaterThan(100);
    expect(precision()).toBeLessThan(0.7);
  });

  it('give small groups, nearly all of one person, and most people grouped', async () => {
    await recluster(library);
    const all = groups();
    expect(Math.max(...all.map((g) => g.length))).toBeLessThanOrEqual(6);
    expect(Math.max(...all.map((g) => new Set(g).size))).toBeLessThanOrEqual(3);
    expect(precision()).toBeGreaterThan(0.96);
    // Of the 158 people, the ones whose 3 faces are one group of their own.
    const whole = all.filter((g) => g.length === 3 && new Set(g).size === 1).length;
    expect(whole).toBeGreaterThan(100);
  });
});

// A clustered lfw_subset library (backbone descriptors from the shared cache), a third of its groups named, as a user
// sees it: a person's suggestions offer few faces, a good share of them the person's, and still find faces of theirs
// that no group or a group of strangers holds (QA: a queue offered 24 strangers, most sitting in solid groups of
// their own); and a group's cover shows the group's person, not a stranger it took in (QA: the user names the cover).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ambiguousFaces, listPeople, namePerson, recluster, suggestionsFor } from '../../../main/people/index.js';
import { seededRandom, shuffleInPlace } from '../../../models/embedder/random.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';
import { makeEmbedderFixture, type EmbedderFixture } from '../embedder/fixture.js';

let fx: EmbedderFixture;
const named = new Map<number, string>();

beforeAll(async () => {
  const all = await loadLfwPeople();
  fx = await makeEmbedderFixture(all, { confirmed: 0, seed: 1 });
  const lib = fx.library;
  await lib.transaction((tx) => {
    tx.people.people = [];
    for (const f of tx.faces) Object.assign(f, { personId: null, assignedBy: null });
  });
  await recluster(lib);
  // The user names the largest group of a random third of the people.
  const groups = lib.people.people.map((p) => {
    const faces = lib.faces.filter((f) => f.personId === p.id);
    const counts = new Map<number, number>();
    for (const f of faces) counts.set(fx.identityOf.get(f.id)!, (counts.get(fx.identityOf.get(f.id)!) ?? 0) + 1);
    return { id: p.id, size: faces.length, identity: [...counts].sort((a, b) => b[1] - a[1])[0][0] };
  });
  const identities = shuffleInPlace([...new Set(groups.map((g) => g.identity))], seededRandom(1));
  const chosen = new Set(identities.slice(0, Math.ceil(identities.length / 3)));
  for (const g of groups.sort((a, b) => b.size - a.size)) {
    if (!chosen.has(g.identity) || named.has(g.identity)) continue;
    await namePerson(lib, g.id, all[g.identity].identity);
    named.set(g.identity, g.id);
  }
}, 240_000);

afterAll(async () => {
  await fx?.close();
});

describe('a clustered library', () => {
  it('offer few faces, a good share of them right, and find most of the person outside their group', () => {
    const lib = fx.library;
    let offered = 0;
    let right = 0;
    let foundElsewhere = 0;
    let elsewhere = 0;
    for (const [identity, personId] of named) {
      const queue = suggestionsFor(lib, personId, 50);
      offered += queue.length;
      right += queue.filter((s) => fx.identityOf.get(s.faceId) === identity).length;
      foundElsewhere += queue.filter((s) => fx.identityOf.get(s.faceId) === identity && lib.face(s.faceId)!.personId !== personId).length;
      elsewhere += lib.faces.filter((f) => fx.identityOf.get(f.id) === identity && f.personId !== personId).length;
    }
    // Measured: 76 offered for 53 people, 14 right; before, 1,604 offered, 24 right. While groups kept the strangers
    // chained to them, 63 and 19: the strangers now wait as single faces, and those near a named person are offered
    // to them (main/people/group-admission.ts); the person's own faces left to check are fewer.
    expect(offered / named.size).toBeLessThan(3);
    expect(right / offered).toBeGreaterThan(0.15);
    expect(foundElsewhere / elsewhere).toBeGreaterThan(0.5);
  });

  it("shows each group's own person on its cover, strangers taken in or not", () => {
    const lib = fx.library;
    const unnamed = listPeople(lib).filter((p) => p.name === null);
    let mixed = 0;
    for (const group of unnamed) {
      const identities = lib.faces.filter((f) => f.personId === group.id).map((f) => fx.identityOf.get(f.id)!);
      const counts = new Map<number, number>();
      for (const identity of identities) counts.set(identity, (counts.get(identity) ?? 0) + 1);
      if (counts.size > 1) mixed++;
      const [majority] = [...counts].sort((a, b) => b[1] - a[1])[0];
      // Measured: the most confident detection was a stranger on 7 of 11 groups that had taken one in.
      expect(fx.identityOf.get(group.coverFaceId!)).toBe(majority);
    }
    // Measured: 1 group holds a stranger (9 while groups kept every face chained to them).
    expect(mixed).toBeGreaterThan(0);
  });

  it('asks "which one?" about faces placed with someone before loose faces, which are mostly strangers here', () => {
    const lib = fx.library;
    const identityOfPerson = new Map([...named].map(([identity, personId]) => [personId, identity]));
    const questions = ambiguousFaces(lib);
    const placed = questions.filter((q) => q.currentPersonId !== null);
    expect(questions.slice(0, placed.length)).toEqual(placed);
    // A placed face's answer confirms or corrects a placement either way; a loose face here is nearly always a stranger
    // (measured: 93 loose of 95 questions, 1 of them either person).
    const eitherPerson = (q: (typeof questions)[number]) => q.candidates.some((c) => identityOfPerson.get(c.personId) === fx.identityOf.get(q.faceId));
    expect(placed.length).toBeGreaterThan(0);
    const loose = questions.slice(placed.length);
    expect(loose.filter(eitherPerson).length / loose.length).toBeLessThan(0.1);
  });
});

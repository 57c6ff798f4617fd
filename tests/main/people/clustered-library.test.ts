// A clustered lfw_subset library (backbone descriptors from the shared cache), a third of its groups named, as a user
// sees it: a person's suggestions offer few faces, nearly all the person's, and still find faces of theirs that no
// group or a group of strangers holds (QA: a queue offered 24 strangers, most sitting in solid groups of their own;
// later, strangers set aside as single faces, "they keep coming"); and a group's cover shows the group's person, not a
// stranger it took in (QA: the user names the cover).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ambiguousFaces, listPeople, suggestionsFor } from '../../../main/people/index.js';
import type { SuggestionOptions } from '../../../main/people/queries.js';
import { groupsNamedLibrary } from '../../helpers/review-simulation.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';

let fx: Awaited<ReturnType<typeof groupsNamedLibrary>>;
let named: Map<number, string>;

beforeAll(async () => {
  // The user names the largest group of a random third of the people.
  fx = await groupsNamedLibrary(await loadLfwPeople(), 1);
  named = fx.named;
}, 240_000);

afterAll(async () => {
  await fx?.close();
});

describe('a clustered library', () => {
  it('offer few faces, nearly all right, and still find the person outside their group', () => {
    const lib = fx.library;
    const measure = (options: SuggestionOptions) => {
      const t = { offered: 0, right: 0, foundElsewhere: 0, elsewhere: 0 };
      for (const [identity, personId] of named) {
        const queue = suggestionsFor(lib, personId, 50, options);
        t.offered += queue.length;
        t.right += queue.filter((s) => fx.identityOf.get(s.faceId) === identity).length;
        t.foundElsewhere += queue.filter((s) => fx.identityOf.get(s.faceId) === identity && lib.face(s.faceId)!.personId !== personId).length;
        t.elsewhere += lib.faces.filter((f) => fx.identityOf.get(f.id) === identity && f.personId !== personId).length;
      }
      return t;
    };
    // Measured: 11 offered for 53 people, all right, 10 of the 18 faces of theirs outside their group found. Every face
    // within the reach of where it is (before each had to be like the person, alikeJudge): 76 offered, 14 right, 13
    // found; the strangers group admission sets aside lie near a named person's face, not like them as a whole.
    const now = measure({});
    const before = measure({ alikeOnly: false });
    expect(now.offered / named.size).toBeLessThan(0.5);
    expect(now.right / now.offered).toBeGreaterThan(0.75);
    expect(before.right / before.offered).toBeLessThan(0.25);
    expect(now.foundElsewhere).toBeGreaterThanOrEqual(0.7 * before.foundElsewhere);
    expect(now.foundElsewhere / now.elsewhere).toBeGreaterThan(0.4);
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
    // A placed face's answer confirms or corrects a placement either way; a loose face here is nearly always a stranger.
    // Measured: with the reach alone 26 loose of 27 questions, 1 of them either person; now 8 of 9, the same 1 among them.
    const eitherPerson = (q: (typeof questions)[number]) => q.candidates.some((c) => identityOfPerson.get(c.personId) === fx.identityOf.get(q.faceId));
    expect(placed.length).toBeGreaterThan(0);
    const loose = questions.slice(placed.length);
    const looseBefore = ambiguousFaces(lib, Infinity, { unnamedGroupFirst: false, unnamedGroupBetween: false, runnerUpNear: false }).filter((q) => q.currentPersonId === null);
    expect(looseBefore.filter(eitherPerson).length / looseBefore.length).toBeLessThan(0.1);
    expect(loose.length).toBeLessThan(looseBefore.length / 2);
    expect(loose.filter(eitherPerson)).toEqual(looseBefore.filter(eitherPerson));
  });
});

// A group a name joins without a question is a group Familiar offers as that person, on real faces (lfw_subset
// descriptors from the shared cache). QA: Anna Kournikova's ten photos came as groups of 3, 4 and 3; the first named,
// nothing offered the others ("Is this Anna?", `familiar people maybe`, her Suggestions), yet her name typed for the
// group of 4 joined it unasked: the name's rule took every group within 0.070 of her, the offers only a loose one
// beyond 0.052. Now both follow one rule (nearEnoughToAsk), which also asks about a group like the person as a whole.
// QA's second library: Britney Spears named on one face, her other nine photos a group, offered by nothing, her name
// refused for it; a person of one or two faces has no spread, and the group is judged by the pair rule (oneOfFewFaces).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupCandidateOf, groupCandidates, groupToPersonDistance, nearEnoughToAsk } from '../../../main/people/group-candidates.js';
import { nameJoinOf, nameJoinReach } from '../../../main/people/name-join.js';
import { suggestionsFor } from '../../../main/people/queries.js';
import type { PersonRecord } from '../../../main/store/types.js';
import { partsNamedLibrary } from '../../helpers/review-simulation.js';
import { loadLfwPeople, type LfwPerson } from '../../models/embedder/lfw-fixture.js';
import { makeEmbedderFixture, type EmbedderFixture } from '../embedder/fixture.js';
import { runCli } from './fixture.js';

/** The groups of a person's photos, by photo number, as QA's album grouped Anna Kournikova's. */
const ANNA = { named: ['0001', '0002', '0010'], four: ['0003', '0007', '0008', '0009'], three: ['0004', '0005', '0006'] };
/** QA's second library: Britney Spears named on one face (an XMP sidecar), her nine other photos an unnamed group. */
const BRITNEY = { named: '0008' };

let qa: EmbedderFixture;
let parts: Awaited<ReturnType<typeof partsNamedLibrary>>;
let onePhoto: Awaited<ReturnType<typeof partsNamedLibrary>>;

beforeAll(async () => {
  const all = await loadLfwPeople();
  // Every person with six photos or more; the one-photo people are faces nobody names.
  const people = all.filter((p) => p.descriptors.length >= 6);
  const strangers = all.filter((p) => p.descriptors.length === 1);
  // QA's album: everyone named from all their photos, but Anna Kournikova: named from three, her others in two groups.
  qa = await makeEmbedderFixture([...people, ...strangers], { confirmed: 0, seed: 1 });
  await placeFaces(qa, people);
  // Each person's photos in groups of 3-4 at random, as QA's were, the first group of two people in three named.
  parts = await partsNamedLibrary(people, strangers, 1, 2 / 3);
  // Half the people named from one photo each, the rest of everyone's photos in groups of 3-4.
  onePhoto = await partsNamedLibrary(people, strangers, 1, 1 / 2, 1);
}, 240_000);

/**
 * QA's grouping: every face its person's, confirmed, but Anna Kournikova's outside her three named photos, and Britney
 * Spears's outside her one.
 */
async function placeFaces(fx: EmbedderFixture, people: LfwPerson[]): Promise<void> {
  const anna = people.findIndex((p) => p.identity === 'Anna_Kournikova');
  const britney = people.findIndex((p) => p.identity === 'Britney_Spears');
  // makeEmbedderFixture stores each person's photos in its own shuffled order: find each face's photo by its vector.
  const photoOf = new Map<string, string>();
  for (const f of fx.library.faces) {
    const identity = fx.identityOf.get(f.id)!;
    if (identity !== anna && identity !== britney) continue;
    const vector = fx.library.embeddingOf(f);
    const i = people[identity].descriptors.findIndex((d) => {
      const n = Math.hypot(...d);
      return d.every((x, k) => Math.abs(x / n - vector[k]) < 1e-5);
    });
    photoOf.set(f.id, people[identity].photos[i].match(/_(\d{4})\.jpg$/)![1]);
  }
  await fx.library.transaction((tx) => {
    const at = new Date().toISOString();
    const groups = ['group-anna-4', 'group-anna-3', 'group-britney-9'].map((id): PersonRecord => ({ id, name: null, hidden: false, coverFaceId: null, createdAt: at }));
    // The one-photo people: nobody named them.
    tx.people.people = [...tx.people.people.slice(0, people.length), ...groups];
    for (const f of tx.faces) {
      const identity = fx.identityOf.get(f.id)!;
      if (identity >= people.length) {
        Object.assign(f, { personId: null, assignedBy: null });
        continue;
      }
      const number = photoOf.get(f.id);
      const named = number === undefined || (identity === anna ? ANNA.named.includes(number) : number === BRITNEY.named);
      if (named) Object.assign(f, { personId: fx.personIdOf(identity), assignedBy: 'user' });
      else if (identity === britney) Object.assign(f, { personId: 'group-britney-9', assignedBy: 'cluster' });
      else Object.assign(f, { personId: ANNA.four.includes(number) ? 'group-anna-4' : 'group-anna-3', assignedBy: 'cluster' });
    }
  });
}

afterAll(async () => {
  await qa?.close();
  await parts?.close();
  await onePhoto?.close();
});

describe('a group a name joins unasked is offered as that person', () => {
  it('QA: Anna Kournikova named from three photos, her group of four is asked about, in her suggestions, and joins as typed', async () => {
    const lib = qa.library;
    const anna = lib.people.people.find((p) => p.name === 'Anna Kournikova')!;
    const four = lib.faces.filter((f) => f.personId === 'group-anna-4').map((f) => f.id);
    expect(four).toHaveLength(4);
    // 0.067 from her (beyond 0.052), its faces nearer each other (0.046) than her: not a loose group; but 1.15 of her
    // spread from her as a whole (her three photos lie far apart).
    const join = nameJoinOf(lib, 'group-anna-4', 'Anna Kournikova')!;
    expect(join.looksAlike).toBe(true);
    expect(join.distance!).toBeGreaterThan(0.06);
    const offer = groupCandidateOf(lib, 'group-anna-4');
    expect(offer).toMatchObject({ personId: anna.id, name: 'Anna Kournikova' });
    expect(offer!.distance).toBeCloseTo(join.distance!, 6);
    const maybe = await runCli(qa.dir, 'people', 'maybe', '--limit', '1000');
    expect(maybe.code).toBe(0);
    expect(maybe.out).toContain('group-anna-4  Group of 4 faces: maybe Anna Kournikova?');
    // Her Suggestions tab offers its faces (it said "No suggestions left").
    const suggested = suggestionsFor(lib, anna.id).map((s) => s.faceId);
    expect(suggested.filter((id) => four.includes(id)).sort()).toEqual([...four].sort());
    // Her group of three lies 0.072 from her, beyond the farthest a group is offered: not asked about, and her name
    // typed for it asks "Is this the same person?" (the CLI wants --join), as before.
    expect(groupCandidateOf(lib, 'group-anna-3')).toBeNull();
    expect(nameJoinOf(lib, 'group-anna-3', 'Anna Kournikova')!.looksAlike).toBe(false);
  });

  it('every group a name would join unasked is offered as that person or a nearer one, and offers stay nearly all right', () => {
    const lib = parts.library;
    const named = lib.people.people.filter((p) => p.name !== null);
    const groups = lib.people.people.filter((p) => p.name === null);
    const offers = new Map(groupCandidates(lib).map((o) => [o.groupId, o]));
    const unoffered: string[] = [];
    let joined = 0;
    for (const group of groups) {
      const faces = lib.faces.filter((f) => f.personId === group.id);
      for (const person of named) {
        const near = groupToPersonDistance(lib, faces, person.id).distance;
        if (near === null || near > nameJoinReach(lib)) continue;
        const join = nameJoinOf(lib, group.id, person.name!)!;
        if (!join.looksAlike) continue;
        joined++;
        const offer = offers.get(group.id);
        if (!offer || offer.distance > join.distance! + 1e-6) unoffered.push(`${group.id} as ${person.name} at ${join.distance!.toFixed(3)}`);
      }
    }
    expect(unoffered).toEqual([]);
    expect(joined).toBeGreaterThan(200);
    // Measured (seed 1): 213 groups asked about before, 209 of them as their person; one more now (AS_A_WHOLE_SPREAD),
    // the person's own: 210 of 214. 217 names would join unasked: a group may look like two named people.
    const all = [...offers.values()];
    const before = groupCandidates(lib, { asAWholeSpread: 0 });
    const added = all.filter((o) => !before.some((b) => b.groupId === o.groupId && b.personId === o.personId));
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((o) => parts.partOf.get(o.groupId) === o.personId)).toBe(true);
    expect(all.filter((o) => parts.partOf.get(o.groupId) === o.personId).length / all.length).toBeGreaterThan(0.98);
  });
});

describe('a person named on one or two faces', () => {
  it('QA: Britney Spears named on one face, her group of nine is asked about, in her suggestions, and joins as typed', async () => {
    const lib = qa.library;
    const britney = lib.people.people.find((p) => p.name === 'Britney Spears')!;
    expect(lib.faces.filter((f) => f.personId === britney.id)).toHaveLength(1);
    const nine = lib.faces.filter((f) => f.personId === 'group-britney-9').map((f) => f.id);
    expect(nine).toHaveLength(9);
    // 0.079 from her one face, beyond the loose reach (0.070). One face has no spread: read as 0, the group was held to
    // its own tight spread (0.042; the group lies 1.8 of it from her), and never asked about.
    expect(groupCandidateOf(lib, 'group-britney-9', { smallReach: 0 })).toBeNull();
    const join = nameJoinOf(lib, 'group-britney-9', 'Britney Spears')!;
    expect(join.distance!).toBeCloseTo(0.079, 3);
    expect(join.looksAlike).toBe(true);
    expect(groupCandidateOf(lib, 'group-britney-9')).toMatchObject({ personId: britney.id, name: 'Britney Spears' });
    // Nor is anyone else's group asked about as her.
    expect(groupCandidates(lib).filter((o) => o.personId === britney.id).map((o) => o.groupId)).toEqual(['group-britney-9']);
    const maybe = await runCli(qa.dir, 'people', 'maybe', '--limit', '1000');
    expect(maybe.code).toBe(0);
    expect(maybe.out).toContain('group-britney-9  Group of 9 faces: maybe Britney Spears?  (distance 0.079)');
    // Her Suggestions offer the group's faces within the whole reach (0.087): eight of the nine.
    const suggested = suggestionsFor(lib, britney.id).map((s) => s.faceId);
    expect(suggested.filter((id) => nine.includes(id))).toHaveLength(8);
  });

  it('their other groups are asked about as them, and nobody else more than before', () => {
    // Half the people named from one photo each, everyone's other photos in groups of 3-4 (seed 1): 235 groups of named
    // people. Measured: 215 questions before, 213 right; now 218, 216 right: the 3 added are the person's own.
    const lib = onePhoto.library;
    const right = (o: { groupId: string; personId: string }) => onePhoto.partOf.get(o.groupId) === o.personId;
    const offers = groupCandidates(lib);
    const before = groupCandidates(lib, { smallReach: 0 });
    const added = offers.filter((o) => !before.some((b) => b.groupId === o.groupId && b.personId === o.personId));
    expect(added.length).toBeGreaterThan(0);
    expect(added.every(right)).toBe(true);
    expect(offers.filter((o) => !right(o)).length).toBeLessThanOrEqual(before.filter((o) => !right(o)).length);
    // Each added group joins as typed under its person's name: the name and the offer keep one rule.
    for (const o of added) {
      const faces = lib.faces.filter((f) => f.personId === o.groupId);
      expect(nearEnoughToAsk(lib, faces, lib.faces.filter((f) => f.personId === o.personId), o.distance)).toBe(true);
    }
  });
});

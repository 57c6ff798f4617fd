// "Are these the same person?" about two unnamed groups, on real faces: lfw_subset with 8 photos a person (seed 1)
// grouped by Regroup, nobody named. Jean Chretien's photos lie in two groups (0.050 apart on average, farther than the
// clustering keeps one person's halves together: split-halves.test.ts); the pair is asked about, no pair of two
// people is (Hu Jintao and Wen Jiabao, Serena and Venus Williams lie as near), a No (each group's faces marked "not" the
// other) is never asked again, also after a regrouping or once either group joins a named person, and a Yes makes them
// one group, which Undo parts again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupCandidateOf } from '../../../main/people/group-candidates.js';
import { hidePerson, namePerson, recluster, undoLast } from '../../../main/people/index.js';
import { answerSamePerson, GROUPS_CHANGED, SAID_NOT_SAME, samePersonOf, samePersonPairs, samePersonQuestionOf, shownFacesOf } from '../../../main/people/same-person.js';
import type { Library } from '../../../main/store/library.js';
import { fewPhotosLibrary } from '../embedder/fixture.js';
import { runCli } from './fixture.js';

let library: Library;
let identityOf: Map<string, string>;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ library, identityOf, close } = await fewPhotosLibrary(8));
  await recluster(library);
}, 120_000);

afterAll(async () => close?.());

/** A group's person: the identity most of its faces have. */
function identityOfGroup(groupId: string): string {
  const counts = new Map<string, number>();
  for (const f of library.faces) if (f.personId === groupId) counts.set(identityOf.get(f.id)!, (counts.get(identityOf.get(f.id)!) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

/** The groups a person's faces lie in, largest first. */
function groupsOf(identity: string): string[] {
  const sizes = new Map<string, number>();
  for (const f of library.faces) if (f.personId && identityOf.get(f.id) === identity) sizes.set(f.personId, (sizes.get(f.personId) ?? 0) + 1);
  return [...sizes].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}

const key = (a: string, b: string) => [a, b].sort().join('|');
const facesOfGroup = (id: string) => library.faces.filter((f) => f.personId === id);
/** True when every face of `id` is marked "not" `not`. */
const allMarked = (id: string, not: string) => facesOfGroup(id).length > 0 && facesOfGroup(id).every((f) => f.rejectedPersonIds.includes(not));
const offered = () => new Set(samePersonPairs(library).map((p) => key(p.groupId, p.otherId)));

describe('are these the same person? on lfw_subset, 8 photos a person', () => {
  let chretien: string[];

  it("asks about Jean Chretien's two groups, surest first, and about no two people", () => {
    chretien = groupsOf('Jean_Chretien');
    expect(chretien).toHaveLength(2);
    const pairs = samePersonPairs(library);
    expect(offered().has(key(chretien[0], chretien[1]))).toBe(true);
    // Precision first: every pair asked about is one person.
    for (const p of pairs) expect(identityOfGroup(p.otherId)).toBe(identityOfGroup(p.groupId));
    expect(pairs.map((p) => p.distance)).toEqual([...pairs.map((p) => p.distance)].sort((a, b) => a - b));
    // Lookalikes as near as one person's halves: each has a group of their own, and is never asked about with the other.
    for (const [a, b] of [['Hu_Jintao', 'Wen_Jiabao'], ['Serena_Williams', 'Venus_Williams'], ['Megawati_Sukarnoputri', 'Yoriko_Kawaguchi']]) {
      const [ga, gb] = [groupsOf(a)[0], groupsOf(b)[0]];
      expect(ga).not.toBe(gb);
      expect(offered().has(key(ga, gb))).toBe(false);
    }
    // One group's question is the listing's.
    expect(samePersonOf(library, chretien[1])?.otherId).toBe(chretien[0]);
    expect(samePersonOf(library, chretien[0])?.otherId).toBe(chretien[1]);
    // The screen's question: each group's faces shown, the one nearest the other first, counted in all.
    const asked = samePersonQuestionOf(library, chretien[1])!;
    expect(asked.other.id).toBe(chretien[0]);
    expect(asked.groupShown.faces[0].id).toBe(asked.pair.groupFaceId);
    expect(asked.otherShown.faces[0].id).toBe(asked.pair.otherFaceId);
    expect([asked.groupShown.count, asked.otherShown.count]).toEqual([facesOfGroup(chretien[1]).length, facesOfGroup(chretien[0]).length]);
  });

  it('never asks again after a No, also after a regrouping; Undo takes the No back', async () => {
    const [a, b] = chretien;
    const done = await answerSamePerson(library, b, a, false);
    expect(done.description).toBe(SAID_NOT_SAME);
    // Each side "not" the other: whichever group a regrouping or a name changes later, the other still says No.
    expect(allMarked(a, b) && allMarked(b, a)).toBe(true);
    expect(offered().has(key(a, b))).toBe(false);
    expect(samePersonOf(library, a)?.otherId).not.toBe(b);
    expect(samePersonOf(library, b)?.otherId).not.toBe(a);
    await recluster(library);
    expect(groupsOf('Jean_Chretien').sort()).toEqual([a, b].sort());
    expect(offered().has(key(a, b))).toBe(false);
    const undone = await undoLast(library);
    expect(undone.message).toBe('Took back "not the same person": these two groups may be asked about together again.');
    // Both sides' marks go.
    expect(facesOfGroup(a).some((f) => f.rejectedPersonIds.includes(b)) || facesOfGroup(b).some((f) => f.rejectedPersonIds.includes(a))).toBe(false);
    expect(offered().has(key(a, b))).toBe(true);
  });

  it('keeps the No once the smaller group is named as someone with many faces: "Is this <Name>?" is not asked about the other', async () => {
    const [a, b] = chretien;
    const [smaller, larger] = facesOfGroup(a).length < facesOfGroup(b).length ? [a, b] : [b, a];
    await answerSamePerson(library, a, b, false);
    // A named person with more faces than either group: the largest group of someone else.
    const sizes = new Map<string, number>();
    for (const f of library.faces) if (f.personId && f.personId !== a && f.personId !== b) sizes.set(f.personId, (sizes.get(f.personId) ?? 0) + 1);
    const [bigId] = [...sizes].sort((x, y) => y[1] - x[1])[0];
    await namePerson(library, bigId, 'Someone Many');
    await namePerson(library, smaller, 'Someone Many');
    expect(library.people.people.some((p) => p.id === smaller)).toBe(false);
    // The merge re-pointed the larger group's "not <smaller>" to the person it joined: every face says No still.
    expect(allMarked(larger, bigId)).toBe(true);
    expect(groupCandidateOf(library, larger, { reach: 1, looseReach: 1 })?.personId).not.toBe(bigId);
    await undoLast(library);
    await undoLast(library);
    await undoLast(library);
    expect(facesOfGroup(smaller).length).toBeGreaterThan(0);
    expect(offered().has(key(a, b))).toBe(true);
  });

  it('refuses an answer about a hidden group, saying why', async () => {
    const [a, b] = chretien;
    await hidePerson(library, b, true);
    await expect(answerSamePerson(library, a, b, false)).rejects.toThrow(/hidden: show it again/);
    await undoLast(library);
  });

  it('refuses an answer about groups changed since they were shown', async () => {
    const [a, b] = chretien;
    const shown = { group: { faceIds: shownFacesOf(facesOfGroup(a), '').faces.map((f) => f.id), count: 99 }, other: { faceIds: [], count: groupsOf('Jean_Chretien').length } };
    await expect(answerSamePerson(library, a, b, true, shown)).rejects.toThrow(GROUPS_CHANGED);
    await expect(answerSamePerson(library, a, a, true)).rejects.toThrow(/itself/);
  });

  it('makes them one group on Yes, and Undo parts them again', async () => {
    const [a, b] = chretien;
    const before = new Map(library.faces.filter((f) => f.personId === a || f.personId === b).map((f) => [f.id, f.personId]));
    const shown = (id: string) => {
      const { faces, count } = shownFacesOf(facesOfGroup(id), '');
      return { faceIds: faces.map((f) => f.id), count };
    };
    await answerSamePerson(library, a, b, true, { group: shown(a), other: shown(b) });
    expect(groupsOf('Jean_Chretien')).toEqual([a]);
    expect(library.faces.filter((f) => f.personId === a)).toHaveLength(before.size);
    expect(offered().has(key(a, b))).toBe(false);
    await undoLast(library);
    expect(new Map(library.faces.filter((f) => before.has(f.id)).map((f) => [f.id, f.personId]))).toEqual(before);
  });

  // Last: the CLI opens the library itself (single-writer lock).
  it('familiar people same lists the pairs, surest first, and answers yes or no', async () => {
    const pairs = samePersonPairs(library);
    const dir = library.dir;
    await library.close();
    const listed = await runCli(dir, 'people', 'same', '--json');
    expect(listed.code).toBe(0);
    const json = JSON.parse(listed.out) as { total: number; pairs: Array<{ groupId: string; otherId: string; groupFaceCount: number; otherFaceCount: number }> };
    expect(json.total).toBe(pairs.length);
    expect(json.pairs.map((p) => key(p.groupId, p.otherId))).toEqual(pairs.map((p) => key(p.groupId, p.otherId)));
    const [first] = json.pairs;
    const text = await runCli(dir, 'people', 'same');
    expect(text.out).toContain(`${first.groupId} ${first.otherId}  Groups of ${first.groupFaceCount} faces and ${first.otherFaceCount} faces: the same person?`);
    const no = await runCli(dir, 'people', 'same', first.groupId, first.otherId, 'No');
    expect(no.code).toBe(0);
    expect(no.out).toContain("won't be asked about together again");
    const after = JSON.parse((await runCli(dir, 'people', 'same', '--json')).out) as typeof json;
    expect(after.pairs.map((p) => key(p.groupId, p.otherId))).not.toContain(key(first.groupId, first.otherId));
    expect((await runCli(dir, 'people', 'same', first.groupId, 'yes')).code).toBe(2);
  });
});

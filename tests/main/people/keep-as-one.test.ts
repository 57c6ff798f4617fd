// "All Leonard: don't ask again" on a group that looks like two people, on real faces (Venus and Serena Williams's
// lfw_subset descriptors, one group, Venus's part confirmed). QA: the answer only stopped the question: the page still
// said "4 confirmed", and Suggestions still asked "Is this Leonard?" about the five faces just answered, as it had
// while the panel asked "Someone else?" about them (one page asking about the same faces twice).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calls as contract, type CallName } from '../../../preload/contract.js';
import { createApi, type Api } from '../../../main/api/index.js';
import { askAgainIfTwoPeople, confirmFaces, keepAsOnePerson, rejectFaces, suggestionsFor, twoPeopleQuestion, undoLast, type PersonRecord } from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import { loadLfwPeople } from '../../models/embedder/lfw-fixture.js';
import { addPersonWithFaces } from '../embedder/fixture.js';

const GROUP = 'person-venus';
let dir: string;
let library: Library;
let question: { stays: string[]; leaves: string[] };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-keep-as-one-'));
  library = await Library.open(dir);
  const everyone = await loadLfwPeople();
  const of = (identity: string) => everyone.find((p) => p.identity === identity)!.descriptors;
  // The clustering's group of both sisters, named after one.
  await addPersonWithFaces(library, GROUP, 'Venus', [...of('Venus_Williams'), ...of('Serena_Williams')], 0);
  const parts = twoPeopleQuestion(library, GROUP)!;
  // The part like the cover confirmed, as the name vouched for it; the other still Familiar's guess.
  await library.transaction((tx) => {
    for (const f of tx.faces) if (parts.stays.includes(f.id)) f.assignedBy = 'user';
  });
  question = twoPeopleQuestion(library, GROUP)!;
  expect(question.leaves).toEqual(parts.leaves);
}, 60_000);

afterEach(async () => {
  await library.close();
  rmSync(dir, { recursive: true, force: true });
});

const facesOf = () => library.faces.filter((f) => f.personId === GROUP);
const state = () => JSON.stringify(library.faces.map((f) => [f.id, f.personId, f.assignedBy, f.rejectedPersonIds]));

describe('keeping a group as one person', () => {
  it('confirms the faces of both parts, so they leave the suggestions, and undo takes that back too', async () => {
    const before = state();
    // What QA saw: the other part's faces asked about as suggestions too.
    expect(suggestionsFor(library, GROUP).some((s) => question.leaves.includes(s.faceId))).toBe(true);

    const done = await keepAsOnePerson(library, GROUP);
    expect(done.description).toBe(`Kept "Venus" as one person: ${question.leaves.length} more faces confirmed.`);
    expect(done.faceIds.sort()).toEqual([...question.leaves].sort());
    // Every face the user saw in the two parts is theirs now (one photo, one face each here).
    for (const id of [...question.stays, ...question.leaves]) expect(library.face(id)).toMatchObject({ personId: GROUP, assignedBy: 'user' });
    expect(facesOf().every((f) => f.assignedBy === 'user')).toBe(true);
    expect(suggestionsFor(library, GROUP).filter((s) => s.currentPersonId === GROUP)).toEqual([]);
    expect(twoPeopleQuestion(library, GROUP)).toBeNull();

    await undoLast(library);
    expect(state()).toBe(before);
    expect(twoPeopleQuestion(library, GROUP)).toEqual(question);
  });

  it('is taken back by "Ask again": the faces only it confirmed are guesses again, and the question is asked again', async () => {
    // QA: "Don't ask again" could not be taken back once Undo no longer reached it; siblings stayed one person.
    const before = state();
    expect(() => askAgainIfTwoPeople(library, GROUP)).toThrow('You have not said the faces of "Venus" are one person: nothing to ask again.');
    const kept = await keepAsOnePerson(library, GROUP);
    const afterKept = state();
    const done = await askAgainIfTwoPeople(library, GROUP);
    expect(done.description).toBe(
      `Took back "one person" for "Venus". Their faces look like two people: ${question.leaves.length} faces could split off (all are unconfirmed again: only "Don't ask again" had confirmed them).`,
    );
    expect(done.faceIds.sort()).toEqual([...kept.faceIds].sort());
    expect(library.people.people.find((p) => p.id === GROUP)!.onePerson).toBeUndefined();
    // The part the name had confirmed stays confirmed; the faces only "one person" vouched for are guesses again.
    expect(state()).toBe(before);
    expect(twoPeopleQuestion(library, GROUP)).toEqual(question);

    await undoLast(library);
    expect(state()).toBe(afterKept);
    expect(library.people.people.find((p) => p.id === GROUP)!.onePerson).toBe(true);
    expect(twoPeopleQuestion(library, GROUP)).toBeNull();
  });

  it('"Ask again" leaves confirmed the faces the user confirmed otherwise, and the faces of the part like the cover', async () => {
    // Nothing confirmed but one face of the other part, by hand; the cover chosen in the part like it, so the parts
    // stay as they were. "One person" then confirmed the rest.
    const byHand = question.leaves[0];
    await library.transaction((tx) => {
      for (const f of tx.faces) if (f.personId === GROUP) f.assignedBy = 'cluster';
      (tx.people.people as PersonRecord[]).find((p) => p.id === GROUP)!.coverFaceId = question.stays[0];
    });
    await confirmFaces(library, [byHand], GROUP);
    await keepAsOnePerson(library, GROUP);
    const done = await askAgainIfTwoPeople(library, GROUP);
    const unconfirmed = question.leaves.length - 1;
    expect(done.description).toBe(`Took back "one person" for "Venus". Their faces look like two people: ${question.leaves.length} faces could split off (${unconfirmed} are unconfirmed again: only "Don't ask again" had confirmed them).`);
    for (const id of question.stays) expect(library.face(id)!.assignedBy).toBe('user');
    expect(library.face(byHand)!.assignedBy).toBe('user');
    expect(question.leaves.filter((id) => library.face(id)!.assignedBy === 'cluster')).toHaveLength(unconfirmed);
  });

  it('"Ask again" leaves as they are the faces the user decided on after "Don\'t ask again"', async () => {
    // A review: a face said "not Venus", then confirmed as Venus by hand, both after "one person", went back to a guess.
    await keepAsOnePerson(library, GROUP);
    const face = question.leaves[0];
    await rejectFaces(library, [face], GROUP);
    await confirmFaces(library, [face], GROUP);
    const done = await askAgainIfTwoPeople(library, GROUP);
    expect(library.face(face)).toMatchObject({ personId: GROUP, assignedBy: 'user' });
    expect(done.faceIds).not.toContain(face);
    expect(question.leaves.filter((id) => id !== face).every((id) => library.face(id)!.assignedBy === 'cluster')).toBe(true);
  });
});

describe('the person page over the API', () => {
  let api: Api | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
    library = await Library.open(dir);
  });

  async function ok<K extends CallName>(name: K, args?: unknown) {
    const answer = await api!.dispatcher.call(name, args);
    if (answer.error !== undefined) throw new Error(`${name} failed: ${answer.error}`);
    return contract[name].result.parse(answer.result) as ReturnType<(typeof contract)[K]['result']['parse']>;
  }

  it('asks about the other part in the panel only, and counts every face confirmed after "all one person"', async () => {
    await library.close();
    api = await createApi({ libraryDir: dir, mode: 'browser', log: () => {} });
    expect((await ok('people.twoPeople', { personId: GROUP }))!.leaves.count).toBe(question.leaves.length);
    const suggestions = await ok('suggestions.forPerson', { personId: GROUP, limit: 500 });
    expect(suggestions.filter((s) => question.leaves.includes(s.face.id))).toEqual([]);
    expect((await ok('people.get', { personId: GROUP })).suggestionsCount).toBe(suggestions.length);

    await ok('people.keepAsOne', { personId: GROUP });
    const person = await ok('people.get', { personId: GROUP });
    expect(person.confirmedCount).toBe(person.faceCount);
    expect(await ok('people.twoPeople', { personId: GROUP })).toBeNull();
    expect((await ok('suggestions.forPerson', { personId: GROUP, limit: 500 })).filter((s) => s.face.personId === GROUP)).toEqual([]);
  });

  it('says the faces were said to be one person, and asks again after people.askAgain', async () => {
    await library.close();
    api = await createApi({ libraryDir: dir, mode: 'browser', log: () => {} });
    expect((await ok('people.get', { personId: GROUP })).onePerson).toBeUndefined();
    await ok('people.keepAsOne', { personId: GROUP });
    expect((await ok('people.get', { personId: GROUP })).onePerson).toBe(true);
    const done = await ok('people.askAgain', { personId: GROUP });
    expect(done.faceIds.sort()).toEqual([...question.leaves].sort());
    expect((await ok('people.get', { personId: GROUP })).onePerson).toBeUndefined();
    expect((await ok('people.twoPeople', { personId: GROUP }))!.leaves.count).toBe(question.leaves.length);
  });
});

// A user who knows everyone, answering Familiar's questions on a real library of lfw_subset faces: shared by the
// people tests and `npm run bench:review`, so the benchmark measures exactly what the tests check.
import { ambiguousFaces, confirmFaces, namePerson, recluster, rejectFaces, suggestionsFor } from '../../main/people/index.js';
import type { AmbiguityOptions, SuggestionOptions } from '../../main/people/queries.js';
import type { Library } from '../../main/store/library.js';
import { cosineDistanceOf } from '../../models/cluster/vectors.js';
import { seededRandom, shuffleInPlace } from '../../models/embedder/random.js';
import type { LfwPerson } from '../models/embedder/lfw-fixture.js';
import { makeEmbedderFixture, type EmbedderFixture } from '../main/embedder/fixture.js';

/** How the user spends their answers. */
export type ReviewProtocol = 'random' | 'suggest' | 'ambiguous';

const QUESTIONS_PER_ROUND = 32;

/**
 * A library holding every face of `people` and `strangers`: each person named from `confirmed` random photos (the
 * user naming a group), strangers as unknown faces nobody names. `truth` gives each face's person id (null for a
 * stranger).
 */
export async function namedLibrary(people: LfwPerson[], strangers: LfwPerson[], seed: number, confirmed: number): Promise<EmbedderFixture & { truth: (faceId: string) => string | null }> {
  const fx = await makeEmbedderFixture([...people, ...strangers], { confirmed, seed });
  const strangerIds = new Set(strangers.map((_, i) => fx.personIdOf(people.length + i)));
  await fx.library.transaction((tx) => {
    for (const f of tx.faces) {
      if (f.personId !== null && strangerIds.has(f.personId)) {
        f.personId = null;
        f.assignedBy = null;
      }
    }
    tx.people.people = tx.people.people.filter((p) => !strangerIds.has(p.id));
  });
  const truth = (faceId: string) => {
    const identity = fx.identityOf.get(faceId);
    return identity === undefined || identity >= people.length ? null : fx.personIdOf(identity);
  };
  return { ...fx, truth };
}

/**
 * A library as a family's, where many people have no name: every face of `people` and `strangers`, a random half of
 * `people` (by `seed`) named from `confirmed` photos each, the other half and `strangers` nobody named, all grouped
 * by Regroup (recluster) as import groups them. `truth` gives each face's named person, null for everyone else.
 */
export async function halfNamedLibrary(people: LfwPerson[], strangers: LfwPerson[], seed: number, confirmed: number): Promise<EmbedderFixture & { truth: (faceId: string) => string | null }> {
  const order = shuffleInPlace([...people], seededRandom(seed));
  const half = Math.round(order.length / 2);
  const fx = await namedLibrary(order.slice(0, half), [...order.slice(half), ...strangers], seed, confirmed);
  await recluster(fx.library);
  return fx;
}

/**
 * A library as a user sees it after the first import: every face of `people` (lfw_subset whole) grouped by Regroup,
 * and the largest group of a random third of the people (by `seed`) named after them, as naming a group does (its
 * faces confirmed). `named` maps each named identity (index into `people`) to its person id.
 */
export async function groupsNamedLibrary(people: LfwPerson[], seed: number): Promise<EmbedderFixture & { named: Map<number, string> }> {
  const fx = await makeEmbedderFixture(people, { confirmed: 0, seed });
  const lib = fx.library;
  await lib.transaction((tx) => {
    tx.people.people = [];
    for (const f of tx.faces) Object.assign(f, { personId: null, assignedBy: null });
  });
  await recluster(lib);
  const groups = lib.people.people.map((p) => {
    const faces = lib.faces.filter((f) => f.personId === p.id);
    const counts = new Map<number, number>();
    for (const f of faces) counts.set(fx.identityOf.get(f.id)!, (counts.get(fx.identityOf.get(f.id)!) ?? 0) + 1);
    return { id: p.id, size: faces.length, identity: [...counts].sort((a, b) => b[1] - a[1])[0][0] };
  });
  const identities = shuffleInPlace([...new Set(groups.map((g) => g.identity))], seededRandom(seed));
  const chosen = new Set(identities.slice(0, Math.ceil(identities.length / 3)));
  const named = new Map<number, string>();
  for (const g of groups.sort((a, b) => b.size - a.size)) {
    if (!chosen.has(g.identity) || named.has(g.identity)) continue;
    await namePerson(lib, g.id, people[g.identity].identity);
    named.set(g.identity, g.id);
  }
  return { ...fx, named };
}

/**
 * Spends up to `budget` answers the protocol's way; returns how many it spent. 'suggest': each named person's
 * suggestions queue, nearest first, one face per person per round (yes confirms, no rejects). 'ambiguous': the
 * "is this A or B?" queue, 32 questions a round: the user picks A or B, names someone else they know, or says
 * neither (a stranger). 'random' asks nothing: its confirmations are chosen when the library is made. `options`: which
 * faces "is this A or B?" asks about, and which a person's suggestions offer (measurement: the rules before).
 */
export async function answerQuestions(library: Library, protocol: ReviewProtocol, budget: number, truth: (faceId: string) => string | null, random: () => number, options: AmbiguityOptions & SuggestionOptions = {}): Promise<number> {
  let spent = 0;
  while (spent < budget && protocol !== 'random') {
    const before = spent;
    if (protocol === 'ambiguous') {
      for (const question of ambiguousFaces(library, Math.min(QUESTIONS_PER_ROUND, budget - spent), options)) {
        const who = truth(question.faceId);
        const pick = question.candidates.find((c) => c.personId === who);
        if (pick) await confirmFaces(library, [question.faceId], pick.personId);
        else if (who !== null) await confirmFaces(library, [question.faceId], who);
        else for (const c of question.candidates) await rejectFaces(library, [question.faceId], c.personId);
        spent++;
      }
    } else {
      for (const person of shuffleInPlace(library.people.people.map((p) => p.id), random)) {
        if (spent >= budget) break;
        const [next] = suggestionsFor(library, person, 1, options);
        if (!next) continue;
        if (truth(next.faceId) === person) await confirmFaces(library, [next.faceId], person);
        else await rejectFaces(library, [next.faceId], person);
        spent++;
      }
    }
    if (spent === before) break; // nothing left to ask
  }
  return spent;
}

export interface Identified {
  truth: string;
  predicted: string;
}

/** Every face of a known person identified by its nearest confirmed face (confirmed faces keep their person). */
export function identifyByConfirmed(library: Library, truth: (faceId: string) => string | null): Map<string, Identified> {
  const gallery = library.faces.filter((f) => f.assignedBy === 'user' && f.personId !== null).map((f) => ({ personId: f.personId!, vector: library.embeddingOf(f) }));
  const out = new Map<string, Identified>();
  for (const f of library.faces) {
    const who = truth(f.id);
    if (who === null) continue;
    if (f.assignedBy === 'user' && f.personId !== null) {
      out.set(f.id, { truth: who, predicted: f.personId });
      continue;
    }
    const vector = library.embeddingOf(f);
    let best = Infinity;
    let predicted = '';
    for (const g of gallery) {
      const d = cosineDistanceOf(vector, g.vector);
      if (d < best) [best, predicted] = [d, g.personId];
    }
    out.set(f.id, { truth: who, predicted });
  }
  return out;
}

export const identificationErrors = (result: Map<string, Identified>, within?: Set<string>): number =>
  [...result.values()].filter((r) => r.truth !== r.predicted && (!within || within.has(pairKey(r.truth, r.predicted)))).length;

export const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** The `count` largest cells of the two-way confusion matrix. */
export function mostConfusedPairs(result: Map<string, Identified>, count = 20): Set<string> {
  const cells = new Map<string, number>();
  for (const { truth, predicted } of result.values()) if (truth !== predicted) cells.set(pairKey(truth, predicted), (cells.get(pairKey(truth, predicted)) ?? 0) + 1);
  return new Set([...cells].sort((a, b) => b[1] - a[1]).slice(0, count).map(([key]) => key));
}

/** Items cut, in their order, into groups of 3 or 4 (ten as 3, 4 and 3; five as 3 and 2). */
export function groupsOfThreeOrFour<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; ) {
    const left = items.length - i;
    const n = left <= 4 ? left : left === 5 || left % 3 === 0 || left > 8 ? 3 : 4;
    out.push(items.slice(i, (i += n)));
  }
  return out;
}

/**
 * A library as QA's album grouped Anna Kournikova (groups of 3, 4 and 3): every face of `people` and `strangers`, each
 * person's photos in groups of 3-4 (in the fixture's shuffled order), the first group of a random `share` of the people
 * named after them (by `seed`, its faces confirmed; with `namedFaces`, their first that many faces instead) and the others
 * unnamed; strangers' faces in no group. `partOf`
 * gives each unnamed group's person when that person is named.
 */
export async function partsNamedLibrary(
  people: LfwPerson[],
  strangers: LfwPerson[],
  seed: number,
  share: number,
  /** The named people's named part: this many of their faces (else a group of 3-4 like the others). */
  namedFaces?: number,
): Promise<EmbedderFixture & { partOf: Map<string, string> }> {
  const fx = await makeEmbedderFixture([...people, ...strangers], { confirmed: 0, seed });
  const named = new Set(shuffleInPlace(people.map((_, i) => i), seededRandom(seed)).slice(0, Math.round(people.length * share)));
  const partOf = new Map<string, string>();
  await fx.library.transaction((tx) => {
    const facesOf = new Map<number, typeof tx.faces>();
    for (const f of tx.faces) {
      const identity = fx.identityOf.get(f.id)!;
      Object.assign(f, { personId: null, assignedBy: null });
      if (identity < people.length) facesOf.set(identity, [...(facesOf.get(identity) ?? []), f]);
    }
    const at = new Date(0).toISOString();
    tx.people.people = [...facesOf].flatMap(([identity, faces]) =>
      (namedFaces !== undefined && named.has(identity) ? [faces.slice(0, namedFaces), ...groupsOfThreeOrFour(faces.slice(namedFaces))] : groupsOfThreeOrFour(faces)).map((part, k) => {
        const isNamed = k === 0 && named.has(identity);
        const id = k === 0 ? fx.personIdOf(identity) : `group-${identity}-${k}`;
        for (const f of part) Object.assign(f, { personId: id, assignedBy: isNamed ? 'user' : 'cluster' });
        if (k > 0 && named.has(identity)) partOf.set(id, fx.personIdOf(identity));
        return { id, name: isNamed ? people[identity].identity.replace(/_/g, ' ') : null, hidden: false, coverFaceId: null, createdAt: at };
      }),
    );
  });
  return { ...fx, partOf };
}

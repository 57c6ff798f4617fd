// Which faces should the user be asked about? Benchmark on ../shared/faces/lfw_subset:
//   npm run bench:review [-- --answers 1,2,4 --seeds 1,2,3 --scale 20000,100000 --cache FILE --only SECTION]
// (--only review, strangers, suggestions, same-person, strict or scale runs that section alone)
//
// A real library (main/store) holds every face of lfw_subset: the 158 ten-photo people, each named from one random
// photo (the user naming a group), and the 100 one-photo people as strangers nobody names. The user then spends the
// same number of answers, A per named person, in one of three ways (tests/helpers/review-simulation.ts); the
// baseline is measured in the same run:
//   random     A more random photos of each person confirmed (what bench:embedder's k confirmations are)
//   suggest    each person's suggestions queue, nearest first, one face per person per round: yes or no
//   ambiguous  "is this A or B?" (ambiguousFaces, main/people/queries.ts): A, B, someone else (named), or neither
// After the answers, every photo of the 158 people is identified by its nearest confirmed face (confirmed photos
// count as right): the errors left, as a share of the random protocol's, and the errors on the 20 pairs of people
// the random protocol confuses most (largest cells of its confusion matrix, two-way; chosen on random's own
// errors, so that column flatters the other two), and the answers spent on nobody (a No, a Neither). The suggestions
// queue and "is this A or B?" also run with their rule before (a suggestion need not be like the person; a face alone,
// beyond the reach of a person known by fewer than 3 faces, still asked about), and what "is this A or B?" asks
// before any answer under each rule. Also the time one "is this A or B?" scan takes, on lfw_subset and (the scale
// section) on larger libraries made of its faces plus noisy copies (Gaussian, sigma 0.02 a dimension, around each
// person's photos) with the same 158 people named: storing them, building their hnsw index and the scan timed apart.
//
// Then strangers in "Which one?" (--half-named, photos confirmed per person, default 1,3): a family's library has many
// people nobody named, and a face between two named people may be neither. Every face of lfw_subset grouped by
// Regroup, half of the ten-photo people named (the other half and the one-photo people strangers), and the rule
// that holds a face no named person holds to a reach of one of the two against the rule before and other reaches,
// then the signs of someone unnamed within it (each alone, and all three), in the same run: questions asked, how many
// about strangers ("Neither"), how many about a face of either person, how many about a face of the farther of the
// two (the errors it is there to catch); then 2 answers per named person spent, identification errors before and after.
//
// Then which faces a person's suggestions offer (suggestionsFor, main/people/queries.ts): on lfw_subset grouped by
// Regroup with the largest group of a random third of the people named (tests/main/people/clustered-library.test.ts),
// with each person's photos in groups of 3-4 and one of them named (QA's Anna Kournikova), and on the half-named
// libraries above, every named person's queue with the rule before (every face within the reach
// of where it is) and with each face held to being like the person, at several spreads, in the same run: how many
// faces offered and how many right, of their own group and outside it, how many of the person's faces outside their
// group are found, and the time a queue takes.
//
// Then "Are these the same person?" (main/people/same-person.ts): lfw_subset grouped by Regroup with nobody named,
// whole and with 3-9 photos a person (--photos; seeds added up), and which pairs of unnamed groups are asked about at
// each reach, against the rule before (no such question: a person split in two groups waits for two names, or for
// "Is this <Name>?" once one half is named): pairs offered, how many truly one person, how many split people there are
// to find, and which questions are about two people (siblings among them would be the worst).
//
// Then a stricter same-person distance in Settings (--only strict): lfw_subset grouped by Regroup at 0.05-0.07, and
// whether the people it splits into several groups are offered back by "Are these the same person?" (nobody named),
// "Is this <Name>?" and the named half's suggestions (each person's largest group named), with the question reaches
// narrowed by the setting (before) and held at the calibrated distance's (now), in the same run; and how many
// questions are about two people.
import { resolve } from 'node:path';
import { ambiguousFaces, recluster, suggestionsFor } from '../main/people/index.js';
import { GROUP_CANDIDATE_SHARE, groupCandidates, LOOSE_GROUP_SHARE } from '../main/people/group-candidates.js';
import { SAME_PERSON_SHARE, SAME_PERSON_SPREAD, samePersonPairs } from '../main/people/same-person.js';
import { fewPhotosLibrary, makeEmbedderFixture } from '../tests/main/embedder/fixture.js';
import type { AmbiguityOptions, SuggestionOptions } from '../main/people/queries.js';
import { BACKBONE_THRESHOLDS } from '../main/people/thresholds.js';
import type { Library } from '../main/store/library.js';
import { seededRandom } from '../models/embedder/random.js';
import type { LfwPerson } from '../tests/models/embedder/lfw-fixture.js';
import { loadLfwPeople } from '../tests/models/embedder/lfw-fixture.js';
import {
  answerQuestions,
  groupsNamedLibrary,
  halfNamedLibrary,
  identificationErrors,
  identifyByConfirmed,
  mostConfusedPairs,
  namedLibrary,
  partsNamedLibrary,
  type ReviewProtocol,
} from '../tests/helpers/review-simulation.js';

const listArg = (name: string, fallback: string): number[] => {
  const i = process.argv.indexOf(name);
  return (i >= 0 ? process.argv[i + 1] : fallback).split(',').map(Number);
};
const answersPerPerson = listArg('--answers', '1,2,4');
const scales = listArg('--scale', '20000,100000');
const seeds = listArg('--seeds', '1,2,3');
const halfNamedConfirmed = listArg('--half-named', '1,3');
const fewPhotos = listArg('--photos', '3,4,5,6,8,9');
const cacheIndex = process.argv.indexOf('--cache');
const onlyIndex = process.argv.indexOf('--only');
/** Whether a section runs: every one, or the one --only names (review, strangers, suggestions, same-person, strict, scale). */
const runs = (section: string) => onlyIndex < 0 || process.argv[onlyIndex + 1] === section;
const all = await loadLfwPeople(cacheIndex >= 0 ? resolve(process.argv[cacheIndex + 1]) : undefined);
const people = all.filter((p) => p.descriptors.length >= 6);
const strangers = all.filter((p) => p.descriptors.length === 1);
// Each also with the rules before, in the same run: a suggestion need not be like the person (SuggestionOptions);
// "Which one?" asked about every face within its reach, whatever lay near it (before), and before that about a face
// beyond the reach of a barely known person alone or not (alone) (AmbiguityOptions).
const reachAlone: AmbiguityOptions = { unnamedGroupFirst: false, unnamedGroupBetween: false, runnerUpNear: false };
const protocols: Array<{ name: string; protocol: ReviewProtocol; options?: AmbiguityOptions & SuggestionOptions }> = [
  { name: 'random', protocol: 'random' },
  { name: 'suggest', protocol: 'suggest' },
  { name: 'suggest, before', protocol: 'suggest', options: { alikeOnly: false } },
  { name: 'ambiguous', protocol: 'ambiguous' },
  { name: 'ambiguous, before', protocol: 'ambiguous', options: reachAlone },
  { name: 'ambiguous, alone', protocol: 'ambiguous', options: { ...reachAlone, companyNeeded: false } },
];
const HALF_NAMED_ANSWERS = 2;

if (runs('review')) {
  console.log(`lfw_subset: ${people.length} named people (one random photo each to start), ${strangers.length} strangers; seeds ${seeds.join(',')}`);
  let scanMs = 0;
  let scanFaces = 0;
  console.log("answers/person  protocol           answers  No/Neither  errors left  vs random  on random's 20 confused pairs");
  for (const perPerson of answersPerPerson) {
    const totals = new Map(protocols.map((p) => [p.name, { errors: 0, pairs: 0, answers: 0, no: 0 }]));
    for (const seed of seeds) {
      let pairs: Set<string> | null = null;
      for (const { name, protocol, options } of protocols) {
        const fx = await namedLibrary(people, strangers, seed, protocol === 'random' ? 1 + perPerson : 1);
        const budget = perPerson * people.length;
        if (protocol === 'ambiguous' && scanFaces === 0) {
          const started = performance.now();
          ambiguousFaces(fx.library);
          scanMs = performance.now() - started;
          scanFaces = fx.library.faces.length;
        }
        const spent = protocol === 'random' ? budget : await answerQuestions(fx.library, protocol, budget, fx.truth, seededRandom(seed), options);
        const result = identifyByConfirmed(fx.library, fx.truth);
        pairs ??= mostConfusedPairs(result);
        const t = totals.get(name)!;
        t.errors += identificationErrors(result);
        t.pairs += identificationErrors(result, pairs);
        t.answers += spent;
        // Answers spent on nobody: a suggestion's No (one rejection each), "Which one?"'s Neither (rejected from both).
        const rejections = fx.library.faces.map((f) => f.rejectedPersonIds.length);
        t.no += protocol === 'suggest' ? rejections.reduce((a, b) => a + b, 0) : rejections.filter((n) => n >= 2).length;
        await fx.close();
      }
    }
    const random = totals.get('random')!;
    for (const { name, protocol } of protocols) {
      const t = totals.get(name)!;
      const share = random.errors ? `${((t.errors / random.errors) * 100).toFixed(0)} %` : '-';
      const no = protocol === 'random' ? '-' : String(t.no);
      console.log(`${String(perPerson).padStart(14)}  ${name.padEnd(17)}  ${String(t.answers).padStart(7)}  ${no.padStart(12)}  ${String(t.errors).padStart(11)}  ${share.padStart(9)}  ${t.pairs}`);
    }
  }
  console.log(`one "is this A or B?" scan: ${scanMs.toFixed(0)} ms for ${scanFaces} faces (${((scanMs / scanFaces) * 1000).toFixed(0)} µs a face)`);
  // Before any answer: what "Which one?" asks about, each person known by the one photo they were named from.
  for (const [name, options] of [['now', {}], ['before (the reach alone)', reachAlone], ['before that (alone or not)', { ...reachAlone, companyNeeded: false }]] as Array<[string, AmbiguityOptions]>) {
    const t = { questions: 0, strangers: 0, farther: 0, nearer: 0 };
    for (const seed of seeds) {
      const fx = await namedLibrary(people, strangers, seed, 1);
      const questions = ambiguousFaces(fx.library, Infinity, options);
      t.questions += questions.length;
      t.strangers += questions.filter((q) => fx.truth(q.faceId) === null).length;
      t.nearer += questions.filter((q) => fx.truth(q.faceId) === q.candidates[0].personId).length;
      t.farther += questions.filter((q) => fx.truth(q.faceId) === q.candidates[1].personId).length;
      await fx.close();
    }
    console.log(`"Which one?" before any answer, ${name}: ${t.questions} questions, ${t.strangers} about strangers, ${t.nearer} about a face of the nearer person, ${t.farther} of the farther`);
  }
}

if (runs('strangers')) {
  console.log('\n## Strangers in "Which one?": half of the ten-photo people named, every face grouped by Regroup, raw backbone');
  console.log(`seeds ${seeds.join(',')} added up; then ${HALF_NAMED_ANSWERS} answers per named person`);
  // The shipped reach: placement's distance and two placement margins (DOUBT_MARGINS) more.
  const shipped = BACKBONE_THRESHOLDS.placeDistance + 2 * BACKBONE_THRESHOLDS.placeMargin;
  // The reach alone (reachAlone: the rule before), then each sign of someone unnamed alone and all three: no unnamed
  // group a margin nearer than both people; and, alone past placement's distance and a margin, no unnamed group
  // nearer than the runner-up, and as many of the runner-up's faces near it as of the nearer one's.
  const strangerRules: Array<{ name: string; options: AmbiguityOptions }> = [
    { name: 'before (0.087, 3 confirmed faces each)', options: { strangerReach: false } },
    { name: 'reach 0.065 (one margin)', options: { ...reachAlone, reach: 0.065 } },
    { name: 'reach 0.071 (as suggestions reach a face no group took)', options: { ...reachAlone, reach: 0.071 } },
    { name: `reach ${shipped.toFixed(3)} (the rule before)`, options: reachAlone },
    { name: 'reach 0.080', options: { ...reachAlone, reach: 0.08 } },
    { name: `reach ${shipped.toFixed(3)}, no unnamed group a margin nearer than both`, options: { ...reachAlone, unnamedGroupFirst: true } },
    { name: `reach ${shipped.toFixed(3)}, alone past one margin: no unnamed group nearer than the runner-up`, options: { ...reachAlone, unnamedGroupBetween: true } },
    { name: `reach ${shipped.toFixed(3)}, alone past one margin: as many of the runner-up's faces near it`, options: { ...reachAlone, runnerUpNear: true } },
    { name: `**reach ${shipped.toFixed(3)}, all three (shipped)**`, options: {} },
  ];
  console.log('| confirmed per person | rule | questions | about strangers | about A or B | about the farther one\'s face | answers | "Neither" | errors before -> after | fixed per answer |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const confirmed of halfNamedConfirmed) {
    for (const rule of strangerRules) {
      const t = { questions: 0, strangers: 0, either: 0, farther: 0, answers: 0, neither: 0, before: 0, after: 0 };
      for (const seed of seeds) {
        const fx = await halfNamedLibrary(people, strangers, seed, confirmed);
        const questions = ambiguousFaces(fx.library, Infinity, rule.options);
        t.questions += questions.length;
        t.strangers += questions.filter((q) => fx.truth(q.faceId) === null).length;
        t.either += questions.filter((q) => q.candidates.some((c) => c.personId === fx.truth(q.faceId))).length;
        t.farther += questions.filter((q) => fx.truth(q.faceId) === q.candidates[1].personId).length;
        t.before += identificationErrors(identifyByConfirmed(fx.library, fx.truth));
        const named = fx.library.people.people.filter((p) => p.name !== null).length;
        t.answers += await answerQuestions(fx.library, 'ambiguous', HALF_NAMED_ANSWERS * named, fx.truth, seededRandom(seed), rule.options);
        t.neither += fx.library.faces.filter((f) => fx.truth(f.id) === null && f.rejectedPersonIds.length >= 2).length;
        t.after += identificationErrors(identifyByConfirmed(fx.library, fx.truth));
        await fx.close();
      }
      const share = (n: number) => `${n} (${((n / Math.max(1, t.questions)) * 100).toFixed(0)} %)`;
      console.log(`| ${confirmed} | ${rule.name} | ${t.questions} | ${share(t.strangers)} | ${share(t.either)} | ${t.farther} | ${t.answers} | ${t.neither} | ${t.before} -> ${t.after} | ${((t.before - t.after) / Math.max(1, t.answers)).toFixed(3)} |`);
    }
  }
  console.log('');
}

if (runs('suggestions')) {
  console.log('## Which faces a person\'s suggestions offer (main/people/queries.ts, alikeJudge), raw backbone');
  console.log(`seeds ${seeds.join(',')} added up; every named person's queue (up to 50), the rule before and after in the same run`);
  // Each library's named people, and whose face is whose: a face is "theirs" when truth gives their person id.
  const suggestionLibraries: Array<{ name: string; open: (seed: number) => Promise<{ library: Library; named: string[]; isOf: (faceId: string, personId: string) => boolean; close(): Promise<void> }> }> = [
    {
      name: 'lfw_subset grouped, a third of the groups named (whole)',
      open: async (seed) => {
        const fx = await groupsNamedLibrary(all, seed);
        const identityOf = new Map([...fx.named].map(([identity, personId]) => [personId, identity]));
        return { ...fx, named: [...fx.named.values()], isOf: (faceId, personId) => fx.identityOf.get(faceId) === identityOf.get(personId) };
      },
    },
    {
      name: "each person's photos in groups of 3-4, the first of two people in three named (QA's Anna Kournikova)",
      open: async (seed) => {
        const fx = await partsNamedLibrary(people, strangers, seed, 2 / 3);
        // A named person is their first group: personIdOf(identity).
        const named = fx.library.people.people.filter((p) => p.name !== null).map((p) => p.id);
        return { ...fx, named, isOf: (faceId: string, personId: string) => fx.personIdOf(fx.identityOf.get(faceId)!) === personId };
      },
    },
    ...halfNamedConfirmed.map((confirmed) => ({
      name: `half the people named, ${confirmed} photo${confirmed > 1 ? 's' : ''} confirmed each, grouped`,
      open: async (seed: number) => {
        const fx = await halfNamedLibrary(people, strangers, seed, confirmed);
        return { ...fx, named: fx.library.people.people.filter((p) => p.name !== null).map((p) => p.id), isOf: (faceId: string, personId: string) => fx.truth(faceId) === personId };
      },
    })),
  ];
  const suggestionRules: Array<{ name: string; options: SuggestionOptions }> = [
    { name: 'before (within the reach of where the face is)', options: { alikeOnly: false } },
    { name: 'like the person: no spread test', options: { spreadFactor: Infinity } },
    { name: 'like the person, spread x1.5', options: { spreadFactor: 1.5 } },
    { name: 'like the person, spread x1.7; a group "Is this <Name>?" asks about as them held to the reach of other groups (before)', options: { groupsAskedAs: false } },
    { name: '**like the person, spread x1.7, a group asked about as them and like them as a whole offered as theirs (shipped)**', options: {} },
    { name: 'like the person, spread x2', options: { spreadFactor: 2 } },
  ];
  console.log("| library | rule | offered | right | their own group's faces: offered / right | others: offered / right | their faces found outside their group | ms a queue |");
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const setup of suggestionLibraries) {
    const totals = suggestionRules.map(() => ({ offered: 0, right: 0, ownOffered: 0, ownRight: 0, found: 0, outside: 0, ms: 0, queues: 0 }));
    for (const seed of seeds) {
      const fx = await setup.open(seed);
      const lib = fx.library;
      suggestionRules.forEach((rule, r) => {
        const t = totals[r];
        for (const personId of fx.named) {
          const started = performance.now();
          const queue = suggestionsFor(lib, personId, 50, rule.options);
          t.ms += performance.now() - started;
          t.queues++;
          const own = queue.filter((s) => lib.face(s.faceId)!.personId === personId);
          t.offered += queue.length;
          t.right += queue.filter((s) => fx.isOf(s.faceId, personId)).length;
          t.ownOffered += own.length;
          t.ownRight += own.filter((s) => fx.isOf(s.faceId, personId)).length;
          t.found += queue.filter((s) => fx.isOf(s.faceId, personId) && lib.face(s.faceId)!.personId !== personId).length;
          t.outside += lib.faces.filter((f) => fx.isOf(f.id, personId) && f.personId !== personId).length;
        }
      });
      await fx.close();
    }
    suggestionRules.forEach((rule, r) => {
      const t = totals[r];
      const others = t.offered - t.ownOffered;
      const pct = (n: number, of: number) => `${((n / Math.max(1, of)) * 100).toFixed(0)} %`;
      console.log(
        `| ${r === 0 ? setup.name : ''} | ${rule.name} | ${t.offered} | ${t.right} (${pct(t.right, t.offered)}) | ${t.ownOffered} / ${t.ownRight} | ${others} / ${t.found} (${pct(t.found, others)}) | ${t.found} of ${t.outside} | ${(t.ms / t.queues).toFixed(1)} |`,
      );
    });
  }
  console.log('');
}

if (runs('same-person')) {
  console.log('## "Are these the same person?" about two unnamed groups (main/people/same-person.ts), raw backbone');
  console.log(`lfw_subset grouped by Regroup, nobody named; seeds ${seeds.join(',')} added up; every rule in the same run`);
  const sameDistance = BACKBONE_THRESHOLDS.sameDistance;
  const sameRules: Array<{ name: string; reach: number | null; spreadFactor?: number }> = [
    { name: 'before (no such question)', reach: null },
    ...[0.45, 0.5, 0.55, 0.6, 0.7].map((share) => ({ name: `each way within ${share} (${(share * sameDistance).toFixed(3)}), no spread test`, reach: share * sameDistance, spreadFactor: Infinity })),
    ...[0.5, 0.6, 0.7].flatMap((share) =>
      [1.2, 1.3, 1.4].map((spreadFactor) => {
        const shipped = share === SAME_PERSON_SHARE && spreadFactor === SAME_PERSON_SPREAD;
        return { name: `${shipped ? '**' : ''}within ${share}, and ${spreadFactor} x the looser spread${shipped ? ' (shipped)**' : ''}`, reach: share * sameDistance, spreadFactor };
      }),
    ),
  ];
  const sameLibraries: Array<{ name: string; open: (seed: number) => Promise<{ library: Library; identityOf: (faceId: string) => string; close(): Promise<void> }> }> = [
    {
      name: 'lfw_subset whole',
      open: async (seed) => {
        const fx = await makeEmbedderFixture(all, { confirmed: 0, seed });
        await fx.library.transaction((tx) => {
          tx.people.people = [];
          for (const f of tx.faces) Object.assign(f, { personId: null, assignedBy: null });
        });
        await recluster(fx.library);
        return { library: fx.library, identityOf: (id) => all[fx.identityOf.get(id)!].identity, close: () => fx.close() };
      },
    },
    ...fewPhotos.map((photos) => ({
      name: `${photos} photos a person`,
      open: async (seed: number) => {
        const fx = await fewPhotosLibrary(photos, seed);
        await recluster(fx.library);
        return { library: fx.library, identityOf: (id: string) => fx.identityOf.get(id)!, close: () => fx.close() };
      },
    })),
  ];
  console.log('| library | rule | pairs offered | truly one person | split people found / to find | about two people | ms a listing |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const setup of sameLibraries) {
    const totals = sameRules.map(() => ({ offered: 0, right: 0, found: 0, toFind: 0, wrong: [] as string[], ms: 0 }));
    for (const seed of seeds) {
      const fx = await setup.open(seed);
      const lib = fx.library;
      // Each unnamed group's person: the identity most of its faces have.
      const votes = new Map<string, Map<string, number>>();
      for (const f of lib.faces) {
        if (f.personId === null) continue;
        const row = votes.get(f.personId) ?? votes.set(f.personId, new Map()).get(f.personId)!;
        row.set(fx.identityOf(f.id), (row.get(fx.identityOf(f.id)) ?? 0) + 1);
      }
      const identityOfGroup = new Map([...votes].map(([group, row]) => [group, [...row].sort((a, b) => b[1] - a[1])[0][0]]));
      const groupsOf = new Map<string, number>();
      for (const identity of identityOfGroup.values()) groupsOf.set(identity, (groupsOf.get(identity) ?? 0) + 1);
      const split = [...groupsOf.values()].filter((n) => n > 1).length;
      sameRules.forEach((rule, r) => {
        const t = totals[r];
        t.toFind += split;
        if (rule.reach === null) return;
        const started = performance.now();
        const pairs = samePersonPairs(lib, { reach: rule.reach, spreadFactor: rule.spreadFactor });
        t.ms += performance.now() - started;
        const found = new Set<string>();
        for (const pair of pairs) {
          const [a, b] = [identityOfGroup.get(pair.groupId)!, identityOfGroup.get(pair.otherId)!];
          t.offered++;
          if (a === b) {
            t.right++;
            found.add(a);
          } else t.wrong.push(`${a} / ${b} ${pair.distance.toFixed(3)}`);
        }
        t.found += found.size;
      });
      await fx.close();
    }
    sameRules.forEach((rule, r) => {
      const t = totals[r];
      const right = rule.reach === null ? '-' : `${t.right} (${((t.right / Math.max(1, t.offered)) * 100).toFixed(0)} %)`;
      const wrong = t.wrong.length === 0 ? '0' : `${t.wrong.length}: ${t.wrong.slice(0, 4).join('; ')}${t.wrong.length > 4 ? '; …' : ''}`;
      const ms = rule.reach === null ? '-' : (t.ms / seeds.length).toFixed(0);
      console.log(`| ${r === 0 ? setup.name : ''} | ${rule.name} | ${t.offered} | ${right} | ${t.found} / ${t.toFind} | ${wrong} | ${ms} |`);
    });
  }
  console.log('');
}

if (runs('strict')) {
  console.log('## A stricter same-person distance in Settings: are the people it splits offered back? raw backbone');
  console.log(`lfw_subset grouped by Regroup at each Settings value, seeds ${seeds.join(',')} added up; the question reaches narrowed by the setting (before) and not (now), in the same run`);
  console.log('"Is this <Name>?" and suggestions: after each person\'s largest group is named (all its faces confirmed)');
  const calibrated = BACKBONE_THRESHOLDS.sameDistance;
  const strictLibraries: Array<{ name: string; open: (seed: number) => Promise<{ library: Library; identityOf: (faceId: string) => string; close(): Promise<void> }> }> = [
    {
      name: 'lfw_subset whole',
      open: async (seed) => {
        const fx = await makeEmbedderFixture(all, { confirmed: 0, seed });
        return { library: fx.library, identityOf: (id) => all[fx.identityOf.get(id)!].identity, close: () => fx.close() };
      },
    },
    ...[8].map((photos) => ({
      name: `${photos} photos a person`,
      open: async (seed: number) => {
        const fx = await fewPhotosLibrary(photos, seed);
        return { library: fx.library, identityOf: (id: string) => fx.identityOf.get(id)!, close: () => fx.close() };
      },
    })),
  ];
  console.log('| library | setting | split people | rule | same person?: asked, right, split found | Is this <Name>?: asked, right, split found | suggestions outside the group: offered, right, split found | split found by some question | Which one?: asked, about neither |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const setup of strictLibraries) {
    for (const setting of [0.05, 0.06, 0.07, calibrated]) {
      const rules = ['before', 'now'] as const;
      const totals = rules.map(() => ({ split: 0, same: [0, 0, 0], maybe: [0, 0, 0], suggest: [0, 0, 0], any: 0, unsure: [0, 0], wrong: [] as string[] }));
      for (const seed of seeds) {
        const fx = await setup.open(seed);
        const lib = fx.library;
        await lib.transaction((tx) => {
          tx.settings.samePersonDistance = setting;
          tx.people.people = [];
          for (const f of tx.faces) Object.assign(f, { personId: null, assignedBy: null });
        });
        await recluster(lib);
        const identityOfGroup = majorityIdentities(lib, fx.identityOf);
        const groupsOf = new Map<string, string[]>();
        for (const [group, identity] of identityOfGroup) groupsOf.set(identity, [...(groupsOf.get(identity) ?? []), group]);
        const split = new Set([...groupsOf].filter(([, groups]) => groups.length > 1).map(([identity]) => identity));
        // "Are these the same person?", nobody named.
        const sameFound = rules.map((rule, r) => {
          const found = new Set<string>();
          for (const pair of samePersonPairs(lib, rule === 'before' ? { reach: SAME_PERSON_SHARE * setting } : {})) {
            const [a, b] = [identityOfGroup.get(pair.groupId)!, identityOfGroup.get(pair.otherId)!];
            totals[r].same[0]++;
            if (a === b) {
              totals[r].same[1]++;
              found.add(a);
            } else totals[r].wrong.push(`same? ${a} / ${b}`);
          }
          totals[r].same[2] += found.size;
          return found;
        });
        // Each person's largest group named, its faces confirmed.
        const size = (group: string) => lib.faces.filter((f) => f.personId === group).length;
        const named = new Map([...groupsOf].map(([identity, groups]) => [[...groups].sort((a, b) => size(b) - size(a))[0], identity]));
        await lib.transaction((tx) => {
          for (const p of tx.people.people) if (named.has(p.id)) p.name = named.get(p.id)!;
          for (const f of tx.faces) if (f.personId !== null && named.has(f.personId)) f.assignedBy = 'user';
        });
        rules.forEach((rule, r) => {
          const t = totals[r];
          t.split += split.size;
          const found = new Set(sameFound[r]);
          const maybeFound = new Set<string>();
          for (const c of groupCandidates(lib, rule === 'before' ? { reach: GROUP_CANDIDATE_SHARE * setting, looseReach: LOOSE_GROUP_SHARE * setting } : {})) {
            t.maybe[0]++;
            if (identityOfGroup.get(c.groupId) === c.name) {
              t.maybe[1]++;
              maybeFound.add(c.name);
            } else t.wrong.push(`Is this ${c.name}? ${identityOfGroup.get(c.groupId)}`);
          }
          t.maybe[2] += maybeFound.size;
          const suggestFound = new Set<string>();
          for (const [personId, identity] of named) {
            for (const s of suggestionsFor(lib, personId, 50, { narrowedBySettings: rule === 'before' })) {
              if (s.currentPersonId === personId) continue;
              t.suggest[0]++;
              if (fx.identityOf(s.faceId) !== identity) continue;
              t.suggest[1]++;
              if (s.currentPersonId !== null && identityOfGroup.get(s.currentPersonId) === identity) suggestFound.add(identity);
            }
          }
          t.suggest[2] += suggestFound.size;
          for (const identity of [...maybeFound, ...suggestFound]) found.add(identity);
          // "Which one?": before, its reach narrowed with the setting (the reach alone: its other distances kept).
          const doubtReach = Math.min(BACKBONE_THRESHOLDS.suggestDistance, (BACKBONE_THRESHOLDS.placeDistance + 2 * BACKBONE_THRESHOLDS.placeMargin) * (setting / calibrated));
          for (const q of ambiguousFaces(lib, Infinity, rule === 'before' && setting < calibrated ? { reach: doubtReach } : {})) {
            t.unsure[0]++;
            if (!q.candidates.some((c) => c.name === fx.identityOf(q.faceId))) t.unsure[1]++;
          }
          t.any += [...found].filter((identity) => split.has(identity)).length;
        });
        await fx.close();
      }
      rules.forEach((rule, r) => {
        const t = totals[r];
        const cell = ([asked, right, found]: number[]) => `${asked}, ${right}, ${found}`;
        const wrong = t.wrong.length === 0 ? '' : ` (wrong: ${t.wrong.slice(0, 3).join('; ')}${t.wrong.length > 3 ? '; …' : ''})`;
        console.log(`| ${setting === 0.05 && r === 0 ? setup.name : ''} | ${r === 0 ? setting.toFixed(3) : ''} | ${r === 0 ? t.split : ''} | ${rule} | ${cell(t.same)} | ${cell(t.maybe)} | ${cell(t.suggest)} | ${t.any} of ${t.split}${wrong} | ${t.unsure[0]}, ${t.unsure[1]} |`);
      });
    }
  }
  console.log('');
}

/** Each group's person: the identity most of its faces have. */
function majorityIdentities(library: Library, identityOf: (faceId: string) => string): Map<string, string> {
  const votes = new Map<string, Map<string, number>>();
  for (const f of library.faces) {
    if (f.personId === null) continue;
    const row = votes.get(f.personId) ?? votes.set(f.personId, new Map()).get(f.personId)!;
    row.set(identityOf(f.id), (row.get(identityOf(f.id)) ?? 0) + 1);
  }
  return new Map([...votes].map(([group, row]) => [group, [...row].sort((a, b) => b[1] - a[1])[0][0]]));
}

/** `people` with noisy copies of their photos added until the library holds about `faces` faces. */
function enlarged(faces: number): LfwPerson[] {
  const random = seededRandom(faces);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const copies = Math.max(0, Math.ceil((faces - people.length * 10 - strangers.length) / people.length));
  return people.map((p) => {
    const extra = Array.from({ length: copies }, (_, i) => {
      const base = p.descriptors[i % p.descriptors.length];
      return Float32Array.from(base, (v) => v + 0.02 * gaussian());
    });
    return { ...p, photos: [...p.photos, ...extra.map((_, i) => `copy-${i}`)], descriptors: [...p.descriptors, ...extra] };
  });
}

if (runs('scale')) {
  // Each stage timed on its own. The store takes the faces in without indexing them; the hnsw index catches up in one
  // pass at the first search (Library.syncIndex), as after an import or a look-again, and the scan the app repeats
  // on every change then searches the built index: timed together, the build hid the scan (205 s at 100,000 faces).
  // CPU seconds of this process first: on a shared machine the wall time moves with the load.
  console.log('\n## One "is this A or B?" scan at scale (ambiguousFaces), raw backbone');
  console.log(`lfw_subset as it is (the baseline, same run), then with noisy copies of its photos; ${people.length} people named from one photo each`);
  console.log('| faces | library stored | hnsw index built | scan | scan per face | in doubt |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const faces of [0, ...scales]) {
    const stored = await timed(() => namedLibrary(enlarged(faces), strangers, 1, 1));
    const fx = stored.result;
    // Reading the size brings the index up to the library's faces first.
    const indexed = await timed(() => fx.library.indexSize);
    const scan = await timed(() => ambiguousFaces(fx.library).length);
    const count = fx.library.faces.length;
    const perFace = ((scan.cpuMs / count) * 1000).toFixed(0);
    console.log(`| ${count.toLocaleString('en')} | ${stored.text} | ${indexed.text} | ${scan.text} | ${perFace} µs | ${scan.result} |`);
    await fx.close();
  }
}

/** What `run` took: CPU time of this process and wall time, as "1.2 s (3.4 s wall)". */
async function timed<T>(run: () => T | Promise<T>): Promise<{ result: T; cpuMs: number; text: string }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { result, cpuMs, text: `${(cpuMs / 1000).toFixed(1)} s (${(wallMs / 1000).toFixed(1)} s wall)` };
}

// Which faces should the user be asked about? Benchmark on ../shared/faces/lfw_subset:
//   npm run bench:review [-- --answers 1,2,4 --seeds 1,2,3 --scale 20000,100000 --cache FILE]
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
// errors, so that column flatters the other two). Also the time one "is this A or B?" scan takes, on lfw_subset
// and on larger libraries made of its faces plus noisy copies (Gaussian, sigma 0.02 a dimension, around each
// person's photos) with the same 158 people named.
//
// Then strangers in "Which one?" (--half-named, photos confirmed per person, default 1,3): a family's library has many
// people nobody named, and a face between two named people may be neither. Every face of lfw_subset grouped by
// Regroup, half of the ten-photo people named (the other half and the one-photo people strangers), and the rule
// that holds a face no named person holds to a reach of one of the two against the rule before and other reaches,
// in the same run: questions asked, how many about strangers ("Neither"), how many about a face of the farther of the
// two (the errors it is there to catch); then 2 answers per named person spent, identification errors before and after.
import { resolve } from 'node:path';
import { ambiguousFaces } from '../main/people/index.js';
import type { AmbiguityOptions } from '../main/people/queries.js';
import { BACKBONE_THRESHOLDS } from '../main/people/thresholds.js';
import { seededRandom } from '../models/embedder/random.js';
import type { LfwPerson } from '../tests/models/embedder/lfw-fixture.js';
import { loadLfwPeople } from '../tests/models/embedder/lfw-fixture.js';
import {
  answerQuestions,
  halfNamedLibrary,
  identificationErrors,
  identifyByConfirmed,
  mostConfusedPairs,
  namedLibrary,
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
const cacheIndex = process.argv.indexOf('--cache');
const all = await loadLfwPeople(cacheIndex >= 0 ? resolve(process.argv[cacheIndex + 1]) : undefined);
const people = all.filter((p) => p.descriptors.length >= 6);
const strangers = all.filter((p) => p.descriptors.length === 1);
const protocols: ReviewProtocol[] = ['random', 'suggest', 'ambiguous'];
const HALF_NAMED_ANSWERS = 2;

console.log(`lfw_subset: ${people.length} named people (one random photo each to start), ${strangers.length} strangers; seeds ${seeds.join(',')}`);
let scanMs = 0;
let scanFaces = 0;
console.log("answers/person  protocol    answers  errors left  vs random  on random's 20 confused pairs");
for (const perPerson of answersPerPerson) {
  const totals = Object.fromEntries(protocols.map((p) => [p, { errors: 0, pairs: 0, answers: 0 }])) as Record<ReviewProtocol, { errors: number; pairs: number; answers: number }>;
  for (const seed of seeds) {
    let pairs: Set<string> | null = null;
    for (const protocol of protocols) {
      const fx = await namedLibrary(people, strangers, seed, protocol === 'random' ? 1 + perPerson : 1);
      const budget = perPerson * people.length;
      if (protocol === 'ambiguous' && scanFaces === 0) {
        const started = performance.now();
        ambiguousFaces(fx.library);
        scanMs = performance.now() - started;
        scanFaces = fx.library.faces.length;
      }
      const spent = protocol === 'random' ? budget : await answerQuestions(fx.library, protocol, budget, fx.truth, seededRandom(seed));
      const result = identifyByConfirmed(fx.library, fx.truth);
      pairs ??= mostConfusedPairs(result);
      totals[protocol].errors += identificationErrors(result);
      totals[protocol].pairs += identificationErrors(result, pairs);
      totals[protocol].answers += spent;
      await fx.close();
    }
  }
  for (const protocol of protocols) {
    const t = totals[protocol];
    const share = totals.random.errors ? `${((t.errors / totals.random.errors) * 100).toFixed(0)} %` : '-';
    console.log(`${String(perPerson).padStart(14)}  ${protocol.padEnd(10)}  ${String(t.answers).padStart(7)}  ${String(t.errors).padStart(11)}  ${share.padStart(9)}  ${t.pairs}`);
  }
}
console.log(`one "is this A or B?" scan: ${scanMs.toFixed(0)} ms for ${scanFaces} faces (${((scanMs / scanFaces) * 1000).toFixed(0)} µs a face)`);

console.log('\n## Strangers in "Which one?": half of the ten-photo people named, every face grouped by Regroup, raw backbone');
console.log(`seeds ${seeds.join(',')} added up; then ${HALF_NAMED_ANSWERS} answers per named person`);
// The shipped reach: placement's distance and two placement margins (DOUBT_MARGINS) more.
const shipped = BACKBONE_THRESHOLDS.placeDistance + 2 * BACKBONE_THRESHOLDS.placeMargin;
const strangerRules: Array<{ name: string; options: AmbiguityOptions }> = [
  { name: 'before (0.087, 3 confirmed faces each)', options: { strangerReach: false } },
  { name: 'reach 0.065 (one margin)', options: { reach: 0.065 } },
  { name: 'reach 0.071 (as suggestions reach a face no group took)', options: { reach: 0.071 } },
  { name: `reach ${shipped.toFixed(3)} (shipped)`, options: {} },
  { name: 'reach 0.080', options: { reach: 0.08 } },
];
console.log('| confirmed per person | rule | questions | about strangers | about the farther one\'s face | answers | "Neither" | errors before -> after | fixed per answer |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const confirmed of halfNamedConfirmed) {
  for (const rule of strangerRules) {
    const t = { questions: 0, strangers: 0, farther: 0, answers: 0, neither: 0, before: 0, after: 0 };
    for (const seed of seeds) {
      const fx = await halfNamedLibrary(people, strangers, seed, confirmed);
      const questions = ambiguousFaces(fx.library, Infinity, rule.options);
      t.questions += questions.length;
      t.strangers += questions.filter((q) => fx.truth(q.faceId) === null).length;
      t.farther += questions.filter((q) => fx.truth(q.faceId) === q.candidates[1].personId).length;
      t.before += identificationErrors(identifyByConfirmed(fx.library, fx.truth));
      const named = fx.library.people.people.filter((p) => p.name !== null).length;
      t.answers += await answerQuestions(fx.library, 'ambiguous', HALF_NAMED_ANSWERS * named, fx.truth, seededRandom(seed), rule.options);
      t.neither += fx.library.faces.filter((f) => fx.truth(f.id) === null && f.rejectedPersonIds.length >= 2).length;
      t.after += identificationErrors(identifyByConfirmed(fx.library, fx.truth));
      await fx.close();
    }
    const share = (n: number) => `${n} (${((n / Math.max(1, t.questions)) * 100).toFixed(0)} %)`;
    console.log(`| ${confirmed} | ${rule.name} | ${t.questions} | ${share(t.strangers)} | ${t.farther} | ${t.answers} | ${t.neither} | ${t.before} -> ${t.after} | ${((t.before - t.after) / Math.max(1, t.answers)).toFixed(3)} |`);
  }
}
console.log('');

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

for (const faces of scales) {
  let started = performance.now();
  const fx = await namedLibrary(enlarged(faces), strangers, 1, 1);
  const buildSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const questions = ambiguousFaces(fx.library).length;
  const ms = performance.now() - started;
  console.log(`scan at scale: ${fx.library.faces.length} faces, ${questions} in doubt: ${(ms / 1000).toFixed(1)} s (${((ms / fx.library.faces.length) * 1000).toFixed(0)} µs a face; library built in ${buildSeconds.toFixed(0)} s)`);
  await fx.close();
}

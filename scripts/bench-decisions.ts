// What one decision costs in a large library (docs/reliability.md, "What a decision costs at 100,000 photos"):
//   npm run bench:decisions [-- --photos 100000 --copies 20 --named 300 --groups 5000 --decisions 3000 --runs 7]
//
// A synthetic library of `--photos` photos with a face each (records shaped like real ones: 68 landmarks, vectors and
// the hnsw index in place), the last `--copies` of them resized copies of the first ones (PhotoRecord.copyOf, each
// face linked to the original's), `--named` named people and `--groups` unnamed groups holding most of the faces, and a
// decision log of `--decisions` decisions shaped as decide() writes them (names of whole groups, merges keeping for
// good what they took in, confirms and rejections of a few faces; the last UNDO_DEPTH keeping what undo needs).
//
// Measured in turns on two copies of that library, the second opened as decisions were before (OpenOptions
// copiesAsBefore: every photo walked for copies at each decision; peopleWrittenWhole: people.json serialised, written
// atomically and fsynced, its previous version kept in backups/, by every decision), medians of `--runs`: a confirm of
// one face, a confirm of a face whose photo has a copy (the copy's face told the same in the same step), and a face
// named with a new name. Then each part apart, in the same run: finding the copies of one face a decision changed, and
// one commit that changes one value of people.json (a line of people.journal, or people.json written whole), with
// what people.json holds.
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { copyTwins } from '../main/people/copy-faces.js';
import { confirmFaces, nameFaces } from '../main/people/decisions.js';
import { UNDO_DEPTH, type Decision, type FaceState, type MergedAway } from '../main/people/types.js';
import { Library } from '../main/store/library.js';
import { PeopleJournal } from '../main/store/people-journal.js';
import type { FaceRecord, PeopleDocument, PersonRecord, PhotoRecord } from '../main/store/types.js';
import { seededRandom } from '../models/embedder/random.js';
import { medianMs } from './timing.js';

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '100000' },
    copies: { type: 'string', default: '20' },
    named: { type: 'string', default: '300' },
    groups: { type: 'string', default: '5000' },
    decisions: { type: 'string', default: '3000' },
    runs: { type: 'string', default: '7' },
  },
});
const count = (name: keyof typeof values, least: number): number => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < least) throw new Error(`--${name} takes a whole number of at least ${least} (got ${values[name]}).`);
  return n;
};
const RUNS = count('runs', 1);
const NAMED = count('named', 2);
const GROUPS = count('groups', 1);
const DECISIONS = count('decisions', 0);
const PHOTOS = count('photos', 10 * (NAMED + GROUPS));
const COPIES = count('copies', RUNS);
if (COPIES > PHOTOS / 10) throw new Error('--copies takes at most a tenth of --photos.');

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const EPOCH = new Date(Date.UTC(2020, 0, 1)).toISOString();
const person = (id: string, name: string | null): PersonRecord => ({ id, name, hidden: false, coverFaceId: null, createdAt: EPOCH });
const namedId = (p: number) => `person-${hex(p, 12)}`;
const groupId = (g: number) => `person-${hex(0x800000 + g, 12)}`;

/**
 * Who holds face k: 45 % of the faces are named people's (a fifth of those confirmed), 35 % unnamed groups', the rest
 * in no group.
 */
function holder(k: number, faces: number): Pick<FaceRecord, 'personId' | 'assignedBy'> {
  const share = k / faces;
  if (share < 0.45) return { personId: namedId(k % NAMED), assignedBy: k % 5 === 0 ? 'user' : 'cluster' };
  if (share < 0.8) return { personId: groupId(k % GROUPS), assignedBy: 'cluster' };
  return { personId: null, assignedBy: null };
}

/** The decision log, shaped as decide() writes it: ids of faces that exist, the newest UNDO_DEPTH with their `before`. */
function decisionLog(faceIds: readonly string[]): Decision[] {
  const random = seededRandom(7);
  const pick = (n: number) => Array.from({ length: n }, () => faceIds[Math.floor(random() * faceIds.length)]);
  const states = (ids: readonly string[]): FaceState[] => ids.map((id) => ({ id, personId: groupId(id.length % GROUPS), assignedBy: 'cluster', rejectedPersonIds: [] }));
  const log: Decision[] = [];
  for (let k = 0; k < DECISIONS; k++) {
    const at = new Date(Date.UTC(2020, 0, 1) + k * 3_600_000).toISOString();
    const named = namedId(k % NAMED);
    const kept = DECISIONS - k <= UNDO_DEPTH;
    const base = { id: `decision-${k + 1}-${hex(k, 8)}`, at, undoneAt: null };
    const kind = k % 10;
    if (kind === 0) {
      // A group named: every face of it in the log, and the group as it was.
      const faces = pick(7 + Math.floor(random() * 140));
      log.push({ ...base, kind: 'name', description: `Named an unnamed group "Person ${k % NAMED}" (${faces.length} faces, ${faces.length} confirmed).`, personIds: [named], faceIds: faces, before: kept ? { faces: states(faces), people: [{ id: named, record: person(named, null), position: k % NAMED }] } : null });
    } else if (kind <= 2) {
      // A group merged into a named person: what it took in, kept for good ("Separate again").
      const faces = pick(5 + Math.floor(random() * 40));
      const group = groupId(k % GROUPS);
      const away: MergedAway = { record: person(group, null), faces: faces.map((id, j) => (j % 4 === 0 ? { id, byUser: true } : { id })), rejectedBy: [] };
      log.push({ ...base, kind: 'merge', description: `Merged an unnamed group into "Person ${k % NAMED}" (${faces.length} faces).`, personIds: [named, group], faceIds: faces, mergedAway: [away], before: kept ? { faces: states(faces), people: [{ id: group, record: person(group, null), position: NAMED + (k % GROUPS) }, { id: named, record: person(named, `Person ${k % NAMED}`), position: k % NAMED }] } : null });
    } else {
      const faces = pick(kind <= 7 ? 1 + Math.floor(random() * 20) : 1 + Math.floor(random() * 5));
      const what = kind <= 7 ? 'confirm' : 'reject';
      log.push({ ...base, kind: what, description: `${what === 'confirm' ? 'Confirmed' : 'Rejected'} ${faces.length} faces as "Person ${k % NAMED}".`, personIds: [named], faceIds: faces, before: kept ? { faces: states(faces), people: [] } : null });
    }
  }
  return log;
}

/** Stores the synthetic library in one transaction, vectors first. */
async function storeSyntheticLibrary(library: Library): Promise<void> {
  const rows = await library.appendVectors(Array.from({ length: PHOTOS }, (_, r) => Float32Array.from({ length: library.info.backboneDim }, (_, d) => Math.sin(r * 0.37 + d))));
  const landmarks = Array.from({ length: 68 }, (_, p) => [100.1 + p, 200.2 + (p % 17)]).flat();
  const photos: PhotoRecord[] = [];
  const faces: FaceRecord[] = [];
  for (let r = 0; r < PHOTOS; r++) {
    const photoId = hex(r + 1, 16).repeat(4);
    const id = `${photoId.slice(0, 16)}-0`;
    // The last COPIES photos are copies of the first ones: their faces are told what the original's were.
    const original = r >= PHOTOS - COPIES ? r - (PHOTOS - COPIES) : null;
    const originalId = original === null ? null : hex(original + 1, 16).repeat(4);
    photos.push({
      id: photoId, paths: [`/photos/${Math.floor(r / 1000)}/IMG_${hex(r, 6)}.jpg`], missing: false, width: 4000, height: 3000, orientation: 1,
      takenAt: null, bytes: 3_000_000, format: 'jpeg', analysis: { pipelineVersion: 'bench', analysedAt: EPOCH }, faceIds: [id], pictureHash: hex(r, 64),
      ...(originalId !== null ? { copyOf: { photoId: originalId, faces: { [id]: `${originalId.slice(0, 16)}-0` } } } : {}),
    });
    faces.push({
      id, photoId, box: [1200.5, 800.25, 310.75, 340.5], score: 0.99, landmarks: landmarks.slice(), vectorRow: rows[r],
      ...holder(original ?? r, PHOTOS), rejectedPersonIds: [], faceness: null, thumb: `thumbs/${id}.webp`, analysedSide: 180,
    });
  }
  await library.transaction((tx) => {
    tx.photos.push(...photos);
    tx.faces.push(...faces);
    for (let p = 0; p < NAMED; p++) tx.people.people.push({ ...person(namedId(p), `Person ${p}`), coverFaceId: faces[p].id });
    for (let g = 0; g < GROUPS; g++) tx.people.people.push(person(groupId(g), null));
    tx.people.decisions.push(...decisionLog(faces.map((f) => f.id)));
  });
}

async function milliseconds(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}
const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
const ms = (value: number) => `${value.toFixed(1)} ms`;

const dir = await mkdtemp(join(tmpdir(), 'familiar-bench-decisions-'));
const asBeforeDir = `${dir}-as-before`;
try {
  const building = await Library.open(dir);
  await storeSyntheticLibrary(building);
  await building.close();
  await cp(dir, asBeforeDir, { recursive: true });
  const now = await Library.open(dir);
  const asBefore = await Library.open(asBeforeDir, { copiesAsBefore: true, peopleWrittenWhole: true });
  const ways = [
    ['now', now],
    ['as before', asBefore],
  ] as const;
  const faceOfPhoto = (r: number) => `${hex(r + 1, 16)}-0`;
  /** Named people's faces that are no copy's nor original's, one a run (holder: faces 0, 1, 2... are named). */
  const plainFace = (run: number) => faceOfPhoto(COPIES + 1 + run * 5);
  const byWay = () => ({ now: [] as number[], 'as before': [] as number[] });
  const times = { confirm: byWay(), confirmWithCopy: byWay(), name: byWay() };
  for (let run = 0; run < RUNS; run++) {
    // In turns, so that what the machine does meanwhile weighs on both alike.
    for (const [way, library] of ways) {
      times.confirm[way].push(await milliseconds(() => confirmFaces(library, [plainFace(run)], namedId((run + 1) % NAMED))));
      // An original's face: its copy's face (photo PHOTOS - COPIES + run) is told the same in the same step.
      const original = faceOfPhoto(run);
      const copy = faceOfPhoto(PHOTOS - COPIES + run);
      times.confirmWithCopy[way].push(await milliseconds(() => confirmFaces(library, [original], namedId((run + 2) % NAMED))));
      if (library.face(copy)!.personId !== namedId((run + 2) % NAMED)) throw new Error(`The copy's face was not told the same (${way}).`);
      times.name[way].push(await milliseconds(() => nameFaces(library, [faceOfPhoto(COPIES + 3 + run * 5)], `Someone ${run}`)));
    }
  }
  // The parts apart: the copies of one face a decision changed (an original's), and a commit of people.json alone.
  const copyFinding = Object.fromEntries(ways.map(([way, library]) => [way, medianMs(() => library.hasCopies && copyTwins(library, [library.face(faceOfPhoto(0))!]), 21)]));
  const peopleCommits = byWay();
  for (let run = 0; run < RUNS; run++) {
    for (const [way, library] of ways) peopleCommits[way].push(await milliseconds(() => library.transaction((tx) => void (tx.people.regroupPending = run % 2 === 0))));
  }
  const journalBytes = await stat(join(dir, 'people.journal')).then((s) => s.size, () => 0);
  const peopleBytes = (await stat(join(dir, 'people.json'))).size;
  // What people.json holds, each part as the file writes it (two-space indented).
  const document = now.people as PeopleDocument;
  const decisions = document.decisions as Decision[];
  const part = (value: unknown) => (Buffer.byteLength(JSON.stringify(value, null, 2)) / 1e6).toFixed(2);
  const undoable = decisions.filter((d) => d.before !== null);
  const serialising = medianMs(() => JSON.stringify(document, null, 2), 21);
  // What a commit of people.json costs before its line is written: every person and decision compared with what disk holds.
  const written = new PeopleJournal(join(dir, 'bench.journal'));
  written.remember(document, 0);
  const comparing = medianMs(() => written.diff(document), 21);
  await now.close();
  await asBefore.close();

  console.log(`\n${PHOTOS.toLocaleString('en')} photos, a face each, ${COPIES} of them copies of others; ${NAMED} named people, ${GROUPS.toLocaleString('en')} unnamed groups; ${DECISIONS.toLocaleString('en')} decisions. Medians of ${RUNS}.\n`);
  console.log('| decision | now | as before (every photo walked for copies, people.json written whole) |');
  console.log('| --- | --- | --- |');
  console.log(`| confirm one face | ${ms(median(times.confirm.now))} | ${ms(median(times.confirm['as before']))} |`);
  console.log(`| confirm a face whose photo has a copy (the copy's face told too) | ${ms(median(times.confirmWithCopy.now))} | ${ms(median(times.confirmWithCopy['as before']))} |`);
  console.log(`| name a face with a new name | ${ms(median(times.name.now))} | ${ms(median(times.name['as before']))} |`);
  console.log(`| part: the copies of one face a decision changed (median of 21) | ${(copyFinding.now * 1000).toFixed(0)} µs | ${ms(copyFinding['as before'])} |`);
  console.log(`| part: a commit that changes one value of people.json | ${ms(median(peopleCommits.now))} (a line of people.journal; comparing people.json with what disk holds ${ms(comparing)}, median of 21) | ${ms(median(peopleCommits['as before']))} (written whole; serialising it ${ms(serialising)}, median of 21) |`);
  console.log(`\npeople.json: ${(peopleBytes / 1e6).toFixed(2)} MB (people.journal ${(journalBytes / 1e3).toFixed(0)} kB after ${3 * RUNS + RUNS} commits). Its people ${part(document.people)} MB (${document.people.length.toLocaleString('en')}); decisions ${part(decisions)} MB (${decisions.length.toLocaleString('en')}), of which the ${undoable.length} undo reaches ${part(undoable)} MB.`);
} finally {
  await rm(dir, { recursive: true, force: true });
  await rm(asBeforeDir, { recursive: true, force: true });
}

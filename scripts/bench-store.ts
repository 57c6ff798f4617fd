// What one decision costs as a library grows (docs/architecture.md, "Scale"):
//   npm run bench:store [-- --faces 10000,100000] [--commits-only]
// (--faces from 100 up; --commits-only: only the look-again's commits, the last table, for a quick look.)
//
// A library of N faces (synthetic records shaped like real ones: 68 landmarks, one photo each, vectors and the
// hnsw index in place). Measured: one decision that confirms one face (main/people/decisions.ts: a line appended to
// faces.journal holding the faces it changed, people.json written whole), against the same confirm committed as
// decisions did before, reaching every face (each compared with what disk holds, and a map of them all by id built),
// in the same run; then closing the library (which merges the journal) and opening it (and reading
// faces.json and photos.json checked as open checks them, each record in place, against zod's check that copies each,
// as before), and taking a
// folder of 1,000 of its photos out of it (main/library/remove-folder.ts), the People list's "to check" counts with the
// faces in named people of 500 (main/people/least-alike.ts: every person scored, then again after one decision, when
// only that person is), the Photos grid filtered by one of those people (photos.list: every photo's faces walked on
// every call, as it was, against the per-revision index of each person's photos, main/api/views.ts, in the same run),
// then a look-again that gives every face a new
// descriptor (and the index taking all those points in: built again in one pass, against the same look-again on a
// copy whose index takes them point by point, each in a deleted point's place, as every look-again did) and the open
// after it, which compacts the vector files (main/store/compaction.ts), against the same open
// with compaction off and the same compaction with no saved index to renumber (built again instead, as every
// compaction once did), both in the same run. Baseline in the same run: the file system alone, writing faces.json's
// bytes atomically (temp file, fsync, rename) and reading them back, so the figures show what the store adds on top
// of the disk.
// Then people.json as people and decisions grow (written by every decision: a line of people.journal), in a library
// of few faces.
// Then a look-again's commits through the import itself (256 photo files in the library, a face finder that answers
// at once): each commit's time with the store's lookups by id, photo and row followed change by change, against the
// same look-again on a copy where they are built again whole after every commit, as they were.
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import sharp from 'sharp';
import { writeFileAtomic } from '../main/store/atomic.js';
import { importFolders, type FaceAnalysisService } from '../main/library/import.js';
import { PIPELINE_BEFORE_SIDEWAYS } from '../main/library/pipeline-upgrade.js';
import { removeFolder } from '../main/library/remove-folder.js';
import { confirmFaces } from '../main/people/decisions.js';
import { LeastAlikeViews } from '../main/people/least-alike.js';
import { acceptedAsParsed, documentSchemas } from '../main/store/schema.js';
import { NewestFirst } from '../main/api/views.js';
import { searchPhotos } from '../main/people/queries.js';
import { Library, type OpenOptions } from '../main/store/library.js';
import type { FaceRecord, PersonRecord, PhotoRecord } from '../main/store/types.js';
import { PIPELINE_VERSION } from '../models/pipeline.js';
import type { DetectedFace } from '../models/types.js';
import { medianMs } from './timing.js';

// A full collection on demand, without asking for node's --expose-gc on the command line.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const i = process.argv.indexOf('--faces');
const sizes = (i >= 0 ? process.argv[i + 1] : '10000,100000').split(',').map(Number);
/** The look-again's commits only (the second table): a quick look at what a commit costs. */
const commitsOnly = process.argv.includes('--commits-only');
/** Below this the synthetic library has too few faces for a folder to remove and people to count. */
const MIN_FACES = 100;
for (const n of sizes) {
  if (!Number.isInteger(n) || n < MIN_FACES) throw new Error(`--faces takes whole numbers of at least ${MIN_FACES}, separated by commas (got ${n}).`);
}
/** Photos a folder of the synthetic library: 1,000, fewer in a small library so that removing one leaves most of it. */
const folderSize = (n: number) => Math.min(1000, Math.floor(n / 10));
/** Faces a named person of the synthetic library: 500, fewer in a small library so that it has a dozen people or more. */
const personSize = (n: number) => Math.min(500, Math.floor(n / 12));

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
}


const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** A photo file on disk that takes one of the synthetic photos' places (storeSyntheticLibrary). */
interface FilePhoto {
  id: string;
  path: string;
  width: number;
  height: number;
  bytes: number;
  /** Its face, in its pixels. */
  box: [number, number, number, number];
}

/**
 * Stores `n` synthetic faces, one a photo, in one transaction, vectors first. `files` take the first photos' places,
 * analysed by an earlier pipeline (PIPELINE_BEFORE_SIDEWAYS): what a look-again analyses.
 */
async function storeSyntheticLibrary(library: Library, n: number, files: readonly FilePhoto[] = []): Promise<void> {
  const folder = folderSize(n);
  const rows = await library.appendVectors(Array.from({ length: n }, (_, r) => Float32Array.from({ length: library.info.backboneDim }, (_, d) => Math.sin(r * 0.37 + d))));
  const landmarks = Array.from({ length: 68 }, (_, p) => [100.1 + p, 200.2 + (p % 17)]).flat();
  const photos: PhotoRecord[] = [];
  const faces: FaceRecord[] = [];
  for (let r = 0; r < n; r++) {
    const file = files[r];
    const photoId = file?.id ?? hex(r + 1, 16).repeat(4);
    const id = `${photoId.slice(0, 16)}-0`;
    photos.push({
      id: photoId, paths: [file?.path ?? `/photos/${Math.floor(r / folder)}/IMG_${hex(r, 6)}.jpg`], missing: false, width: file?.width ?? 4000, height: file?.height ?? 3000, orientation: 1,
      takenAt: null, bytes: file?.bytes ?? 3_000_000, format: 'jpeg', analysis: { pipelineVersion: file ? PIPELINE_BEFORE_SIDEWAYS : 'bench', analysedAt: new Date(0).toISOString() }, faceIds: [id],
    });
    faces.push({
      id, photoId, box: file?.box ?? [1200.5, 800.25, 310.75, 340.5], score: 0.99, landmarks: landmarks.slice(), vectorRow: rows[r],
      personId: null, assignedBy: null, rejectedPersonIds: [], faceness: null, thumb: `thumbs/${id}.webp`, analysedSide: 180,
    });
  }
  await library.transaction((tx) => {
    tx.photos.push(...photos);
    tx.faces.push(...faces);
  });
  // The library holds them now; the open measured after must not find this script's copies alive.
  photos.length = 0;
  faces.length = 0;
}

/**
 * The bench's baseline: a confirm committed as decisions did before they said which faces they changed
 * (main/people/decisions.ts decide): every face reached, so every one compared with what disk holds, and a map of
 * them all by id built, the face pinned and the decision appended.
 */
function confirmAsBefore(library: Library, faceId: string, personId: string): Promise<void> {
  return library.transaction((tx) => {
    const faceById = new Map(tx.faces.map((f) => [f.id, f]));
    const face = faceById.get(faceId)!;
    const before = { id: face.id, personId: face.personId, assignedBy: face.assignedBy, rejectedPersonIds: [...face.rejectedPersonIds] };
    face.personId = personId;
    face.assignedBy = 'user';
    const decisions = tx.people.decisions;
    decisions.push({
      id: `decision-${decisions.length + 1}-bench`, at: new Date().toISOString(), kind: 'confirm', description: 'Confirmed 1 face.', personIds: [personId],
      faceIds: [faceId], before: { faces: [before], people: [] }, undoneAt: null,
    });
  });
}

const benchPerson = (id: string, name: string): PersonRecord => ({ id, name, hidden: false, coverFaceId: null, createdAt: new Date(0).toISOString() });

if (!commitsOnly) console.log('| faces | faces.json | one decision, a confirm (median of 5): now / as before (every face compared) | open | faces.json and photos.json checked on open: in place / with zod copying each record, as before (JSON.parse of both) | live heap, library open | one full garbage collection | remove a folder of 1,000 photos (a tenth, below 10,000) | "to check" counts: everyone / after one decision | photos of one person (photos.list): walking every face / index, first call after a change / later calls | the index takes in a full look-again | open that compacts after a full look-again | baseline: write faces.json atomically | baseline: read it |');
if (!commitsOnly) console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const n of commitsOnly ? [] : sizes) {
  const dir = await mkdtemp(join(tmpdir(), 'familiar-bench-store-'));
  try {
    let library = await Library.open(dir);
    await storeSyntheticLibrary(library, n);
    await library.transaction((tx) => {
      tx.people.people.push(benchPerson('person-bench', 'Bench'));
    });
    const decisions: number[] = [];
    const decisionsAsBefore: number[] = [];
    // In turns, so that what the machine does meanwhile weighs on both alike.
    for (let k = 0; k < 5; k++) {
      decisions.push(await seconds(() => confirmFaces(library, [library.faces[k * 7].id], 'person-bench')));
      decisionsAsBefore.push(await seconds(() => confirmAsBefore(library, library.faces[k * 7 + 3].id, 'person-bench')));
    }
    decisions.sort((a, b) => a - b);
    decisionsAsBefore.sort((a, b) => a - b);
    await library.close();
    /** Opens the library, timed, with nothing of the one before left in memory: in the app only one is ever open. */
    const reopen = async (at: string, options?: OpenOptions) => {
      library = undefined as unknown as Library;
      collectGarbage();
      return seconds(async () => {
        library = await Library.open(at, options);
      });
    };
    const file = join(dir, 'faces.json');
    const mb = (await stat(file)).size / 1e6;
    // The baseline writes and reads these bytes: faces.json before the removal below.
    const bytes = await readFile(file);
    // faces.json and photos.json checked as open checks them once parsed (each record where it is, by hand:
    // main/store/schema.ts), against zod's check, which copies every record, as open did; JSON.parse of both, which
    // open does either way, for scale. Each after a full collection, taken in turns; medians of 5.
    const documents = [
      { name: 'faces' as const, text: bytes },
      { name: 'photos' as const, text: await readFile(join(dir, 'photos.json')) },
    ];
    const parseBoth = () => documents.map((d) => ({ name: d.name, value: JSON.parse(d.text.toString('utf8')) as Record<string, unknown> }));
    const checkTimes = { inPlace: [] as number[], zod: [] as number[], parse: [] as number[] };
    for (let run = 0; run < 5; run++) {
      for (const [way, check] of [
        ['inPlace', (parsed: ReturnType<typeof parseBoth>) => parsed.every((d) => acceptedAsParsed[d.name]!(d.value))],
        ['zod', (parsed: ReturnType<typeof parseBoth>) => parsed.map((d) => documentSchemas[d.name].parse(d.value))],
      ] as const) {
        const parsed = parseBoth();
        collectGarbage();
        checkTimes[way].push(medianMs(() => check(parsed), 1));
      }
      collectGarbage();
      checkTimes.parse.push(medianMs(parseBoth, 1));
    }
    const [checkedInPlace, zodCopies, parseOnly] = [checkTimes.inPlace, checkTimes.zod, checkTimes.parse].map((times) => times.sort((a, b) => a - b)[2]);
    const opening = await reopen(dir);
    if (library.repairs.length > 0) console.log('repairs on open:', library.repairs.slice(0, 3));
    // What the open library costs for as long as the app runs: its live heap, and one full collection tracing it.
    collectGarbage();
    const collection = await seconds(async () => collectGarbage());
    const liveMb = process.memoryUsage().heapUsed / 1e6;
    // The first folder's photos: their faces are at the start of the vector files, so this is the whole cost.
    const removal = await seconds(() => removeFolder(library, '/photos/0'));
    // Named people of 500 faces (fewer in a small library), 3 of them confirmed, the rest placed by the clustering.
    const PERSON_SIZE = personSize(n);
    await library.transaction((tx) => {
      tx.faces.forEach((face, k) => {
        face.personId = `person-${Math.floor(k / PERSON_SIZE)}`;
        face.assignedBy = k % PERSON_SIZE < 3 ? 'user' : 'cluster';
      });
      const count = Math.ceil(tx.faces.length / PERSON_SIZE);
      for (let p = 0; p < count; p++) tx.people.people.push({ id: `person-${p}`, name: `Person ${p}`, hidden: false, coverFaceId: null, createdAt: new Date(0).toISOString() });
    });
    let views: LeastAlikeViews | null = new LeastAlikeViews(library);
    const everyone = await seconds(async () => views!.unlikeCounts());
    await library.transaction((tx) => {
      tx.faces[PERSON_SIZE + 10].assignedBy = 'user';
    });
    const afterDecision = await seconds(async () => views!.unlikeCounts());
    views = null;
    // A page of one person's photos, newest first, as photos.list answers it; the date sort both share is not counted.
    const order = new NewestFirst(library);
    const someone = `person-${Math.min(7, Math.floor(library.faces.length / PERSON_SIZE / 2))}`;
    const walking = medianMs(() => {
      const found = new Set(searchPhotos(library, [someone]));
      return order.photos.filter((p) => found.has(p.id)).slice(0, 200);
    });
    const indexing = medianMs(() => order.placesWith([someone], false), 1);
    const indexed = medianMs(() => order.placesWith([someone], false)!.slice(0, 200).map((place) => order.photos[place]));
    await library.close();
    /**
     * A look-again that found every face with a new descriptor: a row each appended, the old ones unused. Timed: the
     * first search after it, where the index takes the new points in (Library.syncIndex).
     */
    const lookAgain = async () => {
      const fresh = await library.appendVectors(library.faces.map((_, r) => Float32Array.from({ length: library.info.backboneDim }, (_, d) => Math.cos(r * 0.37 + d))));
      await library.transaction((tx) => tx.faces.forEach((face, k) => (face.vectorRow = fresh[k])));
      return seconds(async () => library.search(library.embeddingOf(library.faces[0]), 10));
    };
    // Baseline: the same look-again on a copy whose index takes the points in one by one.
    const pointByPointCopy = `${dir}-point-by-point`;
    await cp(dir, pointByPointCopy, { recursive: true });
    let pointByPoint: number;
    try {
      await reopen(pointByPointCopy, { rebuildIndexShare: Infinity });
      pointByPoint = await lookAgain();
      await library.close();
    } finally {
      await rm(pointByPointCopy, { recursive: true, force: true });
    }
    await reopen(dir);
    const inOnePass = await lookAgain();
    await library.close();
    const vectorFile = join(dir, 'vectors', 'backbone.f32');
    const vectorMbBefore = (await stat(vectorFile)).size / 1e6;
    // Baseline: the same open with compaction turned off.
    const notCompacting = await reopen(dir, { compactWhen: { minUnusedRows: Infinity, minUnusedShare: 1 } });
    await library.close();
    // The same compaction with the index built again: on a copy whose saved index is gone.
    const copy = `${dir}-no-index`;
    await cp(dir, copy, { recursive: true });
    await rm(join(copy, 'index'), { recursive: true, force: true });
    let rebuilding: number;
    try {
      rebuilding = await reopen(copy);
      await library.close();
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
    const compacting = await reopen(dir);
    const compaction = library.repairs.find((r) => r.part === 'vectors' && r.action.startsWith('compacted'))?.action;
    const compactionNote = !compaction ? ' (not compacted)' : compaction.endsWith('renumbered with them') ? '' : ' (the index was built again)';
    await library.close();
    const vectorMbAfter = (await stat(vectorFile)).size / 1e6;
    const write = await seconds(() => writeFileAtomic(join(dir, 'baseline.json'), bytes));
    const read = await seconds(() => readFile(join(dir, 'baseline.json')));
    console.log(
      `| ${n.toLocaleString('en')} | ${mb.toFixed(1)} MB | ${(decisions[2] * 1000).toFixed(1)} ms / ${(decisionsAsBefore[2] * 1000).toFixed(1)} ms | ${opening.toFixed(2)} s | ${checkedInPlace.toFixed(0)} ms / ${zodCopies.toFixed(0)} ms (${parseOnly.toFixed(0)} ms) | ${liveMb.toFixed(0)} MB | ${(collection * 1000).toFixed(0)} ms | ${removal.toFixed(2)} s | ${everyone.toFixed(2)} s / ${afterDecision.toFixed(2)} s | ` +
        `${walking.toFixed(1)} ms / ${indexing.toFixed(1)} ms, then ${(indexed * 1000).toFixed(0)} µs | ` +
        `${inOnePass.toFixed(2)} s built again (point by point ${pointByPoint.toFixed(2)} s) | ` +
        `${compacting.toFixed(2)} s (without compacting ${notCompacting.toFixed(2)} s; building the index again ${rebuilding.toFixed(2)} s), backbone.f32 ${vectorMbBefore.toFixed(1)} → ${vectorMbAfter.toFixed(1)} MB${compactionNote} | ` +
        `${write.toFixed(2)} s | ${read.toFixed(2)} s |`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// people.json as people and decisions grow: every commit that touches it writes it (a line of people.journal, every
// person and decision compared with what disk holds), and every decision does (its decision list). It holds no faces,
// so a library of few faces shows it: one commit that changes one value of it, and one decision (a confirm: its face's
// line in faces.journal, then people.json's), medians of 5. bench:decisions compares it with people.json written whole. The decisions are
// shaped as decide() writes them (a face or up to 20 each), the last UNDO_DEPTH (100) keeping what they changed.
const PEOPLE_SIZES: Array<[people: number, decisions: number]> = [[200, 0], [1000, 1000], [3000, 5000]];
if (!commitsOnly) {
  console.log('\n## people.json, written by each commit that touches it\n');
  console.log('| people | decisions | people.json | one commit that changes one value of it | one decision (a confirm) |');
  console.log('| --- | --- | --- | --- | --- |');
}
for (const [peopleCount, decisionCount] of commitsOnly ? [] : PEOPLE_SIZES) {
  const dir = await mkdtemp(join(tmpdir(), 'familiar-bench-people-'));
  try {
    const library = await Library.open(dir);
    await storeSyntheticLibrary(library, 1000);
    const faceIds = library.faces.map((f) => f.id);
    await library.transaction((tx) => {
      for (let p = 0; p < peopleCount; p++) tx.people.people.push(benchPerson(`person-${hex(p, 12)}`, `Person ${p}`));
      for (let k = 0; k < decisionCount; k++) {
        const ids = Array.from({ length: 1 + (k % 20) }, (_, j) => faceIds[(k * 37 + j * 101) % faceIds.length]);
        const personId = `person-${hex(k % peopleCount, 12)}`;
        tx.people.decisions.push({
          id: `decision-${k + 1}-${hex(k, 8)}`, at: new Date(k * 60_000).toISOString(), kind: 'confirm', description: `Confirmed ${ids.length} faces as "Person ${k % peopleCount}".`,
          personIds: [personId], faceIds: ids, undoneAt: null,
          before: decisionCount - k <= 100 ? { faces: ids.map((id) => ({ id, personId: null, assignedBy: null, rejectedPersonIds: [] })), people: [{ id: personId, record: benchPerson(personId, 'Before'), position: 0 }] } : null,
        });
      }
    });
    const mb = (await stat(join(dir, 'people.json'))).size / 1e6;
    const commits: number[] = [];
    const confirms: number[] = [];
    for (let k = 0; k < 5; k++) {
      commits.push(await seconds(() => library.transaction((tx) => void (tx.people.regroupPending = k % 2 === 0))));
      confirms.push(await seconds(() => confirmFaces(library, [faceIds[k * 11]], `person-${hex(k, 12)}`)));
    }
    await library.close();
    const median = (list: number[]) => (list.sort((a, b) => a - b)[2] * 1000).toFixed(1);
    console.log(`| ${peopleCount.toLocaleString('en')} | ${decisionCount.toLocaleString('en')} | ${mb.toFixed(2)} MB | ${median(commits)} ms | ${median(confirms)} ms |`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// A look-again's commits (main/library/import.ts): LOOK_AGAIN_PHOTOS photo files in the first places of the synthetic
// library, as an earlier pipeline left them, looked at again with a face finder that answers at once (the face where
// it was, described anew), so what is timed is the commits: each one's transaction, with the lookups by id, photo and
// row followed change by change (Library.followFaces, followPhotos), and only the faces and photos the commit put
// compared with what disk holds, photos as a line appended to photos.journal; against commits as they were before
// (OpenOptions.commitsAsBefore: photos.json rewritten whole, every face compared, the place of each face and photo
// looked up anew each commit), and against that with the lookups built again whole after each as well, as before
// that (OpenOptions.rebuildLookupsOnEveryChange), on copies of one library in the same run.
const LOOK_AGAIN_PHOTOS = 512;
const FILE_SIDE = { width: 640, height: 480 };
console.log(`\n## A look-again's commits: ${LOOK_AGAIN_PHOTOS} photos (all, in a smaller library) looked at again, the face finder answering at once\n`);
console.log(
  '| faces | commits in two look-agains each: now / as before (photos.json whole, every face compared) / and lookups built again whole | ' +
    'one commit, on average: now / as before / and lookups built again | all commits: now / as before / and lookups built again |',
);
console.log('| --- | --- | --- | --- |');
for (const n of sizes) {
  const work = await mkdtemp(join(tmpdir(), 'familiar-bench-look-again-'));
  try {
    const album = join(work, 'album');
    await mkdir(album);
    const files: FilePhoto[] = [];
    // Two colours in stripes as wide as the photo's number: no two files alike (two alike would be one photo).
    // Every photo of a library smaller than that.
    for (let k = 0; k < Math.min(LOOK_AGAIN_PHOTOS, n); k++) {
      const pixels = Buffer.alloc(FILE_SIDE.width * FILE_SIDE.height * 3);
      for (let i = 0; i < pixels.length; i += 3) pixels.fill(Math.floor(i / 3 / (k + 1)) % 2 === 0 ? 40 : 220, i, i + 3);
      const bytes = await sharp(pixels, { raw: { ...FILE_SIDE, channels: 3 } }).jpeg().toBuffer();
      const path = join(album, `IMG_${k}.jpg`);
      await writeFile(path, bytes);
      files.push({ id: createHash('sha256').update(bytes).digest('hex'), path, ...FILE_SIDE, bytes: bytes.length, box: [100, 100, 120, 140] });
    }
    if (new Set(files.map((f) => f.id)).size < files.length) throw new Error('two photo files alike');
    const base = join(work, 'base');
    // Built in a function of its own: the library built is not kept alive beside the ones timed.
    const dim = await (async () => {
      const building = await Library.open(base);
      await storeSyntheticLibrary(building, n, files);
      await building.close();
      return building.info.backboneDim;
    })();
    let calls = 0;
    const analyzer: FaceAnalysisService = {
      size: 2,
      analyze: async (): Promise<DetectedFace[]> => {
        const descriptor = Float32Array.from({ length: dim }, (_, d) => Math.cos(++calls * 0.7 + d));
        const norm = Math.hypot(...descriptor);
        return [{
          box: [100, 100, 120, 140], score: 0.9, landmarks: Array.from({ length: 68 }, (_, p) => [110 + p, 120 + (p % 17)]),
          descriptor: descriptor.map((x) => x / norm), analysedSide: 120, crop: { width: 160, height: 160, data: new Uint8Array(160 * 160 * 3) },
        }];
      },
    };
    /** The look-again on a copy of the library: each commit's transaction, in milliseconds. */
    const lookAgain = async (options: OpenOptions): Promise<number[]> => {
      const copy = join(work, 'copy');
      await cp(base, copy, { recursive: true });
      collectGarbage();
      const library = await Library.open(copy, options);
      const times: number[] = [];
      const transaction = library.transaction.bind(library);
      library.transaction = (async (fn: Parameters<typeof transaction>[0]) => {
        const started = performance.now();
        try {
          return await transaction(fn);
        } finally {
          times.push(performance.now() - started);
        }
      }) as typeof library.transaction;
      let commits = 0;
      await importFolders(library, async () => analyzer, PIPELINE_VERSION, files.map((f) => f.path), { lookAgain: true, onStored: () => commits++ });
      await library.close();
      await rm(copy, { recursive: true, force: true });
      // The transactions after the commits settle the paths once (the synthetic photos' files are nowhere).
      return times.slice(0, commits);
    };
    const ways: OpenOptions[] = [{}, { commitsAsBefore: true }, { commitsAsBefore: true, rebuildLookupsOnEveryChange: true }];
    const times: number[][] = ways.map(() => []);
    // In the order now, before, before that, then back: what comes first or last (a warm-up) counts for each.
    for (const w of [0, 1, 2, 2, 1, 0]) times[w].push(...(await lookAgain(ways[w])));
    // Commits are cut by time as well as by count (main/library/import.ts flush): the runs may commit a different number.
    const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
    const each = (figure: (list: number[]) => string) => times.map(figure).join(' / ');
    console.log(
      `| ${n.toLocaleString('en')} | ${each((t) => String(t.length))} | ${each((t) => `${(sum(t) / t.length).toFixed(0)} ms`)} | ${each((t) => `${(sum(t) / 1000).toFixed(2)} s`)} |`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

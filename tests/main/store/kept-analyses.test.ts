// kept-analyses.bin (main/store/kept-analyses.ts), on analyses of real photos by the real pipeline: what leaves the
// library is kept exactly, forgotten once back, bounded with the oldest dropped; a crash while appending loses only
// that append, without a word; damage and a file that is not one are said once, never thrown, and cut off or replaced
// at the next write; an upgraded pipeline's import drops the older entries.
import { mkdir, mkdtemp, open, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { analysisToKeep } from '../../../main/library/restore-analysis.js';
import { KEPT_ANALYSES_FILE, KeptAnalyses, type KeptAnalysis } from '../../../main/store/kept-analyses.js';
import { makeAlbum } from '../library/helpers.js';

let work: string;
/** One analysis per photo, in the order they are kept below: portraits, a pair, a group, a photo without a face. */
let analyses: KeptAnalysis[];
let dir: string;
let runs = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-kept-'));
  const album = await makeAlbum(join(work, 'album'), {
    'obama_small.jpg': 'face_recognition/obama/obama_small.jpg',
    'biden.jpg': 'face_recognition/biden/biden.jpg',
    'kit_with_rose.jpg': 'face_recognition/_group_photos/kit_with_rose.jpg',
    '011_3.jpg': 'compreface/_group_photos/011_3.jpg',
    'blair_1.jpg': 'lfw_subset/Tony_Blair/Tony_Blair_0001.jpg',
    '017_0.jpg': 'compreface/_no_faces/017_0.jpg',
  });
  const pool = await AnalysisPool.create({ size: 2 });
  const engine = await Engine.open(join(work, 'library'), { analyzer: pool });
  try {
    await engine.import([album]);
    const byName = (name: string) => engine.library.photos.find((p) => p.paths[0].endsWith(`/${name}`))!;
    analyses = ['obama_small.jpg', 'biden.jpg', 'kit_with_rose.jpg', '011_3.jpg', 'blair_1.jpg', '017_0.jpg'].map((name) => analysisToKeep(engine.library, byName(name))!);
  } finally {
    await engine.close();
    await pool.close();
  }
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

beforeEach(async () => {
  dir = join(work, `store-${++runs}`);
  await mkdir(dir);
});

const file = () => join(dir, KEPT_ANALYSES_FILE);
/** The store as the next run of Familiar reads it. */
const reopened = () => new KeptAnalyses(dir);
const found = async (store: KeptAnalyses) => (await Promise.all(analyses.map((a) => store.find(a.photoId)))).map((a) => a !== null);

describe('the analyses kept of photos that left the library', () => {
  it('are kept exactly as the analysis found them, and forgotten once the photos are back', async () => {
    expect(analyses.map((a) => a.faces.length)).toEqual([1, 1, 2, expect.any(Number), expect.any(Number), 0]);
    const store = new KeptAnalyses(dir);
    expect(await store.keep(analyses)).toBe(6);
    for (const analysis of analyses) expect(await reopened().find(analysis.photoId)).toEqual(analysis);
    expect(await store.count()).toBe(6);

    await store.forget([analyses[0].photoId, analyses[2].photoId]);
    expect(await reopened().count()).toBe(4);
    expect(await found(reopened())).toEqual([false, true, false, true, true, true]);
    // All of them back: no file is left.
    await store.forget(analyses.map((a) => a.photoId));
    await expect(stat(file())).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await reopened().count()).toBe(0);
  });

  it('keep what the user said of the faces with them, and read entries kept without it as they were', async () => {
    const [pair, group] = [analyses[2], analyses[3]];
    const decided: KeptAnalysis = {
      ...pair,
      decisions: [
        { index: pair.faces[0].index, personId: 'person-kit', assignedBy: 'user', rejectedPersonIds: ['person-rose', 'person-ygritte'] },
        // Set aside ("don't ask about this face"), and a face the grouping placed that the user said is not Kit.
        { index: pair.faces[1].index, personId: null, assignedBy: 'user', rejectedPersonIds: [] },
      ],
    };
    const answered: KeptAnalysis = { ...group, decisions: [{ index: group.faces[0].index, personId: 'person-a', assignedBy: 'cluster', rejectedPersonIds: ['person-kit'] }] };
    const store = new KeptAnalyses(dir);
    await store.keep([analyses[0], decided, answered]);
    expect(await reopened().find(decided.photoId)).toEqual(decided);
    expect(await reopened().find(answered.photoId)).toEqual(answered);
    expect(await reopened().find(analyses[0].photoId)).toEqual(analyses[0]);
    expect((await reopened().find(analyses[0].photoId))!.decisions).toBeUndefined();
  });

  it('keep the paths of a photo the user said something of, in the index, after a rewrite too', async () => {
    const pair = analyses[2];
    const decided: KeptAnalysis = {
      ...pair,
      decisions: [{ index: pair.faces[0].index, personId: 'person-kit', assignedBy: 'user', rejectedPersonIds: [] }],
      paths: ['/photos/2019/kit_with_rose.jpg', '/backup/kit_with_rose.jpg'],
    };
    // Paths go with decisions only: an entry without any has nothing an edited file could take back.
    const undecided: KeptAnalysis = { ...analyses[0], paths: ['/photos/2019/obama.jpg'] };
    const store = new KeptAnalyses(dir);
    await store.keep([undecided, decided, analyses[1]]);
    expect(await reopened().find(decided.photoId)).toEqual(decided);
    expect((await reopened().find(undecided.photoId))!.paths).toBeUndefined();
    const expected = new Map([[decided.photoId, decided.paths]]);
    expect(await store.pathsKept()).toEqual(expected);
    expect(await reopened().pathsKept()).toEqual(expected);
    // The file rewritten without an entry (retired): the paths stay with the others, in memory and on disk.
    const before = (await stat(file())).size;
    expect(await store.retire((id) => id === undecided.photoId)).toBe(1);
    await store.tidy();
    expect((await stat(file())).size).toBeLessThan(before);
    expect(await store.pathsKept()).toEqual(expected);
    expect(await reopened().pathsKept()).toEqual(expected);
    expect(await reopened().find(decided.photoId)).toEqual(decided);
  });

  it('hold no more than their bound: the oldest go first', async () => {
    const store = new KeptAnalyses(dir);
    for (const analysis of analyses.slice(3)) await store.keep([analysis]);
    const newestThree = await store.keptBytes();
    store.maxBytes = Math.ceil((newestThree * 8) / 7);
    for (const analysis of analyses.slice(0, 3)) await store.keep([analysis]);
    // The oldest went, the group photo (011_3) and the portrait kept after it; the photo without a face, kept after
    // them, is small enough to stay beside the three kept last.
    const after = reopened();
    expect(await after.keptBytes()).toBeLessThanOrEqual(store.maxBytes);
    expect(await found(after)).toEqual([true, true, true, false, false, true]);
    // Rewritten through a temporary file: none is left.
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a last append cut short by a crash is dropped without a word, and cut off by the next one', async () => {
    const store = new KeptAnalyses(dir);
    await store.keep(analyses.slice(0, 2));
    await store.keep([analyses[2]]);
    await truncate(file(), (await stat(file())).size - 100);
    const after = reopened();
    expect(await found(after)).toEqual([true, true, false, false, false, false]);
    expect(after.takeProblem()).toBeNull();
    await after.keep([analyses[3]]);
    const again = reopened();
    expect(await found(again)).toEqual([true, true, false, true, false, false]);
    expect(again.takeProblem()).toBeNull();
  });

  it('damage is said once and never thrown: what was kept before it stays, and the next change cuts it off', async () => {
    const store = new KeptAnalyses(dir);
    for (const analysis of analyses.slice(0, 3)) await store.keep([analysis]);
    // A byte changed inside the second record (the file ends with the second and third).
    const second = (await stat(file())).size - (await recordBytes(analyses[2])) - (await recordBytes(analyses[1]));
    const handle = await open(file(), 'r+');
    try {
      await handle.write(Buffer.from([0x5a]), 0, 1, second + 20);
    } finally {
      await handle.close();
    }
    const damaged = reopened();
    expect(await found(damaged)).toEqual([true, false, false, false, false, false]);
    expect(damaged.takeProblem()).toBe(
      'kept-analyses.bin is damaged after 1 photo kept: the photos kept past that point are analysed again when imported, and the damaged part is cut off at the next change.',
    );
    expect(damaged.takeProblem()).toBeNull();
    await damaged.keep([analyses[4]]);
    const repaired = reopened();
    expect(await found(repaired)).toEqual([true, false, false, false, true, false]);
    expect(repaired.takeProblem()).toBeNull();
  });

  it('a file that is not one is said, and replaced when photos next leave the library', async () => {
    await writeFile(file(), 'a text file where the kept analyses were');
    const store = reopened();
    expect(await store.find(analyses[0].photoId)).toBeNull();
    expect(store.takeProblem()).toMatch(/^kept-analyses\.bin is not a file of kept analyses this version of Familiar reads/);
    await store.keep([analyses[0]]);
    const after = reopened();
    expect(await after.find(analyses[0].photoId)).toEqual(analyses[0]);
    expect(after.takeProblem()).toBeNull();
  });

  it('entries of a pipeline the import no longer takes, and of photos back in the library, leave at the next rewrite', async () => {
    const store = new KeptAnalyses(dir);
    await store.keep([{ ...analyses[0], pipelineVersion: 'an-older-pipeline' }, ...analyses.slice(1, 3)]);
    expect(await store.retire((_id, version) => version === 'an-older-pipeline')).toBe(1);
    await store.tidy((id) => id === analyses[1].photoId);
    expect(await found(reopened())).toEqual([false, false, true, false, false, false]);
  });
});

/** The bytes the record of `analysis` takes in the file, measured by keeping it alone. */
async function recordBytes(analysis: KeptAnalysis): Promise<number> {
  const measure = new KeptAnalyses(await mkdtemp(join(work, 'measure-')));
  await measure.keep([analysis]);
  return measure.keptBytes();
}

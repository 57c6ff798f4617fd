// An import stopped part-way and then resumed ends with the groups the same import draws uninterrupted. A stopped
// import groups the faces it kept from the photos read so far, and those groups were final: two people with two photos
// each among them made one group, and the resumed import placed every later photo of both in it (QA, on an album by
// year: a Ctrl-C, a kill -9, a third run; one group held Amelie Mauresmo 10 and David Nalbandian 8, where the import
// uninterrupted kept them apart). The groups drawn at a stop are for now: the import that resumes it draws them again.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { JobCancelledError, ShuttingDown } from '../../../main/jobs/progress.js';
import type { FaceAnalysisService } from '../../../main/library/import.js';
import type { Library } from '../../../main/store/library.js';
import type { DetectedFace, RgbImage } from '../../../models/types.js';
import { makeAlbum } from './helpers.js';

const PEOPLE = ['Amelie_Mauresmo', 'David_Nalbandian'];
/** Photos of each person in the first folder the import reads: their two first photos (QA's album held two a year). */
const FIRST_YEAR = [1, 6];
const FIRST_YEAR_PHOTOS = PEOPLE.length * FIRST_YEAR.length;

/** Each photo analysed once for the whole file: every library here imports the same album. */
class AnalysedOnce implements FaceAnalysisService {
  private readonly answers = new Map<string, Promise<DetectedFace[]>>();
  constructor(private readonly pool: AnalysisPool) {}
  get size(): number {
    return this.pool.size;
  }
  async analyze(image: RgbImage, options?: Parameters<FaceAnalysisService['analyze']>[1]): Promise<DetectedFace[]> {
    const key = createHash('sha256').update(JSON.stringify([image.width, image.height, options ?? {}])).update(image.data).digest('hex');
    let answer = this.answers.get(key);
    if (!answer) this.answers.set(key, (answer = this.pool.analyze(image, options)));
    return structuredClone(await answer);
  }
}

let work: string;
let album: string;
let pool: AnalysisPool;
let analyzer: AnalysedOnce;
/** The groups the import draws uninterrupted, as face ids. */
let uninterrupted: string[];

/** The library's groups, each as its sorted face ids, and each face in no group alone: to compare two libraries. */
function groupsOf(library: Library): string[] {
  const members = new Map<string, string[]>();
  for (const f of library.faces) {
    const key = f.personId ?? f.id;
    members.set(key, [...(members.get(key) ?? []), f.id]);
  }
  return [...members.values()].map((ids) => ids.sort().join(' ')).sort();
}

/** Groups holding photos of both people (by their file names). */
function mixedGroups(library: Library): string[] {
  const people = new Map<string, Set<string>>();
  for (const f of library.faces) {
    if (f.personId === null) continue;
    const person = PEOPLE.find((name) => basename(library.photo(f.photoId)!.paths[0]).startsWith(name))!;
    people.set(f.personId, (people.get(f.personId) ?? new Set()).add(person));
  }
  return [...people].filter(([, names]) => names.size > 1).map(([id]) => id);
}

/** Imports the album one photo at a time and stops it once `photos` are read: `how` Ctrl-C or Familiar closing. */
async function importStopped(engine: Engine, photos: number, how: 'cancel' | 'close'): Promise<void> {
  const controller = new AbortController();
  const stopped = await engine
    .import([album], {
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage === 'analyse' && p.done >= photos) controller.abort(how === 'close' ? new ShuttingDown() : undefined);
      },
    })
    .then(
      () => null,
      (err: unknown) => err,
    );
  expect(stopped).toBeInstanceOf(JobCancelledError);
  expect(engine.library.photos).toHaveLength(photos);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'familiar-import-resumed-'));
  const files: Record<string, string> = {};
  for (const person of PEOPLE) {
    for (let n = 1; n <= 10; n++) {
      const file = `${person}_${String(n).padStart(4, '0')}.jpg`;
      files[`${FIRST_YEAR.includes(n) ? '2015' : '2016'}/${file}`] = `lfw_subset/${person}/${file}`;
    }
  }
  album = await makeAlbum(join(work, 'album'), files);
  pool = await AnalysisPool.create({ size: 2 });
  analyzer = new AnalysedOnce(pool);
  const engine = await Engine.open(join(work, 'uninterrupted'), { analyzer });
  try {
    await engine.import([album]);
    // Apart when imported in one go.
    expect(mixedGroups(engine.library)).toEqual([]);
    uninterrupted = groupsOf(engine.library);
  } finally {
    await engine.close();
  }
}, 300_000);

afterAll(async () => {
  await pool?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('an import stopped part-way and resumed', () => {
  it('cancelled, then closed mid-run, ends with the groups of the import uninterrupted', async () => {
    const engine = await Engine.open(join(work, 'cancelled'), { analyzer });
    try {
      await importStopped(engine, FIRST_YEAR_PHOTOS, 'cancel');
      // The four photos of 2015 alone make one group of both: what the stop's grouping shows meanwhile.
      expect(mixedGroups(engine.library)).toHaveLength(1);
      // Grouped for now: nothing for the next open to group.
      expect(engine.hasUngroupedFaces()).toBe(false);

      // Run again, and closed (as a kill leaves it) before its end: its faces wait, in no group, for the next open.
      await importStopped(engine, FIRST_YEAR_PHOTOS + 4, 'close');
      expect(engine.hasUngroupedFaces()).toBe(true);

      const summary = await engine.import([album]);
      expect(summary.stopped).toBeNull();
      expect(groupsOf(engine.library)).toEqual(uninterrupted);
      expect(mixedGroups(engine.library)).toEqual([]);
      expect(engine.library.faces.filter((f) => f.unplaced)).toEqual([]);
    } finally {
      await engine.close();
    }
  }, 300_000);

  it('closed mid-run and grouped at the next open, ends with the groups of the import uninterrupted', async () => {
    const dir = join(work, 'closed');
    let engine = await Engine.open(dir, { analyzer });
    try {
      await importStopped(engine, FIRST_YEAR_PHOTOS, 'close');
    } finally {
      await engine.close();
    }
    engine = await Engine.open(dir, { analyzer });
    try {
      // What the app and `familiar serve` run on opening it.
      expect(engine.hasUngroupedFaces()).toBe(true);
      await engine.finishStoppedImport();
      expect(mixedGroups(engine.library)).toHaveLength(1);
    } finally {
      await engine.close();
    }
    engine = await Engine.open(dir, { analyzer });
    try {
      // The open after has nothing to group again.
      expect(engine.hasUngroupedFaces()).toBe(false);
      await engine.import([album]);
      expect(groupsOf(engine.library)).toEqual(uninterrupted);
      expect(mixedGroups(engine.library)).toEqual([]);
    } finally {
      await engine.close();
    }
  }, 300_000);
});

// A regrouping says how far it is as it goes. QA: `familiar recluster --json` said 0 done the whole run, then the
// summary. Above DEFAULT_EXACT_LIMIT faces most of its time is finding each face's nearest faces in the library's
// index: counted face by face, with its pace and time left, and a cancel is heard there; the steps that draw and save
// the groups after it are counted one by one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobCancelledError, type JobProgress } from '../../../main/jobs/progress.js';
import { recluster } from '../../../main/people/clustering.js';
import { Library } from '../../../main/store/library.js';
import { DEFAULT_EXACT_LIMIT } from '../../../models/cluster/knn.js';
import { runCli } from '../cli/cli-process.js';
import { writeSyntheticLibrary } from '../../reliability/helpers/library-state.js';

const FACES = 6000;

let work: string;
let libraryDir: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-recluster-progress-'));
  libraryDir = join(work, 'library');
  // 300 people of 20 faces, 10 of them named with 4 faces confirmed: the neighbours come from the library's index.
  await writeSyntheticLibrary(libraryDir, { people: 300, facesPerPerson: 20, named: 10, confirmedPerPerson: 4, rejectionsPerPerson: 1, noise: 0.5, spread: 0.8, seed: 7 });
}, 120_000);
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** The `done` counts reported for each stage, in order. */
function doneByStage(reports: readonly JobProgress[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const p of reports) out.set(p.stage, [...(out.get(p.stage) ?? []), p.done]);
  return out;
}

describe('the progress of a regrouping', () => {
  it('counts the faces searched, then the steps, each stage to its end', async () => {
    expect(FACES).toBeGreaterThan(DEFAULT_EXACT_LIMIT);
    const library = await Library.open(libraryDir);
    try {
      const reports: JobProgress[] = [];
      await recluster(library, { onProgress: (p) => reports.push(p) });
      expect([...new Set(reports.map((p) => p.stage))]).toEqual(['vectors', 'neighbours', 'cluster', 'done']);
      const done = doneByStage(reports);
      const searched = done.get('neighbours')!;
      expect(searched).toEqual([1000, 2000, 3000, 4000, 5000, 6000]);
      expect(reports.filter((p) => p.stage === 'neighbours').every((p) => p.total === FACES)).toBe(true);
      // Never "0 s left" with faces still to search.
      expect(reports.filter((p) => p.done < p.total && p.etaSeconds === 0)).toEqual([]);
      expect(done.get('cluster')).toEqual([0, 1, 2, 3]);
      expect(reports.filter((p) => p.stage === 'cluster').map((p) => p.message)).toEqual([
        'Drawing groups',
        'Keeping your decisions',
        'Checking the faces placed with people you confirmed',
        'Saving the groups',
      ]);
      expect(reports.at(-1)).toMatchObject({ stage: 'done', done: FACES, total: FACES, message: `Regrouped ${FACES.toLocaleString('en')} faces` });
    } finally {
      await library.close();
    }
  }, 120_000);

  it('stops when cancelled while it searches, changing nothing', async () => {
    const library = await Library.open(libraryDir);
    try {
      const before = library.faces.map((f) => `${f.id} ${f.personId}`);
      const stop = new AbortController();
      const searched: number[] = [];
      const run = recluster(library, {
        signal: stop.signal,
        onProgress: (p) => {
          if (p.stage !== 'neighbours') return;
          searched.push(p.done);
          stop.abort();
        },
      });
      await expect(run).rejects.toBeInstanceOf(JobCancelledError);
      expect(searched).toEqual([1000]);
      expect(library.faces.map((f) => `${f.id} ${f.personId}`)).toEqual(before);
    } finally {
      await library.close();
    }
  }, 120_000);

  it('familiar recluster --json writes progress that reaches the end of each stage', async () => {
    const run = await runCli('recluster', '--json', '--library', libraryDir);
    expect(run.code).toBe(0);
    const lines = run.out.trim().split('\n').map((line) => JSON.parse(line) as JobProgress & { type: string });
    const progress = lines.filter((l) => l.type === 'progress');
    expect(lines.at(-1)).toMatchObject({ type: 'summary', faces: FACES });
    const last = (stage: string) => progress.filter((p) => p.stage === stage).at(-1);
    expect(last('neighbours')).toMatchObject({ done: FACES, total: FACES });
    expect(last('done')).toMatchObject({ done: FACES, total: FACES });
    expect(progress.some((p) => p.stage === 'cluster')).toBe(true);
    // A person reading it: plain lines in words, counted.
    const text = await runCli('recluster', '--library', libraryDir);
    expect(text.out).toContain(`Finding each face's nearest faces: 6,000/6,000 faces`);
    expect(text.out).toMatch(/^Drawing groups: 0\/4 steps, ETA --:--$/m);
  }, 120_000);
});

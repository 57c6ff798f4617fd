// Re-analysing photos the library knows says how long it takes. A look again, and an import after an upgrade, analyse
// files that are unchanged on disk: their pace and time left are measured on the photos analysed, while the files that
// keep their analysis cost nothing and count for nothing (QA: "ETA 00:00" and no pace through a whole look again,
// every known file counted as skipped). The pace is kept, so the next offer to look again says how long it would take.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctorCommand } from '../../../main/cli/commands/doctor.js';
import type { CommandContext } from '../../../main/cli/command.js';
import { Engine } from '../../../main/engine.js';
import type { JobProgress } from '../../../main/jobs/progress.js';
import { lookAgainCost, storedAnalysisPace } from '../../../main/library/analysis-pace.js';
import { importFolders, type FaceAnalysisService } from '../../../main/library/import.js';
import { PIPELINE_BEFORE_LOWER_THRESHOLD } from '../../../main/library/pipeline-upgrade.js';
import { Library } from '../../../main/store/library.js';
import { PIPELINE_VERSION } from '../../../models/pipeline.js';
import { LOOK_AGAIN_COST_FACTOR } from '../../../preload/contract.js';
import { makeAlbum } from './helpers.js';

const PEOPLE = ['Colin_Powell', 'Tony_Blair', 'Serena_Williams', 'Gloria_Macapagal_Arroyo'];
const ALBUM = Object.fromEntries(PEOPLE.flatMap((person) => [1, 2, 3, 4, 5].map((n) => [`${person}_${n}.jpg`, `lfw_subset/${person}/${person}_000${n}.jpg`])));

/** Finds no face, at once: the first analysis, whose pace is not the point. */
const instant: FaceAnalysisService = { size: 1, analyze: async () => [] };
/** Finds no face, in 0.2 s a photo: an analysis whose pace can be measured. */
const steady: FaceAnalysisService = { size: 1, analyze: () => new Promise((done) => setTimeout(() => done([]), 200)) };

/**
 * The analyse reports that measured a pace. Time left is the photos left to analyse at that pace, so time left times
 * pace is the photos left to analyse; with one file at a time, the report's own count of photos analysed says how many.
 */
function measured(reports: readonly JobProgress[]): Array<{ photosLeft: number; analysed: number }> {
  return reports
    .filter((p) => p.stage === 'analyse' && p.ratePerSecond !== null && p.etaSeconds !== null)
    .map((p) => ({ photosLeft: p.etaSeconds! * p.ratePerSecond!, analysed: Number(p.detail?.analysed) }));
}

let work: string;
let album: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-look-again-progress-'));
  album = await makeAlbum(join(work, 'album'), ALBUM);
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** A library of the album, analysed by `version`. */
async function libraryAnalysedBy(name: string, version: string): Promise<string> {
  const dir = join(work, name);
  const library = await Library.open(dir);
  try {
    await importFolders(library, async () => instant, version, [album]);
    expect(library.photos).toHaveLength(20);
  } finally {
    await library.close();
  }
  return dir;
}

describe('re-analysing known photos', () => {
  it('a look again measures its pace and time left on the photos it analyses, and keeps the pace', async () => {
    const dir = await libraryAnalysedBy('looked-again', PIPELINE_BEFORE_LOWER_THRESHOLD);
    const engine = await Engine.open(dir, { analyzer: steady });
    try {
      const reports: JobProgress[] = [];
      const summary = await engine.lookAgain({ concurrency: 1, onProgress: (p) => reports.push(p) });
      expect(summary.analysed).toBe(20);
      // Its files are given by name: no folder is listed, and none is said to be (QA: "found in 0 folders").
      expect(reports.filter((p) => p.stage === 'scan').at(-1)?.message).toBe('Looking for photos: 20 files to read');
      const reading = reports.filter((p) => p.stage === 'analyse' && p.total > 0);
      expect(reading.every((p) => p.total === 20)).toBe(true);
      // Each report says the run reads its photos again on purpose, and how many (the Import screen says so).
      expect(reading.every((p) => p.detail?.lookAgain === true && p.detail.readAgain === 20)).toBe(true);
      // No "0 s left" while photos are still to analyse.
      expect(reading.filter((p) => p.done < p.total && p.etaSeconds === 0)).toEqual([]);
      const paced = measured(reports);
      expect(paced.filter((m) => m.analysed < 20).length).toBeGreaterThan(0);
      for (const m of paced) expect(m.photosLeft).toBeCloseTo(20 - m.analysed, 6);

      // Kept: the next offer to look again says how long, at this library's own pace of looking again.
      const pace = storedAnalysisPace(engine.library.settings)!;
      expect(pace).toMatchObject({ photos: 20, lookingAgain: true });
      expect(pace.secondsPerPhoto).toBeGreaterThan(0);
      expect(lookAgainCost(600, engine.library.settings)).toEqual({ seconds: 600 * pace.secondsPerPhoto, basis: 'looked-again' });
    } finally {
      await engine.close();
    }
  });

  it('an upgrade that analyses some photos again measures them alone; the photos it keeps count for nothing', async () => {
    const dir = await libraryAnalysedBy('upgraded', PIPELINE_VERSION);
    // 12 photos an older pipeline analysed, whose descriptors today's cannot be compared with: analysed again.
    const library = await Library.open(dir);
    const older = new Set(library.photos.slice(0, 12).map((p) => p.id));
    await library.transaction((tx) => {
      for (const photo of tx.photos) if (older.has(photo.id)) photo.analysis = { pipelineVersion: 'an-older-pipeline', analysedAt: photo.analysis!.analysedAt };
    });
    await library.close();

    const engine = await Engine.open(dir, { analyzer: steady });
    try {
      expect(lookAgainCost(100, engine.library.settings).basis).toBe('typical');
      const reports: JobProgress[] = [];
      const summary = await engine.import([album], { concurrency: 1, onProgress: (p) => reports.push(p) });
      expect(summary.analysed).toBe(12);
      // An import, which reads 12 unchanged photos again: said in each report.
      const reading = reports.filter((p) => p.stage === 'analyse' && p.detail);
      expect(reading.length).toBeGreaterThan(0);
      expect(reading.every((p) => p.detail?.lookAgain === false && p.detail.readAgain === 12)).toBe(true);
      const paced = measured(reports);
      expect(paced.filter((m) => m.analysed < 12).length).toBeGreaterThan(0);
      for (const m of paced) expect(m.photosLeft).toBeCloseTo(12 - m.analysed, 6);
      const pace = storedAnalysisPace(engine.library.settings)!;
      expect(pace).toMatchObject({ photos: 12, lookingAgain: false });
      // An import's pace: looking again costs more a photo.
      expect(lookAgainCost(100, engine.library.settings)).toEqual({ seconds: 100 * pace.secondsPerPhoto * LOOK_AGAIN_COST_FACTOR, basis: 'imports' });
      await engine.library.transaction((tx) => {
        for (const photo of tx.photos) photo.analysis = { pipelineVersion: PIPELINE_BEFORE_LOWER_THRESHOLD, analysedAt: photo.analysis!.analysedAt };
      });
    } finally {
      await engine.close();
    }

    // familiar doctor offers to look again, saying how long it takes here and what it gains.
    const stdout = { isTTY: false, text: '', write(chunk: string) { stdout.text += chunk; return true; } };
    const ctx = { values: {}, positionals: [], libraryDir: dir, json: false, stdout, stderr: { ...stdout, text: '' }, signal: new AbortController().signal } as unknown as CommandContext;
    expect(await doctorCommand.run(ctx)).toBe(0);
    expect(stdout.text).toMatch(
      /20 photos were analysed by an earlier version, which misses some faces: "familiar import --look-again" looks for them\. Looking again at 20 photos takes (under a minute|about \d+ minutes?) on this computer: about 2\.5 times as long a photo as its imports took\. About 1 photo in 60 gains a face\./,
    );
  });
});

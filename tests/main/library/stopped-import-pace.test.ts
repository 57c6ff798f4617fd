// A stopped import keeps the pace it measured, as a finished one does, when it analysed enough photos to measure one
// (PACE_MIN_PHOTOS). QA: an import stopped after an hour of analysis left `familiar doctor` guessing a typical pace.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { JobCancelledError } from '../../../main/jobs/progress.js';
import { analysisCost, PACE_MIN_PHOTOS, storedAnalysisPace } from '../../../main/library/analysis-pace.js';
import type { FaceAnalysisService } from '../../../main/library/import.js';
import { makeAlbum } from './helpers.js';

const PEOPLE = ['Colin_Powell', 'Tony_Blair', 'Serena_Williams', 'Gloria_Macapagal_Arroyo'];
const ALBUM = Object.fromEntries(PEOPLE.flatMap((person) => [1, 2, 3, 4, 5].map((n) => [`${person}_${n}.jpg`, `lfw_subset/${person}/${person}_000${n}.jpg`])));

let work: string;
let album: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-stopped-import-pace-'));
  album = await makeAlbum(join(work, 'album'), ALBUM);
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Imports the album into a new library, one photo at a time, stopped once `stopAfter` photos were analysed. */
async function importStoppedAfter(name: string, stopAfter: number) {
  const stop = new AbortController();
  let analysed = 0;
  // Finds no face, in 0.1 s a photo (a pace to measure), and stops the import at the photo asked.
  const analyzer: FaceAnalysisService = {
    size: 1,
    analyze: () =>
      new Promise((done) =>
        setTimeout(() => {
          if (++analysed === stopAfter) stop.abort();
          done([]);
        }, 100),
      ),
  };
  const engine = await Engine.open(join(work, name), { analyzer });
  const stopped = await engine.import([album], { concurrency: 1, signal: stop.signal }).catch((err: unknown) => err);
  expect(stopped).toBeInstanceOf(JobCancelledError);
  const kept = (stopped as JobCancelledError).kept as { analysed: number };
  return { engine, analysed: kept.analysed };
}

describe('the pace of a stopped import', () => {
  it('is kept when it analysed enough photos to measure one', async () => {
    const { engine, analysed } = await importStoppedAfter('stopped-late', PACE_MIN_PHOTOS + 2);
    try {
      expect(analysed).toBeGreaterThanOrEqual(PACE_MIN_PHOTOS);
      expect(analysed).toBeLessThan(20);
      const pace = storedAnalysisPace(engine.library.settings);
      expect(pace).toMatchObject({ photos: analysed, lookingAgain: false });
      expect(analysisCost(100, engine.library.settings)).toEqual({ seconds: 100 * pace!.secondsPerPhoto, basis: 'imports' });
    } finally {
      await engine.close();
    }
  });

  it('is not kept from too few photos', async () => {
    const { engine, analysed } = await importStoppedAfter('stopped-early', 3);
    try {
      expect(analysed).toBeLessThan(PACE_MIN_PHOTOS);
      expect(storedAnalysisPace(engine.library.settings)).toBeNull();
      expect(analysisCost(100, engine.library.settings).basis).toBe('typical');
    } finally {
      await engine.close();
    }
  });
});

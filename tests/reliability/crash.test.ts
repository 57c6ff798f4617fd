// Crash consistency (issue 7, point 1), CI-sized: the import, a recluster and a training run are each SIGKILLed
// at a few seeded random points (after N output lines or T ms), chained on one library; after every kill the
// library opens with no decision lost, no face stored twice and the index agreeing with the vectors, and an
// uninterrupted run then completes. `npm run bench:reliability` runs the same harness with >= 50 kills per job.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrashCampaign, type CampaignResult, type KillPoint } from './helpers/crash-harness.js';
import { decisionCount } from './helpers/library-state.js';
import { importSeed, reclusterSeed, trainSeed, type CrashSeed } from './helpers/crash-seeds.js';

/** Kills per job here (CI: the suite's time budget); FAMILIAR_CRASH_KILLS raises them for a local soak. */
const override = process.env.FAMILIAR_CRASH_KILLS ? Number(process.env.FAMILIAR_CRASH_KILLS) : null;
// Import kills are also in tests/main/cli/import-crash.test.ts; here one, on faces that carry decisions.
const KILLS = { import: override ?? 1, recluster: override ?? 3, train: override ?? 2 };

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-reliability-crash-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

async function campaign(seed: CrashSeed, kills: number, killSeed: number, points?: KillPoint[]): Promise<CampaignResult> {
  expect(decisionCount(seed.decisions)).toBeGreaterThan(5);
  return runCrashCampaign({
    job: seed.job,
    seedLibrary: seed.library,
    decisions: seed.decisions,
    seedFaces: seed.faces,
    kills,
    killsPerChain: kills,
    seed: killSeed,
    workDir: work,
    points,
  });
}

function expectSurvived(result: CampaignResult, kills: number): void {
  expect(result.problems).toEqual([]);
  expect(result.tried).toBe(kills);
  expect(result.survived).toBe(kills);
  expect(result.lost).toBe(0);
  expect(result.completedAfter).toBe(result.chains);
}

describe('SIGKILL at random points', () => {
  it('import: re-analysing faces that carry decisions, plus new photos', async () => {
    // A fixed point in CI (no reference import to spread random ones over): after the scan, in the re-analysis.
    const points: KillPoint[] | undefined = override === null ? [{ after: 'lines', lines: 5 }] : undefined;
    expectSurvived(await campaign(await importSeed(work), KILLS.import, 11, points), KILLS.import);
  }, 480_000); // ~16 s in a full run, 28 s in a loaded one

  it('recluster', async () => {
    expectSurvived(await campaign(await reclusterSeed(work), KILLS.recluster, 12), KILLS.recluster);
  }, 120_000);

  it('train embedder (a head that is adopted: new version, re-embedding, recluster)', async () => {
    expectSurvived(await campaign(await trainSeed(work), KILLS.train, 13), KILLS.train);
  }, 180_000);
});

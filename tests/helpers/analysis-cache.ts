// A run-wide cache of the analysis pipeline's answers, per picture. Many test files import the same photos of
// ../shared/faces, and the analysis (detector, landmarks, descriptor on wasm) is most of their time: files whose subject
// is not the analysis itself analyse through CachedAnalysis (as Engine's `analyzer`), so a picture is analysed once a
// run. Files that test the detector, the pool, its workers or a crash keep the real path.
//
// An answer is the one the real pipeline gave earlier in the same run for the same pixels, options and PIPELINE_VERSION:
// the global setup makes a fresh folder each run (startRunAnalysesCache), empties it before each rerun in watch mode
// and removes it at the end, so a pipeline whose code changed is never answered for by the code before. Outside a vitest
// run nothing is kept.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { AnalysisPool } from '../../main/jobs/analysis-pool.js';
import type { FaceAnalysisService } from '../../main/library/import.js';
import { PIPELINE_VERSION } from '../../models/pipeline.js';
import type { DetectedFace, RgbImage } from '../../models/types.js';

/** Names this run's cache folder; set by the global setup, inherited by the test files' processes. */
const ANALYSES_DIR_VARIABLE = 'FAMILIAR_TEST_ANALYSES';

/**
 * Makes this run's empty cache folder and names it in the environment, or takes the one an earlier call of this run
 * made (the global setup runs once per project). `forget` empties it, `remove` removes it.
 */
export function startRunAnalysesCache(): { forget(): void; remove(): void } {
  const dir = (process.env[ANALYSES_DIR_VARIABLE] ??= mkdtempSync(join(tmpdir(), 'familiar-test-analyses-')));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  return {
    forget: () => {
      remove();
      mkdirSync(dir);
    },
    remove,
  };
}

type Options = Parameters<FaceAnalysisService['analyze']>[1];

/** Names an analysis by everything its answer depends on. */
function analysisKey(image: RgbImage, options: Options): string {
  const { closerLook = false, panorama = false, drawnBox = null } = options ?? {};
  return createHash('sha256')
    .update(JSON.stringify([PIPELINE_VERSION, image.width, image.height, closerLook, panorama, drawnBox]))
    .update(image.data)
    .digest('hex');
}

/**
 * The answers of an AnalysisPool (default FaceAnalyzer options) of `size` workers, each kept for the rest of the run;
 * the pool starts at the first picture not analysed yet, so a file whose every picture was does not start one.
 */
export class CachedAnalysis implements FaceAnalysisService {
  private pool: Promise<AnalysisPool> | null = null;
  constructor(readonly size = 2) {}

  async analyze(image: RgbImage, options?: Options): Promise<DetectedFace[]> {
    const dir = process.env[ANALYSES_DIR_VARIABLE];
    // The key is read before the pool takes the pixels (their buffer moves to a worker).
    const file = dir && join(dir, `${analysisKey(image, options)}.v8`);
    const kept = file ? await readFile(file).catch(() => null) : null;
    if (kept) return deserialize(kept) as DetectedFace[];
    this.pool ??= AnalysisPool.create({ size: this.size });
    const faces = await (await this.pool).analyze(image, options);
    if (file) {
      // Written whole under a name of its own, then renamed: a file analysing the same picture meanwhile reads all or nothing.
      const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
      await writeFile(temp, serialize(faces));
      await rename(temp, file);
    }
    return faces;
  }

  async close(): Promise<void> {
    await (await this.pool?.catch(() => null))?.close();
  }
}

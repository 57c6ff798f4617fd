// Vitest global setup: on a whole-suite run (CI), computes once the dataset embeddings that several test
// files read (clustering, embedder, pipeline), before the files start, so none pays for them and none
// computes them twice. A run filtered to some files skips this: loadDatasetEmbeddings() computes on demand,
// under a cross-process lock. Cached in .cache/embeddings/<dataset>-<PIPELINE_VERSION>.json.
import { existsSync } from 'node:fs';
import { AnalysisPool } from '../main/jobs/analysis-pool.js';
import { embeddingsCacheFile, ensureDatasetEmbeddings } from './helpers/shared-faces.js';

/** Datasets the suite reads through loadDatasetEmbeddings(). lfw_subset: 1,680 photos of 250x250. */
export const PRECOMPUTED_DATASETS = ['lfw_subset'];

/** True when vitest was given file or name filters (`vitest run tests/x.test.ts`, `-t name`). */
function filteredRun(): boolean {
  const args = process.argv.slice(2);
  const positional = args.filter((a, i) => !a.startsWith('-') && !args[i - 1]?.match(/^-(t|-testNamePattern|-reporter|-project|-config|c)$/));
  return positional.some((a) => a !== 'run' && a !== 'watch') || args.some((a) => a === '-t' || a.startsWith('--testNamePattern'));
}

export default async function setup(): Promise<void> {
  if (filteredRun()) return;
  const missing = PRECOMPUTED_DATASETS.filter((name) => !existsSync(embeddingsCacheFile(name)));
  if (missing.length === 0) return;
  const pool = await AnalysisPool.create();
  try {
    for (const name of missing) {
      const started = performance.now();
      await ensureDatasetEmbeddings(name, { pool });
      console.log(`[global-setup] ${name} embeddings ready in ${((performance.now() - started) / 1000).toFixed(0)} s (${pool.size} workers)`);
    }
  } finally {
    await pool.close();
  }
}

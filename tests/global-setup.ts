// Vitest global setup: starts the run's cache of analyses (tests/helpers/analysis-cache.ts, removed after the run), and
// on a whole-suite run (CI) computes once the dataset embeddings that several test files read (clustering, embedder,
// pipeline), before the files start, so none pays for them and none computes them twice; its analyses fill the run's
// cache, so the files importing these photos find them analysed. A run filtered to some files skips this:
// loadDatasetEmbeddings() computes on demand, under a cross-process lock. Cached in
// .cache/embeddings/<dataset>-<PIPELINE_VERSION>.json.
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { CachedAnalysis, startRunAnalysesCache } from './helpers/analysis-cache.js';
import { embeddingsCacheFile, ensureDatasetEmbeddings } from './helpers/shared-faces.js';

/** Datasets the suite reads through loadDatasetEmbeddings(). lfw_subset: 1,680 photos of 250x250. */
export const PRECOMPUTED_DATASETS = ['lfw_subset'];

/** True when vitest was given file or name filters (`vitest run tests/x.test.ts`, `-t name`). */
function filteredRun(): boolean {
  const args = process.argv.slice(2);
  const positional = args.filter((a, i) => !a.startsWith('-') && !args[i - 1]?.match(/^-(t|-testNamePattern|-reporter|-project|-config|c)$/));
  return positional.some((a) => a !== 'run' && a !== 'watch') || args.some((a) => a === '-t' || a.startsWith('--testNamePattern'));
}

export default async function setup(project: TestProject): Promise<() => void> {
  const analyses = startRunAnalysesCache();
  // In watch mode, a rerun may follow a change to the pipeline's code: it starts with no answers kept.
  project.onTestsRerun(analyses.forget);
  if (filteredRun()) return analyses.remove;
  const missing = PRECOMPUTED_DATASETS.filter((name) => !existsSync(embeddingsCacheFile(name)));
  const pool = new CachedAnalysis();
  try {
    for (const name of missing) {
      const started = performance.now();
      await ensureDatasetEmbeddings(name, { pool });
      console.log(`[global-setup] ${name} embeddings ready in ${((performance.now() - started) / 1000).toFixed(0)} s (${pool.size} workers)`);
    }
  } catch (err) {
    analyses.remove();
    throw err;
  } finally {
    await pool.close();
  }
  return analyses.remove;
}

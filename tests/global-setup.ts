// Vitest global setup: computes, once per machine/CI run, the dataset embeddings that several test files
// read (clustering, embedder, pipeline), so no test file pays for them and none computes them twice.
// Cached in .cache/embeddings/<dataset>-<PIPELINE_VERSION>.json; a new pipeline version recomputes.
import { existsSync } from 'node:fs';
import { AnalysisPool } from '../main/jobs/analysis-pool.js';
import { computeDatasetEmbeddings, embeddingsCacheFile } from './helpers/shared-faces.js';

/** Datasets the suite reads through loadDatasetEmbeddings(). lfw_subset: 1,680 photos of 250x250. */
export const PRECOMPUTED_DATASETS = ['lfw_subset'];

export default async function setup(): Promise<void> {
  const missing = PRECOMPUTED_DATASETS.filter((name) => !existsSync(embeddingsCacheFile(name)));
  if (missing.length === 0) return;
  const pool = await AnalysisPool.create();
  try {
    for (const name of missing) {
      const cache = await computeDatasetEmbeddings(name, { pool });
      console.log(`[global-setup] embedded ${name}: ${cache.images.length} images in ${cache.seconds} s with ${pool.size} workers`);
    }
  } finally {
    await pool.close();
  }
}

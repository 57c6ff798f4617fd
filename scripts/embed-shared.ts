// Fills the test embedding cache: npx tsx scripts/embed-shared.ts <dataset...>  (e.g. lfw_subset)
// Each dataset is analysed once with the analysis pool; see tests/helpers/shared-faces.ts.
import { AnalysisPool } from '../main/jobs/analysis-pool.js';
import { computeDatasetEmbeddings, embeddingsCacheFile, ensureDatasetEmbeddings } from '../tests/helpers/shared-faces.js';

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const force = process.argv.includes('--force');
if (names.length === 0) {
  console.error('Usage: npx tsx scripts/embed-shared.ts [--force] <dataset...>   (folders of ../shared/faces, e.g. lfw_subset)');
  process.exit(2);
}

const { existsSync, readFileSync } = await import('node:fs');
const pool = await AnalysisPool.create();
console.log(`analysis pool: ${pool.size} workers on ${pool.backend.name}`);
try {
  for (const name of names) {
    if (!force && existsSync(embeddingsCacheFile(name))) {
      console.log(`${name}: cached in ${embeddingsCacheFile(name)}`);
      continue;
    }
    let last = 0;
    const onProgress = (done: number, total: number) => {
      if (done === total || performance.now() - last > (process.stdout.isTTY ? 500 : 30_000)) {
        last = performance.now();
        process.stdout.write(process.stdout.isTTY ? `\r${name}: ${done}/${total}` : `${name}: ${done}/${total}\n`);
      }
    };
    // --force recomputes; otherwise wait for (or take over) a computation another process holds the lock for.
    if (force) await computeDatasetEmbeddings(name, { pool, onProgress });
    else await ensureDatasetEmbeddings(name, { pool, onProgress });
    if (process.stdout.isTTY) process.stdout.write('\n');
    const cache = JSON.parse(readFileSync(embeddingsCacheFile(name), 'utf8')) as { images: { faces: unknown[]; error?: string }[]; seconds: number };
    const faces = cache.images.reduce((n, img) => n + img.faces.length, 0);
    const errors = cache.images.filter((img) => img.error).length;
    console.log(
      `${name}: ${cache.images.length} images, ${faces} faces, ${errors} errors in ${cache.seconds} s ` +
        `(${((cache.seconds * 1000) / Math.max(1, cache.images.length)).toFixed(0)} ms/image) -> ${embeddingsCacheFile(name)}`,
    );
  }
} finally {
  await pool.close();
}

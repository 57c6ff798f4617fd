// npm run bench:import -- --restore N
//
// A folder taken out of the library and imported again (docs/reliability.md, "Photos back in the library"): N real
// photos (every compreface and face_recognition photo, the rest spread over lfw_subset; QA's folder held 444) copied
// into a temporary folder and imported, then
//   - imported again unchanged (the floor: no file read);
//   - removed (its analyses kept) and imported again: the photos restored from the kept analyses;
//   - the baseline, in the same run: removed again, kept-analyses.bin deleted, imported again: every photo analysed
//     again, as before the analyses were kept.
// Each import is timed whole (engine.import: the files gone through, then the new faces checked by the autoencoder,
// their names read from sidecars and grouped, which any import of new photos does) and by stage. Then what a
// restore costs per photo, each part timed alone over the same files: reading and hashing the file (any new file pays
// it), decoding it at the analysis size (its picture hash and metadata), and cutting its faces' crops (the thumbnails;
// a face the closer look described from a larger decode is cut from one again).
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pictureHash } from '../models/cluster/resized-copy.js';
import { Engine } from '../main/engine.js';
import { AnalysisPool } from '../main/jobs/analysis-pool.js';
import { decodePhoto, readPhotoBytes } from '../main/library/decode.js';
import type { JobProgress } from '../main/jobs/progress.js';
import type { ImportSummary } from '../main/library/import.js';
import { analysisToKeep, keptFaces } from '../main/library/restore-analysis.js';
import { scanFolders } from '../main/library/scan.js';
import { KEPT_ANALYSES_FILE } from '../main/store/kept-analyses.js';
import { ModelCalls } from '../tests/helpers/model-calls.js';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const sharedFaces = resolve(repoRoot, '..', 'shared', 'faces');

/** N photos: every compreface and face_recognition one, then an even spread over lfw_subset. */
async function choosePhotos(count: number): Promise<string[]> {
  const all = async (dataset: string) => (await scanFolders([join(sharedFaces, dataset)])).files.map((f) => f.path).sort();
  const fixed = [...(await all('compreface')), ...(await all('face_recognition'))].slice(0, count);
  const lfw = await all('lfw_subset');
  const step = lfw.length / Math.max(1, count - fixed.length);
  return [...fixed, ...Array.from({ length: count - fixed.length }, (_, i) => lfw[Math.floor(i * step)])];
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000 };
}

export async function benchRestore(count: number): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'familiar-bench-restore-'));
  const folder = join(work, 'photos');
  const pool = await AnalysisPool.create();
  const counted = new ModelCalls(pool);
  const engine = await Engine.open(join(work, 'library'), { analyzer: counted });
  try {
    const photos = await choosePhotos(count);
    await mkdir(folder);
    for (const [i, path] of photos.entries()) await copyFile(path, join(folder, `${String(i).padStart(4, '0')}-${basename(path)}`));
    const library = engine.library;
    const importing = async () => {
      counted.calls = 0;
      // When each stage began (the files are the 'analyse' stage; the new faces' check and grouping come after).
      const began: Array<[string, number]> = [];
      const started = performance.now();
      const onProgress = (p: JobProgress) => {
        if (began.at(-1)?.[0] !== p.stage) began.push([p.stage, performance.now()]);
      };
      const run = await timed(() => engine.import([folder], { onProgress }));
      const ended = started + run.seconds * 1000;
      const stages = began.map(([stage, at], i) => `${stage} ${(((began[i + 1]?.[1] ?? ended) - at) / 1000).toFixed(2)}`).join(', ');
      return { ...run, modelCalls: counted.calls, stages };
    };
    const line = (name: string, run: { seconds: number; value: ImportSummary; modelCalls: number; stages: string }) =>
      console.log(
        `  ${name.padEnd(44)} ${run.seconds.toFixed(2).padStart(7)} s  (${run.value.analysed} analysed, ${run.value.restored} restored, ` +
          `${run.modelCalls} pictures through the models, ${run.value.faces} faces; seconds by stage: ${run.stages})`,
      );

    console.log(`${photos.length} photos (${pool.backend.name} backend, ${pool.size} workers; load ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores):`);
    line('first import (analysed)', await importing());
    line('imported again, unchanged', await importing());

    // What a restore does for each photo beyond reading it, timed alone: the decode and the crops.
    const files = (await readdir(folder)).map((name) => join(folder, name));
    const maxSide = library.settings.analysisMaxSide;
    let readAndHash = 0;
    let decode = 0;
    let crops = 0;
    for (const file of files) {
      const read = await timed(async () => {
        const bytes = await readPhotoBytes(file);
        return { bytes, id: createHash('sha256').update(bytes).digest('hex') };
      });
      readAndHash += read.seconds;
      const photo = library.photo(read.value.id);
      const analysis = photo && analysisToKeep(library, photo);
      if (!analysis) continue;
      const decoded = await timed(async () => {
        const d = await decodePhoto(read.value.bytes, maxSide);
        pictureHash(d.image);
        return d;
      });
      decode += decoded.seconds;
      crops += (await timed(() => keptFaces(analysis, decoded.value, read.value.bytes))).seconds;
    }

    // The thumbnails the removal deletes: keeping them instead of cutting them again would cost this much a face.
    let thumbBytes = 0;
    for (const face of library.faces) thumbBytes += (await stat(join(library.dir, face.thumb))).size;
    const thumbsPerFace = thumbBytes / Math.max(1, library.faces.length) / 1024;

    const removed = await timed(() => engine.removeFolder(folder));
    const keptBytes = (await stat(join(library.dir, KEPT_ANALYSES_FILE))).size;
    console.log(`  ${'removed, its analyses kept'.padEnd(44)} ${removed.seconds.toFixed(2).padStart(7)} s  (${removed.value.analysesKept} photos, ${removed.value.faces} faces: ${(keptBytes / 1024).toFixed(0)} KB, ${(keptBytes / Math.max(1, removed.value.faces) / 1024).toFixed(2)} KB a face)`);
    const restored = await importing();
    line('imported again: restored', restored);

    const removedAgain = await timed(() => engine.removeFolder(folder));
    await rm(join(library.dir, KEPT_ANALYSES_FILE));
    console.log(`  ${'removed again, kept-analyses.bin deleted'.padEnd(44)} ${removedAgain.seconds.toFixed(2).padStart(7)} s`);
    const baseline = await importing();
    line('baseline: imported again, analysed again', baseline);

    const per = (seconds: number) => `${((1000 * seconds) / files.length).toFixed(1)} ms`;
    console.log(`  restored in ${((100 * restored.seconds) / baseline.seconds).toFixed(1)} % of the baseline's time (${(baseline.seconds / restored.seconds).toFixed(0)}x faster)`);
    console.log(`  a restore's parts per photo, one at a time: reading and hashing ${per(readAndHash)}, decoding ${per(decode)}, cutting the crops ${per(crops)}`);
    console.log(`  the thumbnails the removal deleted: ${thumbsPerFace.toFixed(2)} KB a face`);
  } finally {
    await engine.close();
    await pool.close();
    await rm(work, { recursive: true, force: true });
  }
}

// npm run bench:import [-- --limit N] [--datasets compreface,lfw_subset,group-photos] [--max-side PX] [--familiar-only]
// npm run bench:import -- --reimport N [--baseline-rev REV] [--rounds R]: a library of N photos imported again,
// unchanged and touched, against the CLI before re-imports were made fast (scripts/bench-reimport.ts).
// npm run bench:import -- --restore N: a folder of N real photos removed and imported again, restored from the
// analyses kept when it went, against analysing it again in the same run (scripts/bench-restore.ts).
//
// `group-photos`: ten 4000x3000 "group photos" built from lfw_subset (twenty people each, one photo per person,
// faces ~110 px tall, as a 12-megapixel camera takes people a few metres away), written once under
// .cache/bench-group-photos. Run with Familiar's closer look at small faces, without it, and the baseline; each face
// counts as found when a detection's box holds the centre of its LFW photo.
//
// Familiar's import (sharp shrink-on-load decode, worker-thread pool, batched store) against the naive baseline:
// a loop calling face-api detectAllFaces(tensor).withFaceLandmarks().withFaceDescriptors() on each full-resolution
// photo, one after another, on the same backend. Each side runs in its own child process so peak RSS is its own.
// Model loading is outside both timings. Prints photos/s, faces/s, peak RSS, the ratio and detection agreement
// (faces matched by IoU >= 0.5). Targets: >= 3x on compreface, >= 1.5x on lfw_subset, Familiar RSS < 1.5 GB.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DEFAULT_DETECTOR, iou } from '../models/detector.js';
import { loadFaceApiNets } from '../models/faceapi.js';
import type { Box } from '../models/types.js';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const sharedFaces = resolve(repoRoot, '..', 'shared', 'faces');

interface SideResult {
  side: 'familiar' | 'baseline';
  backend: string;
  photos: number;
  faces: number;
  seconds: number;
  peakRssMB: number;
  /** CPU seconds of the whole process (all threads) during the timed part: comparable even on a busy machine. */
  cpuSeconds: number;
  skipped: number;
  /** Boxes per photo path, original pixels after EXIF rotation. */
  boxes: Record<string, Box[]>;
}

const GROUP_PHOTOS = join(repoRoot, '.cache', 'bench-group-photos');
const GROUP_COUNT = 10;
const PER_GROUP = 20;
/** Where the i-th LFW photo of a group photo is centred (its labelled face). */
const groupCentre = (i: number): [number, number] => [(i % 5) * 800 + 400, Math.floor(i / 5) * 750 + 375];

/** Builds the group photos once: each person's first photo, twenty to a 4000x3000 canvas. */
async function groupPhotos(): Promise<string[]> {
  const { existsSync } = await import('node:fs');
  const { mkdir, readdir } = await import('node:fs/promises');
  const paths = Array.from({ length: GROUP_COUNT }, (_, g) => join(GROUP_PHOTOS, `group-${String(g).padStart(2, '0')}.jpg`));
  if (paths.every((p) => existsSync(p))) return paths;
  await mkdir(GROUP_PHOTOS, { recursive: true });
  const people = (await readdir(join(sharedFaces, 'lfw_subset'), { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('_')).map((d) => d.name).sort();
  for (const [g, path] of paths.entries()) {
    const tiles = await Promise.all(
      people.slice(g * PER_GROUP, (g + 1) * PER_GROUP).map(async (person, i) => {
        const photo = (await readdir(join(sharedFaces, 'lfw_subset', person))).sort()[0];
        return { input: await sharp(join(sharedFaces, 'lfw_subset', person, photo)).toBuffer(), left: groupCentre(i)[0] - 125, top: groupCentre(i)[1] - 125 };
      }),
    );
    await sharp({ create: { width: 4000, height: 3000, channels: 3, background: { r: 118, g: 124, b: 120 } } }).composite(tiles).jpeg({ quality: 90 }).toFile(path);
  }
  return paths;
}

/** Faces of the group photos found: a box holding the centre of a person's photo. */
function groupFacesFound(result: SideResult): number {
  let found = 0;
  for (const boxes of Object.values(result.boxes)) {
    for (let i = 0; i < PER_GROUP; i++) {
      const [cx, cy] = groupCentre(i);
      if (boxes.some(([x, y, w, h]) => x <= cx && cx <= x + w && y <= cy && cy <= y + h)) found++;
    }
  }
  return found;
}

async function listPhotos(dataset: string, limit: number | null): Promise<string[]> {
  if (dataset === 'group-photos') return groupPhotos();
  const { scanFolders } = await import('../main/library/scan.js');
  const { files } = await scanFolders([join(sharedFaces, dataset)]);
  const paths = files.map((f) => f.path).sort();
  if (limit === null || limit >= paths.length) return paths;
  // An even spread over the dataset, not its first folders.
  const step = paths.length / limit;
  return Array.from({ length: limit }, (_, i) => paths[Math.floor(i * step)]);
}

async function runFamiliar(photos: string[], maxSide: number | null, closerLook = true): Promise<SideResult> {
  const { Engine } = await import('../main/engine.js');
  const { AnalysisPool } = await import('../main/jobs/analysis-pool.js');
  const libraryDir = await mkdtemp(join(tmpdir(), 'familiar-bench-'));
  const pool = await AnalysisPool.create();
  const engine = await Engine.open(libraryDir, { analyzer: pool });
  try {
    if (maxSide !== null) await engine.library.transaction((tx) => void (tx.settings.analysisMaxSide = maxSide));
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const summary = await engine.import(photos, { closerLook });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const boxes: Record<string, Box[]> = {};
    for (const photo of engine.library.photos) {
      const faceBoxes = engine.library.facesOfPhoto(photo.id).map((f) => f.box);
      for (const path of photo.paths) boxes[path] = faceBoxes;
    }
    return {
      side: 'familiar',
      backend: pool.backend.name,
      photos: photos.length,
      faces: Object.values(boxes).reduce((n, b) => n + b.length, 0),
      seconds,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      skipped: summary.skipped.length,
      boxes,
    };
  } finally {
    await engine.close();
    await pool.close();
    await rm(libraryDir, { recursive: true, force: true });
  }
}

async function runBaseline(photos: string[]): Promise<SideResult> {
  const { faceapi, tf, backend } = await loadFaceApiNets(['ssdMobilenetv1', 'faceLandmark68Net', 'faceRecognitionNet']);
  // The same detector and confidence threshold Familiar uses, so agreement compares like with like.
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: DEFAULT_DETECTOR.minConfidence });
  const boxes: Record<string, Box[]> = {};
  let skipped = 0;
  // One call on a blank image first, as Familiar's pool warms up its analyzers before it reports ready.
  const blank = tf.fill([240, 320, 3], 128, 'int32');
  await faceapi.detectAllFaces(blank as never, options).withFaceLandmarks().withFaceDescriptors();
  blank.dispose();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (const path of photos) {
    let decoded;
    try {
      decoded = await sharp(path, { limitInputPixels: false }).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    } catch {
      skipped++;
      continue;
    }
    const { data, info } = decoded;
    const rgb = info.channels === 3 ? data : Buffer.from(data.filter((_, i) => i % info.channels < 3));
    const tensor = tf.tensor3d(rgb, [info.height, info.width, 3], 'int32');
    try {
      const results = await faceapi.detectAllFaces(tensor as never, options).withFaceLandmarks().withFaceDescriptors();
      boxes[path] = results.map((r) => {
        const b = r.detection.box;
        return [b.x, b.y, b.width, b.height] as Box;
      });
    } finally {
      tensor.dispose();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    side: 'baseline',
    backend: backend.name,
    photos: photos.length,
    faces: Object.values(boxes).reduce((n, b) => n + b.length, 0),
    seconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    skipped,
    boxes,
  };
}

function runChild(side: string, dataset: string, limit: number | null, maxSide: string | undefined): Promise<SideResult> {
  // Photos are listed (and the group photos built) before timing starts.
  return listPhotos(dataset, limit).then(() => runChildProcess(side, dataset, limit, maxSide));
}

function runChildProcess(side: string, dataset: string, limit: number | null, maxSide: string | undefined): Promise<SideResult> {
  return new Promise((resolvePromise, reject) => {
    const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', side, '--datasets', dataset];
    if (limit !== null) args.push('--limit', String(limit));
    if (maxSide) args.push('--max-side', maxSide);
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) reject(new Error(`${side} on ${dataset} exited with ${code}`));
      else resolvePromise(JSON.parse(last) as SideResult);
    });
  });
}

/** Greedy IoU matching per photo: faces both found. */
function agreement(a: SideResult, b: SideResult): { matched: number; onlyA: number; onlyB: number } {
  let matched = 0;
  for (const [path, boxesA] of Object.entries(a.boxes)) {
    const boxesB = [...(b.boxes[path] ?? [])];
    for (const box of boxesA) {
      let best = -1;
      let bestIou = 0.5;
      boxesB.forEach((other, j) => {
        const overlap = iou(box, other);
        if (overlap >= bestIou) {
          bestIou = overlap;
          best = j;
        }
      });
      if (best >= 0) {
        matched++;
        boxesB.splice(best, 1);
      }
    }
  }
  return { matched, onlyA: a.faces - matched, onlyB: b.faces - matched };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      datasets: { type: 'string', default: 'compreface,lfw_subset' },
      limit: { type: 'string' },
      'max-side': { type: 'string' },
      'familiar-only': { type: 'boolean', default: false },
      reimport: { type: 'string' },
      'baseline-rev': { type: 'string' },
      rounds: { type: 'string' },
      restore: { type: 'string' },
    },
  });
  if (values.restore !== undefined) {
    const photos = Number(values.restore);
    if (!Number.isInteger(photos) || photos < 1) throw new Error('--restore takes a whole number of photos, at least 1.');
    const { benchRestore } = await import('./bench-restore.js');
    await benchRestore(photos);
    return;
  }
  if (values.reimport !== undefined) {
    const photos = Number(values.reimport);
    const rounds = values.rounds === undefined ? 1 : Number(values.rounds);
    if (!Number.isInteger(photos) || photos < 1 || !Number.isInteger(rounds) || rounds < 1) throw new Error('--reimport and --rounds take whole numbers of at least 1.');
    const { benchReimport } = await import('./bench-reimport.js');
    await benchReimport(photos, { baselineRev: values['baseline-rev'], rounds });
    return;
  }
  const limit = values.limit ? Number(values.limit) : null;
  const datasets = values.datasets!.split(',');
  if (values.child) {
    const photos = await listPhotos(datasets[0], limit);
    const maxSide = values['max-side'] ? Number(values['max-side']) : null;
    const result =
      values.child === 'familiar' ? await runFamiliar(photos, maxSide) : values.child === 'familiar-no-closer-look' ? await runFamiliar(photos, maxSide, false) : await runBaseline(photos);
    // Exit only once the pipe has taken the whole result (a full lfw_subset run writes ~400 KB; exiting at once
    // cut it short). Worker threads and wasm keep no state worth a graceful exit.
    process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
    await new Promise(() => {});
  }
  const targets: Record<string, number> = { compreface: 3, lfw_subset: 1.5 };
  const rows: string[] = [];
  for (const dataset of datasets) {
    console.log(`\n${dataset}${limit ? ` (${limit} photos)` : ''}:`);
    const familiar = await runChild('familiar', dataset, limit, values['max-side']);
    if (dataset === 'group-photos') {
      const without = await runChild('familiar-no-closer-look', dataset, limit, values['max-side']);
      const baselineGroups = values['familiar-only'] ? null : await runChild('baseline', dataset, limit, undefined);
      const total = GROUP_COUNT * PER_GROUP;
      for (const [name, r] of [['familiar', familiar], ['without closer look', without], ...(baselineGroups ? [['baseline', baselineGroups] as const] : [])] as const) {
        console.log(
          `  ${name.padEnd(20)} ${groupFacesFound(r)} of ${total} faces found (${r.faces} detections), ${(r.seconds / r.photos).toFixed(2)} s and ` +
            `${(r.cpuSeconds / r.photos).toFixed(2)} CPU s per photo, peak RSS ${r.peakRssMB.toFixed(0)} MB`,
        );
      }
      rows.push(`group-photos: ${groupFacesFound(familiar)} of ${total} faces with the closer look, ${groupFacesFound(without)} without`);
      continue;
    }
    const baseline = values['familiar-only'] ? null : await runChild('baseline', dataset, limit, undefined);
    if (!baseline) {
      console.log(`  familiar ${familiar.photos} photos, ${familiar.faces} faces, ${familiar.seconds.toFixed(1)} s, peak RSS ${familiar.peakRssMB.toFixed(0)} MB, ${familiar.cpuSeconds.toFixed(1)} CPU s`);
      continue;
    }
    for (const r of [familiar, baseline]) {
      console.log(
        `  ${r.side.padEnd(9)} ${r.backend}: ${r.photos} photos, ${r.faces} faces in ${r.seconds.toFixed(1)} s = ` +
          `${(r.photos / r.seconds).toFixed(2)} photos/s, ${(r.faces / r.seconds).toFixed(2)} faces/s, peak RSS ${r.peakRssMB.toFixed(0)} MB, ` +
          `${r.cpuSeconds.toFixed(1)} CPU s (${((1000 * r.cpuSeconds) / r.photos).toFixed(0)} ms/photo)` +
          (r.skipped ? `, ${r.skipped} skipped` : ''),
      );
    }
    const ratio = baseline.seconds / familiar.seconds;
    // On a machine other jobs keep busy the wall-clock ratio depends on how many cores each side got; CPU per photo
    // does not. With the cores to itself Familiar spreads its CPU over the pool's workers, the baseline cannot.
    const cpuRatio = baseline.cpuSeconds / familiar.cpuSeconds;
    console.log(`  load average during the run: ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores; CPU per photo: Familiar uses ${(1 / cpuRatio).toFixed(2)}x the baseline's`);
    const agree = agreement(familiar, baseline);
    const target = targets[dataset];
    console.log(
      `  speed-up ${ratio.toFixed(2)}x${target ? ` (target >= ${target}x: ${ratio >= target ? 'met' : 'NOT met'})` : ''}; ` +
        `detection agreement: ${agree.matched} faces found by both, ${agree.onlyA} only by Familiar, ${agree.onlyB} only by the baseline ` +
        `(${((100 * agree.matched) / Math.max(1, baseline.faces)).toFixed(1)}% of the baseline's)`,
    );
    rows.push(`${dataset}: ${ratio.toFixed(2)}x, Familiar peak RSS ${familiar.peakRssMB.toFixed(0)} MB (target < 1536 MB: ${familiar.peakRssMB < 1536 ? 'met' : 'NOT met'})`);
  }
  console.log(`\nSummary:\n  ${rows.join('\n  ')}`);
}

main().catch((err: unknown) => {
  console.error(`bench:import: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

// npm run bench:import -- --reimport N [--baseline-rev REV] [--rounds R]
//
// Importing a large library's folder again (docs/reliability.md, "Re-importing a large library"): a synthetic library
// of N photos (one face each, vectors and index in place, its folder watched) whose files are on disk (2 KB each, in
// folders of 1,000: never decoded, since nothing is analysed), imported again with `familiar import` as a user runs it:
//   - unchanged: every file as the library knows it (a no-op);
//   - touched: every file's date changed, its content the same (`touch`): each is read and hashed, none analysed;
//   - elsewhere: an empty folder imported, the library's photos all outside it: each looked for on disk at the end.
// Each is timed end to end (the CLI in a child process, start to exit), with the time to its first line of --json output
// (node and the CLI starting; the open too, where nothing is said of it), the longest silence between two lines after it
// (the exit included: what a user watching the bar waits through) and its peak RSS. The
// baseline is the same CLI at REV (default: the commit before re-imports were made fast), taken from git into a
// temporary folder, run alternately with this checkout's on copies of the same library, in the same run.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WATCHED_FOLDERS_KEY } from '../main/library/remove-folder.js';
import { Library } from '../main/store/library.js';
import type { FaceRecord, PhotoRecord } from '../main/store/types.js';
import { PIPELINE_VERSION } from '../models/pipeline.js';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The commit before re-imports were made fast: the baseline unless --baseline-rev says otherwise. */
export const REIMPORT_BASELINE_REV = '4e17e01';
const PER_FOLDER = 1000;
/** The files' dates: as the library knows them, and after the touch. */
export const KNOWN_MTIME = new Date('2024-05-01T12:00:00Z');
export const TOUCHED_MTIME = new Date('2024-06-01T12:00:00Z');
/** Prints the process's peak RSS on stderr as it exits (loaded into the CLI's process by --import). */
const PEAK_RSS_AT_EXIT = 'data:text/javascript,process.on("exit",()=>process.stderr.write("peak-rss-kb "+process.resourceUsage().maxRSS+"\\n"))';

interface Run {
  seconds: number;
  /** Until the first line of output: starting node and the CLI (tsx compiles it), and, before it said so, the open. */
  firstLine: number;
  /** The longest wait between two lines of output after the first (the last and the exit included), and what it followed. */
  silence: { seconds: number; after: string };
  peakRssMB: number;
  summary: { photos?: number; analysed?: number; type?: string };
}

const hex = (k: number, width: number) => k.toString(16).padStart(width, '0');

/**
 * `n` photo files under `work`/album (distinct 2 KB contents, dated KNOWN_MTIME, in folders of 1,000) and a library in
 * `work`/library that knows them all as they are, analysed by this pipeline, one face each, the album watched.
 */
export async function writeKnownAlbum(work: string, n: number): Promise<{ album: string; library: string; files: string[] }> {
  const album = join(work, 'album');
  const libraryDir = join(work, 'library');
  const files: string[] = [];
  const photos: PhotoRecord[] = [];
  const faces: FaceRecord[] = [];
  const landmarks = Array.from({ length: 68 }, (_, p) => [100.1 + p, 200.2 + (p % 17)]).flat();
  for (let r = 0; r < n; r++) {
    const folder = join(album, `folder-${hex(Math.floor(r / PER_FOLDER), 4)}`);
    if (r % PER_FOLDER === 0) await mkdir(folder, { recursive: true });
    const path = join(folder, `IMG_${hex(r, 6)}.jpg`);
    const bytes = Buffer.alloc(2048, r % 251);
    bytes.write(`familiar synthetic photo ${r}\n`);
    await writeFile(path, bytes);
    await utimes(path, KNOWN_MTIME, KNOWN_MTIME);
    files.push(path);
    const id = createHash('sha256').update(bytes).digest('hex');
    const faceId = `${id.slice(0, 16)}-0`;
    photos.push({
      id, paths: [path], missing: false, width: 4000, height: 3000, orientation: 1, takenAt: null, bytes: bytes.length, format: 'jpeg',
      analysis: { pipelineVersion: PIPELINE_VERSION, analysedAt: new Date(0).toISOString() }, faceIds: [faceId],
      fileStamps: { [path]: { size: bytes.length, mtimeMs: KNOWN_MTIME.getTime() } },
    });
    faces.push({
      id: faceId, photoId: id, box: [1200.5, 800.25, 310.75, 340.5], score: 0.99, landmarks: landmarks.slice(), vectorRow: r,
      personId: null, assignedBy: null, rejectedPersonIds: [], faceness: null, thumb: `thumbs/${faceId}.webp`, analysedSide: 180,
    });
  }
  const library = await Library.open(libraryDir);
  await library.appendVectors(Array.from({ length: n }, (_, r) => Float32Array.from({ length: library.info.backboneDim }, (_, d) => Math.sin(r * 0.37 + d))));
  await library.transaction((tx) => {
    tx.photos.push(...photos);
    tx.faces.push(...faces);
    tx.settings[WATCHED_FOLDERS_KEY] = [album];
  });
  await library.close();
  return { album, library: libraryDir, files };
}

/** Sets every file's date (untimed: what `touch` does, or undoing it). */
export async function dateFiles(files: readonly string[], when: Date): Promise<void> {
  for (let start = 0; start < files.length; start += 256) await Promise.all(files.slice(start, start + 256).map((f) => utimes(f, when, when)));
}

/** `familiar import <album> --json` from the checkout at `tree`, timed from start to exit. */
function importAgain(tree: string, album: string, library: string): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', PEAK_RSS_AT_EXIT, join(tree, 'main', 'cli', 'index.ts'), 'import', album, '--library', library, '--json'], {
      cwd: tree,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let last: number | null = null;
    let firstLine = NaN;
    let lastLine = '';
    let silence = { seconds: 0, after: '' };
    let summary: Run['summary'] = {};
    const heard = (line: string) => {
      const now = performance.now();
      if (last === null) firstLine = (now - started) / 1000;
      else if ((now - last) / 1000 > silence.seconds) silence = { seconds: (now - last) / 1000, after: lastLine };
      last = now;
      lastLine = line;
    };
    const what = (line: string) => {
      try {
        const value = JSON.parse(line) as { type?: string; stage?: string; message?: string };
        return value.type === 'progress' ? `${value.stage}${value.message ? `: ${value.message}` : ''}` : (value.type ?? line);
      } catch {
        return line;
      }
    };
    createInterface({ input: child.stdout }).on('line', (line) => {
      heard(what(line));
      if (line.startsWith('{"type":"summary"') || line.startsWith('{"type":"stopped"')) summary = JSON.parse(line) as Run['summary'];
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      heard('(exit)');
      const rss = /peak-rss-kb (\d+)/.exec(stderr);
      if (code !== 0) return reject(new Error(`familiar import exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      resolvePromise({ seconds: (performance.now() - started) / 1000, firstLine, silence, peakRssMB: rss ? Number(rss[1]) / 1024 : NaN, summary });
    });
  });
}

/** The CLI as it was at `rev`, in `dir` (git archive: the checkout is not touched); null with the reason when it cannot be had. */
export function baselineTree(rev: string, dir: string): string | null {
  try {
    const archive = execFileSync('git', ['archive', '--format=tar', rev, 'main', 'models', 'preload', 'package.json', 'tsconfig.json', 'tsconfig.base.json'], { cwd: repoRoot, maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    return null;
  } catch (err) {
    return `no baseline: git could not give ${rev} (${(err as Error).message.split('\n')[0]})`;
  }
}

export async function benchReimport(n: number, options: { baselineRev?: string; rounds?: number } = {}): Promise<void> {
  const rev = options.baselineRev ?? REIMPORT_BASELINE_REV;
  const work = await mkdtemp(join(tmpdir(), 'familiar-bench-reimport-'));
  try {
    const baseline = join(work, 'baseline');
    await mkdir(baseline);
    const noBaseline = baselineTree(rev, baseline);
    if (noBaseline === null) await symlink(join(repoRoot, 'node_modules'), join(baseline, 'node_modules'));
    console.log(`Building a library of ${n.toLocaleString('en')} photos with their files...`);
    const built = performance.now();
    const { album, library, files } = await writeKnownAlbum(work, n);
    console.log(`  built in ${((performance.now() - built) / 1000).toFixed(0)} s`);
    const trees: Array<[string, string]> = [['now', repoRoot], ...(noBaseline === null ? [[`baseline (${rev})`, baseline] as [string, string]] : [])];
    if (noBaseline !== null) console.log(`  ${noBaseline}`);
    const kinds = ['unchanged', 'touched', 'elsewhere'] as const;
    const results = new Map(trees.map(([name]) => [name, { unchanged: [] as Run[], touched: [] as Run[], elsewhere: [] as Run[] }]));
    const empty = join(work, 'empty');
    await mkdir(empty);
    const rounds = options.rounds ?? 1;
    for (let round = 0; round < rounds; round++) {
      // The baseline first in even rounds, last in odd ones: what the machine does meanwhile weighs on both alike.
      const order = round % 2 === 0 ? [...trees].reverse() : trees;
      for (const [name, tree] of order) {
        const copy = join(work, 'library-run');
        await rm(copy, { recursive: true, force: true });
        await cp(library, copy, { recursive: true });
        await dateFiles(files, KNOWN_MTIME);
        const unchanged = await importAgain(tree, album, copy);
        await dateFiles(files, TOUCHED_MTIME);
        const touched = await importAgain(tree, album, copy);
        const elsewhere = await importAgain(tree, empty, copy);
        const runs = { unchanged, touched, elsewhere };
        for (const kind of kinds) {
          const run = runs[kind];
          results.get(name)![kind].push(run);
          console.log(
            `  ${name}, ${kind}: ${run.seconds.toFixed(1)} s, first line after ${run.firstLine.toFixed(1)} s, then longest silence ` +
              `${run.silence.seconds.toFixed(1)} s (after "${run.silence.after.slice(0, 90)}"), ` +
              `peak RSS ${run.peakRssMB.toFixed(0)} MB, ${run.summary.photos ?? '?'} photos, ${run.summary.analysed ?? '?'} analysed`,
          );
        }
      }
    }
    console.log(`\nLoad average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores; ${rounds === 1 ? 'one round' : `the least and most of ${rounds} rounds`}:\n`);
    console.log(`| photos | CLI | ${kinds.map((kind) => `${kind}: time / first line / longest silence after it / peak RSS`).join(' | ')} |`);
    console.log('| --- | --- | --- | --- | --- |');
    /** A figure of the runs: its value, or its least and most ("8.1-8.9"). */
    const range = (runs: Run[], figure: (run: Run) => number, digits: number) => {
      const values = runs.map(figure).sort((a, b) => a - b);
      const [least, most] = [values[0].toFixed(digits), values[values.length - 1].toFixed(digits)];
      return least === most ? least : `${least}-${most}`;
    };
    const cell = (runs: Run[]) =>
      [(r: Run) => r.seconds, (r: Run) => r.firstLine, (r: Run) => r.silence.seconds].map((figure) => `${range(runs, figure, 1)} s`).join(' / ') +
      ` / ${range(runs, (r) => r.peakRssMB, 0)} MB`;
    for (const [name, runs] of results) console.log(`| ${n.toLocaleString('en')} | ${name} | ${kinds.map((kind) => cell(runs[kind])).join(' | ')} |`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

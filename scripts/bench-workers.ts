// npm run bench:workers [-- --baseline-rev REV] [--rounds R] [--photos N]
//
// What the analysis workers cost when little is to be analysed (docs/models.md, "Workers as work needs them"). Each
// worker costs seconds of CPU to start and ~370 MB while it lives. The pool used to start every worker at once and
// keep them for as long as the engine lived; it now starts one, another once photos wait, and none after a while idle.
//   - one photo: `familiar import --no-watch` of a folder holding one photo (what a photo copied into a watched folder
//     costs), into a new library: wall time, CPU time of the whole process (every thread), peak RSS;
//   - N photos (default 40 of lfw_subset): the same, to show a real import still gets every worker;
//   - idle: a pool that analysed six photos, then 5 s without work (idleMs 3 s where the pool knows it): its RSS.
// The baseline is the same code at REV (default: the commit before the change), taken from git into a temporary
// folder, run alternately with this checkout's in the same run.
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { baselineTree } from './bench-reimport.js';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const lfw = resolve(repoRoot, '..', 'shared', 'faces', 'lfw_subset');
/** The commit before the pool started workers as work needs them. */
const WORKERS_BASELINE_REV = '69801ad';
/** Prints the process's CPU time and peak RSS on stderr as it exits (loaded into the child by --import). */
const USAGE_AT_EXIT =
  'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("usage "+(u.userCPUTime+u.systemCPUTime)+" "+u.maxRSS+"\\n")})';

interface Usage {
  seconds: number;
  cpuSeconds: number;
  peakRssMB: number;
}

function run(tree: string, args: string[]): Promise<Usage & { stdout: string }> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', USAGE_AT_EXIT, ...args], { cwd: tree, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const usage = /usage (\d+) (\d+)/.exec(stderr);
      if (code !== 0 || !usage) return reject(new Error(`${args.join(' ')} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      resolvePromise({ seconds: (performance.now() - started) / 1000, cpuSeconds: Number(usage[1]) / 1e6, peakRssMB: Number(usage[2]) / 1024, stdout });
    });
  });
}

/** The first `n` lfw_subset photos, by person then file, copied into `dir`. */
async function album(dir: string, n: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const people = (await readdir(lfw, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('_')).map((d) => d.name).sort();
  let copied = 0;
  for (const person of people) {
    for (const file of (await readdir(join(lfw, person))).sort()) {
      if (copied === n) return;
      await copyFile(join(lfw, person, file), join(dir, file));
      copied++;
    }
  }
}

/** A child script: a pool of two analyses six photos, then waits 5 s without work; prints the RSS after each. */
const idleScript = (tree: string) => `
  const { AnalysisPool } = await import(${JSON.stringify(join(tree, 'main', 'jobs', 'analysis-pool.ts'))});
  const sharp = (await import('sharp')).default;
  const { readdir } = await import('node:fs/promises');
  const dir = ${JSON.stringify(join(lfw, 'Tony_Blair'))};
  const pool = await AnalysisPool.create({ size: 2, idleMs: 3000, growAfterMs: 1000 });
  const files = (await readdir(dir)).sort().slice(0, 6);
  await Promise.all(files.map(async (f) => {
    const { data, info } = await sharp(dir + '/' + f).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return pool.analyze({ data: new Uint8Array(data), width: info.width, height: info.height });
  }));
  const busy = process.memoryUsage().rss;
  await new Promise((r) => setTimeout(r, 5000));
  console.log(JSON.stringify({ busyMB: busy / 1e6, idleMB: process.memoryUsage().rss / 1e6 }));
  await pool.close();
`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'baseline-rev': { type: 'string' }, rounds: { type: 'string' }, photos: { type: 'string' } } });
  const rev = values['baseline-rev'] ?? WORKERS_BASELINE_REV;
  const rounds = Number(values.rounds ?? 3);
  const photos = Number(values.photos ?? 40);
  const work = await mkdtemp(join(tmpdir(), 'familiar-bench-workers-'));
  try {
    const baseline = join(work, 'baseline');
    await mkdir(baseline);
    const noBaseline = baselineTree(rev, baseline);
    if (noBaseline !== null) throw new Error(noBaseline);
    await symlink(join(repoRoot, 'node_modules'), join(baseline, 'node_modules'));
    await album(join(work, 'one'), 1);
    await album(join(work, 'many'), photos);
    const trees: Array<[string, string]> = [['now', repoRoot], [`baseline (${rev})`, baseline]];
    const cases = { one: 'one photo', many: `${photos} photos` } as const;
    const results = new Map(trees.map(([name]) => [name, { one: [] as Usage[], many: [] as Usage[], idle: [] as Array<{ busyMB: number; idleMB: number }> }]));
    console.log(`${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${rounds} rounds, in turns`);
    for (let round = 0; round < rounds; round++) {
      // The baseline first in even rounds, last in odd ones: what the machine does meanwhile weighs on both alike.
      for (const [name, tree] of round % 2 === 0 ? [...trees].reverse() : trees) {
        const kept = results.get(name)!;
        for (const kind of ['one', 'many'] as const) {
          const library = join(work, 'library');
          await rm(library, { recursive: true, force: true });
          kept[kind].push(await run(tree, [join(tree, 'main', 'cli', 'index.ts'), 'import', '--no-watch', join(work, kind), '--library', library, '--json']));
        }
        const idle = await run(tree, ['--input-type=module', '-e', idleScript(tree)]);
        kept.idle.push(JSON.parse(idle.stdout.trim().split('\n').at(-1)!) as { busyMB: number; idleMB: number });
      }
      console.log(`  round ${round + 1} of ${rounds} done, load ${loadavg()[0].toFixed(1)}`);
    }
    console.log('\nmedians: wall s / CPU s / peak RSS MB');
    for (const [name] of trees) {
      const kept = results.get(name)!;
      const line = (['one', 'many'] as const).map((kind) => {
        const runs = kept[kind];
        return `${cases[kind]}: ${median(runs.map((r) => r.seconds)).toFixed(1)} / ${median(runs.map((r) => r.cpuSeconds)).toFixed(1)} / ${median(runs.map((r) => r.peakRssMB)).toFixed(0)}`;
      });
      const idle = `a pool of two after six photos: ${median(kept.idle.map((r) => r.busyMB)).toFixed(0)} MB, 5 s idle: ${median(kept.idle.map((r) => r.idleMB)).toFixed(0)} MB`;
      console.log(`  ${name.padEnd(22)} ${line.join(' | ')} | ${idle}`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();

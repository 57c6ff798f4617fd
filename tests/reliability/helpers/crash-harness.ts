// Crash harness: runs a `familiar` job as a child process, SIGKILLs it at a seeded random point (after N output
// lines, or after T ms), reopens the library and checks everything that must survive a crash; after a chain of
// kills, an uninterrupted run must complete. Used by tests/reliability/crash.test.ts (a few kills) and by
// scripts/bench-reliability.ts (>= 50 per job).
import { spawn } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Library } from '../../../main/store/library.js';
import { invariantProblems, lostDecisions, seededRandom, type DecisionSnapshot } from './library-state.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr lines in arrival order. */
  lines: string[];
  stderr: string;
  ms: number;
  /** When the first output line arrived (ms after spawn): roughly where start-up ends and the job begins. */
  firstLineMs: number | null;
  /** True when the harness killed it (it had not exited by itself). */
  killed: boolean;
}

export type KillPoint = { after: 'lines'; lines: number } | { after: 'ms'; ms: number } | null;

/** Runs the CLI from the TypeScript sources (dist/ may be stale in a checkout), optionally killing it. */
export function runCli(args: string[], kill: KillPoint = null, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'main', 'cli', 'index.ts'), ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    const lines: string[] = [];
    let stderr = '';
    let killed = false;
    let exited = false;
    let firstLineMs: number | null = null;
    const killNow = () => {
      if (exited || killed) return;
      killed = true;
      child.kill('SIGKILL');
    };
    const onLine = (line: string) => {
      firstLineMs ??= performance.now() - started;
      lines.push(line);
      if (kill?.after === 'lines' && lines.length >= kill.lines) killNow();
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderr += line + '\n';
      onLine(line);
    });
    const timer = kill?.after === 'ms' ? setTimeout(killNow, kill.ms) : null;
    child.on('error', fail);
    child.on('exit', () => (exited = true));
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      done({ code, signal, lines, stderr, ms: performance.now() - started, firstLineMs, killed: killed && signal === 'SIGKILL' });
    });
  });
}

export interface CrashJob {
  /** For reports: "import", "recluster", "train embedder". */
  name: string;
  /** CLI arguments, given the library folder. */
  args: (libraryDir: string) => string[];
}

export interface CampaignOptions {
  job: CrashJob;
  /** A library to copy for each chain (never written). */
  seedLibrary: string;
  /** The decisions stored in the seed library: none may be lost. */
  decisions: DecisionSnapshot;
  /** Faces in the seed: a reopened library must hold at least as many (never silently emptied). */
  seedFaces: number;
  kills: number;
  /** Kills in a row on one library before an uninterrupted run must complete it. */
  killsPerChain: number;
  seed: number;
  workDir: string;
  /** Fixed kill points instead of seeded random ones (skips the reference run: a quick CI check). */
  points?: KillPoint[];
  onKill?: (outcome: KillOutcome) => void;
}

export interface KillOutcome {
  chain: number;
  point: KillPoint;
  /** The job had finished before the kill point was reached (still checked). */
  finishedFirst: boolean;
  problems: string[];
  lost: string[];
}

export interface CampaignResult {
  job: string;
  tried: number;
  /** Kill points after which the library opened with every invariant and every decision intact. */
  survived: number;
  /** Kill points the job reached before being killed (the rest finished first). */
  killedMidway: number;
  /** Decisions lost over all kill points (must be 0). */
  lost: number;
  chains: number;
  /** Uninterrupted runs after a chain that completed with exit code 0 and a consistent library. */
  completedAfter: number;
  problems: string[];
  /** Duration of the reference (uninterrupted) run, ms. */
  referenceMs: number;
}

async function checkLibrary(dir: string, options: Pick<CampaignOptions, 'decisions' | 'seedFaces'>): Promise<{ problems: string[]; lost: string[] }> {
  let library: Library;
  try {
    library = await Library.open(dir);
  } catch (err) {
    return { problems: [`the library does not open: ${(err as Error).message}`], lost: [] };
  }
  try {
    const problems = invariantProblems(library);
    if (library.faces.length < options.seedFaces) problems.push(`${library.faces.length} faces left of the ${options.seedFaces} stored before`);
    return { problems, lost: lostDecisions(options.decisions, library) };
  } finally {
    await library.close();
  }
}

/** Kills the job `kills` times at seeded random points (half after N output lines, half after T ms), checking after each. */
export async function runCrashCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const { job, workDir } = options;
  const random = seededRandom(options.seed);
  const result: CampaignResult = { job: job.name, tried: 0, survived: 0, killedMidway: 0, lost: 0, chains: 0, completedAfter: 0, problems: [], referenceMs: 0 };

  // Reference run on a copy: how long the job takes and how many lines it prints, to spread the kill points over.
  let reference: CliRun | null = null;
  if (!options.points) {
    const referenceDir = join(workDir, `${job.name.replace(/\W+/g, '-')}-reference`);
    await rm(referenceDir, { recursive: true, force: true });
    await cp(options.seedLibrary, referenceDir, { recursive: true });
    reference = await runCli(job.args(referenceDir));
    await rm(referenceDir, { recursive: true, force: true });
    if (reference.code !== 0) throw new Error(`The uninterrupted ${job.name} run failed (exit ${reference.code}): ${reference.stderr.trim()}`);
    result.referenceMs = reference.ms;
  }
  const lineCount = Math.max(1, reference?.lines.length ?? 1);
  const referenceMs = reference?.ms ?? 0;

  let chain = 0;
  while (result.tried < options.kills) {
    chain++;
    const dir = join(workDir, `${job.name.replace(/\W+/g, '-')}-chain-${chain}`);
    await rm(dir, { recursive: true, force: true });
    await cp(options.seedLibrary, dir, { recursive: true });
    const inChain = Math.min(options.killsPerChain, options.kills - result.tried);
    for (let k = 0; k < inChain; k++) {
      // A third after N output lines (anywhere in the output), a third at a time inside the job (from its first
      // output line to the end of the reference run), a third at any time (start-up, opening the library, the job).
      const jobStart = Math.min(reference?.firstLineMs ?? 0, referenceMs);
      const r = random();
      const point: KillPoint = options.points
        ? options.points[result.tried % options.points.length]
        : r < 1 / 3
          ? { after: 'lines', lines: 1 + Math.floor(random() * lineCount) }
          : r < 2 / 3
            ? { after: 'ms', ms: Math.round(jobStart * 0.9 + (referenceMs - jobStart * 0.9) * random()) }
            : { after: 'ms', ms: Math.round(referenceMs * (0.1 + 0.95 * random())) };
      const run = await runCli(job.args(dir), point);
      const { problems, lost } = await checkLibrary(dir, options);
      if (!run.killed && run.code !== 0) problems.push(`the run ended by itself with exit code ${run.code}: ${run.stderr.trim().slice(0, 300)}`);
      result.tried++;
      if (run.killed) result.killedMidway++;
      if (problems.length === 0 && lost.length === 0) result.survived++;
      result.lost += lost.length;
      const outcome: KillOutcome = { chain, point, finishedFirst: !run.killed, problems, lost };
      for (const p of [...problems, ...lost]) result.problems.push(`${job.name} chain ${chain}, kill ${JSON.stringify(point)}: ${p}`);
      options.onKill?.(outcome);
    }
    // The interrupted job restarts cleanly and completes.
    const final = await runCli(job.args(dir));
    const { problems, lost } = await checkLibrary(dir, options);
    if (final.code !== 0) problems.push(`the uninterrupted run after the kills failed (exit ${final.code}): ${final.stderr.trim().slice(0, 300)}`);
    result.chains++;
    result.lost += lost.length;
    if (problems.length === 0 && lost.length === 0) result.completedAfter++;
    for (const p of [...problems, ...lost]) result.problems.push(`${job.name} chain ${chain}, final run: ${p}`);
    await rm(dir, { recursive: true, force: true });
  }
  return result;
}

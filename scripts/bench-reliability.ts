// `npm run bench:reliability [-- --kills 50 --jobs import,recluster,train --mutants 6 --seed 1]`
// The reliability figures of issue 7: SIGKILL points survived per job (import, recluster, train embedder),
// fuzz files tried / crashes / hangs, damaged-library cases repaired / tried, and records (user decisions) lost,
// which must be 0. Uses the harnesses of tests/reliability/helpers; everything runs in a temp folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCrashCampaign, type CampaignResult } from '../tests/reliability/helpers/crash-harness.js';
import { importSeed, reclusterSeed, sharedFaces, trainSeed, type CrashSeed } from '../tests/reliability/helpers/crash-seeds.js';
import { DAMAGE_CASES, makeDamageBase, runDamageCase } from '../tests/reliability/helpers/damage-cases.js';
import { generateFuzzCorpus } from '../tests/reliability/helpers/fuzz-corpus.js';
import { decodeCorpus, importCorpus } from '../tests/reliability/helpers/fuzz-run.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '50' },
    'kills-per-chain': { type: 'string', default: '5' },
    jobs: { type: 'string', default: 'import,recluster,train' },
    mutants: { type: 'string', default: '6' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const kills = Number(values.kills);
const killsPerChain = Number(values['kills-per-chain']);
const seed = Number(values.seed);
const mutants = Number(values.mutants);
const jobs = new Set(values.jobs.split(',').map((j) => j.trim()));
for (const [flag, n] of [['--kills', kills], ['--kills-per-chain', killsPerChain], ['--mutants', mutants]] as const) {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a whole number >= 0.`);
}

const log = (line: string) => process.stdout.write(line + '\n');
const work = await mkdtemp(join(tmpdir(), 'familiar-bench-reliability-'));
const started = performance.now();
let recordsLost = 0;
const failures: string[] = [];

try {
  // ------------------------------------------------------------------ 1. kill points
  const seeds: Array<[string, (dir: string) => Promise<CrashSeed>]> = [
    ['import', importSeed],
    ['recluster', reclusterSeed],
    ['train', (dir) => trainSeed(dir)],
  ];
  const campaigns: CampaignResult[] = [];
  for (const [name, makeSeed] of seeds) {
    if (!jobs.has(name) || kills === 0) continue;
    const crashSeed = await makeSeed(join(work, name));
    log(`kill points: ${crashSeed.job.name} — ${kills} SIGKILLs, ${killsPerChain} per chain before an uninterrupted run`);
    let n = 0;
    const result = await runCrashCampaign({
      job: crashSeed.job,
      seedLibrary: crashSeed.library,
      decisions: crashSeed.decisions,
      seedFaces: crashSeed.faces,
      kills,
      killsPerChain,
      seed: seed * 1000 + campaigns.length,
      workDir: join(work, name),
      onKill: (outcome) => {
        n++;
        const where = outcome.point?.after === 'lines' ? `after ${outcome.point.lines} lines` : `after ${outcome.point?.after === 'ms' ? outcome.point.ms : '?'} ms`;
        const state = outcome.problems.length + outcome.lost.length ? `FAILED: ${[...outcome.problems, ...outcome.lost].join('; ')}` : outcome.finishedFirst ? 'finished before the kill; ok' : 'ok';
        if (n % 10 === 0 || state.startsWith('FAILED')) log(`  ${String(n).padStart(3)} ${where}: ${state}`);
      },
    });
    campaigns.push(result);
    recordsLost += result.lost;
    failures.push(...result.problems);
    log(
      `  ${result.job}: survived ${result.survived}/${result.tried} kill points (${result.killedMidway} killed mid-run), ` +
        `${result.completedAfter}/${result.chains} uninterrupted re-runs completed, reference run ${(result.referenceMs / 1000).toFixed(1)} s, decisions lost ${result.lost}`,
    );
  }

  // ------------------------------------------------------------------ 3. fuzz corpus
  const corpusDir = join(work, 'fuzz', 'album');
  const corpus = await generateFuzzCorpus(corpusDir, {
    seed,
    mutantsPerKind: mutants,
    goodPhotos: [join(sharedFaces, 'face_recognition', 'obama', 'obama_small.jpg'), join(sharedFaces, 'face_recognition', 'biden', 'biden.jpg')],
  });
  log(`fuzz: ${corpus.length} files (seed ${seed}, ${mutants} mutants per kind and format)`);
  const decoded = await decodeCorpus(corpus, { hangSeconds: 90 });
  log(
    `  decoded alone: ${decoded.tried} tried, ${decoded.decoded} decoded, ${decoded.refused.size} refused with a reason, ` +
      `${decoded.crashes.length} crashes, ${decoded.hangs.length} hangs; slowest ${decoded.slowestSeconds.toFixed(2)} s, peak RSS growth ${decoded.peakRssGrowthMb.toFixed(0)} MB`,
  );
  failures.push(...decoded.crashes.map((c) => `fuzz crash: ${c}`), ...decoded.hangs.map((h) => `fuzz hang: ${h}`));
  const imported = await importCorpus(corpus, corpusDir, join(work, 'fuzz', 'library'), { hangSeconds: 600 });
  log(
    `  familiar import: ${imported.crashed ? 'CRASHED' : imported.hung ? 'HUNG' : 'completed'}, ${imported.photos} photos, ` +
      `${imported.skipped.length} skipped with a reason, ${imported.unaccounted.length} unaccounted for`,
  );
  failures.push(...imported.problems, ...imported.unaccounted.map((u) => `fuzz file neither imported nor skipped: ${u}`));

  // ------------------------------------------------------------------ 2. damaged libraries
  const base = await makeDamageBase(join(work, 'damage'));
  let repaired = 0;
  for (const c of DAMAGE_CASES) {
    const outcome = await runDamageCase(base, c, join(work, 'damage'));
    recordsLost += outcome.lost;
    if (outcome.ok) repaired++;
    else failures.push(...outcome.problems.map((p) => `damage "${c.name}": ${p}`));
    log(`  ${outcome.ok ? 'ok  ' : 'FAIL'} ${c.name}${outcome.report[0] ? ` — ${outcome.report[0].slice(0, 140)}` : ''}`);
  }

  // ------------------------------------------------------------------ 7. figures
  const seconds = (performance.now() - started) / 1000;
  log('');
  log('== reliability figures ==');
  for (const c of campaigns) log(`kill points survived / tried (${c.job}): ${c.survived} / ${c.tried}`);
  const totalSurvived = campaigns.reduce((n, c) => n + c.survived, 0);
  const totalTried = campaigns.reduce((n, c) => n + c.tried, 0);
  log(`kill points survived / tried (all): ${totalSurvived} / ${totalTried}`);
  log(`fuzz files tried / crashes / hangs: ${corpus.length} / ${decoded.crashes.length + (imported.crashed ? 1 : 0)} / ${decoded.hangs.length + (imported.hung ? 1 : 0)}`);
  log(`damaged-library cases repaired or refused as specified / tried: ${repaired} / ${DAMAGE_CASES.length}`);
  log(`records lost: ${recordsLost}`);
  log(`(${seconds.toFixed(0)} s; node ${process.version})`);
  if (failures.length) {
    log('');
    log(`${failures.length} problem(s):`);
    for (const f of failures.slice(0, 50)) log(`  ${f}`);
  }
  process.exitCode = failures.length || recordsLost ? 1 : 0;
} finally {
  if (!values.keep) await rm(work, { recursive: true, force: true });
  else log(`kept ${work}`);
}

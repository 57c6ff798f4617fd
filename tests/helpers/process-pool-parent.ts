// A process that starts an analysis pool of two worker processes (the stand-in worker), prints their pids once both
// answered, then waits to be killed: tests/main/jobs/analysis-pool.test.ts checks its workers do not outlive it. On
// Ctrl-C it does as the CLI does, finishing what is in flight, and says whether its workers were still there for it.
import { execFileSync } from 'node:child_process';
import { AnalysisPool } from '../../main/jobs/analysis-pool.js';

const entry = new URL('./crashing-analysis-worker.ts', import.meta.url);
const pool = await AnalysisPool.create({ size: 2, entry, processes: true, growAfterMs: 0 });
await Promise.all(Array.from({ length: 20 }, (_, i) => pool.analyze({ data: new Uint8Array(8 * 8 * 3).fill(i), width: 8, height: 8 })));
const children = () =>
  execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('worker-process'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
// Photos in flight when Ctrl-C comes: the stand-in takes a second over each 17 pixels wide.
let running: Promise<unknown>[] = [];
process.on('SIGINT', () => {
  void Promise.allSettled(running).then((outcomes) => {
    const failed = outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason));
    process.stdout.write(`${JSON.stringify({ afterCtrlC: { failed, workers: pool.workers, children: children() } })}\n`);
  });
});
process.stdout.write(`${JSON.stringify({ workers: pool.workers, children: children() })}\n`);
process.stdin.once('data', () => {
  running = Array.from({ length: 4 }, (_, i) => pool.analyze({ data: new Uint8Array(17 * 4 * 3).fill(i), width: 17, height: 4 }));
  process.stdout.write(`${JSON.stringify({ inFlight: running.length })}\n`);
});
setInterval(() => {}, 1_000);

// A process that starts an analysis pool of two worker processes (the stand-in worker), prints their pids once both
// answered, then waits to be killed: tests/main/jobs/analysis-pool.test.ts checks its workers do not outlive it.
import { execFileSync } from 'node:child_process';
import { AnalysisPool } from '../../main/jobs/analysis-pool.js';

const entry = new URL('./crashing-analysis-worker.ts', import.meta.url);
const pool = await AnalysisPool.create({ size: 2, entry, processes: true, growAfterMs: 0 });
await Promise.all(Array.from({ length: 20 }, (_, i) => pool.analyze({ data: new Uint8Array(8 * 8 * 3).fill(i), width: 8, height: 8 })));
const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
  .split('\n')
  .filter((line) => line.includes('worker-process'))
  .map((line) => Number(line.trim().split(/\s+/)[0]));
process.stdout.write(`${JSON.stringify({ workers: pool.workers, children })}\n`);
setInterval(() => {}, 1_000);

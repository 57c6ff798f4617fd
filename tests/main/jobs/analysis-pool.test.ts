import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { CROP_SIZE } from '../../../models/pipeline.js';
import type { RgbImage } from '../../../models/types.js';
import { decodeImage, sharedFacesDir } from '../../helpers/shared-faces.js';

const image = (width: number, height: number, fill = 0): RgbImage => ({ data: new Uint8Array(width * height * 3).fill(fill), width, height });

describe('AnalysisPool with the real analysis worker', () => {
  let pool: AnalysisPool;
  beforeAll(async () => {
    pool = await AnalysisPool.create({ size: 1 });
  });
  afterAll(() => pool?.close());

  it('analyses a photo in the worker and transfers the pixels instead of copying them', async () => {
    const { image: decoded } = await decodeImage(join(sharedFacesDir(), 'lfw_subset', 'Alejandro_Toledo', 'Alejandro_Toledo_0001.jpg'));
    // sharp hands out externally allocated buffers, which Node copies even when asked to transfer them;
    // a buffer allocated by JS is moved.
    const photo = { ...decoded, data: new Uint8Array(decoded.data) };
    const faces = await pool.analyze(photo);
    expect(photo.data.byteLength).toBe(0); // detached: it went to the worker, not copied
    expect(faces.length).toBeGreaterThanOrEqual(1);
    const face = faces[0];
    expect(face.descriptor).toBeInstanceOf(Float32Array);
    expect(face.descriptor.length).toBe(128);
    expect(face.crop.data.length).toBe(CROP_SIZE * CROP_SIZE * 3);
    expect(face.landmarks).toHaveLength(68);
    expect(pool.backend.name).not.toBe('cpu');
  });

  it('rejects a malformed image with a clear error and keeps working', async () => {
    await expect(pool.analyze({ data: new Uint8Array(10), width: 100_000, height: 100_000 })).rejects.toThrow(/downscale/);
    await expect(pool.analyze({ data: new Uint8Array(10), width: 4, height: 4 })).rejects.toThrow(/RGB bytes/);
    expect(await pool.analyze(image(64, 64, 128))).toEqual([]);
  });
});

describe('AnalysisPool with the real analysis worker in child processes', () => {
  it('finds the same faces as in a thread, and a bad image fails alone', async () => {
    const file = join(sharedFacesDir(), 'lfw_subset', 'Alejandro_Toledo', 'Alejandro_Toledo_0001.jpg');
    // One backend for both, the same where tfjs-node is installed (the process would run on it, the thread not):
    // this compares how a worker runs, not two backends' arithmetic. Workers copy the environment as they start.
    const backendBefore = process.env.FAMILIAR_BACKEND;
    process.env.FAMILIAR_BACKEND = 'wasm';
    const inThread = await AnalysisPool.create({ size: 1 });
    const inProcess = await AnalysisPool.create({ size: 1, processes: true });
    if (backendBefore === undefined) delete process.env.FAMILIAR_BACKEND;
    else process.env.FAMILIAR_BACKEND = backendBefore;
    try {
      expect([inThread.processes, inProcess.processes]).toEqual([false, true]);
      const [a, b] = await Promise.all([inThread, inProcess].map(async (pool) => pool.analyze((await decodeImage(file)).image)));
      expect(b.length).toBe(a.length);
      expect(b.length).toBeGreaterThanOrEqual(1);
      expect(b[0].descriptor).toBeInstanceOf(Float32Array);
      expect(b[0].box).toEqual(a[0].box);
      expect(Array.from(b[0].descriptor)).toEqual(Array.from(a[0].descriptor));
      // Each owns its memory, as in a thread: a kept descriptor must not hold the whole reply alive.
      for (const face of b) {
        expect([face.descriptor.byteOffset, face.descriptor.buffer.byteLength]).toEqual([0, 128 * 4]);
        expect([face.crop.data.byteOffset, face.crop.data.buffer.byteLength]).toEqual([0, CROP_SIZE * CROP_SIZE * 3]);
      }
      expect(Array.from(b[0].crop.data)).toEqual(Array.from(a[0].crop.data));
      expect(inProcess.backend).toEqual(inThread.backend);
      await expect(inProcess.analyze({ data: new Uint8Array(10), width: 4, height: 4 })).rejects.toThrow(/RGB bytes/);
      expect(await inProcess.analyze(image(64, 64, 128))).toEqual([]);
    } finally {
      await Promise.all([inThread.close(), inProcess.close()]);
    }
  });
});

// Threads here; child processes where tfjs-node may load (it serves only a process's main thread).
describe.each([
  { kind: 'threads', processes: false },
  { kind: 'child processes', processes: true },
])('AnalysisPool crash handling, workers in $kind', ({ processes }) => {
  const entry = new URL('../../helpers/crashing-analysis-worker.ts', import.meta.url);

  it('fails only the task whose worker died, replaces the worker and finishes the rest', async () => {
    const pool = await AnalysisPool.create({ size: 2, entry, processes });
    try {
      const tasks = [image(20, 20, 10), image(13, 5), image(20, 20, 30), image(14, 5), image(20, 20, 50), image(20, 20, 70)].map((img) =>
        pool.analyze(img).then(
          (faces) => ({ ok: true as const, score: faces[0].score }),
          (err: Error) => ({ ok: false as const, message: err.message }),
        ),
      );
      const results = await Promise.all(tasks);
      expect(results.map((r) => r.ok)).toEqual([true, false, true, false, true, true]);
      expect(results[1]).toMatchObject({ message: expect.stringMatching(/exited unexpectedly \(code 3\)/) });
      expect(results[3]).toMatchObject({ message: expect.stringMatching(/crashed: simulated failure/) });
      // A worker that says why it gives up before it exits: the task fails with its reason, not a bare exit code.
      await expect(pool.analyze(image(15, 5))).rejects.toThrow(/^simulated model failure$/);
      expect(results.filter((r) => r.ok).map((r) => (r.ok ? Math.round(r.score * 255) : 0))).toEqual([10, 30, 50, 70]);
      // The pool is back to full strength and still serves.
      const again = await Promise.all([pool.analyze(image(8, 8, 1)), pool.analyze(image(8, 8, 2))]);
      expect(again.map((f) => f.length)).toEqual([1, 1]);
    } finally {
      await pool.close();
    }
  });

  it('starts one worker for a photo or two, a second once photos wait, and none after a while without work', async () => {
    // A worker costs seconds of CPU to start and ~370 MB while it lives: only work that waits is worth another.
    const pool = await AnalysisPool.create({ size: 2, entry, processes, growAfterMs: 400, idleMs: 300 });
    try {
      expect(pool.workers).toBe(1);
      expect((await Promise.all([pool.analyze(image(8, 8, 1)), pool.analyze(image(8, 8, 2))])).map((f) => f.length)).toEqual([1, 1]);
      expect(pool.workers).toBe(1);
      // Sixty photos of 20 ms each wait far longer than 400 ms for the one worker.
      let most = 0;
      const many = Array.from({ length: 60 }, (_, i) => pool.analyze(image(8, 8, i)).finally(() => (most = Math.max(most, pool.workers))));
      expect((await Promise.all(many)).every((faces) => faces.length === 1)).toBe(true);
      expect(most).toBe(2);
      // Idle: every worker stops; the next photo starts one again and is analysed as before.
      await expect.poll(() => pool.workers, { timeout: 5_000, interval: 50 }).toBe(0);
      expect(await pool.analyze(image(8, 8, 99))).toHaveLength(1);
      expect(pool.workers).toBe(1);
      expect(pool.backend.name).toBe('cpu');
    } finally {
      await pool.close();
    }
  });

  it('carry on with the worker they have when one started to help cannot start, and try no more', async () => {
    // A second worker process forked in the instant of a Ctrl-C dies of it before it is ready; the photos waiting
    // were failed with it (QA), though the first worker was there to analyse them.
    const pool = await AnalysisPool.create({ size: 2, entry, processes, growAfterMs: 100 });
    const starts = join(mkdtempSync(join(tmpdir(), 'familiar-pool-')), 'failed-starts');
    process.env.FAMILIAR_TEST_FAILED_STARTS = starts; // workers copy the environment as they start: the next one fails
    try {
      // Photos of a second each wait long enough for a second worker to be started, twice over.
      const faces = await Promise.all(Array.from({ length: 4 }, (_, i) => pool.analyze(image(17, 4, i))));
      expect(faces.map((found) => found.length)).toEqual([1, 1, 1, 1]);
      expect(pool.workers).toBe(1);
      expect(readFileSync(starts, 'utf8')).toBe('start\n'); // one failed start, not one for every photo that waited
    } finally {
      delete process.env.FAMILIAR_TEST_FAILED_STARTS;
      await pool.close();
    }
  });

  it('start from the TypeScript sources with the working directory elsewhere (a script run from another folder)', async () => {
    // tsx is found from the pool's module, not the working directory (QA: only "exited unexpectedly (code 1)").
    const script = `
      const { AnalysisPool } = await import(${JSON.stringify(new URL('../../../main/jobs/analysis-pool.ts', import.meta.url).href)});
      const pool = await AnalysisPool.create({ size: 1, entry: new URL(${JSON.stringify(entry.href)}), processes: ${processes} });
      const faces = await pool.analyze({ data: new Uint8Array(8 * 8 * 3), width: 8, height: 8 });
      await pool.close();
      console.log(JSON.stringify({ faces: faces.length }));`;
    const out = execFileSync(process.execPath, ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', script], { cwd: tmpdir(), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ faces: 1 });
  });

  it('rejects waiting tasks on close and refuses new ones', async () => {
    const pool = await AnalysisPool.create({ size: 1, entry, processes });
    const outcome = (p: Promise<unknown>) => p.then(() => 'resolved', (err: Error) => err.message);
    const running = outcome(pool.analyze(image(8, 8)));
    const waiting = outcome(pool.analyze(image(8, 8)));
    await pool.close();
    expect(await running).toMatch(/closed/);
    expect(await waiting).toMatch(/closed/);
    await expect(pool.analyze(image(8, 8))).rejects.toThrow(/closed/);
  });

  it('copies a pixel buffer it does not own whole (a view into a larger buffer)', async () => {
    const pool = await AnalysisPool.create({ size: 1, entry, processes });
    try {
      const backing = new Uint8Array(1000).fill(200);
      const view = backing.subarray(100, 100 + 4 * 4 * 3);
      const faces = await pool.analyze({ data: view, width: 4, height: 4 });
      expect(Math.round(faces[0].score * 255)).toBe(200);
      expect(backing.byteLength).toBe(1000);
    } finally {
      await pool.close();
    }
  });
});

describe('AnalysisPool worker processes', () => {
  const entry = new URL('../../helpers/crashing-analysis-worker.ts', import.meta.url);
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const workerProcesses = () =>
    execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes('worker-process'))
      .map((line) => Number(line.trim().split(/\s+/)[0]));

  it('finish the photos in flight on Ctrl-C, and stop with the process that started them when it is killed', async () => {
    // Its own process group, as a terminal's foreground job is: Ctrl-C goes to every process in it.
    const parent = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../helpers/process-pool-parent.ts', import.meta.url))], {
      stdio: ['pipe', 'pipe', 'inherit'],
      detached: true,
    });
    const lines: string[] = [];
    let partial = '';
    parent.stdout.on('data', (chunk: Buffer) => {
      partial += chunk.toString();
      const parts = partial.split('\n');
      partial = parts.pop()!;
      lines.push(...parts);
    });
    const nextLine = async (index: number) => {
      await expect.poll(() => lines.length > index || parent.exitCode !== null, { timeout: 60_000, interval: 50 }).toBe(true);
      if (lines.length <= index) throw new Error(`the parent exited early (code ${parent.exitCode})`);
      return JSON.parse(lines[index]) as Record<string, unknown>;
    };
    try {
      const { workers, children } = (await nextLine(0)) as { workers: number; children: number[] };
      expect(workers).toBe(2);
      expect(children).toHaveLength(2);
      expect(children.every(alive)).toBe(true);
      parent.stdin.write('go\n');
      expect(await nextLine(1)).toEqual({ inFlight: 4 });
      process.kill(-parent.pid!, 'SIGINT');
      // The workers (a group of their own) leave it to their parent: the photos in flight finish, on the same two.
      expect(await nextLine(2)).toEqual({ afterCtrlC: { failed: [], workers: 2, children } });
      // SIGKILL: no handler of the parent runs; its workers see their channel close and exit on their own.
      parent.kill('SIGKILL');
      await expect.poll(() => children.filter(alive), { timeout: 10_000, interval: 100 }).toEqual([]);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('are gone once the pool is closed', async () => {
    const pool = await AnalysisPool.create({ size: 1, entry, processes: true });
    expect(await pool.analyze(image(8, 8, 5))).toHaveLength(1);
    expect(workerProcesses()).toHaveLength(1);
    await pool.close();
    expect(workerProcesses()).toEqual([]);
  });

  it('say a worker was killed by a signal, by its name', async () => {
    const pool = await AnalysisPool.create({ size: 1, entry, processes: true });
    try {
      const hanging = pool.analyze(image(16, 4)).then(
        () => 'resolved',
        (err: Error) => err.message,
      );
      const [pid] = workerProcesses();
      // As the kernel's out-of-memory killer would.
      process.kill(pid, 'SIGKILL');
      expect(await hanging).toBe('The face analysis worker crashed: it was killed by SIGKILL');
      expect(await pool.analyze(image(8, 8, 5))).toHaveLength(1);
    } finally {
      await pool.close();
    }
  });

  it('are chosen, or not, by FAMILIAR_ANALYSIS_WORKERS, which must say which', async () => {
    const before = process.env.FAMILIAR_ANALYSIS_WORKERS;
    try {
      for (const [asked, processes] of [['processes', true], ['threads', false]] as const) {
        process.env.FAMILIAR_ANALYSIS_WORKERS = asked;
        const pool = await AnalysisPool.create({ size: 1, entry });
        expect(pool.processes).toBe(processes);
        expect(workerProcesses()).toHaveLength(processes ? 1 : 0);
        await pool.close();
      }
      process.env.FAMILIAR_ANALYSIS_WORKERS = 'process';
      await expect(AnalysisPool.create({ size: 1, entry })).rejects.toThrow('FAMILIAR_ANALYSIS_WORKERS must be "processes" or "threads", not "process".');
    } finally {
      if (before === undefined) delete process.env.FAMILIAR_ANALYSIS_WORKERS;
      else process.env.FAMILIAR_ANALYSIS_WORKERS = before;
    }
  });

  it('give way to threads once one runs on another backend than native TensorFlow', async () => {
    // tfjs-node installed but its library not loading: a process would only copy every photo for nothing.
    const pool = await AnalysisPool.create({ size: 2, entry, processes: 'while-native', growAfterMs: 0 });
    try {
      expect(pool.backend.name).toBe('cpu');
      expect(pool.processes).toBe(false);
      await Promise.all(Array.from({ length: 20 }, (_, i) => pool.analyze(image(8, 8, i))));
      expect(pool.workers).toBe(2);
      expect(workerProcesses()).toHaveLength(1);
    } finally {
      await pool.close();
    }
  });
});

// Damaged library files (issue 7, point 2): every case is detected on open, repaired from the other parts and the
// last good backup, reported (read-only opens — `familiar doctor` — report it and change nothing), with every
// face and decision kept; a newer schema or a document lost together with its backup is refused, unchanged.
import { mkdtemp, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/crash-harness.js';
import { DAMAGE_CASES, makeDamageBase, runDamageCase, treeDigest, type DamageBase } from './helpers/damage-cases.js';

let work: string;
let base: DamageBase;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-reliability-damage-'));
  base = await makeDamageBase(work);
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a damaged library on open', () => {
  it.each(DAMAGE_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const outcome = await runDamageCase(base, c, work);
    expect(outcome.problems).toEqual([]);
    expect(outcome.lost).toBe(0);
    expect(outcome.report.length).toBeGreaterThan(0);
  });

  it('a writing command repairs the library and says what it repaired', async () => {
    const dir = join(work, 'recluster');
    const { cp } = await import('node:fs/promises');
    await cp(base.dir, dir, { recursive: true });
    await truncate(join(dir, 'people.json'), 20);
    const run = await runCli(['recluster', '--library', dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^familiar: repaired people\.json: not valid JSON.*; restored from the last good copy in backups\/people\.json\.$/m);
  }, 60_000);

  it('familiar doctor shows the problem and leaves the library as it was', async () => {
    const dir = join(work, 'doctor');
    const { cp } = await import('node:fs/promises');
    await cp(base.dir, dir, { recursive: true });
    await truncate(join(dir, 'faces.json'), 10);
    const before = await treeDigest(dir);
    const run = await runCli(['doctor', '--json', '--library', dir]);
    const report = JSON.parse(run.lines.join('\n')) as { library: { repairs: Array<{ part: string; action: string }>; counts: { faces: number } } };
    expect(report.library.repairs).toContainEqual(expect.objectContaining({ part: 'faces.json', action: expect.stringMatching(/restored from the last good copy/) }));
    expect(report.library.counts.faces).toBe(base.faces);
    expect(await treeDigest(dir)).toEqual(before);
  }, 60_000);
});

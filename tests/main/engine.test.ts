// The engine's own reports: what face analysis runs on is known only once its pool has started, and then is the
// pool's (Settings corrects the engine thread's guess with it: models/backend.ts, withAnalysisBackend).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../main/engine.js';

const work = mkdtempSync(join(tmpdir(), 'familiar-engine-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('Engine.analysisBackend', () => {
  it('is unknown until the analysis pool starts, then says what its workers run on and why', async () => {
    const engine = await Engine.open(join(work, 'library'));
    try {
      expect(engine.analysisBackend).toBeNull();
      const pool = await engine.analyzer();
      await expect(pool.analyze({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 3) })).resolves.toEqual([]);
      const backend = engine.analysisBackend;
      expect(backend).not.toBeNull();
      expect(['wasm', 'tensorflow']).toContain(backend?.name);
      expect(backend?.reason.length).toBeGreaterThan(20);
    } finally {
      await engine.close();
    }
  }, 120_000);
});

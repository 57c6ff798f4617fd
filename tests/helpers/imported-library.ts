// A library imported through the real engine and analysis pool, for a test file's lifetime: `beforeAll` imports the
// given photos and folders of ../shared/faces (read in place: nothing is written beside them), `afterAll` closes the
// engine and the pool and removes the library.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Engine } from '../../main/engine.js';
import { AnalysisPool } from '../../main/jobs/analysis-pool.js';
import type { Library } from '../../main/store/library.js';
import { sharedFacesDir } from './shared-faces.js';

export interface ImportedLibrary {
  engine(): Engine;
  library(): Library;
}

/** `paths` are relative to ../shared/faces. */
export function importedLibrary(name: string, paths: readonly string[]): ImportedLibrary {
  let pool: AnalysisPool | undefined;
  let work: string | undefined;
  let engine: Engine | undefined;
  beforeAll(async () => {
    pool = await AnalysisPool.create({ size: 2 });
    work = await mkdtemp(join(tmpdir(), `familiar-${name}-`));
    engine = await Engine.open(join(work, 'library'), { analyzer: pool });
    await engine.import(paths.map((p) => join(sharedFacesDir(), p)));
  }, 600_000);
  afterAll(async () => {
    await engine?.close();
    await pool?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });
  return { engine: () => engine!, library: () => engine!.library };
}

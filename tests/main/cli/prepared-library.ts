// A library the CLI tests run commands on: made in a temporary folder before the file's tests by the real engine (the
// run's cached analyses, tests/helpers/analysis-cache.ts), then closed, as the CLI opens it itself (single-writer
// lock); removed after them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';

export interface PreparedLibrary {
  /** The library folder (`--library`). */
  readonly dir: string;
  /** The temporary folder holding it, for albums beside it. */
  readonly work: string;
}

/** `prepare` imports and decides on the engine of a new library in `work`/library; set once the file's tests start. */
export function preparedLibrary(name: string, prepare: (engine: Engine, work: string) => Promise<void>): PreparedLibrary {
  const prepared = { dir: '', work: '' };
  beforeAll(async () => {
    prepared.work = await mkdtemp(join(tmpdir(), `familiar-${name}-`));
    prepared.dir = join(prepared.work, 'library');
    const pool = new CachedAnalysis(2);
    const engine = await Engine.open(prepared.dir, { analyzer: pool });
    try {
      await prepare(engine, prepared.work);
    } finally {
      await engine.close();
      await pool.close();
    }
  }, 600_000);
  afterAll(async () => {
    if (prepared.work) await rm(prepared.work, { recursive: true, force: true });
  });
  return prepared;
}

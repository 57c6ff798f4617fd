// A library imported through the real engine and analysis pool, for a test file's lifetime: `beforeAll` imports the
// given photos and folders of ../shared/faces (read in place: nothing is written beside them), `afterAll` closes the
// engine and the pool and removes the library. The pool's answers are the run's (CachedAnalysis): these files test what
// Familiar does with the faces, on photos that other files import too.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Engine } from '../../main/engine.js';
import type { Library } from '../../main/store/library.js';
import type { FaceRecord } from '../../main/store/types.js';
import { CachedAnalysis } from './analysis-cache.js';
import { sharedFacesDir } from './shared-faces.js';

export interface ImportedLibrary {
  engine(): Engine;
  library(): Library;
}

/** `paths` are relative to ../shared/faces. */
export function importedLibrary(name: string, paths: readonly string[]): ImportedLibrary {
  let pool: CachedAnalysis | undefined;
  let work: string | undefined;
  let engine: Engine | undefined;
  beforeAll(async () => {
    pool = new CachedAnalysis(2);
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

/** The largest face of each photo in a folder of `library` (as its paths name it), in the photos' order: the one LFW labels. */
export function mainFacesOf(library: Library, folder: string): FaceRecord[] {
  return library.photos
    .filter((p) => p.paths[0].includes(`/${folder}/`))
    .sort((a, b) => a.paths[0].localeCompare(b.paths[0]))
    .map((p) => library.facesOfPhoto(p.id).reduce((a, b) => (a.box[2] * a.box[3] >= b.box[2] * b.box[3] ? a : b)));
}

export interface ScratchEngine {
  engine(): Engine;
  /** The test file's own folder: `prepare` makes its albums there, and the library is `library` inside it. */
  work(): string;
}

/**
 * An empty library in a folder of the test file's own, for files that write the photos they import (emptied, replaced,
 * renamed, with sidecars beside them): `prepare` makes them in `work` before the engine opens. As importedLibrary, the
 * pool's answers are the run's, and `afterAll` closes everything and removes the folder.
 */
export function scratchEngine(name: string, prepare: (work: string) => Promise<void>): ScratchEngine {
  let pool: CachedAnalysis | undefined;
  let work: string | undefined;
  let engine: Engine | undefined;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), `familiar-${name}-`));
    await prepare(work);
    pool = new CachedAnalysis(1);
    engine = await Engine.open(join(work, 'library'), { analyzer: pool });
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    await pool?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });
  return { engine: () => engine!, work: () => work! };
}

// An import stopped after it stored its faces but before it placed them (Ctrl-C, the app quit, a crash between the
// two steps) left those faces unknown for good: the next import of the same folder found every photo unchanged and
// placed only faces it had just found. The faces now carry `unplaced` until placed, and the next import finishes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { importFolders } from '../../../main/library/import.js';
import { listPeople } from '../../../main/people/index.js';
import { PIPELINE_VERSION } from '../../../models/pipeline.js';
import { sharedFacesDir } from '../../helpers/shared-faces.js';

let pool: AnalysisPool;
let work: string;
const folder = () => join(sharedFacesDir(), 'lfw_subset', 'Abdullah_Gul');

beforeAll(async () => {
  pool = await AnalysisPool.create({ size: 2 });
  work = await mkdtemp(join(tmpdir(), 'familiar-stopped-import-'));
}, 120_000);
afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('an import stopped between storing and placing its faces', () => {
  it('is finished by the next import of the same folder, across a reopen', async () => {
    const dir = join(work, 'library');
    let engine = await Engine.open(dir, { analyzer: pool });
    try {
      // The import's first step alone: what a stop right after the last photo was stored leaves.
      await importFolders(engine.library, () => engine.analyzer(), PIPELINE_VERSION, [folder()]);
      expect(engine.library.faces.length).toBeGreaterThanOrEqual(10);
      expect(engine.library.faces.every((f) => f.unplaced === true && f.personId === null)).toBe(true);
    } finally {
      await engine.close();
    }
    engine = await Engine.open(dir, { analyzer: pool });
    try {
      expect(engine.library.faces.every((f) => f.unplaced === true)).toBe(true);
      const summary = await engine.import([folder()]);
      expect(summary).toMatchObject({ newPhotos: 0, analysed: 0 });
      expect(engine.library.faces.some((f) => f.unplaced)).toBe(false);
      // As an uninterrupted import leaves it (tests/main/people/first-import.test.ts): one group holding the main face
      // of each of his ten photos.
      const groups = listPeople(engine.library);
      expect(groups).toHaveLength(1);
      const main = engine.library.photos.map((p) => engine.library.facesOfPhoto(p.id).reduce((a, b) => (a.box[2] * a.box[3] >= b.box[2] * b.box[3] ? a : b)));
      expect(main.every((f) => f.personId === groups[0].id)).toBe(true);
      // And a further import has nothing left to place.
      const again = await engine.import([folder()]);
      expect(again).toMatchObject({ newPhotos: 0, analysed: 0 });
      expect(listPeople(engine.library)).toHaveLength(1);
    } finally {
      await engine.close();
    }
  }, 300_000);
});

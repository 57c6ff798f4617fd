// A first import of one person's photos, the way many albums start (a folder of the new baby): Abdullah Gul's ten
// LFW photos through the real engine. Clustering caps how far a group may reach (HDBSCAN's maxDistance), and a library
// whose faces within reach form a single group used to get no group at all: HDBSCAN proper never selects the
// component that is the whole data set.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { listPeople, recluster } from '../../../main/people/index.js';
import { sharedFacesDir } from '../../helpers/shared-faces.js';

let pool: AnalysisPool;
let work: string;
let engine: Engine;

beforeAll(async () => {
  pool = await AnalysisPool.create({ size: 2 });
  work = await mkdtemp(join(tmpdir(), 'familiar-first-import-'));
  engine = await Engine.open(join(work, 'library'), { analyzer: pool });
  await engine.import([join(sharedFacesDir(), 'lfw_subset', 'Abdullah_Gul')]);
}, 600_000);

afterAll(async () => {
  await engine?.close();
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a first import of one person', () => {
  it('makes one group of their photos, on import and on recluster', async () => {
    const check = () => {
      const groups = listPeople(engine.library);
      expect(groups).toHaveLength(1);
      // The main (largest) face of each of his ten photos is in it.
      const main = engine.library.photos.map((p) => engine.library.facesOfPhoto(p.id).reduce((a, b) => (a.box[2] * a.box[3] >= b.box[2] * b.box[3] ? a : b)));
      expect(main).toHaveLength(10);
      expect(main.every((f) => f.personId === groups[0].id)).toBe(true);
    };
    check();
    await recluster(engine.library);
    check();
  });
});

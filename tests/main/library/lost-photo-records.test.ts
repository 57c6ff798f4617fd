// photos.json restored from its backup can be a write behind faces.json (an import writes photos in batches). The
// faces of the photos it lacks keep their names under stand-ins, and the next import of their folder fills them in.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { listPeople, nameFaces } from '../../../main/people/index.js';
import { CountingAnalyzer, makeAlbum } from './helpers.js';

let pool: AnalysisPool;
let work: string;

beforeAll(async () => {
  pool = await AnalysisPool.create({ size: 2 });
  work = await mkdtemp(join(tmpdir(), 'familiar-lost-photos-'));
});

afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('faces whose photo photos.json no longer lists', () => {
  it('keep their names under a stand-in photo that the next import fills in without losing them', async () => {
    const album = await makeAlbum(join(work, 'album'), {
      'groups/011_3.jpg': 'compreface/_group_photos/011_3.jpg',
      'biden/biden.jpg': 'face_recognition/biden/biden.jpg',
    });
    const libraryDir = join(work, 'library');
    let groupId = '';
    let named: string[] = [];
    const engine = await Engine.open(libraryDir, { analyzer: new CountingAnalyzer(pool) });
    try {
      await engine.import([album]);
      const group = engine.library.photos.find((p) => p.paths[0].endsWith('011_3.jpg'))!;
      groupId = group.id;
      named = group.faceIds.slice(0, 2);
      await nameFaces(engine.library, [named[0]], 'Ana');
      await nameFaces(engine.library, [named[1]], 'Ben');
    } finally {
      await engine.close();
    }

    // What a restore from backups/photos.json written before the group photo's batch leaves.
    const photosFile = join(libraryDir, 'photos.json');
    const doc = JSON.parse(await readFile(photosFile, 'utf8')) as { photos: Array<{ id: string }> };
    doc.photos = doc.photos.filter((p) => p.id !== groupId);
    await writeFile(photosFile, JSON.stringify(doc));

    const analyzer = new CountingAnalyzer(pool);
    const reopened = await Engine.open(libraryDir, { analyzer });
    try {
      const lib = reopened.library;
      const repair = lib.repairs.find((r) => r.part === 'photos.json');
      expect(repair?.problem).toMatch(/did not list 1 photo that 3 faces belong to/);
      expect(repair?.action).toMatch(/2 of them named by you/);
      const standIn = lib.photo(groupId)!;
      expect(standIn).toMatchObject({ missing: true, paths: [], analysis: null });
      expect(standIn.faceIds).toHaveLength(3);
      expect(lib.face(named[0])?.personId).toBe(lib.people.people.find((p) => p.name === 'Ana')?.id);
      expect(listPeople(lib).map((p) => p.name)).toEqual(expect.arrayContaining(['Ana', 'Ben']));

      const summary = await reopened.import([album]);
      expect(analyzer.calls).toBe(1); // only the group photo, found again by its content
      expect(summary.analysed).toBe(1);
      const found = lib.photo(groupId)!;
      expect(found.missing).toBe(false);
      expect(found.paths).toEqual([join(album, 'groups', '011_3.jpg')]);
      expect(found.width).toBeGreaterThan(100);
      expect([...found.faceIds].sort()).toEqual([...standIn.faceIds].sort());
      expect(lib.face(named[0])).toMatchObject({ personId: lib.people.people.find((p) => p.name === 'Ana')?.id, assignedBy: 'user' });
      expect(lib.face(named[1])).toMatchObject({ personId: lib.people.people.find((p) => p.name === 'Ben')?.id, assignedBy: 'user' });
    } finally {
      await reopened.close();
    }
  });
});

// Both vector files lost (deleted, or damaged past repair): the faces pointing into them cannot be kept, and their
// photos are analysed again on the next import. What the user said about those faces must come back with them: the
// faces found in the same places take back their ids, names, confirmations and rejections. QA: deleting vectors/
// used to cost every name in the library.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { ignoreFaces, nameFaces, rejectFaces, undoLast } from '../../../main/people/index.js';
import type { Library } from '../../../main/store/library.js';
import { CountingAnalyzer, makeAlbum } from './helpers.js';
import { runCli } from '../people/fixture.js';

let pool: AnalysisPool;
let work: string;

beforeAll(async () => {
  pool = await AnalysisPool.create({ size: 2 });
  work = await mkdtemp(join(tmpdir(), 'familiar-lost-vectors-'));
});

afterAll(async () => {
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const leftToRight = (library: Library, photoId: string) => [...library.facesOfPhoto(photoId)].sort((a, b) => a.box[0] - b.box[0]);

describe('faces whose vectors were lost', () => {
  it('come back with their ids, names, confirmations and rejections when their photos are analysed again', async () => {
    const album = await makeAlbum(join(work, 'album'), {
      'group/011_3.jpg': 'compreface/_group_photos/011_3.jpg',
      'one/obama_small.jpg': 'face_recognition/obama/obama_small.jpg',
      'one/biden.jpg': 'face_recognition/biden/biden.jpg',
    });
    const dir = join(work, 'library');
    let engine = await Engine.open(dir, { analyzer: new CountingAnalyzer(pool) });
    const before = new Map<string, { personId: string | null; assignedBy: string | null; rejectedPersonIds: string[] }>();
    let ana: string;
    try {
      const lib = engine.library;
      await engine.import([album]);
      const group = lib.photos.find((p) => p.paths[0].endsWith('011_3.jpg'))!;
      const [a, b, c] = leftToRight(lib, group.id);
      ana = (await nameFaces(lib, [a.id], 'Ana')).personIds[0];
      await rejectFaces(lib, [b.id], 'Ana');
      await ignoreFaces(lib, [c.id]);
      const obama = lib.photos.find((p) => p.paths[0].endsWith('obama_small.jpg'))!;
      await nameFaces(lib, [lib.facesOfPhoto(obama.id)[0].id], 'Barack');
      for (const f of lib.faces) before.set(f.id, { personId: f.personId, assignedBy: f.assignedBy, rejectedPersonIds: [...f.rejectedPersonIds] });
    } finally {
      await engine.close();
    }
    // Both vector files gone.
    for (const file of await readdir(join(dir, 'vectors'))) await rm(join(dir, 'vectors', file), { force: true });
    // A command that only reads leaves the damage alone, and says its answer may be incomplete.
    const read = await runCli(dir, 'people');
    expect(read.code).toBe(0);
    expect(read.err).toMatch(/^familiar: the library needs repair \(faces\.json: 5 faces pointed past the 0 stored vectors\); what follows may be incomplete\./);

    engine = await Engine.open(dir, { analyzer: new CountingAnalyzer(pool) });
    try {
      const lib = engine.library;
      expect(lib.faces).toEqual([]);
      const repair = lib.repairs.find((r) => r.part === 'faces.json')!;
      expect(repair.action).toMatch(/what you said about 4 of those faces \(names, confirmations, rejections\) comes back with them/);
      await engine.import([album]);
      // Every face is back under its own id, with what the user said of it.
      expect(new Set(lib.faces.map((f) => f.id))).toEqual(new Set(before.keys()));
      for (const [id, was] of before) {
        if (was.assignedBy !== 'user' && was.rejectedPersonIds.length === 0) continue;
        expect(lib.face(id), id).toMatchObject(was);
      }
      expect(lib.photos.every((p) => p.lostFaces === undefined)).toBe(true);
      expect(lib.people.people.find((p) => p.id === ana)!.name).toBe('Ana');
      // The undo list reaches them: the last decision (naming Barack) is taken back from the face found again.
      expect((await undoLast(lib)).undone).toMatch(/Barack/);
      expect(lib.faces.filter((f) => f.personId !== null && lib.people.people.find((p) => p.id === f.personId)?.name === 'Barack')).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});

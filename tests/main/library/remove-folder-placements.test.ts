// A folder taken out of the library and imported again, when every face of its people was in it: the faces Familiar
// had placed itself go back to their people. Only what the user said is kept with the analysis (the placements are
// Familiar's, made again), and the faces the user confirmed come back in the same import as the faces to place: QA's
// Andre came back with his 5 confirmed faces and a new "(unnamed) 3 faces" group of the 3 Familiar had placed with him.
// The same when the photos missing from disk are forgotten and come back.
import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { refreshMissingPhotos } from '../../../main/library/import.js';
import { listPeople, nameFaces } from '../../../main/people/index.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';
import { lfwPhoto, subjectAt } from './helpers.js';

const PEOPLE = { Andre: 'Andre_Agassi', Bill: 'Bill_Gates', Ariel: 'Ariel_Sharon' } as const;
type Name = keyof typeof PEOPLE;
const NAMES = Object.keys(PEOPLE) as Name[];

describe('faces Familiar placed itself, after their folder is removed and imported again', () => {
  let work: string;
  let album: string;
  // The run's answers (tests/helpers/analysis-cache.ts): removal is the subject, not the analysis.
  let pool: CachedAnalysis;
  let engine: Engine;
  const photo = (name: Name, n: number) => join(album, `${PEOPLE[name]}_${n}.jpg`);
  const faceOf = (name: Name, n: number) => subjectAt(engine.library, photo(name, n));
  /** Each person's faces, as Familiar placed them before the removal: face id → [person id, assignedBy]. */
  let placedBefore: Map<string, [string | null, string | null]>;
  const placedNow = () => new Map([...placedBefore.keys()].map((id) => [id, [engine.library.face(id)!.personId, engine.library.face(id)!.assignedBy]]));
  const unnamedGroups = () => listPeople(engine.library).filter((p) => p.name === null);

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'familiar-remove-placements-'));
    album = join(work, 'photos', 'album');
    await mkdir(album, { recursive: true });
    for (const name of NAMES) for (let n = 1; n <= 5; n++) await copyFile(lfwPhoto(PEOPLE[name], n), photo(name, n));
    pool = new CachedAnalysis(1);
    engine = await Engine.open(join(work, 'library'), { analyzer: pool });
    await engine.import([album]);
    // Each named with their 5 faces (confirmed: the user's).
    for (const name of NAMES) await nameFaces(engine.library, [1, 2, 3, 4, 5].map((n) => faceOf(name, n).id), name);
    // 3 more photos of each, imported into the same folder: Familiar places them with their person itself.
    for (const name of NAMES) for (const n of [6, 7, 8]) await copyFile(lfwPhoto(PEOPLE[name], n), photo(name, n));
    await engine.import([album]);
    placedBefore = new Map();
    for (const name of NAMES) {
      for (let n = 1; n <= 8; n++) {
        const f = faceOf(name, n);
        placedBefore.set(f.id, [f.personId, f.assignedBy]);
      }
    }
  }, 300_000);

  afterAll(async () => {
    await engine?.close();
    await pool?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('places the new photos with their people before the removal (what the removal is to give back)', () => {
    for (const name of NAMES) {
      const person = listPeople(engine.library).find((p) => p.name === name)!;
      for (const n of [6, 7, 8]) expect([name, n, faceOf(name, n).personId, faceOf(name, n).assignedBy]).toEqual([name, n, person.id, 'cluster']);
      expect(person.faceCount).toBe(8);
    }
  });

  it('gives the faces Familiar placed back to their people when the folder is imported again', async () => {
    const removed = await engine.removeFolder(album);
    expect(removed).toMatchObject({ photos: 24, analysesKept: 24, decisionsKept: 15 });
    const again = await engine.import([album]);
    expect(again).toMatchObject({ photos: 24, analysed: 0, restored: 24, restoredDecisions: 15 });
    expect(placedNow()).toEqual(placedBefore);
    for (const name of NAMES) expect(listPeople(engine.library).find((p) => p.name === name)?.faceCount).toBe(8);
    expect(unnamedGroups()).toEqual([]);
  }, 300_000);

  it('gives them back too when the photos missing from disk are forgotten and come back', async () => {
    const away = join(work, 'photos', 'unplugged');
    await rename(album, away);
    await refreshMissingPhotos(engine.library);
    expect(await engine.removeMissing()).toMatchObject({ photos: 24, analysesKept: 24, decisionsKept: 15 });
    await rename(away, album);
    expect(await engine.import([album])).toMatchObject({ photos: 24, analysed: 0, restored: 24 });
    expect(placedNow()).toEqual(placedBefore);
    expect(unnamedGroups()).toEqual([]);
  }, 300_000);
});

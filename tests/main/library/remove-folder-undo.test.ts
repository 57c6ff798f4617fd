// Undo after taking a folder out of the library, on real photos. A removal cannot be undone (the Remove dialog says
// so), and neither can a decision about the faces it took; undo used to refuse at the removal for good, so nothing
// decided before it could be taken back. It now passes over them, saying so once, and takes back the latest decision
// about faces still there. The folder imported again is new photos: their faces back from what their analysis found
// (kept when they went), their names read back from their sidecars, their old ids untouched by the undo of what was
// said of the ones removed.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import { WATCHED_FOLDERS_KEY } from '../../../main/library/remove-folder.js';
import { listPeople, nameFaces, undoDecision } from '../../../main/people/index.js';
import { exportNamesToXmp } from '../../../main/people/xmp-names.js';
import type { Decision } from '../../../main/people/types.js';
import { namesReadSentence } from '../../../preload/contract.js';
import { lfwPhoto, subjectAt } from './helpers.js';

describe('undo after a folder is taken out of the library', () => {
  let work: string;
  let pool: AnalysisPool;
  let engine: Engine;
  let family: string;
  let trip: string;
  /** Tony's faces named before the removal took them. */
  let tonyRemoved: string[];
  const subjectOf = (path: string) => subjectAt(engine.library, path);
  const person = (name: string) => listPeople(engine.library, { includeEmpty: true }).find((p) => p.name === name);

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'familiar-remove-undo-'));
    family = join(work, 'photos', 'family');
    trip = join(work, 'photos', 'trip');
    for (const folder of [family, trip]) await mkdir(folder, { recursive: true });
    for (const n of [1, 2, 3]) {
      await copyFile(lfwPhoto('Colin_Powell', n), join(family, `powell_${n}.jpg`));
      await copyFile(lfwPhoto('Serena_Williams', n), join(family, `serena_${n}.jpg`));
      await copyFile(lfwPhoto('Tony_Blair', n), join(trip, `blair_${n}.jpg`));
    }
    pool = await AnalysisPool.create({ size: 1 });
    engine = await Engine.open(join(work, 'library'), { analyzer: pool });
    await engine.import([family, trip]);
    await engine.library.transaction((tx) => {
      tx.settings[WATCHED_FOLDERS_KEY] = [family, trip];
    });
  }, 300_000);

  afterAll(async () => {
    await engine?.close();
    await pool?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('passes over the removal and the decisions about its faces, saying so once, and takes back the ones before', async () => {
    const library = engine.library;
    const colin = [1, 2, 3].map((n) => subjectOf(join(family, `powell_${n}.jpg`)).id);
    const tony = (tonyRemoved = [1, 2].map((n) => subjectOf(join(trip, `blair_${n}.jpg`)).id));
    const serena = subjectOf(join(family, 'serena_1.jpg'));
    const blair3 = subjectOf(join(trip, 'blair_3.jpg'));
    await nameFaces(library, colin, 'Colin');
    await nameFaces(library, tony, 'Tony');
    // Sidecars beside the photos, as another app (or Familiar's export) leaves them: read again when they come back.
    await exportNamesToXmp(library);
    // One decision about faces on both sides of the removal.
    const serenaBefore = { personId: serena.personId, assignedBy: serena.assignedBy };
    await nameFaces(library, [serena.id, blair3.id], 'Sam');
    await engine.removeFolder(trip);

    // The decision about faces on both sides comes back for the face still there; nothing is left of the other.
    const first = await undoDecision(library);
    expect(first.message).toMatch(/^Took back the new person "Sam"/);
    expect(first.message).toContain(
      `Passed over "Removed 3 photos from the library (${trip})", which cannot be undone: importing the photos again brings them back, but not the names and answers given on their faces.`,
    );
    expect(library.face(serena.id)).toMatchObject(serenaBefore);
    expect(person('Sam')).toBeUndefined();
    expect(listPeople(library, { includeEmpty: true }).filter((p) => p.faceCount === 0 && p.name === null)).toEqual([]);

    // Tony's naming had only faces that went: passed over, with the reason; the naming before it is taken back.
    const second = await undoDecision(library);
    expect(second.message).toMatch(/^Took back the new person "Colin"/);
    expect(second.message).toContain(`Passed over "${namingOf(library, 'Tony')}": the faces of that decision were removed with their folder.`);
    expect(second.message).not.toContain('Removed 3 photos');
    expect(person('Colin')).toBeUndefined();
    for (const id of colin) expect(library.face(id)?.assignedBy).not.toBe('user');
    // The name stays on the person, who has no face left to take it back from.
    expect(person('Tony')?.faceCount).toBe(0);
    expect(await undoDecision(library)).toMatchObject({ undone: null, message: null });
  });

  it('imports the folder again as new photos: not analysed again, their names read back, their faces out of reach of the old decisions', async () => {
    const library = engine.library;
    const again = await engine.import([trip]);
    expect(again).toMatchObject({ photos: 3, newPhotos: 3, analysed: 0, restored: 3, edited: 0, foundAtNewPaths: 0, copies: 0 });
    expect(again.names).toMatchObject({ facesNamed: 2, namedFromFamiliar: 2, newPeople: [] });
    // The sidecars are Familiar's own export: said so, not credited to other apps (QA).
    expect(namesReadSentence(again)).toBe('Read back the names Familiar wrote beside the photos: 2 names.');
    const tony = [1, 2].map((n) => subjectOf(join(trip, `blair_${n}.jpg`)));
    expect(tony.map((f) => f.id)).toEqual(tonyRemoved);
    expect(tony.map((f) => f.personId)).toEqual([person('Tony')!.id, person('Tony')!.id]);
    // Undo takes back the names read, then reaches nothing about these faces: the naming before the removal was
    // about the faces that went, whose ids these have (same photo, same place).
    expect((await undoDecision(library)).message).toMatch(/^Took back the names read/);
    expect(tony.map((f) => library.face(f.id)?.assignedBy)).not.toContain('user');
    const unnamed = tony.map((f) => ({ id: f.id, personId: library.face(f.id)!.personId }));
    expect(await undoDecision(library)).toMatchObject({ undone: null, message: null });
    expect(tony.map((f) => ({ id: f.id, personId: library.face(f.id)!.personId }))).toEqual(unnamed);
  });

  it('imports a parent folder holding the removed one: its photos are new, the others unchanged', async () => {
    await engine.removeFolder(trip);
    const parent = await engine.import([join(work, 'photos')]);
    expect(parent).toMatchObject({ photos: 9, newPhotos: 3, analysed: 0, restored: 3, edited: 0, foundAtNewPaths: 0 });
    expect(parent.names).toMatchObject({ facesNamed: 2 });
    // Undo after it: the names read; then only the removal before them is left, which it says and takes nothing back.
    expect((await undoDecision(engine.library)).message).toMatch(/^Took back the names read/);
    expect(await undoDecision(engine.library)).toMatchObject({
      undone: null,
      message: `Nothing left to undo. Passed over "Removed 3 photos from the library (${trip})", which cannot be undone: importing the photos again brings them back, but not the names and answers given on their faces.`,
    });
    expect(await undoDecision(engine.library)).toMatchObject({ undone: null, message: null });
  });
});

/** The sentence of the decision that enrolled `name`, as decisions.ts wrote it, without its full stop. */
function namingOf(library: Engine['library'], name: string): string {
  const decisions = library.people.decisions as Decision[];
  return decisions.find((d) => d.kind === 'enrol' && d.description.includes(`"${name}"`))!.description.replace(/\.$/, '');
}

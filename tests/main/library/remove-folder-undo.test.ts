// Undo after taking a folder out of the library, and the folder imported again, on real photos. A removal cannot be
// undone, and undo does not reach past it: QA's undo right after one took back a merge made before it ("“Britney
// Spears” and an unnamed group are apart again"), and said "Passed over …" twice for two removals of one folder.
// What the user said of the faces that went is kept with their analysis: the folder imported again comes back with
// its names, "not this person" answers and faces set aside (QA: Amy, Penny and Leonard came back with no face).
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { WATCHED_FOLDERS_KEY } from '../../../main/library/remove-folder.js';
import { ignoreFaces, listPeople, nameFaces, rejectFaces, undoDecision } from '../../../main/people/index.js';
import { isPinnedUnknown } from '../../../main/people/library.js';
import type { FaceRecord } from '../../../main/store/types.js';
import { lfwPhoto, subjectAt } from './helpers.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';

describe('undo after a folder is taken out of the library, and the folder imported again', () => {
  let work: string;
  // The run's answers (tests/helpers/analysis-cache.ts): removal is the subject, not the analysis.
  let pool: CachedAnalysis;
  let engine: Engine;
  let family: string;
  let trip: string;
  const subjectOf = (path: string) => subjectAt(engine.library, path);
  const person = (name: string) => listPeople(engine.library, { includeEmpty: true }).find((p) => p.name === name);
  /** What the user said of a face, as the library holds it. */
  const said = (face: Pick<FaceRecord, 'id'>) => {
    const { id, personId, assignedBy, rejectedPersonIds } = engine.library.face(face.id)!;
    return { id, personId, assignedBy, rejectedPersonIds };
  };
  /** The trip's faces as the user left them before the first removal. */
  let tripBefore: ReturnType<typeof said>[];

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
    await copyFile(lfwPhoto('Bill_Gates', 1), join(trip, 'stranger.jpg'));
    pool = new CachedAnalysis(1);
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

  it('takes nothing back right after a removal, however often asked, and says why and how to get the photos back', async () => {
    const library = engine.library;
    const tony = [1, 2].map((n) => subjectOf(join(trip, `blair_${n}.jpg`)));
    await nameFaces(library, tony.map((f) => f.id), 'Tony');
    // "Not Tony", and a stranger not to be asked about: answers, not names, that went with the folder too.
    await rejectFaces(library, [subjectOf(join(trip, 'blair_3.jpg')).id], 'Tony');
    await ignoreFaces(library, [subjectOf(join(trip, 'stranger.jpg')).id]);
    // The decision just before the removal is about faces that stay.
    const colin = [1, 2, 3].map((n) => subjectOf(join(family, `powell_${n}.jpg`)).id);
    await nameFaces(library, colin, 'Colin');
    tripBefore = ['blair_1.jpg', 'blair_2.jpg', 'blair_3.jpg', 'stranger.jpg'].map((name) => said(subjectOf(join(trip, name))));

    const plan = await engine.folderRemovalPlan(trip);
    expect(plan).toMatchObject({ photos: 4, decidedFaces: 3, setAsideFaces: 1, decisionsKept: 4 });
    const removed = await engine.removeFolder(trip);
    expect(removed).toMatchObject({ photos: 4, analysesKept: 4, decisionsKept: 4, keptAnalysesProblem: null });

    const stops =
      `Nothing undone: your latest change, "Removed 4 photos from the library (${trip})", cannot be undone, and undo does not reach past it. ` +
      'Importing the folder again brings the photos back, with what you said of 4 faces (names, confirmations, "not this person").';
    for (let i = 0; i < 2; i++) expect(await undoDecision(library)).toMatchObject({ undone: null, message: stops });
    expect(person('Colin')?.faceCount).toBe(3);
    for (const id of colin) expect(library.face(id)?.assignedBy).toBe('user');
    // The name stays on the person, whose faces all went.
    expect(person('Tony')?.faceCount).toBe(0);
  });

  it('imports the folder again with what the user said of its faces, from what was kept, not from sidecars', async () => {
    const library = engine.library;
    const again = await engine.import([trip]);
    expect(again).toMatchObject({ photos: 4, newPhotos: 4, analysed: 0, restored: 4, restoredDecisions: 4, names: null });
    // The same faces, ids and all, named, answered and set aside as they were (where the grouping puts the face said
    // not to be Tony is the grouping's).
    const back = ['blair_1.jpg', 'blair_2.jpg', 'blair_3.jpg', 'stranger.jpg'].map((name) => said(subjectOf(join(trip, name))));
    expect([back[0], back[1], back[3]]).toEqual([tripBefore[0], tripBefore[1], tripBefore[3]]);
    expect(back[2]).toMatchObject({ id: tripBefore[2].id, rejectedPersonIds: [person('Tony')!.id] });
    expect(person('Tony')?.faceCount).toBe(2);
    expect(isPinnedUnknown(library.face(back[3].id)!)).toBe(true);
    // Undo still stops at the removal, and no longer says to import the folder.
    expect(await undoDecision(library)).toMatchObject({
      undone: null,
      message: `Nothing undone: your latest change, "Removed 4 photos from the library (${trip})", cannot be undone, and undo does not reach past it. Its folder was imported again since.`,
    });
    expect(person('Colin')?.faceCount).toBe(3);
  });

  it('says the latest of two removals of the folder once, and takes back a decision made after it', async () => {
    const library = engine.library;
    await engine.removeFolder(trip);
    const serena = [1, 2, 3].map((n) => subjectOf(join(family, `serena_${n}.jpg`)).id);
    await nameFaces(library, serena, 'Serena');
    expect((await undoDecision(library)).message).toMatch(/^Took back the new person "Serena"/);
    const { message } = await undoDecision(library);
    expect(message!.match(/Removed 4 photos/g)).toHaveLength(1);
    expect(message).toMatch(/^Nothing undone: your latest change, "Removed 4 photos from the library/);
    expect(person('Colin')?.faceCount).toBe(3);
  });
});

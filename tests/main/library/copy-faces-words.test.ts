// What the user reads counts a resized copy's face as People does: once, as its original's (main/people/copy-faces.ts).
// QA, after People counted Abdullah Gul's ten faces with a 120 px copy of one of his photos in the library: naming him
// said "11 faces", deleting him "11 faces no longer have a name", his page listed 11 and library.info's unknownFaces
// counted a stranger's copy as a second unknown face. On real photos: lfw_subset's Abdullah Gul (ten photos), Abel
// Aguilar (one) and Bill Simon with George W Bush at the photo's edge (one), each with a resized copy made here with
// sharp, imported once and regrouped; each test works on a copy of that library.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventHub } from '../../../main/api/events.js';
import { GeneratedImages } from '../../../main/api/generated.js';
import { openEngineHandlers } from '../../../main/api/handlers.js';
import { JobRegistry } from '../../../main/api/jobs.js';
import { Engine } from '../../../main/engine.js';
import {
  answerGroupCandidate,
  deletePeople,
  ignoreFaces,
  leastAlikeFirst,
  listPeople,
  mergePeople,
  nameFaces,
  namePerson,
  photosTogether,
  recluster,
  undoDecision,
} from '../../../main/people/index.js';
import type { CallResult } from '../../../preload/contract.js';
import { runCli } from '../people/fixture.js';
import { CountingAnalyzer, makeAlbum, peopleAlbum, saveResizedCopy, subjectAt } from './helpers.js';

const setup = peopleAlbum('familiar-copy-faces-words-', ['Abdullah_Gul']);
/** The library imported and regrouped once (beforeAll), copied for each test. */
let imported: string;
/** The photos' paths, as the library holds them. */
let paths: { gul: string; gulCopy: string; abel: string; abelCopy: string; simon: string; simonCopy: string };

beforeAll(async () => {
  const album = setup.album;
  await makeAlbum(album, {
    'misc/Abel_Aguilar_0001.jpg': 'lfw_subset/Abel_Aguilar/Abel_Aguilar_0001.jpg',
    'misc/Bill_Simon_0006.jpg': 'lfw_subset/Bill_Simon/Bill_Simon_0006.jpg',
  });
  paths = {
    gul: join(album, 'Abdullah_Gul', 'Abdullah_Gul_0004.jpg'),
    gulCopy: join(album, 'misc', 'gul_small.jpg'),
    abel: join(album, 'misc', 'Abel_Aguilar_0001.jpg'),
    abelCopy: join(album, 'misc', 'abel_small.jpg'),
    simon: join(album, 'misc', 'Bill_Simon_0006.jpg'),
    simonCopy: join(album, 'misc', 'simon_small.jpg'),
  };
  await saveResizedCopy(paths.gul, paths.gulCopy, 120);
  await saveResizedCopy(paths.abel, paths.abelCopy, 125);
  await saveResizedCopy(paths.simon, paths.simonCopy, 200);
  imported = join(setup.work, 'imported');
  const engine = await Engine.open(imported, { analyzer: new CountingAnalyzer(setup.pool) });
  try {
    expect(await engine.import([album])).toMatchObject({ newPhotos: 15, resizedCopies: 3 });
    await recluster(engine.library);
  } finally {
    await engine.close();
  }
}, 300_000);

let work: string | undefined;
let engine: Engine | undefined;

afterEach(async () => {
  await engine?.close();
  engine = undefined;
  if (work) rmSync(work, { recursive: true, force: true });
});

afterAll(() => {
  if (imported) rmSync(imported, { recursive: true, force: true });
});

/** A copy of the imported library, open, with its faces of interest. */
async function openLibrary() {
  work = mkdtempSync(join(tmpdir(), 'familiar-copy-faces-words-lib-'));
  cpSync(imported, join(work, 'library'), { recursive: true });
  engine = await Engine.open(join(work, 'library'), { analyzer: new CountingAnalyzer(setup.pool) });
  const library = engine.library;
  const [gul, gulCopy, abel, abelCopy] = [paths.gul, paths.gulCopy, paths.abel, paths.abelCopy].map((path) => subjectAt(library, path));
  expect(library.photo(gulCopy.photoId)!.copyOf?.faces[gulCopy.id]).toBe(gul.id);
  expect(library.photo(abelCopy.photoId)!.copyOf?.faces[abelCopy.id]).toBe(abel.id);
  const group = listPeople(library).find((p) => p.faceIds.includes(gul.id))!;
  expect(group).toMatchObject({ faceCount: 10, photoCount: 10 });
  expect(library.face(gulCopy.id)!.personId).toBe(group.id);
  return { library, gul, gulCopy, abel, abelCopy, group };
}

/** The library's API, as the app calls it. */
async function apiOf(lib: Engine) {
  return openEngineHandlers({ libraryDir: lib.library.dir, mode: 'browser', version: 'test', events: new EventHub(), jobs: new JobRegistry(new EventHub()), generated: new GeneratedImages(), engine: lib });
}

describe("a resized copy's face, in what decisions and their undo say", () => {
  it('is not counted in a name, a delete and its undo', async () => {
    const { library, group } = await openLibrary();
    const named = await namePerson(library, group.id, 'Abdullah Gul');
    expect(named.description).toMatch(/^Named "Abdullah Gul" \(10 faces, /);

    const deleted = await deletePeople(library, [group.id]);
    expect(deleted.description).toBe('Deleted "Abdullah Gul"; 10 faces no longer have a name.');
    expect((await undoDecision(library)).message).toBe('"Abdullah Gul" is back, with 10 faces.');
  });

  it('is not counted in a Yes to "Is this <Name>?", a No or a merge, nor twice when given with its original', async () => {
    const { library, gul, gulCopy, group } = await openLibrary();
    const others = group.faceIds.filter((id) => id !== gul.id);
    // Three of his faces named: the seven others, the copy's original among them, stay in the group, with the copy's face.
    expect((await nameFaces(library, others.slice(0, 3), 'Abdullah Gul')).description).toBe('New person "Abdullah Gul", from 3 faces.');
    const rest = listPeople(library).find((p) => p.id === group.id)!;
    expect(rest.faceCount).toBe(7);
    // "Is this Abdullah Gul?" about the group as the screen showed it (its count is People's): answered, not "changed".
    const shown = { faceIds: rest.faceIds, faceCount: rest.faceCount };
    const no = await answerGroupCandidate(library, group.id, 'Abdullah Gul', false, shown);
    expect(no.description).toBe('Marked 7 faces as not "Abdullah Gul".');
    await undoDecision(library);
    const yes = await answerGroupCandidate(library, group.id, 'Abdullah Gul', true, shown);
    expect(yes.description).toBe('Merged an unnamed group into "Abdullah Gul" (7 faces moved).');
    expect(library.face(gulCopy.id)!.personId).toBe(library.face(gul.id)!.personId);
    await undoDecision(library);
    const merged = await mergePeople(library, 'Abdullah Gul', [group.id]);
    expect(merged.description).toBe('Merged an unnamed group into "Abdullah Gul" (7 faces moved).');
    // The copy's face with its original: one face, as People shows it.
    expect((await nameFaces(library, [gul.id, gulCopy.id], 'Abdullah Gul')).description).toBe('Confirmed 1 face as "Abdullah Gul".');
    expect((await undoDecision(library)).message).toBe('Took back confirming 1 face as "Abdullah Gul".');
  });

  it('is neither listed on the person\'s page nor among the faces "unlike" orders', async () => {
    const { library, gul, gulCopy, group } = await openLibrary();
    await namePerson(library, group.id, 'Abdullah Gul');
    const view = leastAlikeFirst(library, 'Abdullah Gul');
    expect(view.faces.map((s) => s.face.id)).toContain(gul.id);
    expect(view.faces.map((s) => s.face.id)).not.toContain(gulCopy.id);
    expect(view.faces).toHaveLength(10);
    const api = await apiOf(engine!);
    try {
      const page = (await api.handlers['faces.ofPerson']!({ personId: group.id, offset: 0, limit: 100, order: 'least-alike' })) as CallResult<'faces.ofPerson'>;
      expect(page.total).toBe(10);
      expect(page.faces.map((f) => f.id)).not.toContain(gulCopy.id);
    } finally {
      await api.close();
    }
    await engine!.close();
    engine = undefined;
    const unlike = await runCli(join(work!, 'library'), 'unlike', 'Abdullah Gul');
    expect(unlike.out).toMatch(/ of 10 faces looks? unlike/);
  });

  it('is not a second photo two people were in together, which a merge of them warns of', async () => {
    const { library } = await openLibrary();
    // Bill Simon, and George W Bush cut by the photo's edge beside him: both faces are in the copy too.
    const simonPhoto = library.photos.find((p) => p.paths.includes(paths.simon))!;
    const copyPhoto = library.photos.find((p) => p.paths.includes(paths.simonCopy))!;
    expect(copyPhoto.copyOf?.photoId).toBe(simonPhoto.id);
    const [simon, bush] = [...library.facesOfPhoto(simonPhoto.id)].sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3]);
    expect(Object.values(copyPhoto.copyOf!.faces).sort()).toEqual([simon.id, bush.id].sort());
    await nameFaces(library, [simon.id], 'Bill Simon');
    await nameFaces(library, [bush.id], 'George W Bush');
    expect(photosTogether(library, ['Bill Simon', 'George W Bush'])).toBe(1);
  });
});

describe("a resized copy's face, in the counts the app and the CLI show", () => {
  it("is not a second unknown face in library.info, a second face set aside in `familiar people`, nor in a regrouping's counts", async () => {
    const { library, abel, abelCopy } = await openLibrary();
    expect([library.face(abel.id)!.personId, library.face(abelCopy.id)!.personId]).toEqual([null, null]);
    const api = await apiOf(engine!);
    try {
      const { counts } = (await api.handlers['library.info']!({})) as CallResult<'library.info'>;
      // Nothing set aside yet: every unknown face is one "Who is this?" asks about, Abel Aguilar's once.
      expect(counts.unknownFaces).toBe(counts.toName.faces);
      // The copies' faces in no group: Abel Aguilar's, and Bill Simon's and George W Bush's.
      expect(counts.unknownFaces).toBe(library.faces.filter((f) => f.personId === null).length - 3);

      const ignored = await ignoreFaces(library, [abel.id, abelCopy.id]);
      expect(ignored.description).toBe('Familiar will not ask about that face again.');
      const after = ((await api.handlers['library.info']!({})) as CallResult<'library.info'>).counts;
      expect(after.unknownFaces).toBe(counts.unknownFaces);
      expect(after.toName.faces).toBe(counts.toName.faces - 1);
    } finally {
      await api.close();
    }
    const regrouped = await recluster(library);
    // The three copies' four faces: Abdullah Gul's, Abel Aguilar's, and Bill Simon's and George W Bush's.
    const copies = library.faces.filter((f) => library.photo(f.photoId)!.copyOf !== undefined);
    expect(copies).toHaveLength(4);
    expect(regrouped.faces).toBe(library.faces.length - copies.length);
    expect(regrouped.notAskedAbout).toBe(1);
    await engine!.close();
    engine = undefined;
    const listed = await runCli(join(work!, 'library'), 'people');
    expect(listed.out).toContain('; 1 face set aside, not asked about');
  });
});

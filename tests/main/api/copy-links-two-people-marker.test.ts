// The People card's "may be two people" mark (main/people/two-people-verdicts.ts) follows a resized copy's link to its
// original: the question leaves a linked copy's face out (main/people/copy-faces.ts), so a link parted ("Not a copy"),
// made again (its Undo) or left without its original (the original's folder removed) changes the verdict though no
// face of the group moved. On real photos (lfw_subset, analysed through the run's CachedAnalysis): six of Venus
// Williams's and two of Serena's grouped as one, with a 120 px copy of another of Serena's, whose own face is loose
// (the import links a copy without moving its face: a Regroup sends it where its original goes). Linked, Serena's
// part is two faces, too few to ask about; counted, the copy makes it three, and the group may be two people.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { calls, type CallResult } from '../../../preload/contract.js';
import { EventHub } from '../../../main/api/events.js';
import { GeneratedImages } from '../../../main/api/generated.js';
import { openEngineHandlers, type EngineHandlers } from '../../../main/api/handlers.js';
import { JobRegistry } from '../../../main/api/jobs.js';
import { Engine } from '../../../main/engine.js';
import { twoPeopleQuestion } from '../../../main/people/index.js';
import { makeAlbum, peopleAlbum, saveResizedCopy, subjectAt } from '../library/helpers.js';

const setup = peopleAlbum('familiar-copy-links-marker-', []);
/** The library as imported and grouped, copied for each test. */
let imported: string;
/** The photos' paths in the album: the original of the copy alone in its folder. */
const paths = { original: '', copy: '' };

beforeAll(async () => {
  const album = setup.album;
  const venus = Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`venus/${n}.jpg`, `lfw_subset/Venus_Williams/Venus_Williams_000${n}.jpg`]));
  await makeAlbum(album, { ...venus, 'serena/2.jpg': 'lfw_subset/Serena_Williams/Serena_Williams_0002.jpg', 'serena/3.jpg': 'lfw_subset/Serena_Williams/Serena_Williams_0003.jpg', 'first/serena.jpg': 'lfw_subset/Serena_Williams/Serena_Williams_0001.jpg' });
  paths.original = join(album, 'first', 'serena.jpg');
  paths.copy = join(album, 'serena', 'small.jpg');
  await saveResizedCopy(paths.original, paths.copy, 120);
  imported = join(setup.work, 'imported');
  const engine = await Engine.open(imported, { analyzer: setup.pool });
  try {
    expect(await engine.import([album])).toMatchObject({ newPhotos: 10, resizedCopies: 1 });
    const lib = engine.library;
    const sisters = lib.photos.filter((p) => !p.paths.includes(paths.original)).map((p) => subjectAt(lib, p.paths[0]).id);
    // One unnamed group of the other nine photos' faces, as a regrouping that took the sisters for one person leaves them.
    await lib.transaction((tx) => {
      tx.people.people.splice(0, tx.people.people.length, { id: 'sisters', name: null, hidden: false, coverFaceId: null, createdAt: new Date(0).toISOString() });
      for (const f of tx.faces) Object.assign(f, sisters.includes(f.id) ? { personId: 'sisters', assignedBy: 'cluster' } : { personId: null, assignedBy: null });
    });
    // Linked, the copy's face is not asked about: Serena's two other faces are too few for a part.
    expect(twoPeopleQuestion(lib, 'sisters')).toBeNull();
  } finally {
    await engine.close();
  }
}, 300_000);

let engine: Engine | undefined;
let api: EngineHandlers | undefined;
let jobs: JobRegistry;
let dir: string | undefined;

/** The handlers on a copy of the imported library, its marks judged once. */
async function opened(): Promise<EngineHandlers> {
  dir = mkdtempSync(join(tmpdir(), 'familiar-copy-links-marker-lib-'));
  cpSync(imported, dir, { recursive: true });
  engine = await Engine.open(dir, { analyzer: setup.pool });
  const hub = new EventHub();
  jobs = new JobRegistry(hub);
  api = await openEngineHandlers({ libraryDir: dir, mode: 'browser', version: 'test', events: hub, jobs, generated: new GeneratedImages(), engine });
  await api.twoPeopleJudged();
  return api;
}

afterEach(async () => {
  await api?.close();
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  [api, engine, dir] = [undefined, undefined, undefined];
});

/** The ids of the cards marked "may be two people" once every verdict is judged, and the sisters' page's question. */
async function marks(handlers: EngineHandlers): Promise<{ marked: string[]; asked: boolean }> {
  await handlers.twoPeopleJudged();
  const people = calls['people.list'].result.parse(await handlers.handlers['people.list']!({ includeHidden: false, namedOnly: false }));
  const question = (await handlers.handlers['people.twoPeople']!({ personId: 'sisters' })) as CallResult<'people.twoPeople'>;
  return { marked: people.filter((p) => p.mayBeTwoPeople).map((p) => p.id), asked: question !== null };
}

const copyPhotoId = () => engine!.library.photos.find((p) => p.paths.includes(paths.copy))!.id;

describe('the "may be two people" mark and a resized copy\'s link', () => {
  it('comes once "Not a copy" counts the copy\'s face again, goes when Undo links them again, and comes back on Redo', async () => {
    const handlers = await opened();
    expect(await marks(handlers)).toEqual({ marked: [], asked: false });

    await handlers.handlers['photos.notCopy']!({ photoId: copyPhotoId() });
    expect(twoPeopleQuestion(engine!.library, 'sisters')).not.toBeNull();
    expect(await marks(handlers)).toEqual({ marked: ['sisters'], asked: true });

    await handlers.handlers.undo!({});
    expect(engine!.library.photo(copyPhotoId())!.copyOf).toBeDefined();
    expect(await marks(handlers)).toEqual({ marked: [], asked: false });

    await handlers.handlers.redo!({});
    expect(await marks(handlers)).toEqual({ marked: ['sisters'], asked: true });
  });

  it("comes once the original's folder is removed and the copy's face counts again", async () => {
    const handlers = await opened();
    expect(await marks(handlers)).toEqual({ marked: [], asked: false });

    const { jobId } = (await handlers.handlers['library.removeFolder']!({ path: join(setup.album, 'first') })) as CallResult<'library.removeFolder'>;
    expect((await jobs.settled(jobId)).state).toBe('done');
    expect(engine!.library.photos.some((p) => p.paths.includes(paths.original))).toBe(false);
    expect(twoPeopleQuestion(engine!.library, 'sisters')).not.toBeNull();
    expect(await marks(handlers)).toEqual({ marked: ['sisters'], asked: true });
  });
});

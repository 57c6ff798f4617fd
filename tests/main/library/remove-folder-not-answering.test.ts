// Removing a folder whose disk no longer answers (a dead network share, a drive that hung): the removal looks at the
// folder's photos to say which are no longer on disk, and a look that never ends must not hold it. A review: the
// dialog never opened, `familiar remove` waited for ever, and every import queued behind the removal with it. The
// look is given a few seconds; then the photos already marked missing are all that count, and Cancel stops it.
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { JobCancelledError } from '../../../main/jobs/progress.js';
import type { FileLooks } from '../../../main/library/import.js';
import { planFolderRemoval, removeFolder } from '../../../main/library/remove-folder.js';
import { nameFaces } from '../../../main/people/index.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';
import { makeAlbum, subjectAt } from './helpers.js';

const ALBUM = Object.fromEntries([1, 2, 3].map((n) => [`andre_${n}.jpg`, `lfw_subset/Andre_Agassi/Andre_Agassi_000${n}.jpg`]));
/** A disk that never answers: every listing and every look waits for ever. */
const notAnswering: FileLooks = { stat: () => new Promise(() => {}), readdir: () => new Promise(() => {}) };

let work: string;
let album: string;
let pool: CachedAnalysis;
let engine: Engine;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-remove-not-answering-'));
  album = await makeAlbum(join(work, 'album'), ALBUM);
  pool = new CachedAnalysis(1);
  engine = await Engine.open(join(work, 'library'), { analyzer: pool });
  await engine.import([album]);
  await nameFaces(engine.library, Object.keys(ALBUM).map((name) => subjectAt(engine.library, join(album, name)).id), 'Andre');
  // One photo deleted since the import, so a look that answers would count it.
  await unlink(join(album, 'andre_3.jpg'));
}, 300_000);
afterAll(async () => {
  await engine?.close();
  await pool?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('removing a folder whose disk does not answer', () => {
  it('plans it from what the library knows, the photos marked missing only, as the disk does not say', async () => {
    expect(await planFolderRemoval(engine.library, album)).toMatchObject({ photos: 3, decisionsKept: 3, photosNotOnDisk: 1, decisionsNotOnDisk: 1 });
    expect(await planFolderRemoval(engine.library, album, undefined, notAnswering)).toMatchObject({ photos: 3, decisionsKept: 3, photosNotOnDisk: 0, decisionsNotOnDisk: 0 });
  });

  it('stops when cancelled while it waits for the disk, taking nothing', async () => {
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 100);
    await expect(removeFolder(engine.library, album, { signal: cancel.signal, looks: notAnswering })).rejects.toBeInstanceOf(JobCancelledError);
    expect(engine.library.photos).toHaveLength(3);
  });

  it('removes the folder all the same', async () => {
    const summary = await removeFolder(engine.library, album, { looks: notAnswering });
    expect(summary).toMatchObject({ photos: 3, decisionsKept: 3, photosNotOnDisk: 0 });
    expect(engine.library.photos).toHaveLength(0);
  });
});

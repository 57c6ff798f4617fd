// `familiar remove <folder>` says what importing the folder again brings back: only the photos still on disk, with
// what was said of their faces. QA: "brings them back with what you said of 17 faces" counted photos deleted from disk
// since the folder's last import; 15 came back.
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../main/cli/command.js';
import { removeCommand } from '../../../main/cli/commands/remove.js';
import { Engine } from '../../../main/engine.js';
import { nameFaces } from '../../../main/people/index.js';
import { comesBackSentence } from '../../../preload/contract.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';
import { makeAlbum, subjectAt } from '../library/helpers.js';

const ALBUM = Object.fromEntries([1, 2, 3, 4].map((n) => [`andre_${n}.jpg`, `lfw_subset/Andre_Agassi/Andre_Agassi_000${n}.jpg`]));

let work: string;
let album: string;
let libraryDir: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-remove-not-on-disk-'));
  album = await makeAlbum(join(work, 'album'), ALBUM);
  libraryDir = join(work, 'library');
  const pool = new CachedAnalysis(1);
  const engine = await Engine.open(libraryDir, { analyzer: pool });
  try {
    await engine.import([album]);
    await nameFaces(engine.library, Object.keys(ALBUM).map((name) => subjectAt(engine.library, join(album, name)).id), 'Andre');
  } finally {
    await engine.close();
    await pool.close();
  }
}, 300_000);
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

async function remove(values: CommandContext['values']): Promise<string> {
  const stdout = { isTTY: false, text: '', write: (chunk: string) => ((stdout.text += chunk), true) };
  const ctx = { values, positionals: [album], libraryDir, json: false, stdout, stderr: { ...stdout, text: '' }, signal: new AbortController().signal } as unknown as CommandContext;
  expect(await removeCommand.run(ctx)).toBe(0);
  return stdout.text;
}

describe('familiar remove, photos of the folder deleted from disk since its last import', () => {
  it('counts what comes back from the photos still on disk only, and says what becomes of the others', async () => {
    // Two of the four deleted since the folder was imported: the library has not looked yet.
    await unlink(join(album, 'andre_3.jpg'));
    await unlink(join(album, 'andre_4.jpg'));
    expect(await remove({ 'dry-run': true })).toContain(
      'Importing the folder again brings back the 2 photos still on disk, with what you said of 2 faces: names, confirmations, “not this person”. ' +
        '2 photos are no longer on disk: what you said of 2 faces in them comes back only if their files do.\n',
    );
  });

  it('says the same of one photo, of photos without a word of the user, and of a folder none of whose photos is on disk', () => {
    const plan = { photos: 3, decisionsKept: 1, photosNotOnDisk: 1, decisionsNotOnDisk: 1 };
    expect(comesBackSentence(plan, 'Importing the folder again')).toBe(
      'Importing the folder again brings back the 2 photos still on disk. 1 photo is no longer on disk: what you said of 1 face in it comes back only if its file does.',
    );
    expect(comesBackSentence({ ...plan, decisionsKept: 0, decisionsNotOnDisk: 0, photosNotOnDisk: 2 }, 'Importing the folder again')).toBe(
      'Importing the folder again brings back the 1 photo still on disk. 2 photos are no longer on disk: they come back only if their files do.',
    );
    expect(comesBackSentence({ ...plan, photosNotOnDisk: 3 }, 'Importing the folder again')).toBe(
      'They are no longer on disk: what you said of 1 face in them comes back only if their files do.',
    );
    // Every photo on disk: as before.
    expect(comesBackSentence({ photos: 3, decisionsKept: 2, photosNotOnDisk: 0, decisionsNotOnDisk: 0 }, 'Importing the folder again')).toBe(
      'Importing the folder again brings the photos back, with what you said of 2 faces: names, confirmations, “not this person”.',
    );
  });
});

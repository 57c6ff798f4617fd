// `familiar remove <folder>` says what importing the folder again brings back: what was said of the faces of the
// photos still on disk, not of those deleted since the folder's last import. QA: "brings them back with what you said
// of 17 faces" counted 2 photos deleted from disk; 15 came back. The plan, the line after the removal and undo's
// message say the one count, looked at once on the folder's own photos.
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../main/cli/command.js';
import { removeCommand } from '../../../main/cli/commands/remove.js';
import { Engine } from '../../../main/engine.js';
import { nameFaces, undoLast } from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
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

async function remove(values: CommandContext['values'], json = false): Promise<string> {
  const stdout = { isTTY: false, text: '', write: (chunk: string) => ((stdout.text += chunk), true) };
  const ctx = { values, positionals: [album], libraryDir, json, stdout, stderr: { ...stdout, text: '' }, signal: new AbortController().signal } as unknown as CommandContext;
  expect(await removeCommand.run(ctx)).toBe(0);
  return stdout.text;
}

describe('familiar remove, two photos of the folder deleted from disk since its last import', () => {
  it('says what comes back of the photos still on disk, before the removal, after it, and when undo is tried', async () => {
    await unlink(join(album, 'andre_3.jpg'));
    await unlink(join(album, 'andre_4.jpg'));
    const notOnDisk = '2 photos are no longer on disk: what you said of 2 faces in them comes back only if their files do.';

    const dryRun = await remove({ 'dry-run': true });
    expect(dryRun).toContain('Would remove ' + album + ' from the library: 4 photos and their 5 faces (4 you named, confirmed or corrected). The files still on disk stay there.\n');
    expect(dryRun).toContain(`Importing the folder again brings back the photos still on disk with what you said of 2 faces: names, confirmations, "not this person". ${notOnDisk}\n`);
    const plan = JSON.parse(await remove({ 'dry-run': true }, true));
    expect(plan).toMatchObject({ dryRun: true, photos: 4, decidedFaces: 4, decisionsKept: 4, photosNotOnDisk: 2, decisionsNotOnDisk: 2 });

    const removed = await remove({ yes: true });
    expect(removed).toContain(`What the analysis found in 4 photos is kept, with what you said of 2 faces: imported again, they come back as they were, not analysed again. ${notOnDisk}\n`);

    const library = await Library.open(libraryDir);
    try {
      expect((await undoLast(library)).message).toMatch(new RegExp(`Importing the folder again brings back the photos still on disk, with what you said of 2 faces \\(names, confirmations, "not this person"\\)\\. ${notOnDisk}$`));
    } finally {
      await library.close();
    }
  });
});

describe('familiar remove, every photo of the folder deleted from disk', () => {
  it('does not say importing the folder again brings them back, as none is on disk', async () => {
    const gone = await makeAlbum(join(work, 'gone'), { 'andre_5.jpg': 'lfw_subset/Andre_Agassi/Andre_Agassi_0005.jpg', 'andre_6.jpg': 'lfw_subset/Andre_Agassi/Andre_Agassi_0006.jpg' });
    const pool = new CachedAnalysis(1);
    const engine = await Engine.open(libraryDir, { analyzer: pool });
    try {
      await engine.import([gone]);
      await nameFaces(engine.library, [subjectAt(engine.library, join(gone, 'andre_5.jpg')).id, subjectAt(engine.library, join(gone, 'andre_6.jpg')).id], 'Andre');
    } finally {
      await engine.close();
      await pool.close();
    }
    await rm(gone, { recursive: true });
    const stdout = { isTTY: false, text: '', write: (chunk: string) => ((stdout.text += chunk), true) };
    const ctx = { values: { 'dry-run': true }, positionals: [gone], libraryDir, json: false, stdout, stderr: { ...stdout, text: '' }, signal: new AbortController().signal } as unknown as CommandContext;
    expect(await removeCommand.run(ctx)).toBe(0);
    expect(stdout.text).not.toContain('brings');
    expect(stdout.text).toContain('2 photos are no longer on disk: what you said of 2 faces in them comes back only if their files do.\n');
  });
});

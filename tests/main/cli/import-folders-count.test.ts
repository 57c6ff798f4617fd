// What `familiar import` says while it looks for photos counts the folders that hold them (QA, session 38: an album of
// three subfolders and no photo at its top said "120 found in 4 folders", its empty parent counted). Files named as
// photos whose content is none: the scan finds them as it finds photos, and no analysis is needed to skip them.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../main/cli/command.js';
import { importCommand } from '../../../main/cli/commands/import.js';

function terminal(): NodeJS.WriteStream & { text: string } {
  const stream = { isTTY: true, columns: 200, text: '', write(chunk: string) { stream.text += chunk; return true; } };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-cli-folders-count-'));
  // album/{2019,2020,2021}, two files each, and an empty folder beside them: nothing at the album's top.
  for (const sub of ['2019', '2020', '2021']) {
    await mkdir(join(work, 'album', sub), { recursive: true });
    for (const name of ['a.jpg', 'b.jpg']) await writeFile(join(work, 'album', sub, name), 'not a photo');
  }
  await mkdir(join(work, 'album', 'empty'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('familiar import, looking for photos', () => {
  it('counts the folders that hold photos, not their empty parent nor an empty subfolder', async () => {
    const stdout = terminal();
    const ctx: CommandContext = { values: { 'no-watch': true }, positionals: [join(work, 'album')], libraryDir: join(work, 'library'), json: false, stdout, stderr: terminal(), signal: new AbortController().signal };
    // Every file skipped as no photo: the import ends in failure, after its scan said what it found.
    expect(await importCommand.run(ctx)).toBe(1);
    // On a terminal the line is redrawn in place: each state it showed, the last of the scan's the whole count.
    const shown = stdout.text.split('\r').map((s) => s.trim()).filter((s) => s.startsWith('Looking for photos:'));
    expect(shown.at(-1)).toBe('Looking for photos: 6 found in 3 folders');
  });
});

// `familiar import` of another spelling of a folder the library has: a link to it. QA: the import moved every photo
// to the link's path and watched the folder twice; the link deleted, every photo was missing. It reads the folder as
// the library knows it now (the app's import.start too: main/api/handlers.ts). Real photos, real analysis.
import { copyFile, mkdir, mkdtemp, rm, symlink, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../main/cli/command.js';
import { importCommand } from '../../../main/cli/commands/import.js';
import { watchedFolders } from '../../../main/library/remove-folder.js';
import { Library } from '../../../main/store/library.js';
import { sharedFaces } from '../library/helpers.js';

function fakeStream(): NodeJS.WriteStream & { text: string } {
  const stream = { isTTY: false, columns: 100, text: '', write(chunk: string) { stream.text += chunk; return true; } };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

async function importRun(libraryDir: string, folder: string): Promise<{ code: number; out: string }> {
  const stdout = fakeStream();
  const ctx: CommandContext = { values: {}, positionals: [folder], libraryDir, json: false, stdout, stderr: fakeStream(), signal: new AbortController().signal };
  return { code: await importCommand.run(ctx), out: stdout.text };
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-cli-link-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('familiar import of a link to a folder the library has', () => {
  it('reads the photos at the paths the library has, watches the folder once, and loses nothing when the link goes', async () => {
    const album = join(work, 'Family-2019');
    const link = join(work, 'Link');
    const library = join(work, 'library');
    await mkdir(album);
    for (const file of ['obama.jpg', 'obama-480p.jpg']) await copyFile(join(sharedFaces, 'face_recognition', 'obama', file), join(album, file));
    expect((await importRun(library, album)).code).toBe(0);
    await symlink(album, link);

    const again = await importRun(library, link);
    expect(again.code).toBe(0);
    expect(again.out).not.toMatch(/new path|now watches/);
    await unlink(link);
    const lib = await Library.open(library, { readOnly: true });
    try {
      expect(lib.photos.flatMap((p) => p.paths).sort()).toEqual([join(album, 'obama-480p.jpg'), join(album, 'obama.jpg')]);
      expect(watchedFolders(lib.settings)).toEqual([album]);
    } finally {
      await lib.close();
    }
  });
});

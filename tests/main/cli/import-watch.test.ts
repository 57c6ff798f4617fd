// What `familiar import` says and does at its end, and what `who` and `names export` say of faces with no confirmed
// name, on real photos analysed by the real pipeline: a folder imported here is watched as one added in the app is
// (--no-watch imports once), the groups waiting for a name are counted, `who` names a face's unnamed group, and a
// confirmed-only export says how many faces it left out and how to include them.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../main/cli/command.js';
import { importCommand } from '../../../main/cli/commands/import.js';
import { namesExportCommand } from '../../../main/cli/commands/names.js';
import { whoCommand } from '../../../main/cli/commands/who.js';
import { watchedFolders } from '../../../main/library/remove-folder.js';
import { listPeople, namePerson } from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import { sharedFaces } from '../library/helpers.js';
import { runCli } from './cli-process.js';

function fakeStream(): NodeJS.WriteStream & { text: string } {
  const stream = { isTTY: false, columns: 100, text: '', write(chunk: string) { stream.text += chunk; return true; } };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

function context(libraryDir: string, positionals: string[], values: CommandContext['values'] = {}, json = false) {
  const stdout = fakeStream();
  const ctx: CommandContext = { values, positionals, libraryDir, json, stdout, stderr: fakeStream(), signal: new AbortController().signal };
  return { ctx, stdout };
}

let work: string;
let album: string;
let library: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-cli-watch-'));
  album = join(work, 'album');
  library = join(work, 'library');
  await mkdir(album);
  for (const file of ['obama.jpg', 'obama-240p.jpg', 'obama-480p.jpg', 'obama-720p.jpg']) {
    await copyFile(join(sharedFaces, 'face_recognition', 'obama', file), join(album, file));
  }
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

async function openRead<T>(fn: (lib: Library) => T | Promise<T>): Promise<T> {
  const lib = await Library.open(library, { readOnly: true });
  try {
    return await fn(lib);
  } finally {
    await lib.close();
  }
}

describe('familiar import, then who and names export', () => {
  it('watches the folder it imported, counts the groups to name, and who and names export say what a face without a confirmed name is', async () => {
    const imported = context(library, [album]);
    expect(await importCommand.run(imported.ctx)).toBe(0);
    // Watched as a folder added in the app is: listed with the others (Settings, library.info), kept up to date.
    expect(await openRead((lib) => watchedFolders(lib.settings))).toEqual([album]);
    expect(imported.stdout.text).toContain(
      `Familiar now watches ${album} for new photos: the app imports what appears there while it runs. "familiar import --no-watch" imports once; Settings lists the watched folders.\n`,
    );
    // The four photos of one man: one unnamed group waits for a name.
    const groups = await openRead((lib) => listPeople(lib).filter((p) => p.name === null));
    expect(groups).toHaveLength(1);
    const group = groups[0];
    expect(imported.stdout.text.trim().split('\n').at(-1)).toBe('1 group of faces waits for a name: "familiar people" lists them, or "Who is this?" in the app.');

    // who: not "unknown", but which unnamed group, and how to name it.
    const who = context(library, [join(album, 'obama.jpg')]);
    expect(await whoCommand.run(who.ctx)).toBe(0);
    expect(who.stdout.text).toMatch(
      new RegExp(`: in an unnamed group of ${group.faceCount} faces, ${group.id} \\(Who is this\\? in the app, or "familiar name ${group.id} <name>", names it\\)`),
    );
    const whoJson = context(library, [join(album, 'obama.jpg')], {}, true);
    await whoCommand.run(whoJson.ctx);
    expect(JSON.parse(whoJson.stdout.text).faces[0].unnamedGroup).toEqual({ id: group.id, faces: group.faceCount });

    // Importing again watches nothing new, and says nothing of it.
    const again = context(library, [album]);
    expect(await importCommand.run(again.ctx)).toBe(0);
    expect(again.stdout.text).not.toContain('now watches');

    // --no-watch imports once: the folder is not watched.
    const once = join(work, 'once');
    await mkdir(once);
    await copyFile(join(sharedFaces, 'face_recognition', 'biden', 'biden.jpg'), join(once, 'biden.jpg'));
    const onceRun = context(library, [once], { 'no-watch': true });
    expect(await importCommand.run(onceRun.ctx)).toBe(0);
    expect(onceRun.stdout.text).not.toContain('now watches');
    expect(await openRead((lib) => watchedFolders(lib.settings))).toEqual([album]);

    // The group named, and all but one of its faces joined him by themselves (as new photos' faces join a named
    // person), never confirmed: a confirmed-only export leaves them out, and says so, with the option that writes them.
    let leftOut = 0;
    const lib = await Library.open(library);
    try {
      await namePerson(lib, group.id, 'Barack Obama');
      await lib.transaction((tx) => {
        // Every face in a file: a resized copy's too, though People counts it once (its sidecar is the copy's own).
        const unconfirmed = tx.faces.filter((f) => f.personId === group.id).slice(1);
        leftOut = unconfirmed.length;
        for (const face of unconfirmed) face.assignedBy = 'cluster';
      });
    } finally {
      await lib.close();
    }
    const exported = context(library, [], { to: join(work, 'names') });
    expect(await namesExportCommand.run(exported.ctx)).toBe(0);
    expect(exported.stdout.text).toContain(
      `${leftOut} faces Familiar placed under a name were left out because you have not confirmed them; --include-unconfirmed writes them too, marked as unconfirmed.\n`,
    );
    const all = context(library, [], { to: join(work, 'names-all'), 'include-unconfirmed': true }, true);
    expect(await namesExportCommand.run(all.ctx)).toBe(0);
    expect(JSON.parse(all.stdout.text.trim().split('\n').at(-1)!)).toMatchObject({ written: leftOut + 1, unconfirmedLeftOut: 0 });
  }, 240_000);

  it('imports a folder inside a watched one as part of it, and a new folder holding a watched one takes its place, saying so', async () => {
    // Copies of a photo the library has: found, nothing analysed.
    const family = join(album, 'Family');
    await mkdir(family);
    await copyFile(join(sharedFaces, 'face_recognition', 'obama', 'obama.jpg'), join(family, 'obama.jpg'));
    const inside = context(library, [family]);
    expect(await importCommand.run(inside.ctx)).toBe(0);
    expect(inside.stdout.text).toContain(`${family} is inside ${album}, which Familiar watches already: it is kept up to date as part of it.\n`);
    expect(inside.stdout.text).not.toContain('now watches');
    expect(await openRead((lib) => watchedFolders(lib.settings))).toEqual([album]);

    const outer = join(work, 'outer');
    const inner = join(outer, 'inner');
    await mkdir(inner, { recursive: true });
    await copyFile(join(sharedFaces, 'face_recognition', 'obama', 'obama.jpg'), join(inner, 'obama.jpg'));
    expect(await importCommand.run(context(library, [inner]).ctx)).toBe(0);
    expect(await openRead((lib) => watchedFolders(lib.settings))).toEqual([album, inner]);
    const holding = context(library, [outer]);
    expect(await importCommand.run(holding.ctx)).toBe(0);
    expect(holding.stdout.text).toContain(`${inner}, watched before, is inside ${outer}: it is watched as part of it now, not on its own.\n`);
    expect(await openRead((lib) => watchedFolders(lib.settings))).toEqual([album, outer]);
  }, 120_000);

  it('documents --no-watch in "familiar import --help", and refuses it with --look-again', async () => {
    const help = await runCli('import', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('[--no-watch]');
    expect(help.out).toMatch(/--no-watch\s+Import once\. Without it, the folders imported are watched for new photos/);
    const refused = await runCli('import', '--look-again', '--no-watch', '--library', join(work, 'library'));
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('leave out --no-watch');
  });
});

// The import/faces/doctor/remove commands called in-process with fake terminals: progress bar on a TTY, plain lines
// otherwise, summary with skipped files, and clear errors.
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../main/cli/command.js';
import { facesCommand } from '../../../main/cli/commands/faces.js';
import { importCommand, progressLine } from '../../../main/cli/commands/import.js';
import { namesReadSentence, namesReadUndoes } from '../../../preload/contract.js';
import { READ_FORMATS_IN_WORDS } from '../../../main/library/formats.js';
import { describeRemoval, removeCommand } from '../../../main/cli/commands/remove.js';
import { doctorCommand } from '../../../main/cli/commands/doctor.js';
import { sharedFaces } from '../library/helpers.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = { isTTY, columns: 100, text: '', write(chunk: string) { stream.text += chunk; return true; } };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

function context(args: { positionals?: string[]; values?: CommandContext['values']; libraryDir: string; json?: boolean; tty?: boolean; stdin?: CommandContext['stdin'] }) {
  const stdout = fakeStream(args.tty ?? false);
  const stderr = fakeStream(false);
  const ctx: CommandContext = {
    values: args.values ?? {},
    positionals: args.positionals ?? [],
    libraryDir: args.libraryDir,
    json: args.json ?? false,
    stdout,
    stderr,
    ...(args.stdin && { stdin: args.stdin }),
    signal: new AbortController().signal,
  };
  return { ctx, stdout, stderr };
}

/** A terminal the user types `answer` into, once asked. */
function typing(answer: string): CommandContext['stdin'] {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  stdin.end(answer);
  return stdin;
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-cli-'));
  await mkdir(join(work, 'album'));
  await copyFile(join(sharedFaces, 'face_recognition', 'obama', 'obama_small.jpg'), join(work, 'album', 'obama.jpg'));
  await writeFile(join(work, 'album', 'broken.png'), 'not a png');
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('familiar import output', () => {
  it('formats progress as files, faces, rate and ETA', () => {
    const line = progressLine({ job: 'import', stage: 'analyse', done: 12, total: 40, etaSeconds: 75, ratePerSecond: 2.345, detail: { faces: 17 } });
    expect(line).toBe('12/40 files, 17 faces, 2.3 photos/s, ETA 01:15');
    expect(progressLine({ job: 'import', stage: 'analyse', done: 1, total: 1, etaSeconds: 0, ratePerSecond: null, detail: { faces: 1 } })).toBe(
      '1/1 file, 1 face, - photos/s, ETA 00:00',
    );
    // A later step of the import (new faces checked by the autoencoder) in its own words, not as files.
    expect(progressLine({ job: 'score-faceness', stage: 'score', done: 7, total: 7, etaSeconds: null, ratePerSecond: null, message: 'Checked 7 of 7 faces' })).toBe('Checked 7 of 7 faces');
    // The scan's own words (main/library/import.ts says "1 folder" itself).
    expect(progressLine({ job: 'import', stage: 'scan', done: 0, total: 0, etaSeconds: null, ratePerSecond: null, message: 'Looking for photos: 11 found in 1 folder' })).toBe(
      'Looking for photos: 11 found in 1 folder',
    );
    expect(progressLine({ job: 'import', stage: 'analyse', done: 0, total: 40, etaSeconds: null, ratePerSecond: null })).toBe(
      '0/40 files, 0 faces, - photos/s, ETA --:--',
    );
    expect(progressLine({ job: 'import', stage: 'cluster', done: 0, total: 47, etaSeconds: null, ratePerSecond: null, message: 'Grouping 47 faces into people' })).toBe('Grouping 47 faces into people');
    // New photos compared with those they may be copies of: its words and the time left, not as files and faces.
    const copies = 'Comparing the new photos with those they may be copies of: 300 of 1,000';
    expect(progressLine({ job: 'import', stage: 'copies', done: 300, total: 1000, etaSeconds: 95, ratePerSecond: 7.4, message: copies })).toBe(`${copies}, ETA 01:35`);
    // Resumed: the faces of the photos read before count with the files, the new ones said apart.
    expect(progressLine({ job: 'import', stage: 'analyse', done: 105, total: 204, etaSeconds: null, ratePerSecond: null, detail: { faces: 17, facesInPhotosRead: 128 } })).toBe(
      '105/204 files, 128 faces (17 new), - photos/s, ETA --:--',
    );
  });

  it('draws a progress bar on a terminal and ends with a summary naming skipped files', async () => {
    const { ctx, stdout } = context({ positionals: [join(work, 'album')], libraryDir: join(work, 'library'), tty: true });
    expect(await importCommand.run(ctx)).toBe(0);
    expect(stdout.text).toMatch(/\r\[#{24}\] 100% 2\/2 files, 1 face,/);
    expect(stdout.text).toMatch(/Imported 1 photo \(1 new, 1 analysed\) in [\d.]+ s: 1 face found, 1 in the library/);
    expect(stdout.text).toContain(`Skipped 1 file:\n  ${join(work, 'album', 'broken.png')}: not an image`);
  });

  it('prints plain lines when not on a terminal and refuses a missing folder', async () => {
    const { ctx, stdout } = context({ positionals: [join(work, 'album')], libraryDir: join(work, 'library') });
    expect(await importCommand.run(ctx)).toBe(0);
    expect(stdout.text).not.toContain('\r');
    // Imported before: its face counts with the files, none of it new.
    expect(stdout.text).toMatch(/^2\/2 files, 1 face \(0 new\)/m);
    // The end of the stage is one line, not one per report of it.
    expect(stdout.text.match(/^2\/2 files/gm)).toHaveLength(1);
    // Nothing new this time: said so, not "Imported 1 photo (0 new, 0 analysed)" (QA).
    expect(stdout.text).toContain(`Nothing new: the photo was already in the library (${join(work, 'library')}, 1 face).\nSkipped 1 file:`);
    expect(stdout.text).not.toContain('Imported');
    const missing = context({ positionals: [join(work, 'nowhere')], libraryDir: join(work, 'library') });
    await expect(importCommand.run(missing.ctx)).rejects.toThrow(`${join(work, 'nowhere')} does not exist.`);
  });

  it('fails (exit 1) when the file given is no photo, saying why in one sentence', async () => {
    const broken = join(work, 'album', 'broken.png');
    const text = context({ positionals: [broken], libraryDir: join(work, 'library-broken') });
    expect(await importCommand.run(text.ctx)).toBe(1);
    // QA: the app said "Your library is up to date"; the CLI "Imported 0 photos".
    expect(text.stderr.text).toBe(`familiar import: ${broken} cannot be read as a photo: its content is not a format Familiar reads.\n`);
    expect(text.stdout.text).not.toContain('Imported');
    const json = context({ positionals: [broken], libraryDir: join(work, 'library-broken'), json: true });
    expect(await importCommand.run(json.ctx)).toBe(1);
    const lines = json.stdout.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines.slice(0, -2).every((l) => l.type === 'progress')).toBe(true);
    expect(lines.at(-2)).toMatchObject({ type: 'summary', photos: 0, skipped: [{ path: broken }], noPhotos: { paths: [broken], fileReason: expect.stringContaining('not an image') } });
    // A failure, said as every failure is with --json: an error line, and the sentence on stderr.
    expect(lines.at(-1)).toEqual({ type: 'error', error: `${broken} cannot be read as a photo: its content is not a format Familiar reads`, code: 'failed' });
    expect(json.stderr.text).toBe(`familiar import: ${broken} cannot be read as a photo: its content is not a format Familiar reads.\n`);
  });

  it('fails (exit 1) when no file of a folder can be read, saying so on stderr too (QA: only stdout said why)', async () => {
    const unreadable = join(work, 'unreadable');
    await mkdir(unreadable, { recursive: true });
    await writeFile(join(unreadable, 'x.jpg'), 'a text file');
    await writeFile(join(unreadable, 'y.jpg'), '');
    const text = context({ positionals: [unreadable], libraryDir: join(work, 'library-unreadable') });
    expect(await importCommand.run(text.ctx)).toBe(1);
    expect(text.stderr.text).toBe(`familiar import: No photos Familiar can read in ${unreadable}; each of the 2 files is listed with why.\n`);
    expect(text.stdout.text).toContain(`Skipped 2 files:\n  ${join(unreadable, 'x.jpg')}: `);
    const json = context({ positionals: [unreadable], libraryDir: join(work, 'library-unreadable'), json: true });
    expect(await importCommand.run(json.ctx)).toBe(1);
    const lines = json.stdout.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines.at(-2)).toMatchObject({ type: 'summary', photos: 0, skipped: [{ path: join(unreadable, 'x.jpg') }, { path: join(unreadable, 'y.jpg') }] });
    expect(lines.at(-1)).toEqual({ type: 'error', error: `No photos Familiar can read in ${unreadable}`, code: 'failed' });
  });

  it('lists a file whose name holds a newline on one line, quoted, so it cannot pass for a line of the summary', async () => {
    // QA: "bad\nSkipped 0 files.jpg" printed "  …/bad" and a line "Skipped 0 files.jpg: damaged image…".
    const odd = join(work, 'odd-names');
    await mkdir(odd, { recursive: true });
    const name = 'bad\nSkipped 0 files.jpg';
    await writeFile(join(odd, name), 'a text file');
    await writeFile(join(odd, 'plain.jpg'), 'a text file');
    const text = context({ positionals: [odd], libraryDir: join(work, 'library-odd') });
    expect(await importCommand.run(text.ctx)).toBe(1);
    const listed = text.stdout.text.split('\n').filter((line) => line.startsWith('  '));
    expect(listed).toHaveLength(2);
    expect(listed[0].startsWith(`  ${JSON.stringify(join(odd, name))}: `)).toBe(true);
    expect(listed[1].startsWith(`  ${join(odd, 'plain.jpg')}: `)).toBe(true);
    expect(text.stdout.text).not.toMatch(/^Skipped 0 files/m);
  });

  it('says a folder has no photos, and succeeds', async () => {
    const empty = join(work, 'empty');
    await mkdir(join(empty, 'sub'), { recursive: true });
    const { ctx, stdout, stderr } = context({ positionals: [empty], libraryDir: join(work, 'library-empty') });
    expect(await importCommand.run(ctx)).toBe(0);
    // Watched, empty as it is, as the app watches it: photos put there later are imported.
    expect(stdout.text.trim().split('\n').slice(-2)).toEqual([
      `No photos in ${empty}: Familiar reads ${READ_FORMATS_IN_WORDS} files, in subfolders too.`,
      `Familiar now watches ${empty} for new photos: the app imports what appears there while it runs. "familiar import --no-watch" imports once; Settings lists the watched folders.`,
    ]);
    expect(stdout.text).not.toContain('Imported');
    expect(stderr.text).toBe('');
  });

  it("says in plain words what other apps' face tags named, in the Import screen's words (preload/contract.ts)", () => {
    expect(namesReadSentence({ names: { facesNamed: 229, facesAdded: 1, newPeople: ['Cleo'], conflicts: 0, decision: 'x' } })).toBe(
      'Read 229 names from the face tags other apps saved (new people: Cleo). 1 of them marked a face the detector had missed, which was added.',
    );
    expect(namesReadSentence({ names: { facesNamed: 1, facesAdded: 2, newPeople: [], conflicts: 3, decision: null } })).toBe(
      'Read 1 name from the face tags other apps saved. 2 of them marked faces the detector had missed, which were added. 3 tags disagreed with the answers this library has, which were kept.',
    );
    // A folder imported again brings back the names Familiar wrote beside its photos: said as Familiar's, not other apps'.
    expect(namesReadSentence({ names: { facesNamed: 3, namedFromFamiliar: 3, facesAdded: 0, newPeople: [], conflicts: 0, decision: 'x', rejectionsRead: 2 } })).toBe(
      'Read back the names Familiar wrote beside the photos: 3 names, and 2 “not this person” answers.',
    );
    expect(namesReadSentence({ names: { facesNamed: 5, namedFromFamiliar: 2, facesAdded: 0, newPeople: ['Cleo'], conflicts: 0, decision: 'x' } })).toBe(
      'Read 5 names: 3 from the face tags other apps saved, 2 of the names Familiar wrote beside the photos (new people: Cleo).',
    );
    // Faces the detector had missed, found where Picasa marked faces nobody named: said, alone or after the names.
    expect(namesReadSentence({ names: { facesNamed: 0, facesAdded: 0, newPeople: [], conflicts: 0, decision: 'x', unnamedFacesFound: 1 } })).toBe(
      'Another app marked a face the detector had missed, with no name: it was added.',
    );
    expect(namesReadSentence({ names: { facesNamed: 2, facesAdded: 0, newPeople: [], conflicts: 0, decision: 'x', unnamedFacesFound: 3 } })).toBe(
      'Read 2 names from the face tags other apps saved. Other apps marked 3 faces the detector had missed, with no name: they were added.',
    );
    // What "familiar undo" (the Import screen's Undo) takes back: the names, or only the faces found.
    expect(namesReadUndoes({ facesNamed: 0, facesAdded: 0, newPeople: [], conflicts: 0, decision: 'x', unnamedFacesFound: 2 })).toBe('the faces out again');
    expect(namesReadUndoes({ facesNamed: 2, facesAdded: 0, newPeople: [], conflicts: 0, decision: 'x', unnamedFacesFound: 2 })).toBe('the names back');
    expect(namesReadSentence({ names: null, namesNotRead: true })).toBe(
      "The names other apps saved in the photos' face tags were not read: you cancelled while Familiar read them.",
    );
    expect(namesReadSentence({ names: null, namesNotRead: false })).toBeNull();
  });
});

describe('familiar faces', () => {
  it('says there is no library instead of creating one', async () => {
    const { ctx } = context({ libraryDir: join(work, 'no-library'), json: true });
    await expect(facesCommand.run(ctx)).rejects.toThrow(/There is no Familiar library at .*no-library; run "familiar import <folder>"/);
  });

  it('doctor fails on a library path that is a file, instead of offering to create a library there', async () => {
    const file = join(work, 'a-file');
    await writeFile(file, 'x');
    const doctor = context({ libraryDir: file });
    expect(await doctorCommand.run(doctor.ctx)).toBe(1);
    expect(doctor.stdout.text).toContain(`Library: ${file}\n  ERROR: ${file} is a file, not a library folder.`);
  });

  it('doctor, while another program writes the library, calls what it sees a moment of that work, not damage', async () => {
    const library = join(work, 'library');
    // A live writer (this very process, on this machine) and an index that lags the vectors, as during an import.
    await writeFile(join(library, '.lock'), JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), program: 'familiar import' }));
    await rm(join(library, 'index', 'embedding.meta.json'), { force: true });
    try {
      const doctor = context({ libraryDir: library });
      await doctorCommand.run(doctor.ctx);
      expect(doctor.stdout.text).toContain('while familiar import writes the library, these are a moment of its work, not damage');
      expect(doctor.stdout.text).not.toContain('problems found on open');
    } finally {
      await rm(join(library, '.lock'), { force: true });
    }
  });

  it('lists faces as JSON with boxes in original pixels', async () => {
    const { ctx, stdout } = context({ libraryDir: join(work, 'library'), json: true });
    expect(await facesCommand.run(ctx)).toBe(0);
    const out = JSON.parse(stdout.text);
    expect(out.count).toBe(1);
    expect(out.faces[0]).toMatchObject({ photoPath: join(work, 'album', 'obama.jpg'), personId: null, personName: null });
    expect(out.faces[0].embedding).toBeUndefined();
  });
});

describe('familiar remove', () => {
  it('lists each named person who loses faces on a short line, and says once that the names left with no face are kept', () => {
    const person = (name: string, faces: number, facesLeft: number) => ({ personId: `person-${name}`, name, faces, facesLeft });
    const plan = { folder: '/photos/reunion', photos: 9, photosKeptElsewhere: 0, faces: 9, decidedFaces: 9, setAsideFaces: 0, decisionsKept: 9, photosNotOnDisk: 0, decisionsNotOnDisk: 0, watched: false };
    expect(describeRemoval({ ...plan, namedPeople: [person('Ada', 5, 12), person('Cousin Ed', 2, 0), person('Cousin Flo', 2, 0)] }, 'would')).toBe(
      'Would remove /photos/reunion from the library: 9 photos and their 9 faces (9 you named, confirmed or corrected). The files stay on disk.\n' +
        '  Ada: 5 faces would go, 12 left\n  Cousin Ed: 2 faces would go, none left\n  Cousin Flo: 2 faces would go, none left\n' +
        'Their names are kept, with no face, for when a face is named so again.\n',
    );
    expect(describeRemoval({ ...plan, namedPeople: [person('Cousin Ed', 2, 0)] }, 'did')).toContain(
      '  Cousin Ed: 2 faces went, none left\n“Cousin Ed” is kept, with no face, for when a face is named so again.\n',
    );
    expect(describeRemoval({ ...plan, namedPeople: [person('Ada', 5, 12)] }, 'did')).not.toContain('kept, with no face');
  });

  it('says what a folder would take with it, then takes the folder out of the library and leaves the files', async () => {
    const library = join(work, 'library');
    const extra = join(work, 'extra');
    await mkdir(extra);
    await copyFile(join(sharedFaces, 'face_recognition', 'biden', 'biden.jpg'), join(extra, 'biden.jpg'));
    expect(await importCommand.run(context({ positionals: [extra], libraryDir: library }).ctx)).toBe(0);

    const dry = context({ positionals: [extra], values: { 'dry-run': true }, libraryDir: library });
    expect(await removeCommand.run(dry.ctx)).toBe(0);
    // Imported from the command line, it is watched as a folder added in the app is.
    expect(dry.stdout.text).toBe(
      `Would remove ${extra} from the library: 1 photo and its 1 face. The files stay on disk.\nIt would no longer be watched for new photos.\nImporting the folder again brings them back.\n`,
    );

    // Undo cannot take it back: a script says --yes, a terminal is asked; anything but yes removes nothing.
    await expect(removeCommand.run(context({ positionals: [extra], libraryDir: library, json: true }).ctx)).rejects.toThrow(
      `undo cannot take a removal back: add --yes to remove ${extra}, or --dry-run to see what would go.`,
    );
    const declined = context({ positionals: [extra], libraryDir: library, tty: true, stdin: typing('n\n') });
    expect(await removeCommand.run(declined.ctx)).toBe(1);
    expect(declined.stdout.text).toMatch(/^Would remove .*\nImporting the folder again brings them back\. Undo cannot take the removal back\.\nRemove it from the library\? \[y\/N\] Nothing removed\.\n$/s);
    expect(await removeCommand.run(context({ positionals: [extra], libraryDir: library, tty: true, stdin: typing('') }).ctx)).toBe(1);
    const dryAgain = context({ positionals: [extra], values: { 'dry-run': true }, libraryDir: library });
    await removeCommand.run(dryAgain.ctx);
    expect(dryAgain.stdout.text).toBe(dry.stdout.text);
    // With --json, a summary as every long-running command ends with, saying it is a dry run (QA: a bare object).
    const dryJson = context({ positionals: [extra], values: { 'dry-run': true }, libraryDir: library, json: true });
    expect(await removeCommand.run(dryJson.ctx)).toBe(0);
    expect(JSON.parse(dryJson.stdout.text)).toMatchObject({ type: 'summary', dryRun: true, folder: extra, photos: 1, faces: 1 });

    const json = context({ positionals: [extra], values: { yes: true }, libraryDir: library, json: true });
    expect(await removeCommand.run(json.ctx)).toBe(0);
    // Progress lines, then the summary: the shape of every long-running command's --json stream.
    const lines = json.stdout.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines.slice(0, -1).every((l) => l.type === 'progress')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', folder: extra, photos: 1, faces: 1, photosKeptElsewhere: 0, groupsRemoved: 0 });
    const faces = context({ libraryDir: library, json: true });
    await facesCommand.run(faces.ctx);
    expect(JSON.parse(faces.stdout.text).faces.map((f: { photoPath: string }) => f.photoPath)).toEqual([join(work, 'album', 'obama.jpg')]);
    expect(existsSync(join(extra, 'biden.jpg'))).toBe(true);

    await expect(removeCommand.run(context({ positionals: [extra], libraryDir: library }).ctx)).rejects.toThrow(/has no photo in .*extra, and does not watch it/);
    await expect(removeCommand.run(context({ positionals: [], libraryDir: library }).ctx)).rejects.toThrow(/exactly one folder/);

    // Its vector row ended the files and was cut; a folder imported first leaves its rows unused, and doctor says so.
    const vectorsLine = async () => {
      const doctor = context({ libraryDir: library });
      await doctorCommand.run(doctor.ctx);
      return /vectors: [^;]*/.exec(doctor.stdout.text)?.[0];
    };
    expect(await vectorsLine()).toBe('vectors: 1 row, index: 1 entry');
    const doctor = context({ libraryDir: library });
    await doctorCommand.run(doctor.ctx);
    // The threshold to 3 decimals (--json keeps it whole).
    expect(doctor.stdout.text).toMatch(/same person under cosine distance \d\.\d{3}\n/);
    expect(doctor.stdout.text).toMatch(/^ {2}1 photo \(0 missing, 0 awaiting analysis\), 1 face, 0 people \(0 named\)$/m);
    expect(await importCommand.run(context({ positionals: [extra], libraryDir: library }).ctx)).toBe(0);
    const asked = context({ positionals: [join(work, 'album')], libraryDir: library, tty: true, stdin: typing('yes\n') });
    expect(await removeCommand.run(asked.ctx)).toBe(0);
    expect(asked.stdout.text).toContain('Remove it from the library? [y/N] Removed ');
    expect(await vectorsLine()).toBe('vectors: 2 rows (1 no longer used), index: 1 entry');

    // A photo deleted outside Familiar stays, missing, until the user says to forget it.
    await rm(join(extra, 'biden.jpg'));
    await importCommand.run(context({ positionals: [extra], libraryDir: library }).ctx);
    const forget = context({ values: { missing: true, 'dry-run': true }, libraryDir: library });
    expect(await removeCommand.run(forget.ctx)).toBe(0);
    expect(forget.stdout.text).toBe('Would forget the 1 photo missing from disk and its 1 face.\nImporting the photos again from where they are now brings them back.\n');
    expect(await removeCommand.run(context({ values: { missing: true, yes: true }, libraryDir: library }).ctx)).toBe(0);
    // Nothing left to forget is an answer (exit 0), not a failure.
    const nothing = context({ values: { missing: true }, libraryDir: library });
    expect(await removeCommand.run(nothing.ctx)).toBe(0);
    expect(nothing.stdout.text).toBe('Every photo of the library is on disk: nothing to forget.\n');
    const nothingDry = context({ values: { missing: true, 'dry-run': true }, libraryDir: library, json: true });
    expect(await removeCommand.run(nothingDry.ctx)).toBe(0);
    expect(JSON.parse(nothingDry.stdout.text)).toEqual({ type: 'summary', dryRun: true, photos: 0, faces: 0, message: 'Every photo of the library is on disk: nothing to forget.' });
    await expect(removeCommand.run(context({ positionals: [extra], values: { missing: true }, libraryDir: library }).ctx)).rejects.toThrow(/--missing takes no folder/);
  });
});

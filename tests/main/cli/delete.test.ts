// `familiar delete <person>` on a real small library (photos imported, then named as a user would): the person goes,
// their faces stay as unknown faces grouped again, and `familiar undo` puts back every face as it was. A name that is
// not exactly one person's deletes nothing: a typo is answered with the name meant, namesakes with their ids.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine.js';
import { newPersonId, nowIso } from '../../../main/people/library.js';
import { Library } from '../../../main/store/library.js';
import { sharedFaces } from '../library/helpers.js';
import { runCli } from './cli-process.js';

let dir: string;
let libraryDir: string;
let obama: string;
let jose: string;
let joseAccented: string;

/** Each face's person and how it got there, by face id: what an undo must give back exactly. */
async function facesAsTheyAre(): Promise<Record<string, [string | null, string | null]>> {
  const library = await Library.open(libraryDir, { readOnly: true });
  try {
    return Object.fromEntries(library.faces.map((f) => [f.id, [f.personId, f.assignedBy]]));
  } finally {
    await library.close();
  }
}

async function peopleNow(): Promise<Array<{ id: string; name: string | null }>> {
  const library = await Library.open(libraryDir, { readOnly: true });
  try {
    return library.people.people.map((p) => ({ id: p.id, name: p.name }));
  } finally {
    await library.close();
  }
}

const cli = (...args: string[]) => runCli(...args, '--library', libraryDir);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'familiar-cli-delete-'));
  const album = join(dir, 'album');
  // Six photos of Obama, two of Biden, three of Kit Harington: a few seconds to import.
  for (const [who, take] of [['obama', 6], ['biden', 2], ['kit_harington', 3]] as const) {
    mkdirSync(join(album, who), { recursive: true });
    const from = join(sharedFaces, 'face_recognition', who);
    for (const file of readdirSync(from).sort().slice(0, take)) cpSync(join(from, file), join(album, who, file));
  }
  libraryDir = join(dir, 'library');
  const engine = await Engine.open(libraryDir);
  try {
    await engine.import([album]);
  } finally {
    await engine.close();
  }
  // Named as a user would: Obama's faces confirmed as "Barack Obama"; two namesakes, "Jose" and "José", whose names
  // "Josè" could be either of.
  const library = await Library.open(libraryDir);
  try {
    [obama, jose, joseAccented] = [newPersonId(), newPersonId(), newPersonId()];
    const folderOf = (photoId: string) => library.photo(photoId)!.paths[0].split(sep).at(-2);
    await library.transaction((tx) => {
      tx.people.people = [
        { id: obama, name: 'Barack Obama', hidden: false, coverFaceId: null, createdAt: nowIso() },
        { id: jose, name: 'Jose', hidden: false, coverFaceId: null, createdAt: nowIso() },
        { id: joseAccented, name: 'José', hidden: false, coverFaceId: null, createdAt: nowIso() },
      ];
      for (const f of tx.faces) {
        const folder = folderOf(f.photoId);
        const [personId, assignedBy] = folder === 'obama' ? [obama, 'user' as const] : folder === 'biden' ? [jose, 'cluster' as const] : [joseAccented, 'cluster' as const];
        Object.assign(f, { personId, assignedBy, rejectedPersonIds: [] });
      }
    });
  } finally {
    await library.close();
  }
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('familiar delete', () => {
  it('is listed in the help, with its usage', async () => {
    const help = await runCli('help');
    expect(help.out).toMatch(/^ {2}delete +Delete a person or group: their faces stay in your photos, as unknown faces/m);
    const usage = await runCli('delete', '--help');
    expect(usage.code).toBe(0);
    expect(usage.out).toMatch(/^Usage: familiar delete <person> \[--library DIR\] \[--json\]\n/);
  });

  it('deletes nothing on a name nobody has, and names the person meant', async () => {
    const before = await facesAsTheyAre();
    const typo = await cli('delete', 'Barak Obama');
    expect(typo.code).toBe(1);
    expect(typo.err).toBe('familiar delete: No person "Barak Obama"; did you mean "Barack Obama"? Give a person id or the name of a named person ("familiar people" lists them).\n');
    // One word of the name: the person it is part of.
    expect((await cli('delete', 'obama')).err).toMatch(/^familiar delete: No person "obama"; did you mean "Barack Obama"\? Give a person id/);
    // Every command finds people the same way (resolvePerson).
    expect((await cli('search', 'Barak Obama')).err).toMatch(/^familiar search: No person "Barak Obama"; did you mean "Barack Obama"\?/);
    expect((await cli('delete', 'Nobody At All')).err).toBe('familiar delete: No person "Nobody At All". Give a person id or the name of a named person ("familiar people" lists them).\n');
    expect(await facesAsTheyAre()).toEqual(before);
  }, 120_000);

  it('deletes nothing on a name two people could have, and gives their ids', async () => {
    const ambiguous = await cli('delete', 'Josè');
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.err).toBe(
      `familiar delete: "Josè" is ambiguous: 2 people have that name ("Jose" ${jose}, "José" ${joseAccented}); use an id.\n`,
    );
    // Nobody was deleted.
    expect((await peopleNow()).map((p) => p.name)).toEqual(['Barack Obama', 'Jose', 'José']);
  }, 120_000);

  it('refuses a name in several words without quotes, saying how to write it', async () => {
    const words = await cli('delete', 'Barack', 'Obama');
    expect(words.code).toBe(2);
    expect(words.err).toMatch(/^familiar delete: give one person; a name with spaces goes in quotes: familiar delete "Barack Obama"\.\n/);
    expect((await cli('delete')).code).toBe(2);
  }, 120_000);

  it('deletes a person by name: the faces stay, unknown and grouped again; familiar undo gives every face back', async () => {
    const before = await facesAsTheyAre();
    const obamaFaces = Object.entries(before).filter(([, [personId]]) => personId === obama).map(([id]) => id);
    expect(obamaFaces).toHaveLength(6);
    // Said as People counts them: obama-240p, -480p and -720p are resized copies of obama-1080p, one face with it.
    const listed = JSON.parse((await cli('people', '--json')).out) as Array<{ id: string; faceCount: number }>;
    expect(listed.find((p) => p.id === obama)?.faceCount).toBe(3);

    const deleted = await cli('delete', 'barack obama');
    expect(deleted.err).toBe('');
    expect(deleted.code).toBe(0);
    const lines = deleted.out.trim().split('\n');
    expect(lines[0]).toBe('Deleted "Barack Obama"; 3 faces no longer have a name.');
    expect(lines.at(-1)).toBe('"familiar undo" takes it back: the person, their name and every face as it was.');

    const after = await facesAsTheyAre();
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect((await peopleNow()).some((p) => p.id === obama || p.name === 'Barack Obama')).toBe(false);
    // What the user confirmed is forgotten; where the faces went is said ("Grouped again: ...") when they went anywhere.
    for (const id of obamaFaces) expect(after[id][1]).not.toBe('user');
    const regrouped = obamaFaces.filter((id) => after[id][0] !== null).length;
    if (regrouped > 0) expect(lines[1]).toMatch(/^Grouped again: \d+ faces? (in a new unnamed group person-|with ")/);

    const undone = await cli('undo');
    expect(undone.out).toBe('"Barack Obama" is back, with 3 faces.\n');
    expect(await facesAsTheyAre()).toEqual(before);
    expect((await peopleNow()).map((p) => [p.id, p.name])).toContainEqual([obama, 'Barack Obama']);
  }, 120_000);

  it('deletes by id with --json, saying where each face went', async () => {
    const before = await facesAsTheyAre();
    const deleted = await cli('delete', jose, '--json');
    expect(deleted.code).toBe(0);
    const result = JSON.parse(deleted.out) as { description: string; personIds: string[]; faceIds: string[]; regrouped: Array<{ personId: string | null; faces: number }> };
    expect(result.description).toBe('Deleted "Jose"; 2 faces no longer have a name.');
    expect(result.personIds).toEqual([jose]);
    expect(result.faceIds).toHaveLength(2);
    expect(result.regrouped.reduce((sum, r) => sum + r.faces, 0)).toBe(2);
    await cli('undo');
    expect(await facesAsTheyAre()).toEqual(before);
  }, 120_000);

  it('says undo gives an unnamed group back without speaking of its name', async () => {
    const library = await Library.open(libraryDir);
    try {
      await library.transaction((tx) => {
        tx.people.people.find((p) => p.id === joseAccented)!.name = null;
      });
    } finally {
      await library.close();
    }
    const before = await facesAsTheyAre();
    const deleted = await cli('delete', joseAccented);
    expect(deleted.code).toBe(0);
    expect(deleted.out.trim().split('\n').at(-1)).toBe('"familiar undo" takes it back: the group and every face as it was.');
    await cli('undo');
    expect(await facesAsTheyAre()).toEqual(before);
  }, 120_000);
});

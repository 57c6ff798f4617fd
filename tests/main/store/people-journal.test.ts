// people.journal (main/store/people-journal.ts, schema version 5): a decision appends the people and decisions it
// changed instead of rewriting people.json; close and open merge it; a crash at any point replays it, a line cut short
// is dropped, damage is reported and the rest kept, a journal of another version is set aside, a failed commit takes
// its line back; a version 4 library opens with its journals and is rewritten as 5.
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { confirmFaces, nameFaces, rejectFaces, undoLast } from '../../../main/people/index.js';
import { Library } from '../../../main/store/library.js';
import { PeopleJournal, replayPeople } from '../../../main/store/people-journal.js';
import { SCHEMA_VERSION, type PeopleDocument, type PersonRecord } from '../../../main/store/types.js';
import { addPhotos } from '../../helpers/store-records.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-people-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(`${dir}-crash`, { recursive: true, force: true });
});

const exists = (file: string) => stat(file).then(() => true, () => false);
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const ids = (records: Array<{ id: string }>) => records.map((r) => r.id);
type Line = { people: { put: PersonRecord[]; remove: string[] }; decisions: { put: Array<{ id: string }>; remove: string[] }; fields?: Record<string, unknown> };

/** The journal's changes, after its first line, which names the people.json they go over. */
async function journalLines(file = join(dir, 'people.journal')): Promise<Line[]> {
  const [header, ...changes] = (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  expect(header).toEqual({ extends: expect.stringMatching(/^\d+-[0-9a-f]{12}$/) });
  return changes;
}

/** The library folder as a process killed right now would leave it (without its lock); afterEach removes it. */
async function crashCopy(): Promise<string> {
  const copy = `${dir}-crash`;
  await rm(copy, { recursive: true, force: true });
  await cp(dir, copy, { recursive: true, filter: (src) => !src.endsWith('.lock') });
  return copy;
}

/** A closed library of three photos with two faces each, opened again. */
async function openWithSixFaces(): Promise<Library> {
  const library = await Library.open(dir);
  await addPhotos(library, 1, 3);
  await library.close();
  return Library.open(dir);
}

const faceAt = (library: Library, n: number) => library.faces[n].id;
const named = (library: Library) => library.people.people.map((p) => p.name);

describe('people.journal', () => {
  it('a decision appends the people and the decision it changed; people.json is rewritten on close, the journal kept beside its backup', async () => {
    const library = await openWithSixFaces();
    const peopleBefore = await readFile(join(dir, 'people.json'), 'utf8');
    await nameFaces(library, [faceAt(library, 0)], 'Ann');
    await confirmFaces(library, [faceAt(library, 1)], 'Ann');
    await library.transaction((tx) => void (tx.people.regroupPending = true));

    // people.json as it was; one line a commit, holding only what changed.
    expect(await readFile(join(dir, 'people.json'), 'utf8')).toBe(peopleBefore);
    const [enrol, confirm, flag] = await journalLines();
    const [ann] = library.people.people;
    const [first, second] = library.people.decisions as Array<{ id: string }>;
    expect(enrol.people).toEqual({ put: [plain(ann)], remove: [] });
    expect(ids(enrol.decisions.put)).toEqual([first.id]);
    expect(enrol.fields).toBeUndefined();
    expect(ids(confirm.decisions.put)).toEqual([second.id]);
    expect(flag).toEqual({ people: { put: [], remove: [] }, decisions: { put: [], remove: [] }, fields: { upgrades: library.people.upgrades, regroupPending: true } });

    // A reader beside the writer sees every decision.
    const reader = await Library.open(dir, { readOnly: true });
    expect(plain(reader.people)).toEqual(plain(library.people));
    expect(reader.repairs).toEqual([]);
    await reader.close();

    const expected = plain(library.people);
    await library.close();
    expect(await exists(join(dir, 'people.journal'))).toBe(false);
    expect(await readFile(join(dir, 'backups', 'people.json'), 'utf8')).toBe(peopleBefore);
    expect(await journalLines(join(dir, 'backups', 'people.journal'))).toHaveLength(3);
    const merged = JSON.parse(await readFile(join(dir, 'people.json'), 'utf8'));
    expect(merged.schemaVersion).toBe(SCHEMA_VERSION);
    expect(merged.generation).toMatch(/^\d+-[0-9a-f]+$/);
    const again = await Library.open(dir);
    expect(again.repairs).toEqual([]);
    expect(plain(again.people)).toEqual(expected);
    await again.close();
  });

  it('after a crash, open replays every commit, drops a line cut short, merges and says so', async () => {
    const library = await openWithSixFaces();
    await nameFaces(library, [faceAt(library, 0)], 'Ann');
    await nameFaces(library, [faceAt(library, 2)], 'Bob');
    await rejectFaces(library, [faceAt(library, 3)], 'Ann');
    await undoLast(library); // the rejection
    await undoLast(library); // Bob's name: Bob goes
    await library.transaction((tx) => void (tx.people.regroupPending = true));
    expect(named(library)).toEqual(['Ann']);
    const commits = (await journalLines()).length;
    const expected = plain(library.people);
    const copy = await crashCopy();
    await library.close();
    // The next commit was being written when the process died: half a line, no newline.
    await writeFile(join(copy, 'people.journal'), '{"people":{"put":[{"id":"person-', { flag: 'a' });

    const reopened = await Library.open(copy);
    try {
      expect(plain(reopened.people)).toEqual(expected);
      expect(reopened.repairs.find((r) => r.part === 'people.journal')).toEqual({
        part: 'people.journal',
        problem: `${commits} changes not yet merged into people.json (Familiar did not close normally)`,
        action: 'merged into people.json; nothing was lost',
      });
      expect(await exists(join(copy, 'people.journal'))).toBe(false);
      expect(JSON.parse(await readFile(join(copy, 'people.json'), 'utf8'))).toMatchObject({ people: expected.people, decisions: expected.decisions, regroupPending: true });
    } finally {
      await reopened.close();
    }
  });

  it('a crash between rewriting people.json and deleting its journal: the journal, of the version before, is set aside', async () => {
    const library = await openWithSixFaces();
    await nameFaces(library, [faceAt(library, 0)], 'Ann');
    await nameFaces(library, [faceAt(library, 2)], 'Bob');
    // A new order is no line: people.json is rewritten whole, and its journal goes beside the backup.
    await library.transaction((tx) => {
      tx.people.people.reverse();
      tx.people.people[1].name = 'Anna';
    });
    expect(await exists(join(dir, 'people.journal'))).toBe(false);
    const expected = plain(library.people);
    await library.close();
    await cp(join(dir, 'backups', 'people.journal'), join(dir, 'people.journal'));

    const reopened = await Library.open(dir);
    try {
      expect(plain(reopened.people)).toEqual(expected);
      expect(named(reopened)).toEqual(['Bob', 'Anna']);
      expect(reopened.repairs.map((r) => r.part)).toEqual(['people.journal']);
      expect(reopened.repairs[0].action).toMatch(/^not replayed: people\.json already holds those changes or later ones; set aside in backups\//);
      expect(await exists(join(dir, 'people.journal'))).toBe(false);
    } finally {
      await reopened.close();
    }
  });

  it('a damaged line stops the replay there: the changes before it are kept and the loss is reported', async () => {
    const library = await openWithSixFaces();
    await nameFaces(library, [faceAt(library, 0)], 'Ann');
    await nameFaces(library, [faceAt(library, 2)], 'Bob');
    await nameFaces(library, [faceAt(library, 4)], 'Cy');
    const copy = await crashCopy();
    await library.close();
    const lines = (await readFile(join(copy, 'people.journal'), 'utf8')).split('\n');
    lines[2] = lines[2].replace('"name":"Bob"', '"name":17'); // the second change, after the first line
    await writeFile(join(copy, 'people.journal'), lines.join('\n'));

    const reopened = await Library.open(copy);
    try {
      expect(named(reopened)).toEqual(['Ann']);
      expect(reopened.people.decisions).toHaveLength(1);
      const repair = reopened.repairs.find((r) => r.part === 'people.journal')!;
      expect(repair.problem).toMatch(/^change 2 of 3 is damaged \(a person with an unexpected shape at name/);
      expect(repair.action).toMatch(/1 change before it was merged into people.json; 2 from it on could not be read and were set aside in backups\/people.journal/);
      expect(await readFile(join(copy, 'backups', 'people.journal'), 'utf8')).toBe(lines.join('\n'));
    } finally {
      await reopened.close();
    }
  });

  it('a failed commit takes its line back, in memory and on disk, and the journal goes on from there', async () => {
    const library = await openWithSixFaces();
    await nameFaces(library, [faceAt(library, 0)], 'Ann');
    const journalBefore = await readFile(join(dir, 'people.journal'));
    const expected = plain(library.people);
    // settings.json, written after people.json, cannot be replaced: its backup slot is taken by a folder.
    await rm(join(dir, 'backups', 'settings.json'), { force: true });
    await mkdir(join(dir, 'backups', 'settings.json', 'blocker'), { recursive: true });
    await expect(
      library.transaction((tx) => {
        tx.people.people[0].name = 'Anna';
        tx.settings.samePersonDistance = 0.5;
      }),
    ).rejects.toThrow();
    expect(await readFile(join(dir, 'people.journal'))).toEqual(journalBefore);
    expect(plain(library.people)).toEqual(expected);
    await rm(join(dir, 'backups', 'settings.json'), { recursive: true });

    await nameFaces(library, [faceAt(library, 2)], 'Bob');
    const after = plain(library.people);
    const copy = await crashCopy();
    await library.close();
    const reopened = await Library.open(copy);
    try {
      expect(plain(reopened.people)).toEqual(after);
      expect(reopened.repairs.find((r) => r.part === 'people.journal')?.problem).toMatch(/^2 changes not yet merged/);
    } finally {
      await reopened.close();
    }
  });

  it('a library of schema version 4 opens with its faces.journal replayed, and is rewritten as 5 with a people.json generation', async () => {
    const library = await openWithSixFaces();
    await nameFaces(library, [faceAt(library, 0)], 'Ann');
    await library.close();
    const writer = await Library.open(dir);
    const face = writer.faces[1];
    await writer.transaction((tx) => tx.put('faces', [{ ...face, faceness: 0.25 }]));
    const copy = await crashCopy();
    await writer.close();
    // What a version 4 build left: every document of version 4, faces.json and photos.json stamped, people.json not.
    for (const name of ['library', 'photos', 'faces', 'people', 'settings']) {
      const file = join(copy, `${name}.json`);
      const written = JSON.parse(await readFile(file, 'utf8'));
      if (name === 'people') delete written.generation;
      await writeFile(file, JSON.stringify({ ...written, schemaVersion: 4 }));
    }

    const reopened = await Library.open(copy);
    try {
      expect(reopened.face(face.id)?.faceness).toBe(0.25);
      expect(named(reopened)).toEqual(['Ann']);
      expect(reopened.repairs.map((r) => r.part)).toContain('faces.journal');
      for (const name of ['photos', 'faces', 'people']) {
        const written = JSON.parse(await readFile(join(copy, `${name}.json`), 'utf8'));
        expect(written.schemaVersion, name).toBe(SCHEMA_VERSION);
        expect(written.generation, name).toMatch(/^\d+-[0-9a-f]+$/);
      }
      // The next decision is a line of people.journal over that people.json.
      await nameFaces(reopened, [faceAt(reopened, 2)], 'Bob');
      expect(await journalLines(join(copy, 'people.journal'))).toHaveLength(1);
    } finally {
      await reopened.close();
    }
  });
});

describe('PeopleJournal.diff', () => {
  const person = (n: number): PersonRecord => ({ id: `person-${n}`, name: `P${n}`, hidden: false, coverFaceId: null, createdAt: 't' });
  const decision = (n: number) => ({ id: `decision-${n}`, kind: 'name', faceIds: [`f${n}`], before: { faces: [], people: [] } });
  const base = (): PeopleDocument => ({ schemaVersion: SCHEMA_VERSION, people: [1, 2, 3].map(person), decisions: [1, 2].map(decision), upgrades: ['u'] });

  it('finds the people and decisions changed, added and taken out, and the other fields when one changed', () => {
    const doc = base();
    const journal = new PeopleJournal(join(dir, 'people.journal'));
    journal.remember(doc, 0);
    expect(PeopleJournal.isEmpty(journal.diff(doc)!)).toBe(true);
    doc.people[1].name = 'Renamed';
    (doc.decisions[0] as { before: unknown }).before = null;
    doc.decisions.push(decision(3));
    doc.people.splice(0, 1);
    expect(journal.diff(doc)).toEqual({
      people: { put: [doc.people[0]], remove: ['person-1'] },
      decisions: { put: [doc.decisions[0], doc.decisions[2]], remove: [] },
    });
    doc.regroupPending = true;
    expect(journal.diff(doc)?.fields).toEqual({ upgrades: ['u'], regroupPending: true });
  });

  it('gives no line for what replaying could not reproduce: people in a new order, a decision without an id', () => {
    const doc = base();
    const journal = new PeopleJournal(join(dir, 'people.journal'));
    journal.remember(doc, 0);
    expect(journal.diff({ ...doc, people: [doc.people[1], doc.people[0], doc.people[2]] })).toBeNull();
    expect(journal.diff({ ...doc, people: [person(9), ...doc.people] })).toBeNull();
    expect(journal.diff({ ...doc, decisions: [...doc.decisions, { kind: 'name' }] })).toBeNull();
  });

  it('replaying its lines over the document they started from gives the document, and replaying them twice changes nothing', () => {
    const start = base();
    const journal = new PeopleJournal(join(dir, 'people.journal'));
    journal.remember(start, 0);
    const next: PeopleDocument = { ...plain(start), people: [{ ...start.people[0], hidden: true }, start.people[2], person(7)], decisions: [...start.decisions, decision(3)], regroupPending: true };
    const line = journal.line(journal.diff(next)!).trimEnd();
    const once = replayPeople(start, [line]);
    expect(once).toEqual({ doc: next, applied: 1 });
    expect(replayPeople(once.doc, [line]).doc).toEqual(next);
  });
});

// faces.journal (main/store/faces-journal.ts): a decision appends what it changed; close and open merge it; a crash
// at any point replays it; damage is reported and the rest kept.
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FacesJournal, replayJournal } from '../../../main/store/faces-journal.js';
import { Library } from '../../../main/store/library.js';
import type { FaceRecord } from '../../../main/store/types.js';
import { addPhotos, face, photo, unitVector } from '../../helpers/store-records.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(`${dir}-crash`, { recursive: true, force: true });
});

const journalFile = () => join(dir, 'faces.journal');
/** The journal's changes, after its first line, which names the faces.json they go over. */
async function journalLines(file = journalFile()): Promise<Array<{ put: FaceRecord[]; remove: string[] }>> {
  const [header, ...changes] = (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  expect(header).toEqual({ extends: expect.stringMatching(/^\d+-[0-9a-f]{12}$/) });
  return changes;
}
const exists = (file: string) => stat(file).then(() => true, () => false);

/** The library folder as a process killed right now would leave it (without its lock, which names this live process); afterEach removes it. */
async function crashCopy(): Promise<string> {
  const copy = `${dir}-crash`;
  await rm(copy, { recursive: true, force: true });
  await cp(dir, copy, { recursive: true, filter: (src) => !src.endsWith('.lock') });
  return copy;
}

async function nameFace(library: Library, index: number, personId: string): Promise<void> {
  await library.transaction((tx) => {
    tx.faces[index].personId = personId;
    tx.faces[index].assignedBy = 'user';
  });
}

describe('faces.journal', () => {
  it('a decision appends only the face it changed; faces.json is rewritten on close, with the journal kept beside its backup', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 3);
    await library.close();
    const facesBefore = await readFile(join(dir, 'faces.json'), 'utf8');

    const reopened = await Library.open(dir);
    await nameFace(reopened, 4, 'person-a');
    await reopened.transaction((tx) => void tx.faces.length); // reading faces changes nothing: no line
    expect(await readFile(join(dir, 'faces.json'), 'utf8')).toBe(facesBefore);
    const lines = await journalLines();
    expect(lines).toHaveLength(1);
    // Its first line names the faces.json it goes over.
    const generation = JSON.parse(facesBefore).generation;
    expect(JSON.parse((await readFile(journalFile(), 'utf8')).split('\n')[0])).toEqual({ extends: generation });
    expect(lines[0].put.map((f) => f.id)).toEqual([reopened.faces[4].id]);
    expect(lines[0].put[0]).toMatchObject({ personId: 'person-a', assignedBy: 'user' });
    expect(lines[0].remove).toEqual([]);
    // A reader opened meanwhile (the CLI beside the app) sees the decision.
    const reader = await Library.open(dir, { readOnly: true });
    expect(reader.face(reopened.faces[4].id)).toMatchObject({ personId: 'person-a' });
    expect(reader.repairs).toEqual([]); // the writer is running: its journal is no crash
    await reader.close();

    await reopened.close();
    expect(await exists(journalFile())).toBe(false);
    expect(JSON.parse(await readFile(join(dir, 'faces.json'), 'utf8')).faces[4]).toMatchObject({ personId: 'person-a' });
    expect(await readFile(join(dir, 'backups', 'faces.json'), 'utf8')).toBe(facesBefore);
    expect(await journalLines(join(dir, 'backups', 'faces.journal'))).toEqual(lines);
    expect(JSON.parse(await readFile(join(dir, 'faces.json'), 'utf8')).generation).not.toBe(generation);
  });

  it('after a crash, open replays every completed decision, drops a line cut short, merges and says so', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 3);
    await nameFace(library, 0, 'person-a');
    await nameFace(library, 2, 'person-b');
    // Re-analysis: a face goes, a new photo's faces come.
    const gone = library.faces[5].id;
    await library.transaction((tx) => {
      tx.faces.splice(5, 1);
      tx.photos[2].faceIds = tx.photos[2].faceIds.filter((id) => id !== gone);
    });
    await addPhotos(library, 4, 1);
    const expected = JSON.parse(JSON.stringify(library.faces));
    const copy = await crashCopy();
    await library.close();
    // The last decision was being written when the process died: half a line, no newline.
    await writeFile(join(copy, 'faces.journal'), '{"put":[{"id":"x","photoId"', { flag: 'a' });

    const reopened = await Library.open(copy);
    try {
      expect(JSON.parse(JSON.stringify(reopened.faces))).toEqual(expected);
      // Seven transactions; the index is saved on close, so the killed process left none. Photos have their journal too.
      expect(reopened.repairs.map((r) => r.part)).toEqual(['photos.journal', 'faces.journal', 'index/embedding.hnsw']);
      expect(reopened.repairs[1]).toEqual({
        part: 'faces.journal',
        problem: '7 changes not yet merged into faces.json (Familiar did not close normally)',
        action: 'merged into faces.json; nothing was lost',
      });
      expect(await exists(join(copy, 'faces.journal'))).toBe(false);
      expect(JSON.parse(await readFile(join(copy, 'faces.json'), 'utf8')).faces).toEqual(expected);
      expect(reopened.face(gone)).toBeUndefined();
    } finally {
      await reopened.close();
    }
  });

  it('a crash between rewriting faces.json and removing the journal: the journal, of the version before, is set aside', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 2);
    await nameFace(library, 1, 'person-a');
    await library.transaction((tx) => {
      tx.faces[1].personId = null;
      tx.faces[1].assignedBy = null;
      tx.faces[1].rejectedPersonIds = ['person-a'];
    });
    const expected = JSON.parse(JSON.stringify(library.faces));
    await library.close();
    await cp(join(dir, 'backups', 'faces.journal'), journalFile());

    const reopened = await Library.open(dir);
    expect(JSON.parse(JSON.stringify(reopened.faces))).toEqual(expected);
    expect(reopened.face(expected[1].id)).toMatchObject({ personId: null, rejectedPersonIds: ['person-a'] });
    expect(reopened.repairs.map((r) => r.part)).toEqual(['faces.journal']);
    expect(reopened.repairs[0].action).toMatch(/^not replayed: faces\.json already holds those changes or later ones; set aside in backups\//);
    expect(await exists(journalFile())).toBe(false);
    await reopened.close();
  });

  it('a damaged line stops the replay there: the changes before it are kept and the loss is reported', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 2);
    await library.close();
    const writer = await Library.open(dir);
    await nameFace(writer, 0, 'person-a');
    await nameFace(writer, 1, 'person-b');
    await nameFace(writer, 2, 'person-c');
    const copy = await crashCopy();
    await writer.close();
    const lines = (await readFile(join(copy, 'faces.journal'), 'utf8')).split('\n');
    lines[2] = lines[2].replace('"personId":"person-b"', '"personId":17'); // the second change, after the first line
    await writeFile(join(copy, 'faces.journal'), lines.join('\n'));

    const reopened = await Library.open(copy);
    try {
      expect(reopened.faces.map((f) => f.personId)).toEqual(['person-a', null, null, null]);
      expect(reopened.repairs).toHaveLength(1);
      expect(reopened.repairs[0].part).toBe('faces.journal');
      expect(reopened.repairs[0].problem).toMatch(/^change 2 of 3 is damaged \(a face with an unexpected shape at personId/);
      expect(reopened.repairs[0].action).toMatch(/1 change before it was merged into faces.json; 2 from it on could not be read and were set aside in backups\/faces.journal/);
      expect(await readFile(join(copy, 'backups', 'faces.journal'), 'utf8')).toBe(lines.join('\n'));
    } finally {
      await reopened.close();
    }
  });

  it("the library's lookups follow a face changed in place and one replaced by a new record", async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 2);
    const [first, second] = [library.faces[0].id, library.faces[1].id];
    await nameFace(library, 0, 'person-a');
    await library.transaction((tx) => {
      tx.faces[1] = { ...tx.faces[1], personId: 'person-b', vectorRow: tx.faces[2].vectorRow };
      tx.faces.splice(2, 1);
    });
    expect(library.face(first)).toMatchObject({ personId: 'person-a' });
    expect(library.face(second)).toMatchObject({ personId: 'person-b' });
    expect(library.faces).toHaveLength(3);
    expect(library.search(library.embeddingOf(library.face(second)!), 1)[0].faceId).toBe(second);
    await library.close();
  });

  it('a change too large for the journal rewrites faces.json instead', async () => {
    const library = await Library.open(dir);
    const rows = await library.appendVectors(Array.from({ length: 1200 }, (_, i) => unitVector(i)));
    const landmarks = Array.from({ length: 68 }, (_, p) => [100.125 + p, 200.5 + p]).flat();
    await library.transaction((tx) => {
      // 1,200 faces with 68 landmarks each: more than the journal's megabyte.
      for (let n = 0; n < 1200; n++) {
        const p = photo(n + 1);
        const f = { ...face(p, 0, rows[n]), landmarks: landmarks.slice() };
        p.faceIds = [f.id];
        tx.photos.push(p);
        tx.faces.push(f);
      }
    });
    expect(await exists(journalFile())).toBe(false);
    expect(JSON.parse(await readFile(join(dir, 'faces.json'), 'utf8')).faces).toHaveLength(1200);
    await nameFace(library, 7, 'person-a');
    expect((await journalLines()).map((l) => l.put.length)).toEqual([1]);
    await library.close();
  });
});

describe('FacesJournal.diff', () => {
  const base = (): FaceRecord[] => [1, 2, 3].map((n) => face(photo(n), 0, n));

  it('finds changed values wherever they are, and nothing when only a key holding undefined differs', () => {
    const faces = base();
    const journal = new FacesJournal(join(dir, 'faces.journal'));
    journal.remember(faces, 0);
    expect(journal.diff(faces)).toEqual({ put: [], remove: [], structural: false });
    faces[0].analysedSide = undefined;
    expect(journal.diff(faces)).toEqual({ put: [], remove: [], structural: false });
    faces[1].box[2] = 21;
    faces[2].rejectedPersonIds.push('person-x');
    // Values changed in place: the Library's lookups by id, photo and vector row still hold.
    expect(journal.diff(faces)).toEqual({ put: [faces[1], faces[2]], remove: [], structural: false });
    faces[2].vectorRow = 40;
    expect(journal.diff(faces)?.structural).toBe(true);
  });

  it('remembered again after changes in place, of values or of shape, finds exactly what changed since', () => {
    const faces = base();
    const journal = new FacesJournal(join(dir, 'faces.journal'));
    journal.remember(faces, 0);
    // What a compaction does (a new vector row each), and changes of shape: a list grown, a key added, new landmarks.
    faces[0].vectorRow = 10;
    faces[1].rejectedPersonIds.push('person-x');
    faces[2].unplaced = true;
    faces[2].landmarks = [1, 2];
    journal.remember(faces, 0);
    expect(journal.diff(faces)).toEqual({ put: [], remove: [], structural: false });
    faces[0].vectorRow = 11;
    faces[1].rejectedPersonIds.pop();
    delete faces[2].unplaced;
    expect(journal.diff(faces)).toEqual({ put: faces, remove: [], structural: true });
    journal.remember(faces, 0);
    faces[2].landmarks = [1, 2];
    expect(journal.diff(faces)).toEqual({ put: [faces[2]], remove: [], structural: false });
  });

  it('counts a record replaced by an equal copy as changed, and finds removed and added faces', () => {
    const faces = base();
    const journal = new FacesJournal(join(dir, 'faces.journal'));
    journal.remember(faces, 0);
    const next = [{ ...faces[0] }, faces[2], face(photo(9), 0, 9)];
    expect(journal.diff(next)).toEqual({ put: [next[0], next[2]], remove: [faces[1].id], structural: true });
  });

  it('gives no line for what replaying could not reproduce: a new order, a new face in the middle, an id twice', () => {
    const faces = base();
    const journal = new FacesJournal(join(dir, 'faces.journal'));
    journal.remember(faces, 0);
    expect(journal.diff([faces[1], faces[0], faces[2]])).toBeNull();
    expect(journal.diff([faces[0], face(photo(9), 0, 9), faces[1], faces[2]])).toBeNull();
    expect(journal.diff([...faces, { ...faces[0] }])).toBeNull();
  });

  it('replaying its lines over the faces they started from gives the faces, and replaying them twice changes nothing', () => {
    const start = base();
    const journal = new FacesJournal(join(dir, 'faces.journal'));
    journal.remember(start, 0);
    const next = [{ ...start[0], personId: 'p' }, start[2], face(photo(9), 0, 9)];
    const line = journal.line(journal.diff(next)!);
    const once = replayJournal(start, Buffer.from(line));
    expect(once).toEqual({ faces: next, applied: 1 });
    expect(replayJournal(once.faces, Buffer.from(line)).faces).toEqual(next);
  });
});

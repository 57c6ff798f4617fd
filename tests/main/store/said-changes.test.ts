// Commits that cost what they changed: photos.journal (schema version 3) beside faces.journal, and transactions that
// say which faces and photos they put and removed (tx.put, tx.remove), of which only those are compared with what
// disk holds. A crash at any point keeps every commit made and damages nothing; a version 2 library opens as it was.
import { cp, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Library } from '../../../main/store/library.js';
import { SCHEMA_VERSION, type FaceRecord, type PhotoRecord } from '../../../main/store/types.js';
import { addPhotos, face, photo, unitVector } from '../../helpers/store-records.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-said-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(`${dir}-crash`, { recursive: true, force: true });
});

const exists = (file: string) => stat(file).then(() => true, () => false);
/** A journal's changes, after its first line (the version of the file they go over). */
const lines = async (file: string) =>
  (await readFile(file, 'utf8')).split('\n').filter(Boolean).slice(1).map((l) => JSON.parse(l) as { put: Array<{ id: string }>; remove: string[] });
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The library folder as a process killed right now would leave it (without its lock). */
async function crashCopy(): Promise<string> {
  const copy = `${dir}-crash`;
  await rm(copy, { recursive: true, force: true });
  await cp(dir, copy, { recursive: true, filter: (src) => !src.endsWith('.lock') });
  return copy;
}

/** What a look-again commits for photo `n`: its faces described anew (new rows), the photo analysed again. */
async function lookAgainAt(library: Library, n: number, analysedAt: string): Promise<void> {
  const p = library.photo(photo(n).id)!;
  const old = library.facesOfPhoto(p.id);
  const rows = await library.appendVectors(old.map((_, i) => unitVector(1000 + n * 2 + i)));
  await library.transaction((tx) => {
    tx.put('faces', old.map((f, i) => ({ ...f, vectorRow: rows[i], score: 0.5 })));
    p.analysis = { pipelineVersion: 'again', analysedAt };
    tx.put('photos', [p]);
  });
}

describe('said changes and photos.journal', () => {
  it('a commit that says what it changed appends one line to each journal, and only what it put', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 4);
    await library.close();
    const photosBefore = await readFile(join(dir, 'photos.json'), 'utf8');
    const facesBefore = await readFile(join(dir, 'faces.json'), 'utf8');

    const reopened = await Library.open(dir);
    await lookAgainAt(reopened, 2, 't1');
    // Nothing rewritten whole: one line each, holding the photo's two faces and the photo.
    expect(await readFile(join(dir, 'photos.json'), 'utf8')).toBe(photosBefore);
    expect(await readFile(join(dir, 'faces.json'), 'utf8')).toBe(facesBefore);
    const faceLines = await lines(join(dir, 'faces.journal'));
    expect(faceLines.map((l) => l.put.map((f) => f.id))).toEqual([reopened.facesOfPhoto(photo(2).id).map((f) => f.id)]);
    expect(await lines(join(dir, 'photos.journal'))).toEqual([{ put: [plain(reopened.photo(photo(2).id))], remove: [] }]);
    // The lookups follow: the new records under their ids, rows and photo; the index finds the new vectors.
    const [first] = reopened.facesOfPhoto(photo(2).id);
    expect(reopened.face(first.id)).toBe(first);
    expect(reopened.faceAtRow(first.vectorRow)).toBe(first);
    expect(first.score).toBe(0.5);
    expect(reopened.search(reopened.embeddingOf(first), 1)[0].faceId).toBe(first.id);

    // A record put unchanged is no line; one changed in place but not put is not looked at (the writer said nothing).
    await reopened.transaction((tx) => {
      tx.put('photos', [reopened.photo(photo(1).id)!]);
    });
    expect(await lines(join(dir, 'photos.journal'))).toHaveLength(1);

    // A reader beside the writer sees both journals.
    const reader = await Library.open(dir, { readOnly: true });
    expect(reader.photo(photo(2).id)!.analysis).toEqual({ pipelineVersion: 'again', analysedAt: 't1' });
    expect(reader.repairs.filter((r) => r.part.endsWith('.journal'))).toEqual([]);
    await reader.close();

    const expected = { faces: plain(reopened.faces), photos: plain(reopened.photos) };
    await reopened.close();
    expect(await exists(join(dir, 'photos.journal'))).toBe(false);
    expect(await readFile(join(dir, 'backups', 'photos.json'), 'utf8')).toBe(photosBefore);
    expect(await lines(join(dir, 'backups', 'photos.journal'))).toHaveLength(1);
    const merged = JSON.parse(await readFile(join(dir, 'photos.json'), 'utf8'));
    expect(merged.schemaVersion).toBe(SCHEMA_VERSION);
    expect(merged.photos).toEqual(expected.photos);
    const again = await Library.open(dir);
    expect(again.repairs).toEqual([]);
    expect(plain(again.faces)).toEqual(expected.faces);
    await again.close();
  });

  it('put and remove leave the lists as replaying their lines does: a new record last, one taken out and put again last', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 3);
    const [row] = await library.appendVectors([unitVector(77)]);
    const p1 = library.photo(photo(1).id)!;
    const moved = library.facesOfPhoto(p1.id)[0];
    const extra = { ...face(p1, 5, row) };
    await library.transaction((tx) => {
      tx.put('faces', [extra]);
      tx.remove('faces', [moved.id]);
      tx.put('faces', [{ ...moved, personId: 'person-m', assignedBy: 'user' }]);
      tx.remove('photos', [photo(3).id]);
      tx.remove('faces', library.facesOfPhoto(photo(3).id).map((f) => f.id));
      p1.faceIds = [...p1.faceIds.filter((id) => id !== moved.id), extra.id, moved.id];
      tx.put('photos', [p1, photo(9)]);
    });
    expect(library.faces.slice(-2).map((f) => f.id)).toEqual([extra.id, moved.id]);
    expect(library.faces).toHaveLength(5);
    expect(library.photos.map((p) => p.id)).toEqual([photo(1).id, photo(2).id, photo(9).id]);
    expect(library.face(moved.id)).toMatchObject({ personId: 'person-m' });
    expect(library.facesOfPhoto(photo(3).id)).toEqual([]);
    expect(library.photo(photo(3).id)).toBeUndefined();
    expect(library.photo(photo(9).id)).toBeDefined();
    const expected = { faces: plain(library.faces), photos: plain(library.photos) };
    const copy = await crashCopy();
    await library.close();

    const reopened = await Library.open(copy);
    try {
      expect(plain(reopened.faces)).toEqual(expected.faces);
      expect(plain(reopened.photos)).toEqual(expected.photos);
    } finally {
      await reopened.close();
    }
  });

  it('after a crash, open replays every commit of both journals, drops a line cut short, and says so', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 6);
    await library.close();
    const writer = await Library.open(dir);
    for (let n = 1; n <= 6; n++) await lookAgainAt(writer, n, `t${n}`);
    const expected = { faces: plain(writer.faces), photos: plain(writer.photos) };
    const copy = await crashCopy();
    await writer.close();
    // The next commit was being written when the process died: half a line, no newline.
    await writeFile(join(copy, 'photos.journal'), '{"put":[{"id":"ab', { flag: 'a' });

    const reopened = await Library.open(copy);
    try {
      expect(plain(reopened.faces)).toEqual(expected.faces);
      expect(plain(reopened.photos)).toEqual(expected.photos);
      expect(reopened.repairs.find((r) => r.part === 'photos.journal')).toEqual({
        part: 'photos.journal',
        problem: '6 changes not yet merged into photos.json (Familiar did not close normally)',
        action: 'merged into photos.json; nothing was lost',
      });
      expect(await exists(join(copy, 'photos.journal'))).toBe(false);
    } finally {
      await reopened.close();
    }
  });

  it('a crash between rewriting photos.json and deleting its journal sets the journal aside: the same photos', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 3);
    await library.close();
    const writer = await Library.open(dir);
    await lookAgainAt(writer, 1, 't1');
    await lookAgainAt(writer, 3, 't3');
    const journal = await readFile(join(dir, 'photos.journal'));
    const expected = plain(writer.photos);
    await writer.close(); // merges: photos.json holds the lines now
    await writeFile(join(dir, 'photos.journal'), journal); // as if the crash came before the journal was removed

    const reopened = await Library.open(dir);
    expect(plain(reopened.photos)).toEqual(expected);
    expect(reopened.repairs.find((r) => r.part === 'photos.journal')?.action).toMatch(/^not replayed: photos\.json already holds/);
    await reopened.close();
  });

  it('a damaged photos.json comes back from its backup with both journals replayed: every line kept', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 3);
    await library.close();
    const writer = await Library.open(dir);
    await lookAgainAt(writer, 1, 't1');
    // A new order is no journal line: photos.json is rewritten, its journal goes beside the backup.
    await writer.transaction((tx) => void tx.photos.reverse());
    await lookAgainAt(writer, 2, 't2');
    // The backup is the version before that rewrite: the new order is what the damage costs, no line is.
    const byId = (photos: readonly PhotoRecord[]) => plain([...photos].sort((a, b) => a.id.localeCompare(b.id)));
    const expected = byId(writer.photos);
    const copy = await crashCopy();
    await writer.close();
    await writeFile(join(copy, 'photos.json'), '{"schemaVersion":3,"photos":[{"id":');

    const reopened = await Library.open(copy);
    try {
      expect(byId(reopened.photos)).toEqual(expected);
      expect(reopened.photo(photo(1).id)!.analysis!.analysedAt).toBe('t1');
      expect(reopened.photo(photo(2).id)!.analysis!.analysedAt).toBe('t2');
      expect(reopened.repairs.map((r) => r.part)).toContain('photos.json');
    } finally {
      await reopened.close();
    }
  });

  it('a failed commit that said what it changed takes its lines back, in memory and on disk', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 2);
    await library.close();
    const writer = await Library.open(dir);
    const before = { faces: plain(writer.faces), photos: plain(writer.photos) };
    // The photos' journal cannot be written: a link into a folder that does not exist.
    await symlink(join(dir, 'no-such-folder', 'photos.journal'), join(dir, 'photos.journal'));
    await expect(lookAgainAt(writer, 1, 't1')).rejects.toThrow();
    expect(plain(writer.faces)).toEqual(before.faces);
    expect(plain(writer.photos)).toEqual(before.photos);
    expect(await exists(join(dir, 'faces.journal'))).toBe(false); // the faces' line was cut off again
    await rm(join(dir, 'photos.journal'));
    await lookAgainAt(writer, 1, 't1'); // and the next one succeeds
    expect(writer.photo(photo(1).id)!.analysis!.analysedAt).toBe('t1');
    await writer.close();
  });

  it('a library of schema version 2 (no photos.journal) opens with everything, and is rewritten in this version', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 3);
    await library.close();
    for (const name of ['library', 'photos', 'faces', 'people', 'settings']) {
      const file = join(dir, `${name}.json`);
      await writeFile(file, JSON.stringify({ ...JSON.parse(await readFile(file, 'utf8')), schemaVersion: 2 }));
    }
    // A version 2 build's crash left a decision in faces.journal.
    const faces = JSON.parse(await readFile(join(dir, 'faces.json'), 'utf8')).faces as FaceRecord[];
    await writeFile(join(dir, 'faces.journal'), `${JSON.stringify({ put: [{ ...faces[1], personId: 'person-v2', assignedBy: 'user' }], remove: [] })}\n`);
    const photos = JSON.parse(await readFile(join(dir, 'photos.json'), 'utf8')).photos as PhotoRecord[];

    const reopened = await Library.open(dir);
    expect(reopened.faces).toHaveLength(6);
    expect(reopened.faces[1]).toMatchObject({ personId: 'person-v2', assignedBy: 'user' });
    expect(plain(reopened.photos)).toEqual(photos);
    for (const name of ['library', 'photos', 'faces', 'people', 'settings']) {
      expect(JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')).schemaVersion, name).toBe(SCHEMA_VERSION);
    }
    await lookAgainAt(reopened, 2, 't2');
    await reopened.close();
    const again = await Library.open(dir);
    expect(again.repairs).toEqual([]);
    expect(again.photo(photo(2).id)!.analysis!.analysedAt).toBe('t2');
    expect(again.faces[1]).toMatchObject({ personId: 'person-v2' });
    await again.close();
  });
});

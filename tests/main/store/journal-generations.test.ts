// A journal extends one whole write of its file: faces.json and photos.json carry a generation, and each journal's
// first line names the generation its lines go over. A journal found beside another version of its file (a crash
// after the file was rewritten whole but before the journal was deleted, or a journal Windows would not let go of)
// is set aside, never replayed over the newer file: that brought back what the newer file had changed or removed.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Library } from '../../../main/store/library.js';
import { SCHEMA_VERSION, type FaceRecord, type PhotoRecord } from '../../../main/store/types.js';
import { addPhotos, photo } from '../../helpers/store-records.js';

/** Files another process holds open (an antivirus scanner on Windows): deleting or renaming them fails. */
const held = vi.hoisted(() => new Set<string>());

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const refuse = (path: unknown, call: string) => {
    if (!held.has(String(path))) return;
    throw Object.assign(new Error(`EPERM: operation not permitted, ${call} '${String(path)}'`), { code: 'EPERM', syscall: call, path: String(path) });
  };
  const mocked = {
    ...fs,
    unlink: async (path: Parameters<typeof fs.unlink>[0]) => (refuse(path, 'unlink'), fs.unlink(path)),
    rm: async (path: Parameters<typeof fs.rm>[0], options?: Parameters<typeof fs.rm>[1]) => (refuse(path, 'rm'), fs.rm(path, options)),
    rename: async (from: Parameters<typeof fs.rename>[0], to: Parameters<typeof fs.rename>[1]) => (refuse(from, 'rename'), fs.rename(from, to)),
  };
  return { ...mocked, default: mocked };
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-generations-'));
});
afterEach(async () => {
  held.clear();
  await rm(dir, { recursive: true, force: true });
  await rm(`${dir}-crash`, { recursive: true, force: true });
});

const exists = (file: string) => stat(file).then(() => true, () => false);
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const analysedAt = (library: Library, n: number) => library.photo(photo(n).id)?.analysis?.analysedAt;
const setAside = async (folder: string, name: string) => (await readdir(join(folder, 'backups'))).filter((f) => f.startsWith(`${name}.set-aside`));

/** The library folder as a process killed right now would leave it (without its lock). */
async function crashCopy(): Promise<string> {
  const copy = `${dir}-crash`;
  await rm(copy, { recursive: true, force: true });
  await cp(dir, copy, { recursive: true, filter: (src) => !src.endsWith('.lock') });
  return copy;
}

/** A closed library of three photos with two faces each, opened again. */
async function openWithThreePhotos(): Promise<Library> {
  const library = await Library.open(dir);
  await addPhotos(library, 1, 3);
  await library.close();
  return Library.open(dir);
}

/** tx1: photo 1 analysed at t1 and a new photo 9, both journal lines. */
async function analyseOneAndAddNine(library: Library): Promise<void> {
  const p1 = library.photo(photo(1).id)!;
  await library.transaction((tx) => tx.put('photos', [{ ...p1, analysis: { pipelineVersion: 'v', analysedAt: 't1' } }, photo(9)]));
}

/** tx2: a new order (no journal line: photos.json is rewritten whole), photo 1 analysed at t2, photo 9 taken out. */
async function reorderAndTakeNineOut(library: Library): Promise<void> {
  await library.transaction((tx) => {
    tx.photos.reverse();
    tx.photos.find((p) => p.id === photo(1).id)!.analysis = { pipelineVersion: 'v', analysedAt: 't2' };
    tx.photos.splice(tx.photos.findIndex((p) => p.id === photo(9).id), 1);
  });
}

/** tx1: faces 0 and 5 named, a journal line. */
async function nameTwo(library: Library): Promise<void> {
  await library.transaction((tx) => {
    Object.assign(tx.faces[0], { personId: 'person-a', assignedBy: 'user' });
    Object.assign(tx.faces[5], { personId: 'person-b', assignedBy: 'user' });
  });
}

/** tx2: the faces in a new order (faces.json rewritten whole), face 0 named again, face 5 taken out with its photo's list. */
async function reorderRenameAndTakeOut(library: Library, first: string, gone: string): Promise<void> {
  await library.transaction((tx) => {
    tx.faces.reverse();
    Object.assign(tx.faces.find((f) => f.id === first)!, { personId: 'person-c' });
    tx.faces.splice(tx.faces.findIndex((f) => f.id === gone), 1);
    const owner = tx.photos.find((p) => p.faceIds.includes(gone))!;
    owner.faceIds = owner.faceIds.filter((id) => id !== gone);
  });
}

describe('a journal left beside a newer photos.json', () => {
  it('a crash after photos.json was rewritten whole, before its journal was deleted: the journal is set aside, not replayed', async () => {
    const library = await openWithThreePhotos();
    await analyseOneAndAddNine(library);
    const journalBefore = await readFile(join(dir, 'photos.journal'));
    await reorderAndTakeNineOut(library);
    const expected = plain(library.photos);
    expect(analysedAt(library, 1)).toBe('t2');
    const copy = await crashCopy();
    await library.close();
    // The process died with photos.json in place and photos.journal not yet deleted.
    await writeFile(join(copy, 'photos.journal'), journalBefore);

    const reopened = await Library.open(copy);
    try {
      expect(analysedAt(reopened, 1)).toBe('t2');
      expect(reopened.photo(photo(9).id)).toBeUndefined();
      expect(plain(reopened.photos)).toEqual(expected);
      const repair = reopened.repairs.find((r) => r.part === 'photos.journal');
      expect(repair?.problem).toBe('it held 1 change made before photos.json was last written whole (Familiar stopped, or could not delete the journal, right after)');
      expect(repair?.action).toMatch(/^not replayed: photos\.json already holds those changes or later ones; set aside in backups\/photos\.set-aside-[0-9a-z-]+\.journal$/);
      expect(await exists(join(copy, 'photos.journal'))).toBe(false);
      const [kept] = await setAside(copy, 'photos');
      expect(await readFile(join(copy, 'backups', kept))).toEqual(journalBefore);
    } finally {
      await reopened.close();
    }
    const again = await Library.open(copy);
    expect(again.repairs).toEqual([]);
    expect(plain(again.photos)).toEqual(expected);
    await again.close();
  });

  it('damaged after such a crash, photos.json comes back from its backup with the journal of that backup, replayed once', async () => {
    const library = await openWithThreePhotos();
    await analyseOneAndAddNine(library);
    const journalBefore = await readFile(join(dir, 'photos.journal'));
    const beforeRewrite = plain(library.photos);
    await reorderAndTakeNineOut(library);
    const copy = await crashCopy();
    await library.close();
    await writeFile(join(copy, 'photos.journal'), journalBefore);
    await writeFile(join(copy, 'photos.json'), '{"schemaVersion":4,"photos":[{"id":');

    const reopened = await Library.open(copy);
    try {
      // The backup is photos.json before the rewrite, and the journal (in backups/ and beside it) goes over it: the
      // state before the rewrite, which is what the damage costs.
      expect(plain(reopened.photos)).toEqual(beforeRewrite);
      expect(reopened.repairs.map((r) => r.part)).toEqual(['photos.json']);
      expect(await exists(join(copy, 'photos.journal'))).toBe(false);
      expect(await setAside(copy, 'photos')).toEqual([]);
    } finally {
      await reopened.close();
    }
    const again = await Library.open(copy);
    expect(again.repairs).toEqual([]);
    expect(plain(again.photos)).toEqual(beforeRewrite);
    await again.close();
  });

  it('a journal that cannot be deleted (held by another process) is not written to again, nor replayed over newer photos', async () => {
    const library = await openWithThreePhotos();
    held.add(join(dir, 'photos.journal'));
    await analyseOneAndAddNine(library);
    await reorderAndTakeNineOut(library); // photos.json rewritten whole; its old journal stays
    const p2 = library.photo(photo(2).id)!;
    await library.transaction((tx) => tx.put('photos', [{ ...p2, analysis: { pipelineVersion: 'v', analysedAt: 't3' } }]));
    const expected = plain(library.photos);
    const copy = await crashCopy();

    const reopened = await Library.open(copy);
    try {
      expect(plain(reopened.photos)).toEqual(expected);
      expect([analysedAt(reopened, 1), analysedAt(reopened, 2)]).toEqual(['t2', 't3']);
      expect(reopened.photo(photo(9).id)).toBeUndefined();
      expect(reopened.repairs.find((r) => r.part === 'photos.journal')?.action).toMatch(/^not replayed/);
    } finally {
      await reopened.close();
    }

    // Let go of, the old journal is deleted by the next commit, which starts a journal of its own.
    held.clear();
    const p3 = library.photo(photo(3).id)!;
    await library.transaction((tx) => tx.put('photos', [{ ...p3, analysis: { pipelineVersion: 'v', analysedAt: 't4' } }]));
    const lines = (await readFile(join(dir, 'photos.journal'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ extends: expect.stringMatching(/^\d+-[0-9a-f]+$/) });
    expect(lines[1].put.map((p: PhotoRecord) => p.id)).toEqual([photo(3).id]);
    const final = plain(library.photos);
    const crashed = await crashCopy();
    await library.close();
    const last = await Library.open(crashed);
    expect(plain(last.photos)).toEqual(final);
    expect(last.repairs.map((r) => r.part)).toEqual(['photos.journal']);
    expect(last.repairs[0].action).toBe('merged into photos.json; nothing was lost');
    await last.close();
  });
});

describe('a journal left beside a newer faces.json', () => {
  it('a crash after faces.json was rewritten whole, before its journal was deleted: the journal is set aside, not replayed', async () => {
    const library = await openWithThreePhotos();
    const [first, gone] = [library.faces[0].id, library.faces[5].id];
    await nameTwo(library);
    const journalBefore = await readFile(join(dir, 'faces.journal'));
    await reorderRenameAndTakeOut(library, first, gone);
    const expected = plain(library.faces);
    const copy = await crashCopy();
    await library.close();
    await writeFile(join(copy, 'faces.journal'), journalBefore);

    const reopened = await Library.open(copy);
    try {
      expect(reopened.face(first)).toMatchObject({ personId: 'person-c' });
      expect(reopened.face(gone)).toBeUndefined();
      expect(plain(reopened.faces)).toEqual(expected);
      expect(reopened.photos.every((p) => p.analysis !== null)).toBe(true);
      const repair = reopened.repairs.find((r) => r.part === 'faces.journal');
      expect(repair?.problem).toBe('it held 1 change made before faces.json was last written whole (Familiar stopped, or could not delete the journal, right after)');
      expect(repair?.action).toMatch(/^not replayed: faces\.json already holds those changes or later ones; set aside in backups\/faces\.set-aside-/);
      expect(await setAside(copy, 'faces')).toHaveLength(1);
    } finally {
      await reopened.close();
    }
  });

  it('a journal that cannot be deleted is not written to again, nor replayed over newer faces', async () => {
    const library = await openWithThreePhotos();
    const [first, gone] = [library.faces[0].id, library.faces[5].id];
    held.add(join(dir, 'faces.journal'));
    await nameTwo(library);
    await reorderRenameAndTakeOut(library, first, gone);
    await library.transaction((tx) => void Object.assign(tx.faces[1], { personId: 'person-d', assignedBy: 'user' }));
    const expected = plain(library.faces);
    const copy = await crashCopy();
    held.clear();
    await library.close();

    const reopened = await Library.open(copy);
    try {
      expect(plain(reopened.faces)).toEqual(expected);
      expect(reopened.face(first)).toMatchObject({ personId: 'person-c' });
      expect(reopened.face(gone)).toBeUndefined();
      expect(reopened.repairs.find((r) => r.part === 'faces.journal')?.action).toMatch(/^not replayed/);
    } finally {
      await reopened.close();
    }
  });
});

describe('generations', () => {
  it('a journal whose first line is damaged is not replayed: it is set aside and the loss reported', async () => {
    const library = await openWithThreePhotos();
    await library.transaction((tx) => void Object.assign(tx.faces[0], { personId: 'person-a', assignedBy: 'user' }));
    await library.transaction((tx) => void Object.assign(tx.faces[1], { personId: 'person-b', assignedBy: 'user' }));
    const copy = await crashCopy();
    await library.close();
    const text = await readFile(join(copy, 'faces.journal'), 'utf8');
    const damaged = text.replace('"extends":"', '"extends":1,"x":"');
    await writeFile(join(copy, 'faces.journal'), damaged);

    const reopened = await Library.open(copy);
    try {
      expect(reopened.faces.map((f) => f.personId)).toEqual([null, null, null, null, null, null]);
      const repair = reopened.repairs.find((r) => r.part === 'faces.journal');
      expect(repair?.problem).toMatch(/^its first line, which says which faces\.json it goes with, is damaged \(/);
      expect(repair?.action).toMatch(/^its 2 changes were not replayed; set aside in backups\/faces\.set-aside-damaged\.journal$/);
      expect(await readFile(join(copy, 'backups', 'faces.set-aside-damaged.journal'), 'utf8')).toBe(damaged);
    } finally {
      await reopened.close();
    }
  });

  it('a read-only reader does not replay a journal of another version, and changes nothing', async () => {
    const library = await openWithThreePhotos();
    await analyseOneAndAddNine(library);
    const journalBefore = await readFile(join(dir, 'photos.journal'));
    await reorderAndTakeNineOut(library);
    await library.close();
    await writeFile(join(dir, 'photos.journal'), journalBefore);

    const reader = await Library.open(dir, { readOnly: true });
    expect(analysedAt(reader, 1)).toBe('t2');
    expect(reader.photo(photo(9).id)).toBeUndefined();
    expect(reader.repairs.find((r) => r.part === 'photos.journal')?.action).toBe(
      'not replayed: photos.json already holds those changes or later ones; a writable open sets it aside in backups/',
    );
    await reader.close();
    expect(await readFile(join(dir, 'photos.journal'))).toEqual(journalBefore);
  });

  it('a library of schema version 3, unstamped, replays its journals as before and is rewritten stamped', async () => {
    const library = await openWithThreePhotos();
    await library.close();
    for (const name of ['library', 'photos', 'faces', 'people', 'settings']) {
      const file = join(dir, `${name}.json`);
      const { generation: _, ...rest } = JSON.parse(await readFile(file, 'utf8'));
      await writeFile(file, JSON.stringify({ ...rest, schemaVersion: 3 }));
    }
    // A version 3 build's crash left a line in each journal (no first line naming a generation).
    const faces = JSON.parse(await readFile(join(dir, 'faces.json'), 'utf8')).faces as FaceRecord[];
    await writeFile(join(dir, 'faces.journal'), `${JSON.stringify({ put: [{ ...faces[1], personId: 'person-v3', assignedBy: 'user' }], remove: [] })}\n`);
    const photos = JSON.parse(await readFile(join(dir, 'photos.json'), 'utf8')).photos as PhotoRecord[];
    const analysed = { ...photos[2], analysis: { pipelineVersion: 'v', analysedAt: 't-v3' } };
    await writeFile(join(dir, 'photos.journal'), `${JSON.stringify({ put: [analysed], remove: [] })}\n`);

    const reopened = await Library.open(dir);
    expect(reopened.faces[1]).toMatchObject({ personId: 'person-v3' });
    expect(analysedAt(reopened, 3)).toBe('t-v3');
    expect(reopened.repairs.map((r) => r.part)).toEqual(['photos.journal', 'faces.journal']);
    for (const name of ['photos', 'faces']) {
      const written = JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8'));
      expect(written.schemaVersion).toBe(SCHEMA_VERSION);
      expect(written.generation).toMatch(/^\d+-[0-9a-f]+$/);
      expect(await exists(join(dir, `${name}.journal`))).toBe(false);
    }
    await reopened.close();
  });

  it('a failed commit after a whole rewrite puts back the file and its journal together', async () => {
    const library = await openWithThreePhotos();
    await analyseOneAndAddNine(library);
    await library.transaction((tx) => void tx.people.people.push({ id: 'person-y', name: 'Y', hidden: false, coverFaceId: null, createdAt: 't' }));
    const photosBefore = await readFile(join(dir, 'photos.json'));
    const journalBefore = await readFile(join(dir, 'photos.journal'));
    const expected = plain(library.photos);
    // people.json cannot be replaced: its backup slot is taken by a folder (a person put before the others is no line
    // of people.journal: it is written whole). The transaction rewrote photos.json whole first.
    await rm(join(dir, 'backups', 'people.json'), { force: true });
    await mkdir(join(dir, 'backups', 'people.json', 'blocker'), { recursive: true });
    await expect(
      library.transaction((tx) => {
        tx.photos.reverse();
        tx.people.people.unshift({ id: 'person-x', name: 'X', hidden: false, coverFaceId: null, createdAt: 't' });
      }),
    ).rejects.toThrow();
    expect(await readFile(join(dir, 'photos.json'))).toEqual(photosBefore);
    expect(await readFile(join(dir, 'photos.journal'))).toEqual(journalBefore);
    expect(plain(library.photos)).toEqual(expected);
    await rm(join(dir, 'backups', 'people.json'), { recursive: true });
    // The journal put back goes on from where it was, and is replayed after a crash.
    const p2 = library.photo(photo(2).id)!;
    await library.transaction((tx) => tx.put('photos', [{ ...p2, analysis: { pipelineVersion: 'v', analysedAt: 't5' } }]));
    const after = plain(library.photos);
    const copy = await crashCopy();
    await library.close();
    const reopened = await Library.open(copy);
    expect(plain(reopened.photos)).toEqual(after);
    expect(reopened.repairs.find((r) => r.part === 'photos.journal')?.problem).toMatch(/^2 changes not yet merged/);
    await reopened.close();
  });
});

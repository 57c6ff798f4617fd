import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, mkdir, readFile, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LibraryDamagedError, LibraryLockedError, NewerSchemaError } from '../../../main/store/errors.js';
import { Library } from '../../../main/store/library.js';
import { SCHEMA_VERSION } from '../../../main/store/types.js';
import { addPhotos, DIM, photo, unitVector } from '../../helpers/store-records.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Library', () => {
  it('stores documents and vectors, searches them, and reopens from the persisted index', async () => {
    const library = await Library.open(dir);
    expect(library.repairs).toEqual([]);
    await addPhotos(library, 1, 5);
    expect(library.faces).toHaveLength(10);
    expect(library.vectorRows).toBe(10);
    const target = library.faces[7];
    const hits = library.search(unitVector(9), 3);
    expect(hits[0].faceId).toBe(target.id);
    expect(hits[0].distance).toBeLessThan(1e-4);
    // A filter leaving fewer candidates than asked for still answers (exactly).
    const only = library.search(unitVector(9), 5, (f) => f.id === library.faces[2].id);
    expect(only.map((h) => h.faceId)).toEqual([library.faces[2].id]);
    await library.close();

    expect((await stat(join(dir, 'vectors', 'backbone.f32'))).size).toBe(10 * DIM * 4);
    const reopened = await Library.open(dir);
    expect(reopened.repairs).toEqual([]); // the index on disk matched: no rebuild
    expect(reopened.indexSize).toBe(10);
    expect(Array.from(reopened.embeddingOf(reopened.face(target.id)!))).toEqual(Array.from(unitVector(9)));
    expect(reopened.search(unitVector(9), 1)[0].faceId).toBe(target.id);
    await reopened.close();
  });

  it('writes faces.json as JSON.stringify would, with landmarks serialised once and never edited in place', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 3);
    const first = library.faces[0];
    // The landmarks' text is reused (and a journal line compares them by identity), so an edit in place would go
    // unsaved: the record's type makes them read-only (checked by tsc; never called).
    const editInPlace = () => {
      // @ts-expect-error landmarks are read-only
      first.landmarks[0] = 1;
    };
    expect(typeof editInPlace).toBe('function');
    await library.transaction((tx) => {
      tx.faces[1].landmarks = [40.5, 41.25, 42, 43];
      tx.faces[2].personId = 'person-x';
      tx.faces[2].faceness = 0.5;
    });
    const faces = JSON.parse(JSON.stringify(library.faces));
    await library.close(); // merges the journal into faces.json
    const written = JSON.parse(await readFile(join(dir, 'faces.json'), 'utf8'));
    expect(written).toEqual({ schemaVersion: written.schemaVersion, generation: written.generation, faces });
    expect(written.faces[1].landmarks).toEqual([40.5, 41.25, 42, 43]);
    const reopened = await Library.open(dir);
    expect(reopened.repairs).toEqual([]);
    expect(reopened.faces[2]).toMatchObject({ personId: 'person-x', faceness: 0.5 });
    await reopened.close();

    // Landmarks are checked by hand (not rebuilt by zod): a damaged point is still a damaged document.
    const text = await readFile(join(dir, 'faces.json'), 'utf8');
    await writeFile(join(dir, 'faces.json'), text.replace('"landmarks":[40.5,41.25', '"landmarks":[40.5,"x"'));
    const repaired = await Library.open(dir);
    expect(repaired.repairs.find((r) => r.part === 'faces.json')?.problem).toMatch(/landmarks.*must be a flat list of x, y coordinates/);
    // The copy kept before the last rewrite, with the journal that was merged into it: nothing is lost.
    expect(repaired.faces[1].landmarks).toEqual([40.5, 41.25, 42, 43]);
    await repaired.close();
  });

  it('says in one sentence when the library folder is a file or cannot be written', async () => {
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    await expect(Library.open(file)).rejects.toThrow(`${file} is a file, not a folder: choose a folder for the library.`);
    await expect(Library.open(join(file, 'lib'))).rejects.toThrow(`${join(file, 'lib')} cannot be a folder: part of its path is a file.`);
  });

  it.runIf(process.platform === 'linux')('refuses at once a library under /proc, where a recursive mkdir spins forever', async () => {
    // Before: Node's mkdir(…, { recursive: true }) looped at full CPU, deaf to SIGTERM. Now the sentence /sys/x gets.
    await expect(Library.open('/proc/familiar-test/lib')).rejects.toThrow('Familiar cannot write to the library folder /proc/familiar-test/lib (permission denied).');
  }, 5_000);

  it('refuses a second writer with a clear message and takes over the lock of a dead process', async () => {
    const library = await Library.open(dir);
    await expect(Library.open(dir)).rejects.toThrow(LibraryLockedError);
    await expect(Library.open(dir)).rejects.toThrow(/in use by another Familiar process/);
    const reader = await Library.open(dir, { readOnly: true });
    expect(reader.faces).toHaveLength(0);
    await reader.close();
    await library.close();

    // A lock left by a process that no longer exists (pid far above pid_max on Linux).
    await writeFile(join(dir, '.lock'), JSON.stringify({ pid: 2 ** 30, host: hostname(), startedAt: 'earlier' }));
    const takeover = await Library.open(dir);
    expect(takeover.repairs.map((r) => r.part)).toContain('.lock');
    await takeover.close();
  });

  /** A session that stored three photos, then faces.json cut in half. */
  async function truncatedFacesAfterASession(): Promise<string> {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 3);
    await library.close();
    const facesFile = join(dir, 'faces.json');
    const full = await readFile(facesFile);
    await writeFile(facesFile, full.subarray(0, full.length / 2));
    return facesFile;
  }

  it('restores a truncated document from its last good copy and reports it', async () => {
    const facesFile = await truncatedFacesAfterASession();
    const reopened = await Library.open(dir);
    const restored = reopened.repairs.find((r) => r.part === 'faces.json');
    expect(restored?.action).toMatch(/restored from the last good copy/);
    // The backup is faces.json before close merged the session's journal into it, and that journal was kept with
    // it: the two give back every face.
    expect(reopened.faces).toHaveLength(6);
    expect(reopened.photos.filter((p) => p.analysis === null)).toHaveLength(0);
    expect(reopened.indexSize).toBe(6);
    await reopened.close();
    expect(JSON.parse(await readFile(facesFile, 'utf8')).faces).toHaveLength(6);
  });

  it('restores from the last good copy alone when its journal is gone: the faces after it are re-analysed', async () => {
    await truncatedFacesAfterASession();
    await rm(join(dir, 'backups', 'faces.journal'));

    const reopened = await Library.open(dir);
    expect(reopened.repairs.find((r) => r.part === 'faces.json')?.action).toMatch(/restored from the last good copy/);
    // The backup is the empty faces.json of the new library: every photo is marked for re-analysis and the
    // orphaned vector rows are trimmed; the photos themselves are kept.
    expect(reopened.faces).toHaveLength(0);
    expect(reopened.photos).toHaveLength(3);
    expect(reopened.photos.filter((p) => p.analysis === null)).toHaveLength(3);
    expect(reopened.vectorRows).toBe(0);
    await reopened.close();
  });

  it('never starts empty over a damaged document without a backup', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 1); // one write each: no previous version to keep yet
    await library.close();
    await rm(join(dir, 'backups'), { recursive: true, force: true });
    await writeFile(join(dir, 'photos.json'), '{"schemaVersion":1,"photos":[{"id":');
    await expect(Library.open(dir)).rejects.toThrow(LibraryDamagedError);
    await expect(Library.open(dir)).rejects.toThrow(/will not start an empty one/);
    expect(await readFile(join(dir, 'photos.json'), 'utf8')).toBe('{"schemaVersion":1,"photos":[{"id":'); // untouched
  });

  it('refuses a library written by a newer schema without changing it', async () => {
    const library = await Library.open(dir);
    await library.close();
    const text = JSON.stringify({ schemaVersion: 99, photos: 'new shape' });
    await writeFile(join(dir, 'photos.json'), text);
    await expect(Library.open(dir)).rejects.toThrow(NewerSchemaError);
    await expect(Library.open(dir)).rejects.toThrow(/newer version of Familiar \(schema 99/);
    expect(await readFile(join(dir, 'photos.json'), 'utf8')).toBe(text);
  });

  describe('a library written with schema version 1 (landmarks as [x, y] pairs)', () => {
    /** Rewrites the closed library at `dir` as a version 1 build left it, with one unmerged journal line. */
    async function writeAsVersion1(): Promise<{ pairs: Array<Array<[number, number]>> }> {
      const library = await Library.open(dir);
      await addPhotos(library, 1, 3);
      await library.close();
      for (const name of ['library', 'photos', 'people', 'settings']) {
        const file = join(dir, `${name}.json`);
        await writeFile(file, JSON.stringify({ ...JSON.parse(await readFile(file, 'utf8')), schemaVersion: 1 }));
      }
      const faces = JSON.parse(await readFile(join(dir, 'faces.json'), 'utf8')).faces as Array<Record<string, unknown>>;
      const pairs = faces.map((_, i): Array<[number, number]> => Array.from({ length: 68 }, (_, p): [number, number] => [10 * i + p, 20.5 + p]));
      faces.forEach((f, i) => (f.landmarks = pairs[i]));
      await writeFile(join(dir, 'faces.json'), JSON.stringify({ schemaVersion: 1, faces: faces.slice(0, -1) }));
      // The last face was named in the session that crashed: only its journal line holds it.
      await writeFile(join(dir, 'faces.journal'), `${JSON.stringify({ put: [{ ...faces.at(-1), personId: 'person-j', assignedBy: 'user' }], remove: [] })}\n`);
      return { pairs };
    }

    it('opens with every face, its landmarks as one flat list, and is rewritten so that older builds refuse it', async () => {
      const { pairs } = await writeAsVersion1();
      const library = await Library.open(dir);
      expect(library.faces).toHaveLength(6);
      expect(library.faces.map((f) => f.landmarks)).toEqual(pairs.map((p) => p.flat()));
      expect(library.faces[5]).toMatchObject({ personId: 'person-j', assignedBy: 'user' });
      const written = JSON.parse(await readFile(join(dir, 'faces.json'), 'utf8'));
      expect(written.schemaVersion).toBe(SCHEMA_VERSION);
      expect(written.faces[0].landmarks).toEqual(pairs[0].flat());
      expect(written.faces).toHaveLength(6); // the journal line was merged in
      for (const name of ['library', 'photos', 'people', 'settings']) {
        expect(JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')).schemaVersion, name).toBe(SCHEMA_VERSION);
      }
      await library.close();
      const reopened = await Library.open(dir);
      expect(reopened.repairs).toEqual([]);
      expect(reopened.faces.map((f) => f.landmarks)).toEqual(pairs.map((p) => p.flat()));
      await reopened.close();
    });

    it('is read, unchanged on disk, by a read-only reader', async () => {
      const { pairs } = await writeAsVersion1();
      const before = await readFile(join(dir, 'faces.json'), 'utf8');
      const reader = await Library.open(dir, { readOnly: true });
      expect(reader.faces.map((f) => f.landmarks)).toEqual(pairs.map((p) => p.flat()));
      await reader.close();
      expect(await readFile(join(dir, 'faces.json'), 'utf8')).toBe(before);
    });
  });

  it('trims vectors nobody references and drops faces pointing past the vectors', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 3);
    await library.appendVectors([unitVector(100), unitVector(101)]); // an import killed before its commit
    await library.close();
    await appendFile(join(dir, 'vectors', 'backbone.f32'), Buffer.alloc(100)); // and half a row

    let reopened = await Library.open(dir);
    expect(reopened.vectorRows).toBe(6);
    expect(reopened.repairs.map((r) => r.part)).toContain('vectors');
    await reopened.close();

    // Now the opposite: both vector files lost their last rows (e.g. restored from an older copy). One file cut
    // short alone is restored from the other while no head is in use (tests/reliability/damaged-library.test.ts).
    await truncate(join(dir, 'vectors', 'embedding.f32'), 5 * DIM * 4);
    await truncate(join(dir, 'vectors', 'backbone.f32'), 5 * DIM * 4);
    reopened = await Library.open(dir);
    expect(reopened.faces).toHaveLength(5);
    expect(reopened.photos.find((p) => p.id === photo(3).id)?.analysis).toBeNull();
    expect(reopened.repairs.find((r) => r.part === 'faces.json')?.problem).toMatch(/pointed past the 5 stored vectors/);
    expect(reopened.indexSize).toBe(5);
    await reopened.close();
  });

  it('rebuilds a missing or corrupt index from the vectors', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 4);
    await library.close();
    await writeFile(join(dir, 'index', 'embedding.hnsw'), 'garbage');
    let reopened = await Library.open(dir);
    expect(reopened.repairs.find((r) => r.part === 'index/embedding.hnsw')?.action).toBe('rebuilt from 8 stored vectors');
    expect(reopened.search(unitVector(6), 1)[0].faceId).toBe(reopened.faces[4].id);
    await reopened.close();
    await rm(join(dir, 'index'), { recursive: true });
    reopened = await Library.open(dir);
    expect(reopened.indexSize).toBe(8);
    await reopened.close();
  });

  it('rebuilds an index file cut short on a full disk instead of handing it to hnswlib, whose reader can crash on it', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 4);
    await library.close();
    // What a write on a full disk left: the file cut short, and a meta that describes it (hnswlib said nothing).
    const file = join(dir, 'index', 'embedding.hnsw');
    const whole = await readFile(file);
    const cut = whole.subarray(0, Math.floor(whole.length / 2));
    await writeFile(file, cut);
    const metaFile = join(dir, 'index', 'embedding.meta.json');
    const meta = JSON.parse(await readFile(metaFile, 'utf8'));
    meta.fileSha256 = createHash('sha256').update(cut).digest('hex');
    await writeFile(metaFile, JSON.stringify(meta));
    const reopened = await Library.open(dir);
    expect(reopened.repairs.find((r) => r.part === 'index/embedding.hnsw')?.problem).toMatch(/cut short/);
    expect(reopened.search(unitVector(6), 1)[0].faceId).toBe(reopened.faces[4].id);
    await reopened.close();
  });

  it('keeps the previous state when a write fails', async () => {
    const first = await Library.open(dir);
    await addPhotos(first, 1, 2);
    await first.close(); // merges the journal: there is none now
    const library = await Library.open(dir);
    // Make the next faces write fail: faces.journal is a link into a folder that does not exist.
    await symlink(join(dir, 'no-such-folder', 'faces.journal'), join(dir, 'faces.journal'));
    await expect(addPhotos(library, 3, 1)).rejects.toThrow();
    expect(library.faces).toHaveLength(4);
    expect(library.photos).toHaveLength(2);
    expect(library.indexSize).toBe(4);
    await rm(join(dir, 'faces.journal'));
    await addPhotos(library, 3, 1); // keeps running
    expect(library.faces).toHaveLength(6);

    // The faces are written, the photos are not (their backup slot is occupied, and their journal a link into nowhere,
    // once a new order, which is no journal line, merged it into photos.json): the faces' line is taken back.
    await library.transaction((tx) => void tx.photos.reverse());
    await library.transaction((tx) => void tx.photos.reverse());
    await rm(join(dir, 'backups', 'photos.json'), { force: true });
    await mkdir(join(dir, 'backups', 'photos.json', 'blocker'), { recursive: true });
    await symlink(join(dir, 'no-such-folder', 'photos.journal'), join(dir, 'photos.journal'));
    const journalBefore = await readFile(join(dir, 'faces.journal'));
    await expect(addPhotos(library, 4, 1)).rejects.toThrow();
    expect(library.faces).toHaveLength(6);
    expect(library.photos).toHaveLength(3);
    expect(await readFile(join(dir, 'faces.journal'))).toEqual(journalBefore);

    // A change the journal cannot express (the faces' order) rewrites faces.json; if the photos then fail, faces.json
    // and its journal both come back.
    await expect(
      library.transaction((tx) => {
        tx.faces.reverse();
        tx.photos[0].missing = true;
      }),
    ).rejects.toThrow();
    expect(library.faces.map((f) => f.id)).toEqual(library.faces.map((f) => f.id).sort());
    expect(await readFile(join(dir, 'faces.journal'))).toEqual(journalBefore);
    await rm(join(dir, 'backups', 'photos.json'), { recursive: true });
    await rm(join(dir, 'photos.journal'));
    await library.close();
    const reopened = await Library.open(dir);
    // Only the vectors of the two failed imports, which no face references.
    expect(reopened.repairs.map((r) => r.part)).toEqual(['vectors']);
    expect(reopened.faces).toHaveLength(6);
    expect(reopened.photos.every((p) => !p.missing)).toBe(true);
    await reopened.close();
  });
});

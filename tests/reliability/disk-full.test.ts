// Disk full and read-only (issue 7, point 4): writes fail by injection (tests run as root, where chmod does not
// stop writes): ENOSPC from a file's write calls, EROFS from every write under the library. A failed write leaves
// the previous state — in memory and on disk, across documents of one transaction — reports the error, and the
// engine keeps running: reads answer, and the same work succeeds once the disk takes writes again.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../main/engine.js';
import { oneSentence } from '../../main/cli/main.js';
import { nameFaces, namePerson, recluster, rejectFaces } from '../../main/people/index.js';
import { Library } from '../../main/store/library.js';
import { treeDigest } from './helpers/damage-cases.js';
import { PixelHashAnalyzer, writeDistinctPhotos } from './helpers/fake-analyzer.js';
import { invariantProblems, lostDecisions, snapshotDecisions, writeSyntheticLibrary } from './helpers/library-state.js';

/** Which writes fail: a test sets it, beforeEach clears it. */
const faults = vi.hoisted(() => ({ failWrite: null as null | ((path: string) => string | null) }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const fail = (path: unknown, op: string) => {
    const code = faults.failWrite?.(String(path));
    if (!code) return;
    throw Object.assign(new Error(`${code}: injected failure, ${op} '${String(path)}'`), { code, syscall: op, path: String(path) });
  };
  const writesWith = (flags: unknown) => typeof flags === 'string' && /[wa+]/.test(flags);
  const wrapped = {
    ...real,
    async open(path: Parameters<typeof real.open>[0], flags?: Parameters<typeof real.open>[1], mode?: Parameters<typeof real.open>[2]) {
      const handle = await real.open(path, flags, mode);
      if (!writesWith(flags) || !faults.failWrite?.(String(path))) return handle;
      // The file opens (the folder entry exists); its data writes fail, as on a full disk.
      return new Proxy(handle, {
        get(target, prop) {
          if (prop === 'write' || prop === 'writeFile' || prop === 'appendFile' || prop === 'truncate') {
            return async () => fail(path, String(prop));
          }
          const value = Reflect.get(target, prop, target) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
    async writeFile(path: Parameters<typeof real.writeFile>[0], ...rest: [never]) {
      fail(path, 'write');
      return real.writeFile(path, ...rest);
    },
    async appendFile(path: Parameters<typeof real.appendFile>[0], ...rest: [never]) {
      fail(path, 'write');
      return real.appendFile(path, ...rest);
    },
    async rename(from: string, to: string) {
      fail(to, 'rename');
      return real.rename(from, to);
    },
    async link(from: string, to: string) {
      fail(to, 'link');
      return real.link(from, to);
    },
    async truncate(path: string, length?: number) {
      fail(path, 'truncate');
      return real.truncate(path, length);
    },
    async copyFile(from: string, to: string, mode?: number) {
      fail(to, 'copyfile');
      return real.copyFile(from, to, mode);
    },
  };
  return { ...wrapped, default: wrapped };
});

let work: string;
let seed: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-reliability-disk-'));
  seed = join(work, 'seed');
  await writeSyntheticLibrary(seed, { people: 10, facesPerPerson: 8, named: 4, confirmedPerPerson: 4, rejectionsPerPerson: 2, noise: 0.5, spread: 0.8, seed: 5 });
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});
beforeEach(() => {
  faults.failWrite = null;
});

let copies = 0;
async function copyOfSeed(): Promise<string> {
  const dir = join(work, `library-${++copies}`);
  await cp(seed, dir, { recursive: true });
  return dir;
}

const documents = (digest: Map<string, string>) => new Map([...digest].filter(([path]) => /^([a-z]+\.json|(faces|photos|people)\.journal)$/.test(path)));
const leftoverTemps = async (dir: string) => (await readdir(dir)).filter((f) => f.endsWith('.tmp'));

describe('a write the disk refuses', () => {
  it('a decision spanning two documents fails as a whole, on disk and in memory, then succeeds', async () => {
    const dir = await copyOfSeed();
    const library = await Library.open(dir);
    try {
      const before = snapshotDecisions(library);
      const onDisk = documents(await treeDigest(dir));
      const face = library.faces.find((f) => f.assignedBy === null)!;
      // Naming a face enrols a new person: faces.json and people.json change (each a line of its journal); people.json
      // is written second.
      faults.failWrite = (path) => (/people\.(json|journal)/.test(path) && !path.includes('backups') ? 'ENOSPC' : null);
      await expect(nameFaces(library, [face.id], 'Dana')).rejects.toMatchObject({ code: 'ENOSPC' });
      expect(library.face(face.id)).toMatchObject({ personId: null, assignedBy: null });
      expect(library.people.people.some((p) => p.name === 'Dana')).toBe(false);
      expect(documents(await treeDigest(dir))).toEqual(onDisk);
      expect(await leftoverTemps(dir)).toEqual([]);
      expect(invariantProblems(library)).toEqual([]);

      faults.failWrite = null;
      await nameFaces(library, [face.id], 'Dana');
      expect(library.people.people.find((p) => p.id === library.face(face.id)!.personId)?.name).toBe('Dana');
      expect(lostDecisions(before, library)).toEqual([]);
    } finally {
      await library.close();
    }
    const reopened = await Library.open(dir);
    try {
      expect(reopened.repairs).toEqual([]);
      expect(invariantProblems(reopened)).toEqual([]);
    } finally {
      await reopened.close();
    }
  });

  it('an import whose vectors cannot be written stops with the error and keeps the library; it completes later', async () => {
    const dir = await copyOfSeed();
    const album = join(work, 'album-enospc');
    await writeDistinctPhotos(album, 12);
    const engine = await Engine.open(dir, { analyzer: new PixelHashAnalyzer() });
    try {
      const faces = engine.library.faces.length;
      const onDisk = documents(await treeDigest(dir));
      faults.failWrite = (path) => (path.endsWith('backbone.f32') ? 'ENOSPC' : null);
      await expect(engine.import([album])).rejects.toThrow(/ENOSPC|disk is full/);
      expect(engine.library.faces).toHaveLength(faces);
      expect(documents(await treeDigest(dir))).toEqual(onDisk);
      expect(invariantProblems(engine.library)).toEqual([]);

      faults.failWrite = null;
      const summary = await engine.import([album]);
      expect(summary.skipped).toEqual([]);
      expect(engine.library.faces).toHaveLength(faces + 12);
      expect(invariantProblems(engine.library)).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('an import the disk filled up during says so, not the failed write of its unfinished mark, which stays to resume it', async () => {
    // The write that found the disk full was hidden by the next one the import tried, forgetting its mark in
    // settings.json on the same disk: the CLI named a temp copy of settings.json as what could not be written.
    const dir = await copyOfSeed();
    const album = join(work, 'album-full-disk');
    await writeDistinctPhotos(album, 12);
    const engine = await Engine.open(dir, { analyzer: new PixelHashAnalyzer() });
    let full = false;
    try {
      const faces = engine.library.faces.length;
      // The disk fills as the first vectors are written: every write under the library fails from then on.
      faults.failWrite = (path) => {
        if (!path.startsWith(dir)) return null;
        if (path.endsWith('backbone.f32')) full = true;
        return full ? 'ENOSPC' : null;
      };
      const failure = await engine.import([album]).then(() => null, (err: unknown) => err as Error);
      // As the CLI says it: the write that found the disk full, and what to do.
      expect(oneSentence(failure)).toMatch(/^the disk is full \(ENOSPC: injected failure, write '[^']*backbone\.f32'\)\. What was done before this is kept: free some space, then run the command again\.$/);
      expect(await engine.unfinishedImports()).toEqual([album]);
      expect(engine.library.faces).toHaveLength(faces);

      faults.failWrite = null;
      await engine.close();
      const reopened = await Engine.open(dir, { analyzer: new PixelHashAnalyzer() });
      try {
        // The next start offers to resume it; importing it again reads it all and forgets the mark.
        expect(await reopened.unfinishedImports()).toEqual([album]);
        const summary = await reopened.import([album]);
        expect(summary.skipped).toEqual([]);
        expect(reopened.library.faces).toHaveLength(faces + 12);
        expect(await reopened.unfinishedImports()).toEqual([]);
        expect(invariantProblems(reopened.library)).toEqual([]);
      } finally {
        await reopened.close();
      }
    } finally {
      faults.failWrite = null;
      await engine.close();
    }
  });

  it('a model switch whose library.json cannot be written keeps the embedding in use, on disk and after reopening', async () => {
    const dir = await copyOfSeed();
    const library = await Library.open(dir);
    const headV1 = (rows: Float32Array) => rows.map((v, i) => (i % 3 === 0 ? -v : v));
    const headV2 = (rows: Float32Array) => rows.map((v, i) => (i % 5 === 0 ? -v : v));
    const face = library.faces[7];
    let inUse: Float32Array;
    try {
      await library.replaceEmbeddings({ kind: 'head', modelId: 'embedder-v1' }, 128, headV1);
      inUse = Float32Array.from(library.embeddingOf(face));
      const vectorsOnDisk = (await treeDigest(dir)).get('vectors/embedding.f32');
      faults.failWrite = (path) => (/library\.json/.test(path) && !path.includes('backups') ? 'ENOSPC' : null);
      await expect(library.replaceEmbeddings({ kind: 'head', modelId: 'embedder-v2' }, 128, headV2)).rejects.toMatchObject({ code: 'ENOSPC' });
      faults.failWrite = null;
      expect(library.info.embedding).toEqual({ kind: 'head', modelId: 'embedder-v1' });
      expect(library.embeddingOf(face)).toEqual(inUse);
      expect((await treeDigest(dir)).get('vectors/embedding.f32')).toBe(vectorsOnDisk);
      expect(invariantProblems(library)).toEqual([]);
    } finally {
      await library.close();
    }
    const reopened = await Library.open(dir);
    try {
      expect(reopened.repairs).toEqual([]);
      expect(reopened.info.embedding).toEqual({ kind: 'head', modelId: 'embedder-v1' });
      expect(reopened.embeddingOf(reopened.face(face.id)!)).toEqual(inUse);
    } finally {
      await reopened.close();
    }
  });

  it('a library folder that turned read-only: jobs and decisions fail with the error, reads go on, nothing is lost', async () => {
    const dir = await copyOfSeed();
    const engine = await Engine.open(dir, { analyzer: new PixelHashAnalyzer() });
    const library = engine.library;
    try {
      // A regrouping due (names were read in): recluster has something to write. One that changes nothing writes nothing.
      await library.transaction((tx) => void (tx.people.regroupPending = true));
      const before = snapshotDecisions(library);
      const onDisk = await treeDigest(dir);
      const person = library.people.people[0];
      faults.failWrite = (path) => (path.startsWith(dir) ? 'EROFS' : null);
      await expect(recluster(library)).rejects.toMatchObject({ code: 'EROFS' });
      await expect(namePerson(library, person.id, 'Renamed')).rejects.toMatchObject({ code: 'EROFS' });
      const unassigned = library.faces.find((f) => f.assignedBy === null)!;
      await expect(rejectFaces(library, [unassigned.id], person.id)).rejects.toMatchObject({ code: 'EROFS' });
      // Reads still answer, from the state before the failed writes.
      expect(library.people.people[0].name).toBe(person.name);
      expect(library.search(library.embeddingOf(unassigned), 1)[0].faceId).toBe(unassigned.id);
      expect(lostDecisions(before, library)).toEqual([]);
      expect(await treeDigest(dir)).toEqual(onDisk);

      faults.failWrite = null;
      await namePerson(library, person.id, 'Renamed');
      await recluster(library);
      expect(library.people.people.find((p) => p.id === person.id)?.name).toBe('Renamed');
      expect(invariantProblems(library)).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});

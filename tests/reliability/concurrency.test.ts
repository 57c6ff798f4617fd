// Concurrency (issue 7, point 5). In one engine, as in the app: an import re-analysing faces, repeated reclusters
// and an embedder training (adopted: new embedding, people refreshed) run while the user renames, confirms,
// rejects, merges and enrols; every decision made during the jobs survives their results, in memory and on disk.
// Across processes: a second Familiar on the same library is refused by the lock with one clear sentence.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainEmbedder } from '../../main/embedder/index.js';
import { Engine } from '../../main/engine.js';
import type { FaceAnalysisService } from '../../main/library/import.js';
import { confirmFaces, mergePeople, nameFaces, namePerson, recluster, rejectFaces } from '../../main/people/index.js';
import { Library } from '../../main/store/library.js';
import { repoRoot, runCli } from './helpers/crash-harness.js';
import { PixelHashAnalyzer, writeDistinctPhotos } from './helpers/fake-analyzer.js';
import { invariantProblems, lostDecisions, snapshotDecisions, writeSyntheticLibrary } from './helpers/library-state.js';

let work: string;
let libraryDir: string;
let albumKnown: string;
let albumNew: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-reliability-concurrency-'));
  libraryDir = join(work, 'library');
  await writeSyntheticLibrary(libraryDir, { people: 16, facesPerPerson: 10, named: 6, confirmedPerPerson: 5, rejectionsPerPerson: 2, noise: 0.7, spread: 0.8, seed: 21 });
  albumKnown = join(work, 'known');
  albumNew = join(work, 'new');
  await writeDistinctPhotos(albumKnown, 12, 'known');
  await writeDistinctPhotos(albumNew, 16, 'new');
  const engine = await Engine.open(libraryDir, { analyzer: new PixelHashAnalyzer() });
  try {
    await engine.import([albumKnown]);
    // Analysed by an older pipeline: the next import re-analyses these faces while the user decides on them.
    await engine.library.transaction((tx) => {
      for (const p of tx.photos) if (p.paths[0]?.startsWith(albumKnown) && p.analysis) p.analysis = { ...p.analysis, pipelineVersion: 'older' };
    });
  } finally {
    await engine.close();
  }
}, 60_000);
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('jobs and decisions at the same time', () => {
  it('keeps every decision made while an import, reclusters and a training run', async () => {
    // The import's last photos wait for the user's decisions, so that those land while it runs however long they take
    // on a loaded machine (the photos' 80 ms each alone do not hold the import back on a machine slow to decide).
    let decisionsMade!: () => void;
    const decided = new Promise<void>((resolve) => (decisionsMade = resolve));
    const photos = new PixelHashAnalyzer(80);
    const analyzer: FaceAnalysisService = {
      size: photos.size,
      analyze: async (image) => {
        if (photos.calls >= 24) await decided;
        return photos.analyze(image);
      },
    };
    const engine = await Engine.open(libraryDir, { analyzer });
    const library = engine.library;
    try {
      const knownFaces = library.faces.filter((f) => library.photo(f.photoId)?.paths[0]?.startsWith(albumKnown)).map((f) => f.id);
      expect(knownFaces).toHaveLength(12);
      const unassigned = library.faces.filter((f) => f.assignedBy === null && f.rejectedPersonIds.length === 0 && !knownFaces.includes(f.id)).map((f) => f.id);
      const seedDecisions = snapshotDecisions(library);

      let importDone = false;
      const importing = engine.import([albumKnown, albumNew]).finally(() => (importDone = true));
      const reclustering = (async () => {
        let runs = 0;
        while (!importDone || runs < 2) {
          await recluster(library);
          runs++;
          await pause(5);
        }
        return runs;
      })();
      const training = trainEmbedder(library, { epochs: 5 });

      let afterDecisions: ReturnType<typeof snapshotDecisions>;
      try {
        // The user, meanwhile (each awaited, as clicks are).
        await pause(50);
        await namePerson(library, 'person-synthetic-0', 'Alice Renamed');
        await confirmFaces(library, [knownFaces[0], knownFaces[1]], 'person-synthetic-1');
        await pause(30);
        await rejectFaces(library, [knownFaces[2]], 'person-synthetic-2');
        await mergePeople(library, 'person-synthetic-4', ['person-synthetic-3']);
        await pause(30);
        await rejectFaces(library, [unassigned[0], unassigned[1]], 'person-synthetic-5');
        await nameFaces(library, [knownFaces[3]], 'Zed');
        await confirmFaces(library, [unassigned[2]], 'Alice Renamed');
        afterDecisions = snapshotDecisions(library);
        // The import waits for decisionsMade() below before its last photos: done already only if it failed early.
        expect(importDone).toBe(false);
      } finally {
        // Whatever failed above, the import must not stay blocked: the test would hang until its timeout.
        decisionsMade();
      }

      const [imported, reclusters, trained] = await Promise.all([importing, reclustering, training]);
      expect(imported.analysed).toBe(28);
      expect(reclusters).toBeGreaterThanOrEqual(2);
      expect(trained.history.length).toBeGreaterThan(0);

      const check = (lib: Library) => {
        expect(lostDecisions(afterDecisions, lib)).toEqual([]);
        // The seed's decisions too, as the user changed them: person 0 renamed, person 3 merged into 4 (its faces
        // and the rejections of it follow).
        const merged = (id: string | null) => (id === 'person-synthetic-3' ? 'person-synthetic-4' : id);
        const seedNow = {
          ...seedDecisions,
          names: new Map([...seedDecisions.names].filter(([id]) => id !== 'person-synthetic-0' && id !== 'person-synthetic-3')),
          confirmations: new Map([...seedDecisions.confirmations].map(([f, p]) => [f, merged(p)])),
          rejections: new Map([...seedDecisions.rejections].map(([f, ps]) => [f, ps.map((p) => merged(p)!)])),
        };
        expect(lostDecisions(seedNow, lib)).toEqual([]);
        expect(lib.people.people.find((p) => p.id === 'person-synthetic-0')?.name).toBe('Alice Renamed');
        expect(lib.people.people.some((p) => p.id === 'person-synthetic-3')).toBe(false);
        for (const id of [knownFaces[0], knownFaces[1]]) expect(lib.face(id)).toMatchObject({ personId: 'person-synthetic-1', assignedBy: 'user' });
        expect(lib.face(knownFaces[2])?.rejectedPersonIds).toContain('person-synthetic-2');
        expect(lib.face(knownFaces[2])?.personId).not.toBe('person-synthetic-2');
        for (const id of [unassigned[0], unassigned[1]]) expect(lib.face(id)?.personId).not.toBe('person-synthetic-5');
        const zed = lib.people.people.find((p) => p.name === 'Zed');
        expect(lib.face(knownFaces[3])).toMatchObject({ personId: zed?.id, assignedBy: 'user' });
        expect(lib.face(unassigned[2])).toMatchObject({ personId: 'person-synthetic-0', assignedBy: 'user' });
        expect(invariantProblems(lib)).toEqual([]);
      };
      check(library);
      await engine.close();
      const reopened = await Library.open(libraryDir);
      try {
        expect(reopened.repairs).toEqual([]);
        check(reopened);
      } finally {
        await reopened.close();
      }
    } finally {
      decisionsMade();
      await engine.close();
    }
  }, 120_000);
});

describe('two processes on one library', () => {
  it('refuses a second process with a clear sentence while `familiar serve` holds the lock, and accepts it after', async () => {
    const dir = join(work, 'locked');
    await cp(libraryDir, dir, { recursive: true });
    const server = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'main', 'cli', 'index.ts'), 'serve', '--library', dir, '--port', '0', '--json'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<string>((resolve, reject) => {
        createInterface({ input: server.stdout }).once('line', resolve);
        server.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      for (const args of [['name', 'person-synthetic-1', 'Bea'], ['recluster'], ['import', albumNew]]) {
        const run = await runCli([...args, '--library', dir]);
        expect(run.code, args.join(' ')).toBe(1);
        expect(run.stderr).toMatch(
          new RegExp(
            `^familiar ${args[0]}: The library .* is in use by familiar serve \\(pid ${server.pid} on .*\\); close it first, or use another --library\\. ` +
              `Commands that only read it \\(people, faces, doctor, suggest, who, same\\) work meanwhile\\.\\n$`,
          ),
        );
      }
      // What the refusal says still works does.
      for (const args of [['people'], ['faces', '--json'], ['doctor'], ['suggest', 'person-synthetic-1']]) {
        expect((await runCli([...args, '--library', dir])).code, args.join(' ')).toBe(0);
      }
    } finally {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    const after = await runCli(['name', 'person-synthetic-1', 'Bea', '--library', dir]);
    expect(after.code).toBe(0);
  }, 300_000); // nine CLI processes, each compiling the sources at start: 9 s on a quiet machine, 28 s on a loaded one
});

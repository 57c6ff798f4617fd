// Crash consistency of `familiar import`: the CLI runs as a child process and is SIGKILLed at several points;
// after each kill the library opens (taking over the dead process's lock), every part agrees, a second import
// completes and no face is stored twice. Then `faces`, `doctor` and the lock message are checked on that library.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iou } from '../../../models/detector.js';
import { PIPELINE_VERSION } from '../../../models/pipeline.js';
import { PIPELINE_BEFORE_LOWER_THRESHOLD } from '../../../main/library/pipeline-upgrade.js';
import { Library } from '../../../main/store/library.js';
import { makeAlbum, repoRoot } from '../library/helpers.js';

const CRASH_ALBUM: Record<string, string> = {
  'a/obama_small.jpg': 'face_recognition/obama/obama_small.jpg',
  'a/obama-240p.jpg': 'face_recognition/obama/obama-240p.jpg',
  'a/obama-480p.jpg': 'face_recognition/obama/obama-480p.jpg',
  'a/obama1.jpg': 'face_recognition/obama/obama1.jpg',
  'b/biden.jpg': 'face_recognition/biden/biden.jpg',
  'b/john1.jpeg': 'face_recognition/kit_harington/john1.jpeg',
  'b/john2.jpeg': 'face_recognition/kit_harington/john2.jpeg',
  'b/rose1.jpg': 'face_recognition/rose_leslie/img1.jpg',
  'b/rose2.jpg': 'face_recognition/rose_leslie/img2.jpg',
  'c/kit_with_rose.jpg': 'face_recognition/_group_photos/kit_with_rose.jpg',
  'c/010_2.jpg': 'compreface/_group_photos/010_2.jpg',
  'c/011_3.jpg': 'compreface/_group_photos/011_3.jpg',
  'c/017_0.jpg': 'compreface/_no_faces/017_0.jpg',
  'c/landscape.jpg': 'compreface/_no_faces/landscape.jpg',
};

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  stderr: string;
}

/** Runs the CLI from the sources; with `killAfterLines`, SIGKILLs it once that many stdout lines arrived. */
function cli(args: string[], killAfterLines?: number): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'main', 'cli', 'index.ts'), ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (killAfterLines !== undefined && lines.length === killAfterLines) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, lines, stderr }));
  });
}

/** Everything a reopened library must satisfy, whatever instant the writer died at. */
function checkConsistent(library: Library): void {
  const faces = library.faces;
  expect(new Set(faces.map((f) => f.id)).size).toBe(faces.length);
  expect(new Set(faces.map((f) => f.vectorRow)).size).toBe(faces.length);
  expect(library.indexSize).toBe(faces.length);
  for (const face of faces) {
    expect(face.vectorRow).toBeLessThan(library.vectorRows);
    expect(library.indexHas(face.vectorRow)).toBe(true);
    expect(library.photo(face.photoId)?.faceIds).toContain(face.id);
  }
  for (const photo of library.photos) {
    for (const id of photo.faceIds) expect(library.face(id)?.photoId).toBe(photo.id);
    // No face stored twice: no two faces of one photo cover the same region.
    const boxes = library.facesOfPhoto(photo.id).map((f) => f.box);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(iou(boxes[i], boxes[j])).toBeLessThan(0.5);
  }
}

let work: string;
let album: string;
/** Photos analysed and stored when each kill struck. */
const storedAtKill: number[] = [];
let libraryDir: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'familiar-crash-'));
  album = await makeAlbum(join(work, 'album'), CRASH_ALBUM);
  libraryDir = join(work, 'library');
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('familiar import under SIGKILL', () => {
  // Lines: progress events while scanning, then one per file; kill early (model loading), mid-way and late.
  const killPoints = [2, 6, 10, 14];

  it.each(killPoints)('reopens consistently after a kill at stdout line %i', async (killAt) => {
    const run = await cli(['import', album, '--library', libraryDir, '--json'], killAt);
    const summaryLine = run.lines.find((l) => l.includes('"type":"summary"'));
    if (!summaryLine) expect(run.signal).toBe('SIGKILL'); // else the import finished before the kill point
    const library = await Library.open(libraryDir);
    try {
      checkConsistent(library);
      storedAtKill.push(library.photos.filter((p) => p.analysis).length);
    } finally {
      await library.close();
    }
    if (killAt === 6 && !summaryLine) {
      // Killed while reading files: doctor says which folder's import did not finish, and how to read the rest.
      const doctor = await cli(['doctor', '--library', libraryDir]);
      expect(doctor.lines).toContain(`  the import of ${album} did not finish: familiar import ${JSON.stringify(album)} reads the rest`);
    }
  });

  it('completes the import after the kills, with every photo analysed once', async () => {
    // The kills struck mid-import: at least one left some photos stored and others not.
    expect(storedAtKill.some((n) => n > 0 && n < Object.keys(CRASH_ALBUM).length)).toBe(true);
    const run = await cli(['import', album, '--library', libraryDir, '--json']);
    expect(run.stderr.replace(/familiar: repaired[^\n]*\n/g, '')).toBe('');
    expect(run.code).toBe(0);
    const lines = run.lines.map((l) => JSON.parse(l) as { type: string });
    expect(lines.slice(0, -1).every((l) => l.type === 'progress')).toBe(true);
    const summary = lines.at(-1) as unknown as { type: string; photos: number; skipped: unknown[]; totalFaces: number };
    expect(summary).toMatchObject({ type: 'summary', photos: Object.keys(CRASH_ALBUM).length, skipped: [] });
    const library = await Library.open(libraryDir);
    try {
      checkConsistent(library);
      expect(library.photos).toHaveLength(Object.keys(CRASH_ALBUM).length);
      expect(library.photos.every((p) => p.analysis?.pipelineVersion === PIPELINE_VERSION)).toBe(true);
      expect(library.faces.length).toBe(summary.totalFaces);
      expect(library.faces.length).toBeGreaterThanOrEqual(14);
    } finally {
      await library.close();
    }
  });
});

describe('familiar faces / doctor / lock', () => {
  it('lists every face with box, score and, with --embeddings, the vector and threshold', async () => {
    const run = await cli(['faces', '--json', '--embeddings', '--library', libraryDir]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.lines.join('\n')) as {
      count: number;
      embedding: { dim: number; samePersonDistance: number };
      faces: Array<{ id: string; photoPath: string; box: number[]; score: number; embedding: number[]; personId: null }>;
    };
    expect(out.faces).toHaveLength(out.count);
    expect(out.embedding).toMatchObject({ dim: 128, samePersonDistance: expect.any(Number) });
    for (const face of out.faces) {
      expect(face.photoPath.startsWith(album)).toBe(true);
      expect(face.box).toHaveLength(4);
      expect(face.score).toBeGreaterThan(0);
      expect(face.embedding).toHaveLength(128);
      expect(Math.hypot(...face.embedding)).toBeCloseTo(1, 3);
    }
  });

  it('reports backend, models, counts and lock state', async () => {
    const run = await cli(['doctor', '--json', '--library', libraryDir]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.lines.join('\n'));
    expect(report.backend.name).toMatch(/wasm|tensorflow/);
    expect(report.backend.reason).toBeTruthy();
    expect(report.models.missing).toEqual([]);
    expect(report.models.files.map((f: { name: string }) => f.name)).toContain('face_recognition_model.bin');
    expect(report.library).toMatchObject({ dir: libraryDir, exists: true, lock: { state: 'free' }, counts: { photos: 14 } });
  });

  it('refuses a second writer with one clear sentence and bad usage with exit code 2', async () => {
    const holder = await Library.open(libraryDir);
    try {
      const run = await cli(['import', album, '--library', libraryDir]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^familiar import: The library .* is in use by (another Familiar process|familiar \w+) \(pid \d+/);
    } finally {
      await holder.close();
    }
    const usage = await cli(['import', '--library', libraryDir]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/give at least one folder/);
    const lookAgainWithFolder = await cli(['import', '--look-again', album, '--library', libraryDir]);
    expect(lookAgainWithFolder.code).toBe(2);
    expect(lookAgainWithFolder.stderr).toMatch(/--look-again takes no folders/);
  });

  it('looks again at the photos an earlier version analysed, and at nothing once this one has', async () => {
    const library = await Library.open(libraryDir);
    let facesBefore: string[];
    try {
      await library.transaction((tx) => {
        for (const photo of tx.photos) photo.analysis = { pipelineVersion: PIPELINE_BEFORE_LOWER_THRESHOLD, analysedAt: photo.analysis!.analysedAt };
      });
      facesBefore = library.faces.map((f) => f.id).sort();
    } finally {
      await library.close();
    }
    // An import of the same folder keeps their faces, and says how to look again.
    const imported = await cli(['import', album, '--library', libraryDir]);
    expect(imported.code).toBe(0);
    expect(imported.lines.join('\n')).toMatch(/Nothing new: all 14 photos were already in the library .*\n14 photos were analysed by an earlier version, which misses some faces: "familiar import --look-again" looks for them\./);
    const looked = await cli(['import', '--look-again', '--library', libraryDir]);
    expect(looked.code).toBe(0);
    expect(looked.lines.join('\n')).toMatch(/Imported 14 photos \(0 new, 14 analysed\)/);
    const after = await Library.open(libraryDir, { readOnly: true });
    try {
      expect(after.photos.every((p) => p.analysis?.pipelineVersion === PIPELINE_VERSION)).toBe(true);
      expect(after.faces.map((f) => f.id)).toEqual(expect.arrayContaining(facesBefore));
    } finally {
      await after.close();
    }
    const again = await cli(['import', '--look-again', '--library', libraryDir]);
    expect(again.code).toBe(0);
    expect(again.lines.join('\n')).toMatch(/nothing to look at again/);
  });
});

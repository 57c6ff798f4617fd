// The libraries the crash runs start from, each holding user decisions that must survive every kill:
//   import:     a real import of a few shared photos, faces named/confirmed/rejected, every photo marked as
//               analysed by an older pipeline (so the killed import re-analyses faces that carry decisions),
//               plus a second folder of new photos;
//   recluster / train embedder: a synthetic library (no images) of clustered descriptors with named people.
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Library } from '../../../main/store/library.js';
import type { PersonRecord } from '../../../main/store/types.js';
import { repoRoot, runCli, type CrashJob } from './crash-harness.js';
import { snapshotDecisions, writeSyntheticLibrary, type DecisionSnapshot } from './library-state.js';

export const sharedFaces = resolve(repoRoot, '..', 'shared', 'faces');

/** Analysed before the crash runs; decisions are made on these faces. */
const KNOWN_ALBUM: Record<string, string> = {
  'obama/obama_small.jpg': 'face_recognition/obama/obama_small.jpg',
  'obama/obama-240p.jpg': 'face_recognition/obama/obama-240p.jpg',
  'biden/biden.jpg': 'face_recognition/biden/biden.jpg',
  'groups/kit_with_rose.jpg': 'face_recognition/_group_photos/kit_with_rose.jpg',
};
/** New to the library: what the killed import adds. */
const NEW_ALBUM: Record<string, string> = {
  'kit/john2.jpeg': 'face_recognition/kit_harington/john2.jpeg',
  'rose/img1.jpg': 'face_recognition/rose_leslie/img1.jpg',
  'rose/img2.jpg': 'face_recognition/rose_leslie/img2.jpg',
  'landscape/017_0.jpg': 'compreface/_no_faces/017_0.jpg',
};

async function copyAlbum(dir: string, files: Record<string, string>): Promise<string> {
  for (const [target, source] of Object.entries(files)) {
    await mkdir(dirname(join(dir, target)), { recursive: true });
    await copyFile(join(sharedFaces, source), join(dir, target));
  }
  return dir;
}

export interface CrashSeed {
  job: CrashJob;
  library: string;
  decisions: DecisionSnapshot;
  faces: number;
}

export async function importSeed(workDir: string): Promise<CrashSeed> {
  const known = await copyAlbum(join(workDir, 'album-known'), KNOWN_ALBUM);
  const fresh = await copyAlbum(join(workDir, 'album-new'), NEW_ALBUM);
  const libraryDir = join(workDir, 'seed-import');
  const run = await runCli(['import', known, '--library', libraryDir, '--json']);
  if (run.code !== 0) throw new Error(`Seeding the import library failed: ${run.stderr}`);
  const library = await Library.open(libraryDir);
  try {
    const faces = library.faces;
    if (faces.length < 4) throw new Error(`The seed import found only ${faces.length} faces.`);
    const now = new Date().toISOString();
    const people: PersonRecord[] = [
      { id: 'person-seed-a', name: 'Barack', hidden: false, coverFaceId: null, createdAt: now },
      { id: 'person-seed-b', name: 'Joe', hidden: false, coverFaceId: null, createdAt: now },
    ];
    await library.transaction((tx) => {
      tx.people.people.push(...people);
      tx.faces.forEach((f, i) => {
        if (i % 3 === 0) Object.assign(f, { personId: 'person-seed-a', assignedBy: 'user' });
        else if (i % 3 === 1) Object.assign(f, { personId: 'person-seed-b', assignedBy: 'user', rejectedPersonIds: ['person-seed-a'] });
        else f.rejectedPersonIds = ['person-seed-b'];
      });
      // An older pipeline analysed them: the import re-analyses every photo, keeping face ids and decisions.
      for (const p of tx.photos) if (p.analysis) p.analysis = { ...p.analysis, pipelineVersion: 'older-pipeline' };
    });
    return {
      job: { name: 'import', args: (dir) => ['import', known, fresh, '--library', dir, '--json'] },
      library: libraryDir,
      decisions: snapshotDecisions(library),
      faces: library.faces.length,
    };
  } finally {
    await library.close();
  }
}

/** Tight enough that the recluster forms groups besides the named people. */
const SYNTHETIC = { people: 24, facesPerPerson: 12, named: 8, confirmedPerPerson: 6, rejectionsPerPerson: 2, noise: 0.5, spread: 0.8, seed: 7 };
/** Looser: the raw descriptors verify some held-out pairs wrongly, so the trained head is adopted (the writing path). */
const SYNTHETIC_TRAIN = { ...SYNTHETIC, noise: 0.7 };

export async function reclusterSeed(workDir: string): Promise<CrashSeed> {
  const libraryDir = join(workDir, 'seed-recluster');
  const decisions = await writeSyntheticLibrary(libraryDir, SYNTHETIC);
  return {
    job: { name: 'recluster', args: (dir) => ['recluster', '--library', dir, '--json'] },
    library: libraryDir,
    decisions,
    faces: SYNTHETIC.people * SYNTHETIC.facesPerPerson,
  };
}

export async function trainSeed(workDir: string, epochs = 6): Promise<CrashSeed> {
  const libraryDir = join(workDir, 'seed-train');
  const decisions = await writeSyntheticLibrary(libraryDir, SYNTHETIC_TRAIN);
  return {
    job: { name: 'train embedder', args: (dir) => ['train', 'embedder', '--epochs', String(epochs), '--library', dir, '--json'] },
    library: libraryDir,
    decisions,
    faces: SYNTHETIC.people * SYNTHETIC.facesPerPerson,
  };
}

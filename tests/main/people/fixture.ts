// A real library folder (main/store Library) holding synthetic faces of known people, so the people service can
// be exercised end to end: photos with one face each, plus group photos, and a way to "import" more faces later.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { Library } from '../../../main/store/library.js';
import type { FaceRecord, PhotoRecord } from '../../../main/store/types.js';
import type { PeopleThresholds } from '../../../main/people/types.js';
import { syntheticFaces } from '../../../models/cluster/synthetic.js';
import { row } from '../../../models/cluster/vectors.js';

/** Thresholds for the synthetic embedding (within-person ~0.13, between people ~0.55). */
export const SYNTHETIC_THRESHOLDS: PeopleThresholds = {
  cluster: { method: 'hdbscan', minClusterSize: 3, minSamples: 2, selection: 'eom', maxDistance: 0.25 },
  placeDistance: 0.2,
  placeMargin: 0.03,
  suggestDistance: 0.35,
  whoDistance: 0.2,
  sameDistance: 0.3,
};

export interface PeopleFixture {
  library: Library;
  dir: string;
  /** Identity of each face id (strangers have unique identities). */
  identityOf: Map<string, number>;
  /** Face ids of each identity with at least two faces. */
  facesOf: Map<number, string[]>;
  /** Vectors not yet imported, with their identities: importMore() takes from here. */
  reserve: { vectors: Float32Array[]; identity: number[] };
  /** Adds `count` reserve faces as new one-face photos; returns their face ids (not yet assigned). */
  importMore(count: number): Promise<string[]>;
  close(): Promise<void>;
}

let photoCounter = 0;

function photoRecord(id: string, faceIds: string[]): PhotoRecord {
  return {
    id,
    paths: [`/album/${id.slice(0, 8)}.jpg`],
    missing: false,
    width: 640,
    height: 480,
    orientation: 1,
    takenAt: null,
    bytes: 1000,
    format: 'jpeg',
    analysis: { pipelineVersion: 'synthetic', analysedAt: new Date().toISOString() },
    faceIds,
  };
}

function faceRecord(photoId: string, index: number, vectorRow: number): FaceRecord {
  const id = `${photoId.slice(0, 16)}-${index}`;
  return {
    id,
    photoId,
    box: [10 + index * 100, 10, 80, 80],
    score: 0.9,
    landmarks: [],
    vectorRow,
    personId: null,
    assignedBy: null,
    rejectedPersonIds: [],
    faceness: null,
    thumb: `thumbs/${id}.webp`,
  };
}

const nextPhotoId = () => (++photoCounter).toString(16).padStart(16, '0').repeat(4);

/** `groupPhotos` photos hold two faces each (of different people); the rest hold one face. */
export async function makePeopleFixture(options: { faces?: number; reserve?: number; groupPhotos?: number; seed?: number } = {}): Promise<PeopleFixture> {
  const { faces = 400, reserve = 60, groupPhotos = 20, seed = 5 } = options;
  const dir = mkdtempSync(join(tmpdir(), 'familiar-people-'));
  const data = syntheticFaces({ faces: faces + reserve, maxPersonSize: 50, noiseShare: 0.08, seed });
  // Shuffle deterministically so the reserve holds faces of every person.
  const order = Array.from({ length: data.set.count }, (_, i) => i).sort((a, b) => ((a * 7919) % 1009) - ((b * 7919) % 1009) || a - b);
  const vectors = order.map((i) => Float32Array.from(row(data.set, i)));
  const identity = order.map((i) => data.identity[i]);
  const library = await Library.open(dir);
  await library.transaction((tx) => {
    tx.settings.peopleThresholds = { backbone: SYNTHETIC_THRESHOLDS };
    tx.settings.samePersonDistance = SYNTHETIC_THRESHOLDS.sameDistance;
  });
  const identityOf = new Map<string, number>();
  const addFaces = async (vecs: Float32Array[], ids: number[], groups: number) => {
    const rows = await library.appendVectors(vecs);
    const photos: PhotoRecord[] = [];
    const newFaces: FaceRecord[] = [];
    let i = 0;
    // Group photos first: faces i and i+1 when they are different people.
    let made = 0;
    while (i < rows.length) {
      const photoId = nextPhotoId();
      const take = made < groups && i + 1 < rows.length && ids[i] !== ids[i + 1] ? 2 : 1;
      if (take === 2) made++;
      const faces = Array.from({ length: take }, (_, t) => faceRecord(photoId, t, rows[i + t]));
      faces.forEach((f, t) => identityOf.set(f.id, ids[i + t]));
      newFaces.push(...faces);
      photos.push(photoRecord(photoId, faces.map((f) => f.id)));
      i += take;
    }
    await library.transaction((tx) => {
      tx.photos.push(...photos);
      tx.faces.push(...newFaces);
    });
    return newFaces.map((f) => f.id);
  };
  await addFaces(vectors.slice(0, faces), identity.slice(0, faces), groupPhotos);
  const facesOf = new Map<number, string[]>();
  for (const [id, who] of identityOf) {
    let list = facesOf.get(who);
    if (!list) facesOf.set(who, (list = []));
    list.push(id);
  }
  for (const [who, list] of facesOf) if (list.length < 2) facesOf.delete(who);
  const reserveState = { vectors: vectors.slice(faces), identity: identity.slice(faces) };
  return {
    library,
    dir,
    identityOf,
    facesOf,
    reserve: reserveState,
    async importMore(count) {
      const vecs = reserveState.vectors.splice(0, count);
      const ids = reserveState.identity.splice(0, count);
      return addFaces(vecs, ids, 0);
    },
    async close() {
      await library.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The identity most faces of a person have, and the share that do. */
export function purity(fixture: PeopleFixture, faceIds: string[]): { identity: number; share: number } {
  const counts = new Map<number, number>();
  for (const id of faceIds) counts.set(fixture.identityOf.get(id)!, (counts.get(fixture.identityOf.get(id)!) ?? 0) + 1);
  let best = { identity: -1, count: 0 };
  for (const [identity, count] of counts) if (count > best.count) best = { identity, count };
  return { identity: best.identity, share: faceIds.length ? best.count / faceIds.length : 0 };
}

/** Runs the `familiar` CLI in-process on `libraryDir`, capturing what it writes and its exit code. */
export async function runCli(libraryDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { main } = await import('../../../main/cli/main.js'); // loaded only by the tests that run the CLI
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  try {
    const code = await main([...args, '--library', libraryDir]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

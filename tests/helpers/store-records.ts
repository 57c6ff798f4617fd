// Small libraries built through the store's own API, the way the importer writes them: photos with faces, vectors first.
import type { Library } from '../../main/store/library.js';
import type { FaceRecord, PhotoRecord } from '../../main/store/types.js';

export const DIM = 128;

export function unitVector(seed: number): Float32Array {
  const v = new Float32Array(DIM);
  let s = seed * 9301 + 49297;
  for (let i = 0; i < DIM; i++) {
    s = (s * 9301 + 49297) % 233280;
    v[i] = s / 233280 - 0.5;
  }
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

export function photo(n: number): PhotoRecord {
  return {
    id: n.toString(16).padStart(16, '0').padEnd(64, 'a'),
    paths: [`/album/${n}.jpg`],
    missing: false,
    width: 100,
    height: 80,
    orientation: 1,
    takenAt: null,
    bytes: 1000,
    format: 'jpeg',
    analysis: { pipelineVersion: 'test', analysedAt: new Date(0).toISOString() },
    faceIds: [],
  };
}

export function face(p: PhotoRecord, index: number, row: number): FaceRecord {
  const id = `${p.id.slice(0, 16)}-${index}`;
  return {
    id,
    photoId: p.id,
    box: [10, 10, 20, 20],
    score: 0.9,
    landmarks: [15, 15],
    vectorRow: row,
    personId: null,
    assignedBy: null,
    rejectedPersonIds: [],
    faceness: null,
    thumb: `thumbs/${id}.webp`,
  };
}

/** Stores `count` photos with two faces each, the way the importer does: vectors first, then one transaction. */
export async function addPhotos(library: Library, from: number, count: number): Promise<void> {
  for (let n = from; n < from + count; n++) {
    const p = photo(n);
    const rows = await library.appendVectors([unitVector(n * 2), unitVector(n * 2 + 1)]);
    await library.transaction((tx) => {
      const faces = rows.map((row, i) => face(p, i, row));
      tx.faces.push(...faces);
      p.faceIds = faces.map((f) => f.id);
      tx.photos.push(p);
    });
  }
}

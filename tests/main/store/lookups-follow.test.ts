// The library's lookups by id, row and photo follow a transaction's changes (Library.followFaces, followPhotos)
// instead of being built again from every face: after any mix of changes they are what building them again gives,
// and after a look-again's commits they are what an open, which builds them, finds.
import { writeFile, mkdtemp, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { importFolders, type FaceAnalysisService } from '../../../main/library/import.js';
import { PIPELINE_BEFORE_SIDEWAYS } from '../../../main/library/pipeline-upgrade.js';
import { Library } from '../../../main/store/library.js';
import type { FaceRecord } from '../../../main/store/types.js';
import { PIPELINE_VERSION } from '../../../models/pipeline.js';
import type { DetectedFace } from '../../../models/types.js';
import { addPhotos, face, photo, unitVector } from '../../helpers/store-records.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'familiar-lookups-follow-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Checks the lookups against those built from the documents as they are, for every id and row ever seen. */
function expectLookupsBuiltAgain(library: Library, seen: { photos: Set<string>; faces: Set<string>; rows: Set<number> }): void {
  const photoById = new Map(library.photos.map((p) => [p.id, p]));
  const faceById = new Map<string, FaceRecord>();
  const faceByRow = new Map<number, FaceRecord>();
  const facesByPhoto = new Map<string, FaceRecord[]>();
  for (const f of library.faces) {
    faceById.set(f.id, f);
    faceByRow.set(f.vectorRow, f);
    facesByPhoto.set(f.photoId, [...(facesByPhoto.get(f.photoId) ?? []), f]);
    seen.faces.add(f.id);
    seen.rows.add(f.vectorRow);
    seen.photos.add(f.photoId);
  }
  for (const p of library.photos) seen.photos.add(p.id);
  for (const id of seen.photos) {
    expect(library.photo(id)).toBe(photoById.get(id));
    const faces = library.facesOfPhoto(id);
    const expected = facesByPhoto.get(id) ?? [];
    expect(faces.map((f) => f.id)).toEqual(expected.map((f) => f.id));
    expect(faces.every((f, i) => f === expected[i])).toBe(true);
  }
  for (const id of seen.faces) expect(library.face(id)).toBe(faceById.get(id));
  for (const row of seen.rows) expect(library.faceAtRow(row)).toBe(faceByRow.get(row));
}

describe('the lookups after a change', () => {
  it('are what building them again gives, after faces and photos added, removed, replaced, renumbered or moved', async () => {
    const library = await Library.open(dir);
    await addPhotos(library, 1, 30); // 60 faces
    const seen = { photos: new Set<string>(), faces: new Set<string>(), rows: new Set<number>() };
    const rebuilds = vi.spyOn(library as unknown as { rebuildFaceMaps(): void }, 'rebuildFaceMaps');
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 9301 + 49297) % 233280;
      return Math.floor((seed / 233280) * n);
    };
    let nextPhoto = 1000;
    let nextFace = 100;
    let followed = 0;
    for (let step = 0; step < 150; step++) {
      const rows = await library.appendVectors(Array.from({ length: 4 }, (_, i) => unitVector(step * 4 + i)));
      const before = rebuilds.mock.calls.length;
      const kind = random(11);
      await library.transaction((tx) => {
        const faces = tx.faces;
        const photos = tx.photos;
        const some = () => faces[random(faces.length)];
        const newIndex = () => nextFace++;
        if (kind === 0) {
          // A new photo with new faces.
          const p = photo(nextPhoto++);
          const added = rows.slice(0, 1 + random(3)).map((row, i) => face(p, i, row));
          p.faceIds = added.map((f) => f.id);
          photos.push(p);
          faces.push(...added);
        } else if (kind === 1 && faces.length > 0) {
          // A face added to a photo that has faces.
          const p = photos[random(photos.length)];
          faces.push(face(p, newIndex(), rows[0]));
        } else if (kind === 2) {
          // A look-again's commit: faces put in the place of those they were found again as, most with a new row.
          for (let k = 0; k < 3 && faces.length > 0; k++) {
            const i = random(faces.length);
            faces[i] = { ...faces[i], vectorRow: random(2) === 0 ? faces[i].vectorRow : rows[k], score: 0.5 };
          }
          for (const p of photos.slice(0, 3)) Object.assign(p, { analysis: { pipelineVersion: 'again', analysedAt: new Date(step).toISOString() } });
        } else if (kind === 3 && faces.length > 1) {
          faces.splice(random(faces.length), 1);
        } else if (kind === 4) {
          some().personId = `person-${random(5)}`;
        } else if (kind === 5) {
          some().vectorRow = rows[1];
        } else if (kind === 6 && photos.length > 1) {
          // A face moved to another photo in place (a predecessor's faces carried over).
          some().photoId = photos[random(photos.length)].id;
        } else if (kind === 7 && photos.length > 2) {
          const [gone] = photos.splice(random(photos.length), 1);
          for (let i = faces.length - 1; i >= 0; i--) if (faces[i].photoId === gone.id) faces.splice(i, 1);
        } else if (kind === 8 && faces.length > 2) {
          // Two faces trade places: no journal line, faces.json written whole.
          const i = random(faces.length - 1);
          [faces[i], faces[i + 1]] = [faces[i + 1], faces[i]];
        } else if (kind === 9 && photos.length > 0) {
          const i = random(photos.length);
          photos[i] = { ...photos[i], takenAt: new Date(step).toISOString() };
        } else {
          // Removed and added at once.
          if (faces.length > 1) faces.splice(random(faces.length), 1);
          const p = photos[random(photos.length)];
          faces.push(face(p, newIndex(), rows[2]));
          const i = random(faces.length);
          faces[i] = { ...faces[i] };
        }
      });
      if (rebuilds.mock.calls.length === before) followed++;
      expectLookupsBuiltAgain(library, seen);
    }
    // Built again only where a face moved to another photo in place or two faces traded places (kinds 6 and 8).
    expect(followed).toBeGreaterThan(100);
    await library.close();
  });
});

describe('a look-again', () => {
  it('leaves the lookups as an open builds them, following each commit without building them again', async () => {
    const album = join(dir, 'album');
    await mkdir(album);
    const files: string[] = [];
    for (let k = 0; k < 40; k++) {
      const path = join(album, `${k}.jpg`);
      await writeFile(path, await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: k * 6, g: 100, b: 200 - k } } }).jpeg().toBuffer());
      files.push(path);
    }
    // One face in each photo, and a second in every third one once it is looked at again (one an earlier pipeline missed).
    let again = false;
    let calls = 0;
    const analyzer: FaceAnalysisService = {
      size: 2,
      async analyze(image): Promise<DetectedFace[]> {
        const n = calls++;
        const detected = (x: number): DetectedFace => ({
          box: [x, 60, 60, 70],
          score: 0.9,
          landmarks: Array.from({ length: 68 }, (_, p) => [x + (p % 10) * 5, 70 + Math.floor(p / 10) * 8]),
          descriptor: unitVector(again ? 10_000 + n : n),
          analysedSide: 60,
          crop: { width: 160, height: 160, data: new Uint8Array(160 * 160 * 3) },
        });
        const seed = image.data[0];
        return again && seed % 3 === 0 ? [detected(40), detected(200)] : [detected(40)];
      },
    };
    const libraryDir = join(dir, 'library');
    const library = await Library.open(libraryDir);
    await importFolders(library, async () => analyzer, PIPELINE_BEFORE_SIDEWAYS, [album]);
    again = true;
    const rebuilds = vi.spyOn(library as unknown as { rebuildFaceMaps(): void }, 'rebuildFaceMaps');
    const summary = await importFolders(library, async () => analyzer, PIPELINE_VERSION, files, { lookAgain: true });
    expect(summary.analysed).toBe(40);
    expect(rebuilds).not.toHaveBeenCalled();
    const lookups = (lib: Library) =>
      lib.photos.map((p) => ({
        photo: lib.photo(p.id)?.id,
        faces: lib.facesOfPhoto(p.id).map((f) => ({ id: f.id, row: f.vectorRow, byId: lib.face(f.id)?.vectorRow, byRow: lib.faceAtRow(f.vectorRow)?.id })),
      }));
    expectLookupsBuiltAgain(library, { photos: new Set(), faces: new Set(), rows: new Set() });
    const followed = lookups(library);
    expect(library.faces.length).toBeGreaterThan(40);
    expect(followed.flatMap((p) => p.faces).every((f) => f.byId === f.row && f.byRow === f.id)).toBe(true);
    await library.close();
    const reopened = await Library.open(libraryDir);
    expect(lookups(reopened)).toEqual(followed);
    await reopened.close();
  });
});

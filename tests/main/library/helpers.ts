// Shared by the import tests: a small album copied from ../shared/faces into a temp folder, and an analysis
// service that counts the model calls going through the real worker pool.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll } from 'vitest';
import type { FaceAnalysisService } from '../../../main/library/import.js';
import type { Library } from '../../../main/store/library.js';
import type { FaceRecord } from '../../../main/store/types.js';
import type { DetectedFace, RgbImage } from '../../../models/types.js';
import { CachedAnalysis } from '../../helpers/analysis-cache.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const sharedFaces = resolve(repoRoot, '..', 'shared', 'faces');

/** Small photos with known faces: fast to analyse, varied (single faces, a pair, a group, no face). */
export const SMALL_ALBUM: Record<string, string> = {
  'obama/obama_small.jpg': 'face_recognition/obama/obama_small.jpg',
  'obama/obama-240p.jpg': 'face_recognition/obama/obama-240p.jpg',
  'biden/biden.jpg': 'face_recognition/biden/biden.jpg',
  'kit/john2.jpeg': 'face_recognition/kit_harington/john2.jpeg',
  'rose/img1.jpg': 'face_recognition/rose_leslie/img1.jpg',
  'groups/kit_with_rose.jpg': 'face_recognition/_group_photos/kit_with_rose.jpg',
  'groups/011_3.jpg': 'compreface/_group_photos/011_3.jpg',
  'landscape/017_0.jpg': 'compreface/_no_faces/017_0.jpg',
};

/** Photo `n` of `person` in lfw_subset. */
export const lfwPhoto = (person: string, n: number) => join(sharedFaces, 'lfw_subset', person, `${person}_${String(n).padStart(4, '0')}.jpg`);

/** Where writeLandscapeWithSmallFace puts the face's square (photo pixels: left, top, side) in its 3,000 x 2,000 photo. */
export const SMALL_FACE_AT = { left: 2400, top: 300, side: 110 } as const;

/**
 * A 3,000 x 2,000 landscape with one small face in a corner: `face` (an LFW photo) shrunk to 110 px at SMALL_FACE_AT.
 * At the import's analysis size the face is about 15 px tall, too small for the detector: a face only a closer look
 * where a tag or a drawn box says finds.
 */
export async function writeLandscapeWithSmallFace(file: string, face: string): Promise<void> {
  const small = await sharp(face).resize(SMALL_FACE_AT.side, SMALL_FACE_AT.side).toBuffer();
  await sharp(join(sharedFaces, 'compreface', '_no_faces', 'landscape.jpg'))
    .resize(3000, 2000, { fit: 'cover' })
    .composite([{ input: small, left: SMALL_FACE_AT.left, top: SMALL_FACE_AT.top }])
    .jpeg({ quality: 92 })
    .toFile(file);
}

/** The largest face of the photo at `path` (LFW photos may show a bystander too). */
export function subjectAt(library: Library, path: string): FaceRecord {
  const photo = library.photos.find((p) => p.paths.includes(path))!;
  return library.facesOfPhoto(photo.id).reduce((a, b) => (b.box[2] * b.box[3] > a.box[2] * a.box[3] ? b : a));
}

/** A copy of the photo at `source` saved `width` pixels wide, as a messenger or an export for sharing saves one. */
export async function saveResizedCopy(source: string, target: string, width: number): Promise<void> {
  await sharp(source).resize({ width }).jpeg({ quality: 80 }).toFile(target);
}

export async function makeAlbum(dir: string, files: Record<string, string> = SMALL_ALBUM): Promise<string> {
  for (const [target, source] of Object.entries(files)) {
    await mkdir(dirname(join(dir, target)), { recursive: true });
    await copyFile(join(sharedFaces, source), join(dir, target));
  }
  return dir;
}

/**
 * For the tests of one file: lfw_subset `people` (a folder each, ten photos or so) copied into `album` in a temporary
 * folder `work`, and an analysis pool of two workers; set up before the tests, closed and deleted after them. Its
 * fields are read inside the tests, once set. The pool's answers are the run's (CachedAnalysis): these files test what
 * an import does with faces, and import the same photos again and again.
 */
export function peopleAlbum(prefix: string, people: readonly string[]): { readonly work: string; readonly album: string; readonly pool: CachedAnalysis } {
  const setup = {} as { work: string; album: string; pool: CachedAnalysis };
  beforeAll(async () => {
    setup.work = mkdtempSync(join(tmpdir(), prefix));
    setup.album = join(setup.work, 'album');
    for (const person of people) cpSync(join(sharedFaces, 'lfw_subset', person), join(setup.album, person), { recursive: true });
    setup.pool = new CachedAnalysis(2);
  }, 120_000);
  afterAll(async () => {
    await setup.pool?.close();
    if (setup.work) rmSync(setup.work, { recursive: true, force: true });
  });
  return setup;
}

export class CountingAnalyzer implements FaceAnalysisService {
  calls = 0;
  constructor(private readonly pool: Required<FaceAnalysisService>) {}
  get size(): number {
    return this.pool.size;
  }
  analyze(image: RgbImage): Promise<DetectedFace[]> {
    this.calls++;
    return this.pool.analyze(image);
  }
}

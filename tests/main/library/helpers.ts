// Shared by the import tests: a small album copied from ../shared/faces into a temp folder, and an analysis
// service that counts the model calls going through the real worker pool.
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalysisPool } from '../../../main/jobs/analysis-pool.js';
import type { FaceAnalysisService } from '../../../main/library/import.js';
import type { DetectedFace, RgbImage } from '../../../models/types.js';

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

export async function makeAlbum(dir: string, files: Record<string, string> = SMALL_ALBUM): Promise<string> {
  for (const [target, source] of Object.entries(files)) {
    await mkdir(dirname(join(dir, target)), { recursive: true });
    await copyFile(join(sharedFaces, source), join(dir, target));
  }
  return dir;
}

export class CountingAnalyzer implements FaceAnalysisService {
  calls = 0;
  constructor(private readonly pool: AnalysisPool) {}
  get size(): number {
    return this.pool.size;
  }
  analyze(image: RgbImage): Promise<DetectedFace[]> {
    this.calls++;
    return this.pool.analyze(image);
  }
}

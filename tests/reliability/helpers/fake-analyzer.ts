// A stand-in for the face analysis pool where the tests are about the store and the jobs, not the model: one
// "face" per image, its descriptor a deterministic function of the pixels (the same photo always gets the same
// vector), with an optional delay so a job stays in flight while the test acts on the library.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { FaceAnalysisService } from '../../../main/library/import.js';
import { TEMPLATE_LANDMARKS, templatePoints } from '../../../models/aligner.js';
import { CROP_SIZE } from '../../../models/pipeline.js';
import type { DetectedFace, RgbImage } from '../../../models/types.js';

export class PixelHashAnalyzer implements FaceAnalysisService {
  readonly size = 1;
  calls = 0;
  constructor(
    private readonly delayMs = 0,
    private readonly dim = 128,
  ) {}

  async analyze(image: RgbImage): Promise<DetectedFace[]> {
    this.calls++;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const seed = createHash('sha256').update(image.data).digest();
    const descriptor = new Float32Array(this.dim).map((_, i) => seed[i % 32] / 255 - 0.5 + Math.sin(i * (seed[0] + 1)) * 0.1);
    const norm = Math.hypot(...descriptor);
    const w = Math.max(8, Math.round(image.width / 3));
    const h = Math.max(8, Math.round(image.height / 3));
    return [
      {
        box: [Math.round(image.width / 3), Math.round(image.height / 3), w, h],
        score: 0.9,
        landmarks: faceShapedLandmarks(Math.round(image.width / 3), Math.round(image.height / 3), Math.min(w, h)),
        descriptor: descriptor.map((v) => v / norm),
        // A stand-in face is as recognisable as a real one (models/face-quality.ts), whatever the test photo's size.
        analysedSide: 100,
        crop: { data: new Uint8Array(CROP_SIZE * CROP_SIZE * 3).fill(seed[1]), width: CROP_SIZE, height: CROP_SIZE },
      },
    ];
  }
}

/** 68 points with dlib's mean face shape in a side x side square at (x, y), so quality checks see a face. */
function faceShapedLandmarks(x: number, y: number, side: number): [number, number][] {
  const shape = templatePoints({ size: side, padding: 0, template: 'dlib68' });
  return Array.from({ length: 68 }, (_, i) => {
    const k = TEMPLATE_LANDMARKS.indexOf(i);
    const [px, py] = k >= 0 ? shape[k] : [side / 2, side / 2];
    return [x + px, y + py];
  });
}

/** `count` distinct small JPEGs (a gradient each, different per index) under `dir`. */
export async function writeDistinctPhotos(dir: string, count: number, prefix = 'photo'): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  const offset = createHash('sha256').update(prefix).digest()[0] * 131; // other prefixes, other contents
  for (let n = 0; n < count; n++) {
    const i = n + offset;
    const width = 64;
    const height = 48;
    const pixels = Buffer.alloc(width * height * 3);
    for (let p = 0; p < width * height; p++) pixels.set([(p * (i + 3)) % 256, (p + i * 37) % 256, (i * 91) % 256], p * 3);
    const path = join(dir, `${prefix}-${String(n).padStart(3, '0')}.jpg`);
    await writeFile(path, await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
    paths.push(path);
  }
  return paths;
}

// The whole analysis pipeline on real photos (../shared/faces). Tolerances come from the measurements in
// docs/models.md (npm run bench:detector, scripts/bench-recognition.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { CROP_SIZE, FaceAnalyzer, PIPELINE_VERSION } from '../../models/pipeline.js';
import type { Box, DetectedFace } from '../../models/types.js';
import { compreFaceNoses, decodeImage, listDataset, matchNoses } from '../helpers/shared-faces.js';

let analyzer: FaceAnalyzer;
beforeAll(async () => {
  analyzer = await FaceAnalyzer.create();
});
afterAll(() => analyzer?.dispose());

/** Analyses a photo downscaled like the import does; boxes come back in original pixels. */
async function analyzeFile(file: string): Promise<DetectedFace[]> {
  const { image, originalWidth } = await decodeImage(file);
  const scale = originalWidth / image.width;
  const faces = await analyzer.analyze(image);
  return faces.map((f) => ({ ...f, box: f.box.map((v) => v * scale) as Box }));
}

describe('detection on real photos', () => {
  it('finds the faces of the compreface group photos', async () => {
    const noses = compreFaceNoses();
    let correct = 0, truth = 0, wrong = 0;
    for (const { file } of await listDataset('compreface/_group_photos')) {
      const faces = await analyzeFile(file);
      const points = noses.get(basename(file));
      const expected = points?.length ?? 5; // four-plus-one-faces.jpg has no nose points: 4 + 1 faces
      // Every photo: the count is right within one face.
      expect(Math.abs(faces.length - expected), basename(file)).toBeLessThanOrEqual(1);
      if (points) {
        const [hit, miss] = matchNoses(faces, points);
        correct += hit;
        wrong += miss;
        truth += points.length;
      }
    }
    // Overall: nearly every annotated face found, almost nothing that is not a face.
    expect(correct / truth).toBeGreaterThanOrEqual(0.9);
    expect(wrong).toBeLessThanOrEqual(1);
  });

  it('finds no face in photos without faces', async () => {
    for (const { file } of await listDataset('compreface/_no_faces')) {
      expect(await analyzeFile(file), basename(file)).toEqual([]);
    }
  });

  it('finds the face in tight crops that full-image detection alone misses', async () => {
    const crops = (await listDataset('face-api.js')).filter((e) => e.identity).filter((_, i) => i % 5 === 0);
    let found = 0;
    for (const { file } of crops) if ((await analyzeFile(file)).length > 0) found++;
    expect(found / crops.length).toBeGreaterThanOrEqual(0.85);
  });
});

describe('faces and descriptors', () => {
  // 20 people x 3 photos of lfw_subset: the central face of each (LFW labels the centred person).
  let samples: { identity: string; face: DetectedFace }[] = [];
  beforeAll(async () => {
    const byIdentity = new Map<string, string[]>();
    for (const e of await listDataset('lfw_subset')) {
      if (!e.identity) continue;
      byIdentity.set(e.identity, [...(byIdentity.get(e.identity) ?? []), e.file]);
    }
    const people = [...byIdentity].filter(([, files]) => files.length >= 3).slice(0, 20);
    samples = [];
    for (const [identity, files] of people) {
      for (const file of files.slice(0, 3)) {
        const faces = await analyzeFile(file);
        const central = faces.sort((a, b) => centreDistance(a.box) - centreDistance(b.box))[0];
        if (central) samples.push({ identity, face: central });
      }
    }
  });
  const centreDistance = (box: Box) => Math.hypot(box[0] + box[2] / 2 - 125, box[1] + box[3] / 2 - 125);

  it('finds a face in (nearly) every lfw photo', () => {
    expect(samples.length).toBeGreaterThanOrEqual(58);
  });

  it('returns unit-length 128-d descriptors, 68 landmarks inside the photo and square crops', () => {
    for (const { face } of samples) {
      expect(face.descriptor).toHaveLength(128);
      const norm = Math.hypot(...face.descriptor);
      expect(norm).toBeCloseTo(1, 5);
      expect(face.landmarks).toHaveLength(68);
      for (const [x, y] of face.landmarks) {
        expect(x).toBeGreaterThan(-25);
        expect(x).toBeLessThan(275);
        expect(y).toBeGreaterThan(-25);
        expect(y).toBeLessThan(275);
      }
      expect(face.crop.width).toBe(CROP_SIZE);
      expect(face.crop.height).toBe(CROP_SIZE);
      expect(face.crop.data).toHaveLength(CROP_SIZE * CROP_SIZE * 3);
      expect(face.score).toBeGreaterThan(0);
      expect(face.score).toBeLessThanOrEqual(1);
    }
  });

  it('puts the same person closer than different people for the large majority of pairs', () => {
    const same: number[] = [], different: number[] = [];
    for (let i = 0; i < samples.length; i++) {
      for (let j = i + 1; j < samples.length; j++) {
        const a = samples[i].face.descriptor, b = samples[j].face.descriptor;
        let dot = 0;
        for (let k = 0; k < a.length; k++) dot += a[k] * b[k];
        (samples[i].identity === samples[j].identity ? same : different).push(1 - dot);
      }
    }
    // Probability that a random same-person pair is closer than a random different-person pair (ROC AUC).
    different.sort((p, q) => p - q);
    let below = 0;
    for (const d of same) {
      let lo = 0, hi = different.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (different[mid] <= d) lo = mid + 1;
        else hi = mid;
      }
      below += different.length - lo;
    }
    const auc = below / (same.length * different.length);
    expect(auc).toBeGreaterThan(0.97);
  });

  it('leaves no tensors behind and names its version', async () => {
    const before = analyzer.liveTensors;
    const { image } = await decodeImage((await listDataset('lfw_subset'))[0].file);
    await analyzer.analyze(image);
    expect(analyzer.liveTensors).toBe(before);
    expect(PIPELINE_VERSION).toMatch(/\S/);
  });

  it('rejects malformed pixels with a clear error', async () => {
    await expect(analyzer.analyze({ data: new Uint8Array(12), width: 3, height: 3 })).rejects.toThrow(/27 RGB bytes/);
    await expect(analyzer.analyze({ data: new Uint8Array(0), width: 0, height: 5 })).rejects.toThrow(/positive integers/);
  });
});

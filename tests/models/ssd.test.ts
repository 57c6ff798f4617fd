// Familiar's SSD forward pass (models/ssd.ts) against face-api's own pass over the same weights, on real photos:
// the same faces on square photos (where only the fused kernels differ), and at least the same faces on group
// and large non-square photos (where only the photo's part of the square goes through the backbone).
import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DETECTOR, detectFaces, iou, type Detection, type DetectorConfig } from '../../models/detector.js';
import { loadFaceApiNets, type LoadedFaceApi } from '../../models/faceapi.js';
import { compreFaceNoses, decodeImage, listDataset, matchNoses, type DatasetImage } from '../helpers/shared-faces.js';

let api: LoadedFaceApi;
const noRetry = { ...DEFAULT_DETECTOR, cropRetryMaxSide: 0 };

beforeAll(async () => {
  api = await loadFaceApiNets(['ssdMobilenetv1']);
  // The first pass folds the weights once per process (kept tensors); leak checks count from after it.
  const blank = api.tf.zeros([64, 48, 3]);
  await detectFaces(api.faceapi, api.tf, blank as never, noRetry);
  blank.dispose();
}, 60_000);

async function bothPasses(entry: DatasetImage, config: DetectorConfig = noRetry, maxSide?: number) {
  const { tf, faceapi } = api;
  const decoded = await decodeImage(entry.file, maxSide);
  const tensor = tf.tensor3d(decoded.image.data, [decoded.image.height, decoded.image.width, 3], 'int32');
  try {
    const before = tf.memory().numTensors;
    const ours = await detectFaces(faceapi, tf, tensor, { ...config, ssdPass: 'familiar' });
    const leaked = tf.memory().numTensors - before;
    const reference = await detectFaces(faceapi, tf, tensor, { ...config, ssdPass: 'faceapi' });
    return { ours, reference, leaked, scale: decoded.originalWidth / decoded.image.width, width: decoded.image.width, height: decoded.image.height };
  } finally {
    tensor.dispose();
  }
}

const best = (d: Detection, among: Detection[]) => among.reduce((m, o) => Math.max(m, iou(d.box, o.box)), 0);

describe('SSD forward pass', () => {
  it('finds the same boxes with the same scores as face-api on square photos', async () => {
    const photos = (await listDataset('lfw_subset')).filter((_, i) => i % 97 === 0).slice(0, 12);
    let compared = 0;
    for (const photo of photos) {
      const { ours, reference, leaked, width, height } = await bothPasses(photo);
      expect(width).toBe(height);
      expect(leaked, 'tensors left behind').toBe(0);
      expect(ours.length, basename(photo.file)).toBe(reference.length);
      for (const r of reference) {
        const match = ours.find((o) => iou(o.box, r.box) > 0.95);
        expect(match, basename(photo.file)).toBeDefined();
        expect(Math.abs(match!.score - r.score)).toBeLessThan(0.01);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(12);
  }, 120_000);

  it('finds every annotated face face-api finds in group photos, and no face in the no-face photos', async () => {
    const noses = compreFaceNoses();
    let oursHits = 0, referenceHits = 0, oursFalse = 0;
    for (const photo of await listDataset('compreface/_group_photos')) {
      const truth = noses.get(basename(photo.file));
      if (!truth?.length) continue;
      const { ours, reference, scale } = await bothPasses(photo);
      const inOriginal = (list: Detection[]) => list.map((d) => ({ score: d.score, box: d.box.map((v) => v * scale) as Detection['box'] }));
      const [hit, wrong] = matchNoses(inOriginal(ours), truth);
      oursHits += hit;
      oursFalse += wrong;
      referenceHits += matchNoses(inOriginal(reference), truth)[0];
    }
    expect(oursHits).toBeGreaterThanOrEqual(referenceHits);
    expect(oursHits).toBeGreaterThanOrEqual(36);
    expect(oursFalse).toBe(0);
    for (const photo of await listDataset('compreface/_no_faces')) {
      const { ours } = await bothPasses(photo, DEFAULT_DETECTOR);
      expect(ours, basename(photo.file)).toEqual([]);
    }
  }, 240_000);

  it('counts a small face found twice once (five people, five faces)', async () => {
    const [photo] = (await listDataset('compreface/_group_photos')).filter((e) => basename(e.file) === 'four-plus-one-faces.jpg');
    const { ours } = await bothPasses(photo);
    expect(ours).toHaveLength(5);
  }, 60_000);

  it('finds face-api’s faces on large portrait and landscape photos it only partly runs the backbone on', async () => {
    const photos = [...(await listDataset('compreface')).filter((e) => /sampleA|e2e[DEH]/.test(e.file))];
    let checked = 0;
    for (const photo of photos) {
      const { ours, reference, width, height } = await bothPasses(photo, noRetry, 1280);
      if (width === height) continue;
      for (const r of reference.filter((r) => r.score >= 0.6)) {
        expect(best(r, ours), `${basename(photo.file)} ${r.box.map(Math.round).join(',')}`).toBeGreaterThan(0.7);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  }, 240_000);

  it('handles tiny images and extreme panoramas without error or leaked tensors', async () => {
    const { tf, faceapi } = api;
    for (const [height, width] of [[1, 1], [3, 500], [8192, 40], [100, 8000], [37, 29]]) {
      const image = tf.fill([height, width, 3], 90, 'int32');
      const before = tf.memory().numTensors;
      const found = await detectFaces(faceapi, tf, image as never, DEFAULT_DETECTOR);
      expect(found, `${width}x${height}`).toEqual([]);
      expect(tf.memory().numTensors).toBe(before);
      image.dispose();
    }
  }, 120_000);
});

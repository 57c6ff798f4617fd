// Familiar's forward pass of the 128-d recognition net (models/resnet128.ts) against face-api's own, on aligned
// chips of real faces: the folded and fused layers must give the same descriptors.
import { beforeAll, describe, expect, it } from 'vitest';
import { alignFace } from '../../models/aligner.js';
import { FaceApiResNetBackbone } from '../../models/backbone.js';
import { DEFAULT_DETECTOR, detectFaces, locateLandmarks } from '../../models/detector.js';
import { loadFaceApiNets, type LoadedFaceApi } from '../../models/faceapi.js';
import { ResNet128 } from '../../models/resnet128.js';
import type { RgbImage } from '../../models/types.js';
import { decodeImage, listDataset } from '../helpers/shared-faces.js';

let api: LoadedFaceApi;
let chips: RgbImage[];

beforeAll(async () => {
  api = await loadFaceApiNets(['ssdMobilenetv1', 'faceLandmark68Net', 'faceRecognitionNet']);
  const { tf, faceapi } = api;
  const backbone = new FaceApiResNetBackbone(faceapi, tf);
  chips = [];
  for (const photo of (await listDataset('compreface/_group_photos')).slice(0, 2)) {
    const { image } = await decodeImage(photo.file);
    const tensor = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    const faces = await detectFaces(faceapi, tf, tensor, DEFAULT_DETECTOR);
    const landmarks = await locateLandmarks(faceapi, tf, tensor, faces.map((f) => f.box));
    tensor.dispose();
    chips.push(...landmarks.map((l) => alignFace(image, l, backbone.chip)));
  }
}, 120_000);

describe('ResNet128', () => {
  it('gives face-api’s descriptors on real face chips', async () => {
    const { tf, faceapi } = api;
    expect(chips.length).toBeGreaterThanOrEqual(6);
    const net = ResNet128.fromFaceApi(faceapi, tf);
    try {
      const before = tf.memory().numTensors;
      const batch = tf.tensor4d(Int32Array.from(chips.flatMap((c) => Array.from(c.data))), [chips.length, 150, 150, 3], 'int32');
      const ours = await net.describe(batch);
      batch.dispose();
      expect(tf.memory().numTensors).toBe(before);
      for (const [i, chip] of chips.entries()) {
        const tensor = tf.tensor3d(chip.data, [150, 150, 3], 'int32');
        const reference = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(tensor)) as Float32Array;
        tensor.dispose();
        const worst = reference.reduce((m, v, k) => Math.max(m, Math.abs(v - ours[i][k])), 0);
        expect(worst).toBeLessThan(1e-4);
      }
    } finally {
      net.dispose();
    }
  }, 120_000);

  it('refuses chips of the wrong size with the size it wants', async () => {
    const { tf, faceapi } = api;
    const net = ResNet128.fromFaceApi(faceapi, tf);
    const wrong = tf.zeros([1, 112, 112, 3]) as never;
    await expect(net.describe(wrong)).rejects.toThrow(/150x150/);
    net.dispose();
  });
});

// Familiar's forward pass of face-api's 68-point landmark net (models/landmarks68.ts) against face-api's own,
// on the faces the detector finds in real photos: the same points (the inputs are prepared from the photo's
// bytes instead of with tensor ops, with the same arithmetic).
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DETECTOR, detectFaces, locateLandmarks } from '../../models/detector.js';
import { loadFaceApiNets, type LoadedFaceApi } from '../../models/faceapi.js';
import { Landmarks68 } from '../../models/landmarks68.js';
import type { Box } from '../../models/types.js';
import { decodeImage, listDataset } from '../helpers/shared-faces.js';

let api: LoadedFaceApi;
let net: Landmarks68;

beforeAll(async () => {
  api = await loadFaceApiNets(['ssdMobilenetv1', 'faceLandmark68Net']);
  net = Landmarks68.fromFaceApi(api.faceapi, api.tf);
}, 60_000);

describe('Landmarks68', () => {
  it('finds face-api’s 68 points on real faces, including boxes cut by the photo edge', async () => {
    const { tf, faceapi } = api;
    const photos = [...(await listDataset('compreface/_group_photos')).slice(0, 2), ...(await listDataset('compreface/e2eE'))];
    let compared = 0;
    for (const photo of photos) {
      const { image } = await decodeImage(photo.file, 1024);
      const tensor = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
      const found = await detectFaces(faceapi, tf, tensor, DEFAULT_DETECTOR);
      // Also a box hanging over the top-left corner and a flat one, to exercise the padding both ways.
      const boxes: Box[] = [...found.map((f) => f.box), [0, 0, 60, 90], [10, 20, 120, 40]];
      const reference = await locateLandmarks(faceapi, tf, tensor, boxes);
      tensor.dispose();
      const before = tf.memory().numTensors;
      const ours = await net.locate(image, boxes);
      expect(tf.memory().numTensors).toBe(before);
      expect(ours).toHaveLength(boxes.length);
      reference.forEach((points, i) =>
        points.forEach(([x, y], k) => {
          expect(Math.hypot(x - ours[i][k][0], y - ours[i][k][1])).toBeLessThan(0.01);
          compared++;
        }),
      );
    }
    expect(compared).toBeGreaterThanOrEqual(68 * 10);
  }, 120_000);

  it('returns nothing for no boxes', async () => {
    const image = { data: new Uint8Array(30 * 20 * 3), width: 30, height: 20 };
    expect(await net.locate(image, [])).toEqual([]);
  });
});

// A face lying on its side in an imported photo (pixels turned 90°, no EXIF orientation) is described as the same face
// upright (models/pipeline.ts FaceAnalyzer.sidewaysLandmarks). The photos are turned here, at run time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import sharp from 'sharp';
import { FaceAnalyzer } from '../../models/pipeline.js';
import type { DetectedFace, RgbImage } from '../../models/types.js';
import { sharedFacesDir } from '../helpers/shared-faces.js';

let analyzer: FaceAnalyzer;
beforeAll(async () => {
  analyzer = await FaceAnalyzer.create();
});
afterAll(() => analyzer?.dispose());

async function decodeTurned(file: string, angle: 0 | 90 | 270): Promise<RgbImage> {
  const { data, info } = await sharp(file).rotate(angle).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** The face nearest the photo's centre (LFW centres the person it is labelled with). */
function central(faces: DetectedFace[], image: RgbImage): DetectedFace {
  const off = (f: DetectedFace) => Math.hypot(f.box[0] + f.box[2] / 2 - image.width / 2, f.box[1] + f.box[3] / 2 - image.height / 2);
  return faces.slice().sort((a, b) => off(a) - off(b))[0];
}

const cosineDistance = (a: Float32Array, b: Float32Array) => 1 - a.reduce((sum, v, i) => sum + v * b[i], 0);

describe('faces lying on their side', () => {
  // Before the turned landmarks these lay 0.10-0.16 from the same photo upright (two photos of one person: ~0.1).
  it.each(['George_W_Bush/George_W_Bush_0002.jpg', 'Carlos_Moya/Carlos_Moya_0002.jpg', 'Gray_Davis/Gray_Davis_0002.jpg', 'Ian_Thorpe/Ian_Thorpe_0002.jpg'])(
    'describes %s turned 90° and 270° as the same face upright',
    async (path) => {
      const file = join(sharedFacesDir(), 'lfw_subset', path);
      const uprightImage = await decodeTurned(file, 0);
      const upright = central(await analyzer.analyze(uprightImage), uprightImage);
      for (const angle of [90, 270] as const) {
        const image = await decodeTurned(file, angle);
        const face = central(await analyzer.analyze(image), image);
        expect(face, `${angle}°`).toBeDefined();
        expect(cosineDistance(face.descriptor, upright.descriptor), `${angle}°`).toBeLessThan(0.02);
        // The eyes lie one above the other, as the face does: landmarks 36 and 45 are its outer eye corners.
        const [[x36, y36], [x45, y45]] = [face.landmarks[36], face.landmarks[45]];
        expect(Math.abs(y45 - y36), `${angle}°`).toBeGreaterThan(Math.abs(x45 - x36));
      }
    },
    60_000,
  );
});

// A face lying on its side in an imported photo (pixels turned 90°, no EXIF orientation) is described as the same face
// upright (models/pipeline.ts FaceAnalyzer.sidewaysLandmarks). The photos are turned here, at run time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import sharp from 'sharp';
import { FaceAnalyzer } from '../../models/pipeline.js';
import type { DetectedFace, RgbImage } from '../../models/types.js';
import { sharedFacesDir } from '../helpers/shared-faces.js';

let analyzer: FaceAnalyzer;
/** The pipeline before it turned faces lying on their side: what an upright face must still get. */
let uprightOnly: FaceAnalyzer;
beforeAll(async () => {
  [analyzer, uprightOnly] = await Promise.all([FaceAnalyzer.create(), FaceAnalyzer.create({ sideways: false })]);
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
  // Abdullah Gul and Nestor Kirchner turned 90°: the landmark net's guess fitted a face shape (0.066, 0.068), and only
  // the detector, unsure of them upright (0.83, 0.72), told they lie on their side. Paul Bremer: turned both ways his
  // landmarks fitted alike (0.083 and 0.078, 0.071 and 0.065), and only the detector told which way is up.
  it.each([
    'George_W_Bush/George_W_Bush_0002.jpg',
    'Carlos_Moya/Carlos_Moya_0002.jpg',
    'Gray_Davis/Gray_Davis_0002.jpg',
    'Ian_Thorpe/Ian_Thorpe_0002.jpg',
    'Abdullah_Gul/Abdullah_Gul_0002.jpg',
    'Nestor_Kirchner/Nestor_Kirchner_0002.jpg',
    'Paul_Bremer/Paul_Bremer_0002.jpg',
  ])(
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

  // A photo without a sure, well-fitting face is looked at whole turned (FaceAnalyzer.turnedPhoto). QA: Venus Williams
  // turned 90° was found upright at 0.38-0.47 in a box twice her face, whose landmarks fitted a face shape (0.094) and,
  // fitted turned, missed it too: she lay 0.13-0.14 from the same photo upright, and was recognised as no one.
  it('describes a photo turned 90° whose face was found upright in a box far too large as the face upright', async () => {
    const file = join(sharedFacesDir(), 'lfw_subset', 'Venus_Williams/Venus_Williams_0001.jpg');
    const uprightImage = await decodeTurned(file, 0);
    const upright = central(await analyzer.analyze(uprightImage), uprightImage);
    const image = await decodeTurned(file, 90);
    const [before, faces] = await Promise.all([uprightOnly.analyze(image), analyzer.analyze(image)]);
    expect(cosineDistance(central(before, image).descriptor, upright.descriptor)).toBeGreaterThan(0.1);
    const face = central(faces, image);
    expect(cosineDistance(face.descriptor, upright.descriptor)).toBeLessThan(0.02);
    // Its box is the face's, as found upright, turned: not the box twice its size.
    expect(Math.max(face.box[2], face.box[3])).toBeLessThan(1.2 * Math.max(upright.box[2], upright.box[3]));
  }, 60_000);

  // Upright faces the detector was unsure of, whose side it found as surely (Sergio Vieira De Mello: 0.63 upright, 0.92
  // on its side; Eduardo Duhalde 0.57 and 0.84), and faces cut by the photo's edge whose landmarks fitted poorly and
  // turned better (Vicente Fox, Mahathir Mohamad; and a 23-px face behind Nicanor Duarte Frutos). And photos
  // without a sure face the detector found turned more surely: George Robertson (0.76 upright, landmarks fitting at
  // 0.077: looked at turned, found there at 0.93, and 0.87 the other way: not surely enough), Jeb Bush (0.64 upright,
  // 0.89 turned, but his landmarks fit a face at 0.025: not looked at turned).
  it.each([
    'George_Robertson/George_Robertson_0010.jpg',
    'Jeb_Bush/Jeb_Bush_0010.jpg',
    'Sergio_Vieira_De_Mello/Sergio_Vieira_De_Mello_0005.jpg',
    'Eduardo_Duhalde/Eduardo_Duhalde_0005.jpg',
    'Rubens_Barrichello/Rubens_Barrichello_0005.jpg',
    'Vicente_Fox/Vicente_Fox_0002.jpg',
    'Mahathir_Mohamad/Mahathir_Mohamad_0004.jpg',
    'Nicanor_Duarte_Frutos/Nicanor_Duarte_Frutos_0002.jpg',
  ])(
    'leaves the upright faces of %s as they were',
    async (path) => {
      const image = await decodeTurned(join(sharedFacesDir(), 'lfw_subset', path), 0);
      const [faces, before] = await Promise.all([analyzer.analyze(image), uprightOnly.analyze(image)]);
      expect(faces.map((f) => f.landmarks)).toEqual(before.map((f) => f.landmarks));
      expect(faces.map((f) => [...f.descriptor])).toEqual(before.map((f) => [...f.descriptor]));
    },
    60_000,
  );
});

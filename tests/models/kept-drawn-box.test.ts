// A box the user drew where the detector finds no face is kept as the face (models/pipeline.ts keepDrawn): aligned by
// the landmarks located around it when they describe a face there, else by the box itself. On real crops, through the
// drawn box's closer look (main/library/tagged-faces.ts findFacesInFile).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFacesInFile, type FoundFace } from '../../main/library/tagged-faces.js';
import { landmarkFitResidual } from '../../models/aligner.js';
import { FaceAnalyzer, landmarksInBox, plausibleDrawnLandmarks } from '../../models/pipeline.js';
import type { Box, Point } from '../../models/types.js';
import { sharedFacesDir } from '../helpers/shared-faces.js';

let analyzer: FaceAnalyzer;
beforeAll(async () => {
  analyzer = await FaceAnalyzer.create();
});
afterAll(() => analyzer?.dispose());

const file = (...parts: string[]) => readFileSync(join(sharedFacesDir(), ...parts));
async function drawn(content: Buffer, box: Box): Promise<FoundFace> {
  const [found] = await findFacesInFile(content, [box], analyzer, 1920, { drawn: true });
  if (!found) throw new Error('a drawn box always gives a face');
  return found;
}
const distance = (a: Float32Array, b: Float32Array) => 1 - a.reduce((sum, v, i) => sum + v * b[i], 0);
/** The face the whole-photo analysis finds in one of face-api.js's crops. */
async function cropFace(person: string, name: string) {
  const { data, info } = await sharp(join(sharedFacesDir(), 'face-api.js', person, name)).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const [face] = await analyzer.analyze({ data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height });
  if (!face) throw new Error(`no face found in ${name}`);
  return face;
}

describe('a drawn box the detector finds no face in', () => {
  it('is a half-turned face in a box drawn inside it: aligned by its own landmarks, described as its person', async () => {
    // Stuart's face turned half away in a tight crop: the import misses it, and a box over the middle of the crop (his
    // eyes, nose and mouth) shows the detector nothing it can confirm.
    const box: Box = [37.5, 37.5, 75, 75];
    const face = await drawn(file('face-api.js', 'stuart', 'stuart5.png'), box);
    expect(face.undetected).toBe(true);
    expect(face.score).toBe(0);
    expect(face.box.map((v) => Math.round(v * 10) / 10)).toEqual(box);
    // Located in the box grown half again, the landmarks fit a face and lie where the crop's face is, wider than the box
    // (the box's own average face would put the outer eye corners 0.61 of its width apart; his are 0.8 apart).
    expect(landmarkFitResidual(face.landmarks)).toBeLessThan(0.1);
    expect(face.landmarks[45][0] - face.landmarks[36][0]).toBeGreaterThan(box[2] * 0.7);
    // Nearer his other photos than anyone else's, three more of the show's cast in the same kind of crop (measured:
    // 0.076 from his nearest, 0.123 from anyone else's).
    const own: number[] = [];
    for (const name of ['stuart1.png', 'stuart2.png', 'stuart3.png']) own.push(distance(face.descriptor, (await cropFace('stuart', name)).descriptor));
    for (const person of ['howard', 'leonard', 'raj']) {
      const others: number[] = [];
      for (const n of [1, 2]) others.push(distance(face.descriptor, (await cropFace(person, `${person}${n}.png`)).descriptor));
      expect(Math.min(...own), person).toBeLessThan(Math.min(...others));
    }
  });

  it('is aligned by the box itself where the landmarks located there describe no face', async () => {
    // A hillside of a landscape: the landmark net's points there fit a face's shape at 0.6 (faces: under 0.15).
    const box: Box = [96, 64, 128, 153];
    const face = await drawn(file('compreface', '_no_faces', 'landscape.jpg'), box);
    expect(face.undetected).toBe(true);
    const average = landmarksInBox(box);
    face.landmarks.forEach(([x, y], i) => {
      expect(Math.abs(x - average[i][0]), `point ${i}`).toBeLessThan(0.1);
      expect(Math.abs(y - average[i][1]), `point ${i}`).toBeLessThan(0.1);
    });
  });
});

describe('plausibleDrawnLandmarks', () => {
  const box: Box = [100, 100, 80, 100];
  const average = landmarksInBox(box);
  it('takes an average face filling the box, and turns down collapsed, mirrored, tilted or far-flung points', () => {
    expect(plausibleDrawnLandmarks(average, box)).toBe(true);
    const centre: Point = [140, 150];
    const collapsed = average.map(([x, y]): Point => [centre[0] + (x - centre[0]) * 0.1, centre[1] + (y - centre[1]) * 0.1]);
    expect(plausibleDrawnLandmarks(collapsed, box)).toBe(false);
    expect(plausibleDrawnLandmarks(average.map(([x, y]): Point => [280 - x, y]), box)).toBe(false);
    expect(plausibleDrawnLandmarks(average.map(([x, y]): Point => [centre[0] - (y - centre[1]), centre[1] + (x - centre[0])]), box)).toBe(false);
    expect(plausibleDrawnLandmarks(average.map(([x, y]): Point => [x + 150, y]), box)).toBe(false);
  });
});


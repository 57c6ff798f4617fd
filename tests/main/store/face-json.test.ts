// The text of faces.json and of journal lines (main/store/face-json.ts): exactly what JSON.stringify gives, with the
// landmarks written digit by digit.
import { describe, expect, it } from 'vitest';
import { faceJson, facesJsonBytes, tenthsJson } from '../../../main/store/face-json.js';
import type { FaceRecord, FacesDocument } from '../../../main/store/types.js';
import { face, photo } from '../../helpers/store-records.js';

/** JSON.stringify of a face with its landmarks moved last, as faces.json holds them. */
const landmarksLast = (f: FaceRecord) => {
  const { landmarks, ...rest } = f;
  return { ...rest, landmarks };
};

describe('tenthsJson', () => {
  it('gives what JSON.stringify gives for numbers with at most one decimal', () => {
    const values = [0, -0, 0.1, -0.1, 1, -1, 10, 100.5, -2.5, 4000, 1234.7, 214748364.7, -214748364.7, 99.9];
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 16807) % 2147483647;
      values.push(Math.round((seed / 2147483647 - 0.3) * 10 ** (1 + (i % 9))) / 10);
    }
    for (const value of values) expect(tenthsJson([value])).toBe(JSON.stringify([value]));
    expect(tenthsJson(values)).toBe(JSON.stringify(values));
    expect(tenthsJson([])).toBe('[]');
  });

  it('declines any other list, which is then written by JSON.stringify', () => {
    for (const value of [0.05, 1 / 3, 0.30000000000000004, 214748364.8, 1e21, 5e-324, NaN, Infinity, '1', null]) {
      expect(tenthsJson([1.5, value])).toBeNull();
    }
  });
});

describe('facesJsonBytes', () => {
  it('is JSON.stringify of the document, landmarks last in each face, whatever the faces hold', () => {
    const p = photo(1);
    const faces: FaceRecord[] = [
      { ...face(p, 0, 0), landmarks: [100.1, 200.2, -3, 0] },
      { ...face(p, 1, 1), landmarks: [100.125, 1 / 3] }, // not tenths: JSON.stringify's text
      { ...face(p, 2, 2), personId: 'José 🙂 "quoted" \\ \n', landmarks: [] },
      { ...face(p, 3, 3), faceness: 0.25, analysedSide: undefined, unplaced: true },
    ];
    const doc: FacesDocument = { schemaVersion: 2, vectorGeneration: 3, faces };
    const expected = JSON.stringify({ ...doc, faces: faces.map(landmarksLast) });
    // Too small a guess of the size grows the buffer as it goes.
    for (const sizeHint of [0, 10, 100_000]) expect(facesJsonBytes(doc, sizeHint).toString('utf8')).toBe(expected);
    expect(faces.map(faceJson)).toEqual(faces.map((f) => JSON.stringify(landmarksLast(f))));
    expect(facesJsonBytes({ schemaVersion: 2, faces: [] }).toString('utf8')).toBe('{"schemaVersion":2,"faces":[]}');
  });
});

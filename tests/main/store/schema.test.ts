// The faces of faces.json and the photos of photos.json are checked by hand (isFaceRecord, isPhotoRecord) and kept
// as parsed, where zod would copy each one: a hand check must accept exactly what the schema accepts and returns
// unchanged, and a damaged record is still named in zod's words.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { DocumentCorruptError, parseDocument } from '../../../main/store/document.js';
import { acceptedAsParsed, documentSchemas, faceRecordSchema, isFaceRecord, isPhotoRecord } from '../../../main/store/schema.js';
import { SCHEMA_VERSION } from '../../../main/store/types.js';

const face = {
  id: 'abcdef0123456789-0',
  photoId: 'abcdef0123456789'.repeat(4),
  box: [10.5, 20, 30, 40.25],
  score: 0.99,
  landmarks: [1, 2, 3.5, 4],
  vectorRow: 7,
  personId: null,
  assignedBy: null,
  rejectedPersonIds: [],
  faceness: null,
  thumb: 'thumbs/abcdef0123456789-0.webp',
};
const fullFace = { ...face, personId: 'person-1', assignedBy: 'user', rejectedPersonIds: ['person-2'], faceness: 0.5, analysedSide: 180, unplaced: true, drawn: true, undetected: true, extra: { kept: 1 } };
const photo = {
  id: 'abcdef0123456789'.repeat(4),
  paths: ['/album/a.jpg'],
  missing: false,
  width: 4000,
  height: 3000,
  orientation: 1,
  takenAt: null,
  bytes: 1234,
  format: 'jpeg',
  analysis: null,
  faceIds: ['abcdef0123456789-0'],
};
const lostFace = { id: 'abcdef0123456789-1', box: [1, 2, 3, 4], personId: 'person-1', assignedBy: 'user', rejectedPersonIds: [] };
const fullPhoto = {
  ...photo,
  takenAt: '2020-01-01T00:00:00Z',
  takenOffset: -330,
  takenOffsetKnown: true,
  analysis: { pipelineVersion: 'v5', analysedAt: '2024-01-01T00:00:00Z', lookedCloserAt: [[2400, 300, 60, 70]] },
  lostFaces: [lostFace],
  fileStamps: { '/album/a.jpg': { size: 1234, mtimeMs: 5 } },
  pictureHash: '0f'.repeat(32),
  copyOf: { photoId: '12'.repeat(32), faces: { 'abcdef0123456789-0': '1212121212121212-0' } },
};

/** Values JSON can hold, of every kind and edge the schemas draw lines at. */
const values: unknown[] = [
  null, true, false, 0, -0, 1, -1, 0.5, 7, 1440, 1441, -1441, 2 ** 53, 1e308, -1e308, '', 'x', 'cluster', 'user', 'other', 'a'.repeat(64), '0'.repeat(64),
  [], [1], [1, 2], [1, 2, 3], [1, 2, 3, 4], [1, 2, 3, 4, 5], [1, 'x'], [1, null], ['a'], ['a', 1], [[1, 2]], {}, { kind: 'x' },
  { pipelineVersion: 'v', analysedAt: 't' }, { pipelineVersion: 'v', analysedAt: 't', extra: 1 }, { pipelineVersion: 'v' },
  { pipelineVersion: 'v', analysedAt: 't', lookedCloserAt: [] }, { pipelineVersion: 'v', analysedAt: 't', lookedCloserAt: [[1, 2, 3, 4], [5, 6, 7, 8]] },
  { pipelineVersion: 'v', analysedAt: 't', lookedCloserAt: [[1, 2, 3]] }, { pipelineVersion: 'v', analysedAt: 't', lookedCloserAt: [[1, 2, 3, 'x']] },
  { pipelineVersion: 'v', analysedAt: 't', lookedCloserAt: [1, 2, 3, 4] }, { pipelineVersion: 'v', analysedAt: 't', lookedCloserAt: null },
  { pipelineVersion: 'v', analysedAt: 't', lookedCloserAt: [[1, 2, 3, 4]], extra: 1 },
  [lostFace], [{ ...lostFace, extra: 1 }], [{ ...lostFace, box: [1, 2, 3] }], [{ ...lostFace, id: '' }], [lostFace, 1],
  'F'.repeat(64), { photoId: '0'.repeat(64), faces: {} }, { photoId: '0'.repeat(64), faces: { a: 'b' } }, { photoId: '0'.repeat(64), faces: { a: 1 } },
  { photoId: 'x', faces: {} }, { photoId: '0'.repeat(64), faces: [] }, { photoId: '0'.repeat(64), faces: {}, extra: 1 },
];

/** Each record, without each of its keys, and with each key (and one it does not have) set to each value. */
function variants(records: readonly object[]): unknown[] {
  const cases: unknown[] = [null, [], 'record', 1, {}];
  for (const base of records) {
    cases.push(base);
    for (const key of [...Object.keys(base), 'other-key']) {
      const { [key]: _, ...without } = base as Record<string, unknown>;
      cases.push(without);
      for (const value of values) cases.push({ ...base, [key]: value });
    }
  }
  return cases;
}

/** What the hand check must say: zod accepts the value and returns it as it is. */
function takenAsItIs(schema: z.ZodType, value: unknown): boolean {
  const parsed = schema.safeParse(structuredClone(value));
  return parsed.success && isDeepStrictEqual(parsed.data, value);
}

describe('the hand checks of faces and photos', () => {
  it('accept exactly the faces and photos zod accepts and returns unchanged', () => {
    const photoSchema = documentSchemas.photos;
    for (const [check, schema, records] of [
      [isFaceRecord, faceRecordSchema, [face, fullFace]],
      [isPhotoRecord, { safeParse: (p: unknown) => { const r = photoSchema.safeParse({ schemaVersion: 2, photos: [p] }); return r.success ? { success: true, data: r.data.photos[0] } : r; } }, [photo, fullPhoto]],
    ] as const) {
      let accepted = 0;
      for (const value of variants(records)) {
        const expected = takenAsItIs(schema as z.ZodType, value);
        expect({ value, accepted: check(value) }).toEqual({ value, accepted: expected });
        if (expected) accepted++;
      }
      expect(accepted).toBeGreaterThan(40); // the cases are not all rejections
    }
  });

  it('accept exactly the documents zod accepts and returns unchanged, and parseDocument keeps them as parsed', () => {
    for (const [name, key, record] of [['faces', 'faces', fullFace], ['photos', 'photos', fullPhoto]] as const) {
      const docs: unknown[] = [
        { schemaVersion: 2, [key]: [record, record], other: 1 },
        { schemaVersion: 2, [key]: [] },
        ...values.map((v) => ({ schemaVersion: v, [key]: [record] })),
        ...values.map((v) => ({ schemaVersion: 2, [key]: v })),
        ...values.map((v) => ({ schemaVersion: 2, [key]: [record, v] })),
      ];
      for (const doc of docs) {
        expect({ doc, accepted: acceptedAsParsed[name]!(doc as Record<string, unknown>) }).toEqual({ doc, accepted: takenAsItIs(documentSchemas[name], doc) });
      }
      const bytes = Buffer.from(JSON.stringify({ schemaVersion: SCHEMA_VERSION, [key]: [record], vectorGeneration: 1 }));
      expect(parseDocument(name, `${name}.json`, bytes)).toStrictEqual(JSON.parse(bytes.toString()));
    }
  });

  it('leave a damaged record to zod, which names it as before', () => {
    const damaged = [
      ['faces', { ...face, vectorRow: -1 }],
      ['faces', { ...face, box: [1, 2, 3] }],
      ['faces', { ...face, assignedBy: 'me' }],
      ['faces', { ...face, landmarks: [1, 'x'] }],
      ['faces', { ...face, id: '' }],
      ['photos', { ...photo, id: 'not-a-hash' }],
      ['photos', { ...photo, width: 1.5 }],
      ['photos', { ...photo, lostFaces: [{ ...lostFace, box: [1] }] }],
    ] as const;
    for (const [name, record] of damaged) {
      const doc = { schemaVersion: 2, [name]: [name === 'faces' ? face : photo, record] };
      const issue = documentSchemas[name].safeParse(structuredClone(doc)).error!.issues[0];
      const read = () => parseDocument(name, `${name}.json`, Buffer.from(JSON.stringify(doc)));
      expect(read).toThrow(DocumentCorruptError);
      expect(read).toThrow(`${name}.json is damaged (unexpected shape at ${issue.path.join('.')}: ${issue.message}).`);
      expect(issue.path.slice(0, 2)).toEqual([name, 1]);
    }
  });

  it('leave to zod a photo whose analysis holds a key zod drops, which it still drops', () => {
    const doc = { schemaVersion: 2, photos: [{ ...photo, analysis: { pipelineVersion: 'v5', analysedAt: 't', note: 'x' } }] };
    expect(parseDocument('photos', 'photos.json', Buffer.from(JSON.stringify(doc))).photos[0].analysis).toEqual({ pipelineVersion: 'v5', analysedAt: 't' });
  });
});

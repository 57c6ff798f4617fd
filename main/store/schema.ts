// Shape checks for the JSON documents, applied on every read: a document that parses but has the wrong shape is as
// damaged as a truncated one and goes through the same backup-restore path.
import { z } from 'zod';
import type { DocumentMap, DocumentName } from './types.js';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/**
 * A face's 68 landmarks, checked by hand and kept as parsed: as a zod array of tuples every face's 68 points were
 * rebuilt on each open, and on 100,000 faces those 6.8 million little arrays kept the garbage collector busy for
 * most of the open (npm run bench:store).
 */
const landmarks = z.custom<Array<[number, number]>>(
  (value) => Array.isArray(value) && value.every((p) => Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1])),
  'must be a list of [x, y] points with finite coordinates',
);

const photo = z.looseObject({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  paths: z.array(z.string()),
  missing: z.boolean(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  orientation: z.number().int(),
  takenAt: z.string().nullable(),
  bytes: z.number().nonnegative(),
  format: z.string(),
  analysis: z.object({ pipelineVersion: z.string(), analysedAt: z.string() }).nullable(),
  faceIds: z.array(z.string()),
});

export const faceRecordSchema = z.looseObject({
  id: z.string().min(1),
  photoId: z.string(),
  box: z.tuple([finite, finite, finite, finite]),
  score: finite,
  landmarks,
  vectorRow: z.number().int().nonnegative(),
  personId: z.string().nullable(),
  assignedBy: z.enum(['cluster', 'user']).nullable(),
  rejectedPersonIds: z.array(z.string()),
  faceness: finite.nullable(),
  analysedSide: finite.nonnegative().optional(),
  thumb: z.string(),
});

const person = z.looseObject({
  id: z.string().min(1),
  name: z.string().nullable(),
  hidden: z.boolean(),
  coverFaceId: z.string().nullable(),
  createdAt: z.string(),
});

const version = z.number().int().positive();

export const documentSchemas: { [K in DocumentName]: z.ZodType<DocumentMap[K]> } = {
  library: z.looseObject({
    schemaVersion: version,
    createdAt: z.string(),
    backboneDim: z.number().int().positive(),
    embeddingDim: z.number().int().positive(),
    embedding: z.union([z.object({ kind: z.literal('backbone') }), z.object({ kind: z.literal('head'), modelId: z.string() })]),
  }) as unknown as z.ZodType<DocumentMap['library']>,
  photos: z.looseObject({ schemaVersion: version, photos: z.array(photo) }) as unknown as z.ZodType<DocumentMap['photos']>,
  faces: z.looseObject({ schemaVersion: version, faces: z.array(faceRecordSchema) }) as unknown as z.ZodType<DocumentMap['faces']>,
  people: z.looseObject({ schemaVersion: version, people: z.array(person), decisions: z.array(z.unknown()) }) as unknown as z.ZodType<
    DocumentMap['people']
  >,
  settings: z.looseObject({
    schemaVersion: version,
    samePersonDistance: finite,
    analysisMaxSide: z.number().int().positive(),
  }) as unknown as z.ZodType<DocumentMap['settings']>,
};

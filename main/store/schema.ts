// Shape checks for the JSON documents, applied on every read: a document that parses but has the wrong shape is as
// damaged as a truncated one and goes through the same backup-restore path.
import { z } from 'zod';
import type { DocumentMap, DocumentName } from './types.js';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/**
 * A face's landmarks, one flat list [x0, y0, x1, y1, ...] (main/store/landmarks.ts), checked by hand and kept as
 * parsed: zod would copy every face's list on each open.
 */
const landmarks = z.custom<number[]>(
  (value) => Array.isArray(value) && value.length % 2 === 0 && value.every((v) => typeof v === 'number' && Number.isFinite(v)),
  'must be a flat list of x, y coordinates (finite numbers)',
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
  lostFaces: z
    .array(
      z.object({
        id: z.string().min(1),
        box: z.tuple([finite, finite, finite, finite]),
        personId: z.string().nullable(),
        assignedBy: z.enum(['cluster', 'user']).nullable(),
        rejectedPersonIds: z.array(z.string()),
      }),
    )
    .optional(),
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
  unplaced: z.literal(true).optional(),
  drawn: z.literal(true).optional(),
});

const person = z.looseObject({
  id: z.string().min(1),
  name: z.string().nullable(),
  hidden: z.boolean(),
  coverFaceId: z.string().nullable(),
  createdAt: z.string(),
  onePerson: z.literal(true).optional(),
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

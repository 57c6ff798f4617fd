// Shape checks for the JSON documents, applied on every read: a document that parses but has the wrong shape is as
// damaged as a truncated one and goes through the same backup-restore path.
import { z } from 'zod';
import type { DocumentMap, DocumentName } from './types.js';
import { BIRTHDAY_PATTERN } from '../../preload/birthdays.js';

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
  takenOffset: z.number().int().min(-24 * 60).max(24 * 60).optional(),
  takenOffsetKnown: z.boolean().optional(),
  bytes: z.number().nonnegative(),
  format: z.string(),
  analysis: z
    .object({ pipelineVersion: z.string(), analysedAt: z.string(), lookedCloserAt: z.array(z.tuple([finite, finite, finite, finite])).optional() })
    .nullable(),
  faceIds: z.array(z.string()),
  removedPaths: z.array(z.string()).optional(),
  lostFaces: z
    .array(
      z.object({
        id: z.string().min(1),
        box: z.tuple([finite, finite, finite, finite]),
        personId: z.string().nullable(),
        assignedBy: z.enum(['cluster', 'user']).nullable(),
        rejectedPersonIds: z.array(z.string()),
        notAFace: z.literal(true).optional(),
      }),
    )
    .optional(),
  pictureHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  pixelsHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  copyOf: z.object({ photoId: z.string().regex(/^[0-9a-f]{64}$/), faces: z.record(z.string(), z.string()) }).optional(),
});

/** One photo record, as a photos.journal line holds it. */
export const photoRecordSchema = photo;

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
  undetected: z.literal(true).optional(),
  notAFace: z.literal(true).optional(),
});

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isFinite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isStringList = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === 'string');
const isStringOrNull = (value: unknown) => value === null || typeof value === 'string';
const isBox = (value: unknown) => Array.isArray(value) && value.length === 4 && value.every(isFinite);
const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
const isAssignedBy = (value: unknown) => value === null || value === 'cluster' || value === 'user';
/** Nested z.object()s drop keys they do not know: a record with others is not taken as it is. */
const hasOnlyKeys = (value: Record<string, unknown>, count: number) => Object.keys(value).length === count;

/**
 * faceRecordSchema by hand, for the lists in the documents that are large (faces, and photos below): zod builds a copy
 * of every record it checks, and open threw it away at once (bench:store, 100,000 faces and photos: 0.86 s to check
 * both with zod, 0.22 s by hand, on a loaded machine). True only for a face faceRecordSchema accepts and returns as it
 * is (tests/main/store/schema.test.ts holds the two together); when it says no, parseDocument has zod check the
 * document, which names the problem as it always did.
 */
export function isFaceRecord(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const { id, box, faceness, analysedSide } = value;
  return (
    typeof id === 'string' &&
    id.length > 0 &&
    typeof value.photoId === 'string' &&
    isBox(box) &&
    isFinite(value.score) &&
    Array.isArray(value.landmarks) &&
    value.landmarks.length % 2 === 0 &&
    value.landmarks.every(isFinite) &&
    isCount(value.vectorRow) &&
    isStringOrNull(value.personId) &&
    isAssignedBy(value.assignedBy) &&
    isStringList(value.rejectedPersonIds) &&
    (faceness === null || isFinite(faceness)) &&
    (analysedSide === undefined || (isFinite(analysedSide) && analysedSide >= 0)) &&
    typeof value.thumb === 'string' &&
    (value.unplaced === undefined || value.unplaced === true) &&
    (value.drawn === undefined || value.drawn === true) &&
    (value.undetected === undefined || value.undetected === true) &&
    (value.notAFace === undefined || value.notAFace === true)
  );
}

const isAnalysis = (value: unknown) =>
  value === null ||
  (isRecord(value) &&
    typeof value.pipelineVersion === 'string' &&
    typeof value.analysedAt === 'string' &&
    (value.lookedCloserAt === undefined ? hasOnlyKeys(value, 2) : Array.isArray(value.lookedCloserAt) && value.lookedCloserAt.every(isBox) && hasOnlyKeys(value, 3)));

const isLostFace = (value: unknown) =>
  isRecord(value) &&
  typeof value.id === 'string' &&
  value.id.length > 0 &&
  isBox(value.box) &&
  isStringOrNull(value.personId) &&
  isAssignedBy(value.assignedBy) &&
  isStringList(value.rejectedPersonIds) &&
  (value.notAFace === undefined ? hasOnlyKeys(value, 5) : value.notAFace === true && hasOnlyKeys(value, 6));

const isCopyOf = (value: unknown) =>
  isRecord(value) &&
  typeof value.photoId === 'string' &&
  /^[0-9a-f]{64}$/.test(value.photoId) &&
  isRecord(value.faces) &&
  Object.values(value.faces).every((v) => typeof v === 'string') &&
  hasOnlyKeys(value, 2);

/** The photo schema by hand, as isFaceRecord is the face's: true only for a photo zod takes, and returns, as it is. */
export function isPhotoRecord(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const { id, lostFaces } = value;
  return (
    typeof id === 'string' &&
    /^[0-9a-f]{64}$/.test(id) &&
    isStringList(value.paths) &&
    typeof value.missing === 'boolean' &&
    isCount(value.width) &&
    isCount(value.height) &&
    Number.isSafeInteger(value.orientation) &&
    isStringOrNull(value.takenAt) &&
    (value.takenOffset === undefined || (Number.isSafeInteger(value.takenOffset) && Math.abs(value.takenOffset as number) <= 24 * 60)) &&
    (value.takenOffsetKnown === undefined || typeof value.takenOffsetKnown === 'boolean') &&
    isFinite(value.bytes) &&
    value.bytes >= 0 &&
    typeof value.format === 'string' &&
    isAnalysis(value.analysis) &&
    isStringList(value.faceIds) &&
    (value.removedPaths === undefined || isStringList(value.removedPaths)) &&
    (lostFaces === undefined || (Array.isArray(lostFaces) && lostFaces.every(isLostFace))) &&
    (value.pictureHash === undefined || (typeof value.pictureHash === 'string' && /^[0-9a-f]{64}$/.test(value.pictureHash))) &&
    (value.pixelsHash === undefined || (typeof value.pixelsHash === 'string' && /^[0-9a-f]{64}$/.test(value.pixelsHash))) &&
    (value.copyOf === undefined || isCopyOf(value.copyOf))
  );
}

const isVersion = (value: unknown) => Number.isSafeInteger(value) && (value as number) > 0;

/**
 * Documents checked where they are, without zod's copy, when they pass (see isFaceRecord): only what documentSchemas
 * accepts and would return unchanged. A document that does not pass goes to documentSchemas, for its words.
 */
export const acceptedAsParsed: { [K in DocumentName]?: (value: Record<string, unknown>) => boolean } = {
  faces: (value) => isVersion(value.schemaVersion) && Array.isArray(value.faces) && value.faces.every(isFaceRecord),
  photos: (value) => isVersion(value.schemaVersion) && Array.isArray(value.photos) && value.photos.every(isPhotoRecord),
};

/** A person of people.json (also each one a people.journal line puts). */
export const personRecordSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().nullable(),
  hidden: z.boolean(),
  coverFaceId: z.string().nullable(),
  createdAt: z.string(),
  onePerson: z.literal(true).optional(),
  birthday: z.string().regex(BIRTHDAY_PATTERN).optional(),
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
  people: z.looseObject({ schemaVersion: version, people: z.array(personRecordSchema), decisions: z.array(z.unknown()) }) as unknown as z.ZodType<
    DocumentMap['people']
  >,
  settings: z.looseObject({
    schemaVersion: version,
    samePersonDistance: finite,
    analysisMaxSide: z.number().int().positive(),
  }) as unknown as z.ZodType<DocumentMap['settings']>,
};

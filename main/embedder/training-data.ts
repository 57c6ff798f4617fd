// What the user taught: confirmed faces (assignedBy 'user') labelled by person, and the faces they rejected from
// a person ("not this person") as explicit negatives. Split per person into training and validation.
import { stratifiedSplit } from '../../models/embedder/split.js';
import type { LabelledVectors } from '../../models/embedder/metrics.js';
import type { TrainingSet } from '../../models/embedder/sampler.js';
import type { FaceRecord } from '../store/types.js';

export interface UserLabels {
  train: TrainingSet;
  validation: LabelledVectors;
  /** personId per label index. */
  personIds: string[];
  /** Confirmed faces (train + validation). */
  confirmedFaces: number;
  /** Faces used only as rejections (no confirmed identity). */
  rejectionOnlyFaces: number;
  /** Rejection links (face, person) used as negatives. */
  rejections: number;
}

export class NotEnoughLabelsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotEnoughLabelsError';
  }
}

/**
 * Builds training and validation sets from the faces. `backboneOf` returns a face's raw backbone vector.
 * Needs at least two people with two confirmed faces each, so validation can compare people at all.
 */
export function collectUserLabels(
  faces: readonly FaceRecord[],
  backboneOf: (face: FaceRecord) => Float32Array,
  dim: number,
  validationShare: number,
): UserLabels {
  const confirmed = faces.filter((f) => f.assignedBy === 'user' && f.personId !== null);
  const personIds = [...new Set(confirmed.map((f) => f.personId!))].sort();
  const labelOf = new Map(personIds.map((id, i) => [id, i]));
  const counts = personIds.map((id) => confirmed.filter((f) => f.personId === id).length);
  const validatable = counts.filter((c) => c >= 2).length;
  if (validatable < 2) {
    throw new NotEnoughLabelsError(
      `Training needs at least two confirmed faces each of at least two people (found ${confirmed.length} confirmed face(s) of ${personIds.length} people, ${validatable} with two or more); confirm more faces first.`,
    );
  }
  const split = stratifiedSplit(confirmed.map((f) => ({ id: f.id, label: labelOf.get(f.personId!)! })), validationShare);
  const rejectedLabels = (face: FaceRecord) => face.rejectedPersonIds.map((id) => labelOf.get(id)).filter((l): l is number => l !== undefined && l !== labelOf.get(face.personId ?? ''));
  const confirmedIds = new Set(confirmed.map((f) => f.id));
  const rejectionOnly = faces.filter((f) => !confirmedIds.has(f.id) && rejectedLabels(f).length > 0);

  const trainFaces = [...split.train.map((i) => confirmed[i]), ...rejectionOnly];
  const copyRows = (list: FaceRecord[]) => {
    const out = new Float32Array(list.length * dim);
    list.forEach((face, i) => {
      const row = backboneOf(face);
      if (row.length !== dim) throw new Error(`Face ${face.id} has a ${row.length}-d backbone vector; the library stores ${dim}.`);
      out.set(row, i * dim);
    });
    return out;
  };
  const validationFaces = split.validation.map((i) => confirmed[i]);
  const trainRejected = trainFaces.map(rejectedLabels);
  return {
    train: {
      dim,
      vectors: copyRows(trainFaces),
      labels: Int32Array.from(trainFaces.map((f) => (confirmedIds.has(f.id) ? labelOf.get(f.personId!)! : -1))),
      rejected: trainRejected,
    },
    validation: { dim, vectors: copyRows(validationFaces), labels: Int32Array.from(validationFaces.map((f) => labelOf.get(f.personId!)!)) },
    personIds,
    confirmedFaces: confirmed.length,
    rejectionOnlyFaces: rejectionOnly.length,
    rejections: trainRejected.reduce((sum, list) => sum + list.length, 0),
  };
}

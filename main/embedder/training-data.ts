// What the user taught: confirmed faces (assignedBy 'user') labelled by person, and the faces they rejected from
// a person ("not this person") as explicit negatives. Split per person into training and validation.
// One person appears once in a photo, so the other faces of a photo where the user confirmed P are not P either:
// the people photographed with P (siblings, a partner, cousins), the very ones a family's embedding confuses.
// They join P's negatives like rejections, the nearest to P first.
import { createHash } from 'node:crypto';
import { stratifiedSplit } from '../../models/embedder/split.js';
import type { LabelledVectors } from '../../models/embedder/metrics.js';
import type { TrainingSet } from '../../models/embedder/sampler.js';
import type { FaceRecord } from '../store/types.js';
import { plural, TRAINING_MINIMUMS } from '../../preload/contract.js';

export interface UserLabels {
  train: TrainingSet;
  validation: LabelledVectors;
  /** personId per label index. */
  personIds: string[];
  /** Confirmed faces (train + validation). */
  confirmedFaces: number;
  /** Faces used only as rejections (no confirmed identity). */
  rejectionOnlyFaces: number;
  /** Rejection links (face, person) used as negatives, photo negatives included. */
  rejections: number;
  /** Of those, links only the photo gave: a face to a person the user confirmed elsewhere in its photo. */
  photoNegatives: number;
  /** Face id of each row of `train` and of `validation`. */
  trainFaceIds: string[];
  validationFaceIds: string[];
}

/** Photo negatives kept per person, nearest to the person's confirmed faces first: bounds the training work. */
export const MAX_PHOTO_NEGATIVES_PER_PERSON = 256;

export class NotEnoughLabelsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotEnoughLabelsError';
  }
}

/**
 * Builds training and validation sets from the faces. `backboneOf` returns a face's raw backbone vector; `named` tells
 * the people whose confirmed faces are labels; `questioned` are confirmed faces the app still asks the user about
 * (questioned-labels.ts), which are no labels either: a face in a photo with a confirmed person is still not them.
 * Needs at least two people with two confirmed faces each, so validation can compare people at all.
 */
export function collectUserLabels(
  faces: readonly FaceRecord[],
  backboneOf: (face: FaceRecord) => Float32Array,
  dim: number,
  validationShare: number,
  named: (personId: string) => boolean = () => true,
  questioned: ReadonlySet<string> = new Set(),
): UserLabels {
  // Only named people are identities the user vouched for: an unnamed group's pinned faces may be a named person's
  // part split off without a word ("may be two people" on Who is this?), and learning them apart would teach the head
  // to part one person (QA: "105 faces of 11 people" with 10 named).
  const vouched = faces.filter((f) => f.assignedBy === 'user' && f.personId !== null && named(f.personId));
  const confirmed = vouched.filter((f) => !questioned.has(f.id));
  const personIds = [...new Set(confirmed.map((f) => f.personId!))].sort();
  const labelOf = new Map(personIds.map((id, i) => [id, i]));
  const counts = personIds.map((id) => confirmed.filter((f) => f.personId === id).length);
  const { people, facesEach } = TRAINING_MINIMUMS.recognition;
  const validatable = counts.filter((c) => c >= facesEach).length;
  if (validatable < people) {
    const waiting = vouched.length - confirmed.length;
    const asked = waiting > 0 ? `; ${plural(waiting, 'more waits', 'more wait')} for your answer on their person's page, as they may be someone else` : '';
    throw new NotEnoughLabelsError(
      `Training needs at least two confirmed faces each of at least two named people (found ${plural(confirmed.length, 'confirmed face')} of ${plural(personIds.length, 'person', 'people')}, ${validatable === 0 ? 'none' : validatable} with two or more${asked}); confirm more faces first.`,
    );
  }
  const split = stratifiedSplit(confirmed.map((f) => ({ id: f.id, label: labelOf.get(f.personId!)! })), validationShare);
  const confirmedIds = new Set(confirmed.map((f) => f.id));
  const photoNegatives = negativesFromPhotos(faces, confirmed, labelOf, backboneOf, dim);
  const rejectedLabels = (face: FaceRecord) => {
    const own = confirmedIds.has(face.id) ? labelOf.get(face.personId!) : undefined;
    const labels = new Set(face.rejectedPersonIds.map((id) => labelOf.get(id)).filter((l): l is number => l !== undefined));
    for (const l of photoNegatives.get(face.id) ?? []) labels.add(l);
    if (own !== undefined) labels.delete(own);
    return [...labels];
  };
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
    trainFaceIds: trainFaces.map((f) => f.id),
    validationFaceIds: validationFaces.map((f) => f.id),
    confirmedFaces: confirmed.length,
    rejectionOnlyFaces: rejectionOnly.length,
    rejections: trainRejected.reduce((sum, list) => sum + list.length, 0),
    photoNegatives: trainFaces.reduce((sum, f) => {
      const explicit = new Set(f.rejectedPersonIds.map((id) => labelOf.get(id)));
      const own = confirmedIds.has(f.id) ? labelOf.get(f.personId!) : undefined;
      return sum + (photoNegatives.get(f.id) ?? []).filter((l) => !explicit.has(l) && l !== own).length;
    }, 0),
  };
}

/**
 * What a training run learns from and how, as one hash: each face it trains or validates on (its id, its person, the
 * people it is not, its backbone vector) and every option. The same digest trains the same head again, so the job does
 * not run on data it has trained on already (train-job.ts, "Nothing new").
 */
export function trainingDigest(labels: UserLabels, options: Readonly<Record<string, unknown>>): string {
  const personOf = (label: number) => (label >= 0 ? labels.personIds[label] : null);
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({
      train: labels.trainFaceIds.map((id, i) => [id, personOf(labels.train.labels[i]), labels.train.rejected[i].map(personOf).sort()]),
      validation: labels.validationFaceIds.map((id, i) => [id, personOf(labels.validation.labels[i])]),
      options: Object.fromEntries(Object.entries(options).sort(([a], [b]) => (a < b ? -1 : 1))),
    }),
  );
  // The vectors too: faces analysed again keep their ids, and a new backbone gives them other vectors.
  for (const rows of [labels.train.vectors, labels.validation.vectors]) hash.update(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength));
  return hash.digest('hex');
}

/** Face id -> labels of the people the user confirmed elsewhere in its photo (at most MAX_PHOTO_NEGATIVES_PER_PERSON a person). */
function negativesFromPhotos(
  faces: readonly FaceRecord[],
  confirmed: readonly FaceRecord[],
  labelOf: ReadonlyMap<string, number>,
  backboneOf: (face: FaceRecord) => Float32Array,
  dim: number,
): Map<string, number[]> {
  const byPhoto = new Map<string, FaceRecord[]>();
  for (const f of faces) byPhoto.set(f.photoId, [...(byPhoto.get(f.photoId) ?? []), f]);
  // Per person, the faces photographed with them that are not theirs.
  const candidates = new Map<number, Set<FaceRecord>>();
  for (const f of confirmed) {
    const label = labelOf.get(f.personId!)!;
    for (const other of byPhoto.get(f.photoId) ?? []) {
      // The user may put a person twice in a photo (a mirror, a photo on the wall): their word stands.
      if (other.id === f.id || (other.assignedBy === 'user' && other.personId === f.personId)) continue;
      const set = candidates.get(label) ?? candidates.set(label, new Set()).get(label)!;
      set.add(other);
    }
  }
  const out = new Map<string, number[]>();
  for (const [label, set] of candidates) {
    let chosen = [...set];
    if (chosen.length > MAX_PHOTO_NEGATIVES_PER_PERSON) {
      const mean = new Float32Array(dim);
      for (const f of confirmed) if (labelOf.get(f.personId!) === label) backboneOf(f).forEach((v, k) => (mean[k] += v));
      const closeness = new Map(chosen.map((f) => [f, backboneOf(f).reduce((s, v, k) => s + v * mean[k], 0)]));
      chosen = chosen.sort((a, b) => closeness.get(b)! - closeness.get(a)!).slice(0, MAX_PHOTO_NEGATIVES_PER_PERSON);
    }
    for (const f of chosen) out.set(f.id, [...(out.get(f.id) ?? []), label]);
  }
  return out;
}

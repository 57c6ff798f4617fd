// A real library folder holding lfw_subset faces (backbone descriptors from the shared cache), with some of
// each person's faces confirmed by the "user" and a few rejections: what the embedder job trains on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Library } from '../../../main/store/library.js';
import { smallestGroup } from '../../../models/cluster/methods.js';
import type { FaceRecord, PersonRecord, PhotoRecord } from '../../../main/store/types.js';
import { seededRandom, shuffleInPlace } from '../../../models/embedder/random.js';
import { identityOf as identityOfImage, loadDatasetEmbeddings } from '../../helpers/shared-faces.js';
import { centralFace, loadLfwPeople, type LfwPerson } from '../../models/embedder/lfw-fixture.js';
import { shuffledIndices } from '../../../models/cluster/random.js';
import { lastMerge } from '../../../models/cluster/two-people.js';
import { centroid } from '../../../models/cluster/vectors.js';
import { createInitialHead, normalizeRows, serializeHead, type HeadWeights } from '../../../models/embedder/head.js';
import { mostConfusedPairs, type LabelledVectors } from '../../../models/embedder/metrics.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../../models/embedder/train.js';
import { saveVersion, VERSION_FORMAT, type EmbedderVersion } from '../../../main/embedder/versions.js';
import { BACKBONE_THRESHOLDS } from '../../../main/people/thresholds.js';

export interface EmbedderFixture {
  library: Library;
  dir: string;
  /** Identity index (into the people given) of each face id. */
  identityOf: Map<string, number>;
  personIdOf: (identity: number) => string;
  close(): Promise<void>;
}

const hex64 = (n: number) => n.toString(16).padStart(16, '0').repeat(4);

/**
 * The records of one cached lfw face stored as a photo of its own, as the importer stores them: photo number `n` (its
 * id), at `path`, its face's vector at `vectorRow`; the face in no group unless `face` says otherwise.
 */
export function onePhotoOneFace(n: number, path: string, vectorRow: number, face: Partial<FaceRecord> = {}): { photo: PhotoRecord; face: FaceRecord } {
  const photoId = hex64(n);
  const id = `${photoId.slice(0, 16)}-0`;
  return {
    photo: {
      id: photoId,
      paths: [path],
      missing: false,
      width: 250,
      height: 250,
      orientation: 1,
      takenAt: null,
      bytes: 1000,
      format: 'jpeg',
      analysis: { pipelineVersion: 'lfw-cache', analysedAt: new Date().toISOString() },
      faceIds: [id],
    },
    face: {
      id,
      photoId,
      box: [70, 70, 110, 110],
      score: 0.99,
      landmarks: [],
      vectorRow,
      personId: null,
      assignedBy: null,
      rejectedPersonIds: [],
      faceness: null,
      thumb: `thumbs/${id}.webp`,
      ...face,
    },
  };
}

/**
 * Stores one photo with one face per descriptor, the way the importer does (vectors first), numbered after the
 * library's photos; `placed` says whose each face is. Returns the new face ids.
 */
export async function addFacePhotos(
  library: Library,
  descriptors: readonly Float32Array[],
  placed: (i: number) => Pick<FaceRecord, 'personId' | 'assignedBy'> = () => ({ personId: null, assignedBy: null }),
): Promise<string[]> {
  const rows = await library.appendVectors([...descriptors]);
  const first = library.photos.length;
  const records = rows.map((vectorRow, i) => onePhotoOneFace(first + i + 1, `/album/${first + i + 1}.jpg`, vectorRow, placed(i)));
  await library.transaction((tx) => {
    tx.photos.push(...records.map((r) => r.photo));
    tx.faces.push(...records.map((r) => r.face));
  });
  return records.map((r) => r.face.id);
}

/** A person (named) or a group the clustering found (name null), one photo per descriptor, its first `confirmed` faces the user's; returns the face ids. */
export async function addPersonWithFaces(library: Library, id: string, name: string | null, descriptors: readonly Float32Array[], confirmed: number): Promise<string[]> {
  await library.transaction((tx) => {
    (tx.people.people as PersonRecord[]).push({ id, name, hidden: false, coverFaceId: null, createdAt: new Date().toISOString() });
  });
  return addFacePhotos(library, descriptors, (i) => ({ personId: id, assignedBy: i < confirmed ? 'user' : 'cluster' }));
}

/** addFacePhotos for labelled faces: each new face's id with the identity it was given, for scoring a grouping. */
export async function addOneFacePhotos(library: Library, faces: readonly { identity: string; descriptor: Float32Array }[]): Promise<Map<string, string>> {
  const ids = await addFacePhotos(library, faces.map((f) => f.descriptor));
  return new Map(ids.map((id, i) => [id, faces[i].identity]));
}

/**
 * A library of lfw_subset people cut to `photos` random photos each (those with fewer left out) and the 100 one-photo
 * people, every face on a photo of its own: what a family library of friends and cousins looks like to the clustering.
 */
export async function fewPhotosLibrary(photos: number, seed = 1): Promise<{ library: Library; identityOf: Map<string, string>; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'familiar-few-photos-'));
  const library = await Library.open(dir);
  const random = seededRandom(seed);
  const chosen = (await loadLfwPeople()).flatMap((p) =>
    p.descriptors.length === 1
      ? [{ identity: p.identity, descriptor: p.descriptors[0] }]
      : p.descriptors.length < photos
        ? []
        : Array.from(shuffledIndices(p.descriptors.length, random).subarray(0, photos), (i) => ({ identity: p.identity, descriptor: p.descriptors[i] })),
  );
  const identityOf = await addOneFacePhotos(library, chosen);
  return {
    library,
    identityOf,
    async close() {
      await library.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The people that take part in the lfw_subset pairs the raw backbone confuses most (hard for raw: room to learn). */
function hardPeople(all: LfwPerson[], count: number): LfwPerson[] {
  const rows = all.flatMap((p) => p.descriptors);
  const vectors = new Float32Array(rows.length * 128);
  rows.forEach((r, i) => vectors.set(r, i * 128));
  const set: LabelledVectors = { dim: 128, vectors: normalizeRows(vectors, 128), labels: Int32Array.from(all.flatMap((p, i) => p.descriptors.map(() => i))) };
  const chosen = new Set<number>();
  for (const pair of mostConfusedPairs(set, set, count * 2)) {
    for (const i of [pair.a, pair.b]) if (chosen.size < count) chosen.add(i);
  }
  return [...chosen].sort((a, b) => a - b).map((i) => all[i]);
}

/** The 24 people of 8 photos or more the raw backbone confuses most, 6 of each one's confirmed and 1 rejection. */
export async function hardPeopleFixture(): Promise<EmbedderFixture> {
  const people = hardPeople((await loadLfwPeople()).filter((p) => p.descriptors.length >= 8), 24);
  return makeEmbedderFixture(people, { confirmed: 6, rejections: 1 });
}

/**
 * One photo per face. The first `confirmed` faces of each person are confirmed by the user (assignedBy 'user');
 * the rest are unassigned. `rejections` faces of person i+1 are rejected from person i.
 */
export async function makeEmbedderFixture(people: LfwPerson[], options: { confirmed: number; rejections?: number; seed?: number }): Promise<EmbedderFixture> {
  const { confirmed, rejections = 0, seed = 1 } = options;
  const dir = mkdtempSync(join(tmpdir(), 'familiar-embedder-'));
  const library = await Library.open(dir);
  const identityOf = new Map<string, number>();
  const personIdOf = (identity: number) => `person-${identity}`;
  const descriptors: Float32Array[] = [];
  const owners: Array<{ identity: number; rank: number }> = [];
  people.forEach((p, identity) => {
    const order = shuffleInPlace([...p.descriptors.keys()], seededRandom(seed + identity));
    order.forEach((i, rank) => {
      descriptors.push(p.descriptors[i]);
      owners.push({ identity, rank });
    });
  });
  const rows = await library.appendVectors(descriptors);
  const photos: PhotoRecord[] = [];
  const faces: FaceRecord[] = [];
  rows.forEach((vectorRow, i) => {
    const { identity, rank } = owners[i];
    const isConfirmed = rank < confirmed;
    // Rejections: faces of the next person, beyond their confirmed ones, marked "not person i".
    const rejectedFrom = identity > 0 && rank >= confirmed && rank < confirmed + rejections ? [personIdOf(identity - 1)] : [];
    const { photo, face } = onePhotoOneFace(i + 1, `/album/${people[identity].photos[0]}`, vectorRow, {
      personId: isConfirmed ? personIdOf(identity) : null,
      assignedBy: isConfirmed ? 'user' : null,
      rejectedPersonIds: rejectedFrom,
    });
    identityOf.set(face.id, identity);
    photos.push(photo);
    faces.push(face);
  });
  const persons: PersonRecord[] = people.map((p, identity) => ({
    id: personIdOf(identity),
    name: p.identity.replace(/_/g, ' '),
    hidden: false,
    coverFaceId: null,
    createdAt: new Date().toISOString(),
  }));
  await library.transaction((tx) => {
    tx.photos.push(...photos);
    tx.faces.push(...faces);
    tx.people.people.push(...persons);
  });
  return {
    library,
    dir,
    identityOf,
    personIdOf,
    async close() {
      await library.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Every user decision on faces: the person of each confirmed face, the rejections of each face, and whether any
 * face ended up in a person it was rejected from (must never happen). Keyed by face id.
 */
export function userDecisions(library: Library): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of library.faces) {
    const parts: string[] = [];
    if (f.assignedBy === 'user') parts.push(`confirmed ${f.personId}`);
    if (f.rejectedPersonIds.length) parts.push(`not ${[...f.rejectedPersonIds].sort().join(',')}`);
    if (f.personId !== null && f.rejectedPersonIds.includes(f.personId)) parts.push('VIOLATED: placed in a rejected person');
    if (parts.length) out.set(f.id, parts.join('; '));
  }
  return out;
}

/**
 * A library of lfw_subset photos with every face in them (the labelled central face and bystanders), as a family's:
 * QA's two (Tom Cruise, Bill Clinton) and `named - 2` other people of 8+ photos (shuffled by `seed`) named, `confirmed`
 * of each one's photos confirmed, and 30 one-photo strangers. Returns the library and each labelled face's identity
 * (bystanders have none). Used by tests/main/embedder/placement-after-switch.test.ts and bench:cluster section 9.
 */
export async function lfwLibraryWithNamedPeople(dir: string, options: { named: number; confirmed: number; seed: number }): Promise<{ library: Library; truth: Map<string, string> }> {
  const images = (await loadDatasetEmbeddings('lfw_subset')).filter((img) => img.faces.length > 0);
  const byIdentity = new Map<string, typeof images>();
  for (const img of images) {
    const identity = identityOfImage('lfw_subset', img.relative)!;
    byIdentity.set(identity, [...(byIdentity.get(identity) ?? []), img]);
  }
  const qa = ['Tom_Cruise', 'Bill_Clinton'];
  const others = [...byIdentity.keys()].filter((id) => byIdentity.get(id)!.length >= 8 && !qa.includes(id));
  const named = [...qa, ...shuffleInPlace(others, seededRandom(options.seed)).slice(0, options.named - qa.length)];
  const strangers = [...byIdentity.keys()].filter((id) => byIdentity.get(id)!.length === 1).slice(0, 30);

  const library = await Library.open(dir);
  const descriptors: Float32Array[] = [];
  const where: Array<{ relative: string; photo: number; face: number; labelled: string | null }> = [];
  let photo = 0;
  for (const identity of [...named, ...strangers]) {
    for (const img of byIdentity.get(identity)!) {
      photo++;
      const central = centralFace(img);
      img.faces.forEach((f, face) => {
        descriptors.push(Float32Array.from(f.descriptor));
        where.push({ relative: img.relative, photo, face, labelled: f === central ? identity : null });
      });
    }
  }
  const rows = await library.appendVectors(descriptors);
  const photos = new Map<number, PhotoRecord>();
  const faces: FaceRecord[] = [];
  const confirmedOf = new Map<string, number>();
  const truth = new Map<string, string>();
  rows.forEach((vectorRow, i) => {
    const { relative, labelled } = where[i];
    const confirm = labelled !== null && named.includes(labelled) && (confirmedOf.get(labelled) ?? 0) < options.confirmed;
    if (confirm) confirmedOf.set(labelled, (confirmedOf.get(labelled) ?? 0) + 1);
    const { photo: record, face } = onePhotoOneFace(where[i].photo, `/album/${relative}`, vectorRow, {
      personId: confirm ? `person-${labelled}` : null,
      assignedBy: confirm ? 'user' : null,
    });
    // Several faces of one photo: one photo record, face ids numbered within it.
    const id = `${record.id.slice(0, 16)}-${where[i].face}`;
    faces.push({ ...face, id, thumb: `thumbs/${id}.webp` });
    const stored = photos.get(where[i].photo) ?? { ...record, faceIds: [] };
    stored.faceIds.push(id);
    photos.set(where[i].photo, stored);
    if (labelled !== null) truth.set(id, labelled);
  });
  await library.transaction((tx) => {
    tx.photos.push(...photos.values());
    tx.faces.push(...faces);
    for (const id of named) tx.people.people.push({ id: `person-${id}`, name: id.replace(/_/g, ' '), hidden: false, coverFaceId: null, createdAt: new Date().toISOString() });
  });
  return { library, truth };
}

/** A linear head that stretches distances along `direction` around `centre` (1 + stretch times): y = x + stretch·((x − c)·d)d. */
export function stretchingHead(direction: Float32Array, centre: Float32Array, stretch: number): HeadWeights {
  const dim = direction.length;
  const head = createInitialHead(dim, 0, () => 0.5);
  const d = normalizeRows(Float32Array.from(direction), dim);
  const along = centre.reduce((s, v, t) => s + v * d[t], 0);
  for (let i = 0; i < dim; i++) {
    head.b2[i] = -stretch * along * d[i];
    for (let j = 0; j < dim; j++) head.linear[i * dim + j] = stretch * d[i] * d[j];
  }
  return head;
}

/**
 * A head that tears one person in two: their unit `rows` (one face a row) pulled apart 7-fold along the line between
 * the two halves average linkage joins last, as a head trained on other people can (QA: Andy Roddick's 10 unnamed
 * faces became two groups of 5). Null when the smaller half has fewer than `minSize` faces: no group to part.
 */
export function tearingHead(rows: Float32Array, dim: number, minSize: number): HeadWeights | null {
  const vectors = { dim, count: rows.length / dim, data: rows };
  const parts = lastMerge(vectors, Array.from({ length: vectors.count }, (_, i) => i))?.parts;
  if (!parts || parts[1].length < minSize) return null;
  const [a, b] = parts.map((part) => centroid(vectors, part));
  return stretchingHead(a.map((v, t) => v - b[t]), centroid(vectors, [...parts[0], ...parts[1]]), 6);
}

/**
 * Stores `head` as embedder version `version`, as training would store it: calibrated at the backbone's thresholds,
 * or at `calibrated`.
 */
export async function storeVersion(
  library: Library,
  version: string,
  head: HeadWeights,
  calibrated: Pick<EmbedderVersion, 'samePersonDistance' | 'peopleThresholds'> = { samePersonDistance: BACKBONE_THRESHOLDS.sameDistance, peopleThresholds: BACKBONE_THRESHOLDS },
): Promise<void> {
  const serialized = serializeHead(head);
  const figures = { identificationAccuracy: 0.9, tar: 0.9, far: 0.001, meanMargin: 0 };
  await saveVersion(
    library.dir,
    {
      format: VERSION_FORMAT,
      version,
      modelId: `embedder-${version}`,
      createdAt: new Date().toISOString(),
      trainedOn: { faces: 0, validationFaces: 0, people: 0, rejections: 0 },
      options: DEFAULT_TRAIN_OPTIONS,
      bestEpoch: 1,
      epochsRun: 1,
      before: figures,
      beforeVersion: 'raw',
      after: figures,
      ...calibrated,
      head: serialized.manifest,
    },
    serialized.data,
  );
}

/**
 * A family's library after a regrouping on the raw backbone, from lfw_subset people of 8+ photos: 4 named, 5 faces each
 * confirmed, and 8 groups nobody named, all their photos each. Stored beside it: v1, a head that tears the first unnamed
 * group (`torn`: its id and faces) in two, and v2, an untrained head (the backbone's own geometry), which splits nothing.
 */
export async function libraryWithTearingVersion(dir: string): Promise<{ library: Library; torn: { personId: string; faces: number } }> {
  const people = (await loadLfwPeople()).filter((p) => p.descriptors.length >= 8).slice(0, 12);
  const library = await Library.open(dir);
  for (const [i, p] of people.slice(0, 4).entries()) await addPersonWithFaces(library, `named-${i}`, p.identity.replace(/_/g, ' '), p.descriptors, 5);
  const minSize = smallestGroup(BACKBONE_THRESHOLDS.cluster);
  let torn: { personId: string; faces: number } | null = null;
  for (const [i, p] of people.slice(4).entries()) {
    await addPersonWithFaces(library, `group-${i}`, null, p.descriptors, 0);
    const rows = new Float32Array(p.descriptors.length * 128);
    p.descriptors.forEach((d, r) => rows.set(d, r * 128));
    const head = torn ? null : tearingHead(rows, 128, minSize);
    if (head) {
      await storeVersion(library, 'v1', head);
      torn = { personId: `group-${i}`, faces: p.descriptors.length };
    }
  }
  await storeVersion(library, 'v2', createInitialHead(128, 0, () => 0.5));
  if (!torn) throw new Error('No unnamed group of lfw_subset has two halves to tear.');
  return { library, torn };
}

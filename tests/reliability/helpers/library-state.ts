// What must hold in a library after any crash, repair or concurrent job: the invariants of the stored parts, and
// the user's decisions (named people, confirmed faces, rejections) compared with a snapshot taken before.
// Plain functions returning lists of problems, so the tests (expect(...).toEqual([])) and the benchmark (counts)
// share them.
import { Library } from '../../../main/store/library.js';
import type { FaceRecord, PersonRecord, PhotoRecord } from '../../../main/store/types.js';

/** Everything the user decided, keyed so a lost or changed decision shows up as a missing key or a changed value. */
export interface DecisionSnapshot {
  /** person id -> name, for named persons. */
  names: Map<string, string>;
  /** face id -> person id, for faces the user confirmed, moved or named (assignedBy 'user'). */
  confirmations: Map<string, string | null>;
  /** face id -> person ids the user said it is not. */
  rejections: Map<string, string[]>;
  /** Entries of the decision log (ids). */
  log: Set<string>;
}

type ReadableLibrary = Pick<Library, 'faces' | 'people'>;

export function snapshotDecisions(library: ReadableLibrary): DecisionSnapshot {
  const names = new Map<string, string>();
  for (const p of library.people.people) if (p.name !== null) names.set(p.id, p.name);
  const confirmations = new Map<string, string | null>();
  const rejections = new Map<string, string[]>();
  for (const f of library.faces) {
    if (f.assignedBy === 'user') confirmations.set(f.id, f.personId);
    if (f.rejectedPersonIds.length) rejections.set(f.id, [...f.rejectedPersonIds].sort());
  }
  const log = new Set((library.people.decisions as Array<{ id: string }>).map((d) => d.id));
  return { names, confirmations, rejections, log };
}

export function decisionCount(s: DecisionSnapshot): number {
  return s.names.size + s.confirmations.size + [...s.rejections.values()].reduce((n, r) => n + r.length, 0) + s.log.size;
}

/** Decisions of `before` that `library` no longer holds (each one sentence). Later decisions may add to them. */
export function lostDecisions(before: DecisionSnapshot, library: ReadableLibrary): string[] {
  const now = snapshotDecisions(library);
  const lost: string[] = [];
  for (const [id, name] of before.names) {
    if (now.names.get(id) !== name) lost.push(`person ${id} was named "${name}", now ${JSON.stringify(now.names.get(id) ?? null)}`);
  }
  for (const [faceId, personId] of before.confirmations) {
    if (!now.confirmations.has(faceId)) lost.push(`face ${faceId} lost its confirmation (was ${personId})`);
    else if (now.confirmations.get(faceId) !== personId) lost.push(`face ${faceId} confirmed as ${personId}, now ${now.confirmations.get(faceId)}`);
  }
  for (const [faceId, rejected] of before.rejections) {
    const current = new Set(now.rejections.get(faceId) ?? []);
    for (const r of rejected) if (!current.has(r)) lost.push(`face ${faceId} lost its rejection of ${r}`);
  }
  for (const id of before.log) if (!now.log.has(id)) lost.push(`decision ${id} vanished from the log`);
  return lost;
}

/** Problems with the stored parts of an open library: duplicates, dangling references, index disagreeing with vectors. */
export function invariantProblems(library: Library): string[] {
  const problems: string[] = [];
  const faces = library.faces;
  const ids = new Set<string>();
  const rows = new Set<number>();
  const regions = new Set<string>();
  for (const f of faces) {
    if (ids.has(f.id)) problems.push(`face ${f.id} is stored twice`);
    ids.add(f.id);
    if (rows.has(f.vectorRow)) problems.push(`vector row ${f.vectorRow} is used by two faces`);
    rows.add(f.vectorRow);
    const region = `${f.photoId}:${f.box.join(',')}`;
    if (regions.has(region)) problems.push(`face ${f.id}: photo ${f.photoId.slice(0, 12)} has two faces with box ${f.box.join(',')}`);
    regions.add(region);
    if (f.vectorRow >= library.vectorRows) problems.push(`face ${f.id} points past the ${library.vectorRows} stored vectors`);
    else if (!library.indexHas(f.vectorRow)) problems.push(`face ${f.id} (row ${f.vectorRow}) is not in the index`);
    const photo = library.photo(f.photoId);
    if (!photo) problems.push(`face ${f.id} belongs to no photo`);
    else if (!photo.faceIds.includes(f.id)) problems.push(`photo ${photo.id.slice(0, 12)} does not list its face ${f.id}`);
    if (f.personId !== null && f.rejectedPersonIds.includes(f.personId)) problems.push(`face ${f.id} sits in ${f.personId}, which the user rejected`);
    if (f.personId !== null && !library.people.people.some((p) => p.id === f.personId)) problems.push(`face ${f.id} points to a missing person ${f.personId}`);
  }
  if (library.indexSize !== faces.length) problems.push(`the index holds ${library.indexSize} vectors for ${faces.length} faces`);
  if (library.vectorRows < rows.size) problems.push(`${library.vectorRows} vector rows for ${rows.size} faces`);
  for (const p of library.photos) for (const id of p.faceIds) if (library.face(id)?.photoId !== p.id) problems.push(`photo ${p.id.slice(0, 12)} lists a face ${id} it does not have`);
  // The index answers with the stored vectors: a face's own embedding finds itself first.
  for (const f of faces.slice(0, 40)) {
    if (f.vectorRow >= library.vectorRows) continue;
    const hit = library.search(library.embeddingOf(f), 1)[0];
    if (!hit || hit.distance > 1e-3) problems.push(`the index does not find face ${f.id} by its own embedding (nearest ${hit?.faceId} at ${hit?.distance})`);
  }
  return problems;
}

// ------------------------------------------------------------------------------------------------ synthetic library

export interface SyntheticOptions {
  people: number;
  facesPerPerson: number;
  /** Persons named, each with `confirmedPerPerson` confirmed faces. */
  named: number;
  confirmedPerPerson: number;
  /** Faces of person i+1 rejected from person i. */
  rejectionsPerPerson: number;
  /** Spread of a person's faces around their centre (the larger, the harder to cluster). */
  noise: number;
  /** How far person centres stand from a common centre (small = similar-looking people). */
  spread: number;
  seed: number;
  dim?: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededRandom(seed: number): () => number {
  return mulberry32(seed);
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
}

function unit(v: Float32Array): Float32Array {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

const hex64 = (n: number) => (n + 1).toString(16).padStart(16, '0').repeat(4);

/**
 * A library of synthetic faces (one photo each, no image files) grouped around random person centres, with named
 * persons, confirmed faces, rejections and a decision log: what the recluster and training crash runs work on.
 */
export async function writeSyntheticLibrary(dir: string, o: SyntheticOptions): Promise<DecisionSnapshot> {
  const dim = o.dim ?? 128;
  const random = mulberry32(o.seed);
  const library = await Library.open(dir, { backboneDim: dim });
  try {
    // Person centres near a common one, so the raw descriptors confuse some people and a trained head can help.
    const common = unit(Float32Array.from({ length: dim }, () => gaussian(random)));
    const centres = Array.from({ length: o.people }, () => unit(common.map((c) => c + (o.spread * gaussian(random)) / Math.sqrt(dim))));
    const descriptors: Float32Array[] = [];
    const owner: Array<{ person: number; rank: number }> = [];
    for (let p = 0; p < o.people; p++) {
      for (let k = 0; k < o.facesPerPerson; k++) {
        descriptors.push(unit(centres[p].map((c) => c + (o.noise * gaussian(random)) / Math.sqrt(dim))));
        owner.push({ person: p, rank: k });
      }
    }
    const rows = await library.appendVectors(descriptors);
    const personId = (p: number) => `person-synthetic-${p}`;
    const now = new Date(0).toISOString();
    const photos: PhotoRecord[] = [];
    const faces: FaceRecord[] = [];
    rows.forEach((vectorRow, i) => {
      const { person, rank } = owner[i];
      const photoId = hex64(i);
      const id = `${photoId.slice(0, 16)}-0`;
      const confirmed = person < o.named && rank < o.confirmedPerPerson;
      const rejected = person > 0 && person - 1 < o.named && rank >= o.confirmedPerPerson && rank < o.confirmedPerPerson + o.rejectionsPerPerson;
      photos.push({
        id: photoId,
        paths: [`/synthetic/${person}/${rank}.jpg`],
        missing: true,
        width: 200,
        height: 200,
        orientation: 1,
        takenAt: null,
        bytes: 1000,
        format: 'jpeg',
        analysis: { pipelineVersion: 'synthetic', analysedAt: now },
        faceIds: [id],
      });
      faces.push({
        id,
        photoId,
        box: [50, 50, 100, 100],
        score: 0.99,
        landmarks: [],
        vectorRow,
        personId: confirmed ? personId(person) : null,
        assignedBy: confirmed ? 'user' : null,
        rejectedPersonIds: rejected ? [personId(person - 1)] : [],
        faceness: null,
        thumb: `thumbs/${id}.webp`,
      });
    });
    const persons: PersonRecord[] = Array.from({ length: o.named }, (_, p) => ({
      id: personId(p),
      name: `Synthetic Person ${p}`,
      hidden: false,
      coverFaceId: null,
      createdAt: now,
    }));
    await library.transaction((tx) => {
      tx.photos.push(...photos);
      tx.faces.push(...faces);
      tx.people.people.push(...persons);
      for (const p of persons) {
        (tx.people.decisions as unknown[]).push({
          id: `decision-${p.id}`,
          at: now,
          kind: 'name',
          description: `Named ${p.id} "${p.name}".`,
          personIds: [p.id],
          faceIds: [],
          before: null,
          undoneAt: null,
        });
      }
    });
    return snapshotDecisions(library);
  } finally {
    await library.close();
  }
}

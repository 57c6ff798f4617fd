// "Is this <Name>?" about a loose face (one in no group), and the named people nearest a face on "Who is this?". A face
// a named person's suggestions would offer was shown there as "a face Familiar could not place", its name to be typed
// again (QA: the second photo of Colin Powell, 0.01 from his first). It is asked as a group is
// (group-candidates.ts), by the rules of the person's suggestions (queries.ts, suggestionsFor): a face is asked about
// here when that person's Suggestions tab would offer it, within a group question's reach. One index search a face.
import type { SearchHit } from '../store/library.js';
import type { FaceRecord, PersonRecord } from '../store/types.js';
import { evenlySampled } from '../../models/cluster/random.js';
import { cosineDistanceOf } from '../../models/cluster/vectors.js';
import { groupCandidateReach } from './group-candidates.js';
import { facesByPerson, isComparable, resolveFace, type PeopleLibrary } from './library.js';
import { alikeJudge, isCandidate, MAX_ANCHORS, suggestionReaches, SUGGESTION_SPREAD_FACTOR } from './queries.js';
import { questionThresholds } from './thresholds.js';

/** The named person a loose face may be, as a person's suggestions would offer it. */
export interface FaceCandidateView {
  faceId: string;
  personId: string;
  name: string;
  /** The distance to the person's nearest face (of those their suggestions search from). */
  distance: number;
  /** That face: shown beside the face asked about. */
  nearestFaceId: string;
}

/** What "Who is this?" asks of one face: whom it may be, and the named people nearest it (the name field's order). */
export interface FaceNeighbourhood {
  candidate: FaceCandidateView | null;
  /**
   * The NEAR_PEOPLE named people (not hidden) nearest the face by their nearest face, nearest first, those the face was
   * said not to be last: a mistaken No ("Is this Ada?") is one pick in the name field away from being taken back. Only
   * those within a loose face's reach of their suggestions (suggestionReaches): a stranger near nobody was offered the
   * five nearest names however far (on lfw_subset, every face of someone never named got names, out to 0.12).
   */
  nearPersonIds: string[];
}

export interface FaceCandidateOptions {
  /** Overrides the reach of the question (measurement): the suggestions' own reach for a loose face still applies. */
  reach?: number;
  /**
   * The NEIGHBOURS named faces nearest a vector, nearest first, from their own index (group-candidates.ts,
   * namedFacesIndex): a scan of many faces builds it once.
   */
  search?: (vector: Float32Array) => SearchHit[];
  /** The library's faces by person (facesByPerson), for the same reason: a walk over every face for each face asked. */
  byPerson?: ReadonlyMap<string, readonly FaceRecord[]>;
}

/** Named faces searched around a face (as "Which one?" searches for a face's nearest people). */
export const NEIGHBOURS = 40;
/** Named people sent for the name field: the first few typed letters pick among them. */
export const NEAR_PEOPLE = 5;
/** Named people, nearest first, looked at for the question: past the first few, someone nearer always rules them out. */
const ASKED_PEOPLE = 3;

/**
 * The named person a loose face may be, and the named people nearest it, from one search of the named faces. A person
 * is asked about when their suggestions would offer the face: it is not in a photo where the user confirmed them, nor
 * said not to be them; it lies within a loose face's reach of one of the faces their suggestions search from (their
 * confirmed faces, or all theirs if none is), like them as a whole, and nearer them than any other named person; of
 * its photo's faces, it is the nearest them; and in a photo where the user said a face is not them, it clearly looks
 * like them. And within the reach a group is asked about (groupCandidateReach, 0.052 for the backbone): on lfw_subset
 * with half the people named from 1-3 photos, 99.6 % of the questions within it were right, 64 % of those beyond it
 * (up to the suggestions' reach) (docs/clustering.md); the name field lists the person first for those instead. A face
 * placed in a group (or by the user) is not asked about: its group is.
 */
export function looseFaceNeighbourhood(library: PeopleLibrary, faceRef: string, options: FaceCandidateOptions = {}): FaceNeighbourhood {
  const face = resolveFace(library, faceRef);
  const named = new Map<string, PersonRecord>(library.people.people.filter((p) => p.name !== null).map((p) => [p.id, p]));
  // A box kept as drawn looks like nobody, nor does anyone look like it (isComparable).
  if (named.size === 0 || !isComparable(face)) return { candidate: null, nearPersonIds: [] };
  const vector = library.embeddingOf(face);
  const hits = options.search?.(vector) ?? library.search(vector, NEIGHBOURS, (f) => f.id !== face.id && f.personId !== null && named.has(f.personId) && isComparable(f));
  const order: string[] = [];
  const reach = suggestionReaches(library).loose;
  for (const hit of hits) {
    if (hit.distance > reach) continue;
    const personId = library.face(hit.faceId)?.personId;
    if (personId && !order.includes(personId) && !named.get(personId)!.hidden) order.push(personId);
  }
  const saidNot = (id: string) => face.rejectedPersonIds.includes(id);
  const nearest = order.slice(0, NEAR_PEOPLE);
  const nearPersonIds = [...nearest.filter((id) => !saidNot(id)), ...nearest.filter(saidNot)];
  if (face.personId !== null) return { candidate: null, nearPersonIds };
  let byPerson = options.byPerson;
  for (const personId of order.filter((id) => !saidNot(id)).slice(0, ASKED_PEOPLE)) {
    byPerson ??= facesByPerson(library.faces);
    const candidate = askedAbout(library, face, named.get(personId)!, byPerson.get(personId) ?? [], hits, options);
    if (candidate) return { candidate, nearPersonIds };
  }
  return { candidate: null, nearPersonIds };
}

/**
 * The named people nearest a face of a group (its cover), for the name field: one search, as for a loose face. Not
 * those the face was said not to be: a group's name field shows them ruled out (the name would be refused), where one
 * loose face's name takes its "not" back.
 */
export function namedPeopleNear(library: PeopleLibrary, faceRef: string): string[] {
  const face = resolveFace(library, faceRef);
  return looseFaceNeighbourhood(library, face.id).nearPersonIds.filter((id) => !face.rejectedPersonIds.includes(id));
}

/** The question about `face` and `person`, when the person's suggestions would offer the face (suggestionsFor). */
function askedAbout(library: PeopleLibrary, face: FaceRecord, person: PersonRecord, own: readonly FaceRecord[], hits: readonly SearchHit[], options: FaceCandidateOptions): FaceCandidateView | null {
  if (!isCandidate(face, person.id)) return null;
  const confirmed = own.filter((f) => f.assignedBy === 'user');
  // As suggestionsFor: never from a box kept as drawn (isComparable).
  const [sureConfirmed, sureOwn] = [confirmed, own].map((faces) => faces.filter(isComparable));
  const anchors = evenlySampled(sureConfirmed.length > 0 ? sureConfirmed : sureOwn, MAX_ANCHORS);
  if (anchors.length === 0 || confirmed.some((f) => f.photoId === face.photoId)) return null;
  // As suggestionsFor: a stricter setting does not narrow the question (questionThresholds).
  const thresholds = questionThresholds(library);
  const nearest = nearestOf(library, library.embeddingOf(face), anchors);
  if (nearest.distance > Math.min(suggestionReaches(library, thresholds).loose, options.reach ?? groupCandidateReach(library))) return null;
  const photoFaces = library.facesOfPhoto(face.photoId).filter((f) => f.id !== face.id);
  // In a photo where the user said a face is not them, only a face that clearly looks like them.
  if (photoFaces.some((f) => f.rejectedPersonIds.includes(person.id)) && nearest.distance > thresholds.placeDistance) return null;
  // Of one photo's faces, only the nearest them is offered.
  if (photoFaces.some((f) => isCandidate(f, person.id) && nearestOf(library, library.embeddingOf(f), anchors).distance < nearest.distance)) return null;
  const alike = alikeJudge(library, person.id, anchors, sureOwn, thresholds, suggestionReaches(library, thresholds).held, SUGGESTION_SPREAD_FACTOR);
  if (!alike(face, nearest.distance, hits)) return null;
  return { faceId: face.id, personId: person.id, name: person.name!, distance: nearest.distance, nearestFaceId: nearest.faceId };
}

function nearestOf(library: PeopleLibrary, vector: Float32Array, faces: readonly FaceRecord[]): { faceId: string; distance: number } {
  let best = { faceId: faces[0].id, distance: Infinity };
  for (const f of faces) {
    // 1 - cos can come out a hair below zero for a face and itself.
    const distance = Math.max(0, cosineDistanceOf(vector, library.embeddingOf(f)));
    if (distance < best.distance) best = { faceId: f.id, distance };
  }
  return best;
}

// The items of "Who is this?" that ask "Is this <Name>?": every unnamed group a named person is likely to be
// (group-candidates.ts) and every loose face (face-candidates.ts), nearest first. The screen asks about them before
// the groups and faces nobody named is likely to be: QA, after naming everyone in a 674-photo album, had 126 items
// left, about 117 of them strangers in party photos, and two faces of Barack Obama at 0.010 came 82nd and 84th, behind
// every unnamed group and every clear face (docs/clustering.md, "Who is this? asks about likely people first").
import type { FaceRecord } from '../store/types.js';
import { withoutCopyFaces } from './copy-faces.js';
import { looseFaceNeighbourhood, NEIGHBOURS, type FaceCandidateView } from './face-candidates.js';
import { eachGroupCandidate, namedFacesIndexInSteps, toEnd, type GroupCandidateView } from './group-candidates.js';
import { facesByPerson, isPinnedUnknown, type PeopleLibrary } from './library.js';

export interface LikelyQuestions {
  /** Unnamed groups and whom each may be, nearest first (as unknown.maybe asks about one). */
  groups: GroupCandidateView[];
  /** Faces in no group and whom each may be, nearest first (as unknown.faceMaybe asks about one). */
  faces: FaceCandidateView[];
}

/** Measurement only (scripts/bench-cluster.ts, section 8). */
export interface LikelyOptions {
  /** false: the rule before: the groups' scan and the loose faces' each build the named faces' index. */
  oneIndex?: boolean;
}

/** Every likely question, scanned at once (tests, measurements). */
export function likelyQuestions(library: PeopleLibrary, options: LikelyOptions = {}): LikelyQuestions {
  return toEnd(scanForLikely(library, options));
}

/**
 * The same, scanned in slices of about `sliceMs` with the event loop let through between them: up to 16 index searches
 * a group and one a face add up to seconds in a large library, and the API worker must keep answering meanwhile.
 */
export async function likelyQuestionsInSlices(library: PeopleLibrary, sliceMs = 25): Promise<LikelyQuestions> {
  const scan = scanForLikely(library);
  let sliceStart = performance.now();
  for (let step = scan.next(); ; step = scan.next()) {
    if (step.done) return step.value;
    if (performance.now() - sliceStart > sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/**
 * The questions of an earlier scan that still stand (the library may have changed during it): the group is still
 * unnamed and shown, the face still in no group and asked about, the person still named and not ruled out for it.
 */
export function stillLikely(library: PeopleLibrary, found: LikelyQuestions): LikelyQuestions {
  const shown = new Map(library.people.people.filter((p) => !p.hidden).map((p) => [p.id, p.name !== null]));
  const open = (f: FaceRecord | undefined, personId: string) => f !== undefined && f.personId === null && !isPinnedUnknown(f) && !f.rejectedPersonIds.includes(personId);
  return {
    groups: found.groups.filter((g) => shown.get(g.groupId) === false && shown.get(g.personId) === true),
    faces: found.faces.filter((c) => open(library.face(c.faceId), c.personId) && shown.get(c.personId) === true),
  };
}

/**
 * Yields once a group or face was looked at, and returns the questions found. The named faces get one index of their
 * own for the groups and the loose faces both (the scan is made once a library revision): built for each, it took
 * 4.7 s of the scan's 15.5 s at 100,000 faces with 300 people named (docs/clustering.md).
 */
function* scanForLikely(library: PeopleLibrary, options: LikelyOptions = {}): Generator<void, LikelyQuestions> {
  const shown = library.people.people.some((p) => p.name !== null && !p.hidden);
  const oneIndex = options.oneIndex !== false;
  const namedFaces = shown && oneIndex ? yield* namedFacesIndexInSteps(library) : undefined;
  const groups: GroupCandidateView[] = [];
  for (const candidate of eachGroupCandidate(library, {}, namedFaces)) {
    if (candidate) groups.push(candidate);
    yield;
  }
  const faces: FaceCandidateView[] = [];
  // As 'unknown.queue': a copy's face is asked about once, as its original's.
  const loose = withoutCopyFaces(library, library.faces).filter((f) => f.personId === null && !isPinnedUnknown(f));
  if (loose.length > 0 && shown) {
    const index = oneIndex ? namedFaces : yield* namedFacesIndexInSteps(library);
    const search = index && ((vector: Float32Array) => index.search(vector, NEIGHBOURS));
    const byPerson = facesByPerson(library.faces);
    for (const face of loose) {
      const { candidate } = looseFaceNeighbourhood(library, face.id, { search, byPerson });
      if (candidate) faces.push(candidate);
      yield;
    }
  }
  return {
    groups: groups.sort((a, b) => a.distance - b.distance || a.groupId.localeCompare(b.groupId)),
    faces: faces.sort((a, b) => a.distance - b.distance || a.faceId.localeCompare(b.faceId)),
  };
}

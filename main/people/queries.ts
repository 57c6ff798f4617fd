// Read-only questions over the library: the people list, a person's suggestions queue, who is in a photo, are two
// faces the same person, and which photos hold several people.
import { sameGroupDistance } from '../../models/cluster/methods.js';
import { evenlySampled } from '../../models/cluster/random.js';
import { cosineDistanceOf, vectorSetFromRows } from '../../models/cluster/vectors.js';
import { unbornIn } from './before-birth.js';
import { originalFaceOf, withoutCopyFaces } from './copy-faces.js';
import { spreadOf } from './group-admission.js';
import { farthestGroupReach, groupsAskedAs } from './group-candidates.js';
import { movesTakenBack } from './moved-away.js';
import type { SearchHit } from '../store/library.js';
import type { FaceRecord, PersonRecord } from '../store/types.js';
import { facesByPerson, isComparable, isForReview, isLeftToUser, isPinnedUnknown, isShownFace, PeopleError, someoneElseIn, resolveFace, resolvePerson, unrecognisable, type PeopleLibrary } from './library.js';
import { calibratedSameDistance, questionThresholds, thresholdsFor } from './thresholds.js';
import type { AmbiguousCandidateView, AmbiguousFaceView, PeopleThresholds, PersonView, SameView, SuggestionView, WhoCandidateView, WhoFaceView } from './types.js';

/**
 * People and unnamed groups with their faces, largest first (hidden ones only when asked). A person left with no face
 * (every one moved to someone else, or its photos removed) is kept, with the faces rejected for them, so naming a face
 * after them again finds the same person; but it is listed only when asked for.
 */
export function listPeople(library: PeopleLibrary, options: { includeHidden?: boolean; includeEmpty?: boolean } = {}): PersonView[] {
  const byPerson = facesByPerson(withoutCopyFaces(library, library.faces));
  return library.people.people
    .filter((p) => options.includeHidden || !p.hidden)
    .filter((p) => options.includeEmpty || byPerson.has(p.id))
    .map((p) => personViewOf(library, p, byPerson.get(p.id) ?? []))
    .sort((a, b) => b.faceCount - a.faceCount || (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') || a.id.localeCompare(b.id));
}

/**
 * The faces in no person or group, counted as People counts faces (a resized copy's once): `unknown`, those "Who is
 * this?" asks about, of them `tooSmall` too small or unclear to group; and `setAside`, the ones the user said not to ask
 * about. `familiar people` and `familiar recluster` say them in the same words.
 */
export function facesInNoGroup(library: PeopleLibrary): { unknown: number; tooSmall: number; setAside: number } {
  const faces = withoutCopyFaces(library, library.faces);
  const unknown = faces.filter((f) => f.personId === null && !isPinnedUnknown(f));
  return {
    unknown: unknown.length,
    tooSmall: unknown.filter((f) => unrecognisable(f, library.photo(f.photoId)) !== null).length,
    setAside: faces.filter((f) => isPinnedUnknown(f) && isShownFace(f)).length,
  };
}

/**
 * One person as listPeople lists them, from their faces (for a caller that has them: one person, not the list). A
 * copy's face is the original's sighting again (originalFaceOf): counted, shown and pictured once.
 */
export function personViewOf(library: PeopleLibrary, p: PersonRecord, ofPerson: readonly FaceRecord[]): PersonView {
  const faces = withoutCopyFaces(library, ofPerson);
  return {
    id: p.id,
    name: p.name,
    hidden: p.hidden,
    coverFaceId: pictureOf(library, p, faces),
    faceCount: faces.length,
    photoCount: new Set(faces.map((f) => f.photoId)).size,
    confirmedCount: faces.filter((f) => f.assignedBy === 'user').length,
    faceIds: faces.map((f) => f.id),
    ...(p.birthday !== undefined ? { birthday: p.birthday } : {}),
  };
}

/**
 * How many photos show faces of two or more of these people. One person is in a photo only once, so a merge of people
 * who appear together is likely a mistake (siblings): the app and the CLI say so before or as they merge.
 */
export function photosTogether(library: PeopleLibrary, personRefs: readonly string[]): number {
  const ids = new Set(personRefs.map((ref) => resolvePerson(library.people.people, ref).id));
  const peopleIn = new Map<string, Set<string>>();
  // A resized copy of a photo is the same photo again: its faces are its original's (withoutCopyFaces).
  for (const f of withoutCopyFaces(library, library.faces)) {
    if (f.personId === null || !ids.has(f.personId)) continue;
    const inPhoto = peopleIn.get(f.photoId) ?? new Set<string>();
    inPhoto.add(f.personId);
    peopleIn.set(f.photoId, inPhoto);
  }
  return [...peopleIn.values()].filter((inPhoto) => inPhoto.size >= 2).length;
}

/**
 * A person's picture: the one rule every screen and view shows a person or group by (People card, their page, "Who is
 * this?", "Which one?", the merge and same-name dialogs, the Photos filter). The cover the user chose while it is one
 * of their faces, else coverOf's choice among `faces` (all of theirs). Screens showed one person by different faces (the
 * face nearest the one asked about, a group's first face), and users took them for different people (QA).
 */
export function pictureOf(library: Pick<PeopleLibrary, 'embeddingOf' | 'photo'>, person: PersonRecord, faces: readonly FaceRecord[]): string | null {
  if (person.coverFaceId !== null && faces.some((f) => f.id === person.coverFaceId)) return person.coverFaceId;
  return coverOf(faces, library);
}

/** pictureOf a person by id, their faces read from the library; null for nobody. */
export function pictureOfPerson(library: PeopleLibrary, personId: string): string | null {
  const person = library.people.people.find((p) => p.id === personId);
  return person ? pictureOf(library, person, library.faces.filter((f) => f.personId === person.id)) : null;
}

/** How many of a group's faces its centre is taken from, and how many of its most confident faces may be the cover. */
const COVER_SAMPLE = 256;
const COVER_CANDIDATES = 32;

/**
 * How far the nose tip may sit from the middle of the jaw's width (0: straight at the camera, 0.5: a profile) for a face
 * to count as frontal. On QA's George W Bush faces (lfw) the frontal ones measure 0.00-0.16, a head turned away 0.35.
 */
const FRONTAL_TURN = 0.2;

/** A cover is at least this share of the largest clear face's size: a small face in a crowd shows a blur on a card. */
const COVER_MIN_SIZE_SHARE = 0.5;

/**
 * How far a face is turned from the camera, from its 68 landmarks: the nose tip's offset from the middle of the jaw,
 * as a share of the jaw's width (0 frontal, about 0.5 a profile); null without landmarks.
 */
export function headTurn(landmarks: readonly number[]): number | null {
  if (landmarks.length !== 136) return null;
  const [left, right, nose] = [landmarks[0], landmarks[32], landmarks[60]]; // x of points 0, 16 and 30
  const width = right - left;
  return width > 0 ? Math.abs((nose - left) / width - 0.5) : null;
}

/**
 * Whether a face may be a person's picture: whole (not cut by the photo's edge), large and clear enough to recognise
 * (unrecognisable), not doubted as a face, not a box the user drew where the detector found none, and turned to the
 * camera. A face the user would pick, as Apple Photos and Google Photos show a clear frontal face.
 */
function isClearFace(library: Pick<PeopleLibrary, 'photo'>, f: FaceRecord): boolean {
  const turn = headTurn(f.landmarks);
  return turn !== null && turn <= FRONTAL_TURN && !f.undetected && !isForReview(f) && unrecognisable(f, library.photo(f.photoId)) === null;
}

/**
 * Cover when the user chose none: of the faces the user confirmed (all the faces when none is), the clear ones
 * (isClearFace; when none is, all of them), at least half as large as the largest, and of those the face most like the
 * person as a whole among its most confident detections. The most confident confirmed face was a face cut in half at
 * a photo's edge (QA: George W Bush's detection at 0.89 beside Bill Simon, among ten frontal portraits); the most
 * confident alone was sometimes a stranger the group had taken in, and users name a group by its cover (QA).
 */
export function coverOf(faces: readonly FaceRecord[], library?: Pick<PeopleLibrary, 'embeddingOf' | 'photo'>): string | null {
  if (faces.length === 0) return null;
  const confirmed = faces.filter((f) => f.assignedBy === 'user');
  const pool = confirmed.length > 0 ? confirmed : faces;
  const mostConfident = (list: readonly FaceRecord[]) => [...list].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  if (!library) return mostConfident(pool)[0].id;
  const clear = pool.filter((f) => isClearFace(library, f));
  const shown = clear.length > 0 ? clear : pool;
  const sideOf = (f: FaceRecord) => f.analysedSide ?? Math.min(f.box[2], f.box[3]);
  const largest = Math.max(...shown.map(sideOf));
  const candidates = mostConfident(shown.filter((f) => sideOf(f) >= largest * COVER_MIN_SIZE_SHARE)).slice(0, COVER_CANDIDATES);
  if (candidates.length === 1 || pool.length < 3) return candidates[0].id;
  const sample = evenlySampled(pool, COVER_SAMPLE);
  const centre = new Float64Array(library.embeddingOf(sample[0]).length);
  for (const face of sample) {
    const vector = library.embeddingOf(face);
    for (let k = 0; k < centre.length; k++) centre[k] += vector[k];
  }
  let best = candidates[0];
  let bestDistance = Infinity;
  for (const face of candidates) {
    const distance = cosineDistanceOf(library.embeddingOf(face), centre);
    if (distance < bestDistance) [best, bestDistance] = [face, distance];
  }
  return best.id;
}

/**
 * Faces that the queue may offer: not placed by the user (with someone, or as nobody to ask about: "ignore", a deleted
 * person's faces), not rejected for this person, not a likely non-face, nor a box kept as drawn (isComparable: how near
 * it lies says nothing). `askedAgain`: faces whose mark against the person may be asked about again (movedBackCandidates).
 */
export function isCandidate(face: FaceRecord, personId: string, askedAgain?: ReadonlySet<string>): boolean {
  return face.assignedBy !== 'user' && !isForReview(face) && isComparable(face) && (!face.rejectedPersonIds.includes(personId) || askedAgain?.has(face.id) === true);
}

/**
 * Of the faces marked not `personId`, those whose mark only a mistaken move made (moved-away.ts movesTakenBack: moved
 * away from them to someone the user then said the face is not): the user never said "not them", so their suggestions
 * may ask about the face again, once; a No then is said in words, and the face never comes back.
 */
function movedBackCandidates(library: PeopleLibrary, personId: string): Set<string> {
  const marked = library.faces.filter((f) => f.assignedBy !== 'user' && f.rejectedPersonIds.includes(personId));
  if (marked.length === 0) return new Set();
  return new Set([...movesTakenBack(library, marked)].flatMap(([faceId, from]) => (from.includes(personId) ? [faceId] : [])));
}

/**
 * How far a person's suggestions queue reaches: the suggestion distance, but never past the same-person distance
 * (the threshold Settings shows): a face farther from every face of the person than that is judged someone else.
 * On a 1,680-photo import of lfw_subset, the suggestion distance alone (0.12) offered a median of 407 faces per
 * group besides its own, 82 of 63,679 of them its person; within the same-person distance (0.087) a median of 54,
 * with 78 of the 82.
 */
export function suggestionReach(thresholds: Pick<PeopleThresholds, 'suggestDistance' | 'sameDistance'>): number {
  return Math.min(thresholds.suggestDistance, thresholds.sameDistance);
}

/** How many of a person's faces the queue searches from (evenly sampled): bounds the work for big people. */
export const MAX_ANCHORS = 64;

/**
 * A person's suggestions queue: candidate faces ranked by distance to the nearest of the person's confirmed faces
 * (all its faces if none is confirmed yet, and then faces outside it only), within `suggestionReach`. Faces the user
 * placed anywhere, faces rejected for this person, and faces in a photo where the user already confirmed this person
 * (one person appears once in a photo: the other face there is someone else) never appear; of one photo's faces, only
 * the nearest is offered (a group photo of strangers would otherwise fill the queue with its faces), and in a photo
 * where the user rejected a face for this person, only a face that clearly looks like them.
 */
export function suggestionsFor(library: PeopleLibrary, personRef: string, limit = 50, options: SuggestionOptions = {}): SuggestionView[] {
  const person = resolvePerson(library.people.people, personRef);
  // A stricter Settings value does not narrow the queue: what it leaves apart is the user's to decide.
  const thresholds = options.narrowedBySettings ? thresholdsFor(library.info, library.settings) : questionThresholds(library);
  const reach = suggestionReach(thresholds);
  const own = library.faces.filter((f) => f.personId === person.id);
  const confirmed = own.filter((f) => f.assignedBy === 'user');
  // Never searched from: a box kept as the user drew it where the detector found no face (isComparable). It is
  // theirs, but its vector may be of pixels no net can read, and the faces near it anyone's.
  const [sureConfirmed, sureOwn] = [confirmed, own].map((faces) => faces.filter(isComparable));
  const anchors = sureConfirmed.length > 0 ? sureConfirmed : sureOwn;
  // A group nobody confirmed is its faces: asking whether they are the group would ask about each at distance 0.
  const anchoredOnOwn = sureConfirmed.length === 0;
  if (anchors.length === 0) return [];
  const confirmedPhotos = new Set(confirmed.map((f) => f.photoId));
  // A photo where the user said "not them" of a face: the face that looked most like them there was someone else, so
  // its other faces are offered only when they clearly look like them (placement's distance). QA: saying No to four
  // strangers of one group photo in turn brought up its fifth, and the queue never shrank.
  const askedAgain = movedBackCandidates(library, person.id);
  const rejectedPhotos = new Set(library.faces.filter((f) => f.rejectedPersonIds.includes(person.id) && !askedAgain.has(f.id)).map((f) => f.photoId));
  const clearly = thresholds.placeDistance;
  const sampled = evenlySampled(anchors, MAX_ANCHORS);
  const best = new Map<string, number>();
  const k = Math.min(200, Math.max(limit * 2, 40));
  const offered = (f: FaceRecord) => !options.cannotBe?.(f) && isCandidate(f, person.id, askedAgain) && originalFaceOf(library, f) === undefined && !confirmedPhotos.has(f.photoId) && (!anchoredOnOwn || f.personId !== person.id);
  for (const anchor of sampled) {
    for (const hit of library.search(library.embeddingOf(anchor), k, offered)) {
      if (hit.distance > reach) break;
      // 1 - cos can come out a hair below zero for a face and itself.
      const distance = Math.max(0, hit.distance);
      const d = best.get(hit.faceId);
      if (d === undefined || distance < d) best.set(hit.faceId, distance);
    }
  }
  // How near a face must be depends on where it is. The person's own unconfirmed faces: the whole reach (confirming
  // them is the queue's main work). A face no group took: halfway between placement's distance and the reach. A face
  // another group holds is nearer its own group than the clustering's cut, so only one that clearly looks like this
  // person is worth a question. On lfw_subset, clustered, with a third of the groups named, the queue offered 30 faces
  // a person of which 1.5 % were theirs; these reaches offer about 1 a person, a third of them theirs, and still
  // find most faces of the person that a group of strangers or no group holds (docs/clustering.md).
  // A looser same-person distance in Settings moves them along with the reach (a stricter one does not narrow them).
  const { loose: looseReach, held: heldReach } = suggestionReaches(library, thresholds);
  // An unnamed group "Is this <Name>?" asks about as them is offered as a second group of theirs: its faces within the
  // whole reach, as their own (QA: Anna Kournikova's other group was asked about, and her Suggestions said no face looked
  // like her). Only groups with a face as near as such a group's can be (farthestGroupReach) are looked at.
  const groupReach = farthestGroupReach(library);
  const nearGroups = [...best].flatMap(([faceId, distance]) => {
    const holder = library.face(faceId)!.personId;
    return holder !== null && holder !== person.id && distance <= groupReach ? [holder] : [];
  });
  const theirGroups = options.groupsAskedAs === false ? new Set<string>() : groupsAskedAs(library, person.id, nearGroups);
  const asTheirs = (face: FaceRecord) => face.personId === person.id || (face.personId !== null && theirGroups.has(face.personId));
  const reachFor = (face: FaceRecord) => (asTheirs(face) ? reach : face.personId === null ? looseReach : heldReach);
  const alike = options.alikeOnly === false ? () => true : alikeJudge(library, person.id, sampled, sureOwn, thresholds, heldReach, options.spreadFactor ?? SUGGESTION_SPREAD_FACTOR);
  const photosOffered = new Set<string>();
  return [...best]
    .map(([faceId, distance]) => ({ face: library.face(faceId)!, distance }))
    .filter(({ face, distance }) => distance <= reachFor(face))
    // Judged after the reach (a few faces each): the person's own faces are theirs to confirm.
    .filter(({ face, distance }) => asTheirs(face) || alike(face, distance))
    .map(({ face, distance }) => ({ faceId: face.id, photoId: face.photoId, distance, currentPersonId: face.personId }))
    .sort((a, b) => a.distance - b.distance || a.faceId.localeCompare(b.faceId))
    .filter((s) => {
      if (photosOffered.has(s.photoId)) return false;
      if (rejectedPhotos.has(s.photoId) && s.distance > clearly) return false;
      photosOffered.add(s.photoId);
      return true;
    })
    .slice(0, limit);
}

/**
 * How near a face must be to a person's face to be suggested, by where it is (see suggestionsFor): `own`, one of the
 * person's own faces; `loose`, a face in no group; `held`, a face another group holds.
 */
export function suggestionReaches(library: PeopleLibrary, thresholds = questionThresholds(library)): { own: number; loose: number; held: number } {
  const reach = suggestionReach(thresholds);
  const calibrated = { ...thresholds, sameDistance: calibratedSameDistance(library) };
  const scale = reach / suggestionReach(calibrated);
  return { own: reach, loose: Math.min(reach, ((thresholds.placeDistance + calibrated.sameDistance) / 2) * scale), held: Math.min(reach, thresholds.placeDistance * scale) };
}

/** cannotBe: the app's and the CLI's (a birthday). The rest: measurement only (scripts/bench-review.ts). */
export interface SuggestionOptions {
  /**
   * Faces never offered: those in photos taken before the person's birthday (main/api/photo-dates.ts
   * takenBeforeBirth), which cannot be them however alike (an older sibling's baby photos).
   */
  cannotBe?: (face: FaceRecord) => boolean;
  /** false: the rule before: every face within the reach of where it is (alikeJudge off). */
  alikeOnly?: boolean;
  /** Overrides SUGGESTION_SPREAD_FACTOR. */
  spreadFactor?: number;
  /** true: the rule before: the reaches shrink with a stricter same-person distance in Settings too. */
  narrowedBySettings?: boolean;
  /** false: the rule before: a group "Is this <Name>?" asks about as the person is held to the reach of other groups. */
  groupsAskedAs?: boolean;
}

/**
 * A face outside the person's own group may lie, on average, this many times the spread of the person's confirmed
 * faces from them (the spread: the median of their mean distances to each other, as group admission measures a group).
 * Tighter than group admission's 2: a group keeps a face the clustering already chained to it, while a suggestion
 * picks a face out of everything nearby, and each wrong one costs the user a No. Measured in docs/clustering.md
 * ("A suggestion must be like the person"): at 1.5 more of the person's own faces are lost, at 2 more strangers
 * are offered.
 */
export const SUGGESTION_SPREAD_FACTOR = 1.7;

/** The fewest faces a spread is measured from (as group admission's). */
const SPREAD_FROM = 3;

/**
 * Whether a face outside the person's own group is like the person enough to offer, beyond being near one of their
 * faces: within the reach of where it is, the nearest face of a person is found for most strangers (QA: "I said No
 * to fifty suggestions, and they keep coming"). Three tests, each a way a stranger lies near a person's face:
 * - like the person as a whole: its mean distance to their confirmed faces (sampled) within SUGGESTION_SPREAD_FACTOR
 *   times their spread, and never beyond the clustering's own distance (with fewer than 3 confirmed, nothing to go by);
 * - nearer this person than any other named one (their nearest face): a face nearer someone else is theirs to offer,
 *   or "Which one?"'s to ask;
 * - in another group: the group as a whole passes too. More than half of it lies within the face's own reach
 *   (placement's distance) of the person's nearest face, and its faces' mean distance to the confirmed faces is
 *   within the same share of their spread. A person's second group does; a lookalike's group, its nearest faces as
 *   near the person as a face of theirs, lies 1.8-2 spreads away as a whole.
 */
export function alikeJudge(
  library: PeopleLibrary,
  personId: string,
  anchors: readonly FaceRecord[],
  own: readonly FaceRecord[],
  thresholds: PeopleThresholds,
  groupReach: number,
  spreadFactor: number,
): (face: FaceRecord, distance: number, nearestNamed?: readonly SearchHit[]) => boolean {
  const anchorVectors = anchors.map((f) => library.embeddingOf(f));
  const spread = spreadOfFaces(anchorVectors);
  const farthest = spread === null ? Infinity : Math.min(sameGroupDistance(thresholds.cluster) ?? thresholds.sameDistance, spreadFactor * spread);
  const named = new Set(library.people.people.filter((p) => p.name !== null && p.id !== personId).map((p) => p.id));
  let personVectors: Float32Array[] | undefined;
  let groups: Map<string, FaceRecord[]> | undefined;
  const groupNear = new Map<string, boolean>();
  return (face, distance, nearestNamed) => {
    const vector = library.embeddingOf(face);
    if (meanDistance(vector, anchorVectors) > farthest) return false;
    if (nearerSomeoneElse(library, face, vector, distance, named, nearestNamed)) return false;
    if (face.personId === null) return true;
    let near = groupNear.get(face.personId);
    if (near === undefined) {
      groups ??= facesByPerson(library.faces);
      personVectors ??= evenlySampled(own.length > 0 ? own : anchors, MAX_ANCHORS).map((f) => library.embeddingOf(f));
      const sample = evenlySampled(groups.get(face.personId) ?? [face], GROUP_SAMPLE);
      near = groupDistance(library, sample, personVectors) <= groupReach && meanOf(sample.map((f) => meanDistance(library.embeddingOf(f), anchorVectors))) <= farthest;
      groupNear.set(face.personId, near);
    }
    return near;
  };
}

/** The spread of the faces (group admission's measure), or null with fewer than SPREAD_FROM. */
function spreadOfFaces(vectors: Float32Array[]): number | null {
  if (vectors.length < SPREAD_FROM) return null;
  return spreadOf(vectorSetFromRows(vectors), vectors.map((_, i) => i));
}

function meanDistance(vector: Float32Array, others: readonly Float32Array[]): number {
  let sum = 0;
  for (const other of others) sum += cosineDistanceOf(vector, other);
  return sum / others.length;
}

const meanOf = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Whether a named person other than the one asked about (not rejected for the face) has a face nearer it. `hits`: the
 * face's nearest faces, nearest first, when the caller has searched already (the named faces' will do).
 */
function nearerSomeoneElse(library: PeopleLibrary, face: FaceRecord, vector: Float32Array, distance: number, named: ReadonlySet<string>, hits?: readonly SearchHit[]): boolean {
  // Unfiltered search, filtered here: a filter callback per visited node makes hnswlib crawl when few pass.
  for (const hit of hits ?? library.search(vector, AMBIGUITY_NEIGHBOURS)) {
    if (hit.distance >= distance) return false;
    const other = library.face(hit.faceId);
    if (!other || other.photoId === face.photoId || other.personId === null || !isComparable(other)) continue;
    if (named.has(other.personId) && !face.rejectedPersonIds.includes(other.personId)) return true;
  }
  return false;
}

/** Faces of a group compared with a person (evenly sampled beyond), as "Is this X?" about a group samples them. */
const GROUP_SAMPLE = 16;

/**
 * How far a group lies from a person: the median of its faces' (a sample's) distances to the person's nearest face,
 * the upper one of an even count: more than half the group must look like the person.
 */
function groupDistance(library: PeopleLibrary, faces: readonly FaceRecord[], personVectors: readonly Float32Array[]): number {
  const distances = faces
    .map((f) => {
      const vector = library.embeddingOf(f);
      let nearest = Infinity;
      for (const other of personVectors) nearest = Math.min(nearest, cosineDistanceOf(vector, other));
      return nearest;
    })
    .sort((a, b) => a - b);
  return distances[distances.length >> 1];
}

/** Neighbours searched per face for its two nearest named people (as placement does). */
const AMBIGUITY_NEIGHBOURS = 40;

/** A face is in doubt while its two nearest named people are closer together than this many placement margins. */
const DOUBT_MARGINS = 2;

/**
 * Faces (confirmed, or placed with them) that make a person known well enough to say a face beyond the reach below is
 * not them. With one or two, a face that far may still be them in a pose or at an age not seen yet (on bench:review,
 * where each person starts from one photo, dropping faces beyond the same-person distance left 8 and 4 errors instead
 * of 6 and 0), provided it has company (COMPANY_FACES), as their other photos not grouped yet do. A face alone, near
 * nobody but the two, is most likely someone photographed once: on that benchmark 266 of the 807 questions before any
 * answer were about the 100 one-photo strangers (docs/clustering.md). Three is the smallest group, and "least alike
 * first" compares a face with 3 confirmed faces.
 */
export const KNOWN_PERSON_FACES = 3;

/**
 * Company: this many other faces (of other photos) within placement's distance and one margin of a face, enough to
 * make a group with it. With company required, 29 of 559 questions were about strangers, and two answers a person
 * left 4 errors where asking about faces alone too left 0 but spent 215 more answers on "Neither" (the errors left:
 * chiefly one odd photo, 0.084 from every other face). One face within placement's distance left 6.
 */
const COMPANY_FACES = 2;

/** Measurement only (scripts/bench-review.ts). */
export interface AmbiguityOptions {
  /**
   * false: the rule before the reach: a face no named person holds waited under "Who is this?" only when farther than
   * the same-person distance from two people with KNOWN_PERSON_FACES confirmed faces each.
   */
  strangerReach?: boolean;
  /** Overrides the reach (placement's distance and DOUBT_MARGINS placement margins). */
  reach?: number;
  /** false: the rule before: a face beyond the reach of a person known by fewer than KNOWN_PERSON_FACES was asked about, alone or not. */
  companyNeeded?: boolean;
  /** false: the rule before: a face with a face of an unnamed group a placement margin nearer than either person was asked about too. */
  unnamedGroupFirst?: boolean;
  /** false: the rule before: a face alone past placement's distance and a margin, an unnamed group nearer it than the runner-up, was asked about too. */
  unnamedGroupBetween?: boolean;
  /** false: the rule before: a face alone past placement's distance and a margin was asked about with fewer of the runner-up's faces near it than the nearer's. */
  runnerUpNear?: boolean;
}

/**
 * "Is this A or B?": faces the user has not placed whose two nearest named people are both within the suggestion
 * distance and less than two placement margins apart, smallest margin first. These are the faces clustering is
 * least sure of, where siblings get mixed up; on lfw_subset they hold almost all identification errors
 * (docs/clustering.md, `npm run bench:review`). People a face was rejected from are never offered for it, and a face
 * rejected from two named people is not asked about again. A face in no named person that lies beyond the reach of
 * two people known by a few faces (placement's distance and DOUBT_MARGINS margins, in a group of its own or not)
 * is most likely someone not named: it waits under "Who is this?" instead, as does one within it that an unnamed group
 * or the nearer person's own faces claim (scanForDoubt). A face farther than the same-person
 * distance from both that is still asked about (one of them barely known, or the face placed with someone) is marked
 * `closeToNeither`: the question is "A, B or someone else?". A face placed with a named person is asked about with
 * that person and the nearest other, since the answer is to confirm or correct the placement.
 */
export function ambiguousFaces(library: PeopleLibrary, limit = Infinity, options: AmbiguityOptions = {}): AmbiguousFaceView[] {
  const out: AmbiguousFaceView[] = [];
  for (const question of scanForDoubt(library, options)) if (question) out.push(question);
  return byMargin(out, questionThresholds(library).sameDistance).slice(0, limit);
}

/**
 * The same list, scanned in slices of about `sliceMs` with the event loop let through between them: one index
 * search per face adds up to seconds on a large library, and the API worker must keep answering meanwhile.
 */
export async function ambiguousFacesInSlices(library: PeopleLibrary, sliceMs = 25): Promise<AmbiguousFaceView[]> {
  const out: AmbiguousFaceView[] = [];
  let sliceStart = performance.now();
  for (const question of scanForDoubt(library)) {
    if (question) out.push(question);
    if (performance.now() - sliceStart > sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return byMargin(out, questionThresholds(library).sameDistance);
}

/**
 * The questions of an earlier scan that still stand: the face is still there and not placed by the user, and both
 * people are still named, shown, and not rejected for it.
 */
export function stillOpen(library: PeopleLibrary, questions: AmbiguousFaceView[]): AmbiguousFaceView[] {
  const named = new Set(library.people.people.filter((p) => p.name !== null && !p.hidden).map((p) => p.id));
  return questions.filter((q) => {
    const face = library.face(q.faceId);
    return face !== undefined && face.assignedBy !== 'user' && q.candidates.every((c) => named.has(c.personId) && !face.rejectedPersonIds.includes(c.personId));
  });
}

/**
 * Faces clustering placed with someone first: their answer confirms or corrects a placement either way. No group took
 * a loose face, and in a library where most people have no name yet, loose faces near two named people are mostly
 * strangers (on clustered lfw_subset with a third of the groups named: 92-94 of 95-97 questions were about loose
 * faces, 1 of them either person). Then least sure first, but a face far from both people (beyond the
 * same-person distance of the nearer) goes after the faces that really lie between them: a stranger equally far from
 * two named people has a tiny margin and used to lead the queue (QA: "Is this Venus Williams or Halle Berry?" about
 * a young man).
 */
const byMargin = (questions: AmbiguousFaceView[], sameDistance: number) => {
  const loose = (q: AmbiguousFaceView) => (q.currentPersonId === null ? 1 : 0);
  const priority = (q: AmbiguousFaceView) => q.margin + Math.max(0, q.candidates[0].distance - sameDistance);
  return questions.sort((a, b) => loose(a) - loose(b) || priority(a) - priority(b) || a.faceId.localeCompare(b.faceId));
};

/** Each person's confirmed faces (boxes kept as drawn aside: isComparable), a sample of them for people with many. */
function confirmedFacesByPerson(faces: readonly FaceRecord[]): Map<string, FaceRecord[]> {
  const out = new Map<string, FaceRecord[]>();
  for (const f of faces) {
    if (f.personId === null || f.assignedBy !== 'user' || !isComparable(f)) continue;
    const list = out.get(f.personId);
    if (list) list.push(f);
    else out.set(f.personId, [f]);
  }
  for (const [id, list] of out) if (list.length > MAX_ANCHORS) out.set(id, evenlySampled(list, MAX_ANCHORS));
  return out;
}

/** The face of `faces` nearest `face`, or undefined when there are none. */
function nearestOf(library: PeopleLibrary, face: FaceRecord, faces: readonly FaceRecord[] | undefined): string | undefined {
  if (!faces?.length) return undefined;
  const vector = library.embeddingOf(face);
  let best: FaceRecord | undefined;
  let bestDistance = Infinity;
  for (const other of faces) {
    const distance = cosineDistanceOf(vector, library.embeddingOf(other));
    if (distance < bestDistance) [best, bestDistance] = [other, distance];
  }
  return best?.id;
}

/** Walks a snapshot of the faces, yielding each face in doubt, or null for one that is not (a place to pause). */
function* scanForDoubt(library: PeopleLibrary, options: AmbiguityOptions = {}): Generator<AmbiguousFaceView | null> {
  const thresholds = questionThresholds(library);
  const { suggestDistance, placeDistance, placeMargin, sameDistance } = thresholds;
  // As a person's suggestions scale their reaches: a looser same-person distance in Settings moves them too (a
  // stricter one does not narrow them, questionThresholds).
  const scale = suggestionReach(thresholds) / suggestionReach({ ...thresholds, sameDistance: calibratedSameDistance(library) });
  const doubt = placeMargin * DOUBT_MARGINS;
  const reach = options.reach ?? Math.min(suggestDistance, (placeDistance + doubt) * scale);
  const strangerReach = options.strangerReach ?? true;
  const companyNeeded = options.companyNeeded ?? true;
  const companyDistance = (placeDistance + placeMargin) * scale;
  const unnamedGroupFirst = options.unnamedGroupFirst ?? true;
  const unnamedGroupBetween = options.unnamedGroupBetween ?? true;
  const runnerUpNear = options.runnerUpNear ?? true;
  let facesOfPerson: Map<string, number> | undefined;
  let facesOfHolder: Map<string, FaceRecord[]> | undefined;
  const named = new Map<string, PersonRecord>(library.people.people.filter((p) => p.name !== null && !p.hidden).map((p) => [p.id, p]));
  if (named.size < 2) return;
  const unnamed = new Set(library.people.people.filter((p) => p.name === null).map((p) => p.id));
  let confirmedByPerson: Map<string, FaceRecord[]> | undefined;
  const unborn = unbornIn(library);
  for (const face of [...library.faces]) {
    // A face too small or cut off to recognise is no question worth asking: the answer helps no other face.
    if (face.assignedBy === 'user' || isLeftToUser(library, face)) {
      yield null;
      continue;
    }
    // The user said it is neither of two named people ("Neither", or two "No"s): most likely someone not named yet,
    // whom "Who is this?" asks about. Asking it again with the next two names wasted answers (QA: one stranger, asked
    // about eleven times over).
    if (face.rejectedPersonIds.filter((id) => named.has(id)).length >= 2) {
      yield null;
      continue;
    }
    // A face in no group that the user took from a named person ("Not X", or left out of a name) is someone they know
    // it is not: it waits under "Who is this?" for its own name (QA: a face left out of Andre Agassi came back as
    // "Pete Sampras or Tom Hanks?"). A face still placed with someone is asked about: the answer corrects a placement.
    if (face.personId === null && face.rejectedPersonIds.some((id) => named.has(id))) {
      yield null;
      continue;
    }
    const nearest: AmbiguousCandidateView[] = [];
    // Someone the user already placed in this photo is not this face (one person appears once in a photo).
    const inPhoto = photoPeopleByUser(library, face);
    // Nor is anyone born after the photo was taken (before-birth.ts).
    const cannotBe = unborn(face);
    const offered = (personId: string) => named.has(personId) && !face.rejectedPersonIds.includes(personId) && !inPhoto.has(personId) && !cannotBe.includes(personId);
    // The named person clustering filed the face under is always one of the two offered: the question confirms or
    // corrects that placement (QA: a face filed under Serena was asked "Cousin Vee or Venus?", and "Neither" left it
    // with Serena, never asked again).
    const holder = face.personId !== null && offered(face.personId) ? face.personId : null;
    let holderNearest: AmbiguousCandidateView | undefined;
    // A face of an unnamed group whose own group is nearer than any named person is that group's person, not a
    // question between two others: naming the group answers it (QA found "Which one?" full of such faces).
    const ownUnnamedGroup = face.personId !== null && unnamed.has(face.personId) ? face.personId : null;
    let ownGroupNearer = false;
    // Other faces (not of this photo) near it: with COMPANY_FACES of them the face is not alone (KNOWN_PERSON_FACES).
    let companions = 0;
    // The nearest face (of another photo) in a group nobody named yet.
    let unnamedGroupDistance = Infinity;
    // Unfiltered search, filtered here: a filter callback per visited node makes hnswlib crawl when few pass.
    const hits = library.search(library.embeddingOf(face), AMBIGUITY_NEIGHBOURS);
    for (const hit of hits) {
      if (hit.distance > suggestDistance) break;
      const other = library.face(hit.faceId);
      // A box kept as drawn says nothing of who is near it (isComparable).
      if (other && !isComparable(other)) continue;
      if (hit.faceId !== face.id && hit.distance <= companyDistance && other && other.photoId !== face.photoId) companions++;
      const personId = other?.personId;
      if (ownUnnamedGroup !== null && hit.faceId !== face.id && personId === ownUnnamedGroup && nearest.length === 0) {
        ownGroupNearer = true;
        break;
      }
      if (unnamedGroupDistance === Infinity && other && other.photoId !== face.photoId && other.personId !== null && unnamed.has(other.personId)) unnamedGroupDistance = hit.distance;
      if (hit.faceId === face.id || !personId || !offered(personId)) continue;
      const candidate = { personId, name: named.get(personId)!.name, distance: hit.distance, nearestFaceId: hit.faceId };
      if (personId === holder) holderNearest ??= candidate;
      if (nearest.length < 2 && !nearest.some((c) => c.personId === personId)) nearest.push(candidate);
      if (nearest.length === 2 && (holder === null || holderNearest)) break;
    }
    // In doubt while its two nearest named people lie less than two margins apart, whoever holds it. And a face filed
    // under a named person while another named person lies nearer, however much nearer: the placement is likely wrong,
    // and only the user can say (it was never asked while the nearer person lay two margins ahead).
    const filedAway = holder !== null && nearest.length > 0 && nearest[0].personId !== holder;
    if (filedAway && nearest.length === 1) {
      holderNearest ??= nearestFaceOfPerson(library, face, (facesOfHolder ??= facesByPerson(library.faces)).get(holder!) ?? [], named.get(holder!)!);
      if (holderNearest) nearest.push(holderNearest);
    }
    if (!(nearest.length === 2 && !ownGroupNearer && (filedAway || nearest[1].distance - nearest[0].distance < doubt))) {
      yield null;
      continue;
    }
    // The holder beyond both: offered in the runner-up's place (the user can still type the runner-up's name under
    // "Someone else?"). Beyond the search, its distance is that of its nearest face, measured here.
    if (holder !== null && !nearest.some((c) => c.personId === holder)) {
      holderNearest ??= nearestFaceOfPerson(library, face, (facesOfHolder ??= facesByPerson(library.faces)).get(holder) ?? [], named.get(holder)!);
      if (holderNearest) nearest[1] = holderNearest;
    }
    // The two offered, nearest first, and how far apart they lie (as `familiar unsure` prints it beside their names):
    // with the holder beyond both nearest people, wider than the gap that put the face in doubt, so the question comes
    // after the placed faces whose two people lie closer together (docs/clustering.md).
    nearest.sort((a, b) => a.distance - b.distance);
    const margin = nearest[1].distance - nearest[0].distance;
    // The face given for each person is one the user confirmed, nearest this one: the nearest of all can be a stranger
    // clustering put with them (QA: "Alvaro Uribe" was pictured by someone else's face).
    confirmedByPerson ??= confirmedFacesByPerson(library.faces);
    // Farther than the same-person distance from every face of both: "A or B?" is the wrong question. QA's walk had
    // 13 of 14 questions about one-photo strangers ("Is this Tom Cruise or Raj?"), each close to neither. Asked only
    // when one of the two is barely known or a named person holds the face, as "A, B or someone else?".
    const closeToNeither = nearest[0].distance > sameDistance;
    const inNamedPerson = face.personId !== null && named.has(face.personId);
    if (!strangerReach) {
      // The rule before the reach below (measurement): such a face waited only when both had 3 confirmed faces.
      const known = (c: AmbiguousCandidateView) => (confirmedByPerson!.get(c.personId)?.length ?? 0) >= KNOWN_PERSON_FACES;
      if (closeToNeither && !inNamedPerson && nearest.every(known)) {
        yield null;
        continue;
      }
    }
    // A face no named person holds that lies beyond the reach of both, each known by a few faces, is not asked about: in
    // a library where many people have no name, it is most likely one of those (QA: "Neither" was the answer to most
    // questions); it waits under "Who is this?".
    // The reach is placement's distance and as many margins more as the two may be apart: the band around placement's
    // decision where one answer settles it. A stranger's nearest named face among hundreds lies within the same-person
    // distance more often than not. On lfw_subset grouped with half the people named (`npm run bench:review`, 3 splits,
    // one photo of each confirmed): 297 of 350 questions were about strangers, 80 of 130 with the reach; 7 of the 8 faces
    // of the farther person are still asked, and 135 answers fix 18 errors where 352 fixed 19. One margin (0.065) asked
    // about 11 strangers, but about 3 of those 8 faces.
    // Beyond the reach of a person barely known, the face is asked about only when it has company (KNOWN_PERSON_FACES).
    // Within the reach, three signs of someone nobody named leave it out, each a question "Neither" answered: an unnamed
    // group's face a placement margin nearer than either person (that group's person, as a face of the group itself
    // is). And for a face alone past placement's distance and a margin, where distance no longer tells a stranger from
    // an odd photo of the runner-up: an unnamed group nearer than the runner-up, or, both people known, fewer of the
    // runner-up's faces near it than the nearer one's (an odd photo of the runner-up has its own faces around it; a
    // face of the nearer one is identified right already). On the same benchmark, 3 splits with 1-3 photos
    // confirmed: 80-84 strangers asked about became 18, with as many questions about a face of either and the same
    // errors left after the answers; where everyone is named, as before (docs/clustering.md, "Signs of someone unnamed").
    if (strangerReach && !inNamedPerson) {
      facesOfPerson ??= faceCounts(library.faces);
      const barelyKnown = (c: AmbiguousCandidateView) => (facesOfPerson!.get(c.personId) ?? 0) < KNOWN_PERSON_FACES;
      const company = companions >= COMPANY_FACES;
      const groupFirst = unnamedGroupFirst && unnamedGroupDistance < nearest[0].distance - placeMargin * scale;
      const alonePast = !company && nearest[0].distance > companyDistance;
      const groupBetween = unnamedGroupBetween && alonePast && unnamedGroupDistance < nearest[1].distance;
      // A person's faces (of other photos) within the runner-up's distance and a margin: their share of its neighbours.
      const facesNear = (c: AmbiguousCandidateView) =>
        hits.filter((h) => {
          const other = library.face(h.faceId);
          return h.distance <= nearest[1].distance + placeMargin * scale && other?.personId === c.personId && other.photoId !== face.photoId && isComparable(other);
        }).length;
      const nearerHolds = runnerUpNear && alonePast && !nearest.some(barelyKnown) && facesNear(nearest[1]) < facesNear(nearest[0]);
      if (groupFirst || groupBetween || nearerHolds || !nearest.some((c) => c.distance <= reach || (barelyKnown(c) && (company || !companyNeeded)))) {
        yield null;
        continue;
      }
    }
    const shown = nearest.map((c) => ({ ...c, nearestFaceId: nearestOf(library, face, confirmedByPerson!.get(c.personId)) ?? c.nearestFaceId }));
    yield { faceId: face.id, photoId: face.photoId, currentPersonId: face.personId, candidates: [shown[0], shown[1]], margin, closeToNeither };
  }
}

/** The person's face (of another photo, comparable) nearest `face`, as a candidate; undefined when they have none. */
function nearestFaceOfPerson(library: PeopleLibrary, face: FaceRecord, faces: readonly FaceRecord[], person: PersonRecord): AmbiguousCandidateView | undefined {
  const vector = library.embeddingOf(face);
  let best: AmbiguousCandidateView | undefined;
  for (const other of faces) {
    if (other.id === face.id || other.photoId === face.photoId || !isComparable(other)) continue;
    const distance = cosineDistanceOf(vector, library.embeddingOf(other));
    if (!best || distance < best.distance) best = { personId: person.id, name: person.name, distance, nearestFaceId: other.id };
  }
  return best;
}

/** How many faces each person holds. */
function faceCounts(faces: readonly FaceRecord[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of faces) if (f.personId !== null) out.set(f.personId, (out.get(f.personId) ?? 0) + 1);
  return out;
}

/** People the user placed other faces of this face's photo in. */
function photoPeopleByUser(library: PeopleLibrary, face: FaceRecord): Set<string> {
  const out = new Set<string>();
  for (const g of library.facesOfPhoto(face.photoId)) if (g.id !== face.id && g.assignedBy === 'user' && g.personId) out.add(g.personId);
  return out;
}

/** Named people nearest one embedding, by their nearest face (excluding `exclude` and faces rejecting them). */
function namedCandidates(library: PeopleLibrary, vector: Float32Array, exclude: string | null, rejected: readonly string[]): WhoCandidateView[] {
  const named = new Map<string, PersonRecord>(library.people.people.filter((p) => p.name !== null).map((p) => [p.id, p]));
  const hits = library.search(vector, 40, (f) => f.id !== exclude && f.personId !== null && named.has(f.personId) && !rejected.includes(f.personId) && isComparable(f));
  const out = new Map<string, WhoCandidateView>();
  for (const hit of hits) {
    const personId = library.face(hit.faceId)?.personId;
    if (!personId || out.has(personId)) continue;
    out.set(personId, { personId, name: named.get(personId)!.name, distance: hit.distance });
  }
  return [...out.values()].slice(0, 5);
}

function whoOfVector(library: PeopleLibrary, vector: Float32Array, faceId: string | null, box: WhoFaceView['box'], rejected: readonly string[]): WhoFaceView {
  const { whoDistance } = thresholdsFor(library.info, library.settings);
  const candidates = namedCandidates(library, vector, faceId, rejected);
  const best = candidates.length > 0 && candidates[0].distance <= whoDistance ? candidates[0] : null;
  return { faceId, box, best, candidates };
}

/** Who is in a library photo: per face, the nearest named person within the threshold, or unknown (null). */
export function whoInPhoto(library: PeopleLibrary, photoId: string): WhoFaceView[] {
  const photo = library.photo(photoId);
  if (!photo) throw new PeopleError(`No photo "${photoId}" in this library.`);
  const faces = library.facesOfPhoto(photo.id).filter(isShownFace);
  // Nobody born after the photo was taken is in it (before-birth.ts).
  const unborn = unbornIn(library);
  // A box kept as drawn is whoever the user says: nobody is named from its vector.
  const views = faces.map((f) =>
    isComparable(f) ? whoOfVector(library, library.embeddingOf(f), f.id, f.box, [...f.rejectedPersonIds, ...unborn(f)]) : { faceId: f.id, box: f.box, best: null, candidates: [] },
  );
  return onceEach(library, views, faces.map((f) => (f.assignedBy === 'user' ? f.personId : null)));
}

/**
 * Who is in a photo outside the library: embeddings (in the library's embedding space) and boxes of its faces.
 * `cannotBe`: people born after the photo was taken (before-birth.ts, unbornOn), named for none of its faces.
 */
export function whoForEmbeddings(library: PeopleLibrary, faces: Array<{ embedding: Float32Array; box: WhoFaceView['box'] }>, cannotBe: readonly string[] = []): WhoFaceView[] {
  return onceEach(
    library,
    faces.map((f) => whoOfVector(library, f.embedding, null, f.box, cannotBe)),
    faces.map(() => null),
  );
}

/**
 * One person appears once in a photo: each name goes to at most one of its faces. A face the user placed keeps
 * its person; the others take names nearest first, and a face whose nearest name is taken gets its next one within
 * the threshold, or none. Candidates stay listed as they are: they are the neighbourhood, not the answer.
 */
function onceEach(library: PeopleLibrary, views: WhoFaceView[], placedByUser: Array<string | null>): WhoFaceView[] {
  const { whoDistance } = thresholdsFor(library.info, library.settings);
  const taken = new Set(placedByUser.filter((p): p is string => p !== null));
  const best: Array<WhoCandidateView | null> = views.map(() => null);
  const open = views
    .flatMap((v, i) => (placedByUser[i] !== null ? [] : v.candidates.filter((c) => c.distance <= whoDistance).map((c) => ({ face: i, candidate: c }))))
    .sort((a, b) => a.candidate.distance - b.candidate.distance);
  for (const { face, candidate } of open) {
    if (best[face] !== null || taken.has(candidate.personId)) continue;
    best[face] = candidate;
    taken.add(candidate.personId);
  }
  return views.map((v, i) => {
    const own = placedByUser[i];
    return { ...v, best: own === null ? best[i] : (v.candidates.find((c) => c.personId === own) ?? placedCandidate(library, v, own)) };
  });
}

/** The user's answer for a face as a candidate: its person when named, at the distance to their nearest other face. */
function placedCandidate(library: PeopleLibrary, view: WhoFaceView, personId: string): WhoCandidateView | null {
  const person = library.people.people.find((p) => p.id === personId);
  if (!person || person.name === null || view.faceId === null) return null;
  const face = library.face(view.faceId);
  if (!face) return null;
  const [hit] = isComparable(face) ? library.search(library.embeddingOf(face), 1, (f) => f.personId === personId && f.id !== face.id && isComparable(f)) : [];
  return { personId, name: person.name, distance: hit ? hit.distance : 0 };
}

/** Are two faces the same person: their distance against the calibrated threshold. */
export function sameFaces(library: PeopleLibrary, faceA: string, faceB: string): SameView {
  const a = resolveFace(library, faceA);
  const b = resolveFace(library, faceB);
  return sameEmbeddings(library, [{ id: a.id, embedding: library.embeddingOf(a) }], [{ id: b.id, embedding: library.embeddingOf(b) }]);
}

/** Two photos (or faces) with possibly several faces each: the closest pair decides. */
export function sameEmbeddings(
  library: PeopleLibrary,
  a: Array<{ id: string | null; embedding: Float32Array }>,
  b: Array<{ id: string | null; embedding: Float32Array }>,
): SameView {
  if (a.length === 0 || b.length === 0) throw new PeopleError(`No face found in the ${a.length === 0 ? 'first' : 'second'} photo.`);
  const { sameDistance } = thresholdsFor(library.info, library.settings);
  let best = { distance: Infinity, faceA: null as string | null, faceB: null as string | null };
  for (const x of a) {
    for (const y of b) {
      const distance = cosineDistanceOf(x.embedding, y.embedding);
      if (distance < best.distance) best = { distance, faceA: x.id, faceB: y.id };
    }
  }
  return { ...best, threshold: sameDistance, same: best.distance <= sameDistance, decided: decidedPair(library, best.faceA, best.faceB) };
}

/** What the user's own decisions say of two library faces (see SameView.decided). */
function decidedPair(library: PeopleLibrary, idA: string | null, idB: string | null): SameView['decided'] {
  const a = idA === null ? undefined : library.face(idA);
  const b = idB === null ? undefined : library.face(idB);
  if (!a || !b) return null;
  const nameOf = (personId: string | null) => library.people.people.find((p) => p.id === personId)?.name ?? null;
  const names: [string | null, string | null] = [nameOf(a.personId), nameOf(b.personId)];
  const byUser = (f: FaceRecord) => f.assignedBy === 'user' && f.personId !== null;
  if (byUser(a) && byUser(b)) return { same: a.personId === b.personId, names };
  if ((byUser(a) && b.rejectedPersonIds.includes(a.personId!)) || (byUser(b) && a.rejectedPersonIds.includes(b.personId!))) return { same: false, names };
  return null;
}

/**
 * Photos holding every one of these people (AND); with `only`, nobody else's face is in the photo (someoneElseIn). A
 * resized copy of a photo in the library is not listed: it is the same picture again, as People counts it
 * (copy-faces.ts). In the library's order; `familiar search` lists them newest first, as the Photos screen does.
 */
export function searchPhotos(library: PeopleLibrary, personRefs: string[], only = false): string[] {
  if (personRefs.length === 0) throw new PeopleError('Search needs at least one person.');
  const wanted = new Set(personRefs.map((r) => resolvePerson(library.people.people, r).id));
  const out: string[] = [];
  for (const photo of library.photos) {
    if (photo.copyOf && library.photo(photo.copyOf.photoId)) continue;
    const faces = library.facesOfPhoto(photo.id);
    const present = new Set(faces.map((f) => f.personId).filter((id): id is string => id !== null));
    let all = true;
    for (const id of wanted) if (!present.has(id)) all = false;
    if (!all) continue;
    if (only && faces.some((f) => someoneElseIn(f, wanted))) continue;
    out.push(photo.id);
  }
  return out;
}

// "Is this <Name>?" about a whole unnamed group: the named person an unnamed group lies close to without having been
// placed with them (a child at another age, the same person in other light), as Google Photos' "Same or different?"
// asks. Without it the user has to recognise the group on "Who is this?" and type the name. One question per group,
// the nearest person first; "No" is remembered on the group's faces, and the group may then be asked about its next
// nearest person. Nor is a group asked about the person it was set apart from when the user named the other part of a
// group that looked like two people (Decision.setApart). Measured on lfw_subset (docs/clustering.md, "Is this <Name>?
// about a group").
import { createHnswIndex } from '../../models/cluster/knn.js';
import { evenlySampled } from '../../models/cluster/random.js';
import { cosineDistanceOf } from '../../models/cluster/vectors.js';
import type { SearchHit } from '../store/library.js';
import type { FaceRecord, PersonRecord } from '../store/types.js';
import { withoutCopyFaces } from './copy-faces.js';
import { mergePeople, rejectFaces } from './decisions.js';
import { spreadOf } from './group-admission.js';
import { facesByPerson, isComparable, isForReview, PeopleError, resolvePerson, type PeopleLibrary } from './library.js';
import { currentPersonIds } from './merged-into.js';
import { suggestionReach } from './queries.js';
import { questionThresholds } from './thresholds.js';
import type { Decision, OperationResult } from './types.js';

/** The named person an unnamed group may be. */
export interface GroupCandidateView {
  groupId: string;
  personId: string;
  name: string;
  /** The group-to-person distance: GROUP_QUANTILE of its faces' distances to the person's nearest face. */
  distance: number;
  /** A face of the person near the group (the API shows the person by their picture instead: queries.ts, pictureOf). */
  nearestFaceId: string;
}

/**
 * Which of a group's faces (sorted by distance to the person) speaks for the group: the median. The nearest face alone
 * lets one photo of a lookalike ask about the whole group; the median needs half the group to look like the person.
 * At the shipped reach, held-out parts of named people: 98.7 % right with the median, 98.1 % with the lower quartile,
 * 95.5 % with the nearest face (docs/clustering.md).
 */
export const GROUP_QUANTILE = 0.5;

/**
 * How near a group must be, as a share of the same-person distance (Settings' threshold, so a looser choice there
 * moves it too; a stricter one does not shrink it, questionThresholds): 0.052 for the backbone. Chosen on lfw_subset
 * (docs/clustering.md): held-out parts of named people are offered as them 98.7 % of the time and found 98.7-100 %;
 * in a clustered library with a third of the people named, 5 questions over 3 libraries of 111 unnamed groups, 3 of
 * them right. At 0.7 the held-out parts are all found, but the clustered libraries get 12 questions, 3 right; at 0.8,
 * 30 with 4 right.
 */
export const GROUP_CANDIDATE_SHARE = 0.6;

/**
 * A group farther than that, up to this share of the same-person distance (0.070 for the backbone), is still asked
 * about when its faces lie nearer the person than each other: its distance to them at most LOOSE_GROUP_SPREAD of its
 * own spread (the median distance from each of its faces to the nearest other one). A stranger's group near a named
 * person is a tight group of its own at a distance (spread about 0.02 at 0.06); the odd photos of a named person,
 * grouped apart from them, may lie farther from each other than from the person. A small gain on lfw_subset
 * (docs/clustering.md): a few more of a named person's odd photos asked about, no stranger more, with many or few
 * people named. At 1.0 of the spread, or with a margin over the second-nearest person, or the nearest face for a small
 * group, more were found but strangers were asked when few people are named (nobody second to compare with).
 */
export const LOOSE_GROUP_SHARE = 0.8;
export const LOOSE_GROUP_SPREAD = 0.8;

/**
 * Up to that share, a group is asked about too when it lies from the person, as a whole, about as far as one person's
 * faces lie from each other: the mean distance between its faces and theirs at most this many times the looser spread of
 * the two (group admission's measure, as "Are these the same person?" compares: the median of faces' mean distances to
 * each other). QA: Anna Kournikova named from three photos far apart (spread 0.069), her other four photos a group
 * 0.067 from her (not loose: its faces lie 0.046 from each other) but 1.15 spreads from her as a whole, never asked
 * about, while her name typed for them joined them unasked. Most lookalikes' groups lie 1.2-2 spreads away. On
 * lfw_subset (docs/clustering.md, bench:cluster section 8) 16 more groups asked about, 14 of them the person's; at 1.1
 * Anna's is not asked, at 1.3 23 more, 16 right.
 */
export const AS_A_WHOLE_SPREAD = 1.2;

/**
 * A person with fewer faces than this has no spread: two faces' distance is no measure of how far one person's photos
 * lie apart (group admission's and the suggestions' SPREAD_FROM). Read as 0, it held their group to its own spread
 * alone, and with one face to take the nearest of, the group's distance to them is one pair's, where 0.052-0.070 were
 * chosen for the nearest of several. QA: Britney Spears named on one face from a sidecar, her other nine photos a group
 * 0.079 from it, 1.8 of its spread; never offered, her name refused for it, while `familiar same` called a pair of
 * them one person at 0.077. Such a group may be judged by the pair rule instead (oneOfFewFaces).
 */
const SPREAD_FROM = 3;

/** Faces of a group compared (evenly sampled beyond): bounds the work for large groups. */
export const GROUP_SAMPLE = 16;
/** Nearest named faces searched per face of the group. */
const NEIGHBOURS = 32;
/**
 * A group the user said No about is not asked about that person again: a No marks each of its faces. New faces joining
 * later can dilute the share of faces marked, never their number, so it is counted: this many faces (or half of a
 * group smaller than twice that).
 */
const REMEMBERED_NO_FACES = 3;

export interface GroupCandidateOptions {
  /** Overrides GROUP_QUANTILE (measurement). */
  quantile?: number;
  /** Overrides the reach (measurement): the farthest group-to-person distance offered. */
  reach?: number;
  /** Overrides the loose group's reach (measurement; 0 asks no group beyond `reach`). */
  looseReach?: number;
  /** Overrides LOOSE_GROUP_SPREAD (measurement). */
  looseSpread?: number;
  /** Overrides smallPersonReach (measurement; 0: a person of few faces is judged as any other). */
  smallReach?: number;
  /** Overrides AS_A_WHOLE_SPREAD (measurement; 0: no group is judged as a whole). */
  asAWholeSpread?: number;
  /** Searches the library's index with a filter, as for one group (measurement: the listing before its own index). */
  filteredSearch?: boolean;
}

/** How far an unnamed group may be from a named person to be asked about them, under the library's thresholds. */
export function groupCandidateReach(library: Pick<PeopleLibrary, 'info' | 'settings'>): number {
  const thresholds = questionThresholds(library);
  return Math.min(suggestionReach(thresholds), GROUP_CANDIDATE_SHARE * thresholds.sameDistance);
}

/**
 * How far a group no tighter than that may be from a named person to be asked about them (LOOSE_GROUP_SHARE): the
 * farthest Familiar ever offers a group as someone, which a name typed for a group is held to too (name-join.ts).
 */
export function looseGroupReach(library: Pick<PeopleLibrary, 'info' | 'settings'>): number {
  const thresholds = questionThresholds(library);
  return Math.min(suggestionReach(thresholds), LOOSE_GROUP_SHARE * thresholds.sameDistance);
}

/**
 * How far a group may lie from a person with fewer than SPREAD_FROM faces, by its distance and, as a whole, by the mean
 * distance between its faces and theirs (oneOfFewFaces): the same-person distance, the rule `familiar same` applies to
 * two faces.
 */
export function smallPersonReach(library: Pick<PeopleLibrary, 'info' | 'settings'>): number {
  return suggestionReach(questionThresholds(library));
}

/** The farthest a group is ever asked about as someone (a loose one, or one near a person of few faces). */
export function farthestGroupReach(library: Pick<PeopleLibrary, 'info' | 'settings'>): number {
  return Math.max(looseGroupReach(library), smallPersonReach(library));
}

/** True when the user has said No about this person for this group (mostly, as REMEMBERED_NO_FACES counts it). */
function saidNo(faces: readonly FaceRecord[], personId: string, scan: Scan): boolean {
  return remembersNo(faces.filter((f) => scan.saidNot(f, personId)).length, faces.length);
}

/** Whether `rejected` faces of a group of `count` said not someone are a No about the group (REMEMBERED_NO_FACES). */
function remembersNo(rejected: number, count: number): boolean {
  return rejected > 0 && rejected >= Math.min(REMEMBERED_NO_FACES, Math.ceil(count / 2));
}

/**
 * For each unnamed group (not hidden) with a named person within reach, that person: the nearest by the group-to-person
 * distance, leaving out people the group was said not to be and people with a face in one of the group's photos (one
 * person appears once in a photo). Nearest first. The named people's faces get an index of their own, searched without
 * a filter: the library's index, filtered to them, wanders through most of its faces when few are named. Up to
 * GROUP_SAMPLE searches a group, fewer when half its faces find no named face within reach (docs/clustering.md).
 */
export function groupCandidates(library: PeopleLibrary, options: GroupCandidateOptions = {}): GroupCandidateView[] {
  const out: GroupCandidateView[] = [];
  for (const candidate of eachGroupCandidate(library, options)) if (candidate) out.push(candidate);
  return out.sort((a, b) => a.distance - b.distance || a.groupId.localeCompare(b.groupId));
}

/**
 * The same, one unnamed group at a time (null: nobody within reach of it), in no particular order: a scan that lets
 * the API worker answer between groups (likely-questions.ts) takes them as they come. `namedFaces`: the named faces'
 * own index when the caller built it (namedFacesIndex, shared with its scan of loose faces); built here otherwise.
 */
export function* eachGroupCandidate(library: PeopleLibrary, options: GroupCandidateOptions = {}, namedFaces?: NamedFacesIndex): Generator<GroupCandidateView | null> {
  const named = namedPeople(library);
  const groups = library.people.people.filter((p) => !p.hidden && p.name === null);
  if (named.size === 0 || groups.length === 0) return;
  const byPerson = facesByPerson(library.faces);
  const photosOf = new Map<string, Set<string>>();
  for (const id of named.keys()) photosOf.set(id, new Set((byPerson.get(id) ?? []).map((f) => f.photoId)));
  const index = options.filteredSearch ? undefined : (namedFaces ?? namedFacesIndex(library));
  const scan = scanOf(library, named, (id) => photosOf.get(id), options, index, byPerson);
  for (const group of groups) {
    const faces = byPerson.get(group.id);
    if (!faces?.length) continue;
    const candidate = nearestPersonOf(library, group, faces, scan);
    yield candidate && withName(candidate, named);
  }
}

/** The candidate of one unnamed group (as groupCandidates finds it), or null: one group's searches only. */
export function groupCandidateOf(library: PeopleLibrary, groupRef: string, options: GroupCandidateOptions = {}): GroupCandidateView | null {
  const group = resolvePerson(library.people.people, groupRef);
  if (group.hidden || group.name !== null) return null;
  const named = namedPeople(library);
  if (named.size === 0) return null;
  // The library's faces by person, once: each person looked at (their photos, their No about the group) reads theirs.
  return candidateWith(library, group, named, facesByPerson(library.faces), options);
}

function candidateWith(
  library: PeopleLibrary,
  group: PersonRecord,
  named: ReadonlyMap<string, PersonRecord>,
  byPerson: ReadonlyMap<string, readonly FaceRecord[]>,
  options: GroupCandidateOptions,
): GroupCandidateView | null {
  const faces = byPerson.get(group.id) ?? [];
  if (faces.length === 0) return null;
  // Only the people nearest so far are checked for a shared photo: their photos are looked up then, once each.
  const photosOf = new Map<string, Set<string>>();
  const photosOfPerson = (id: string) => {
    let photos = photosOf.get(id);
    if (!photos) photosOf.set(id, (photos = new Set((byPerson.get(id) ?? []).map((f) => f.photoId))));
    return photos;
  };
  const candidate = nearestPersonOf(library, group, faces, scanOf(library, named, photosOfPerson, options, undefined, byPerson));
  return candidate && withName(candidate, named);
}

/**
 * The unnamed groups among `groupIds` that "Is this <Name>?" asks about as this person (groupCandidateOf) and that are
 * like them as a whole (AS_A_WHOLE_SPREAD, whatever their distance): a person's suggestions offer their faces as a
 * second group of theirs. Without the second test the faces of a lookalike's group asked about filled the queue (Serena
 * Williams's ten as Venus, 0.050 from her; Hu Jintao's as Wen Jiabao): on lfw_subset clustered, 58 more faces offered
 * over 3 libraries, none right. Each is measured exactly against the person first (nearEnoughToAsk, as a name typed
 * for it is): most are not near enough, and are not searched for.
 */
export function groupsAskedAs(library: PeopleLibrary, personId: string, groupIds: Iterable<string>): Set<string> {
  const asked = new Set<string>();
  const named = namedPeople(library);
  const groups = [...new Set(groupIds)].flatMap((id) => {
    const group = library.people.people.find((p) => p.id === id);
    return group && group.id !== personId && group.name === null && !group.hidden ? [group] : [];
  });
  if (!named.has(personId) || groups.length === 0) return asked;
  // The faces of the person and of these groups only: every person's are read once one group is near enough.
  const wanted = new Set([personId, ...groups.map((g) => g.id)]);
  const facesOf = facesByPerson(library.faces.filter((f) => f.personId !== null && wanted.has(f.personId)));
  let byPerson: Map<string, FaceRecord[]> | undefined;
  const theirs = facesOf.get(personId) ?? [];
  const reference = referenceOf(library, theirs);
  const { confirmsOf, saidNotAlone } = answersAbout(library, personId, new Set(groups.map((g) => g.id)));
  for (const group of groups) {
    // A group the user answered about face by face as the person (Yes or No, as their suggestions ask) is measured as
    // it was when asked about: the faces confirmed out of it back in it, and its faces said not them at their distance.
    // Each answer to one of its faces moved its median farther (QA: after Y, or N, on the first of Anna Kournikova's
    // three faces in one, her Suggestions said none was left, the other two as near as before); a face said No to is
    // never offered all the same (isCandidate).
    const takenOut = confirmedOutOf(confirmsOf.get(group.id) ?? [], theirs, group.id);
    const groupFaces = facesOf.get(group.id) ?? [];
    const saidNot = groupFaces.filter((f) => f.rejectedPersonIds.includes(personId));
    const saidNotOneByOne = saidNot.filter((f) => saidNotAlone.has(f.id));
    // A No about the group as a whole (its question's, marking every face; several faces at once) stands, as there.
    if (remembersNo(saidNot.length - saidNotOneByOne.length, groupFaces.length)) continue;
    const answered = takenOut.length > 0 || saidNotOneByOne.length > 0;
    const faces = [...groupFaces, ...takenOut];
    const personFaces = takenOut.length === 0 ? theirs : theirs.filter((f) => !takenOut.includes(f));
    const { own, sample } = groupSampleOf(faces);
    const { distance } = answered ? distanceToReference(library, sample, null, referenceOf(library, personFaces)) : distanceToReference(library, sample, personId, reference);
    if (distance === null || !nearEnoughToAsk(library, faces, personFaces, distance)) continue;
    if (!likeAsAWhole(library, sample, personFaces, AS_A_WHOLE_SPREAD, spreadOfGroup(library, own), smallPersonReach(library))) continue;
    byPerson ??= facesByPerson(library.faces);
    const nearest = candidateWith(library, group, named, byPerson, {});
    // The user's answers to its faces were to what the question about it asks, though what is left of the group may
    // now be out of anyone's reach; but a group nearest someone else is theirs (a review: a face of Venus's group
    // confirmed as Serena would have made the rest of it Serena's to offer).
    if (nearest?.personId === personId || (answered && nearest === null)) asked.add(group.id);
  }
  return asked;
}

/**
 * What the user answered face by face about a person, from the decision log (not undone), read once for every group
 * their suggestions look at, not once a group: `confirmsOf`, the confirmations that took faces out of each of these
 * groups (their personIds: the person, then the people the faces left); `saidNotAlone`, the faces said not them one
 * at a time (a suggestion's No), never with other faces (a No about a group marks them all at once).
 */
function answersAbout(library: Pick<PeopleLibrary, 'people'>, personId: string, groupIds: ReadonlySet<string>): { confirmsOf: Map<string, Decision[]>; saidNotAlone: Set<string> } {
  const confirmsOf = new Map<string, Decision[]>();
  const [alone, together] = [new Set<string>(), new Set<string>()];
  for (const d of library.people.decisions as Decision[]) {
    if (d.undoneAt !== null) continue;
    if (d.kind === 'reject' && d.personIds.includes(personId)) for (const id of d.faceIds) (d.faceIds.length === 1 ? alone : together).add(id);
    if (d.kind !== 'confirm') continue;
    for (const id of new Set(d.personIds)) {
      if (!groupIds.has(id)) continue;
      let confirms = confirmsOf.get(id);
      if (!confirms) confirmsOf.set(id, (confirms = []));
      confirms.push(d);
    }
  }
  return { confirmsOf, saidNotAlone: new Set([...alone].filter((id) => !together.has(id))) };
}

/**
 * Of a person's faces, those the user confirmed as theirs out of group `groupId` by `confirms` (answersAbout's for
 * it; the face still theirs and confirmed). A confirmation too old to keep its state before (UNDO_DEPTH) counts when
 * that group is the only one it took faces from.
 */
function confirmedOutOf(confirms: readonly Decision[], personFaces: readonly FaceRecord[], groupId: string): FaceRecord[] {
  const confirmed = new Map(personFaces.filter((f) => f.assignedBy === 'user').map((f) => [f.id, f]));
  const out = new Set<FaceRecord>();
  for (const d of confirms) {
    // Read once a decision, not once a face: a confirmation of many faces at once holds as many states.
    const inGroupBefore = d.before && new Set(d.before.faces.flatMap((state) => (state.personId === groupId ? [state.id] : [])));
    for (const id of d.faceIds) {
      const face = confirmed.get(id);
      if (!face || face.personId !== d.personIds[0]) continue;
      if (inGroupBefore ? inGroupBefore.has(id) : d.personIds.length === 2) out.add(face);
    }
  }
  return [...out];
}

function withName(near: GroupDistance, named: ReadonlyMap<string, PersonRecord>): GroupCandidateView {
  return { ...near, name: named.get(near.personId)!.name! };
}

/** How near a group lies to one of some people (groups too), by the group-to-person distance. */
export interface GroupDistance {
  groupId: string;
  personId: string;
  distance: number;
  nearestFaceId: string;
}

/** The people a group is judged against, for a caller other than "Is this <Name>?" (main/people/same-person.ts). */
export interface GroupTargets {
  people: ReadonlyMap<string, PersonRecord>;
  photosOf: (personId: string) => ReadonlySet<string> | undefined;
  facesOf: (personId: string) => readonly FaceRecord[];
  /** The nearest faces of those people (the group's own may be among them: they are passed over), nearest first. */
  search: (vector: Float32Array) => SearchHit[];
}

/**
 * The nearest of `targets` to a group by the measure "Is this <Name>?" uses (the median of its sampled faces'
 * distances to a person's nearest face, within `options.reach`; the loose rule only when `options.looseReach` is
 * given), leaving out the people the group was said not to be, or who were said not to be it, and people with a face
 * in one of its photos. Null when nobody is near enough.
 */
export function nearestTargetOf(library: PeopleLibrary, group: PersonRecord, faces: readonly FaceRecord[], targets: GroupTargets, options: GroupCandidateOptions & { reach: number }): GroupDistance | null {
  return nearestPersonOf(library, group, faces, {
    named: targets.people,
    photosOf: targets.photosOf,
    facesOf: targets.facesOf,
    search: targets.search,
    quantile: options.quantile ?? GROUP_QUANTILE,
    reach: options.reach,
    looseReach: Math.max(options.reach, options.looseReach ?? 0),
    smallReach: Math.max(options.reach, options.looseReach ?? 0),
    looseSpread: options.looseSpread ?? LOOSE_GROUP_SPREAD,
    asAWholeSpread: options.asAWholeSpread ?? AS_A_WHOLE_SPREAD,
    saidNot: (face, personId) => face.rejectedPersonIds.includes(personId),
  });
}

function namedPeople(library: PeopleLibrary): Map<string, PersonRecord> {
  return new Map(library.people.people.filter((p) => !p.hidden && p.name !== null).map((p) => [p.id, p]));
}

interface Scan {
  named: ReadonlyMap<string, PersonRecord>;
  photosOf: (personId: string) => ReadonlySet<string> | undefined;
  /** A person's faces: a No said about the group from their side counts too (main/people/same-person.ts). */
  facesOf: (personId: string) => readonly FaceRecord[];
  /** The NEIGHBOURS nearest faces of named people, nearest first. */
  search: (vector: Float32Array) => SearchHit[];
  quantile: number;
  reach: number;
  /** The farthest a loose group, or one like the person as a whole, is asked about (LOOSE_GROUP_SHARE): at least `reach`. */
  looseReach: number;
  /** The farthest a group is asked about as a person of fewer than SPREAD_FROM faces (smallPersonReach): at least `reach`. */
  smallReach: number;
  looseSpread: number;
  asAWholeSpread: number;
  /** The user said this face is not this person (the marks an older "Who is this?" gave unasked: main/store/upgrades.ts). */
  saidNot: (face: FaceRecord, personId: string) => boolean;
  /** The people a group was set apart from (setApartFrom): never asked about. */
  setApart?: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Each group's people it was set apart from: a name for the part of a group that looked like two people like its
 * cover made the other part a group of its own (Decision.setApart). Familiar had just judged that part unlike the
 * person, and the user, offered "All one person", did not say otherwise: "Is this Serena?" about it, asked at once,
 * took a second Enter as a Yes and merged the sisters again (QA). Nothing marks its faces "not" her, so the same name
 * typed for it still joins her (one man's faces read as two: QA, docs/clustering.md). Ids followed through merges since;
 * a decision undone counts no more.
 */
export function setApartFrom(library: Pick<PeopleLibrary, 'people'>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const records = (library.people.decisions as Decision[]).flatMap((d) => (d.undoneAt === null && d.setApart ? [d.setApart] : []));
  if (records.length === 0) return out;
  const now = currentPersonIds(library, records.flatMap((r) => [r.groupId, r.fromPersonId]));
  records.forEach((_, i) => {
    const [group, person] = [now[2 * i], now[2 * i + 1]];
    if (group === null || person === null || group === person) return;
    let from = out.get(group);
    if (!from) out.set(group, (from = new Set()));
    from.add(person);
  });
  return out;
}

/** `index`: the named faces' own (namedFacesIndex); without it, the library's index is searched filtered to them. */
function scanOf(library: PeopleLibrary, named: ReadonlyMap<string, PersonRecord>, photosOf: Scan['photosOf'], options: GroupCandidateOptions, index: NamedFacesIndex | undefined, byPerson: ReadonlyMap<string, readonly FaceRecord[]>): Scan {
  const isNamedFace = (f: FaceRecord) => f.personId !== null && named.has(f.personId) && isComparable(f);
  const reach = options.reach ?? groupCandidateReach(library);
  return {
    named,
    photosOf,
    facesOf: (personId) => byPerson.get(personId) ?? [],
    search: index ? (vector) => index.search(vector, NEIGHBOURS, true) : (vector) => library.search(vector, NEIGHBOURS, isNamedFace),
    quantile: options.quantile ?? GROUP_QUANTILE,
    reach,
    looseReach: Math.max(reach, options.looseReach ?? looseGroupReach(library)),
    smallReach: Math.max(reach, options.smallReach ?? smallPersonReach(library)),
    looseSpread: options.looseSpread ?? LOOSE_GROUP_SPREAD,
    asAWholeSpread: options.asAWholeSpread ?? AS_A_WHOLE_SPREAD,
    saidNot: (face, personId) => face.rejectedPersonIds.includes(personId),
    setApart: setApartFrom(library),
  };
}

/**
 * The named people's faces (hidden people's too; not boxes kept as drawn, isComparable) in an index of their own, for
 * a scan of many groups and faces: searched without a filter, each search looks at named faces only, however few of
 * the library's they are. The library's index filtered to them wanders through most of its faces when few are named;
 * when they are half or more, the filtered search finds them about as fast as the index takes to build (undefined
 * here; docs/clustering.md). likely-questions.ts builds it once for the groups and the loose faces it asks about.
 */
export interface NamedFacesIndex {
  /** The `k` nearest named faces, nearest first; `shownOnly`: of people not hidden. */
  search(vector: Float32Array, k: number, shownOnly?: boolean): SearchHit[];
}

export function namedFacesIndex(library: PeopleLibrary): NamedFacesIndex | undefined {
  return toEnd(namedFacesIndexInSteps(library));
}

/**
 * namedFacesIndex built in steps, for a scan in slices (likely-questions.ts): the index of a library with thousands of
 * named faces takes a tenth of a second and more to build, which the API worker's calls waited behind (a profile:
 * the Who is this? screen's next card waited on it after every answer).
 */
export function* namedFacesIndexInSteps(library: PeopleLibrary): Generator<void, NamedFacesIndex | undefined> {
  const named = new Map(library.people.people.filter((p) => p.name !== null).map((p) => [p.id, p]));
  const faces = library.faces.filter((f) => f.personId !== null && named.has(f.personId) && isComparable(f));
  if (faces.length * 2 >= library.faces.length) return undefined;
  const search = yield* facesIndexInSteps(library, faces, NAMED_FACES_EF);
  const shown = (f: FaceRecord) => !named.get(f.personId!)!.hidden;
  const anyHidden = !faces.every(shown);
  return { search: (vector, k, shownOnly) => search(vector, k, shownOnly && anyHidden ? shown : undefined) };
}

/** The named faces' index searches up to 40 neighbours (a loose face's, face-candidates.ts) at this breadth. */
const NAMED_FACES_EF = 64;

/**
 * Searches of these faces alone, from an index of their own: the `neighbours` nearest, less those of one person when
 * `except` is given (a group among groups: its own faces are not its neighbours).
 */
export function facesSearch(library: PeopleLibrary, faces: readonly FaceRecord[], neighbours = NEIGHBOURS): (vector: Float32Array, except?: string) => SearchHit[] {
  const search = facesIndex(library, faces, Math.max(64, neighbours));
  const perPerson = new Map<string | null, number>();
  for (const f of faces) perPerson.set(f.personId, (perPerson.get(f.personId) ?? 0) + 1);
  return (vector, except) => {
    const others = faces.length - (except === undefined ? 0 : (perPerson.get(except) ?? 0));
    return search(vector, Math.min(neighbours, others), except === undefined ? undefined : (f) => f.personId !== except);
  };
}

type FacesSearch = (vector: Float32Array, k: number, keep?: (f: FaceRecord) => boolean) => SearchHit[];

/** An index of these faces alone: the `k` nearest a vector, nearest first, of those `keep` keeps (all without it). */
function facesIndex(library: PeopleLibrary, faces: readonly FaceRecord[], ef: number): FacesSearch {
  return toEnd(facesIndexInSteps(library, faces, ef));
}

/** Faces added to an index between two steps: about a millisecond and a half of work. */
const FACES_PER_STEP = 32;

function* facesIndexInSteps(library: PeopleLibrary, faces: readonly FaceRecord[], ef: number): Generator<void, FacesSearch> {
  if (faces.length === 0) return () => [];
  const index = createHnswIndex(library.embeddingOf(faces[0]).length, faces.length, { m: 16, efConstruction: 100 });
  for (const [label, f] of faces.entries()) {
    index.addPoint(Array.from(library.embeddingOf(f)), label);
    if (label % FACES_PER_STEP === FACES_PER_STEP - 1) yield;
  }
  index.setEf(ef);
  return (vector, wanted, keep) => {
    const k = Math.min(wanted, faces.length);
    if (k <= 0) return [];
    let found: { neighbors: number[]; distances: number[] };
    try {
      found = keep ? index.searchKnn(Array.from(vector), k, (label) => keep(faces[label])) : index.searchKnn(Array.from(vector), k);
    } catch {
      // hnswlib throws when the filter leaves fewer than k faces it can reach: the exact answer instead.
      const hits = faces.flatMap((f) => (keep && !keep(f) ? [] : [{ faceId: f.id, distance: cosineDistanceOf(vector, library.embeddingOf(f)) }]));
      return hits.sort((a, b) => a.distance - b.distance).slice(0, k);
    }
    return found.neighbors.map((label, i) => ({ faceId: faces[label].id, distance: found.distances[i] }));
  };
}

/**
 * The faces of a group that speak for it: not a box kept as drawn (isComparable), nor a likely non-face unless the group
 * has nothing else (`own`); and the GROUP_SAMPLE of them, evenly sampled, its distance to a person is measured at.
 */
export function groupSampleOf(faces: readonly FaceRecord[]): { own: FaceRecord[]; sample: FaceRecord[] } {
  const comparable = faces.filter(isComparable);
  const usable = comparable.filter((f) => !isForReview(f));
  const own = usable.length > 0 ? usable : comparable;
  return { own, sample: evenlySampled(own, GROUP_SAMPLE) };
}

function nearestPersonOf(library: PeopleLibrary, group: PersonRecord, faces: readonly FaceRecord[], scan: Scan): GroupDistance | null {
  const { own, sample } = groupSampleOf(faces);
  if (sample.length === 0) return null;
  // The sampled face whose distance speaks for the group: once more faces than lie beyond it found no named face
  // within reach, no person can be near enough, and the rest are not searched (most groups, far from everyone).
  const at = Math.min(sample.length - 1, Math.floor(scan.quantile * (sample.length - 1) + 1e-9));
  let without = 0;
  const farthest = Math.max(scan.looseReach, scan.smallReach);
  // Per person, per sampled face: the distance to the person's nearest face and that face (absent: beyond reach).
  const nearest = new Map<string, Array<{ distance: number; faceId: string } | undefined>>();
  for (let i = 0; i < sample.length && without < sample.length - at; i++) {
    const face = sample[i];
    let found = false;
    for (const hit of scan.search(library.embeddingOf(face))) {
      if (hit.distance > farthest) break;
      const other = library.face(hit.faceId);
      const personId = other && isComparable(other) ? other.personId : null;
      // A face said not to be someone is as far from them as can be.
      if (!personId || personId === group.id || !scan.named.has(personId) || scan.saidNot(face, personId)) continue;
      found = true;
      let row = nearest.get(personId);
      if (!row) nearest.set(personId, (row = new Array(sample.length)));
      row[i] ??= { distance: Math.max(0, hit.distance), faceId: hit.faceId };
    }
    if (!found) without++;
  }
  if (without >= sample.length - at) return null;
  const groupPhotos = new Set(faces.map((f) => f.photoId));
  const apartFrom = scan.setApart?.get(group.id);
  const askedBeyondReach = beyondReachJudge(library, sample, own, scan);
  let best: GroupDistance | null = null;
  for (const [personId, row] of nearest) {
    // The group-to-person distance: the quantile of the sampled faces' distances, a face beyond reach counting as far.
    const sorted = Array.from({ length: sample.length }, (_, i) => row[i]).sort((a, b) => (a?.distance ?? Infinity) - (b?.distance ?? Infinity));
    const near = sorted[at];
    if (!near || near.distance > farthest) continue;
    if (best && near.distance >= best.distance) continue;
    if (near.distance > scan.reach && !askedBeyondReach(near.distance, scan.facesOf(personId))) continue;
    // Either side's No: "not them" said of this group's faces, or of theirs about this group (same-person.ts).
    if (saidNo(faces, personId, scan) || saidNo(scan.facesOf(personId), group.id, scan)) continue;
    // Set apart from them by a name the user gave the other part (setApartFrom): Familiar's own "not them" stands.
    if (apartFrom?.has(personId)) continue;
    const theirPhotos = scan.photosOf(personId);
    if (theirPhotos && [...groupPhotos].some((photo) => theirPhotos.has(photo))) continue;
    best = { groupId: group.id, personId, distance: near.distance, nearestFaceId: near.faceId };
  }
  return best;
}

/**
 * Whether a group farther from a person than the reach (and within the loose reach: the caller's to check) is asked about
 * them all the same: a loose group, its distance to them at most `looseSpread` of its own spread (nearest other faces);
 * or one like them as a whole, the mean distance between its faces and theirs at most `asAWholeSpread` times the looser
 * spread of the two (spreadOfGroup); or, for a person with no spread (hasSpread), one person with them by the pair rule
 * up to `smallReach`. The group's own spreads are measured once, for every person it is judged against.
 */
function beyondReachJudge(
  library: PeopleLibrary,
  sample: readonly FaceRecord[],
  own: readonly FaceRecord[],
  rule: Pick<Scan, 'looseReach' | 'smallReach' | 'looseSpread' | 'asAWholeSpread'>,
): (distance: number, personFaces: readonly FaceRecord[]) => boolean {
  let nearestOther: number | undefined;
  let spread: number | undefined;
  return (distance, personFaces) => {
    if (distance > rule.looseReach) return distance <= rule.smallReach && !hasSpread(personFaces) && oneOfFewFaces(library, sample, personFaces, rule.smallReach);
    if (distance <= rule.looseSpread * (nearestOther ??= nearestOtherFaceMedianOf(library, sample, own))) return true;
    return rule.asAWholeSpread > 0 && likeAsAWhole(library, sample, personFaces, rule.asAWholeSpread, (spread ??= spreadOfGroup(library, own)), rule.smallReach);
  };
}

/** Whether a person has faces enough for a spread (SPREAD_FROM): else a group may be judged against them by oneOfFewFaces. */
function hasSpread(personFaces: readonly FaceRecord[]): boolean {
  return personFaces.filter(isComparable).length >= SPREAD_FROM;
}

/**
 * Whether a group lies from a person, as a whole, within `factor` times the looser spread of the two: the mean distance
 * between its sampled faces and theirs (evenly sampled) against spreadOfGroup's. `groupSpread`: the group's, measured.
 * A person with no spread (hasSpread) counts as 0 there; oneOfFewFaces may pass the group instead.
 */
function likeAsAWhole(
  library: PeopleLibrary,
  sample: readonly FaceRecord[],
  personFaces: readonly FaceRecord[],
  factor: number,
  groupSpread: number,
  smallReach: number,
): boolean {
  const theirs = personFaces.filter(isComparable);
  if (theirs.length === 0 || sample.length === 0) return false;
  if (meanApart(library, sample, theirs) <= factor * Math.max(groupSpread, spreadOfGroup(library, theirs))) return true;
  return !hasSpread(theirs) && oneOfFewFaces(library, sample, theirs, smallReach);
}

/** The mean distance between a group's sampled faces and a person's (evenly sampled). */
function meanApart(library: PeopleLibrary, sample: readonly FaceRecord[], personFaces: readonly FaceRecord[]): number {
  const reference = evenlySampled(personFaces, SPREAD_SAMPLE).map((f) => library.embeddingOf(f));
  let apart = 0;
  for (const face of sample) {
    const vector = library.embeddingOf(face);
    for (const other of reference) apart += cosineDistanceOf(vector, other);
  }
  return apart / (sample.length * reference.length);
}

/**
 * Whether a group is one person with someone of too few faces for a spread (hasSpread), by the pair rule: the mean
 * distance between its faces and theirs within `smallReach` (smallPersonReach), and, of the unnamed groups, it holds
 * the face nearest one of theirs (holdsNearestFaceTo). On lfw_subset with half the people named from one photo and
 * the rest of everyone's photos in groups of 3-4 (docs/clustering.md), the mean alone passed 412 groups of other people
 * besides 700 of their own; with the nearest face, 8 and 640 (7 and 627 before).
 */
function oneOfFewFaces(library: PeopleLibrary, sample: readonly FaceRecord[], personFaces: readonly FaceRecord[], smallReach: number): boolean {
  const theirs = personFaces.filter(isComparable);
  if (theirs.length === 0 || sample.length === 0) return false;
  return meanApart(library, sample, theirs) <= smallReach && holdsNearestFaceTo(library, theirs, sample[0].personId);
}

/**
 * Whether, of the unnamed groups, this one holds the face nearest a face of the person's. The pair rule alone passes a
 * lookalike's group beside theirs: QA's Penny (0.085 from Britney Spears's one face as a whole) beside Britney's own
 * group (0.078), which holds the face nearest hers. A second group of theirs waits until the first is theirs (then
 * they have a spread).
 */
function holdsNearestFaceTo(library: PeopleLibrary, personFaces: readonly FaceRecord[], groupId: string | null): boolean {
  const groups = new Set(library.people.people.filter((p) => p.name === null && !p.hidden).map((p) => p.id));
  const inGroup = (f: FaceRecord) => f.personId !== null && groups.has(f.personId) && isComparable(f);
  let nearest: SearchHit | undefined;
  for (const face of personFaces) {
    const [hit] = library.search(library.embeddingOf(face), 1, inGroup);
    if (hit && (!nearest || hit.distance < nearest.distance)) nearest = hit;
  }
  return nearest !== undefined && library.face(nearest.faceId)?.personId === groupId;
}

/** Faces a group's spread is measured on (evenly sampled beyond): bounds the work for large groups. */
const SPREAD_SAMPLE = 64;

/** A group's spread as group admission measures it: the median of its faces' mean distances to each other. */
export function spreadOfGroup(library: Pick<PeopleLibrary, 'embeddingOf'>, faces: readonly FaceRecord[]): number {
  const comparable = faces.filter(isComparable);
  if (comparable.length < 2) return 0;
  const sample = evenlySampled(comparable, SPREAD_SAMPLE);
  const dim = library.embeddingOf(sample[0]).length;
  const data = new Float32Array(sample.length * dim);
  sample.forEach((f, i) => data.set(library.embeddingOf(f), i * dim));
  return spreadOf({ dim, count: sample.length, data }, [...sample.keys()]);
}

/**
 * Whether a group `distance` from a person (groupToPersonDistance) is near enough for "Is this <Name>?" to ask about
 * them: within the reach, or beyond it up to the loose reach (for a person of few faces, smallPersonReach) as
 * beyondReachJudge allows. A name typed for the group is held to the same rule (name-join.ts): what Familiar would
 * offer joins as typed, what it never would is asked about.
 */
export function nearEnoughToAsk(library: PeopleLibrary, groupFaces: readonly FaceRecord[], personFaces: readonly FaceRecord[], distance: number): boolean {
  if (distance <= groupCandidateReach(library)) return true;
  const [looseReach, smallReach] = [looseGroupReach(library), smallPersonReach(library)];
  if (distance > Math.max(looseReach, smallReach)) return false;
  const { own, sample } = groupSampleOf(groupFaces);
  return sample.length > 0 && beyondReachJudge(library, sample, own, { looseReach, smallReach, looseSpread: LOOSE_GROUP_SPREAD, asAWholeSpread: AS_A_WHOLE_SPREAD })(distance, personFaces);
}

/**
 * The group-to-person distance "Is this <Name>?" judges a group by: its sampled faces (groupSampleOf), each at the
 * distance of the person's nearest face, and the median of those; a face said not to be them counts as far as can be.
 * Exact: every face of the person is compared (one group and person, not a queue searched in the index).
 */
export function groupToPersonDistance(
  library: Pick<PeopleLibrary, 'faces' | 'embeddingOf'>,
  faces: readonly FaceRecord[],
  personId: string,
): { distance: number | null; groupFaceId: string | null; personFaceId: string | null } {
  const reference = referenceOf(library, library.faces.filter((f) => f.personId === personId));
  return distanceToReference(library, groupSampleOf(faces).sample, personId, reference);
}

/** A person's faces a group is measured against, with their vectors: boxes kept as drawn measure nothing (isComparable). */
function referenceOf(library: Pick<PeopleLibrary, 'embeddingOf'>, faces: readonly FaceRecord[]): { faces: FaceRecord[]; vectors: Float32Array[] } {
  const comparable = faces.filter(isComparable);
  return { faces: comparable, vectors: comparable.map((f) => library.embeddingOf(f)) };
}

function distanceToReference(
  library: Pick<PeopleLibrary, 'embeddingOf'>,
  sample: readonly FaceRecord[],
  /** Whose "not them" on a face counts as far as can be; null: none, each face at its distance. */
  personId: string | null,
  reference: { faces: readonly FaceRecord[]; vectors: readonly Float32Array[] },
): { distance: number | null; groupFaceId: string | null; personFaceId: string | null } {
  if (sample.length === 0 || reference.faces.length === 0) return { distance: null, groupFaceId: null, personFaceId: null };
  const measured = sample.map((face) => {
    if (personId !== null && face.rejectedPersonIds.includes(personId)) return { face, distance: Infinity, nearest: null as FaceRecord | null };
    const own = library.embeddingOf(face);
    let best = { distance: Infinity, nearest: null as FaceRecord | null };
    reference.vectors.forEach((v, i) => {
      const d = cosineDistanceOf(own, v);
      if (d < best.distance) best = { distance: d, nearest: reference.faces[i] };
    });
    return { face, ...best };
  });
  measured.sort((a, b) => a.distance - b.distance);
  const at = measured[Math.min(measured.length - 1, Math.floor(GROUP_QUANTILE * (measured.length - 1) + 1e-9))];
  if (!Number.isFinite(at.distance)) return { distance: null, groupFaceId: at.face.id, personFaceId: null };
  return { distance: Math.max(0, at.distance), groupFaceId: at.face.id, personFaceId: at.nearest!.id };
}

/**
 * How far apart a group's own faces lie, as the loose rule measures it: the median distance from each sampled face to
 * its nearest other face (not group admission's spreadOf, the median of faces' mean distances to each other).
 */
function nearestOtherFaceMedianOf(library: PeopleLibrary, sample: readonly FaceRecord[], faces: readonly FaceRecord[]): number {
  if (faces.length < 2) return 0;
  const distances = sample.map((face) => {
    const vector = library.embeddingOf(face);
    let nearest = Infinity;
    for (const other of faces) if (other !== face) nearest = Math.min(nearest, cosineDistanceOf(vector, library.embeddingOf(other)));
    return nearest;
  });
  return distances.sort((a, b) => a - b)[Math.floor((distances.length - 1) / 2)];
}

/** What the screen showed of a group when it asked about it: the answer is about those faces. */
export interface ShownGroup {
  /** The group's faces on screen (with those left out). */
  faceIds: readonly string[];
  /** How many faces the group had then (a large group shows only some). */
  faceCount: number;
  /** Faces the user clicked as someone else: a Yes leaves them out, in the same decision. */
  leftOutFaceIds?: readonly string[];
}

/** Said when the group's faces are no longer the ones the user answered about. */
export const GROUP_CHANGED = 'This group changed while you looked at it: look again.';

/**
 * The user's answer to "Is this <Name>?" about a group. Yes merges the group into the person (every face becomes
 * theirs, as typing the name does), less the faces the user left out, which are marked not the group's (so not the
 * person's either); No marks each of the group's faces "not <Name>" (the "Not X" decision), so the question does not
 * come back and the group may be asked about its next nearest person. Either is one undoable decision.
 *
 * With `shown`, the answer stands only while the group is as the screen showed it: each face shown still in it, and
 * as many faces in all. A grouping during an import can change up to half a group's faces and keep its id, and a Yes
 * would then confirm faces the user never saw; it is refused instead, checked in the decision's own transaction.
 */
export async function answerGroupCandidate(library: PeopleLibrary, groupRef: string, personRef: string, same: boolean, shown?: ShownGroup): Promise<OperationResult> {
  const group = resolvePerson(library.people.people, groupRef);
  const person = resolvePerson(library.people.people, personRef);
  if (group.name !== null) throw new PeopleError(`"${group.name}" has a name already: only an unnamed group is asked about.`);
  if (person.name === null) throw new PeopleError('Say which named person the group is or is not.');
  if (group.id === person.id) throw new PeopleError('A group cannot be asked about itself.');
  const faces = library.faces.filter((f) => f.personId === group.id);
  if (faces.length === 0) throw new PeopleError('That group has no faces left.');
  const leaveOut = [...new Set(shown?.leftOutFaceIds ?? [])];
  if (leaveOut.length > 0) {
    if (!same) throw new PeopleError('Faces are left out of a Yes only: a No is about every face of the group.');
    if (leaveOut.some((id) => !shown!.faceIds.includes(id))) throw new PeopleError('Only faces shown with the question can be left out of it.');
    if (leaveOut.length >= shown!.faceCount) throw new PeopleError('Every face of this group is left out: leave at least one in, or answer No.');
  }
  // In the transaction: the faces answered about are the group's still (and, for No, the ones marked).
  const check = (all: readonly FaceRecord[]) => {
    const theirs = all.filter((f) => f.personId === group.id);
    const now = new Set(theirs.map((f) => f.id));
    const unchanged = now.size === faces.length && faces.every((f) => now.has(f.id));
    // The screen counted the group as People does: a resized copy's face is its original's (else every answer about
    // a group holding one was refused as changed).
    const counted = withoutCopyFaces(library, theirs).length;
    if (!unchanged || (shown && (counted !== shown.faceCount || shown.faceIds.some((id) => !now.has(id))))) throw new PeopleError(GROUP_CHANGED);
  };
  return same
    ? mergePeople(library, person.id, [group.id], { check, leaveOut })
    : rejectFaces(library, faces.map((f) => f.id), person.id, { check });
}

/** Runs a scan in steps to its end, at once (a test, a measurement, or a caller that cannot wait). */
export function toEnd<T>(steps: Generator<void, T>): T {
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

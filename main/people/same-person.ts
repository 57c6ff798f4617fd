// "Are these the same person?" about two unnamed groups, as Apple Photos asks. The clustering keeps one person's two
// halves as one group only when they lie close (HALVES_SHARE, main/people/clustering.ts); halves a little farther
// apart stay two groups, and "Is this <Name>?" (group-candidates.ts) asks about the other only once one is named.
// Until then the user has to spot the two groups on "Who is this?" and type one name twice.
//
// A pair is judged with "Is this <Name>?"'s own measure (nearestTargetOf: the median of a group's sampled faces'
// distances to the other's nearest face), each way: the pair's distance is the farther of the two, so half of each
// group's faces must look like the other. Never about two groups in one photo, nor a pair the user said No about (a
// No marks each group's faces "not" the other group: a group named or merged into someone later keeps the mark, as a
// merge re-points "not" marks, and a regrouping that gives a group a new id re-points the marks about it too,
// main/people/clustering.ts; Undo takes both sides back). Yes merges the two as one decision.
// Measured on lfw_subset (docs/clustering.md, "Are these the same person?"; npm run bench:review -- --only same-person).
import { evenlySampled } from '../../models/cluster/random.js';
import { cosineDistanceOf } from '../../models/cluster/vectors.js';
import { decide, mergePeople } from './decisions.js';
import { facesSearch, nearestTargetOf, spreadOfGroup, type GroupCandidateOptions, type GroupDistance, type GroupTargets } from './group-candidates.js';
import { facesByPerson, isComparable, PeopleError, resolvePerson, type PeopleLibrary } from './library.js';
import { suggestionReach } from './queries.js';
import { questionThresholds } from './thresholds.js';
import type { FaceRecord, PersonRecord } from '../store/types.js';
import type { OperationResult } from './types.js';

/**
 * How near two unnamed groups must lie each way, as a share of the same-person distance: 0.052 for the backbone, the
 * reach of "Is this <Name>?". A looser Settings value moves it too; a stricter one, which splits more people, does not
 * shrink it below the calibrated distance's share (questionThresholds). Chosen on lfw_subset clustered whole and with
 * 3-9 photos a person (docs/clustering.md): precision first, since a wrong "same person?" about two sisters costs the
 * user's trust more than a missed one costs a name typed twice. Without the spread test below, two people's groups
 * lie from 0.043 on (Hu Jintao and Wen Jiabao), as near as one person's.
 */
export const SAME_PERSON_SHARE = 0.6;

/**
 * And no farther apart than this many times the looser group's spread (group admission's measure: the median of its
 * faces' mean distances to each other). One person's halves lie about as far from each other as each one's own faces
 * do; two people (Hu Jintao and Wen Jiabao, Serena and Venus Williams) are two tight groups at a distance. On
 * lfw_subset (docs/clustering.md) no pair of two people within reach passed 1.2; at 1.3 one did, at 1.4 several.
 */
export const SAME_PERSON_SPREAD = 1.2;

/** Faces of each group shown side by side with the question: enough to see one person, few enough to see at once. */
export const SHOWN_FACES = 4;

/** Nearest faces searched per face of a group (as group-candidates.ts). */
const NEIGHBOURS = 32;

/** Two unnamed groups that look like one person. */
export interface SamePersonPair {
  /** The group asked about (for a listing: the larger of the two). */
  groupId: string;
  /** The group it looks like. */
  otherId: string;
  /** The farther of the two group-to-group distances: smaller is surer. */
  distance: number;
  /** A face of each near the other: shown first. */
  groupFaceId: string;
  otherFaceId: string;
}

export interface SamePersonOptions extends Omit<GroupCandidateOptions, 'reach' | 'filteredSearch'> {
  /** Overrides the reach (measurement): the farthest pair distance offered. */
  reach?: number;
  /** Overrides SAME_PERSON_SPREAD (measurement; Infinity: no spread test). */
  spreadFactor?: number;
}

/** How near two unnamed groups must lie each way to be asked about, under the library's thresholds. */
export function samePersonReach(library: Pick<PeopleLibrary, 'info' | 'settings'>): number {
  const thresholds = questionThresholds(library);
  return Math.min(suggestionReach(thresholds), SAME_PERSON_SHARE * thresholds.sameDistance);
}

/** The unnamed groups shown on "Who is this?" (not hidden), with their faces. */
function unnamedGroups(library: PeopleLibrary): { groups: Map<string, PersonRecord>; byPerson: Map<string, FaceRecord[]> } {
  const byPerson = facesByPerson(library.faces);
  const groups = new Map(library.people.people.filter((p) => !p.hidden && p.name === null && (byPerson.get(p.id)?.length ?? 0) > 0).map((p) => [p.id, p]));
  return { groups, byPerson };
}

function targetsOf(groups: ReadonlyMap<string, PersonRecord>, byPerson: ReadonlyMap<string, readonly FaceRecord[]>, search: GroupTargets['search']): GroupTargets {
  const photos = new Map<string, Set<string>>();
  return {
    people: groups,
    photosOf: (id) => photos.get(id) ?? photos.set(id, new Set((byPerson.get(id) ?? []).map((f) => f.photoId))).get(id),
    facesOf: (id) => byPerson.get(id) ?? [],
    search,
  };
}

/**
 * The pair a group's nearest group makes with it, or null: the group's nearest by the measure (forward), then that
 * group's distance back to it, searched exactly among its faces.
 */
function pairOf(
  library: PeopleLibrary,
  group: PersonRecord,
  groups: ReadonlyMap<string, PersonRecord>,
  byPerson: ReadonlyMap<string, readonly FaceRecord[]>,
  forward: GroupTargets,
  options: SamePersonOptions & { reach: number },
): SamePersonPair | null {
  const near = nearestTargetOf(library, group, byPerson.get(group.id)!, forward, options);
  if (!near) return null;
  const back = distanceBack(library, near, group, groups, byPerson, options);
  if (!back) return null;
  const distance = Math.max(near.distance, back.distance);
  const spreadFactor = options.spreadFactor ?? SAME_PERSON_SPREAD;
  if (Number.isFinite(spreadFactor) && distance > spreadFactor * Math.max(spreadOfGroup(library, byPerson.get(group.id)!), spreadOfGroup(library, byPerson.get(near.personId)!))) return null;
  return { groupId: group.id, otherId: near.personId, distance, groupFaceId: back.nearestFaceId, otherFaceId: near.nearestFaceId };
}

/** The other group's distance to `group` by the same measure, its faces searched among the group's alone. */
function distanceBack(
  library: PeopleLibrary,
  near: GroupDistance,
  group: PersonRecord,
  groups: ReadonlyMap<string, PersonRecord>,
  byPerson: ReadonlyMap<string, readonly FaceRecord[]>,
  options: SamePersonOptions & { reach: number },
): GroupDistance | null {
  const own = byPerson.get(group.id)!.filter(isComparable);
  const only = new Map([[group.id, group]]);
  const exact = (vector: Float32Array) =>
    own
      .map((f) => ({ faceId: f.id, distance: cosineDistanceOf(vector, library.embeddingOf(f)) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, NEIGHBOURS);
  return nearestTargetOf(library, groups.get(near.personId)!, byPerson.get(near.personId)!, targetsOf(only, byPerson, exact), options);
}

function optionsOf(library: PeopleLibrary, options: SamePersonOptions): SamePersonOptions & { reach: number } {
  return { ...options, reach: options.reach ?? samePersonReach(library) };
}

/**
 * Every pair of unnamed groups (not hidden) that look like one person, surest first, each pair once (the larger group
 * first). The groups' faces get an index of their own, searched without a filter but the group's own faces.
 */
export function samePersonPairs(library: PeopleLibrary, options: SamePersonOptions = {}): SamePersonPair[] {
  const { groups, byPerson } = unnamedGroups(library);
  if (groups.size < 2) return [];
  const all = optionsOf(library, options);
  const search = facesSearch(library, [...groups.keys()].flatMap((id) => byPerson.get(id)!.filter(isComparable)));
  const seen = new Set<string>();
  const out: SamePersonPair[] = [];
  for (const group of groups.values()) {
    const pair = pairOf(library, group, groups, byPerson, targetsOf(groups, byPerson, (vector) => search(vector, group.id)), all);
    if (!pair) continue;
    const ordered = largerFirst(pair, byPerson);
    const key = `${ordered.groupId}|${ordered.otherId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ordered);
  }
  return out.sort((a, b) => a.distance - b.distance || a.groupId.localeCompare(b.groupId));
}

function largerFirst(pair: SamePersonPair, byPerson: ReadonlyMap<string, readonly FaceRecord[]>): SamePersonPair {
  const size = (id: string) => byPerson.get(id)?.length ?? 0;
  if (size(pair.groupId) > size(pair.otherId) || (size(pair.groupId) === size(pair.otherId) && pair.groupId < pair.otherId)) return pair;
  return { groupId: pair.otherId, otherId: pair.groupId, distance: pair.distance, groupFaceId: pair.otherFaceId, otherFaceId: pair.groupFaceId };
}

/**
 * The group one unnamed group looks like (its nearest, as samePersonPairs judges it), or null: one group's searches
 * only, through the library's index filtered to the other groups' faces, for the screen that shows this group.
 */
export function samePersonOf(library: PeopleLibrary, groupRef: string, options: SamePersonOptions = {}): SamePersonPair | null {
  return samePersonQuestionOf(library, groupRef, options)?.pair ?? null;
}

/** The question the screen asks about one group: the pair (samePersonOf), and each group's faces, all and shown. */
export interface SamePersonQuestion {
  pair: SamePersonPair;
  other: PersonRecord;
  /** Every face of each group, read once for the question. */
  groupFaces: readonly FaceRecord[];
  otherFaces: readonly FaceRecord[];
  /** What is shown of each (shownFacesOf). */
  groupShown: { faces: FaceRecord[]; count: number };
  otherShown: { faces: FaceRecord[]; count: number };
}

/** samePersonOf with the faces the screen shows of each group, the library's faces grouped by person once. */
export function samePersonQuestionOf(library: PeopleLibrary, groupRef: string, options: SamePersonOptions = {}): SamePersonQuestion | null {
  const group = resolvePerson(library.people.people, groupRef);
  if (group.hidden || group.name !== null) return null;
  const { groups, byPerson } = unnamedGroups(library);
  if (!groups.has(group.id) || groups.size < 2) return null;
  const isOtherGroupFace = (f: FaceRecord) => f.personId !== null && f.personId !== group.id && groups.has(f.personId) && isComparable(f);
  const forward = targetsOf(groups, byPerson, (vector) => library.search(vector, NEIGHBOURS, isOtherGroupFace));
  const pair = pairOf(library, group, groups, byPerson, forward, optionsOf(library, options));
  if (!pair) return null;
  const [groupFaces, otherFaces] = [byPerson.get(pair.groupId)!, byPerson.get(pair.otherId)!];
  return {
    pair,
    other: groups.get(pair.otherId)!,
    groupFaces,
    otherFaces,
    groupShown: shownFacesOf(groupFaces, pair.groupFaceId),
    otherShown: shownFacesOf(otherFaces, pair.otherFaceId),
  };
}

/** What the screen showed of each group when it asked: the answer is about those faces. */
export interface ShownGroups {
  group: { faceIds: readonly string[]; count: number };
  other: { faceIds: readonly string[]; count: number };
}

/** Said when a group's faces are no longer the ones the user answered about. */
export const GROUPS_CHANGED = 'These groups changed while you looked at them: look again.';

/** What a No says, in the toast and the CLI: about the two groups, not the faces marked. */
export const SAID_NOT_SAME = "Not the same person: these two groups won't be asked about together again.";

/**
 * The user's answer to "Are these the same person?". Yes merges the smaller group into the larger (the merge's own
 * decision: one Undo parts them again). No marks each group's faces "not" the other group, so the pair is not asked
 * about again whichever group later changes: a group named, or merged into a named person, carries the mark along
 * (a merge re-points "not" marks to whom it merges into), and a name given to either keeps the other from being asked
 * "Is this <Name>?" about it. Marking one side only (the smaller group's faces "not" the larger) lost the No when the
 * larger group was re-made by a regrouping, or when the smaller joined a large person and its few marked faces fell
 * below the share "Is this <Name>?" counts as a No. With `shown`, the answer stands only while both groups are as the
 * screen showed them, checked in the decision's own transaction (a grouping during an import can change a group and
 * keep its id).
 */
export async function answerSamePerson(library: PeopleLibrary, groupRef: string, otherRef: string, same: boolean, shown?: ShownGroups): Promise<OperationResult> {
  const group = resolvePerson(library.people.people, groupRef);
  const other = resolvePerson(library.people.people, otherRef);
  if (group.id === other.id) throw new PeopleError('A group cannot be the same person as itself: give two groups.');
  for (const p of [group, other]) if (p.name !== null) throw new PeopleError(`"${p.name}" has a name already: only two unnamed groups are asked about.`);
  if (group.hidden || other.hidden) throw new PeopleError('One of these groups is hidden: show it again (People, hidden groups) before answering about it.');
  const byPerson = facesByPerson(library.faces);
  const [groupFaces, otherFaces] = [byPerson.get(group.id) ?? [], byPerson.get(other.id) ?? []];
  if (groupFaces.length === 0 || otherFaces.length === 0) throw new PeopleError('One of these groups has no faces left.');
  const check = (all: readonly FaceRecord[]) => {
    const now = facesByPerson(all);
    for (const [id, before, seen] of [
      [group.id, groupFaces, shown?.group],
      [other.id, otherFaces, shown?.other],
    ] as const) {
      const ids = new Set((now.get(id) ?? []).map((f) => f.id));
      const unchanged = ids.size === before.length && before.every((f) => ids.has(f.id));
      if (!unchanged || (seen && (ids.size !== seen.count || seen.faceIds.some((faceId) => !ids.has(faceId))))) throw new PeopleError(GROUPS_CHANGED);
    }
  };
  const [larger, smaller] = otherFaces.length > groupFaces.length ? [other, group] : [group, other];
  if (same) return mergePeople(library, larger.id, [smaller.id], { check });
  return decide(library, 'not-same', (ctx) => {
    check(ctx.faces);
    const marked: string[] = [];
    for (const [faces, not] of [
      [groupFaces, other.id],
      [otherFaces, group.id],
    ] as const) {
      for (const f of faces) {
        if (f.rejectedPersonIds.includes(not)) continue;
        ctx.touchFace(f);
        f.rejectedPersonIds = [...f.rejectedPersonIds, not];
        marked.push(f.id);
      }
    }
    return { description: SAID_NOT_SAME, personIds: [larger.id, smaller.id], faceIds: marked };
  });
}

/** Faces of a group shown with the question: up to `count`, `first` (the one nearest the other group) first. */
export function shownFacesOf(faces: readonly FaceRecord[], first: string, count = SHOWN_FACES): { faces: FaceRecord[]; count: number } {
  const nearest = faces.find((f) => f.id === first);
  const rest = evenlySampled(faces.filter((f) => f !== nearest), count - (nearest ? 1 : 0));
  return { faces: [...(nearest ? [nearest] : []), ...rest].slice(0, count), count: faces.length };
}

// Clustering applied to the library: the full recluster (every face, every decision kept) and the incremental
// assignment of newly imported faces (placement through the hnswlib index, then clustering among the unknown).
// Both compute outside the write transaction and then apply, inside it, only what still holds: a face the user
// decided on meanwhile (assignedBy 'user', a new rejection) keeps the user's decision.
import { applyConstraints } from '../../models/cluster/constraints.js';
import { DEFAULT_EXACT_LIMIT, type NeighbourGraph } from '../../models/cluster/knn.js';
import { clusterMembers } from '../../models/cluster/labels.js';
import { ClusterSession, neighboursNeeded, sameGroupDistance, smallestGroup, type ClusterParams } from '../../models/cluster/methods.js';
import { separateSamePhotoFaces } from '../../models/cluster/same-photo.js';
import { separateTwoPeople } from '../../models/cluster/two-people.js';
import { STRAYS_SET_ASIDE } from './two-people.js';
import { admitAlikeFaces } from './group-admission.js';
import { placeFace, type Neighbour } from '../../models/cluster/placement.js';
import { unbornIn } from './before-birth.js';
import { EDITED_FACE_DISTANCE } from '../../models/cluster/same-face.js';
import { cosineDistanceOf, selectRows, type VectorSet } from '../../models/cluster/vectors.js';
import { ProgressTracker, throwIfCancelled, type ProgressListener } from '../jobs/progress.js';
import { plural } from '../../preload/contract.js';
import type { Library, SearchHit } from '../store/library.js';
import type { FaceRecord, PersonRecord } from '../store/types.js';
import { isComparable, isForReview, isLeftToUser, isPinnedUnknown, mayOnlyBePlaced, newPersonId, nowIso, type PeopleLibrary } from './library.js';
import { originalFaceOf, withoutCopyFaces } from './copy-faces.js';
import { PLACEMENT_NEIGHBOURS, placementsThatDoNotHold } from './placement-check.js';
import { thresholdsFor } from './thresholds.js';
import type { Decision, PeopleThresholds } from './types.js';

export interface ClusteringOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** false: recluster keeps every placement its groups make (only to measure the check, `npm run bench:cluster`). */
  holdPlacements?: boolean;
  /** false: groups keep the faces chained to them that are unlike the group (only to measure, `npm run bench:cluster`). */
  admitAlikeOnly?: boolean;
  /** false: the clustering keeps whole each chain of faces within its distance (only to measure, `npm run bench:cluster`). */
  componentsBornAtCap?: boolean;
  /** false: the clustering parts one person's two close halves like any cluster (only to measure, HALVES_SHARE). */
  halvesKeptWhole?: boolean;
}

export interface ReclusterSummary {
  /** The library's faces, counted as People counts them (a resized copy's once). */
  faces: number;
  /**
   * Of `faces`, those the regrouping drew groups from (its progress counts these): not the ones set aside, too small
   * or unclear to recognise, doubted as faces, or boxes drawn where no face was detected. QA read "Regrouped 502
   * faces" and then "533 faces" as two counts of one thing.
   */
  regrouped: number;
  /** Faces in a person after the run (named or not) that People shows: the hidden ones' are `hiddenFaces`. */
  assigned: number;
  /**
   * Faces in no group that "Who is this?" asks about: as many as the app counts there. The faces the user said not to
   * ask about are `notAskedAbout` (QA: Regroup said "16 faces are in no group" where every screen said 11).
   */
  unknown: number;
  /** Faces the user set aside ("Don't ask about this face", a deleted group's faces): in no group, never asked about. */
  notAskedAbout: number;
  /**
   * Persons (named or unnamed) that hold faces, as People lists them: not hidden (QA: Regroup counted a hidden group
   * that neither People nor "Who is this?" shows).
   */
  people: number;
  /** People and groups the user hid that hold faces, and how many faces they hold: in neither count above. */
  hidden: number;
  hiddenFaces: number;
  newGroups: number;
  /** Groups the clustering drew with two faces of one photo (one person appears once in a photo). */
  samePhotoGroups: number;
  /** Of those, the groups whose photos showed someone twice too often for one person: redrawn as several people. */
  samePhotoSplits: number;
  /** Groups whose two parts were farther apart on average than one person's faces: split in two. */
  twoPeopleSplits: number;
  /**
   * Faces chained to a group they are unlike as a whole, left as single faces, and groups of few loosely alike faces
   * that were no group (main/people/group-admission.ts).
   */
  facesSetAside: number;
  groupsDissolved: number;
  /**
   * Faces the clustering put with a person the user confirmed faces of that an import would not place there, or
   * that the person's page calls unlike them: left under "Who is this?" (main/people/placement-check.ts).
   */
  placementsReleased: number;
  /**
   * Of those, the faces that were with a person the user named before this regrouping and now wait in no group: said
   * in the summary, since a named person holding fewer faces after Regroup would otherwise go unexplained (QA).
   */
  namedFacesWaiting: number;
  method: string;
  seconds: number;
}

export interface AssignSummary {
  faces: number;
  /** Joined an existing person through the index. */
  placed: number;
  /** Formed new unnamed groups with other unknown faces. */
  grouped: number;
  newGroups: number;
  unknown: number;
}

/**
 * A cluster's two parts that lie within this share of the same-person distance of each other on average (0.0435 for
 * the backbone) are one person's halves, kept as one group (HdbscanParams.halvesWithin). The excess of mass parted a
 * person's few photos into two groups when another person's faces join theirs soon above the split: their own cluster
 * lived too briefly to outweigh its halves (lfw_subset with 8 photos a person, seed 1: Lindsay Davenport in 4 and 4).
 * Over lfw_subset with 3-9 photos a person (seeds 1-15), whole and with every face of each photo, ORL and yalefaces,
 * two people's parts lay 0.050 apart at the nearest, one person's halves from 0.017 up: within 0.0435, 48 of the 221
 * splits that parted a person (9 of 55 with 8 photos a person) and none that parted two people. Halves a little farther apart are asked
 * about once one is named ("Is this <Name>?", main/people/group-candidates.ts); beyond about 0.06 they lie where two
 * people's groups do, and wait for the user (docs/clustering.md, "People photographed a few times").
 */
export const HALVES_SHARE = 0.5;

/** Photo index per face: the same number for faces of the same photo. */
function photoIndexOf(faces: readonly FaceRecord[]): Int32Array {
  const index = new Map<string, number>();
  return Int32Array.from(faces, (f) => index.get(f.photoId) ?? index.set(f.photoId, index.size).get(f.photoId)!);
}

/** What clusterFaces needs of the thresholds in use, and whether groups keep only faces alike to them. */
interface ClusterRules {
  params: ClusterParams;
  sameDistance: number;
  placeDistance: number;
  admitAlikeOnly?: boolean;
}

function clusterRules(thresholds: PeopleThresholds, options: ClusteringOptions): ClusterRules {
  let params = thresholds.cluster;
  if (params.method === 'hdbscan' && options.componentsBornAtCap === false) params = { ...params, bornAtCap: false };
  if (params.method === 'hdbscan' && options.halvesKeptWhole !== false) params = { ...params, halvesWithin: HALVES_SHARE * thresholds.sameDistance };
  return { params, sameDistance: thresholds.sameDistance, placeDistance: thresholds.placeDistance, admitAlikeOnly: options.admitAlikeOnly };
}

/**
 * Clusters `faces` with the library's method, then settles any group holding two faces of one photo (one person
 * appears once in a photo; models/cluster/same-photo.ts): redrawn as several people at the method's own
 * same-person distance, or trimmed to one face per photo. Then a group whose two halves are farther apart on
 * average than the calibrated same-person distance is split in two (models/cluster/two-people.ts). Last, a face
 * chained to a group it is unlike as a whole leaves it (main/people/group-admission.ts), unless the user placed a face
 * of that group (recluster's placement check holds those).
 */
function clusterFaces(set: VectorSet, faces: readonly FaceRecord[], rules: ClusterRules, graph?: NeighbourGraph) {
  const { params, sameDistance } = rules;
  const photoOf = photoIndexOf(faces);
  const labels = new ClusterSession(set, neighboursNeeded(params), {}, graph).run(params);
  const separated = separateSamePhotoFaces(set, labels, photoOf, { cut: sameGroupDistance(params) ?? sameDistance, minSize: smallestGroup(params) });
  const two = separateTwoPeople(set, separated.labels, { cut: sameDistance, minSize: smallestGroup(params), peelStrays: STRAYS_SET_ASIDE });
  const admitted = admitAlikeFaces(set, two.labels, {
    reach: sameGroupDistance(params) ?? sameDistance,
    floor: rules.placeDistance,
    minSize: smallestGroup(params),
    vouched: (row) => faces[row].assignedBy === 'user',
    enabled: rules.admitAlikeOnly !== false,
  });
  return { ...separated, labels: admitted.labels, twoPeopleSplits: two.groupsSplit, facesSetAside: admitted.facesSetAside, groupsDissolved: admitted.groupsDissolved, photoOf };
}

/**
 * The faces of a cluster that none of its people may take (rejected from them, or their photo already shows them),
 * clustered again among themselves, each cluster's apart: the groups they form, as rows of `faces`. "Not X" keeps a
 * face from X only: faces alike that share it stay a group (QA: the 7 faces of a group answered "not Jennifer A" were
 * each left in no group by Regroup faces, clustered as they were with her 3 faces), and a group forms only where the
 * method draws one among them, so strangers that were each like X do not become one group through X.
 */
function groupUnclaimed(set: VectorSet, faces: readonly FaceRecord[], unclaimed: readonly number[][], rules: ClusterRules): number[][] {
  const groups: number[][] = [];
  for (const rows of unclaimed) {
    if (rows.length < smallestGroup(rules.params)) continue;
    const { labels } = clusterFaces(selectRows(set, rows), rows.map((r) => faces[r]), rules);
    for (const members of clusterMembers(labels)) groups.push(members.map((m) => rows[m]));
  }
  return groups;
}

/**
 * "Not <group>" marks as cannot-link constraints (a No to "Are these the same person?", or faces said not to be a group
 * that has no face the user placed): in a cluster that holds a face marked "not X" and a face that was X's when the
 * regrouping starts, the faces of X and of the marked faces' own groups are held to their groups, as the user's faces
 * are held to their person, so applyConstraints parts the cluster along the old groups: each side keeps its id, a face
 * new to both goes to the side whose face is nearest, and a face marked "not X" never goes to X. Before, the
 * clustering read only "not <person the user placed faces of>": Jean Chretien's two groups of 4, said No to, and one
 * more photo of him regrouped as one group of 9 under a new id, the No lost. Returns row to group id, for the
 * clusters where the two sides meet only: a library without such marks pays one look at each face's marks.
 *
 * Only the pairs the user spoke of are held apart: a face's group and each group it was said not to be. Groups of one
 * cluster that nobody said apart (two groups a third was said not to be, or a face in no group not to be) are one side,
 * held under the id of the one with most faces there, as the clustering draws them; a group named, hidden or given a
 * cover keeps a side of its own. Each held its own, two groups C was said not to be stayed two groups for good
 * (tests/main/people/regroup-several-nos.test.ts). `heldWith`: the groups whose faces each id holds, so a face said not
 * to be one of them is kept from the side.
 *
 * A side held in several clusters keeps its id in the one holding most of its faces, as an unnamed group keeps its id
 * for a majority; each other part is held under a new id (`parts`, by the group it was part of). Held under its id in
 * each, its parts stayed one group the clustering had drawn apart: two groups mixing two people, said No to, stayed
 * mixed through every Regroup (tests/main/people/regroup-held-apart-parts.test.ts).
 */
function groupsHeldApart(
  faces: readonly FaceRecord[],
  labels: Int32Array,
  people: readonly PersonRecord[],
  pinnedPersons: ReadonlySet<string>,
): { held: Map<number, string>; parts: Map<string, PersonRecord[]>; heldWith: Map<string, Set<string>> } {
  const held = new Map<number, string>();
  const parts = new Map<string, PersonRecord[]>();
  const heldWith = new Map<string, Set<string>>();
  const records = new Map(people.map((p) => [p.id, p]));
  const isGroup = (id: string | null): id is string => id !== null && records.has(id) && !pinnedPersons.has(id);
  const marked = new Set<string>();
  for (const f of faces) for (const id of f.rejectedPersonIds) if (isGroup(id)) marked.add(id);
  if (marked.size === 0) return { held, parts, heldWith };
  // The marked groups each cluster holds faces of.
  const groupsIn = new Map<number, Set<string>>();
  faces.forEach((f, i) => {
    if (labels[i] < 0 || !marked.has(f.personId!)) return;
    const groups = groupsIn.get(labels[i]) ?? groupsIn.set(labels[i], new Set()).get(labels[i])!;
    groups.add(f.personId!);
  });
  // The groups to hold in each cluster where a face marked "not X" meets X's faces, each with the groups said apart from it.
  const apartIn = new Map<number, Map<string, Set<string>>>();
  faces.forEach((f, i) => {
    const groups = labels[i] >= 0 ? groupsIn.get(labels[i]) : undefined;
    if (!groups) return;
    for (const id of f.rejectedPersonIds) {
      if (id === f.personId || !groups.has(id)) continue;
      const apart = apartIn.get(labels[i]) ?? apartIn.set(labels[i], new Map()).get(labels[i])!;
      const from = (group: string) => apart.get(group) ?? apart.set(group, new Set()).get(group)!;
      from(id);
      if (isGroup(f.personId)) {
        from(id).add(f.personId);
        from(f.personId).add(id);
      }
    }
  });
  if (apartIn.size === 0) return { held, parts, heldWith };
  // Each cluster's sides: a group joins the first side (largest first) holding none said apart from it.
  const facesIn = new Map<number, Map<string, number>>();
  faces.forEach((f, i) => {
    if (f.personId === null || !apartIn.get(labels[i])?.has(f.personId)) return;
    const counts = facesIn.get(labels[i]) ?? facesIn.set(labels[i], new Map()).get(labels[i])!;
    counts.set(f.personId, (counts.get(f.personId) ?? 0) + 1);
  });
  const mayShare = (id: string) => isDisposable(records.get(id)!, new Set());
  const sideIn = new Map<number, Map<string, string>>();
  for (const [label, apart] of apartIn) {
    const count = (id: string) => facesIn.get(label)?.get(id) ?? 0;
    const sides: string[][] = [];
    const sideOf = new Map<string, string>();
    for (const id of [...apart.keys()].sort((a, b) => count(b) - count(a) || a.localeCompare(b))) {
      const side = mayShare(id) ? sides.find((s) => s.every((other) => mayShare(other) && !apart.get(id)!.has(other))) : undefined;
      if (side) side.push(id);
      else sides.push([id]);
      sideOf.set(id, (side ?? [id])[0]);
    }
    sideIn.set(label, sideOf);
  }
  // Each side's held rows, by cluster.
  const rowsOf = new Map<string, Map<number, number[]>>();
  faces.forEach((f, i) => {
    const side = f.personId === null || labels[i] < 0 ? undefined : sideIn.get(labels[i])?.get(f.personId);
    if (side === undefined || f.assignedBy === 'user' || f.rejectedPersonIds.includes(f.personId!)) return;
    held.set(i, side);
    const byCluster = rowsOf.get(side) ?? rowsOf.set(side, new Map()).get(side)!;
    const rows = byCluster.get(labels[i]) ?? byCluster.set(labels[i], []).get(labels[i])!;
    rows.push(i);
  });
  for (const [id, byCluster] of rowsOf) {
    if (byCluster.size < 2) continue;
    const [, ...others] = [...byCluster.values()].sort((a, b) => b.length - a.length);
    const made = others.map((rows): PersonRecord => {
      const part: PersonRecord = { id: newPersonId(), name: null, hidden: false, coverFaceId: null, createdAt: nowIso() };
      for (const r of rows) held.set(r, part.id);
      return part;
    });
    parts.set(id, made);
  }
  for (const [row, id] of held) (heldWith.get(id) ?? heldWith.set(id, new Set()).get(id)!).add(faces[row].personId!);
  return { held, parts, heldWith };
}

/**
 * The person the placement rule puts a face with, among the other faces (their person as `personOf` says), or null.
 * `unborn`: who cannot be in its photo (before-birth.ts), held as people the face was said not to be.
 */
function placedAmong(
  library: PeopleLibrary,
  f: FaceRecord,
  rule: { threshold: number; margin: number },
  personOf: (g: FaceRecord) => string | null,
  unborn: (face: FaceRecord) => readonly string[] = () => [],
): string | null {
  const neighbours: Neighbour[] = [];
  for (const h of library.search(library.embeddingOf(f), PLACEMENT_NEIGHBOURS)) {
    const g = library.face(h.faceId);
    if (g && g.id !== f.id && g.photoId !== f.photoId && isComparable(g)) neighbours.push({ personId: personOf(g), distance: h.distance });
  }
  const cannotBe = unborn(f);
  return placeFace(neighbours, rule, cannotBe.length > 0 ? [...f.rejectedPersonIds, ...cannotBe] : f.rejectedPersonIds)?.personId ?? null;
}

/**
 * The faces the regrouping (`assignment`: face id to person, for the faces it decides) would place with a person who
 * has confirmed faces that do not hold to the import's rule or that the person's page calls unlike them
 * (placementsThatDoNotHold). A group holding a person's confirmed faces becomes that person whole, chains of near
 * faces included: QA found a bodyguard under Tom Cruise after an embedder switch, flagged on his page as unlike him.
 * `nearest`: the rows' nearest faces the kNN graph searched for, reused instead of searching again.
 */
function placementsThatDoNotHoldAfter(
  library: PeopleLibrary,
  assignment: Map<string, string | null>,
  nearest: NearestRows | undefined,
  rows: readonly FaceRecord[],
  rowOf: Map<string, number>,
): Set<string> {
  const regrouped = library.faces.map((f): FaceRecord => {
    if (f.assignedBy === 'user' || !assignment.has(f.id)) return f;
    let personId = assignment.get(f.id) ?? null;
    if (personId !== null && f.rejectedPersonIds.includes(personId)) personId = null;
    return personId === f.personId && f.assignedBy === (personId === null ? null : 'cluster') ? f : { ...f, personId, assignedBy: personId === null ? null : 'cluster' };
  });
  const nearestKnown = (f: FaceRecord): SearchHit[] | undefined => {
    const i = rowOf.get(f.id);
    if (i === undefined || !nearest!.whole[i]) return undefined;
    const hits: SearchHit[] = [];
    for (let p = i * nearest!.width; p < (i + 1) * nearest!.width && nearest!.ids[p] >= 0; p++) hits.push({ faceId: rows[nearest!.ids[p]].id, distance: nearest!.dists[p] });
    return hits;
  };
  return new Set(placementsThatDoNotHold(library, regrouped, nearest ? nearestKnown : undefined).release.keys());
}

/** Unnamed, visible, coverless groups with no face the user vouched for: the clustering may redraw them. */
function isDisposable(p: PersonRecord, pinnedPersons: Set<string>): boolean {
  // A group given a birthday is the user's, as one given a cover: a regrouping dropped it, birthday and all (QA).
  return p.name === null && !p.hidden && p.coverFaceId === null && p.birthday === undefined && !pinnedPersons.has(p.id);
}

function vectorsOf(library: PeopleLibrary, faces: readonly FaceRecord[]): VectorSet {
  const dim = library.info.embeddingDim;
  const data = new Float32Array(faces.length * dim);
  faces.forEach((f, i) => data.set(library.embeddingOf(f), i * dim));
  return { dim, count: faces.length, data };
}

/** Each row's nearest faces among the rows, `width` a row, nearest first (-1 and Infinity past the last). */
interface NearestRows {
  width: number;
  ids: Int32Array;
  dists: Float32Array;
  /** 0 for a row one of whose nearest faces is not among the rows (a face the clustering leaves out). */
  whole: Uint8Array;
}

/**
 * The kNN graph from the library's persisted hnswlib index (large libraries: no throwaway index to build), and each
 * row's `keep` nearest faces (keep >= k) for the placement check: the search looks at as many candidates for 32
 * neighbours as for 16 (its ef), so they cost next to nothing more.
 */
async function graphFromLibraryIndex(
  library: PeopleLibrary,
  faces: readonly FaceRecord[],
  k: number,
  keep: number,
  rowOf: Map<string, number>,
  progress: { signal?: AbortSignal; searched: (faces: number) => void },
): Promise<{ graph: NeighbourGraph; nearest: NearestRows }> {
  const n = faces.length;
  const ids = new Int32Array(n * k).fill(-1);
  const dists = new Float32Array(n * k).fill(Infinity);
  const nearest: NearestRows = { width: keep, ids: new Int32Array(n * keep).fill(-1), dists: new Float32Array(n * keep).fill(Infinity), whole: new Uint8Array(n).fill(1) };
  for (let i = 0; i < n; i++) {
    // Most of a large regrouping's time: said as it goes, and a cancel heard (QA: progress stayed at 0 the whole run).
    if (i > 0 && i % SEARCHES_PER_TURN === 0) {
      progress.searched(i);
      await new Promise((resolve) => setImmediate(resolve));
      throwIfCancelled(progress.signal, 'recluster');
    }
    let p = 0;
    for (const hit of library.search(library.embeddingOf(faces[i]), keep + 1)) {
      const j = rowOf.get(hit.faceId);
      if (j === i) continue;
      if (j === undefined) {
        nearest.whole[i] = 0;
        continue;
      }
      if (p === keep) break;
      if (p < k) {
        ids[i * k + p] = j;
        dists[i * k + p] = Math.max(0, hit.distance);
      }
      nearest.ids[i * keep + p] = j;
      nearest.dists[i * keep + p] = Math.max(0, hit.distance);
      p++;
    }
  }
  progress.searched(n);
  return { graph: { count: n, k, ids, dists }, nearest };
}

/** Faces searched between two turns of the event loop (a tenth of a second or so at 100,000 faces). */
const SEARCHES_PER_TURN = 1000;

/** What a regrouping does once each face's nearest faces are found, in order: unequal in time, so counted without a pace. */
const REGROUP_STEPS = ['Drawing groups', 'Keeping your decisions', 'Checking the faces placed with people you confirmed', 'Saving the groups'];

export async function recluster(library: PeopleLibrary, options: ClusteringOptions = {}): Promise<ReclusterSummary> {
  const started = performance.now();
  const thresholds = thresholdsFor(library.info, library.settings);
  // Who cannot be in a face's photo (born after it: before-birth.ts): a group of their faces does not take it.
  const unborn = unbornIn(library);
  const tracker = new ProgressTracker('recluster', options.onProgress);
  let stageNow = '';
  /** A stage counted in faces, with its pace and time left. */
  const report = (stage: string, done: number, total: number, message: string) => {
    if (stage !== stageNow) tracker.resetWindow();
    stageNow = stage;
    tracker.report(stage, done, total, { message });
  };
  /** The regrouping's steps after the neighbours (REGROUP_STEPS): `done` of them finished, the next one running. */
  const step = (done: number) =>
    options.onProgress?.({ job: 'recluster', stage: 'cluster', done, total: REGROUP_STEPS.length, etaSeconds: null, ratePerSecond: null, message: REGROUP_STEPS[done] });
  // A box kept as drawn stays where the user put it, and draws no group: its vector may be of no face (isComparable).
  // A copy's face is its original's sighting again (originalFaceOf): it is no second sighting to draw a group, and
  // goes below where its original goes.
  const faces = withoutCopyFaces(library, library.faces).filter((f) => !isPinnedUnknown(f) && !isLeftToUser(library, f) && isComparable(f));
  const rowOf = new Map(faces.map((f, i) => [f.id, i]));
  report('vectors', 0, faces.length, 'Reading the faces');
  const set = vectorsOf(library, faces);
  throwIfCancelled(options.signal, 'recluster');
  // People the user confirmed faces of: the regrouping's placements with them are checked (below).
  const pinnedPersons = new Set(faces.filter((f) => f.assignedBy === 'user' && f.personId).map((f) => f.personId!));
  const k = neighboursNeeded(thresholds.cluster);
  const searched = (done: number) => report('neighbours', done, faces.length, "Finding each face's nearest faces");
  const fromIndex =
    faces.length > DEFAULT_EXACT_LIMIT
      ? await graphFromLibraryIndex(library, faces, k, pinnedPersons.size > 0 ? Math.max(k, PLACEMENT_NEIGHBOURS) : k, rowOf, { signal: options.signal, searched })
      : undefined;
  const graph = fromIndex?.graph;
  throwIfCancelled(options.signal, 'recluster');
  step(0);
  const rules = clusterRules(thresholds, options);
  const { labels, photoOf, groupsWithConflicts, groupsSplit, twoPeopleSplits, facesSetAside, groupsDissolved } = clusterFaces(set, faces, rules, graph);
  throwIfCancelled(options.signal, 'recluster');
  step(1);

  const { held: heldApart, parts, heldWith } = groupsHeldApart(faces, labels, library.people.people, pinnedPersons);
  // The parts of groups held apart in several clusters are people of this regrouping, as the groups it makes.
  const partGroups = [...parts.values()].flat();
  const persons = partGroups.length > 0 ? [...library.people.people, ...partGroups] : library.people.people;
  const personIndex = new Map(persons.map((p, i) => [p.id, i]));
  const pinned = new Int32Array(faces.length).fill(-1);
  faces.forEach((f, i) => {
    if (f.assignedBy === 'user' && f.personId !== null && personIndex.has(f.personId)) pinned[i] = personIndex.get(f.personId)!;
  });
  for (const [row, id] of heldApart) pinned[row] = personIndex.get(id)!;
  const { person, anonymous, unclaimed } = applyConstraints({
    vectors: set,
    labels,
    pinned,
    forbidden: (row, p) => {
      const rejected = faces[row].rejectedPersonIds;
      return rejected.includes(persons[p].id) || [...(heldWith.get(persons[p].id) ?? [])].some((id) => rejected.includes(id)) || unborn(faces[row]).includes(persons[p].id);
    },
    photoOf,
  });
  anonymous.push(...groupUnclaimed(set, faces, unclaimed, rules));
  const assignment = new Map<string, string | null>();
  faces.forEach((f, i) => assignment.set(f.id, person[i] >= 0 ? persons[person[i]].id : null));
  // Faces too small or unclear to recognise leave the people they were in and wait under "Who is this?"
  // (models/face-quality.ts); faces the autoencoder doubts join only a person they clearly look like.
  for (const f of library.faces) if (isLeftToUser(library, f)) assignment.set(f.id, null);

  // Unnamed groups keep their id when most of the group was that group before: the UI's selection survives.
  const disposable = new Set(persons.filter((p) => isDisposable(p, pinnedPersons)).map((p) => p.id));
  const taken = new Set<string>(heldApart.values());
  const created: PersonRecord[] = [...partGroups];
  const groups = [...anonymous].sort((a, b) => b.length - a.length);
  for (const rows of groups) {
    const votes = new Map<string, number>();
    for (const r of rows) {
      const old = faces[r].personId;
      if (old !== null && disposable.has(old) && !taken.has(old)) votes.set(old, (votes.get(old) ?? 0) + 1);
    }
    let id: string | null = null;
    for (const [candidate, count] of votes) if (count * 2 > rows.length && (id === null || count > votes.get(id)!)) id = candidate;
    if (id === null) {
      id = newPersonId();
      created.push({ id, name: null, hidden: false, coverFaceId: null, createdAt: nowIso() });
    }
    taken.add(id);
    // Not a face in a photo from before the person's birth: someone else's, however alike (an older sibling's).
    for (const r of rows) assignment.set(faces[r].id, faces[r].rejectedPersonIds.includes(id) || unborn(faces[r]).includes(id) ? null : id);
  }
  // The groups are drawn from the faces nobody doubts; a doubted face then joins the one it clearly looks like.
  const placeRule = { threshold: thresholds.placeDistance, margin: thresholds.placeMargin };
  for (const f of library.faces) {
    if (!mayOnlyBePlaced(library, f)) continue;
    const personId = placedAmong(library, f, placeRule, (g) => (g.assignedBy === 'user' ? g.personId : (assignment.get(g.id) ?? null)), unborn);
    if (personId !== null) assignment.set(f.id, personId);
  }
  throwIfCancelled(options.signal, 'recluster');
  step(2);
  const released = options.holdPlacements === false ? new Set<string>() : placementsThatDoNotHoldAfter(library, assignment, fromIndex?.nearest, faces, rowOf);
  for (const id of released) assignment.set(id, null);
  if (library.hasCopies) {
    for (const f of library.faces) {
      const original = f.assignedBy === 'user' ? undefined : originalFaceOf(library, f);
      if (original) assignment.set(f.id, assignment.has(original.id) ? assignment.get(original.id)! : original.personId);
    }
  }
  const retiredInto = retiredGroupsInto(library, disposable, taken, assignment);
  throwIfCancelled(options.signal, 'recluster');
  step(3);

  const summary = await library.transaction((tx) => {
    delete tx.people.regroupPending;
    const people = tx.people.people as PersonRecord[];
    people.push(...created);
    const existing = new Set(people.map((p) => p.id));
    /** The group each face this regrouping moves was in: a group it retires is followed in what Undo keeps. */
    const movedFrom = new Map<string, string>();
    for (const f of tx.faces) {
      delete f.unplaced;
      const personIdNow = f.assignedBy === 'user' || !assignment.has(f.id) ? f.personId : (assignment.get(f.id) ?? null);
      if (retiredInto.size > 0) repointRetired(f, retiredInto, personIdNow);
      if (parts.size > 0) notPartsEither(f, parts, personIdNow);
      if (f.assignedBy === 'user' || !assignment.has(f.id)) continue;
      let next: string | null = assignment.get(f.id) ?? null;
      if (next !== null && (f.rejectedPersonIds.includes(next) || !existing.has(next))) next = null;
      if (f.personId !== null && f.personId !== next) movedFrom.set(f.id, f.personId);
      f.personId = next;
      f.assignedBy = next === null ? null : 'cluster';
    }
    // A cover taken back by the placement check would show a face the person's page calls unlike them.
    const releasedNow = new Map(tx.faces.filter((f) => released.has(f.id)).map((f) => [f.id, f]));
    for (const p of people) if (p.coverFaceId !== null && releasedNow.has(p.coverFaceId) && releasedNow.get(p.coverFaceId)!.personId !== p.id) p.coverFaceId = null;
    const used = new Set(tx.faces.map((f) => f.personId).filter((id): id is string => id !== null));
    const pinnedNow = new Set(tx.faces.filter((f) => f.assignedBy === 'user' && f.personId).map((f) => f.personId!));
    tx.people.people = people.filter((p) => used.has(p.id) || !isDisposable(p, pinnedNow));
    // Retired: groups whose faces this regrouping took elsewhere (a group emptied before it comes back with Undo, as ever).
    const movedOutOf = new Set(movedFrom.values());
    const retired = new Set(people.filter((p) => movedOutOf.has(p.id) && !used.has(p.id) && isDisposable(p, pinnedNow)).map((p) => p.id));
    if (retired.size > 0) followRetiredInUndo(tx.people.decisions as Decision[], retired, retiredInto, movedFrom, (id) => library.face(id));
    const hiddenIds = new Set(tx.people.people.filter((p) => p.hidden && used.has(p.id)).map((p) => p.id));
    // Counted as People counts faces: a resized copy's face is its original's (withoutCopyFaces).
    const counted = withoutCopyFaces(library, tx.faces);
    const hiddenFaces = counted.filter((f) => f.personId !== null && hiddenIds.has(f.personId)).length;
    const assigned = counted.filter((f) => f.personId !== null).length - hiddenFaces;
    const notAskedAbout = counted.filter(isPinnedUnknown).length;
    const namedBefore = new Set(people.filter((p) => p.name !== null).map((p) => p.id));
    const namedFacesWaiting = counted.filter((f) => f.personId === null && released.has(f.id) && namedBefore.has(movedFrom.get(f.id) ?? '')).length;
    return {
      namedFacesWaiting,
      faces: counted.length,
      regrouped: faces.length,
      assigned,
      unknown: counted.length - assigned - hiddenFaces - notAskedAbout,
      notAskedAbout,
      people: used.size - hiddenIds.size,
      hidden: hiddenIds.size,
      hiddenFaces,
      newGroups: created.filter((p) => used.has(p.id)).length,
    };
  });
  report('done', faces.length, faces.length, `Regrouped ${plural(faces.length, 'face')}`);
  return { ...summary, samePhotoGroups: groupsWithConflicts, samePhotoSplits: groupsSplit, twoPeopleSplits, facesSetAside, groupsDissolved, placementsReleased: released.size, method: thresholds.cluster.method, seconds: (performance.now() - started) / 1000 };
}

/**
 * The unnamed groups a regrouping retires (their id kept by no new group: too few of their faces together in one) and
 * the unnamed group of this regrouping that holds most of each one's faces now. A "not <group>" mark (a No to "Are
 * these the same person?", a face said not to be that group) would otherwise point at a group that is gone, and the
 * question it answered come back about the group its faces are in now (QA: a No about two groups of 4, then 5 more
 * photos of the one person and a Regroup: the 9 got a new id). Only into an unnamed group: a named person's faces are
 * the user's word, the regrouping's placement with them a guess, and a wrong "not <Name>" would keep faces from them
 * silently, where a question asked again costs one more answer.
 */
function retiredGroupsInto(library: PeopleLibrary, disposable: ReadonlySet<string>, taken: ReadonlySet<string>, assignment: ReadonlyMap<string, string | null>): Map<string, string> {
  const sizes = new Map<string, number>();
  const landed = new Map<string, Map<string, number>>();
  for (const f of library.faces) {
    const old = f.personId;
    if (old === null || !disposable.has(old) || taken.has(old)) continue;
    sizes.set(old, (sizes.get(old) ?? 0) + 1);
    const now = assignment.get(f.id) ?? null;
    if (now === null || !taken.has(now)) continue;
    let counts = landed.get(old);
    if (!counts) landed.set(old, (counts = new Map()));
    counts.set(now, (counts.get(now) ?? 0) + 1);
  }
  const into = new Map<string, string>();
  for (const [old, counts] of landed) for (const [now, count] of counts) if (count * 2 > sizes.get(old)!) into.set(old, now);
  return into;
}

/**
 * A face's "not <retired group>" marks, re-pointed to the group that holds most of its faces now (retiredGroupsInto),
 * unless the regrouping put this face in that group too: it then drew the two together against the mark, and the mark
 * stays as it was (taking the face out of its group over a guess about the other would leave both sides in no group).
 */
function repointRetired(f: Pick<FaceRecord, 'rejectedPersonIds'>, retiredInto: ReadonlyMap<string, string>, personIdNow: string | null): void {
  if (!f.rejectedPersonIds.some((id) => retiredInto.has(id))) return;
  f.rejectedPersonIds = [...new Set(f.rejectedPersonIds.map((id) => (retiredInto.has(id) && retiredInto.get(id) !== personIdNow ? retiredInto.get(id)! : id)))];
}

/**
 * "Not <group>" said of a face is said of every part of that group a regrouping held apart under a new id
 * (groupsHeldApart): the No was about all its faces, and read from one side only ("not X" said of faces, not of X's),
 * it would hold nothing between them and the part, nor keep the question away (main/people/same-person.ts).
 */
function notPartsEither(f: FaceRecord, parts: ReadonlyMap<string, readonly PersonRecord[]>, personIdNow: string | null): void {
  const more = f.rejectedPersonIds.flatMap((id) => (parts.get(id) ?? []).map((p) => p.id)).filter((id) => id !== personIdNow);
  if (more.length > 0) f.rejectedPersonIds = [...new Set([...f.rejectedPersonIds, ...more])];
}

/**
 * What Undo and Redo keep (Decision.before and .redo: each face's group, each group's record), re-pointed from the
 * unnamed groups this regrouping retired. They put a face back in the group it was in, and brought a retired group
 * back for it, apart from the rest of its faces (QA: Undo of a No after a Regroup that gave one of the two groups a
 * new id parted that person in two), or left the face in no group. Now a face this regrouping took out of a retired
 * group goes back where the regrouping put it, any other face to the group that holds most of its faces now
 * (retiredGroupsInto); its "not" marks follow as the faces' own do (repointRetired). A record that brings a group
 * back as more than a group (a name, a cover, hidden: Redo of a name) stays, with its faces.
 */
function followRetiredInUndo(
  decisions: readonly Decision[],
  retired: ReadonlySet<string>,
  retiredInto: ReadonlyMap<string, string>,
  movedFrom: ReadonlyMap<string, string>,
  faceNow: (id: string) => FaceRecord | undefined,
): void {
  for (const decision of decisions) {
    for (const state of [decision.before, decision.redo]) {
      if (!state) continue;
      const mere = (record: PersonRecord | null) => record !== null && isDisposable(record, new Set());
      const comesBack = new Set(state.people.filter((p) => retired.has(p.id) && p.record !== null && !mere(p.record)).map((p) => p.id));
      for (const face of state.faces) {
        const was = face.personId;
        if (was !== null && retired.has(was) && !comesBack.has(was)) {
          const now = movedFrom.get(face.id) === was ? faceNow(face.id) : undefined;
          if (now) {
            face.personId = now.personId;
            if (now.personId === null) face.assignedBy = null;
          } else if (retiredInto.has(was)) face.personId = retiredInto.get(was)!;
        }
        if (retiredInto.size > 0) repointRetired(face, retiredInto, face.personId);
      }
      if (state.people.some((p) => retired.has(p.id) && mere(p.record))) state.people = state.people.filter((p) => !(retired.has(p.id) && mere(p.record)));
    }
  }
}

/**
 * The rejections a new face takes over from the same face in another photo: a copy of a photo saved again (resized,
 * re-encoded, sent through a messenger) is a new photo whose face lies within EDITED_FACE_DISTANCE of the original's,
 * in backbone distance, as an edited file's faces do (main/library/import.ts). The user said the original is not X;
 * the copy is not X either. Looked for among the face's nearest neighbours, which placement searches anyway. Each
 * rejection taken, with the faces it was taken from (copiesFollowedInUndo).
 */
function rejectionsOfCopies(library: PeopleLibrary & Partial<Pick<Library, 'backboneOf'>>, f: FaceRecord, hits: readonly SearchHit[]): Map<string, string[]> {
  const backboneOf = (g: FaceRecord): Float32Array | null => {
    try {
      return library.backboneOf ? library.backboneOf(g) : library.embeddingOf(g);
    } catch {
      return null; // its vector was lost: nothing to compare
    }
  };
  const own = backboneOf(f);
  const taken = new Map<string, string[]>();
  if (!own) return taken;
  for (const h of hits) {
    const g = library.face(h.faceId);
    if (!g || g.photoId === f.photoId || g.rejectedPersonIds.length === 0) continue;
    const vector = backboneOf(g);
    if (!vector || cosineDistanceOf(own, vector) > EDITED_FACE_DISTANCE) continue;
    for (const id of g.rejectedPersonIds) if (!f.rejectedPersonIds.includes(id)) taken.set(id, [...(taken.get(id) ?? []), g.id]);
  }
  return taken;
}

/**
 * A copy's rejections taken over from its originals, recorded in the decision that made each of them while Undo still
 * reaches it: the copy carried the mark only because of that decision, so its Undo takes the mark back from the copy
 * as from the originals, and Redo gives it back to both. Left on the copy, a No about two groups (same-person.ts) held
 * them apart at every Regroup after its Undo, one stray mark parting again the person the No had parted (and whose
 * parts the Undo had put back together). The decision that made a mark is the newest one that saw an original without
 * it; the copy's state in it is the face as this import leaves it, less the marks that decision and any later made.
 */
function copiesFollowedInUndo(decisions: readonly Decision[], copy: FaceRecord, takenFrom: ReadonlyMap<string, readonly string[]>): void {
  const madeBy = new Map<number, string[]>();
  for (const [mark, originals] of takenFrom) {
    if (!copy.rejectedPersonIds.includes(mark)) continue;
    for (let i = decisions.length - 1; i >= 0; i--) {
      const { before, undoneAt } = decisions[i];
      if (before === null || undoneAt !== null) continue;
      if (!before.faces.some((state) => originals.includes(state.id) && !state.rejectedPersonIds.includes(mark))) continue;
      madeBy.set(i, [...(madeBy.get(i) ?? []), mark]);
      break;
    }
  }
  const madeSince = new Set<string>();
  for (const i of [...madeBy.keys()].sort((a, b) => b - a)) {
    for (const mark of madeBy.get(i)!) madeSince.add(mark);
    const before = decisions[i].before!;
    if (before.faces.some((state) => state.id === copy.id)) continue;
    before.faces.push({ id: copy.id, personId: copy.personId, assignedBy: copy.assignedBy, rejectedPersonIds: copy.rejectedPersonIds.filter((id) => !madeSince.has(id)) });
  }
}

/**
 * Incremental assignment after an import: each new face joins an existing person when its nearest face of that
 * person is within the placement threshold and the runner-up person is at least the margin farther; the rest are
 * clustered with the unknown faces near them, and groups that form become new unnamed people. First, a new face that
 * is the same face as one in another photo (a re-saved copy) takes over that face's rejections.
 */
export async function assignNewFaces(
  library: PeopleLibrary,
  faceIds: readonly string[],
  /** amongThemselves: the faces not placed are grouped with each other only, no other unknown face joining them. */
  options: ClusteringOptions & { amongThemselves?: boolean } = {},
): Promise<AssignSummary> {
  const thresholds = thresholdsFor(library.info, library.settings);
  const rule = { threshold: thresholds.placeDistance, margin: thresholds.placeMargin };
  const batch = new Set(faceIds);
  // Unfiltered search, one per new face: a filter callback per visited node makes hnswlib crawl when few faces pass it.
  const hitsOf = new Map<string, SearchHit[]>();
  const copiedRejections = new Map<string, Map<string, string[]>>();
  for (const id of faceIds) {
    const f = library.face(id);
    if (!f || f.assignedBy === 'user') continue;
    const hits = library.search(library.embeddingOf(f), PLACEMENT_NEIGHBOURS);
    hitsOf.set(f.id, hits);
    const copied = rejectionsOfCopies(library, f, hits);
    if (copied.size > 0) copiedRejections.set(f.id, copied);
  }
  // Who cannot be in the face's photo (born after it: before-birth.ts) is held as someone it was said not to be.
  const unborn = unbornIn(library);
  const rejectedOf = (f: FaceRecord) => [...f.rejectedPersonIds, ...(copiedRejections.get(f.id)?.keys() ?? []), ...unborn(f)];
  const newFaces = faceIds
    .map((id) => library.face(id))
    .filter((f): f is FaceRecord => f !== undefined && f.assignedBy !== 'user' && (!isLeftToUser(library, f) || mayOnlyBePlaced(library, f)));
  const placement = new Map<string, string | null>();
  const leftovers: FaceRecord[] = [];
  const candidates: Array<{ face: FaceRecord; personId: string; distance: number }> = [];
  // The batch's faces are not placed yet, and place nobody; those the user placed are, and count as any face from
  // before. A photo removed and imported again brings its faces back in one batch, the user's with their person (kept
  // with its analysis, main/library/restore-analysis.ts) and the ones Familiar placed to be placed again: with every
  // face of a person in the batch, nothing was left to place them by (QA: a removed folder imported again gave Andre's
  // 3 placed faces a new unnamed group beside his 5 confirmed ones).
  const known = (g: FaceRecord) => !batch.has(g.id) || g.assignedBy === 'user';
  for (const f of newFaces) {
    const neighbours: Neighbour[] = [];
    for (const h of hitsOf.get(f.id) ?? []) {
      const g = library.face(h.faceId);
      // A box kept as drawn places nobody, whoever the user named it (isComparable).
      if (g && g.id !== f.id && known(g) && isComparable(g)) neighbours.push({ personId: g.personId, distance: h.distance });
    }
    const placed = placeFace(neighbours, rule, rejectedOf(f));
    if (placed) candidates.push({ face: f, personId: placed.personId, distance: placed.distance });
    else if (!isLeftToUser(library, f)) leftovers.push(f); // a doubted face forms no group
  }
  // One person appears once in a photo: a face does not join a person already in its photo, and of two new faces
  // of one photo that would join the same person, the nearer one does (the other is clustered with the unknown).
  const inPhoto = new Set<string>();
  for (const c of candidates.sort((a, b) => a.distance - b.distance)) {
    const key = `${c.face.photoId}\u0000${c.personId}`;
    const alreadyThere = inPhoto.has(key) || library.facesOfPhoto(c.face.photoId).some((g) => g.id !== c.face.id && known(g) && g.personId === c.personId);
    if (alreadyThere) {
      if (!isLeftToUser(library, c.face)) leftovers.push(c.face);
      continue;
    }
    inPhoto.add(key);
    placement.set(c.face.id, c.personId);
  }
  throwIfCancelled(options.signal, 'assign');
  // Cluster the leftovers together with the unknown faces around them. A face of this import already placed is not
  // one of them (QA: new photos of named people, placed with them, were pulled into a stranger's leftovers and the
  // group that formed became a new unnamed person).
  const pool = new Map<string, FaceRecord>(leftovers.map((f) => [f.id, f]));
  const isFreeUnknown = (g: FaceRecord) => g.personId === null && g.assignedBy !== 'user' && !batch.has(g.id) && !isLeftToUser(library, g);
  for (const f of options.amongThemselves ? [] : leftovers) {
    for (const h of hitsOf.get(f.id) ?? []) {
      if (h.distance > thresholds.suggestDistance) break;
      const g = library.face(h.faceId);
      if (g && isFreeUnknown(g) && !pool.has(g.id)) pool.set(g.id, g);
    }
  }
  const poolFaces = [...pool.values()];
  const created: PersonRecord[] = [];
  let grouped = 0;
  if (poolFaces.length >= 2) {
    const { labels } = clusterFaces(vectorsOf(library, poolFaces), poolFaces, clusterRules(thresholds, options));
    for (const rows of clusterMembers(labels)) {
      if (!rows.some((r) => batch.has(poolFaces[r].id))) continue;
      const id = newPersonId();
      created.push({ id, name: null, hidden: false, coverFaceId: null, createdAt: nowIso() });
      for (const r of rows) {
        placement.set(poolFaces[r].id, id);
        if (batch.has(poolFaces[r].id)) grouped++;
      }
    }
  }
  throwIfCancelled(options.signal, 'assign');
  return library.transaction((tx) => {
    const people = tx.people.people as PersonRecord[];
    const existing = new Set(people.map((p) => p.id));
    const used = new Set<string>();
    let placed = 0;
    const copies: FaceRecord[] = [];
    for (const f of tx.faces) {
      if (batch.has(f.id)) delete f.unplaced;
      // Taken over from the same face in another photo, unless the user decided about this face meanwhile.
      const copied = copiedRejections.get(f.id);
      if (copied && f.assignedBy !== 'user') {
        f.rejectedPersonIds = [...new Set([...f.rejectedPersonIds, ...[...copied.keys()].filter((id) => existing.has(id))])];
        copies.push(f);
      }
      const next = placement.get(f.id);
      if (next === undefined || f.assignedBy === 'user' || f.rejectedPersonIds.includes(next!)) continue;
      // Unknown neighbours pulled into a group must still be unknown; a batch face may have been placed meanwhile.
      if (!batch.has(f.id) && f.personId !== null) continue;
      if (next === null) continue;
      if (!existing.has(next) && !created.some((p) => p.id === next)) continue;
      f.personId = next;
      f.assignedBy = 'cluster';
      used.add(next);
      if (batch.has(f.id) && existing.has(next)) placed++;
    }
    const newGroups = created.filter((p) => used.has(p.id));
    people.push(...newGroups);
    for (const f of copies) copiesFollowedInUndo(tx.people.decisions as Decision[], f, copiedRejections.get(f.id)!);
    const batchFaces = tx.faces.filter((f) => batch.has(f.id));
    return {
      faces: batchFaces.length,
      placed,
      grouped,
      newGroups: newGroups.length,
      unknown: batchFaces.filter((f) => f.personId === null).length,
    };
  });
}

/**
 * Faces a job placed that the autoencoder now scores as likely not a face leave their person or group, as the next
 * recluster would make them: run after a faceness check, so a stray detection does not stay in someone's faces until
 * then. Faces the user placed stay. A cover that was such a face is reset, and unnamed groups left empty are removed.
 * Returns the number of faces released.
 */
export async function releaseFacesForReview(library: PeopleLibrary): Promise<number> {
  const thresholds = thresholdsFor(library.info, library.settings);
  const rule = { threshold: thresholds.placeDistance, margin: thresholds.placeMargin };
  // A doubted face its own person's faces place with them again stays (mayOnlyBePlaced).
  const unborn = unbornIn(library);
  const staysPlaced = (f: FaceRecord) => mayOnlyBePlaced(library, f) && placedAmong(library, f, rule, (g) => g.personId, unborn) === f.personId;
  const release = new Set(library.faces.filter((f) => f.assignedBy === 'cluster' && f.personId !== null && isForReview(f) && !staysPlaced(f)).map((f) => f.id));
  if (release.size === 0) return 0;
  await library.transaction((tx) => {
    const emptied = new Set<string>();
    for (const f of tx.faces) {
      if (!release.has(f.id)) continue;
      emptied.add(f.personId!);
      f.personId = null;
      f.assignedBy = null;
    }
    const used = new Set(tx.faces.map((f) => f.personId));
    const people = tx.people.people as PersonRecord[];
    for (const p of people) if (p.coverFaceId !== null && release.has(p.coverFaceId)) p.coverFaceId = null;
    tx.people.people = people.filter((p) => !emptied.has(p.id) || used.has(p.id) || !isDisposable(p, new Set()));
  });
  return release.size;
}

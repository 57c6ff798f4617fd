// User decisions as hard constraints on a clustering result:
//  - a pinned face (the user assigned it) keeps its person, whatever the clustering said;
//  - a cluster holding pinned faces of exactly one person becomes that person;
//  - a cluster holding pinned faces of several people is split: each free face goes to the person whose pinned
//    face in the cluster is nearest (cannot-link between faces the user put in different people);
//  - a face never goes to a person it was rejected from (cannot-link with that person's faces);
//  - with `photoOf`, a face never goes to a person who already has a face in its photo (one person appears once
//    in a photo); of two free faces of one photo, the one nearer the person's faces in the group goes first;
//  - the free faces of a cluster that none of its people may take are returned as `unclaimed`, for the caller to
//    group among themselves: "not X" keeps a face from X, not from the faces like it (QA: the 7 faces of a group
//    answered "not Jennifer A" were each left in no group by a regroup, clustered as they were with her 3 faces);
//  - clusters with no pinned face stay anonymous groups for the caller to name (or match to unnamed people).
import { UNASSIGNED } from './labels.js';
import { centroid, cosineDistance, cosineDistanceOf, row, type VectorSet } from './vectors.js';

export interface ConstraintInput {
  vectors: VectorSet;
  /** Cluster label per row (-1 = unassigned). */
  labels: Int32Array;
  /** Person index pinned by the user per row, -1 = free. */
  pinned: Int32Array;
  /** True when the user said this row is not this person. */
  forbidden: (row: number, person: number) => boolean;
  /** Photo index per row: when given, no person gets two faces of one photo from the clustering. */
  photoOf?: ArrayLike<number>;
}

export interface ConstrainedResult {
  /** Person index per row, -1 = not a known person (maybe in an anonymous group). */
  person: Int32Array;
  /** Groups of free rows that belong to no known person, as clustered. */
  anonymous: number[][];
  /**
   * Per cluster holding pinned faces, its free rows none of its people may take (rejected from them, or their photo
   * already shows them): alike, as clustered, but no group yet. Never with those people's faces.
   */
  unclaimed: number[][];
}

export function applyConstraints({ vectors, labels, pinned, forbidden, photoOf }: ConstraintInput): ConstrainedResult {
  const n = labels.length;
  const person = new Int32Array(n).fill(UNASSIGNED);
  const members = new Map<number, number[]>();
  // The photos each person already appears in: the user's faces first, then each face the groups give them.
  const photosOf = new Map<number, Set<number>>();
  const appearsIn = (p: number) => photosOf.get(p) ?? photosOf.set(p, new Set()).get(p)!;
  for (let i = 0; i < n; i++) {
    if (pinned[i] >= 0) {
      person[i] = pinned[i];
      if (photoOf) appearsIn(pinned[i]).add(photoOf[i]);
    }
    if (labels[i] >= 0) {
      let list = members.get(labels[i]);
      if (!list) members.set(labels[i], (list = []));
      list.push(i);
    }
  }
  const anonymous: number[][] = [];
  const unclaimed: number[][] = [];
  for (const rows of members.values()) {
    const pinnedRows = rows.filter((i) => pinned[i] >= 0);
    const free = rows.filter((i) => pinned[i] < 0);
    const persons = new Set(pinnedRows.map((i) => pinned[i]));
    if (persons.size === 0) {
      if (free.length > 0) anonymous.push(free);
      continue;
    }
    const chosen: Array<{ row: number; person: number }> = [];
    for (const i of free) {
      let best = UNASSIGNED;
      let bestDistance = Infinity;
      for (const j of pinnedRows) {
        const p = pinned[j];
        if (forbidden(i, p)) continue;
        if (persons.size === 1) {
          best = p;
          break;
        }
        const d = cosineDistance(vectors, i, j);
        if (d < bestDistance) {
          bestDistance = d;
          best = p;
        }
      }
      if (best !== UNASSIGNED) chosen.push({ row: i, person: best });
    }
    const taken = new Set(chosen.map((c) => c.row));
    const left = free.filter((i) => !taken.has(i));
    if (!photoOf) {
      for (const c of chosen) person[c.row] = c.person;
      if (left.length > 0) unclaimed.push(left);
      continue;
    }
    // Nearest to the person's faces in this group first, so the likelier face of a photo is the one that joins.
    const centres = new Map([...persons].map((p) => [p, centroid(vectors, pinnedRows.filter((j) => pinned[j] === p))]));
    const ranked = chosen.map((c) => ({ ...c, distance: cosineDistanceOf(row(vectors, c.row), centres.get(c.person)!) })).sort((a, b) => a.distance - b.distance);
    for (const c of ranked) {
      const photos = appearsIn(c.person);
      if (photos.has(photoOf[c.row])) {
        left.push(c.row);
        continue;
      }
      photos.add(photoOf[c.row]);
      person[c.row] = c.person;
    }
    if (left.length > 0) unclaimed.push(left);
  }
  return { person, anonymous, unclaimed };
}

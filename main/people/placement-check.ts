// The placements a regrouping makes with the people the user vouched for, held to the rule a face meets at import.
// A regrouping (recluster) gives a person every face of a group that holds their confirmed faces: a chain of near
// faces, each link within the cluster cut, can reach a face that looks like nobody the user confirmed. At import a
// face joins a person only by its own likeness: its nearest face of theirs within the placement distance, the
// runner-up person a margin farther (models/cluster/placement.ts). recluster applies this check before it writes, so
// every regrouping obeys it (Regroup faces, after undo or names read from files, after an embedder switch, whose
// wider distances carry the chains further: QA found a bodyguard placed under Tom Cruise, whose own page flagged that
// face as looking unlike him).
import { placeFace, type Neighbour } from '../../models/cluster/placement.js';
import type { SearchHit } from '../store/library.js';
import type { FaceRecord } from '../store/types.js';
import { unlikePlacements } from './least-alike.js';
import { isComparable, type PeopleLibrary } from './library.js';
import { thresholdsFor } from './thresholds.js';

/** Neighbours looked at when placing a face, at import and here (and when gathering the unknown faces around it). */
export const PLACEMENT_NEIGHBOURS = 32;

/** The library with its faces as a regrouping would leave them (`faces`: the same faces, other people). */
function withFaces(library: PeopleLibrary, faces: readonly FaceRecord[]): PeopleLibrary {
  const byId = new Map(faces.map((f) => [f.id, f]));
  return {
    faces: faces as FaceRecord[],
    photos: library.photos,
    people: library.people,
    settings: library.settings,
    info: library.info,
    face: (id) => byId.get(id),
    photo: library.photo.bind(library),
    copiesOf: library.copiesOf.bind(library),
    get hasCopies() {
      return library.hasCopies;
    },
    facesOfPhoto: library.facesOfPhoto.bind(library),
    embeddingOf: library.embeddingOf.bind(library),
    search: library.search.bind(library),
    transaction: library.transaction.bind(library),
  };
}

/**
 * Whether the rule's answer on `hits` (a face's nearest faces, nearest first) is the answer on its 32 nearest: the
 * faces beyond the last hit are farther than it, so they can change nothing once a person within the distance and
 * the runner-up are among the hits, or the runner-up can only lie the margin farther, or no person can be near enough.
 */
function decidedOn(neighbours: readonly Neighbour[], hits: readonly SearchHit[], rule: { threshold: number; margin: number }, rejected: readonly string[]): boolean {
  if (hits.length >= PLACEMENT_NEIGHBOURS) return true;
  const farthest = hits.length > 0 ? hits[hits.length - 1].distance : 0;
  const named = neighbours.filter((n) => n.personId !== null && !rejected.includes(n.personId));
  if (named.length === 0) return farthest > rule.threshold;
  const best = named[0];
  if (best.distance > rule.threshold) return true;
  if (named.some((n) => n.personId !== best.personId)) return true;
  return farthest - best.distance >= rule.margin;
}

/**
 * The faces a job placed with a person who has confirmed faces that should not stay there, with that person's id: a
 * face the person's page calls unlike them (main/people/least-alike.ts), and a face the placement rule of an import
 * would not put with them, among the library's other faces and their people, under the thresholds of the embedding in
 * use. A face kept only because a released face was its nearest of the person's is checked again without it.
 *
 * `faces`: the library's faces as a regrouping would leave them (by default, as they are). `nearestKnown`: a face's
 * nearest faces the caller has searched for already (nearest first, the face itself left out); the rule is decided on
 * them when the faces beyond cannot change it, and the index is searched otherwise.
 */
export function placementsThatDoNotHold(
  library: PeopleLibrary,
  faces: readonly FaceRecord[] = library.faces,
  nearestKnown?: (f: FaceRecord) => readonly SearchHit[] | undefined,
): { checked: number; release: Map<string, string> } {
  const view = faces === library.faces ? library : withFaces(library, faces);
  const vouched = new Set(faces.filter((f) => f.assignedBy === 'user' && f.personId !== null).map((f) => f.personId!));
  const placed = faces.filter((f) => f.assignedBy === 'cluster' && f.personId !== null && vouched.has(f.personId));
  const release = new Map<string, string>();
  for (const [faceId, personId] of unlikePlacements(view)) if (view.face(faceId)?.assignedBy === 'cluster') release.set(faceId, personId);

  const thresholds = thresholdsFor(library.info, library.settings);
  const rule = { threshold: thresholds.placeDistance, margin: thresholds.placeMargin };
  const personOf = (g: FaceRecord) => (release.has(g.id) ? null : g.personId);
  const hitsOf = new Map<string, readonly SearchHit[]>();
  const neighboursAmong = (f: FaceRecord, hits: readonly SearchHit[]) => {
    const neighbours: Neighbour[] = [];
    for (const h of hits) {
      const g = view.face(h.faceId);
      if (g && g.id !== f.id && g.photoId !== f.photoId && isComparable(g)) neighbours.push({ personId: personOf(g), distance: h.distance });
    }
    return neighbours;
  };
  // Faces whose 32 nearest were searched for; a shorter list the caller knew is judged again by decidedOn each round.
  const searched = new Set<string>();
  let toCheck = placed.filter((f) => !release.has(f.id));
  while (toCheck.length > 0) {
    const releasedNow = new Set<string>();
    for (const f of toCheck) {
      let hits = hitsOf.get(f.id) ?? nearestKnown?.(f);
      let neighbours = hits ? neighboursAmong(f, hits) : null;
      if (!hits || (!searched.has(f.id) && !decidedOn(neighbours!, hits, rule, f.rejectedPersonIds))) {
        hits = library.search(library.embeddingOf(f), PLACEMENT_NEIGHBOURS);
        searched.add(f.id);
        neighbours = neighboursAmong(f, hits);
      }
      hitsOf.set(f.id, hits);
      if (placeFace(neighbours!, rule, f.rejectedPersonIds)?.personId !== f.personId) releasedNow.add(f.id);
    }
    for (const id of releasedNow) release.set(id, view.face(id)!.personId!);
    // Only a face that had a released face among its neighbours can come out differently the next time.
    toCheck = releasedNow.size === 0 ? [] : placed.filter((f) => !release.has(f.id) && hitsOf.get(f.id)!.some((h) => releasedNow.has(h.faceId)));
  }
  return { checked: placed.length, release };
}

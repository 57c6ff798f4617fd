// The placements a regrouping made with the people the user vouched for, held to the rule a face meets at import.
// A regrouping (recluster) gives a person every face of a group that holds their confirmed faces: a chain of near
// faces, each link within the cluster cut, can reach a face that looks like nobody the user confirmed. At import a
// face joins a person only by its own likeness: its nearest face of theirs within the placement distance, the
// runner-up person a margin farther (models/cluster/placement.ts). After an embedder switch the people are regrouped
// on the new embedding (main/embedder/switch.ts), whose wider distances carry the chains further: QA found a
// bodyguard placed under Tom Cruise, whose own page flagged that face as looking unlike him.
import { placeFace, type Neighbour } from '../../models/cluster/placement.js';
import type { SearchHit } from '../store/library.js';
import type { FaceRecord, PersonRecord } from '../store/types.js';
import { unlikePlacements } from './least-alike.js';
import type { PeopleLibrary } from './library.js';
import { thresholdsFor } from './thresholds.js';

/** Neighbours a face is placed among, as at import (PLACEMENT_NEIGHBOURS in main/people/clustering.ts). */
const PLACEMENT_NEIGHBOURS = 32;

export interface PlacementCheck {
  /** Faces a job had placed with a person who has confirmed faces. */
  checked: number;
  /** Of those, taken back to "Who is this?": the person's page called them unlike, or the placement rule did not place them. */
  released: number;
}

/**
 * The faces a job placed with a person who has confirmed faces that should not stay there, with that person's id: a
 * face the person's page calls unlike them (main/people/least-alike.ts), and a face the placement rule of an import
 * would not put with them, among the library's other faces and their people, under the thresholds of the embedding in
 * use. A face kept only because a released face was its nearest of the person's is checked again without it.
 */
export function placementsThatDoNotHold(library: PeopleLibrary): { checked: number; release: Map<string, string> } {
  const vouched = new Set(library.faces.filter((f) => f.assignedBy === 'user' && f.personId !== null).map((f) => f.personId!));
  const placed = library.faces.filter((f) => f.assignedBy === 'cluster' && f.personId !== null && vouched.has(f.personId));
  const release = new Map<string, string>();
  for (const [faceId, personId] of unlikePlacements(library)) if (library.face(faceId)?.assignedBy === 'cluster') release.set(faceId, personId);

  const thresholds = thresholdsFor(library.info, library.settings);
  const rule = { threshold: thresholds.placeDistance, margin: thresholds.placeMargin };
  const personOf = (g: FaceRecord) => (release.has(g.id) ? null : g.personId);
  const hitsOf = new Map<string, SearchHit[]>();
  let toCheck = placed.filter((f) => !release.has(f.id));
  while (toCheck.length > 0) {
    const releasedNow = new Set<string>();
    for (const f of toCheck) {
      let hits = hitsOf.get(f.id);
      if (!hits) hitsOf.set(f.id, (hits = library.search(library.embeddingOf(f), PLACEMENT_NEIGHBOURS)));
      const neighbours: Neighbour[] = [];
      for (const h of hits) {
        const g = library.face(h.faceId);
        if (g && g.id !== f.id && g.photoId !== f.photoId) neighbours.push({ personId: personOf(g), distance: h.distance });
      }
      if (placeFace(neighbours, rule, f.rejectedPersonIds)?.personId !== f.personId) releasedNow.add(f.id);
    }
    for (const id of releasedNow) release.set(id, library.face(id)!.personId!);
    // Only a face that had a released face among its neighbours can come out differently the next time.
    toCheck = releasedNow.size === 0 ? [] : placed.filter((f) => !release.has(f.id) && hitsOf.get(f.id)!.some((h) => releasedNow.has(h.faceId)));
  }
  return { checked: placed.length, release };
}

/**
 * Takes the placements that do not hold (placementsThatDoNotHold) back out: those faces wait under "Who is this?",
 * and the person's suggestions may still offer them. A face the user decided on meanwhile keeps the user's decision.
 * Faces in groups nobody confirmed a face of are left as the regrouping drew them, as an import's new groups are.
 */
export async function keepPlacementsThatHold(library: PeopleLibrary): Promise<PlacementCheck> {
  const { checked, release } = placementsThatDoNotHold(library);
  if (release.size === 0) return { checked, released: 0 };
  return library.transaction((tx) => {
    const released = new Set<string>();
    for (const f of tx.faces) {
      if (f.assignedBy !== 'cluster' || f.personId === null || release.get(f.id) !== f.personId) continue;
      f.personId = null;
      f.assignedBy = null;
      released.add(f.id);
    }
    for (const p of tx.people.people as PersonRecord[]) if (p.coverFaceId !== null && released.has(p.coverFaceId)) p.coverFaceId = null;
    return { checked, released: released.size };
  });
}

// "Least alike first": a person's faces ordered by how unlike they are to the faces the user confirmed, so the
// wrong ones (a sister placed with her brother, a stranger pulled in by a chain of near faces) come to the top of
// the person's page, where one selection and "Not X" removes them. Apple Photos, Google Photos and Immich show a
// person's faces by date only; a wrong face among 2,000 is then found by scrolling.
import { averageDirection, distanceToDirection, meanDistanceToNearest } from '../../models/cluster/likeness.js';
import type { FaceRecord } from '../store/types.js';
import { resolvePerson, type PeopleLibrary } from './library.js';
import { thresholdsFor } from './thresholds.js';

/** Confirmed faces compared with (evenly sampled beyond): bounds the work for a person with thousands. */
const MAX_REFERENCE = 256;

export interface LeastAlikeView {
  /** The person's faces, least alike first: the unlike ones, then the rest by distance. */
  faces: { face: FaceRecord; distance: number; unlike: boolean }[];
  /** How many faces look unlike this person; they are the first `unlike` of `faces`. */
  unlike: number;
  /** What `distance` is measured against: the user's confirmed faces, or (none confirmed) the group's average face. */
  reference: 'confirmed' | 'group';
}

/**
 * A person's faces with their distance to the person, least alike first.
 *
 * With confirmed faces, a face's distance is its mean cosine distance to its 3 nearest confirmed faces (a confirmed
 * face leaves itself out): near enough to follow a child across the years, and less swayed by one odd confirmation
 * than the single nearest. Naming a group confirms all its faces, so a stranger in the group when it was named is a
 * "confirmed" face too: confirmed faces are ordered with the rest, and such a face rises to the top.
 * A face the clustering placed is **unlike** the person when its distance is beyond the same-person distance, or
 * when it shares a photo with a face the user confirmed as the person (one person appears once in a photo). Faces
 * the user confirmed are never called unlike: the user has looked at them, and a notice that never goes away would
 * nag about a baby photo they already vouched for. On lfw_subset, with 3 photos of each person's nearest lookalike slipped in among their own (`npm run
 * bench:cluster`, "Least alike first"), the order put a lookalike's face above one of the person's own in 99.8 % of
 * pairs with 3 confirmed faces (98.1 % with 1; the previous order, by detector confidence, 50 %); the distance rule
 * marked 70 % of the lookalike's faces and 0.3 % of the person's own (58 % and 0.9 % with 1 confirmed face).
 *
 * Without confirmed faces the distance is to the group's average face: the order still helps (99.1 %), but
 * nobody has said who the group is, so no face is called unlike.
 */
export function leastAlikeFirst(library: PeopleLibrary, personRef: string): LeastAlikeView {
  const person = resolvePerson(library.people.people, personRef);
  const own = library.faces.filter((f) => f.personId === person.id);
  const confirmed = own.filter((f) => f.assignedBy === 'user');
  const sameDistance = thresholdsFor(library.info, library.settings).sameDistance;
  const embeddings = new Map(own.map((f) => [f.id, library.embeddingOf(f)]));

  let distanceOf: (face: FaceRecord) => number;
  if (confirmed.length > 0) {
    const reference = evenlySampled(confirmed, MAX_REFERENCE);
    const referenceVectors = reference.map((f) => embeddings.get(f.id)!);
    const referenceIndex = new Map(reference.map((f, i) => [f.id, i]));
    distanceOf = (face) => meanDistanceToNearest(embeddings.get(face.id)!, referenceVectors, undefined, referenceIndex.get(face.id) ?? -1);
  } else {
    const mean = averageDirection([...embeddings.values()]);
    distanceOf = (face) => distanceToDirection(embeddings.get(face.id)!, mean);
  }
  const confirmedPhotos = new Set(confirmed.map((f) => f.photoId));
  const scored = own.map((face) => {
    const distance = distanceOf(face);
    const isUser = face.assignedBy === 'user';
    const besideConfirmed = !isUser && confirmedPhotos.has(face.photoId);
    const unlike = !isUser && confirmed.length > 0 && (distance > sameDistance || besideConfirmed);
    return { face, distance, unlike };
  });
  scored.sort((a, b) => Number(b.unlike) - Number(a.unlike) || b.distance - a.distance || a.face.id.localeCompare(b.face.id));
  return {
    faces: scored,
    unlike: scored.filter((s) => s.unlike).length,
    reference: confirmed.length > 0 ? 'confirmed' : 'group',
  };
}

function evenlySampled<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)]);
}

// "Least alike first": a person's faces ordered by how unlike they are to the faces the user confirmed, so the
// wrong ones (a sister placed with her brother, a stranger pulled in by a chain of near faces) come to the top of
// the person's page, where one selection and "Not X" removes them. Apple Photos, Google Photos and Immich show a
// person's photos by date; a wrong face among 2,000 is then found by scrolling.
import { personLikeness } from '../../models/cluster/likeness.js';
import type { FaceRecord } from '../store/types.js';
import { resolvePerson, type PeopleLibrary } from './library.js';
import { thresholdsFor } from './thresholds.js';

export interface LeastAlikeView {
  /** The person's faces, least alike first: the unlike ones, then the rest by distance. */
  faces: { face: FaceRecord; distance: number; unlike: boolean }[];
  /** How many faces look unlike this person; they are the first `unlike` of `faces`. */
  unlike: number;
  /** What `distance` is measured against: the user's confirmed faces, or (none confirmed) the group's average face. */
  reference: 'confirmed' | 'group';
}

/**
 * A person's faces with their distance to the person, least alike first (models/cluster/likeness.ts has the score).
 *
 * With confirmed faces, a face's distance is its mean cosine distance to its 3 nearest confirmed faces (a confirmed
 * face leaves itself out); with none, its distance to the group's average face. When the person's faces fall in two
 * parts farther apart than the same-person distance, the smaller part's faces are measured against the larger part.
 * Naming a group confirms all its faces, strangers inside it too: confirmed faces are ordered with the rest, so such
 * strangers rise to the top, alone or several together.
 *
 * A face the clustering placed is **unlike** the person when its distance to the confirmed faces is beyond the
 * same-person distance, or when it shares a photo with a face the user confirmed as the person (one person appears
 * once in a photo). Faces the user confirmed are never called unlike: the user has looked at them, and a notice that
 * never went away would nag about a baby photo they already vouched for. Without confirmed faces nobody has said who
 * the group is, so no face is. Measured in docs/clustering.md ("Least alike first").
 */
export function leastAlikeFirst(library: PeopleLibrary, personRef: string): LeastAlikeView {
  const person = resolvePerson(library.people.people, personRef);
  const own = library.faces.filter((f) => f.personId === person.id);
  const confirmedRows = own.flatMap((f, r) => (f.assignedBy === 'user' ? [r] : []));
  const sameDistance = thresholdsFor(library.info, library.settings).sameDistance;
  const dim = library.info.embeddingDim;
  const data = new Float32Array(own.length * dim);
  own.forEach((f, r) => data.set(library.embeddingOf(f), r * dim));
  const likeness = personLikeness({ dim, count: own.length, data }, confirmedRows, sameDistance);
  const confirmedPhotos = new Set(confirmedRows.map((r) => own[r].photoId));
  const scored = own.map((face, r) => {
    const besideConfirmed = face.assignedBy !== 'user' && confirmedPhotos.has(face.photoId);
    const unlike = face.assignedBy !== 'user' && confirmedRows.length > 0 && (likeness.toPerson[r] > sameDistance || besideConfirmed);
    return { face, distance: likeness.order[r], unlike };
  });
  scored.sort((a, b) => Number(b.unlike) - Number(a.unlike) || b.distance - a.distance || a.face.id.localeCompare(b.face.id));
  return {
    faces: scored,
    unlike: scored.filter((s) => s.unlike).length,
    reference: confirmedRows.length > 0 ? 'confirmed' : 'group',
  };
}

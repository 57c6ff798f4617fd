// "Least alike first": a person's faces ordered by how unlike they are to the faces the user confirmed, so the
// wrong ones (a sister placed with her brother, a stranger pulled in by a chain of near faces) come to the top of
// the person's page, where one selection and "Not X" removes them. Apple Photos, Google Photos and Immich show a
// person's photos by date; a wrong face among 2,000 is then found by scrolling.
import { createHash } from 'node:crypto';
import { distancesToPerson, personLikeness } from '../../models/cluster/likeness.js';
import type { FaceRecord } from '../store/types.js';
import { withoutCopyFaces } from './copy-faces.js';
import { judgingKey, judgingSpaces, spaceInUse, type JudgingSpace } from './judging-spaces.js';
import { facesByPerson, isComparable, resolvePerson, type JudgedLibrary, type PeopleLibrary } from './library.js';
import { thresholdsFor } from './thresholds.js';

export interface LeastAlikeView {
  /** The person's faces, least alike first: the unlike ones, then the confirmed ones unlike the rest, then by distance. */
  faces: { face: FaceRecord; distance: number; unlike: boolean; unlikeConfirmed: boolean }[];
  /** How many faces look unlike this person; they are the first `unlike` of `faces`. */
  unlike: number;
  /** How many faces the user confirmed look unlike the other confirmed faces; they follow the `unlike` ones. */
  unlikeConfirmed: number;
  /** What `distance` is measured against: the user's confirmed faces, or (none confirmed) the group's average face. */
  reference: 'confirmed' | 'group';
}

/**
 * A person's faces with their distance to the person, least alike first (models/cluster/likeness.ts has the score).
 *
 * With confirmed faces, a face's distance is its mean cosine distance to its 3 nearest confirmed faces (a confirmed
 * face leaves itself out); with none, its distance to the group's average face. When the person's faces fall in two
 * parts farther apart than the same-person distance, the smaller part's faces are measured against the larger part.
 * Confirmed faces are ordered with the rest (naming a group confirms only the faces like it, but a stranger can be
 * confirmed by hand), so such strangers rise to the top, alone or several together.
 *
 * A face the clustering placed is **unlike** the person when its distance to the confirmed faces is beyond the
 * same-person distance, or when it shares a photo with a face the user confirmed as the person (one person appears
 * once in a photo). Faces the user confirmed are not counted among those (the People card's "to check"): the user has
 * looked at them, and a count that never went away would nag about a baby photo they already vouched for. They are
 * counted apart (`unlikeConfirmed`) when they lie beyond the same-person distance from the other confirmed faces: a
 * confirmation can be wrong (a stranger confirmed by hand, people merged), and a page that said "0 look unlike" over
 * such a face at the top read as all clear (QA). Without confirmed faces nobody has said who the group is, so no face
 * is. Measured in docs/clustering.md ("Least alike first"). While a head is in use a confirmed face is also measured on
 * the backbone (judging-spaces.ts): a head trained on that very confirmation pulls the face in and would hide it (QA: a
 * Leonard face confirmed into Amy, 0.172 from her other faces raw, 0.067 under the head, "0 of 15 look unlike").
 *
 * A resized copy's face is not among them: it is its original's sighting again, shown and counted once, as People
 * counts it (copy-faces.ts).
 */
export function leastAlikeFirst(library: JudgedLibrary, personRef: string): LeastAlikeView {
  const person = resolvePerson(library.people.people, personRef);
  return leastAlikeOf(library, ownFaces(library, person.id));
}

/** A person's faces as their page shows them: a copy's face left out (withoutCopyFaces), in library order. */
const ownFaces = (library: PeopleLibrary, personId: string): readonly FaceRecord[] =>
  withoutCopyFaces(library, library.faces.filter((f) => f.personId === personId));

/**
 * A person's faces (`own`, in library order) as one vector set in `space`, with the rows the user confirmed that faces are
 * compared with: not a box kept as drawn (isComparable), whose vector may be of no face, and every face unlike it.
 */
function personVectors(library: PeopleLibrary, own: readonly FaceRecord[], space: JudgingSpace = spaceInUse(library)) {
  const dim = space.dim;
  const data = new Float32Array(own.length * dim);
  own.forEach((f, r) => data.set(space.vectorOf(f), r * dim));
  return { vectors: { dim, count: own.length, data }, confirmedRows: own.flatMap((f, r) => (f.assignedBy === 'user' && isComparable(f) ? [r] : [])) };
}

/** Which faces are unlike the person (leastAlikeFirst has the rule), given each face's distance to the person. */
function unlikeFlags(library: PeopleLibrary, own: readonly FaceRecord[], confirmedRows: readonly number[], toPerson: Float64Array): boolean[] {
  if (confirmedRows.length === 0) return own.map(() => false);
  const sameDistance = thresholdsFor(library.info, library.settings).sameDistance;
  const confirmedPhotos = new Set(own.filter((f) => f.assignedBy === 'user').map((f) => f.photoId));
  return own.map((face, r) => face.assignedBy !== 'user' && (toPerson[r] > sameDistance || confirmedPhotos.has(face.photoId)));
}

/**
 * The confirmed rows of `own` that lie beyond the same-person distance from the other confirmed faces in any judging
 * space (`toPersonInUse`: their distances on the embedding in use, already measured).
 */
function confirmedUnlike(library: JudgedLibrary, own: readonly FaceRecord[], confirmedRows: readonly number[], toPersonInUse: Float64Array): Set<number> {
  const [inUse, ...others] = judgingSpaces(library);
  const unlike = new Set(confirmedRows.filter((r) => toPersonInUse[r] > inUse.sameDistance));
  for (const space of others) {
    if (unlike.size === confirmedRows.length) break;
    const { vectors } = personVectors(library, own, space);
    const toPerson = distancesToPerson(vectors, confirmedRows);
    for (const r of confirmedRows) if (toPerson[r] > space.sameDistance) unlike.add(r);
  }
  return unlike;
}

/** leastAlikeFirst over a person's faces (`own`, in library order). */
function leastAlikeOf(library: JudgedLibrary, own: readonly FaceRecord[]): LeastAlikeView {
  const { vectors, confirmedRows } = personVectors(library, own);
  const sameDistance = thresholdsFor(library.info, library.settings).sameDistance;
  const likeness = personLikeness(vectors, confirmedRows, sameDistance);
  const unlike = unlikeFlags(library, own, confirmedRows, likeness.toPerson);
  // toPerson leaves a confirmed face itself out: its distance is to the other confirmed faces.
  const unlikeConfirmed = confirmedUnlike(library, own, confirmedRows, likeness.toPerson);
  const scored = own.map((face, r) => ({ face, distance: likeness.order[r], unlike: unlike[r], unlikeConfirmed: unlikeConfirmed.has(r) }));
  scored.sort(
    (a, b) =>
      Number(b.unlike) - Number(a.unlike) || Number(b.unlikeConfirmed) - Number(a.unlikeConfirmed) || b.distance - a.distance || a.face.id.localeCompare(b.face.id),
  );
  return {
    faces: scored,
    unlike: scored.filter((s) => s.unlike).length,
    unlikeConfirmed: scored.filter((s) => s.unlikeConfirmed).length,
    reference: confirmedRows.length > 0 ? 'confirmed' : 'group',
  };
}

/** How many of a person's faces are unlike them: leastAlikeOf(...).unlike without ordering anything. */
function unlikeCountOf(library: PeopleLibrary, own: readonly FaceRecord[]): number {
  const { vectors, confirmedRows } = personVectors(library, own);
  if (confirmedRows.length === 0) return 0;
  return unlikeFlags(library, own, confirmedRows, distancesToPerson(vectors, confirmedRows)).filter(Boolean).length;
}

/**
 * The faces a job placed with a person that the person's page calls unlike them (the rule above), each with that
 * person's id: the app would have placed a face unasked and flagged it in the same breath (main/people/placement-check.ts).
 */
export function unlikePlacements(library: PeopleLibrary): Map<string, string> {
  const out = new Map<string, string>();
  for (const [personId, own] of facesByPerson(library.faces)) {
    const { vectors, confirmedRows } = personVectors(library, own);
    if (confirmedRows.length === 0) continue;
    const unlike = unlikeFlags(library, own, confirmedRows, distancesToPerson(vectors, confirmedRows));
    own.forEach((f, r) => {
      if (unlike[r]) out.set(f.id, personId);
    });
  }
  return out;
}

/**
 * Least-alike views and counts kept per person, recomputed only when what they rest on changed: the person's faces
 * (which, their vectors, which ones the user confirmed), the embedding in use, or the same-person distance. The People
 * list shows every named person's "to check" count, and a decision changes one or two people. The count needs only
 * each face's distance to the confirmed faces, not the order's split in two: at 100,000 faces in named people of 500,
 * ordering everyone took 9.6 s (`npm run bench:store`).
 */
export class LeastAlikeViews {
  private readonly views = new Map<string, { key: string; view: LeastAlikeView }>();
  private readonly counts = new Map<string, { key: string; unlike: number }>();

  constructor(private readonly library: JudgedLibrary) {}

  /** The person's view (a person id or a unique name), with the faces' current records. */
  of(personRef: string): LeastAlikeView {
    const person = resolvePerson(this.library.people.people, personRef);
    const own = ownFaces(this.library, person.id);
    const key = this.keyOf(own);
    let view = this.views.get(person.id)?.key === key ? this.views.get(person.id)!.view : null;
    if (!view) {
      view = leastAlikeOf(this.library, own);
      this.views.set(person.id, { key, view });
      this.counts.set(person.id, { key, unlike: view.unlike });
    }
    // A kept view may hold records from before a change that does not move the order (the autoencoder's faceness).
    const current = new Map(own.map((f) => [f.id, f]));
    return { ...view, faces: view.faces.map((s) => ({ ...s, face: current.get(s.face.id)! })) };
  }

  /**
   * How many faces of each person look unlike the faces the user confirmed: the "to check" count. People with no
   * confirmed face have none and cost nothing. What is kept for people no longer in the library is dropped.
   */
  unlikeCounts(): Map<string, number> {
    const byPerson = facesByPerson(withoutCopyFaces(this.library, this.library.faces));
    const result = new Map<string, number>();
    for (const person of this.library.people.people) {
      const own = byPerson.get(person.id) ?? [];
      if (!own.some((f) => f.assignedBy === 'user')) {
        result.set(person.id, 0);
        continue;
      }
      const key = this.keyOf(own);
      let kept = this.counts.get(person.id);
      if (kept?.key !== key) this.counts.set(person.id, (kept = { key, unlike: unlikeCountOf(this.library, own) }));
      result.set(person.id, kept.unlike);
    }
    for (const cache of [this.views, this.counts]) for (const id of cache.keys()) if (!result.has(id)) cache.delete(id);
    return result;
  }

  /** A digest of everything a view depends on; a face's vector row changes when it is described again. */
  private keyOf(own: readonly FaceRecord[]): string {
    const hash = createHash('sha1');
    hash.update(judgingKey(this.library));
    for (const f of own) hash.update(`|${f.id}:${f.vectorRow}:${f.assignedBy === 'user' ? 'u' : 'c'}`);
    return hash.digest('base64');
  }
}

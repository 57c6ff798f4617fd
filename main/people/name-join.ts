// A name typed for a group that someone already has joins the group to them (decisions.ts namePerson): the common
// case, a person's photos grouped apart from them (another age, other light), and a name is the quickest way to join
// them. A slip or a name two people share did the same without a word: QA typed "George W Bush" on a group of six
// women and, a few names later, one reused name had put 81 faces of 8 people into one person, all confirmed, which
// then kept the "may be two people" check away. Apple Photos asks "Is this the same person?" when the faces named do
// not look like the person of that name. So does Familiar, from this one rule, which the app ("Who is this?", a
// group's page and card) and `familiar name` share: the faces the name is for look like the person when the group lies
// as near them, by the measure "Is this <Name>?" judges a group by, as Familiar would ever offer it as them. Else the
// app asks, and the CLI wants --join. Measured on lfw_subset (docs/clustering.md, "A name someone already has").
import { evenlySampled } from '../../models/cluster/random.js';
import { cosineDistanceOf } from '../../models/cluster/vectors.js';
import type { FaceRecord, PersonRecord } from '../store/types.js';
import { GROUP_QUANTILE, GROUP_SAMPLE, looseGroupReach } from './group-candidates.js';
import { isComparable, isForReview, resolvePerson, type PeopleLibrary } from './library.js';
import { photosTogether } from './queries.js';
import { twoPeopleQuestion } from './two-people.js';
import { namesakesOf } from '../../preload/names.js';

/** What naming a group with a name someone already has would join, and whether the group looks like them. */
export interface NameJoinView {
  /** The person who has the name. */
  personId: string;
  name: string;
  /** Their faces now. */
  faceCount: number;
  /** Photos showing both: one person is in a photo once (asked about on its own, as before). */
  together: number;
  /** The faces the name is for lie within the reach of the person's suggestions: joined without a question. */
  looksAlike: boolean;
  /**
   * The group-to-person distance (the median of its sampled faces' distances to the person's nearest face); null when
   * most faces were said not to be them (namePerson refuses the name then: nothing to ask) or they have no face.
   */
  distance: number | null;
  /** The group's face that distance was measured at, and the person's face nearest it: shown side by side. */
  groupFaceId: string | null;
  personFaceId: string | null;
}

/**
 * How near a group must lie to a person (by groupToPersonDistance) to look like them: the farthest Familiar itself ever
 * offers a group as someone ("Is this <Name>?" about a loose group, LOOSE_GROUP_SHARE of the same-person distance:
 * 0.070 for the backbone, under the thresholds the questions use). A join Familiar might have proposed goes through as
 * typed; one it never would have is asked about. On lfw_subset (docs/clustering.md, "A name someone already has") none
 * of 932 groups of a person's own photos lies beyond it, and it asks about 99.4-99.6 % of groups given a name drawn at
 * random and 84-89 % of those given their nearest lookalike's. The suggestions' reach (0.087) asked about 97-99 % at
 * random but let 58-76 % of the lookalikes through (a father and son both named John); 0.6 of the distance (0.052)
 * began to ask about own photos (8 of 932).
 */
export function nameJoinReach(library: Pick<PeopleLibrary, 'info' | 'settings'>): number {
  return looseGroupReach(library);
}

/**
 * The group-to-person distance "Is this <Name>?" judges a group by (group-candidates.ts): up to GROUP_SAMPLE of the
 * faces, evenly sampled, each at the distance of the person's nearest face, and the median of those; a face said not
 * to be them counts as far as can be. Exact: every face of the person is compared (one question, not a queue).
 */
export function groupToPersonDistance(
  library: Pick<PeopleLibrary, 'faces' | 'embeddingOf'>,
  faces: readonly FaceRecord[],
  personId: string,
): { distance: number | null; groupFaceId: string | null; personFaceId: string | null } {
  // Boxes kept as drawn (isComparable) measure nothing, on either side.
  const comparable = faces.filter(isComparable);
  const usable = comparable.filter((f) => !isForReview(f));
  const sample = evenlySampled(usable.length > 0 ? usable : comparable, GROUP_SAMPLE);
  const theirs = library.faces.filter((f) => f.personId === personId && isComparable(f));
  if (sample.length === 0 || theirs.length === 0) return { distance: null, groupFaceId: null, personFaceId: null };
  const vectors = theirs.map((f) => library.embeddingOf(f));
  const measured = sample.map((face) => {
    if (face.rejectedPersonIds.includes(personId)) return { face, distance: Infinity, nearest: null as FaceRecord | null };
    const own = library.embeddingOf(face);
    let best = { distance: Infinity, nearest: null as FaceRecord | null };
    vectors.forEach((v, i) => {
      const d = cosineDistanceOf(own, v);
      if (d < best.distance) best = { distance: d, nearest: theirs[i] };
    });
    return { face, ...best };
  });
  measured.sort((a, b) => a.distance - b.distance);
  const at = measured[Math.min(measured.length - 1, Math.floor(GROUP_QUANTILE * (measured.length - 1) + 1e-9))];
  if (!Number.isFinite(at.distance)) return { distance: null, groupFaceId: at.face.id, personFaceId: null };
  return { distance: Math.max(0, at.distance), groupFaceId: at.face.id, personFaceId: at.nearest!.id };
}

/**
 * The faces of a group a name would go to, as namePerson gives it: less those left out and, for a group that looks
 * like two people, only the part like its cover unless the user said they are all one person.
 */
function facesNamed(library: PeopleLibrary, group: PersonRecord, options: NameJoinOptions): FaceRecord[] {
  const left = new Set(options.leaveOut ?? []);
  const faces = library.faces.filter((f) => f.personId === group.id && !left.has(f.id));
  if (options.twoPeople === 'one-person') return faces;
  const parts = twoPeopleQuestion(library, group.id);
  if (!parts) return faces;
  const stays = new Set(parts.stays);
  return faces.filter((f) => stays.has(f.id));
}

export interface NameJoinOptions {
  /** Faces the user clicked as someone else: the name leaves them out. */
  leaveOut?: readonly string[];
  /** As namePerson's: 'one-person' names every face of a group that looks like two people. */
  twoPeople?: 'cover-part' | 'one-person';
}

/**
 * Whom naming `groupRef` with `rawName` would join, and whether the group looks like them; null when nobody else has
 * the name (or several do, which namePerson refuses on its own).
 */
export function nameJoinOf(library: PeopleLibrary, groupRef: string, rawName: string, options: NameJoinOptions = {}): NameJoinView | null {
  const group = resolvePerson(library.people.people, groupRef);
  const namesakes = namesakesOf(library.people.people.filter((p) => p.id !== group.id), rawName.normalize('NFC').trim());
  if (namesakes.length !== 1) return null;
  const [person] = namesakes;
  const measured = groupToPersonDistance(library, facesNamed(library, group, options), person.id);
  return {
    personId: person.id,
    name: person.name!,
    faceCount: library.faces.filter((f) => f.personId === person.id).length,
    together: photosTogether(library, [person.id, group.id]),
    looksAlike: measured.distance !== null && measured.distance <= nameJoinReach(library),
    ...measured,
  };
}

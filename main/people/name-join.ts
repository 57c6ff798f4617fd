// A name typed for a group that someone already has joins the group to them (decisions.ts namePerson): the common
// case, a person's photos grouped apart from them (another age, other light), and a name is the quickest way to join
// them. A slip or a name two people share did the same without a word: QA typed "George W Bush" on a group of six
// women and, a few names later, one reused name had put 81 faces of 8 people into one person, all confirmed, which
// then kept the "may be two people" check away. Apple Photos asks "Is this the same person?" when the faces named do
// not look like the person of that name. So does Familiar, from this one rule, which the app ("Who is this?", a
// group's page and card) and `familiar name` share: the faces the name is for look like the person when "Is this
// <Name>?" would ask about them as that person (group-candidates.ts, nearEnoughToAsk). Else the app asks, and the CLI
// wants --join. Measured on lfw_subset (docs/clustering.md, "A name someone already has").
import type { FaceRecord, PersonRecord } from '../store/types.js';
import { groupToPersonDistance, looseGroupReach, nearEnoughToAsk } from './group-candidates.js';
import { resolvePerson, type PeopleLibrary } from './library.js';
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
  /** The faces the name is for lie as near the person as "Is this <Name>?" asks about (nearEnoughToAsk): joined without a question. */
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
 * The farthest a group may lie from a person (by groupToPersonDistance) to look like them: the farthest Familiar itself
 * ever offers a group as someone ("Is this <Name>?" about a loose group, LOOSE_GROUP_SHARE of the same-person distance:
 * 0.070 for the backbone, under the thresholds the questions use). Beyond the group question's own reach (0.052) a group
 * looks like them only as "Is this <Name>?" would ask about it (nearEnoughToAsk): a join Familiar might have proposed goes through as typed;
 * one it never would have is asked about. Every group within 0.070 used to join unasked, also groups Familiar never
 * offered as the person (QA: Anna Kournikova's), and a lookalike's name typed for a group joined it unasked 3-18 % of
 * the time, now 0.2-2 % (docs/clustering.md "A name someone already has").
 */
export function nameJoinReach(library: Pick<PeopleLibrary, 'info' | 'settings'>): number {
  return looseGroupReach(library);
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
  const faces = facesNamed(library, group, options);
  const theirs = library.faces.filter((f) => f.personId === person.id);
  const measured = groupToPersonDistance(library, faces, person.id);
  return {
    personId: person.id,
    name: person.name!,
    faceCount: theirs.length,
    together: photosTogether(library, [person.id, group.id]),
    looksAlike: measured.distance !== null && nearEnoughToAsk(library, faces, theirs, measured.distance),
    ...measured,
  };
}

/**
 * Whether `faces` look like the person `personId` as a name typed for them would judge it (nameJoinOf's looksAlike).
 * Unknown (the faces or the person with no face to measure) counts as alike: the name joins, as before it was asked.
 */
export function facesLookLike(library: PeopleLibrary, faces: readonly FaceRecord[], personId: string): boolean {
  const measured = groupToPersonDistance(library, faces, personId);
  if (measured.distance === null) return true;
  return nearEnoughToAsk(library, faces, library.faces.filter((f) => f.personId === personId), measured.distance);
}

// "These faces may be two people": a group whose faces fall in two parts, each of several faces, farther apart than a
// single person's photos usually are, though not as far as the same-person distance that splits a group on its own
// (models/cluster/two-people.ts). Sisters and brothers sit there: Serena and Venus Williams's photos are 0.065 apart
// on average, under the 0.087 same-person distance, and the clustering makes one group of them. The person's page
// asks the user, who splits the group in one click or says it is one person, and is not asked again. The two parts
// must also lie apart as two people's faces do, not only as far (two-people-apart.ts): one person photographed two
// ways falls in two loose parts at that distance. Measured in docs/clustering.md ("Asking when a group may be two
// people").
import type { VectorSet } from '../../models/cluster/vectors.js';
import type { FaceRecord, PersonRecord } from '../store/types.js';
import { withoutCopyFaces } from './copy-faces.js';
import { judgingSpaces, spaceInUse, type JudgingSpace } from './judging-spaces.js';
import { resolvePerson, type JudgedLibrary, type PeopleLibrary } from './library.js';
import { pictureOf } from './queries.js';
import { liesBeyond, TWO_PEOPLE_SEPARATION, twoPeopleParts, type TwoPeopleQuestionOptions } from './two-people-apart.js';

export { TWO_PEOPLE_SEPARATION } from './two-people-apart.js';

/**
 * The share of the same-person distance above which a group's last average-linkage merge (parts of 3+ faces) is
 * worth asking about, when its two parts also lie TWO_PEOPLE_SEPARATION times as far apart as their own faces. On
 * lfw_subset at 0.65 (0.057 for the backbone), strays set aside: 1 of 156 one-person groups asked about (7 on the
 * height alone), and 154-156 of 156 people mixed with 3, 5 or 10 photos of their nearest lookalike
 * (`npm run bench:cluster -- --only-two-people-question`).
 */
export const TWO_PEOPLE_QUESTION_SHARE = 0.65;
/** Each part needs this many faces: one or two strays are the "Not X" button's job. */
const MIN_PART = 3;
/**
 * Small subtrees (strays: a stranger, an odd photo) set aside before judging, so one stray face does not hide two
 * sisters under it (QA). Measured in docs/clustering.md ("Asking when a group may be two people").
 */
export const STRAYS_SET_ASIDE = 3;

export interface TwoPeopleQuestion {
  /** The faces that stay with the person: the part holding the cover shown, else more of the user's faces, else the larger. */
  stays: string[];
  /** The faces that would become a group of their own. */
  leaves: string[];
}

/** Fewer faces than this never look like two people: each part needs MIN_PART. */
export const TWO_PEOPLE_MIN_FACES = 2 * MIN_PART;

/**
 * Whether a person's faces look like two people, and how they would split; null when they do not (or it was answered).
 * Judged on the embedding in use, then (a head in use) on the backbone's vectors (judging-spaces.ts): a head trained on
 * a wrong merge does not answer the question for the user.
 */
export function twoPeopleQuestion(library: JudgedLibrary, personRef: string): TwoPeopleQuestion | null {
  const person = resolvePerson(library.people.people, personRef);
  return twoPeopleQuestionOf(library, person, library.faces.filter((f) => f.personId === person.id));
}

/**
 * The same for a person whose faces the caller has at hand (`own`, in the library's order): the People list's marker
 * (two-people-verdicts.ts) judges every person from one walk over the faces rather than one walk a person.
 */
export function twoPeopleQuestionOf(library: JudgedLibrary, person: PersonRecord, own: readonly FaceRecord[]): TwoPeopleQuestion | null {
  for (const space of judgingSpaces(library)) {
    const asked = twoPartsToJudge(library, person, own, space);
    const question = asked && twoPeopleFromParts(library, person, own, twoPeopleParts(asked.vectors, asked.rows, asked.options));
    if (question) return question;
  }
  return null;
}

/**
 * What twoPeopleParts is asked for a person (their faces' vectors in `space`, the cut, the separation), or null when the
 * answer is no without it: plain numbers, so a worker thread can work it out (two-parts-worker.ts).
 */
export function twoPartsToJudge(
  library: PeopleLibrary,
  person: PersonRecord,
  own: readonly FaceRecord[],
  space: JudgingSpace = spaceInUse(library),
): { vectors: VectorSet; rows: number[]; options: TwoPeopleQuestionOptions } | null {
  if (person.onePerson) return null;
  const faces = judged(library, own);
  if (faces.length < TWO_PEOPLE_MIN_FACES) return null;
  const dim = space.dim;
  const data = new Float32Array(faces.length * dim);
  faces.forEach((f, r) => data.set(space.vectorOf(f), r * dim));
  const cut = TWO_PEOPLE_QUESTION_SHARE * space.sameDistance;
  return { vectors: { dim, count: faces.length, data }, rows: faces.map((_, r) => r), options: { cut, minSize: MIN_PART, peelStrays: STRAYS_SET_ASIDE, separation: TWO_PEOPLE_SEPARATION } };
}

/**
 * The faces of `own` the question is about, whose rows twoPartsToJudge's answer counts: a resized copy's face is its
 * original's sighting again (copy-faces.ts), judged, shown and counted once, as People counts it.
 */
const judged = (library: PeopleLibrary, own: readonly FaceRecord[]) => withoutCopyFaces(library, own);

/** The question twoParts' answer for `own` (rows of its faces judged) asks, which part stays with the person; null when none. */
export function twoPeopleFromParts(library: JudgedLibrary, person: PersonRecord, own: readonly FaceRecord[], parts: readonly number[][] | null): TwoPeopleQuestion | null {
  if (!parts) return null;
  const faces = judged(library, own);
  const [a, b] = parts.map((rows) => rows.map((r) => faces[r]));
  // The cover the user sees on the card and the page: the one they chose, else the one the list shows.
  const staysFirst = keeps(a, b, pictureOf(library, person, faces));
  const [stays, leaves] = staysFirst ? [a, b] : [b, a];
  // The user placed every face of the other part here themselves (named, confirmed, moved): sunglasses, not a sister,
  // unless the parts lie farther apart than the same-person distance, where the clustering would part them itself. QA
  // named Amy and Penny, then merged them: every face was confirmed, 0.117 apart, and nothing ever asked again.
  if (leaves.every((f) => f.assignedBy === 'user') && !beyondSamePerson(library, stays, leaves)) return null;
  return { stays: stays.map((f) => f.id), leaves: leaves.map((f) => f.id) };
}

/**
 * Whether two sets of faces lie farther apart, on average, than the same-person distance (liesBeyond), on the embedding
 * in use or, a head in use, on the backbone (judging-spaces.ts).
 */
export function beyondSamePerson(library: JudgedLibrary, a: readonly FaceRecord[], b: readonly FaceRecord[]): boolean {
  return judgingSpaces(library).some((space) => liesBeyond(a, b, (f) => space.vectorOf(f), space.sameDistance));
}

/** Whether part `a` (the larger) is the person's rather than part `b`. */
function keeps(a: readonly FaceRecord[], b: readonly FaceRecord[], coverFaceId: string | null): boolean {
  if (coverFaceId !== null) {
    if (a.some((f) => f.id === coverFaceId)) return true;
    if (b.some((f) => f.id === coverFaceId)) return false;
  }
  const byUser = (part: readonly FaceRecord[]) => part.filter((f) => f.assignedBy === 'user').length;
  return byUser(a) >= byUser(b);
}

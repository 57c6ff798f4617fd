// One-time upgrades of what older builds wrote, applied when a library opens (Library.load) and recorded in
// PeopleDocument.upgrades, so each runs once. Read-only opens apply them in memory only.
import type { FaceRecord, PeopleDocument, PhotoRecord } from './types.js';
import { forgetFarApartMergesOnePerson, type FaceVectors } from './upgrade-far-apart-merges.js';
import { plausibleClockYear } from './capture-dates.js';

/** PeopleDocument.upgrades entry: the "not" marks an older "Who is this?" left without the user saying them are gone. */
export const FORGOT_OLD_WHO_IS_THIS_MARKS = 'forgot-old-who-is-this-marks';

/**
 * PeopleDocument.upgrades entry: the "not" marks that older split gave the faces that stayed, not the part split off,
 * are gone too. A No is read from either side since "Are these the same person?" (main/people/same-person.ts), so
 * those marks kept "Is this <Name>?" from asking about the part split off. A library that ran the upgrade above
 * before this one existed runs it now.
 */
export const FORGOT_OLD_WHO_IS_THIS_STAYED_MARKS = 'forgot-old-who-is-this-stayed-marks';

/** PeopleDocument.upgrades entry: the faces an older "delete person" set aside are unknown faces again. */
export const RELEASED_OLD_DELETED_FACES = 'released-old-deleted-faces';

/**
 * PeopleDocument.upgrades entry: a person enrolled by naming faces (names read from metadata, or a name typed for
 * selected faces) no longer keeps the first face named as a chosen cover, unless the user chose it with "Make cover".
 */
export const FORGOT_FIRST_NAMED_FACE_COVERS = 'forgot-first-named-face-covers';

/**
 * PeopleDocument.upgrades entry: the decision log forgets those covers too, so an Undo, a Redo or "Separate again" of
 * a decision made before does not bring one back. A library that ran the upgrade above before this one existed runs
 * it now.
 */
export const FORGOT_FIRST_NAMED_FACE_COVERS_IN_LOG = 'forgot-first-named-face-covers-in-log';

/**
 * PeopleDocument.upgrades entry: two named people an older build merged though their faces lie farther apart than the
 * same-person distance are asked about again ("may be two people"), unless the user said they are one person
 * (upgrade-far-apart-merges.ts).
 */
export const FORGOT_FAR_APART_MERGES_ONE_PERSON = 'forgot-far-apart-merges-one-person';

/**
 * PeopleDocument.upgrades entry: capture dates an older build read from a clock never set or set wrong (a year before
 * 1826 or after 9997: capture-dates.ts) are no date, as the import reads them now. Such a photo was filed under
 * "No date" while its tile and the viewer said "Dec 31, 9999", until its file changed.
 */
export const FORGOT_IMPLAUSIBLE_CAPTURE_DATES = 'forgot-implausible-capture-dates';

/** Every upgrade: a library created now has nothing to upgrade. */
export const ALL_UPGRADES: readonly string[] = [
  FORGOT_OLD_WHO_IS_THIS_MARKS,
  FORGOT_OLD_WHO_IS_THIS_STAYED_MARKS,
  RELEASED_OLD_DELETED_FACES,
  FORGOT_FIRST_NAMED_FACE_COVERS,
  FORGOT_FIRST_NAMED_FACE_COVERS_IN_LOG,
  FORGOT_FAR_APART_MERGES_ONE_PERSON,
  FORGOT_IMPLAUSIBLE_CAPTURE_DATES,
];

/**
 * Applies, in order, the upgrades `people.upgrades` does not list yet, and lists them there. Returns the documents
 * changed, to be written (people always, when an upgrade ran: its entry).
 */
export function applyUpgrades(people: PeopleDocument, faces: FaceRecord[], photos: PhotoRecord[], vectors: readonly FaceVectors[]): Set<'people' | 'faces' | 'photos'> {
  const changed = new Set<'people' | 'faces' | 'photos'>();
  const done = () => (Array.isArray(people.upgrades) ? people.upgrades : []);
  const record = (upgrade: string) => {
    people.upgrades = [...done(), upgrade];
    changed.add('people');
  };
  if (!done().includes(FORGOT_OLD_WHO_IS_THIS_MARKS)) {
    if (forgetOldWhoIsThisMarks(people, faces) > 0) changed.add('faces');
    record(FORGOT_OLD_WHO_IS_THIS_MARKS);
  }
  if (!done().includes(FORGOT_OLD_WHO_IS_THIS_STAYED_MARKS)) {
    if (forgetOldWhoIsThisMarks(people, faces, { splitOff: false }) > 0) changed.add('faces');
    record(FORGOT_OLD_WHO_IS_THIS_STAYED_MARKS);
  }
  if (!done().includes(RELEASED_OLD_DELETED_FACES)) {
    const released = releaseOldDeletedFaces(people, faces, photos);
    if (released.faces > 0) changed.add('faces');
    if (released.lostFaces > 0) changed.add('photos');
    record(RELEASED_OLD_DELETED_FACES);
  }
  if (!done().includes(FORGOT_FIRST_NAMED_FACE_COVERS)) {
    forgetFirstNamedFaceCovers(people);
    record(FORGOT_FIRST_NAMED_FACE_COVERS);
    record(FORGOT_FIRST_NAMED_FACE_COVERS_IN_LOG);
  }
  if (!done().includes(FORGOT_FIRST_NAMED_FACE_COVERS_IN_LOG)) {
    forgetFirstNamedFaceCovers(people, { people: false });
    record(FORGOT_FIRST_NAMED_FACE_COVERS_IN_LOG);
  }
  if (!done().includes(FORGOT_FAR_APART_MERGES_ONE_PERSON)) {
    forgetFarApartMergesOnePerson(people, faces, vectors);
    record(FORGOT_FAR_APART_MERGES_ONE_PERSON);
  }
  if (!done().includes(FORGOT_IMPLAUSIBLE_CAPTURE_DATES)) {
    if (forgetImplausibleCaptureDates(photos) > 0) changed.add('photos');
    record(FORGOT_IMPLAUSIBLE_CAPTURE_DATES);
  }
  return changed;
}

/**
 * Takes the capture date off photos whose camera clock (takenAt plus takenOffset, PhotoRecord) is no year a photo was
 * taken in, with the offset read beside it. Returns how many. The photo then takes its file's date, as one with none.
 */
export function forgetImplausibleCaptureDates(photos: PhotoRecord[]): number {
  let forgot = 0;
  for (const photo of photos) {
    if (photo.takenAt === null) continue;
    const instant = Date.parse(photo.takenAt);
    if (Number.isNaN(instant) || plausibleClockYear(new Date(instant + (photo.takenOffset ?? 0) * 60_000).getUTCFullYear())) continue;
    photo.takenAt = null;
    delete photo.takenOffset;
    delete photo.takenOffsetKnown;
    forgot++;
  }
  return forgot;
}

/**
 * Takes back the covers that naming faces set when it enrolled a person: the first face named, in the order the files
 * were read (QA: George W Bush's was half his face at the edge of a photo of Bill Simon, among ten portraits). The
 * person is then shown by the rule (main/people/queries.ts, coverOf). A cover the user chose later ("Make cover")
 * stays, and so does every cover of a person whose enrolment the decision log no longer holds. Returns how many went.
 *
 * The people as the log keeps them lose those covers too (each decision's `before` and `redo`, and the people a merge
 * took in): undoing a rename made before this upgrade put back the cover it had recorded, a face the user never
 * chose. There a cover stays only when a "Make cover" chose that face for them. `people: false`: the log only.
 */
export function forgetFirstNamedFaceCovers(people: PeopleDocument, parts: { people: boolean } = { people: true }): number {
  const decisions = people.decisions as LoggedDecision[];
  /** The faces each person was enrolled from, by any enrolment the log holds (an undone one's Redo enrols them again). */
  const enrolledBy = new Map<string, Set<string>>();
  /** People with a cover chosen and not taken back; and each cover ever chosen, as `${personId} ${faceId}`. */
  const chosen = new Set<string>();
  const everChosen = new Set<string>();
  for (const d of decisions) {
    if (d.kind === 'cover') {
      for (const id of d.personIds) everChosen.add(`${id} ${d.faceIds[0]}`);
      if (d.undoneAt === null) for (const id of d.personIds) chosen.add(id);
    }
    if (d.kind !== 'import-names' && d.kind !== 'enrol') continue;
    for (const { id, record } of d.before?.people ?? []) {
      if (record === null) enrolledBy.set(id, new Set([...(enrolledBy.get(id) ?? []), ...d.faceIds]));
    }
  }
  const firstNamed = (person: LoggedPerson | null | undefined): person is LoggedPerson =>
    typeof person?.coverFaceId === 'string' && enrolledBy.get(person.id)?.has(person.coverFaceId) === true;
  for (const d of decisions) {
    const logged = [...(d.before?.people ?? []), ...(d.redo?.people ?? []), ...(d.mergedAway ?? [])].map((kept) => kept.record as LoggedPerson | null);
    for (const person of logged) if (firstNamed(person) && !everChosen.has(`${person.id} ${person.coverFaceId}`)) person.coverFaceId = null;
  }
  if (!parts.people) return 0;
  let forgotten = 0;
  for (const person of people.people) {
    if (chosen.has(person.id) || !firstNamed(person)) continue;
    person.coverFaceId = null;
    forgotten++;
  }
  return forgotten;
}

/**
 * When "Who is this?" began to name only the part of a "may be two people" group like its cover (namePerson's
 * 'cover-part', December 2026). Before, it split the other part off and named the rest; since, a split and a name
 * saved moments apart are the user's (or a script's) own.
 */
const COVER_PART_SINCE = Date.parse('2026-12-01T01:25:00Z');

/**
 * How far apart, at most, the split and the name of an older "Who is this?" answer were saved: the screen made them
 * one right after the other, while a user who splits a group and then types a name takes longer.
 */
const IMPLIED_SPLIT_SECONDS = 5;

/** The parts of a decision (main/people/types.ts's Decision) read here; the store keeps decisions verbatim. */
interface LoggedDecision {
  kind: string;
  at: string;
  personIds: string[];
  faceIds: string[];
  undoneAt: string | null;
  before: { faces: Array<{ id: string; personId?: string | null; rejectedPersonIds: string[] }>; people?: Array<{ id: string; record: unknown }> } | null;
  redo?: { people?: Array<{ id: string; record: unknown }> };
  mergedAway?: Array<{ record: unknown }>;
}

/** A person as the log keeps them (PersonRecord), the fields read here. */
interface LoggedPerson {
  id: string;
  coverFaceId: string | null;
}

/**
 * Takes back the "not" marks an older "Who is this?" gave: naming a group that looked like two people split the other
 * part off (a 'split' decision) and named the rest a moment later (a 'name', or a 'merge' into the namesake), so each
 * face split off was marked not the group, which the name made "not <Name>" (QA: one man's nine faces, three of them
 * then refused his name and never asked about). The log tells those pairs apart from a split the user asked for by
 * the moments they were saved. A face a later decision changed is left as it is: that decision may be the user's own
 * "not" (a reject, a split on the person's page, a face left out of a name), and its undo puts back what it saw.
 * The name's own undo record loses the marks too, so undoing it does not bring them back. The faces that stayed lose
 * theirs, "not" the part split off, as well; `splitOff: false` takes back only those (a library that ran this upgrade
 * before it did). Returns the faces changed.
 */
export function forgetOldWhoIsThisMarks(people: PeopleDocument, faces: readonly FaceRecord[], parts: { splitOff: boolean } = { splitOff: true }): number {
  const decisions = people.decisions as LoggedDecision[];
  const faceById = new Map(faces.map((f) => [f.id, f]));
  let changed = 0;
  for (let i = 0; i + 1 < decisions.length; i++) {
    const [split, named] = [decisions[i], decisions[i + 1]];
    if (split.kind !== 'split' || split.undoneAt !== null || named.undoneAt !== null) continue;
    const [splitAt, namedAt] = [Date.parse(split.at), Date.parse(named.at)];
    if (!(namedAt < COVER_PART_SINCE && namedAt - splitAt >= 0 && namedAt - splitAt <= IMPLIED_SPLIT_SECONDS * 1000)) continue;
    const [group, splitOff] = split.personIds;
    // The name went to the group itself, or (a namesake's) merged the group into that person: "not" either of them.
    const notWhom = named.kind === 'name' && named.personIds[0] === group ? [group] : named.kind === 'merge' && named.personIds[1] === group ? [group, named.personIds[0]] : null;
    if (!notWhom) continue;
    const changedSince = new Set<string>();
    for (const d of decisions.slice(i + 2)) {
      if (d.undoneAt !== null) continue;
      for (const id of d.faceIds ?? []) changedSince.add(id);
      for (const state of d.before?.faces ?? []) changedSince.add(state.id);
    }
    const forget = (ids: Iterable<string>, whom: readonly string[]) => {
      const unsaid = (rejected: readonly string[]) => rejected.filter((id) => !whom.includes(id));
      for (const id of ids) {
        const face = faceById.get(id);
        if (!face || changedSince.has(id)) continue;
        const before = named.before?.faces.find((state) => state.id === id);
        if (before) before.rejectedPersonIds = unsaid(before.rejectedPersonIds);
        if (face.rejectedPersonIds.some((p) => whom.includes(p))) {
          face.rejectedPersonIds = unsaid(face.rejectedPersonIds);
          changed++;
        }
      }
    };
    if (parts.splitOff) forget(split.faceIds, notWhom);
    // The faces that stayed were marked not the part split off, which the screen did not ask either.
    const splitOffFaces = new Set(split.faceIds);
    if (splitOff) forget((split.before?.faces ?? []).map((state) => state.id).filter((id) => !splitOffFaces.has(id)), [splitOff]);
  }
  return changed;
}

/**
 * When deleting a person began to leave its faces unknown faces like any other (December 2026). Before, it pinned
 * them unknown (personId null, assignedBy 'user', and "not" the person deleted), the state "Don't ask about this face"
 * gives: no grouping took them and "Who is this?" never asked about them, while `familiar people` counted them.
 */
const DELETE_LEAVES_UNKNOWN_SINCE = Date.parse('2026-12-01T03:57:23Z');

/**
 * Releases the faces an older build's "delete person" set aside: each face such a delete listed that is still pinned
 * unknown becomes an unknown face (assignedBy null) that the next grouping groups and "Who is this?" asks about, as a
 * delete leaves it now, and the "not" it was given for the person deleted (who is gone) goes too. Faces the user set
 * aside with "Don't ask about this face" stay aside: such a face was in no person, so no delete lists it, and one
 * ignored after the delete is a face a later decision changed. Those (ignored, named, moved, ...) are left as that
 * decision left them, and its undo puts back what it saw; a delete undone gave its faces back already. A face dropped
 * with its photo's analysis (PhotoRecord.lostFaces) is released too, to come back as the delete leaves it now.
 */
export function releaseOldDeletedFaces(people: PeopleDocument, faces: readonly FaceRecord[], photos: readonly PhotoRecord[]): { faces: number; lostFaces: number } {
  const decisions = people.decisions as LoggedDecision[];
  const faceById = new Map(faces.map((f) => [f.id, f]));
  const lostById = new Map(photos.flatMap((p) => (p.lostFaces ?? []).map((f) => [f.id, f] as const)));
  const personIds = new Set(people.people.map((p) => p.id));
  const released = { faces: 0, lostFaces: 0 };
  // Newest first, so each delete is read with the faces every decision after it changed.
  const changedSince = new Set<string>();
  for (let i = decisions.length - 1; i >= 0; i--) {
    const d = decisions[i];
    if (d.undoneAt !== null) continue;
    if (d.kind === 'delete') {
      const deleted = personIds.has(d.personIds[0]) ? null : d.personIds[0];
      // An older build's delete: made before the change, or, by a build from before it run later (QA: a library an
      // old build kept using), known by the "not" it gave each face for the person the face was in (its `before`),
      // which no delete gives now. A deleted group's faces a delete sets aside now carry no such mark, and stay aside.
      const older = Date.parse(d.at) < DELETE_LEAVES_UNKNOWN_SINCE;
      const wasIn = new Map((d.before?.faces ?? []).map((state) => [state.id, state.personId ?? null]));
      for (const id of d.faceIds) {
        if (changedSince.has(id)) continue;
        const face = faceById.get(id) ?? lostById.get(id);
        if (!face || face.personId !== null || face.assignedBy !== 'user') continue;
        const was = wasIn.get(id) ?? null;
        if (!older && (was === null || !face.rejectedPersonIds.includes(was))) continue;
        const mark = older ? deleted : personIds.has(was!) ? null : was;
        face.assignedBy = null;
        face.rejectedPersonIds = face.rejectedPersonIds.filter((p) => p !== mark);
        if (faceById.has(id)) released.faces++;
        else released.lostFaces++;
      }
    }
    for (const id of d.faceIds ?? []) changedSince.add(id);
    for (const state of d.before?.faces ?? []) changedSince.add(state.id);
  }
  return released;
}

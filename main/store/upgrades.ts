// One-time upgrades of what older builds wrote, applied when a library opens (Library.load) and recorded in
// PeopleDocument.upgrades, so each runs once. Read-only opens apply them in memory only.
import type { FaceRecord, PeopleDocument } from './types.js';

/** PeopleDocument.upgrades entry: the "not" marks an older "Who is this?" left without the user saying them are gone. */
export const FORGOT_OLD_WHO_IS_THIS_MARKS = 'forgot-old-who-is-this-marks';

/** Every upgrade: a library created now has nothing to upgrade. */
export const ALL_UPGRADES: readonly string[] = [FORGOT_OLD_WHO_IS_THIS_MARKS];

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
  before: { faces: Array<{ id: string; rejectedPersonIds: string[] }> } | null;
}

/**
 * Takes back the "not" marks an older "Who is this?" gave: naming a group that looked like two people split the other
 * part off (a 'split' decision) and named the rest a moment later (a 'name', or a 'merge' into the namesake), so each
 * face split off was marked not the group, which the name made "not <Name>" (QA: one man's nine faces, three of them
 * then refused his name and never asked about). The log tells those pairs apart from a split the user asked for by
 * the moments they were saved. A face a later decision changed is left as it is: that decision may be the user's own
 * "not" (a reject, a split on the person's page, a face left out of a name), and its undo puts back what it saw.
 * The name's own undo record loses the marks too, so undoing it does not bring them back. Returns the faces changed.
 */
export function forgetOldWhoIsThisMarks(people: PeopleDocument, faces: readonly FaceRecord[]): number {
  const decisions = people.decisions as LoggedDecision[];
  const faceById = new Map(faces.map((f) => [f.id, f]));
  let changed = 0;
  for (let i = 0; i + 1 < decisions.length; i++) {
    const [split, named] = [decisions[i], decisions[i + 1]];
    if (split.kind !== 'split' || split.undoneAt !== null || named.undoneAt !== null) continue;
    const [splitAt, namedAt] = [Date.parse(split.at), Date.parse(named.at)];
    if (!(namedAt < COVER_PART_SINCE && namedAt - splitAt >= 0 && namedAt - splitAt <= IMPLIED_SPLIT_SECONDS * 1000)) continue;
    const group = split.personIds[0];
    // The name went to the group itself, or (a namesake's) merged the group into that person: "not" either of them.
    const notWhom = named.kind === 'name' && named.personIds[0] === group ? [group] : named.kind === 'merge' && named.personIds[1] === group ? [group, named.personIds[0]] : null;
    if (!notWhom) continue;
    const changedSince = new Set<string>();
    for (const d of decisions.slice(i + 2)) {
      if (d.undoneAt !== null) continue;
      for (const id of d.faceIds ?? []) changedSince.add(id);
      for (const state of d.before?.faces ?? []) changedSince.add(state.id);
    }
    const unsaid = (ids: readonly string[]) => ids.filter((id) => !notWhom.includes(id));
    for (const id of split.faceIds) {
      const face = faceById.get(id);
      if (!face || changedSince.has(id)) continue;
      const before = named.before?.faces.find((state) => state.id === id);
      if (before) before.rejectedPersonIds = unsaid(before.rejectedPersonIds);
      if (face.rejectedPersonIds.some((p) => notWhom.includes(p))) {
        face.rejectedPersonIds = unsaid(face.rejectedPersonIds);
        changed++;
      }
    }
  }
  return changed;
}

// Where a person id that left the library went, and whom a person took in. A link, a filter or an open page holds a
// person's id; a merge (people.merge, or a name someone else already had) takes it away. The decision log remembers
// every merge, so the id can be followed to the person who has those faces now, as a renamed file's old link would
// redirect; and a named person merged into another, or a group that joined them by a name or a Yes, can be separated
// again from it (decisions.ts separatePerson).
import type { FaceRecord } from '../store/types.js';
import type { Decision, MergedAway, MergedPersonView } from './types.js';

interface DecisionsOf {
  people: { people: ReadonlyArray<{ id: string }>; decisions: readonly unknown[] };
}

/**
 * Each of `ids` as it stands now, in order: the id itself while that person is in the library; else the person it
 * was merged into, followed through later merges; null for a person deleted, merged into someone since deleted, or
 * a group the regrouping dissolved (no decision records that). Undone merges do not count; a person separated again
 * is back under their id, or with the person who had their name by then.
 */
export function currentPersonIds(library: DecisionsOf, ids: readonly string[]): Array<string | null> {
  const present = new Set(library.people.people.map((p) => p.id));
  // Oldest first, so a later merge of the same id (after an undo and a new merge) wins.
  const mergedInto = new Map<string, string>();
  for (const decision of library.people.decisions as Decision[]) {
    if (decision.undoneAt !== null) continue;
    if (decision.kind === 'merge') {
      const [into, ...from] = decision.personIds;
      for (const id of from) mergedInto.set(id, into);
    } else if (decision.kind === 'separate' && decision.separates) {
      const [, to] = decision.personIds;
      if (to === decision.separates.personId) mergedInto.delete(to);
      else mergedInto.set(decision.separates.personId, to);
    }
  }
  return ids.map((id) => {
    const seen = new Set<string>();
    let at: string | undefined = id;
    while (at !== undefined && !present.has(at) && !seen.has(at)) {
      seen.add(at);
      at = mergedInto.get(at);
    }
    return at !== undefined && present.has(at) ? at : null;
  });
}

export interface SeparableMerge {
  /** The merge that took them in. */
  decision: Decision;
  away: MergedAway;
  /**
   * The faces they brought that are still with the person and that the user has not confirmed as them since: what
   * separating gives back (with faces placed since that look like them).
   */
  faceIds: string[];
  /**
   * The faces they brought that are in no group now (not set aside) and that the merge left out (MergedAway leftOut)
   * or the user said since are not the person: given back too.
   */
  leftOutIds: string[];
}

/** Decisions that say one face at a time who it is: a face they placed with the person since a merge stays with them. */
const CONFIRMING: ReadonlySet<Decision['kind']> = new Set(['confirm', 'move', 'cover', 'import-names']);

/**
 * The named people, and the unnamed groups that joined them (a name, a Yes), `personId` took in by merges (directly,
 * or through a person merged into them since) who can be separated again, newest merge first: the merge not undone,
 * the person not back already, and some of their faces still here and not confirmed as the person since (a face the
 * user confirmed, moved or chose as the cover after the merge is their word on it, and stays).
 */
export function separableMerges(library: DecisionsOf & { faces: readonly FaceRecord[] }, personId: string): SeparableMerge[] {
  const decisions = library.people.decisions as Decision[];
  const merges = decisions.filter((d) => d.kind === 'merge' && d.undoneAt === null && d.mergedAway?.length);
  if (merges.length === 0) return [];
  const into = currentPersonIds(library, merges.map((d) => d.personIds[0]));
  const mine = merges.filter((_, i) => into[i] === personId);
  if (mine.length === 0) return [];
  const separated = new Set(decisions.flatMap((d) => (d.kind === 'separate' && d.undoneAt === null && d.separates ? [`${d.separates.mergeId} ${d.separates.personId}`] : [])));
  const present = new Set(library.people.people.map((p) => p.id));
  const here = new Set(library.faces.filter((f) => f.personId === personId).map((f) => f.id));
  const unknownNow = new Map(library.faces.filter((f) => f.personId === null && f.assignedBy === null).map((f) => [f.id, f]));
  const confirmedAt = lastConfirmed(decisions, here, decisions.indexOf(mine[0]));
  const out: SeparableMerge[] = [];
  for (const decision of mine.reverse()) {
    const at = decisions.indexOf(decision);
    for (const away of decision.mergedAway!) {
      if (present.has(away.record.id) || separated.has(`${decision.id} ${away.record.id}`)) continue;
      const faceIds = away.faces.filter((f) => here.has(f.id) && !((confirmedAt.get(f.id) ?? -1) > at)).map((f) => f.id);
      // With them, faces of theirs in no group (not set aside) that the merge left out, or that the user said since are
      // not the person: a "not Serena" of Venus's face after the merge left it unknown, and separating Venus again
      // gave her back 9 of her 10 confirmed faces (QA). A face moved to someone else since is in their group: it stays.
      const leftOutIds = away.faces
        .filter((f) => {
          const now = unknownNow.get(f.id);
          return now !== undefined && (f.leftOut === true || now.rejectedPersonIds.includes(personId));
        })
        .map((f) => f.id);
      if (faceIds.length > 0) out.push({ decision, away, faceIds, leftOutIds });
    }
  }
  return out;
}

/** For each of `faceIds`, the position of the last decision from `from` on, not undone, that confirmed it on its own. */
function lastConfirmed(decisions: readonly Decision[], faceIds: ReadonlySet<string>, from: number): Map<string, number> {
  const at = new Map<string, number>();
  for (let i = Math.max(0, from); i < decisions.length; i++) {
    const d = decisions[i];
    if (d.undoneAt !== null || !CONFIRMING.has(d.kind)) continue;
    for (const id of d.faceIds) if (faceIds.has(id)) at.set(id, i);
  }
  return at;
}

/** Faces of each merge the person's page shows, so the user sees what would go. */
export const MERGED_FACES_SHOWN = 4;

/**
 * The named people and joined groups a person took in who can be separated again, as the person's page says it
 * (PersonDetail.merged), newest first. Every one: the page shows the few newest joins and folds the rest away.
 */
export function mergedPeopleOf(library: DecisionsOf & { faces: readonly FaceRecord[] }, personId: string): MergedPersonView[] {
  return separableMerges(library, personId).map(({ decision, away, faceIds }) => ({
    personId: away.record.id,
    name: away.record.name,
    at: decision.at,
    faceCount: faceIds.length,
    faceIds: faceIds.slice(0, MERGED_FACES_SHOWN),
  }));
}

/**
 * How much of a merge's faces must be in the part that looks like someone else for the part to be them: nearly all. The
 * part may hold more (faces placed since that look like them, which separating takes back too): most of it must be theirs.
 */
const MERGE_IN_PART_SHARE = 0.8;

/**
 * The person (or joined group) a merge brought in whose faces are the part of `personId` that looks like someone else
 * (`leaves`, the two-people question's), or null. Then "Separate <name> again" is the answer, not a split into a
 * nameless group: QA merged Bob into Ann and her page offered both, side by side, for the same ten faces.
 */
export function mergeThatIsThePart(library: DecisionsOf & { faces: readonly FaceRecord[] }, personId: string, leaves: readonly string[]): string | null {
  const part = new Set(leaves);
  for (const { away, faceIds } of separableMerges(library, personId)) {
    const shared = faceIds.filter((id) => part.has(id)).length;
    if (shared >= MERGE_IN_PART_SHARE * faceIds.length && shared * 2 > part.size) return away.record.id;
  }
  return null;
}

// Why a face is "not" someone, when the decision log can tell: moving a face to another person (decisions.ts
// moveFaces) marks it not the person it left, so no grouping puts it back there. The photo viewer's name field then
// refused that name with "You said this face is not Bill Clinton" (QA), which the user never said: they had moved the
// face to Hillary. The mark stays; what is said of it comes from here.
import type { FaceRecord } from '../store/types.js';
import { currentPersonIds } from './merged-into.js';
import type { Decision } from './types.js';

/**
 * For each of `faces`, the people among its rejections whose mark the latest decision to make it was a move away from
 * them (the face was theirs before the move); a "Not X", a split, a separation or a "Neither" since, or before with no
 * move after it, is the user's own word and is left out. People are followed through merges (a move away from Bob,
 * merged into Robert since, reads as a move away from Robert). Decisions undone do not count. A move whose `before`
 * was dropped (older than the undo depth) counts only when it left one person, as then every face it moved left them.
 */
export function movedAwayFrom(library: DecisionLog, faces: readonly FaceRecord[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { faceId, personId } of movesAway(library, faces)) out.set(faceId, [...(out.get(faceId) ?? []), personId]);
  return out;
}

/**
 * For each of `faces`, the people it was moved away from (movedAwayFrom) by a move the user has taken back in words
 * since: the face is now said not to be whom that move took it to ("Move to… Venus" of one of Serena's faces, then
 * "Not Venus" on Venus's page). The move was a mistake, and the "not Serena" it implied is not the user's word: the
 * face may be asked about as Serena again (suggestionsFor), though Regroup still keeps it away from her (the mark stays).
 */
export function movesTakenBack(library: DecisionLog, faces: readonly FaceRecord[]): Map<string, string[]> {
  const moves = movesAway(library, faces);
  const movedFrom = new Map<string, Set<string>>();
  for (const { faceId, personId } of moves) movedFrom.set(faceId, (movedFrom.get(faceId) ?? new Set()).add(personId));
  const byId = new Map(faces.map((f) => [f.id, f]));
  const out = new Map<string, string[]>();
  for (const { faceId, personId, movedTo } of moves) {
    const face = byId.get(faceId)!;
    // "Not <whom it was moved to>", said in words: a later move away from them is no word on the first move.
    const saidNotTarget = movedTo !== undefined && face.personId !== movedTo && face.rejectedPersonIds.includes(movedTo) && !movedFrom.get(faceId)!.has(movedTo);
    if (saidNotTarget) out.set(faceId, [...(out.get(faceId) ?? []), personId]);
  }
  return out;
}

type DecisionLog = { people: { people: ReadonlyArray<{ id: string }>; decisions: readonly unknown[] } };

/** The marks of `faces` that a move away made (movedAwayFrom), each with whom that move took the face to, as now. */
function movesAway(library: DecisionLog, faces: readonly FaceRecord[]): { faceId: string; personId: string; movedTo: string | undefined }[] {
  const out: { faceId: string; personId: string; movedTo: string | undefined }[] = [];
  const asked = faces.filter((f) => f.rejectedPersonIds.length > 0);
  if (asked.length === 0) return out;
  const byId = new Map(asked.map((f) => [f.id, f]));
  const decisions = library.people.decisions as Decision[];
  const relevant = decisions.filter((d) => d.undoneAt === null && d.faceIds.some((id) => byId.has(id)));
  if (relevant.length === 0) return out;
  // Every person id those decisions name, as it stands now.
  const ids = [...new Set(relevant.flatMap((d) => d.personIds))];
  const current = currentPersonIds(library, ids);
  const now = new Map(ids.map((id, i) => [id, current[i]]));
  const settled = new Set<string>();
  // Newest first: the latest decision that marked a face not someone says how.
  for (let i = relevant.length - 1; i >= 0; i--) {
    const d = relevant[i];
    for (const faceId of d.faceIds) {
      const face = byId.get(faceId);
      if (!face) continue;
      for (const personId of face.rejectedPersonIds) {
        const key = `${faceId} ${personId}`;
        if (settled.has(key)) continue;
        const named = d.personIds.filter((id) => now.get(id) === personId);
        if (named.length === 0) continue;
        settled.add(key);
        if (d.kind !== 'move') continue;
        // personIds of a move: [the person moved to, ...the people its faces left].
        const left = d.personIds.slice(1);
        const wasTheirs = d.before
          ? named.includes(d.before.faces.find((f) => f.id === faceId)?.personId ?? '')
          : left.length === 1 && named.includes(left[0]);
        if (!wasTheirs) continue;
        out.push({ faceId, personId, movedTo: now.get(d.personIds[0]) ?? undefined });
      }
    }
  }
  return out;
}

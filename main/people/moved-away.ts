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
export function movedAwayFrom(library: { people: { people: ReadonlyArray<{ id: string }>; decisions: readonly unknown[] } }, faces: readonly FaceRecord[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
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
        out.set(faceId, [...(out.get(faceId) ?? []), personId]);
      }
    }
  }
  return out;
}

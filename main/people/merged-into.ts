// Where a person id that left the library went. A link, a filter or an open page holds a person's id; a merge
// (people.merge, or a name someone else already had) takes it away. The decision log remembers every merge, so
// the id can be followed to the person who has those faces now, as a renamed file's old link would redirect.
import type { Decision } from './types.js';

/**
 * Each of `ids` as it stands now, in order: the id itself while that person is in the library; else the person it
 * was merged into, followed through later merges; null for a person deleted, merged into someone since deleted, or
 * a group the regrouping dissolved (no decision records that). Undone merges do not count.
 */
export function currentPersonIds(library: { people: { people: ReadonlyArray<{ id: string }>; decisions: readonly unknown[] } }, ids: readonly string[]): Array<string | null> {
  const present = new Set(library.people.people.map((p) => p.id));
  // Oldest first, so a later merge of the same id (after an undo and a new merge) wins.
  const mergedInto = new Map<string, string>();
  for (const decision of library.people.decisions as Decision[]) {
    if (decision.kind !== 'merge' || decision.undoneAt !== null) continue;
    const [into, ...from] = decision.personIds;
    for (const id of from) mergedInto.set(id, into);
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

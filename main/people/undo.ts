// Undo as the app and the CLI run it: the decision taken back, then what the decision's own job did after it.
import { recluster, type ClusteringOptions } from './clustering.js';
import { undoLast } from './decisions.js';
import type { PeopleLibrary } from './library.js';
import type { Library } from '../store/library.js';
import type { Decision, DecisionKind } from './types.js';

/**
 * Whether the decision named faces from photo metadata: "not this person" answers alone leave their faces in no group
 * and move no other face, as a No in the app does, so neither they nor their undo owe a regrouping (QA: undoing three
 * answers regrouped the library). A decision from before answers were counted apart is taken to have named faces.
 */
export function namedFromMetadata(kind: DecisionKind | undefined, namesRead: Decision['namesRead']): boolean {
  return kind === 'import-names' && namesRead?.facesNamed !== 0;
}

/**
 * Takes back the latest decision. Names read from other apps are followed by a regrouping around them (the names
 * import, or an import's placement of its new faces), so taking the names back regroups too: the faces left in no
 * person find their groups again (QA: undoing the names an import had read left sixty faces in no group). So are the
 * names an import's copies took from their originals (main/library/copies.ts).
 */
export async function undoDecision(
  library: PeopleLibrary,
  options: { onlyIfLatestIs?: DecisionKind; onlyIfLatestId?: string } & Pick<ClusteringOptions, 'onProgress'> = {},
): Promise<{ undone: string | null; message: string | null; regrouped: boolean; personIds: string[]; faceIds: string[] }> {
  const { undone, message, kind, namesRead, releasedRows, personIds, faceIds } = await undoLast(library, { onlyIfLatestIs: options.onlyIfLatestIs, onlyIfLatestId: options.onlyIfLatestId });
  // A marked face taken out: its vector row goes back where it ends the files, or the next open would take it for an
  // interrupted import's (QA: Settings warned of one after this undo). A row in the middle waits for compaction.
  if (releasedRows?.length && 'releaseRows' in library) await (library as PeopleLibrary & Pick<Library, 'releaseRows'>).releaseRows(new Set(releasedRows));
  // Whom the undo's own transaction changed; a regrouping after it changes whomever it regroups (a later transaction).
  if (undone === null || (!namedFromMetadata(kind, namesRead) && kind !== 'copies')) return { undone, message, regrouped: false, personIds, faceIds };
  await recluster(library, { onProgress: options.onProgress });
  return { undone, message, regrouped: true, personIds, faceIds };
}

// Redo: makes the most recently undone decision again, as a new decision (itself undoable), when nothing was decided
// since that undo. Undo keeps what it took back (Decision.redo, decisions.ts undoLast): the faces and people it changed
// as they were just before it, which is the decision's own outcome with the regrouping it triggered (a delete's faces
// grouped among themselves). Redo puts exactly that back. Kept at undo time, not at each decision: only the decisions
// undone pay for it, and the regrouping that ran after the decision's own transaction is in it.
import { recluster, type ClusteringOptions } from './clustering.js';
import { decide, setNotAFace } from './decisions.js';
import { setCopyLinks } from './copy-faces.js';
import { PeopleError, type PeopleLibrary } from './library.js';
import { namedFromMetadata } from './undo.js';
import type { Decision, DecisionKind, OperationResult, RedoState } from './types.js';
import type { PersonRecord } from '../store/types.js';

/** Said when a decision was made after the undo: redoing would take back, or mix with, what was decided since. */
export const REDO_STALE = 'Nothing to redo: something changed since the undo.';

/** The undone decision Redo would make again, or null when there is none; throws when something was decided since. */
export function decisionToRedo(library: { people: { decisions: readonly unknown[] } }): (Decision & { redo: RedoState }) | null {
  const decisions = library.people.decisions as Decision[];
  let next: (Decision & { redo: RedoState }) | null = null;
  for (const d of decisions) if (d.redo && (next === null || d.redo.order > next.redo.order)) next = d as Decision & { redo: RedoState };
  if (next === null) return null;
  // A new decision ends the redo chain, as in any editor: only redos may have been logged since the undo. (Read from
  // the log, so a removal of photos, which is logged without the decision machinery, ends it too.)
  if (decisions.slice(next.redo.decisionsAtUndo).some((d) => d.redoOf === undefined)) throw new PeopleError(REDO_STALE);
  return next;
}

/** Makes the latest undone decision again, exactly as it left the faces and people it changed. */
export async function redoLast(
  library: PeopleLibrary,
): Promise<{ redone: string | null; decisionId: string | null; personIds: string[]; faceIds: string[]; kind?: DecisionKind; namesRead?: Decision['namesRead'] }> {
  const undone = decisionToRedo(library);
  if (undone === null) return { redone: null, decisionId: null, personIds: [], faceIds: [] };
  // Undo gave the marked face's vector back to the files, and its box went with it: nothing is left to bring back.
  if (undone.kind === 'add-face') throw new PeopleError(`"${undone.description}" cannot be redone: mark the face again on its photo.`);
  // Likewise the faces a names import added where tags named a face Familiar had not found: reading the names again adds them.
  if (undone.facesAdded?.length) throw new PeopleError(`"${undone.description}" cannot be redone: the faces it added went with the undo. Read the names again.`);
  // Everyone and every face it puts back (emptied groups go with their faces): the "may be two people" marks check these.
  const changedPeople = new Set<string>();
  const changedFaces = new Set<string>();
  const result = await decide<OperationResult>(
    library,
    undone.kind,
    (ctx) => {
      // Read again inside the transaction: another window may have decided, undone or redone meanwhile.
      const again = decisionToRedo(ctx.tx);
      if (again?.id !== undone.id) throw new PeopleError(REDO_STALE);
      const redo = again.redo;
      for (const { id } of redo.people) changedPeople.add(id);
      for (const { id } of redo.faces) changedFaces.add(id);
      // Everything touched before anything changes: undo of this redo puts each person back at the place it had.
      const faces = redo.faces.flatMap((state) => {
        const f = library.face(state.id);
        return f ? [{ f: ctx.touchFace(f), state }] : [];
      });
      for (const { id } of redo.people) ctx.touchPerson(id);
      const people = ctx.people;
      /** People the redo takes away again (those a merge took in, a deleted one). */
      const takenAway = new Set<string>();
      for (const { id, record } of redo.people) {
        const index = people.findIndex((p) => p.id === id);
        if (record === null && index >= 0) {
          people.splice(index, 1);
          takenAway.add(id);
        } else if (record !== null && index >= 0) people[index] = structuredClone(record);
      }
      // People the decision had (a group its regrouping made, a person it named) go back where they were, in
      // ascending position so earlier re-insertions stay put, as undo does.
      const missing = redo.people.filter((s) => s.record !== null && !people.some((p) => p.id === s.id)).sort((a, b) => a.position - b.position);
      for (const { record, position } of missing) people.splice(Math.min(position, people.length), 0, structuredClone(record!));
      const present = new Set(people.map((p) => p.id));
      const leaving = new Set<string>();
      for (const { f, state } of faces) {
        if (f.personId !== null && f.personId !== state.personId) leaving.add(f.personId);
        // A person the regrouping removed since cannot come back through a face: the face stays unknown.
        const personGone = state.personId !== null && !present.has(state.personId);
        f.personId = personGone ? null : state.personId;
        f.assignedBy = personGone ? null : state.assignedBy;
        f.rejectedPersonIds = [...state.rejectedPersonIds];
        setNotAFace(f, state.notAFace);
      }
      // Faces placed with a person it takes away since the undo (an import's) become unknown faces, as undo leaves them;
      // a merge's go with the person it merges into, as the merge took in every guess, unless one is said not them or
      // the photo has their confirmed face (one person once in a photo). The undo of this redo puts them back.
      const into = again.kind === 'merge' && present.has(again.personIds[0]) ? again.personIds[0] : null;
      const photosOfInto = new Set(into === null ? [] : ctx.faces.filter((f) => f.personId === into && f.assignedBy === 'user').map((f) => f.photoId));
      for (const f of ctx.faces) {
        if (f.personId === null || !takenAway.has(f.personId) || changedFaces.has(f.id)) continue;
        ctx.touchFace(f);
        const follows = into !== null && !f.rejectedPersonIds.includes(into) && !photosOfInto.has(f.photoId);
        f.personId = follows ? into : null;
        if (!follows) f.assignedBy = null;
        changedFaces.add(f.id);
      }
      // A group a regrouping made of these faces since the undo, emptied now, goes, as undo drops one (nobody decided it).
      for (const f of ctx.faces) if (f.personId !== null) leaving.delete(f.personId);
      const kept = new Set(redo.people.map((p) => p.id));
      const emptied = (p: PersonRecord) => leaving.has(p.id) && !kept.has(p.id) && p.name === null && !p.hidden && p.coverFaceId === null && p.birthday === undefined;
      for (let i = people.length - 1; i >= 0; i--) if (emptied(people[i])) people.splice(i, 1);
      // What a merge keeps for "Separate again", and what a separation took apart, hold for the decision made again.
      if (again.mergedAway) ctx.keep.mergedAway = structuredClone(again.mergedAway);
      if (again.separates) ctx.keep.separates = { ...again.separates };
      if (again.setApart) ctx.keep.setApart = { ...again.setApart };
      if (again.namesRead) ctx.keep.namesRead = { ...again.namesRead };
      if (again.pinnedByHide) ctx.keep.pinnedByHide = [...again.pinnedByHide];
      if (again.copies) {
        ctx.keep.copies = structuredClone(again.copies);
        ctx.tx.put('photos', setCopyLinks(again.copies, again.copies.made, (id) => library.photo(id)));
      }
      delete (again as Decision).redo;
      return { description: again.description, personIds: [...again.personIds], faceIds: [...again.faceIds] };
    },
    { redoOf: undone.id },
  );
  const personIds = [...new Set([...result.personIds, ...changedPeople])];
  const faceIds = [...new Set([...result.faceIds, ...changedFaces])];
  return { redone: result.description, decisionId: result.decisionId ?? null, personIds, faceIds, kind: undone.kind, namesRead: undone.namesRead };
}

/**
 * Redo as the app and the CLI run it: the decision made again, then what its own job did after it. Names read from
 * other apps were followed by a regrouping around them, and their undo by another: redoing them regroups again.
 */
export async function redoDecision(
  library: PeopleLibrary,
  options: Pick<ClusteringOptions, 'onProgress'> = {},
): Promise<{ redone: string | null; decisionId: string | null; regrouped: boolean; personIds: string[]; faceIds: string[] }> {
  const { redone, decisionId, kind, namesRead, personIds, faceIds } = await redoLast(library);
  // Whom the redo's own transaction changed; a regrouping after it changes whomever it regroups (a later transaction).
  if (redone === null || !namedFromMetadata(kind, namesRead)) return { redone, decisionId, regrouped: false, personIds, faceIds };
  await recluster(library, { onProgress: options.onProgress });
  return { redone, decisionId, regrouped: true, personIds, faceIds };
}

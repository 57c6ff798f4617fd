// The one-time upgrade (upgrades.ts) that asks again about two named people an older build merged though their faces
// lie farther apart than the same-person distance. A merge of two named people answers "may these be two people?"
// (PersonRecord.onePerson) only within that distance since December 2026 (main/people/decisions.ts mergePeople):
// beyond it the model alone says two people, and a wrong merge of two sisters is what the question is for (QA merged
// Penny into Amy, 0.117 apart, and nothing ever said so). Before, every such merge stored the answer nobody gave.
import { liesBeyond } from '../people/two-people-apart.js';
import type { FaceRecord, PeopleDocument } from './types.js';

/** When a merge of two named people lying beyond the same-person distance began to leave the question open. */
const FAR_APART_MERGE_ASKS_SINCE = Date.parse('2026-12-02T03:03:48Z');

/**
 * One space the upgrade compares faces in: each face's embedding there, and its same-person distance. The embedding in
 * use, and the backbone's too while a head is in use (main/people/judging-spaces.ts): a head trained on the merge puts
 * the two close (QA's Amy and Penny: 0.117 apart on the backbone, 0.098 under the head, within its 0.110).
 */
export interface FaceVectors {
  embeddingOf(face: FaceRecord): Float32Array;
  sameDistance: number;
}

/** A person as the log keeps them, the field read here. */
interface LoggedPerson {
  onePerson?: true;
}

/** The parts of a decision (main/people/types.ts's Decision) read here; the store keeps decisions verbatim. */
interface LoggedDecision {
  id: string;
  kind: string;
  at: string;
  description: string;
  personIds: string[];
  undoneAt: string | null;
  before: { people?: Array<{ id: string; record: LoggedPerson | null }> } | null;
  redo?: { people?: Array<{ id: string; record: LoggedPerson | null }> };
  redoOf?: string;
  mergedAway?: Array<{ record: { id: string; name: string | null }; faces: Array<{ id: string }> }>;
  separates?: { mergeId: string; personId: string };
}

/**
 * Takes back the "one person" an older merge of two named people stored where the faces each brought lie farther apart,
 * on average, than the same-person distance: the page, the card's mark and `familiar split` ask about them, as they do
 * after such a merge now, and one "don't ask again" settles it. The mark stays where something the user said since the
 * person's last "Separate again" (which takes it away) gives it: "don't ask again" or "All one person", before the
 * merge or after it; a merge within the distance (Serena and Venus: a merge of two lookalikes the user knows is the
 * answer); or a merge made since the change. The undo and redo records of later decisions lose it too, so undoing a
 * rename does not bring it back. Faces are compared as they are now: the ones each named person brought and are still
 * with them against the rest. Returns how many people are asked about again.
 */
export function forgetFarApartMergesOnePerson(people: PeopleDocument, faces: readonly FaceRecord[], vectors: readonly FaceVectors[]): number {
  const decisions = people.decisions as LoggedDecision[];
  const byId = new Map(decisions.map((d) => [d.id, d]));
  let forgotten = 0;
  for (const person of people.people) {
    if (!person.onePerson) continue;
    const own = faces.filter((f) => f.personId === person.id && f.undetected !== true);
    let answered = false;
    let firstFarMerge = -1;
    decisions.forEach((d, i) => {
      if (d.undoneAt !== null || d.personIds[0] !== person.id) return;
      if (d.kind === 'separate' && separatedNamed(d, byId)) [answered, firstFarMerge] = [false, -1];
      else if (saysOnePerson(d)) answered = true;
      else if (d.kind === 'merge' && d.mergedAway?.some((away) => away.record.name !== null)) {
        // A redo is the merge made again: when the merge was made tells which rule stored the answer.
        const madeAt = Date.parse(byId.get(d.redoOf ?? '')?.at ?? d.at);
        if (madeAt >= FAR_APART_MERGE_ASKS_SINCE || !broughtFarApart(d, own, vectors)) answered = true;
        else if (firstFarMerge < 0) firstFarMerge = i;
      }
    });
    if (answered || firstFarMerge < 0) continue;
    delete person.onePerson;
    forgotten++;
    for (const d of decisions.slice(firstFarMerge + 1)) {
      // An undone "don't ask again" redone is the user's answer again: its redo keeps it.
      const kept = [...(d.before?.people ?? []), ...(saysOnePerson(d) ? [] : (d.redo?.people ?? []))];
      for (const { id, record } of kept) if (id === person.id && record) delete record.onePerson;
    }
  }
  return forgotten;
}

/** "Don't ask again" ('one-person'), or a name given with "All one person" (namePerson's description says so). */
const saysOnePerson = (d: LoggedDecision) => d.kind === 'one-person' || (d.kind === 'name' && d.description.includes(' as one person'));

/** Whether a separation gave back a named person, which takes "one person" away (separatePerson). */
function separatedNamed(d: LoggedDecision, byId: ReadonlyMap<string, LoggedDecision>): boolean {
  const { mergeId, personId } = d.separates ?? {};
  const separated = byId.get(mergeId ?? '')?.mergedAway?.find((away) => away.record.id === personId);
  return (separated?.record.name ?? null) !== null;
}

/** Whether a named person the merge took in lies beyond the same-person distance from the rest of the person's faces, in any space. */
function broughtFarApart(merge: LoggedDecision, own: readonly FaceRecord[], vectors: readonly FaceVectors[]): boolean {
  const brought = (merge.mergedAway ?? []).map((away) => ({ named: away.record.name !== null, ids: new Set(away.faces.map((f) => f.id)) }));
  const rest = own.filter((f) => !brought.some((b) => b.ids.has(f.id)));
  return vectors.some((space) =>
    brought.some((b) => b.named && liesBeyond(rest, own.filter((f) => b.ids.has(f.id)), (f) => space.embeddingOf(f), space.sameDistance)),
  );
}

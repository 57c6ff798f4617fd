// The confirmations the app itself still questions are not learnt from, until the user answers: the confirmed faces of
// a named person it asks "may be two people?" about when the question parts them (main/people/two-people.ts; a merge of
// two named people lying beyond the same-person distance is such a question), and a confirmed face their page calls
// unlike the others (main/people/least-alike.ts), while they are fewer than the others. A head trained on them learns
// the mistake and then hides the evidence of it: QA merged Penny into Amy (0.117 apart, beyond the backbone's 0.087)
// with a Leonard face confirmed into her, and the head trained on that put Penny 0.098 from Amy (under its 0.110) and
// Leonard 0.067, so "unlike" said 0 of 15 and nothing asked again. Left out, the next head put them 0.218 and 0.323
// apart (its distance 0.151), and the questions stay (docs/embedder.md, "Never worse"). Both are judged on the backbone
// too while a head is in use (main/people/judging-spaces.ts), so a head that learnt a mistake does not clear it for the
// next training.
import { plural } from '../../preload/contract.js';
import { originalFaceOf } from '../people/copy-faces.js';
import { leastAlikeFirst } from '../people/least-alike.js';
import { twoPeopleQuestion } from '../people/two-people.js';
import type { Library } from '../store/library.js';

export interface QuestionedLabels {
  /** The confirmed faces left out of training and validation. */
  faceIds: Set<string>;
  /** Named people whose confirmed faces fall on both sides of the "may be two people" question: all left out. */
  twoPeople: { personId: string; name: string; faces: number }[];
  /** Confirmed faces of other named people that look unlike the others they confirmed, left out. */
  unlikeFaces: number;
}

/**
 * The confirmed faces of the `named` people the app questions (see above), and whose they are. Of `learnable` only,
 * when given (training's recognisable faces): a face too small to learn from, or a resized copy's, is never learnt,
 * answered or not, and is not said to wait for an answer.
 */
export function questionedLabels(library: Library, named: ReadonlySet<string>, learnable?: ReadonlySet<string>): QuestionedLabels {
  const out: QuestionedLabels = { faceIds: new Set(), twoPeople: [], unlikeFaces: 0 };
  for (const person of library.people.people) {
    if (!named.has(person.id)) continue;
    const confirmed = library.faces.filter((f) => f.personId === person.id && f.assignedBy === 'user' && (!learnable || learnable.has(f.id)));
    if (confirmed.length === 0) continue;
    const question = twoPeopleQuestion(library, person.id);
    const leaving = new Set(question?.leaves ?? []);
    const sideOf = (id: string) => leaving.has(originalFaceOf(library, library.face(id)!)?.id ?? id);
    // A question about faces the clustering placed leaves the user's own faces one person, and theirs to learn.
    if (question && confirmed.some((f) => sideOf(f.id)) && confirmed.some((f) => !sideOf(f.id))) {
      for (const f of confirmed) out.faceIds.add(f.id);
      out.twoPeople.push({ personId: person.id, name: person.name ?? person.id, faces: confirmed.length });
      continue;
    }
    const unlike = new Set(leastAlikeFirst(library, person.id).faces.filter((s) => s.unlikeConfirmed).map((s) => s.face.id));
    // A stranger is one face, or a few, unlike the rest. When half or more of the person's confirmed faces lie that far
    // from the others, there is no "rest": their faces just vary (a child across the years), which is what training is
    // for, and leaving them all out would learn nothing of them (a library whose every confirmation varied so trained on
    // none: "found 0 confirmed faces").
    if (unlike.size === 0 || unlike.size * 2 >= confirmed.length) continue;
    // A resized copy's face is its original's sighting again (copy-faces.ts): left out with it.
    for (const f of confirmed) {
      if (!unlike.has(f.id) && !unlike.has(originalFaceOf(library, f)?.id ?? '')) continue;
      out.faceIds.add(f.id);
      out.unlikeFaces++;
    }
  }
  return out;
}

/** What was left out, in a sentence for the training's summary; '' when nothing was. */
export function questionedWords(questioned: Pick<QuestionedLabels, 'twoPeople' | 'unlikeFaces'>): string {
  const parts = questioned.twoPeople.map((p) => `the ${plural(p.faces, 'face')} of ${p.name}, who may be two people`);
  if (questioned.unlikeFaces > 0) parts.push(`${plural(questioned.unlikeFaces, 'face')} you confirmed that ${questioned.unlikeFaces === 1 ? 'looks' : 'look'} unlike the person's others`);
  if (parts.length === 0) return '';
  const listed = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join('; ')}; and ${parts.at(-1)}`;
  return `Not learnt from until you answer on their pages: ${listed}.`;
}

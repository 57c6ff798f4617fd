// What a training run learnt from, counted as the other commands count it, with what it left out and why: QA read
// "106 of the 132 faces you confirmed … (20 rejections …)" beside `familiar people` summing 133 confirmed and
// `familiar faces --json` holding 22 rejections. The faces People counts are the named people's confirmed faces (a
// resized copy's once, copy-faces.ts); of those, training leaves out the ones too small or unclear to learn from and
// the ones the app still asks about (questioned-labels.ts). The "not this person" answers it uses are those on the faces
// it trains on, about people it learns: one on a face set aside to test it is not learnt from.
import { withoutCopyFaces } from '../people/copy-faces.js';
import type { Library } from '../store/library.js';
import type { UserLabels } from './training-data.js';

export interface TrainingAccount {
  /** The named people's confirmed faces, as People counts them: a resized copy's once, hidden people's too. */
  confirmedOfNamed: number;
  /** Of those, the faces of people the user hid (People lists them with --all). */
  ofHiddenPeople: number;
  /** Of those, too small, cut off or unclear to learn from, or boxes drawn where the detector found no face. */
  notRecognisable: number;
  /** Of those, recognisable faces the app still asks the user about: not learnt from until answered. */
  questioned: number;
  /** The user's "not this person" answers, one per face and person, a resized copy's once (faces --json lists them). */
  answers: number;
  /** Of those, the answers on confirmed faces set aside to test the training, about people it learns. */
  answersOnTestFaces: number;
}

/**
 * The account of `labels` (collectUserLabels over `recognisable`, less `questioned`): `confirmedOfNamed` is
 * `notRecognisable` + `questioned` + the confirmed faces trained on or set aside to test (labels.confirmedFaces).
 */
export function trainingAccount(
  library: Library,
  named: ReadonlySet<string>,
  recognisable: ReadonlySet<string>,
  questioned: ReadonlySet<string>,
  labels: Pick<UserLabels, 'personIds' | 'validationFaceIds'>,
): TrainingAccount {
  const faces = withoutCopyFaces(library, library.faces);
  const hidden = new Set(library.people.people.filter((p) => p.hidden).map((p) => p.id));
  const confirmed = faces.filter((f) => f.assignedBy === 'user' && f.personId !== null && named.has(f.personId));
  const learnt = new Set(labels.personIds);
  const answersOn = (faceId: string) => {
    const face = library.face(faceId);
    return face ? face.rejectedPersonIds.filter((id) => learnt.has(id) && id !== face.personId).length : 0;
  };
  return {
    confirmedOfNamed: confirmed.length,
    ofHiddenPeople: confirmed.filter((f) => hidden.has(f.personId!)).length,
    notRecognisable: confirmed.filter((f) => !recognisable.has(f.id)).length,
    questioned: confirmed.filter((f) => recognisable.has(f.id) && questioned.has(f.id)).length,
    answers: faces.reduce((sum, f) => sum + f.rejectedPersonIds.length, 0),
    answersOnTestFaces: labels.validationFaceIds.reduce((sum, id) => sum + answersOn(id), 0),
  };
}

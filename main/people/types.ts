// The people document's records: persons (named people and unnamed groups the clustering found) and the log of
// user decisions. Decisions are materialised in the face and person records (FaceRecord.assignedBy = 'user',
// rejectedPersonIds, PersonRecord.name/hidden/coverFaceId), which every job respects; the log keeps what each
// decision was (forever) and, for the recent ones, the inverse needed to undo it.
import type { ClusterParams } from '../../models/cluster/methods.js';
import type { FaceRecord, PersonRecord } from '../store/types.js';
import type { CopyLinks } from './copy-faces.js';

export type { PersonRecord };

export type DecisionKind =
  | 'name'
  | 'enrol'
  | 'merge'
  | 'move'
  | 'reject'
  | 'confirm'
  | 'hide'
  | 'show'
  | 'cover'
  /** A person's birthday set or cleared (PersonRecord.birthday). */
  | 'birthday'
  | 'delete'
  /** "Don't ask about this face": a stranger in the background, a face on a poster. */
  | 'ignore'
  /** "Not a face": a box around a pattern, a pet or a shadow, shown and counted nowhere again (FaceRecord.notAFace). */
  | 'not-a-face'
  /** A box drawn around a box said to hold no face: it is a face again (main/engine.ts addDrawnFace). */
  | 'face-again'
  /** Names read from other apps' face regions (XMP), many people in one undoable step. */
  | 'import-names'
  /** Part of a group that looked like two people made a group of its own. */
  | 'split'
  /** "They are one person": a group that looked like two is not asked about again. */
  | 'one-person'
  /** "Ask again": "one person" taken back, so the two-people question is asked again (decisions.ts askAgainIfTwoPeople). */
  | 'ask-again'
  /** "Are these the same person?" answered No: each group's faces marked "not" the other (main/people/same-person.ts). */
  | 'not-same'
  /** Photos taken out of the library (a folder, or files gone from disk): not undoable, recorded so undo stops there and says so. */
  | 'remove'
  /** A face the user marked by drawing a box around it (main/library/drawn-faces.ts): undo takes it out of its photo. */
  | 'add-face'
  /** "Separate again": a named person merged into another gets back the faces that were theirs at the merge. */
  | 'separate'
  /** Photos found to be copies of others, resized or saved again (main/library/copies.ts): their faces go with the originals'. */
  | 'copies'
  /** "Not a copy": a photo taken for a copy of another is a photo of its own again. */
  | 'not-copy';

/** The fields of a face that decisions change. */
export type FaceState = Pick<FaceRecord, 'id' | 'personId' | 'assignedBy' | 'rejectedPersonIds' | 'notAFace'>;

export interface Decision {
  id: string;
  at: string;
  kind: DecisionKind;
  /** One sentence, e.g. 'Merged "Bob" into "Robert" (12 faces).' */
  description: string;
  personIds: string[];
  faceIds: string[];
  /** The state before the decision, restored by undo; dropped (null) once the decision is older than UNDO_DEPTH. */
  before: { faces: FaceState[]; people: Array<{ id: string; record: PersonRecord | null; position: number }> } | null;
  undoneAt: string | null;
  /**
   * A merge into a named person: each named person it took in, and each unnamed group that joined them (named with
   * their name, a Yes to "Is this <Name>?", or merged in), kept for good (unlike `before`) to separate them again.
   */
  mergedAway?: MergedAway[];
  /** A separation: the merge it took apart, and the person that merge had taken in. */
  separates?: { mergeId: string; personId: string };
  /**
   * A name given to the part of a group that looked like two people like its cover (decisions.ts namePerson's
   * 'cover-part'): the other part, made a group of its own, and the person named. Familiar judged that part unlike
   * them and the user did not say otherwise, so "Is this <Name>?" does not ask it about them (group-candidates.ts).
   * Nothing is marked "not" them: the same name typed for it still joins them.
   */
  setApart?: { groupId: string; fromPersonId: string };
  /** Copies linked to their originals (`made`) or parted from them by the decision, kept for good: undo and redo set them (people/copy-faces.ts). */
  copies?: CopyLinks;
  /**
   * Names read from photo metadata (decisions.ts nameFacesInBulk): the faces named, the "not this person" answers
   * read, and where from; the people renamed as the tags now name them (renamed). Undo says which it takes back, and
   * regroups only when faces were named.
   */
  namesRead?: { facesNamed: number; answers: number; source: string; renamed?: Array<{ from: string; to: string }> };
  /**
   * Faces the names import added to their photos for named regions no detected face matched (kept as drawn faces,
   * main/library/drawn-faces.ts), as an 'add-face' decision adds one: undo takes them out of their photos again.
   */
  facesAdded?: string[];
  /**
   * A hide: the faces it confirmed as the person only to keep their group as it is through a regrouping (Familiar's
   * guesses, not the user's word). Showing them again takes back those it finds as the hide left them, kept for good
   * (unlike `before`): Hide then Show confirmed every guess (QA), and training and the names export took them as the
   * user's.
   */
  pinnedByHide?: string[];
  /**
   * Set when the decision is undone: what undo took back (main/people/redo.ts), so Redo can put it back. Dropped when
   * redone, and with `before` once the decision is older than UNDO_DEPTH.
   */
  redo?: RedoState;
  /** A redo: the id of the undone decision it made again (its kind, description and bookkeeping are that decision's). */
  redoOf?: string;
  /**
   * Set by a removal of photos that took every face this decision was about (forgetRemovedFaces, decisions.ts): the
   * removal, logged after it, stops undo before it anyway. `folder`: the folder removed; null for photos forgotten as
   * missing from disk.
   */
  facesRemoved?: { folder: string | null };
  /**
   * A removal of photos (kind 'remove', main/library/remove-folder.ts), for undo to say how to get back what it took:
   * the folder (null: the photos missing from disk), how many photos went (0: only copies' paths), and of how many
   * faces what the user said was kept to come back with them, or lost. Absent on removals logged before it was.
   * `photosNotOnDisk`, `decisionsNotOnDisk`: of those photos, the ones no longer on disk then, and of decisionsKept those
   * on their faces, which come back only if the files do (absent on removals logged before they were).
   */
  removal?: { folder: string | null; photos: number; decisionsKept: number; decisionsLost: number; photosNotOnDisk?: number; decisionsNotOnDisk?: number };
}

/**
 * The faces and people an undo changed, as they were just before it: what the decision, and the regrouping it
 * triggered (a delete's faces grouped among themselves), had made of them. Taken at undo time, not at each decision:
 * only the few decisions undone pay for it, and it holds the regrouping that ran after the decision's transaction.
 */
export interface RedoState {
  faces: FaceState[];
  /** record null: the person was not there (a delete, a merge); position: where it was in the people list. */
  people: Array<{ id: string; record: PersonRecord | null; position: number }>;
  /** Counts the undos: the highest is the most recently undone decision, redone first. */
  order: number;
  /** How many decisions the log held at the undo: any after it that is not a redo means something was decided since. */
  decisionsAtUndo: number;
}

/**
 * A named person a merge took into another named person (siblings merged by mistake, most often), or an unnamed group
 * that joined a named person (a name, a Yes; a lookalike's photos named by mistake), as the merge found them: enough
 * to give them back their faces at any time ("Separate again", decisions.ts separatePerson), long after Undo has
 * stopped reaching the merge. Faces are listed by id, with only what the merge changed on them.
 */
export interface MergedAway {
  /** The person as they were: id, name (null: a group that joined), cover, hidden. */
  record: PersonRecord;
  /**
   * Their faces. `byUser`: the user had placed it (else the clustering had); `notTarget`: it was said not to be the
   * person merged into; `leftOut`: the merge left it in no group (said not the target, or a guess in a photo where the
   * target is confirmed), and separating them again gives it back while it is in no group still.
   */
  faces: Array<{ id: string; byUser?: true; notTarget?: true; leftOut?: true }>;
  /** Faces elsewhere said not to be them (the merge made that "not <the target>"); `notTarget`: said of both. */
  rejectedBy: Array<{ id: string; notTarget?: true }>;
  /** The person merged into had no birthday and took theirs: separated again, it goes back with them. */
  birthdayTaken?: true;
}

/** A named person, or an unnamed group, a person took in by a merge, who can be separated again (PersonDetail.merged). */
export interface MergedPersonView {
  personId: string;
  /** null: an unnamed group that joined the person (a name, a Yes); separating makes it a group of its own again. */
  name: string | null;
  /** When they were merged (ISO). */
  at: string;
  /** How many of the faces they brought are still with the person: the faces "Separate again" gives back. */
  faceCount: number;
  /** A few of those faces (at most MERGED_FACES_SHOWN), for the page to show which. */
  faceIds: string[];
}

/** How many of the latest decisions keep their inverse for undo. */
export const UNDO_DEPTH = 100;

/** What every decision returns (the undo toast in the UI, the CLI's summary line). */
export interface OperationResult {
  description: string;
  personIds: string[];
  faceIds: string[];
  /**
   * The decision logged (Decision.id): an Undo tied to it takes back only it (undoLast's onlyIfLatestId). null: the
   * answer changed nothing and logged nothing, so there is nothing of its own to undo.
   */
  decisionId?: string | null;
}

/** Distances (cosine, 1 - cos) the people module works with, per embedding model. */
export interface PeopleThresholds {
  /** How a full recluster groups faces. */
  cluster: ClusterParams;
  /** A new face joins a person when its nearest face of that person is this close... */
  placeDistance: number;
  /** ...and the runner-up person is at least this much farther. */
  placeMargin: number;
  /** Candidate faces for a person's suggestions queue: looser than placement, the user decides. */
  suggestDistance: number;
  /** "Who is this": nearest named face within this distance, else unknown. */
  whoDistance: number;
  /** "Same person": calibrated on the labelled sets (balanced accuracy). */
  sameDistance: number;
}

export interface PersonView {
  id: string;
  name: string | null;
  hidden: boolean;
  coverFaceId: string | null;
  faceCount: number;
  photoCount: number;
  /** Faces the user confirmed (assignedBy 'user'). */
  confirmedCount: number;
  faceIds: string[];
  /** PersonRecord.birthday. */
  birthday?: string;
}

export interface SuggestionView {
  faceId: string;
  photoId: string;
  distance: number;
  /** The person the clustering put the face in now, if any. */
  currentPersonId: string | null;
}

export interface AmbiguousCandidateView extends WhoCandidateView {
  nearestFaceId: string;
}

/** A face near two named people at once: the question "is this A or B?". */
export interface AmbiguousFaceView {
  faceId: string;
  photoId: string;
  /** The person the face is in now (placed by clustering), if any. */
  currentPersonId: string | null;
  /**
   * The two nearest named people, nearest first, each with its face nearest this one (the evidence). For a face placed
   * with a named person, that person is always one of the two, with the nearest other.
   */
  candidates: [AmbiguousCandidateView, AmbiguousCandidateView];
  /** The farther candidate's distance minus the nearer's: the smaller, the less sure. */
  margin: number;
  /** Farther than the same-person distance from both: most likely someone else ("A, B or someone else?"). */
  closeToNeither: boolean;
}

export interface WhoCandidateView {
  personId: string;
  name: string | null;
  distance: number;
}

export interface WhoFaceView {
  faceId: string | null;
  box: [number, number, number, number];
  best: WhoCandidateView | null;
  candidates: WhoCandidateView[];
}

export interface SameView {
  distance: number;
  threshold: number;
  /** The model's answer: the distance against the threshold. */
  same: boolean;
  faceA: string | null;
  faceB: string | null;
  /**
   * What the user said of the two library faces, which outranks the distance: placed with the same person, with two
   * different people, or one said not to be the other's person. null when the user said nothing of them.
   */
  decided: { same: boolean; names: [string | null, string | null] } | null;
}

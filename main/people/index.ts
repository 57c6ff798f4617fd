// The people service: clustering applied to the library, user decisions as hard constraints, suggestions,
// who/same/search, undo and redo. Every function takes the open Library (main/store) as its first argument.
export { assignNewFaces, recluster, type AssignSummary, type ClusteringOptions, type ReclusterSummary } from './clustering.js';
export {
  askAgainIfTwoPeople,
  confirmFaces,
  decisionLog,
  deletePeople,
  deletePerson,
  hidePeople,
  hidePerson,
  ignoreFaces,
  notAFaces,
  faceAgain,
  keepAsOnePerson,
  mergePeople,
  moveFaces,
  nameFaces,
  nameFacesInBulk,
  namePerson,
  rejectFaces,
  separatePerson,
  setCover,
  setBirthday,
  splitPerson,
  undoLast,
  validateName,
} from './decisions.js';
export { PeopleError, resolveFace, resolvePerson, type PeopleLibrary } from './library.js';
export { undoDecision } from './undo.js';
export { decisionToRedo, redoDecision, redoLast, REDO_STALE } from './redo.js';
export { ambiguousFaces, ambiguousFacesInSlices, facesInNoGroup, listPeople, photosTogether, sameEmbeddings, sameFaces, searchPhotos, stillOpen, suggestionsFor, whoForEmbeddings, whoInPhoto } from './queries.js';
export { leastAlikeFirst, LeastAlikeViews, type LeastAlikeView } from './least-alike.js';
export { placementsThatDoNotHold } from './placement-check.js';
export { answerGroupCandidate, groupCandidateOf, groupCandidateReach, groupCandidates, type GroupCandidateView } from './group-candidates.js';
export { currentPersonIds, mergedPeopleOf, separableMerges, type SeparableMerge } from './merged-into.js';
export { twoPeopleQuestion, TWO_PEOPLE_QUESTION_SHARE, type TwoPeopleQuestion } from './two-people.js';
export { embeddingModelKey, thresholdsFor, DEFAULT_THRESHOLDS } from './thresholds.js';
export type * from './types.js';

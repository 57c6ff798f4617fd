// User decisions. Each runs in one library transaction, changes face and person records so that every job
// respects it from then on (assignedBy 'user' pins a face, rejectedPersonIds forbids a person, person records keep
// names, hidden flags and covers), and appends a Decision with the prior state so the last ones can be undone.
//
// What each decision pins, and why (a recluster must never undo it):
//  - naming a group vouches for the faces that look like it (facesToVouchFor): they become 'user'; the few unlike the
//    rest (a stranger, a sister pulled in by a chain of near faces) stay with it unconfirmed, "to check";
//  - hiding a group is a statement about the faces the user saw in it: they become 'user';
//  - merging keeps what the user confirmed confirmed and Familiar's guesses guesses, and vouches for the core of a
//    group nobody confirmed a face of, as naming it would; two named people merged are one person (onePerson);
//  - naming faces enrols a person from exactly those faces; confirm and move pin the faces given;
//  - merging two named people keeps, for good, what the one taken in had (Decision.mergedAway): "Separate again"
//    gives it back at any time, with the faces Familiar placed with the merged person since that look like them, as
//    siblings merged by mistake are the mistake users complain of most;
//  - "not this person" adds the person to the face's rejections and frees the face if it was there;
//  - deleting a person returns its faces to unknown faces like any other, grouped at once as an import's are (among
//    themselves: no other face moves), and "Who is this?" asks about them; deleting an unnamed group sets its faces
//    aside as "Don't ask about this face" does (ignoreFaces): the user said they do not want that group, and the
//    clustering would draw it again from the same faces.
import { averageDirection, distanceToDirection, MAX_REFERENCE, meanDistanceToNearest } from '../../models/cluster/likeness.js';
import { evenlySampled } from '../../models/cluster/random.js';
import { placeFace } from '../../models/cluster/placement.js';
import type { FaceRecord, PersonRecord } from '../store/types.js';
import type { LibraryTransaction } from '../store/library.js';
import { takeOutFaces } from '../library/tagged-faces.js';
import { isComparable, newPersonId, nowIso, PeopleError, peopleInWords, personLabel, resolveFace, resolvePerson, unrecognisable, type PeopleLibrary } from './library.js';
import { thresholdsFor } from './thresholds.js';
import { isInside } from '../paths.js';
import { beyondSamePerson, twoPeopleQuestion, twoPeopleQuestionOf, type TwoPeopleQuestion } from './two-people.js';
import { coverOf, pictureOf } from './queries.js';
import { decisionsComingBack, MAX_NAME_LENGTH, NAME_FORBIDDEN_CHARS, NAME_NOT_TEXT, NAME_NOT_TEXT_MESSAGE, notOnDiskSentence, plural } from '../../preload/contract.js';
import { cleanName, namesakesOf, sameName, spelledAsTyped } from '../../preload/names.js';
import { birthdayInWords, latestToday, readBirthday } from '../../preload/birthdays.js';
import { facesLookLike } from './name-join.js';
import { separableMerges } from './merged-into.js';
import { undoneInWords } from './undone-words.js';
import { assignNewFaces } from './clustering.js';
import { cannotBeOf } from './before-birth.js';
import { copyTwins, countedOnce, followToCopies, setCopyLinks, withoutCopyFaces } from './copy-faces.js';
import { UNDO_DEPTH, type Decision, type DecisionKind, type FaceState, type MergedAway, type OperationResult, type RedoState } from './types.js';

export function validateName(raw: string): string {
  const name = cleanName(raw);
  if (!name) throw new PeopleError('A name must not be empty.');
  if ([...name].length > MAX_NAME_LENGTH) throw new PeopleError(`A name is at most ${MAX_NAME_LENGTH} characters.`);
  if (NAME_FORBIDDEN_CHARS.test(name)) throw new PeopleError('A name must not contain control or text-direction characters.');
  if (NAME_NOT_TEXT.test(name)) throw new PeopleError(NAME_NOT_TEXT_MESSAGE);
  return name;
}

/** What a decision's `apply` works with (also main/people/redo.ts, which makes an undone decision again). */
export interface DecisionContext {
  tx: LibraryTransaction;
  /**
   * The library's faces, to read. A decision changes a face only after touchFace(), and only the faces touched are
   * written (tx.put): reaching tx.faces would have every face compared with what disk holds at each commit (tens of
   * milliseconds at 100,000 faces; bench:store).
   */
  faces: readonly FaceRecord[];
  people: PersonRecord[];
  face(id: string): FaceRecord;
  facesOf(personId: string): FaceRecord[];
  /** Call before changing a face: remembers its state for undo, and has it written with the decision. */
  touchFace(face: FaceRecord): FaceRecord;
  /** Call before changing, adding or removing a person. */
  touchPerson(id: string): void;
  person(ref: string): PersonRecord;
  /** What the decision keeps beyond its `before`, which goes after UNDO_DEPTH decisions. */
  keep: Pick<Decision, 'mergedAway' | 'separates' | 'setApart' | 'copies' | 'namesRead' | 'facesAdded' | 'pinnedByHide'>;
}

function snapshotFace(f: FaceRecord): FaceState {
  return { id: f.id, personId: f.personId, assignedBy: f.assignedBy, rejectedPersonIds: [...f.rejectedPersonIds], ...(f.notAFace && { notAFace: true as const }) };
}

/** Whether the user said the box holds no face; a state snapshotted before that could be said has no mark. */
export function setNotAFace(f: FaceRecord, notAFace: boolean | undefined): void {
  if (notAFace) f.notAFace = true;
  else delete f.notAFace;
}

function decisionsOf(tx: LibraryTransaction): Decision[] {
  return tx.people.decisions as Decision[];
}

/** Runs one decision in a transaction and logs it with what undo needs. redoOf: it makes that undone decision again (redo.ts). */
export async function decide<R extends OperationResult>(
  library: PeopleLibrary,
  kind: DecisionKind,
  apply: (ctx: DecisionContext) => R,
  options: { redoOf?: string } = {},
): Promise<R> {
  return library.transaction((tx) => {
    const people = tx.people.people as PersonRecord[];
    const faceBefore = new Map<string, FaceState>();
    /** The faces touched, as the decision changes them: what it puts. */
    const faceChanged = new Map<string, FaceRecord>();
    const personBefore = new Map<string, { record: PersonRecord | null; position: number }>();
    const ctx: DecisionContext = {
      tx,
      faces: library.faces,
      people,
      face(id) {
        return resolveFace(library, id);
      },
      facesOf(personId) {
        return library.faces.filter((f) => f.personId === personId);
      },
      touchFace(f) {
        if (!faceBefore.has(f.id)) faceBefore.set(f.id, snapshotFace(f));
        faceChanged.set(f.id, f);
        // The group the face was in is remembered too: the regrouping after this decision may remove it, and undo
        // must be able to put it back (QA: undoing a names import left a group's twenty faces in no group).
        if (f.personId !== null) ctx.touchPerson(f.personId);
        return f;
      },
      touchPerson(id) {
        if (personBefore.has(id)) return;
        const position = people.findIndex((x) => x.id === id);
        personBefore.set(id, { record: position >= 0 ? structuredClone(people[position]) : null, position });
      },
      person(ref) {
        return resolvePerson(people, ref);
      },
      keep: {},
    };
    let result: R;
    try {
      result = apply(ctx);
    } catch (err) {
      // Refused part-way: the faces it changed are what disk holds again (the store reloads only what was reached or
      // put, and these were not put). A decision changes a face's person, assignment, rejections and "not a face" only.
      for (const [id, state] of faceBefore) {
        const f = faceChanged.get(id)!;
        Object.assign(f, { personId: state.personId, assignedBy: state.assignedBy, rejectedPersonIds: state.rejectedPersonIds });
        setNotAFace(f, state.notAFace);
      }
      throw err;
    }
    // A box the user said holds no face is a face again once any decision puts it with someone (named, moved,
    // confirmed): they said what it is since.
    if (kind !== 'not-a-face') for (const f of faceChanged.values()) if (f.notAFace && f.personId !== null) delete f.notAFace;
    // The same face in a photo's copies is told the same, in this step: one Undo takes both back (copy-faces.ts).
    if (faceChanged.size > 0 && library.hasCopies) {
      const changed = new Map([...faceChanged].map(([id, face]) => [id, { face, before: faceBefore.get(id)! }]));
      followToCopies(changed, copyTwins(library, faceChanged.values()), (id) => library.face(id), (f) => ctx.touchFace(f));
    }
    tx.put('faces', faceChanged.values());
    const decisions = decisionsOf(tx);
    const decisionId = `decision-${decisions.length + 1}-${Date.now().toString(36)}`;
    decisions.push({
      id: decisionId,
      at: nowIso(),
      kind,
      description: result.description,
      personIds: result.personIds,
      faceIds: result.faceIds,
      before: { faces: [...faceBefore.values()], people: [...personBefore].map(([id, state]) => ({ id, ...state })) },
      undoneAt: null,
      ...ctx.keep,
      ...(options.redoOf !== undefined ? { redoOf: options.redoOf } : {}),
    });
    // A new decision ends the redo chain (redo.ts decisionToRedo): the decisions undone before it can be neither redone
    // nor undone again, and keep only what they were (QA: 100 hides each undone left 540 KB of snapshots behind). The
    // last one undone keeps what Redo needs, so that Redo can say why it will not.
    if (options.redoOf === undefined) {
      const last = decisions.reduce<Decision | null>((found, d) => (d.redo && (found === null || d.redo.order > found.redo!.order) ? d : found), null);
      for (const d of decisions) {
        if (d.undoneAt === null) continue;
        d.before = null;
        if (d !== last) delete d.redo;
      }
    }
    // Old decisions keep what they were, not their inverse: the document stays small.
    let kept = 0;
    for (let i = decisions.length - 1; i >= 0; i--) {
      // A removal has nothing to undo, and the decisions before it stay undoable: it is no end to the ones trimmed.
      // Nor is an undone decision, which undo passes over: only those undo can take back count.
      if (decisions[i].kind === 'remove' || decisions[i].undoneAt !== null) continue;
      if (decisions[i].before === null) break;
      if (++kept > UNDO_DEPTH) {
        decisions[i].before = null;
        delete decisions[i].redo;
      }
    }
    result.decisionId = decisionId;
    return result;
  });
}

function pinTo(ctx: DecisionContext, face: FaceRecord, personId: string): void {
  ctx.touchFace(face);
  face.personId = personId;
  face.assignedBy = 'user';
  face.rejectedPersonIds = face.rejectedPersonIds.filter((id) => id !== personId);
}

/**
 * One person appears once in a photo: the faces Familiar placed with `personId` in the photos of faces the user just
 * put there are taken back, to wait unknown (a sibling beside them, most often). They stayed, the person twice in the
 * photo, until a Regroup quietly took them back (QA). Faces the user put there too stay (a mirror, a photo in a
 * photo). For each person, the photos of their faces in `pinnedByPerson`. Returns the faces taken back.
 */
function takeBackGuessesBeside(ctx: DecisionContext, pinnedByPerson: ReadonlyMap<string, readonly FaceRecord[]>): string[] {
  const photosOf = new Map<string, Set<string>>();
  const pinnedIds = new Set<string>();
  for (const [personId, pinned] of pinnedByPerson) {
    if (pinned.length === 0) continue;
    photosOf.set(personId, new Set(pinned.map((f) => f.photoId)));
    for (const f of pinned) pinnedIds.add(f.id);
  }
  if (pinnedIds.size === 0) return [];
  // One look at every face, however many people: a names import names thousands (a review).
  const taken: string[] = [];
  for (const f of ctx.faces) {
    const personId = f.personId;
    if (personId === null || f.assignedBy === 'user' || pinnedIds.has(f.id) || !photosOf.get(personId)?.has(f.photoId)) continue;
    ctx.touchFace(f);
    f.personId = null;
    f.assignedBy = null;
    uncoverLeavingFace(ctx, personId, f.id);
    taken.push(f.id);
  }
  return taken;
}

/** takeBackGuessesBeside for one person's pinned faces: how many went, counted as People counts faces. */
function takeBackGuessesOf(ctx: DecisionContext, library: PeopleLibrary, pinned: readonly FaceRecord[], personId: string): number {
  const taken = takeBackGuessesBeside(ctx, new Map([[personId, pinned]]));
  return taken.length === 0 ? 0 : countedOnce(library, taken);
}

/** What takeBackGuessesBeside took back, said after the decision's own sentence ("" when nothing). */
function guessesTakenBackInWords(count: number, person: PersonRecord): string {
  if (count === 0) return '';
  return ` ${count === 1 ? 'The face' : `The ${count.toLocaleString('en')} faces`} Familiar had placed with ${personInWords(person)} in the same photo${count === 1 ? ' no longer is' : 's no longer are'}: one person appears once in a photo.`;
}

/**
 * A person in a decision's sentence, which the app's Undo toasts show as well as the CLI: by name, or "an unnamed
 * group" (QA: "Undone: Hid unnamed group person-4d759f9f4179."). Errors keep the id, for the CLI to refer to it.
 */
const personInWords = (p: PersonRecord): string => (p.name !== null ? `"${p.name}"` : 'an unnamed group');

/**
 * Distance to a group's centre under which naming it vouches for a face, as a share of the same-person distance (which
 * is between two faces; a face is nearer its group's centre). On lfw_subset, with 1 / 3 / 5 photos of each person's
 * nearest lookalike mixed into their ten, naming confirms 99.1 % of their own faces and 7 / 10 / 19 % of the
 * lookalike's (0.6: 99.6 % and 15 / 29 / 42 %). An own face left out only waits unconfirmed in its person; a
 * lookalike confirmed is trained on as the person, so the tighter share (docs/clustering.md).
 */
const GROUP_CORE_SHARE = 0.5;
/** Faces compared when finding a group's most central face (evenly sampled beyond). */
const MEDOID_SAMPLE = 256;

/**
 * The faces of a group that naming it vouches for: those like the group, at most one per photo, and none in a photo
 * where a face is already confirmed as the group. The others stay with the group unconfirmed, so its page shows them
 * as "to check" and training never learns them as the person.
 *
 * "Like the group": with confirmed faces, within the same-person distance of them as least-alike measures (the mean
 * distance to the 3 nearest). Without, near the group's own centre, found robustly: a stranger, or a block of a
 * sister's photos, pulls the plain average toward them. So the centre starts at the face nearest all others (the
 * medoid), keeps the faces within the same-person distance of it, and is then twice the average of the faces within
 * GROUP_CORE_SHARE of it. photosConfirmed: photos where the person has a confirmed face already, outside `faces`.
 */
function facesToVouchFor(library: PeopleLibrary, faces: readonly FaceRecord[], photosConfirmed: Iterable<string> = []): Set<string> {
  const sameDistance = thresholdsFor(library.info, library.settings).sameDistance;
  const vectors = faces.map((f) => library.embeddingOf(f));
  const confirmed = faces.flatMap((f, r) => (f.assignedBy === 'user' ? [r] : []));
  // Compared with the confirmed faces but a box kept as drawn (isComparable): its vector may be of no face.
  const comparable = confirmed.filter((r) => isComparable(faces[r]));
  let distance: number[];
  let limit: number;
  if (comparable.length > 0) {
    const references = evenlySampled(comparable, MAX_REFERENCE).map((r) => vectors[r]);
    distance = vectors.map((v) => meanDistanceToNearest(v, references));
    limit = sameDistance;
  } else {
    const sample = evenlySampled(vectors, MEDOID_SAMPLE);
    const spread = sample.map((v) => sample.reduce((sum, w) => sum + distanceToDirection(v, w), 0));
    let centre: ArrayLike<number> = sample[spread.indexOf(Math.min(...spread))];
    let within = sameDistance;
    for (let round = 0; round < 3; round++) {
      const core = vectors.filter((v) => distanceToDirection(v, centre) <= within);
      if (core.length === 0) break;
      centre = averageDirection(core);
      within = GROUP_CORE_SHARE * sameDistance;
    }
    distance = vectors.map((v) => distanceToDirection(v, centre));
    limit = GROUP_CORE_SHARE * sameDistance;
  }
  const photosTaken = new Set([...photosConfirmed, ...confirmed.map((r) => faces[r].photoId)]);
  const vouched = new Set<string>();
  const nearestFirst = faces.map((_, r) => r).sort((a, b) => distance[a] - distance[b]);
  for (const r of nearestFirst) {
    const face = faces[r];
    if (face.assignedBy === 'user' || distance[r] > limit || photosTaken.has(face.photoId)) continue;
    photosTaken.add(face.photoId);
    vouched.add(face.id);
  }
  return vouched;
}

/**
 * Names (or renames) a person or unnamed group; the faces that look like it become the user's (facesToVouchFor). A
 * name another person already has (case aside) joins them: the group is merged into that person, as naming one face
 * does. leaveOut: faces of it the user clicked as someone else ("Who is this?"): they leave it, marked not it, in the
 * same decision (leaveOut above), so one undo takes back the name and them together.
 *
 * twoPeople, for a group that looks like two people (two-people.ts), as "Who is this?" shows it in its two parts:
 *  - 'cover-part': the name is for the faces like the cover; the others become a group of their own in the same
 *    decision, marked "not" nobody: the user named one part and said nothing of the other (QA: one man's nine faces
 *    read as two people, and the three split off were refused his name as if the user had said they were not him).
 *    The new group's core is pinned to it, which keeps the two apart until the user answers about it; naming it the
 *    same, or a Yes to "Is this <Name>?", then simply adds it to the person.
 *  - 'one-person': the user said the faces are all one person: each part's faces take the name, as naming each part
 *    would vouch for them, and the group is not asked about again (keepAsOnePerson's mark).
 * The parts are found once, here, and the name stands only while the group holds the same faces in its decision's
 * transaction (an import's grouping may change it meanwhile, and the name would go to parts the user never saw), and,
 * with shownParts, only while they are the parts the screen showed; it is refused otherwise (PARTS_CHANGED).
 * shownParts without twoPeople (`familiar name`, which says the parts it named): the name is for the part like the
 * cover, as with neither, and stands under the same two conditions.
 */
export function namePerson(
  library: PeopleLibrary,
  personRef: string,
  rawName: string,
  options: { leaveOut?: readonly string[]; twoPeople?: 'cover-part' | 'one-person'; shownParts?: ShownParts; sameAsNamesake?: boolean } = {},
): Promise<OperationResult> {
  const name = validateName(rawName);
  const target = resolvePerson(library.people.people, personRef);
  const left = new Set(options.leaveOut ?? []);
  // The faces the name is for: the others are refused here already, before a merge or the name's own decision.
  const faces = library.faces.filter((f) => f.personId === target.id);
  const asShown = options.twoPeople !== undefined || options.shownParts !== undefined;
  const question = asShown ? twoPeopleQuestion(library, target.id) : undefined;
  if (options.twoPeople === 'cover-part' && !question) throw new PeopleError(NOT_TWO_PEOPLE);
  if (question && options.shownParts && !partsAsShown(question, options.shownParts)) throw new PeopleError(PARTS_CHANGED);
  // Parts were shown, and the group no longer has two: the name would vouch for faces it was not said to.
  if (!question && options.shownParts && options.twoPeople === undefined) throw new PeopleError(PARTS_CHANGED);
  const check = asShown
    ? (all: readonly FaceRecord[]) => {
        const now = new Set(all.filter((f) => f.personId === target.id).map((f) => f.id));
        if (now.size !== faces.length || faces.some((f) => !now.has(f.id))) throw new PeopleError(PARTS_CHANGED);
      }
    : undefined;
  const apart = new Set(options.twoPeople === 'cover-part' ? question!.leaves.filter((id) => !left.has(id)) : []);
  const kept = faces.filter((f) => !left.has(f.id));
  if (left.size > 0) {
    if (kept.length + left.size > faces.length) throw new PeopleError('Only the faces in this group can be left out of its name.');
    if (kept.length === 0) throw new PeopleError('Every face of this group is left out: leave at least one in to name it.');
  }
  const leaveOutFaces = [...left];
  // The same name as the app's name field takes it (preload/names.ts): "Zoe" is Zoë.
  const namesakes = namesakesOf(library.people.people.filter((p) => p.id !== target.id), name);
  if (namesakes.length > 1) throw new PeopleError(`"${name}" is ambiguous: ${namesakes.length} people have that name; merge them first.`);
  if (namesakes.length === 1) {
    // A group that may be two people, named with neither answer (`familiar name`, a rename): the name is for the part
    // like its cover, and without a namesake the other part stays unconfirmed. The merge would vouch for the core of a
    // group none of whose faces is confirmed (coresToVouchFor), the other sister's faces included: that part becomes a
    // group of its own instead, as 'cover-part' makes it.
    if (options.twoPeople === undefined && !kept.some((f) => f.assignedBy === 'user')) {
      for (const id of (question ?? twoPeopleQuestion(library, target.id))?.leaves ?? []) if (!left.has(id)) apart.add(id);
    }
    // The user said these faces are not them (a split, or rejections): the name would undo that unasked. (The marks an
    // older "Who is this?" gave unasked went when the library opened: main/store/upgrades.ts.)
    const named = kept.filter((f) => !apart.has(f.id));
    const deniedFaces = named.filter((f) => f.rejectedPersonIds.includes(namesakes[0].id));
    const denied = deniedFaces.length;
    if (named.length > 0 && denied * 2 > named.length) {
      const theseFaces = denied === named.length ? 'these faces' : `${denied} of these ${named.length} faces`;
      // "Separate again" marks the faces it gives back: the refusal says so, as the user may not link it to a "not" (QA).
      const separated = separatedFrom(library, namesakes[0].id);
      const then = deniedFaces.every((f) => separated.has(f.id))
        ? `You separated ${theseFaces} from "${namesakes[0].name}", which marked them not "${namesakes[0].name}": `
        : `You said ${theseFaces} are not "${namesakes[0].name}" (${deniedFaces.some((f) => separated.has(f.id)) ? 'a separation, ' : ''}a No to "Is this ${namesakes[0].name}?", a split, or rejected suggestions): `;
      // The way back from a No given by mistake, which a name cannot take (QA: the user was left to confirm six faces one by one).
      throw new PeopleError(
        `${then}give them another name. If that was a mistake, move the faces to "${namesakes[0].name}" (select them on this group's page, then Move to…) or undo it. If the faces under "${namesakes[0].name}" are someone else, rename those first.`,
      );
    }
    return mergePeople(library, namesakes[0].id, [target.id], { check, leaveOut: leaveOutFaces, setApart: [...apart], onePerson: options.sameAsNamesake });
  }
  // The name it has already: nothing changes, and nothing goes on the undo list.
  if (target.name === name && left.size === 0 && options.twoPeople === undefined) {
    return Promise.resolve({ description: `${personLabel(target)} has that name already.`, personIds: [target.id], faceIds: [], decisionId: null });
  }
  return decide(library, 'name', (ctx) => {
    const person = ctx.person(personRef);
    const previous = person.name;
    check?.(ctx.faces);
    // The picture the user named it by: with none chosen, an unnamed group shows its most typical face and a named
    // person their best confirmed one, so the faces the name vouches for changed it the moment it was named (QA).
    const shown = pictureOf(library, person, withoutCopyFaces(library, ctx.facesOf(person.id)));
    // The parts found above, for the same faces; a name given neither twoPeople nor shownParts looks now: it too
    // vouches only for the part like the cover.
    const parts = question !== undefined ? question : twoPeopleQuestion(library, person.id);
    const leftOut = leaveOut(ctx, leaveOutFaces, [person], 'named');
    // Every face of the other part left out (clicked as someone else): no group of none of them.
    const apartFaces = options.twoPeople === 'cover-part' ? parts!.leaves.map((id) => ctx.face(id)).filter((f) => f.personId === person.id) : [];
    const other = apartFaces.length > 0 ? groupApart(ctx, library, apartFaces) : null;
    if (other) ctx.keep.setApart = { groupId: other.group.id, fromPersonId: person.id };
    ctx.touchPerson(person.id);
    person.name = name;
    // The faces People shows: a resized copy's face is its original's, and takes what the name does to it (decide).
    const faces = withoutCopyFaces(library, ctx.facesOf(person.id));
    // A named person with no face left (each moved elsewhere or said not them) is kept, and can still be renamed.
    if (faces.length === 0 && (leftOut.length > 0 || previous === null)) throw new PeopleError('Every face of this group is left out: leave at least one in to name it.');
    let vouched: Set<string>;
    if (previous !== null && options.twoPeople === undefined && faces.some((f) => f.assignedBy === 'user')) {
      // A new name for someone named already vouches for nothing: their confirmed faces hold them, and what Familiar
      // placed with them stays its guess, as a merge keeps it (QA: "Jeb Bush" renamed "Jeb" went from 5 of 10 faces
      // confirmed to 10, the 2 an import had just placed among them, never shown, included).
      vouched = new Set();
    } else if (options.twoPeople === 'one-person') {
      person.onePerson = true;
      vouched = facesToVouchForEachPart(library, faces, parts);
    } else {
      // A group that looks like two people (sisters): the name is for the part the user saw on its cover, and only
      // that part's faces are vouched for; the other waits, unconfirmed, for the page's "split off" question.
      const leaving = new Set(parts?.leaves ?? []);
      vouched = facesToVouchFor(library, faces.filter((f) => !leaving.has(f.id)));
    }
    for (const f of faces) if (vouched.has(f.id)) pinTo(ctx, f, person.id);
    // It stays theirs unless the user left it out or it went with the other part: then the rule picks among theirs.
    if (shown !== null && faces.some((f) => f.id === shown)) person.coverFaceId = shown;
    const confirmed = faces.filter((f) => f.assignedBy === 'user').length;
    // The other part of a group that looks like two people stays, for the page's "Split off" (not 'one-person').
    const otherPart = options.twoPeople === undefined ? new Set(parts?.leaves ?? []) : new Set<string>();
    const counts =
      confirmed === faces.length
        ? `${plural(faces.length, 'face')}, all confirmed`
        : `${plural(faces.length, 'face')}, ${confirmed} confirmed${whyLeftUnconfirmed(library, faces.filter((f) => f.assignedBy !== 'user'), { faceIds: otherPart, name })}`;
    const asOne = options.twoPeople === 'one-person' ? ' as one person' : '';
    const said =
      previous === null ? `Named "${name}"${asOne} (${counts}).` : previous === name ? `Kept the name "${name}"${asOne} (${counts}).` : `Renamed "${previous}" to "${name}"${asOne}.`;
    return {
      description: said + (leftOut.length > 0 ? ` ${plural(leftOut.length, 'face')} left out.` : '') + (other ? ` ${otherPartInWords(other.faces)}` : ''),
      personIds: other ? [person.id, other.group.id] : [person.id],
      faceIds: faces.map((f) => f.id),
    };
  });
}

/** The faces "Separate again" gave back from a person and marked not them (separatePerson), in decisions not undone. */
function separatedFrom(library: PeopleLibrary, personId: string): Set<string> {
  const decisions = library.people.decisions as Decision[];
  return new Set(decisions.flatMap((d) => (d.kind === 'separate' && d.undoneAt === null && d.personIds[0] === personId ? d.faceIds : [])));
}

/** Why each kind of face too poor to recognise is (models/face-quality.ts), as a name's description says it. */
const UNRECOGNISABLE_IN_WORDS = { small: 'too small to recognise', cut: 'cut off by the photo\'s edge', unclear: 'too unclear to recognise' } as const;

/**
 * Why a name left faces unconfirmed: they look like someone else (the other part of a group that looks like two
 * people, which the person's page offers to split off), or they are too small, cut off or unclear to recognise
 * (docs/clustering.md "Faces too small to recognise"). "Named "Raj" (5 faces, 4 confirmed)" left the user wondering
 * about the fifth, and "Named "Serena" (20 faces, 10 confirmed)" about Venus's ten (QA). Empty when neither is so.
 */
function whyLeftUnconfirmed(library: PeopleLibrary, unconfirmed: readonly FaceRecord[], otherPart: { faceIds: ReadonlySet<string>; name: string }): string {
  const which = (count: number, verbs: readonly [string, string]) =>
    count === unconfirmed.length ? (count === 1 ? `the other ${verbs[0]}` : `the other ${count} ${verbs[1]}`) : `${count} of the others ${count === 1 ? verbs[0] : verbs[1]}`;
  const clauses: string[] = [];
  const someoneElse = unconfirmed.filter((f) => otherPart.faceIds.has(f.id)).length;
  if (someoneElse > 0) {
    clauses.push(`${which(someoneElse, ['looks', 'look'])} like someone else — split ${someoneElse === 1 ? 'it' : 'them'} off on ${otherPart.name}'s page`);
  }
  const reasons = unconfirmed
    .filter((f) => !otherPart.faceIds.has(f.id))
    .map((f) => unrecognisable(f, library.photo(f.photoId)))
    .filter((r) => r !== null);
  if (reasons.length > 0) {
    const kinds = [...new Set(reasons)];
    const why = kinds.length === 1 ? UNRECOGNISABLE_IN_WORDS[kinds[0]] : 'too small, cut off or unclear to recognise';
    clauses.push(`${which(reasons.length, ['is', 'are'])} ${why}`);
  }
  return clauses.length === 0 ? '' : `: ${clauses.join('; ')}`;
}

const NOT_TWO_PEOPLE = 'These faces no longer look like two people: look again.';
/** As an answer to "Is this <Name>?" is refused (group-candidates.ts's GROUP_CHANGED). */
export const PARTS_CHANGED = 'This group changed while you looked at it: look again.';

/** The two parts of a group as the screen showed them (people.twoPeople): some faces of each, and how many it had. */
export interface ShownParts {
  stays: { faceIds: readonly string[]; count: number };
  leaves: { faceIds: readonly string[]; count: number };
}

function partsAsShown(parts: TwoPeopleQuestion, shown: ShownParts): boolean {
  const same = (ids: readonly string[], part: ShownParts['stays']) => ids.length === part.count && part.faceIds.every((id) => ids.includes(id));
  return same(parts.stays, shown.stays) && same(parts.leaves, shown.leaves);
}

const otherPartInWords = (faces: readonly FaceRecord[]) =>
  `The other ${plural(faces.length, 'face')} ${faces.length === 1 ? 'is a group of its own' : 'are a group of their own'}.`;

/**
 * The faces of a group the user said is one person though it looked like two: each part's faces that naming that part
 * would vouch for, at most one a photo (the nearer part's first: the part like the cover).
 */
function facesToVouchForEachPart(library: PeopleLibrary, faces: readonly FaceRecord[], parts: TwoPeopleQuestion | null): Set<string> {
  if (!parts) return facesToVouchFor(library, faces);
  const partOf = (ids: readonly string[]) => {
    const set = new Set(ids);
    return faces.filter((f) => set.has(f.id));
  };
  const inParts = new Set([...parts.stays, ...parts.leaves]);
  // Strays set aside by the two-people rule count with the part like the cover, as a name without the question would.
  const vouched = facesToVouchFor(library, [...partOf(parts.stays), ...faces.filter((f) => !inParts.has(f.id))]);
  const photosTaken = new Set(faces.filter((f) => vouched.has(f.id) || f.assignedBy === 'user').map((f) => f.photoId));
  for (const id of facesToVouchFor(library, partOf(parts.leaves))) {
    const f = faces.find((g) => g.id === id)!;
    if (photosTaken.has(f.photoId)) continue;
    photosTaken.add(f.photoId);
    vouched.add(id);
  }
  return vouched;
}

/**
 * Makes `faces` (a part of a group that looked like two people) a new unnamed group: its core (the faces like it, as
 * naming a group vouches for them) pinned, so a recluster keeps it apart; the rest in it unconfirmed (QA: a split-off
 * part holding two strangers read "13 confirmed", and "unlike" could then never point at them). Faces the user had
 * placed themselves stay theirs. Nothing is marked "not" anyone here: that is for the caller to say.
 */
function groupApart(ctx: DecisionContext, library: PeopleLibrary, faces: readonly FaceRecord[]): { group: PersonRecord; faces: readonly FaceRecord[] } {
  const group: PersonRecord = { id: newPersonId(), name: null, hidden: false, coverFaceId: null, createdAt: nowIso() };
  ctx.touchPerson(group.id);
  ctx.people.push(group);
  const core = facesToVouchFor(library, faces);
  for (const f of faces) {
    if (f.assignedBy === 'user' || core.has(f.id)) pinTo(ctx, f, group.id);
    else {
      ctx.touchFace(f);
      f.personId = group.id;
      f.assignedBy = 'cluster';
    }
  }
  return { group, faces };
}

/** Gives faces a name: they join the (unique) person of that name, or enrol a new person with it. */
export function nameFaces(library: PeopleLibrary, faceRefs: string[], rawName: string): Promise<OperationResult> {
  const name = validateName(rawName);
  if (faceRefs.length === 0) throw new PeopleError('Name at least one face.');
  const existing = namesakesOf(library.people.people, name);
  if (existing.length > 1) throw new PeopleError(`"${name}" is ambiguous: ${existing.length} people have that name; confirm the faces into one by id.`);
  return decide(library, existing.length === 1 ? 'confirm' : 'enrol', (ctx) => {
    const faces = faceRefs.map((r) => ctx.face(r));
    let person = existing.length === 1 ? ctx.people.find((p) => p.id === existing[0].id)! : null;
    if (!person) {
      // No cover chosen: the first face named is not one the user picked (pictureOf picks a clear, typical one).
      person = { id: newPersonId(), name, hidden: false, coverFaceId: null, createdAt: nowIso() };
      ctx.touchPerson(person.id);
      ctx.people.push(person);
    }
    // Faces taken from a named person who keeps others are corrected, as moving them does: the person they leave is
    // remembered as "not them", which keeps a regrouping from putting them back, and holds the faces left with that
    // person to them (QA: the six faces a mistaken "Serena" had confirmed, named "Venus", and the next Regroup gave
    // Serena's own six to Venus). All of someone's faces named is another name for them, no "not" said (QA renamed
    // Colin's faces "Uncle Colin"); and an unnamed group is Familiar's guess: one of its faces named may be the whole
    // group's name, which a regrouping then gives the group, as it always did.
    const previousOf = new Map(faces.map((f) => [f.id, f.personId]));
    for (const f of faces) pinTo(ctx, f, person.id);
    const keepsFaces = new Map<string, boolean>();
    const left = new Set<string>();
    for (const f of faces) {
      const previous = previousOf.get(f.id) ?? null;
      if (previous === null || previous === person.id || ctx.people.find((p) => p.id === previous)?.name == null) continue;
      if (!keepsFaces.has(previous)) keepsFaces.set(previous, ctx.faces.some((x) => x.personId === previous));
      if (!keepsFaces.get(previous)) continue;
      f.rejectedPersonIds = [...new Set([...f.rejectedPersonIds, previous])];
      left.add(previous);
      uncoverLeavingFace(ctx, previous, f.id);
    }
    const takenBack = existing.length === 1 ? takeBackGuessesOf(ctx, library, faces, person.id) : 0;
    const faceIds = faces.map((f) => f.id);
    const counted = plural(countedOnce(library, faceIds), 'face');
    return {
      // The person's own name, as they spell it: "nicole kidman" typed joins "Nicole Kidman" and says so.
      description: existing.length === 1 ? `Confirmed ${counted} as "${person.name ?? name}".${guessesTakenBackInWords(takenBack, person)}` : `New person "${name}", from ${counted}.`,
      personIds: [person.id, ...left],
      faceIds,
    };
  });
}

/**
 * Names many faces at once, each with its own name (names read from other apps' metadata): a name joins the
 * (unique) person who has it, as the app and `familiar name` find them (preload/names.ts: "Zoë" from digiKam joins
 * Zoe), or enrols a new person, whom the other spellings of the name then join. One decision, so one undo takes the
 * whole import back. The caller has already left out faces the user placed differently; this only refuses what no
 * decision may do.
 *
 * rejections: "No, not Rose" answers the metadata carries (another Familiar's export), given in the same decision
 * once the names have enrolled their people, as rejectFaces gives them: the person joins the face's rejections, and
 * the face leaves the person if Familiar had placed it there. Never over the user's confirmation of that person, nor
 * a face this decision names so; a name nobody has is passed over. Counted apart (`rejected`) from `facesNamed`.
 */
export function nameFacesInBulk(
  library: PeopleLibrary,
  assignments: ReadonlyArray<{ faceId: string; name: string; confirmed?: false }>,
  source: string,
  options: {
    regroupAfter?: boolean;
    rejections?: ReadonlyArray<{ faceId: string; name: string }>;
    /**
     * People to rename first, as the tags read now name them (xmp-names.ts renamesRead: their name came from reads
     * alone); the names given with them then join them.
     */
    renames?: ReadonlyArray<{ personId: string; name: string }>;
    /**
     * The faces the import added to their photos just now (Decision.facesAdded): undo takes them out. Those named, and
     * those found where other apps marked a face and named no one (`unnamedFound` of them, said in the description).
     */
    facesAdded?: readonly string[];
    unnamedFound?: number;
  } = {},
): Promise<OperationResult & { facesNamed: number; rejected: number; newPeople: string[]; renamed: Array<{ from: string; to: string }> }> {
  const rejections = options.rejections ?? [];
  const renames = (options.renames ?? []).map((r) => ({ personId: r.personId, name: validateName(r.name) }));
  if (assignments.length === 0 && rejections.length === 0 && renames.length === 0) throw new PeopleError('Name at least one face.');
  // By spelling (case aside): of Jose and José, both in the library, each spelling finds its own (namesakesOf).
  const bySpelling = new Map<string, { name: string; faceIds: string[] }>();
  /** Faces placed with the person unconfirmed (another Familiar's guesses), not pinned as the user's. */
  const guesses = new Set(assignments.filter((a) => a.confirmed === false).map((a) => a.faceId));
  for (const a of assignments) {
    const name = validateName(a.name);
    const spelling = name.toLocaleLowerCase();
    let entry = bySpelling.get(spelling);
    if (!entry) bySpelling.set(spelling, (entry = { name, faceIds: [] }));
    entry.faceIds.push(a.faceId);
  }
  for (const { name } of bySpelling.values()) {
    const namesakes = namesakesOf(library.people.people, name);
    if (namesakes.length > 1) throw new PeopleError(`"${name}" is ambiguous: ${namesakes.length} people have that name; merge them first.`);
  }
  return decide(library, 'import-names', (ctx) => {
    const personIds = new Set<string>();
    const faceIds: string[] = [];
    /** The names of the people this decision enrolled: two spellings may be two people (facesLookLike). */
    const newPeople: string[] = [];
    /** The faces each person named here is pinned to, for the guesses beside them (takeBackGuessesBeside, after all). */
    const pinnedByPerson = new Map<string, FaceRecord[]>();
    const renamed: Array<{ from: string; to: string }> = [];
    for (const { personId, name } of renames) {
      const person = ctx.people.find((p) => p.id === personId);
      // Checked again inside the transaction: a name given meanwhile, here or to someone else, wins.
      if (!person?.name || namesakesOf(ctx.people.filter((p) => p.id !== personId), name).length > 0) continue;
      ctx.touchPerson(person.id);
      renamed.push({ from: person.name, to: name });
      person.name = name;
      personIds.add(person.id);
    }
    for (const { name, faceIds: refs } of bySpelling.values()) {
      // Someone enrolled by an earlier spelling ("Zoe" after "Zoë") is found here too: ctx.people holds them.
      const namesakes = namesakesOf(ctx.people, name);
      // Checked above; a name given meanwhile to a second person makes the import wait for the merge, as it would have.
      if (namesakes.length > 1) throw new PeopleError(`"${name}" is ambiguous: ${namesakes.length} people have that name; merge them first.`);
      let person: PersonRecord | null = namesakes[0] ?? null;
      // Another spelling (Jose for José, O'Brien for O’Brien) joins them only when the faces look like them: QA's tags
      // "Jose" on Bill Gates and "José" on Angelina Jolie made one person of both, all confirmed. Apart, each spelling
      // is a person of its own, found by its spelling (namesakesOf).
      if (person && spelledAsTyped(person.name!) !== spelledAsTyped(name)) {
        const named = refs.map((r) => ctx.face(r)).filter((f) => f.personId !== person!.id);
        if (named.length > 0 && !facesLookLike(library, named, person.id)) person = null;
      }
      // Checked again inside the transaction: a decision made while the metadata was being read wins.
      const faces = refs
        .map((r) => ctx.face(r))
        .filter((f) => !(f.assignedBy === 'user' && f.personId !== person?.id) && !(person && f.rejectedPersonIds.includes(person.id)));
      if (faces.length === 0) continue;
      if (!person) {
        // The first face read (by path: QA's George W Bush was half a face at Bill Simon's photo's edge) is no choice.
        person = { id: newPersonId(), name, hidden: false, coverFaceId: null, createdAt: nowIso() };
        ctx.touchPerson(person.id);
        ctx.people.push(person);
        newPeople.push(name);
      }
      for (const f of faces) {
        if (!guesses.has(f.id)) pinTo(ctx, f, person.id);
        else if (f.assignedBy !== 'user') {
          ctx.touchFace(f);
          f.personId = person.id;
          f.assignedBy = 'cluster';
        }
      }
      pinnedByPerson.set(person.id, [...(pinnedByPerson.get(person.id) ?? []), ...faces.filter((f) => f.assignedBy === 'user')]);
      personIds.add(person.id);
      faceIds.push(...faces.map((f) => f.id));
    }
    // One person once in a photo: their guesses beside a face named here wait unknown, the files' own unconfirmed
    // ones too, which are then no face named here (of "Zoë" and "Zoe" alike).
    const takenBackIds = new Set(takeBackGuessesBeside(ctx, pinnedByPerson));
    if (takenBackIds.size > 0) faceIds.splice(0, faceIds.length, ...faceIds.filter((id) => !takenBackIds.has(id)));
    const takenBack = takenBackIds.size === 0 ? 0 : countedOnce(library, [...takenBackIds]);
    // Regrouping follows in a transaction of its own (recluster): until it has run, it is owed (PeopleDocument). Only
    // names owe one: a "not" answer leaves its face in no group, as a No in the app does (QA: answers alone regrouped).
    if (options.regroupAfter && faceIds.length > 0) ctx.tx.people.regroupPending = true;
    const peopleNamed = personIds.size;
    const named = new Set(faceIds);
    const rejectedFaces = new Set<string>();
    /** The faces each "not this person" answer read here was given to, by person. */
    const answered = new Map<string, string[]>();
    for (const { faceId, name } of rejections) {
      const namesakes = namesakesOf(ctx.people, validateName(name));
      if (namesakes.length !== 1) continue;
      const [person] = namesakes;
      const f = ctx.face(faceId);
      // Checked again inside the transaction: the user's confirmation wins, and so does this decision's own name.
      if (f.rejectedPersonIds.includes(person.id) || (f.personId === person.id && (f.assignedBy === 'user' || named.has(f.id)))) continue;
      ctx.touchFace(f);
      f.rejectedPersonIds = [...f.rejectedPersonIds, person.id];
      if (f.personId === person.id) {
        f.personId = null;
        f.assignedBy = null;
      }
      if (person.coverFaceId === f.id) {
        ctx.touchPerson(person.id);
        person.coverFaceId = null;
      }
      answered.set(person.id, [...(answered.get(person.id) ?? []), f.id]);
      rejectedFaces.add(f.id);
      personIds.add(person.id);
    }
    // Said as People counts faces: a resized copy's, named in its own file too, is its original's (countedOnce), and
    // unconfirmed only where neither is confirmed. facesNamed and rejected count so too, as the undo of this decision
    // says them (QA: the summary said "5 faces named", the decision and its Undo 3).
    const namedOnce = countedOnce(library, faceIds);
    const unconfirmed = namedOnce - countedOnce(library, faceIds.filter((id) => !guesses.has(id)));
    const answersOnce = [...answered.values()].reduce((sum, ids) => sum + countedOnce(library, ids), 0);
    ctx.keep.namesRead = { facesNamed: namedOnce, answers: answersOnce, source, ...(renamed.length > 0 && { renamed }) };
    if (options.facesAdded?.length) ctx.keep.facesAdded = [...options.facesAdded];
    const answers = plural(answersOnce, '"not this person" answer');
    const namedWords =
      `Named ${plural(namedOnce, 'face')} from ${source} (${plural(peopleNamed, 'person', 'people')}, ${newPeople.length} new)` +
      `${unconfirmed > 0 ? `; ${unconfirmed} of them placed unconfirmed, as the app that wrote them had placed them` : ''}`;
    const found = options.unnamedFound ? `; added ${plural(options.unnamedFound, 'face')} Familiar had missed, where other apps marked faces` : '';
    const guessesWords =
      takenBack === 0 ? '' : ` ${plural(takenBack, 'face')} placed with the same person in the same photo ${takenBack === 1 ? 'waits' : 'wait'} unknown: one person appears once in a photo.`;
    // The name came from these tags: renamed where it came from, it follows (a rename of the user's own is never made).
    const renamedWords = renamed.map((r) => `Renamed "${r.from}" to "${r.to}", as the tags now name them (the name came from them).`).join(' ');
    const readWords =
      faceIds.length > 0 ? `${namedWords}${answersOnce > 0 ? `; read ${answers} too` : ''}${found}.${guessesWords}` : answersOnce > 0 || found ? `Read ${answers} from ${source}${found}.` : '';
    return {
      description: [renamedWords, readWords].filter(Boolean).join(' '),
      personIds: [...personIds],
      faceIds: [...faceIds, ...[...rejectedFaces].filter((id) => !named.has(id))],
      facesNamed: namedOnce,
      rejected: answersOnce,
      newPeople,
      renamed,
    };
  });
}

/** What a decision checks, inside its transaction, before it changes anything (an answer about what the user saw). */
export interface DecisionCheck {
  /** Throws to refuse, given the library's faces as the decision finds them. */
  check?: (faces: readonly FaceRecord[]) => void;
}

/**
 * Faces of `groups` the user clicked as someone else while answering about them (naming a group, "Is this Ada?"
 * Yes): each leaves its group, marked not it, so no grouping puts it back and no name given to the group reaches it,
 * and it stays an unknown face, to be grouped and asked about again. Part of the answer's own decision, so one undo
 * takes back the answer whole. `what`: the answer, for the refusal of a face that is not in those groups.
 */
function leaveOut(ctx: DecisionContext, faceRefs: readonly string[], groups: readonly PersonRecord[], what: 'named' | 'merged'): FaceRecord[] {
  const faces = [...new Map(faceRefs.map((r) => ctx.face(r)).map((f) => [f.id, f])).values()];
  for (const f of faces) {
    const group = groups.find((p) => p.id === f.personId);
    if (!group) throw new PeopleError(`Face "${f.id}" is not in what is being ${what}: only its faces can be left out.`);
    ctx.touchFace(f);
    f.rejectedPersonIds = [...new Set([...f.rejectedPersonIds, group.id])];
    f.personId = null;
    f.assignedBy = null;
    if (group.coverFaceId === f.id) {
      ctx.touchPerson(group.id);
      group.coverFaceId = null;
    }
  }
  return faces;
}

/**
 * Merges people into one: every face of each becomes the target's, rejections follow. The faces the user confirmed stay
 * confirmed and Familiar's guesses stay guesses (QA: renaming "Laura", 6 of 10 faces confirmed, to "Jen A" confirmed all
 * 20, and the export and the embedder then took Familiar's guesses for the user's word). A group nobody confirmed a
 * face of gets its core vouched for, as naming it would (facesToVouchFor), so a regrouping keeps it with the person.
 */
export function mergePeople(
  library: PeopleLibrary,
  intoRef: string,
  fromRefs: string[],
  /**
   * leaveOut: faces of the people merged in that the user said are someone else; they are marked not theirs (so not
   * the target's either) in the same decision, so one undo takes the whole answer back ("Is this Ada?", Yes less some).
   * setApart: faces of theirs that become a group of their own instead, marked "not" nobody (namePerson's 'cover-part').
   * onePerson: the user said they are one person when told their faces do not look alike ("Is this the same person?",
   * `familiar name --join`): the question whether they are two is answered (PersonRecord.onePerson).
   */
  options: DecisionCheck & { leaveOut?: readonly string[]; setApart?: readonly string[]; onePerson?: boolean } = {},
): Promise<OperationResult> {
  if (fromRefs.length === 0) throw new PeopleError('Merge needs at least one person to merge into the target.');
  return decide(library, 'merge', (ctx) => {
    options.check?.(ctx.faces);
    const into = ctx.person(intoRef);
    const from = [...new Map(fromRefs.map((r) => ctx.person(r)).map((p) => [p.id, p])).values()];
    if (from.some((p) => p.id === into.id)) throw new PeopleError(`Cannot merge ${personLabel(into)} into itself.`);
    const fromIdsNow = new Set(from.map((p) => p.id));
    // Faces Familiar placed with them that the user said are not the target (a "No" to one of its suggestions, a split,
    // a separation): taking their group in is no word about each of them, so they are left out with their "not" kept.
    // The merge used to confirm them as the target and erase the "not" (a code review: a rejected face came back,
    // confirmed). A face the user confirmed as theirs follows them: saying they are the target is the later word.
    const askedLeftOut = new Set(options.leaveOut ?? []);
    // So are those in photos taken before the target was born (before-birth.ts): a group named after her, or a Yes to
    // "Is this Venus?", confirmed her sister's baby photo among them, unsaid (QA).
    const unborn = cannotBeOf(library, into);
    const saidNot = (f: FaceRecord) => f.rejectedPersonIds.includes(into.id);
    const denied = ctx.faces.filter(
      (f) => f.personId !== null && fromIdsNow.has(f.personId) && f.assignedBy !== 'user' && (saidNot(f) || unborn?.(f) === true) && !askedLeftOut.has(f.id),
    );
    const bornAfter = denied.filter((f) => !saidNot(f)).length;
    // Released without a "not" them: the user said only that they are not the target. Marked "not Serena", such a face
    // stayed unknown when Serena was separated again, and no regrouping gave it back to her (QA).
    const deniedOf = new Map(from.map((p) => [p.id, denied.filter((f) => f.personId === p.id).map((f) => f.id)]));
    for (const f of denied) {
      const group = from.find((p) => p.id === f.personId)!;
      ctx.touchFace(f);
      f.personId = null;
      f.assignedBy = null;
      if (group.coverFaceId === f.id) {
        ctx.touchPerson(group.id);
        group.coverFaceId = null;
      }
    }
    const leftOut = askedLeftOut.size > 0 ? leaveOut(ctx, [...askedLeftOut], from, 'merged') : [];
    const apartFaces = (options.setApart ?? []).map((r) => ctx.face(r)).filter((f) => f.personId !== null && fromIdsNow.has(f.personId));
    const other = apartFaces.length > 0 ? groupApart(ctx, library, apartFaces) : null;
    if (other) ctx.keep.setApart = { groupId: other.group.id, fromPersonId: into.id };
    // Into a named person: what each one taken in had is kept for good, to separate them again whenever the user finds
    // the merge was wrong. A named person (siblings merged), and an unnamed group too: a name or a Yes that added a
    // lookalike's photos to someone was undone only by Undo, and once later decisions were made, by finding and moving
    // each face by hand (the complaint users make most of other apps: wrong faces that are hard to remove).
    const namedTookNamed = into.name !== null && from.some((p) => p.name !== null);
    if (into.name !== null) {
      // The faces left out as not the target were theirs too: separated again, they go back with them (merged-into.ts).
      const mergedAway = from
        .map((p) => {
          const away = mergedAwayOf(ctx.faces, p, into.id);
          away.faces.push(...(deniedOf.get(p.id) ?? []).map((id) => ({ id, notTarget: true as const, leftOut: true as const })));
          return away;
        })
        .filter((away) => away.record.name !== null || away.faces.length > 0);
      if (mergedAway.length > 0) ctx.keep.mergedAway = mergedAway;
    }
    ctx.touchPerson(into.id);
    if (into.name === null) into.name = from.find((p) => p.name !== null)?.name ?? null;
    // Their birthday, when the person kept had none: the one the user gave is not lost with the name merged away. Kept
    // with what they took in, so separating them again takes it back (siblings merged: the older one's photos would
    // otherwise be dated by the younger one's birth).
    const birthdayFrom = into.birthday === undefined ? from.find((p) => p.birthday !== undefined) : undefined;
    if (birthdayFrom) {
      into.birthday = birthdayFrom.birthday;
      const away = ctx.keep.mergedAway?.find((m) => m.record.id === birthdayFrom.id);
      if (away) away.birthdayTaken = true;
    }
    // Two named people said to be one: the question whether their faces are two people is answered, and "Separate
    // again" on the page is the way back (the merge used to confirm every face, which kept the question away too).
    // Not when they lie farther apart than the same-person distance: the model alone says two people, and siblings
    // merged by mistake are what the question is for (QA merged Penny into Amy, 0.117 apart: nothing said so).
    const comparable = (id: string) => ctx.facesOf(id).filter(isComparable);
    // Told they do not look alike, the user said "same person" of exactly these faces: asking again at once whether they
    // are two people (QA: Howard's grey photos, joined by his name after the question) is the question just answered.
    if (options.onePerson || (namedTookNamed && !from.some((p) => beyondSamePerson(library, comparable(into.id), comparable(p.id))))) into.onePerson = true;
    // The face the user knows them by stays on the card: with no cover chosen, the one shown is picked among all the
    // faces, so it could be someone merged in (QA: "Serena" showed Venus).
    into.coverFaceId ??= coverOf(ctx.facesOf(into.id), library);
    const fromIds = new Set(from.map((p) => p.id));
    const vouched = coresToVouchFor(ctx, library, [into, ...from]);
    const moved: string[] = [];
    for (const f of ctx.faces) {
      if (f.personId === into.id && vouched.has(f.id)) pinTo(ctx, f, into.id);
      if (f.personId !== null && fromIds.has(f.personId)) {
        if (f.assignedBy === 'user' || vouched.has(f.id)) pinTo(ctx, f, into.id);
        else {
          ctx.touchFace(f);
          f.personId = into.id;
          f.rejectedPersonIds = f.rejectedPersonIds.filter((id) => id !== into.id);
        }
        moved.push(f.id);
      }
      if (f.rejectedPersonIds.some((id) => fromIds.has(id))) {
        // "Not Bob" becomes "not Robert" once Bob is Robert.
        ctx.touchFace(f);
        f.rejectedPersonIds = [...new Set(f.rejectedPersonIds.map((id) => (fromIds.has(id) ? into.id : id)))];
        if (f.personId === into.id && f.rejectedPersonIds.includes(into.id)) f.rejectedPersonIds = f.rejectedPersonIds.filter((id) => id !== into.id);
      }
    }
    for (const p of from) {
      ctx.touchPerson(p.id);
      ctx.people.splice(ctx.people.indexOf(p), 1);
    }
    // Taking a group in is a word about its faces too: a guess of either in a photo where the other's face is now the
    // user's would show the person twice there (a sibling's photo with both children).
    const takenBack = new Set(takeBackGuessesBeside(ctx, new Map([[into.id, ctx.facesOf(into.id).filter((f) => f.assignedBy === 'user')]])));
    // Those of the people taken in go back with them when they are separated again, if still in no group (merged-into.ts).
    for (const away of ctx.keep.mergedAway ?? []) for (const f of away.faces) if (takenBack.has(f.id)) f.leftOut = true;
    const stayed = moved.filter((id) => !takenBack.has(id));
    const movedWords = `${plural(stayed.length === 0 ? 0 : countedOnce(library, stayed), 'face')} moved`;
    const takenBackCount = takenBack.size === 0 ? 0 : countedOnce(library, [...takenBack]);
    const takenBackWords =
      takenBackCount === 0
        ? ''
        : ` ${plural(takenBackCount, 'face')} in a photo where ${personInWords(into)} is confirmed ${takenBackCount === 1 ? 'waits' : 'wait'} unknown: one person appears once in a photo.`;
    return {
      description:
        (into.name === null && from.every((p) => p.name === null)
          ? `Merged ${from.length + 1} unnamed groups into one (${movedWords}).`
          : `Merged ${peopleInWords(from)} into ${into.name !== null ? `"${into.name}"` : 'an unnamed group'} (${movedWords}).`) +
        (leftOut.length > 0 ? ` ${plural(leftOut.length, 'face')} left out.` : '') +
        (denied.length > bornAfter ? ` ${plural(denied.length - bornAfter, 'face')} you said ${denied.length - bornAfter === 1 ? 'is' : 'are'} not ${personLabel(into)} left out.` : '') +
        (bornAfter > 0 ? ` ${plural(bornAfter, 'face')} in ${bornAfter === 1 ? 'a photo' : 'photos'} taken before ${personLabel(into)} was born left out.` : '') +
        (other ? ` ${otherPartInWords(other.faces)}` : '') +
        takenBackWords,
      personIds: other ? [into.id, ...fromIds, other.group.id] : [into.id, ...fromIds],
      faceIds: stayed,
    };
  });
}

/**
 * The faces a merge vouches for: the core of each of `people` that has no face the user confirmed (an unnamed group
 * merged in, or merged into), as naming that group would, and at most one face a photo for the person they become.
 * The confirmed faces of the others already keep them together through a regrouping.
 */
function coresToVouchFor(ctx: DecisionContext, library: PeopleLibrary, people: readonly PersonRecord[]): Set<string> {
  const ids = new Set(people.map((p) => p.id));
  const photosConfirmed = new Set(ctx.faces.filter((f) => f.assignedBy === 'user' && f.personId !== null && ids.has(f.personId)).map((f) => f.photoId));
  const vouched = new Set<string>();
  for (const person of people) {
    const faces = ctx.facesOf(person.id);
    if (faces.length === 0 || faces.some((f) => f.assignedBy === 'user')) continue;
    for (const id of facesToVouchFor(library, faces, photosConfirmed)) {
      vouched.add(id);
      photosConfirmed.add(ctx.face(id).photoId);
    }
  }
  return vouched;
}

/** What a merge into `intoId` takes from `person`, as Decision.mergedAway keeps it (read before the merge changes anything). */
function mergedAwayOf(faces: readonly FaceRecord[], person: PersonRecord, intoId: string): MergedAway {
  const own: MergedAway['faces'] = [];
  const rejectedBy: MergedAway['rejectedBy'] = [];
  for (const f of faces) {
    const notTarget = f.rejectedPersonIds.includes(intoId) ? { notTarget: true as const } : {};
    if (f.personId === person.id) own.push({ id: f.id, ...(f.assignedBy === 'user' ? { byUser: true as const } : {}), ...notTarget });
    else if (f.rejectedPersonIds.includes(person.id)) rejectedBy.push({ id: f.id, ...notTarget });
  }
  return { record: structuredClone(person), faces: own, rejectedBy };
}

/**
 * "Separate again": a named person merged into this one (people.get's `merged`) gets back the faces that were theirs
 * at the merge and are still here, under their own id and name, placed as they were (confirmed or Familiar's guess),
 * and the faces said not to be them are so again. Faces Familiar placed with this person since the merge (Jeb's
 * photos imported later) go with them too when the placement rule puts them with Jeb rather than this person
 * (followingFaces). Every later decision stands: faces of theirs moved elsewhere since stay there, and the faces the
 * user confirmed as this person stay, those the merge brought included (separableMerges); faces of theirs said since
 * not to be this person, and left in no group, go back with them. Works however long ago the merge was; undone like
 * any decision. Someone given their name since (faces moved to a new "Jeb" by hand) takes the faces.
 *
 * An unnamed group that joined the person (named with their name, a Yes to "Is this <Name>?", merged in) is given
 * back the same way, as a group of its own under its old id, and the faces it brought are marked not the person: the
 * user said "these are not Ada", so no regrouping puts them back, and neither her suggestions nor "Is this Ada?" offer
 * them again. Its core is confirmed as the group (as a split's is), which keeps it together when regrouped.
 * `mergedRef`: the merged person's id or name, or a joined group's id (people.get's `merged`, `familiar separate`).
 */
export function separatePerson(library: PeopleLibrary, personRef: string, mergedRef: string): Promise<OperationResult> {
  return decide(library, 'separate', (ctx) => {
    const person = ctx.person(personRef);
    const merges = separableMerges({ people: ctx.tx.people, faces: ctx.faces }, person.id);
    const ref = mergedRef.trim();
    // Newest first: the same name merged in twice (merged, separated, merged again) means the latest.
    const merge = merges.find((m) => m.away.record.id === ref) ?? merges.find((m) => m.away.record.name !== null && sameName(m.away.record.name, ref));
    if (!merge) {
      const names = merges.flatMap((m) => (m.away.record.name !== null ? [`"${m.away.record.name}"`] : []));
      const joined = merges.length - names.length;
      const groups = joined === 0 ? [] : [joined === 1 ? 'a group that joined them (by its id)' : `${joined} groups that joined them (by their ids)`];
      const can = [...names, ...groups];
      throw new PeopleError(
        `Nobody called "${ref}" was merged into ${personLabel(person)} to separate again` +
          (can.length > 0
            ? `: ${can.join(' and ')} ${can.length === 1 && names.length === 1 ? 'was' : 'can be'}.`
            : '. Only a named person merged into them, or a group that joined them by a name or a Yes, can be.'),
      );
    }
    const { away } = merge;
    const faceIds = [...merge.faceIds, ...merge.leftOutIds];
    const name = away.record.name;
    const namesake = name === null ? undefined : namesakesOf(ctx.people, name)[0];
    if (namesake?.id === person.id) throw new PeopleError(`${personLabel(person)} has the name "${name}" now: rename them first, then separate "${name}" again.`);
    // Someone given the name since takes the faces only when they look like them (a Jeb made again by hand): a name
    // given since to other faces would have them join a stranger unasked (QA: Jeb's faces went to Hillary's group,
    // named "Édouard Bush" after the merge freed the name).
    const returningFaces = faceIds.flatMap((id) => library.face(id) ?? []);
    if (namesake && !facesLookLike(library, returningFaces, namesake.id)) {
      throw new PeopleError(
        `"${name}" is now the name of someone whose faces do not look like the ${plural(returningFaces.length, 'face')} to separate: ` +
          `give one of them another name first (such as "${name} (2)"), then separate "${name}" again.`,
      );
    }
    let to = namesake;
    if (!to) {
      to = structuredClone(away.record);
      if (to.coverFaceId !== null && !faceIds.includes(to.coverFaceId)) to.coverFaceId = null;
      ctx.touchPerson(to.id);
      ctx.people.push(to);
    }
    const was = new Map(away.faces.map((f) => [f.id, f]));
    ctx.touchPerson(person.id);
    // Two people after all: the merge's "one person" no longer holds (a named person's, or the yes that joined a group
    // by a name), and the question may tell any others apart.
    delete person.onePerson;
    // The birthday the merge took from them goes back with them, unless the user has given another since; to someone
    // given their name since, when that one has none (else it would be gone from both).
    if (away.birthdayTaken && person.birthday === away.record.birthday) {
      delete person.birthday;
      if (namesake && namesake.birthday === undefined && away.record.birthday !== undefined) {
        ctx.touchPerson(namesake.id);
        namesake.birthday = away.record.birthday;
      }
    }
    const returning: FaceRecord[] = [];
    for (const id of faceIds) {
      const f = ctx.touchFace(ctx.face(id));
      f.personId = to.id;
      f.assignedBy = was.get(id)!.byUser ? 'user' : 'cluster';
      f.rejectedPersonIds = f.rejectedPersonIds.filter((r) => r !== to.id);
      if ((name === null || was.get(id)!.notTarget) && !f.rejectedPersonIds.includes(person.id)) f.rejectedPersonIds = [...f.rejectedPersonIds, person.id];
      returning.push(f);
    }
    // A group given back: its core confirmed in it, as a split-off part's is (groupApart), so the faces stay together.
    if (name === null) for (const id of facesToVouchFor(library, returning)) pinTo(ctx, ctx.face(id), to.id);
    // "Not Jeb", which the merge had made "not George W", is "not Jeb" again.
    for (const { id, notTarget } of away.rejectedBy) {
      const f = library.face(id);
      if (!f || f.personId === to.id) continue;
      ctx.touchFace(f);
      const rejected = notTarget ? f.rejectedPersonIds : f.rejectedPersonIds.filter((r) => r !== person.id);
      f.rejectedPersonIds = rejected.includes(to.id) ? rejected : [...rejected, to.id];
    }
    // Faces Familiar placed with George W since the merge that look like Jeb: still Familiar's guess, now with Jeb.
    const following = followingFaces(library, ctx.faces, person.id, to, new Set(faceIds));
    for (const f of following) {
      ctx.touchFace(f);
      f.personId = to.id;
    }
    const returned = new Set([...faceIds, ...following.map((f) => f.id)]);
    if (person.coverFaceId !== null && returned.has(person.coverFaceId)) person.coverFaceId = null;
    ctx.keep.separates = { mergeId: merge.decision.id, personId: away.record.id };
    // Counted as People counts faces: a resized copy's face is its original's (countedOnce).
    const [given, since] = [countedOnce(library, faceIds), countedOnce(library, following.map((f) => f.id))];
    if (name === null) {
      const more = since > 0 ? ` ${plural(since, 'face')} placed with ${personInWords(person)} since went with them.` : '';
      return {
        description: `Separated ${plural(given, 'face')} from ${personInWords(person)}: they are a group of their own again, marked not ${personInWords(person)}.${more}`,
        personIds: [person.id, to.id],
        faceIds: [...returned],
      };
    }
    const sinceMerge = since > 0 ? ` (${since} of them placed with ${personInWords(person)} since the merge)` : '';
    return {
      description: `Separated "${to.name}" from ${personInWords(person)}: ${plural(countedOnce(library, returned), 'face')} went back to "${to.name}"${sinceMerge}.`,
      personIds: [person.id, to.id],
      faceIds: [...returned],
    };
  });
}

/**
 * The faces Familiar placed with `personId` since the merge that go to `toId` when the two are separated again: Jeb's
 * photos imported after he was merged into George W were placed with George W because Jeb's faces were his then.
 * Each is placed again between the two alone, by the rule that placed it (placement.ts, thresholds.ts): its nearest
 * face of Jeb (his faces going back, and any confirmed as him since) against its nearest face George W keeps
 * (every face of his the user confirmed, Jeb's excepted). Faces the user placed never move, nor
 * faces said not to be Jeb; and, one person being in a photo once, none joins Jeb in a photo where he is already
 * (of two in one photo, the nearer).
 */
function followingFaces(library: PeopleLibrary, faces: readonly FaceRecord[], personId: string, to: PersonRecord, goingBack: ReadonlySet<string>): FaceRecord[] {
  const { placeDistance, placeMargin } = thresholdsFor(library.info, library.settings);
  const toId = to.id;
  // Not a face in a photo from before their birth (before-birth.ts): placed with them, it was flagged on their page.
  const cannotBe = cannotBeOf(library, to);
  const candidates = faces.filter((f) => f.personId === personId && f.assignedBy !== 'user' && !goingBack.has(f.id) && !f.rejectedPersonIds.includes(toId) && !cannotBe?.(f));
  if (candidates.length === 0) return [];
  const theirs = faces.filter((f) => goingBack.has(f.id) || (f.personId === toId && f.assignedBy === 'user'));
  const kept = faces.filter((f) => f.personId === personId && f.assignedBy === 'user' && !goingBack.has(f.id));
  // Placed by likeness to faces whose vectors are faces' (isComparable), as placement is.
  const references = (of: readonly FaceRecord[]) => of.filter(isComparable).map((f) => ({ photoId: f.photoId, vector: library.embeddingOf(f) }));
  const [theirVectors, keptVectors] = [references(theirs), references(kept)];
  /** Distance to the nearest of `refs` outside the face's own photo (placement never counts a face of the same photo). */
  const nearest = (f: FaceRecord, vector: Float32Array, refs: ReturnType<typeof references>) =>
    refs.reduce((best, r) => (r.photoId === f.photoId ? best : Math.min(best, distanceToDirection(vector, r.vector))), Infinity);
  const chosen: Array<{ face: FaceRecord; distance: number }> = [];
  for (const f of candidates) {
    const vector = library.embeddingOf(f);
    const neighbours = [
      { personId: toId, distance: nearest(f, vector, theirVectors) },
      { personId, distance: nearest(f, vector, keptVectors) },
    ].sort((a, b) => a.distance - b.distance);
    const placed = placeFace(neighbours, { threshold: placeDistance, margin: placeMargin }, f.rejectedPersonIds);
    if (placed?.personId === toId) chosen.push({ face: f, distance: placed.distance });
  }
  const photosTaken = new Set(faces.filter((f) => goingBack.has(f.id) || f.personId === toId).map((f) => f.photoId));
  const out: FaceRecord[] = [];
  for (const { face } of chosen.sort((a, b) => a.distance - b.distance)) {
    if (photosTaken.has(face.photoId)) continue;
    photosTaken.add(face.photoId);
    out.push(face);
  }
  return out;
}

/**
 * A face that leaves `personId` stops being their chosen cover: the card would otherwise keep an id of someone else's
 * face, and a group whose cover the user chose counts as one they acted on (clustering.ts isDisposable).
 */
function uncoverLeavingFace(ctx: DecisionContext, personId: string, faceId: string): void {
  const person = ctx.people.find((p) => p.id === personId);
  if (person?.coverFaceId !== faceId) return;
  ctx.touchPerson(personId);
  person.coverFaceId = null;
}

/** Moves faces to a person (pinned); the person they leave is remembered as "not them". */
export function moveFaces(library: PeopleLibrary, faceRefs: string[], personRef: string): Promise<OperationResult> {
  if (faceRefs.length === 0) throw new PeopleError('Move at least one face.');
  return decide(library, 'move', (ctx) => {
    const target = ctx.person(personRef);
    const faces = faceRefs.map((r) => ctx.face(r));
    const left = new Set<string>();
    for (const f of faces) {
      const previous = f.personId;
      pinTo(ctx, f, target.id);
      if (previous !== null && previous !== target.id) {
        f.rejectedPersonIds = [...new Set([...f.rejectedPersonIds, previous])];
        left.add(previous);
        uncoverLeavingFace(ctx, previous, f.id);
      }
    }
    const takenBack = takeBackGuessesOf(ctx, library, faces, target.id);
    const faceIds = faces.map((f) => f.id);
    return { description: `Moved ${plural(countedOnce(library, faceIds), 'face')} to ${personInWords(target)}.${guessesTakenBackInWords(takenBack, target)}`, personIds: [target.id, ...left], faceIds };
  });
}

/** "Not this person": the faces are never again assigned or suggested to it. */
/**
 * "Not this person", or with several people "neither of them" ("Which one?"): one decision, so one undo takes all of
 * it back (QA: Ctrl+Z took back half of a "Neither", and the face came back as a question).
 */
export function rejectFaces(library: PeopleLibrary, faceRefs: string[], personRefs: string | readonly string[], options: DecisionCheck = {}): Promise<OperationResult> {
  if (faceRefs.length === 0) throw new PeopleError('Reject at least one face.');
  const refs = typeof personRefs === 'string' ? [personRefs] : [...personRefs];
  if (refs.length === 0) throw new PeopleError('Say which person the faces are not.');
  // Said already of every face, in these words: nothing changes, and nothing goes on the undo list (QA: a second
  // `familiar reject` said "Marked 1 face" and added an Undo that took back nothing). A mark a move, a split or an older
  // "Who is this?" left is not the user's word (moved-away.ts, forgetOldWhoIsThisMarks): saying it makes it theirs.
  const named = refs.map((r) => resolvePerson(library.people.people, r));
  const given = faceRefs.map((r) => resolveFace(library, r));
  const log = library.people.decisions as readonly Decision[];
  const saidInWords = (face: FaceRecord, person: PersonRecord) => {
    for (let i = log.length - 1; i >= 0; i--) {
      const d = log[i];
      if (d.undoneAt === null && d.faceIds.includes(face.id) && d.personIds.includes(person.id)) return d.kind === 'reject';
    }
    return false;
  };
  const saidAlready = (f: FaceRecord, p: PersonRecord) => f.rejectedPersonIds.includes(p.id) && f.personId !== p.id && p.coverFaceId !== f.id && saidInWords(f, p);
  if (given.every((f) => named.every((p) => saidAlready(f, p)))) {
    const whom = named.length === 1 ? `not ${personInWords(named[0])}` : `neither ${named.map(personInWords).join(' nor ')}`;
    const count = countedOnce(library, given.map((f) => f.id));
    const faces = count === 1 ? 'That face was' : `Those ${count.toLocaleString('en')} faces were`;
    return Promise.resolve({ description: `${faces} marked ${whom} already: nothing changed.`, personIds: named.map((p) => p.id), faceIds: [], decisionId: null });
  }
  return decide(library, 'reject', (ctx) => {
    options.check?.(ctx.faces);
    const people = [...new Map(refs.map((r) => ctx.person(r)).map((p) => [p.id, p])).values()];
    const faces = faceRefs.map((r) => ctx.face(r));
    for (const person of people) {
      for (const f of faces) {
        ctx.touchFace(f);
        if (!f.rejectedPersonIds.includes(person.id)) f.rejectedPersonIds = [...f.rejectedPersonIds, person.id];
        if (f.personId === person.id) {
          f.personId = null;
          f.assignedBy = null;
        }
        if (ctx.people.find((p) => p.id === person.id)?.coverFaceId === f.id) {
          ctx.touchPerson(person.id);
          person.coverFaceId = null;
        }
      }
    }
    const whom = people.length === 1 ? `not ${personInWords(people[0])}` : `neither ${people.map(personInWords).join(' nor ')}`;
    const faceIds = faces.map((f) => f.id);
    return { description: `Marked ${plural(countedOnce(library, faceIds), 'face')} as ${whom}.`, personIds: people.map((p) => p.id), faceIds };
  });
}

/** Takes `faces` out of any person (a cover among them unset) and pins them unknown; returns the people they left. */
function setAside(ctx: DecisionContext, faces: readonly FaceRecord[]): Set<string> {
  const left = new Set<string>();
  for (const f of faces) {
    ctx.touchFace(f);
    if (f.personId !== null) {
      left.add(f.personId);
      const person = ctx.people.find((p) => p.id === f.personId);
      if (person?.coverFaceId === f.id) {
        ctx.touchPerson(person.id);
        person.coverFaceId = null;
      }
    }
    f.personId = null;
    f.assignedBy = 'user';
  }
  return left;
}

/**
 * "Don't ask about these faces": strangers in the background, a face on a poster or a T-shirt. They leave any person
 * and stay unknown for good (the user's decision: pinned unknown, isPinnedUnknown): clustering, placement,
 * suggestions and "Who is this?" pass them by. Naming one later works as for any face; undo brings them back.
 */
export function ignoreFaces(library: PeopleLibrary, faceRefs: string[]): Promise<OperationResult> {
  if (faceRefs.length === 0) throw new PeopleError('Choose at least one face to stop asking about.');
  return decide(library, 'ignore', (ctx) => {
    const faces = faceRefs.map((r) => ctx.face(r));
    const left = setAside(ctx, faces);
    const faceIds = faces.map((f) => f.id);
    const count = countedOnce(library, faceIds);
    return {
      description: `Familiar will not ask about ${count === 1 ? 'that face' : `those ${count} faces`} again.`,
      personIds: [...left],
      faceIds,
    };
  });
}

/**
 * "Not a face": boxes the detector drew around a pattern, a pet, a shadow. They leave any person, are set aside as
 * ignoreFaces sets faces, and are marked (FaceRecord.notAFace) so that no screen shows or counts them and no model
 * learns from them. The record stays, so the next analysis of the photo knows the box and does not bring it back as a
 * new face. Undo brings the boxes back as they were.
 */
export function notAFaces(library: PeopleLibrary, faceRefs: string[]): Promise<OperationResult> {
  if (faceRefs.length === 0) throw new PeopleError('Choose at least one box that is not a face.');
  return decide(library, 'not-a-face', (ctx) => {
    const faces = faceRefs.map((r) => ctx.face(r));
    // A face the user named or confirmed is their word that it is a face: taking it for none is more likely a slip.
    const named = faces.find((f) => f.assignedBy === 'user' && f.personId !== null && ctx.people.find((p) => p.id === f.personId)?.name);
    if (named) {
      const name = ctx.people.find((p) => p.id === named.personId)!.name!;
      throw new PeopleError(`You said that face is ${name}. If it is no face at all, say first that it is not ${name} (Not ${name}).`);
    }
    const left = setAside(ctx, faces);
    for (const f of faces) f.notAFace = true;
    const faceIds = faces.map((f) => f.id);
    const count = countedOnce(library, faceIds);
    return { description: count === 1 ? 'Removed a box that was not a face.' : `Removed ${count} boxes that were not faces.`, personIds: [...left], faceIds };
  });
}

/**
 * A box the user said holds no face (notAFaces) is a face after all: they drew a box around it in the viewer, where it
 * no longer showed. It is an unknown face again, to be placed as any new face; undo takes the box off again.
 */
export function faceAgain(library: PeopleLibrary, faceRef: string, description: string): Promise<OperationResult> {
  return decide(library, 'face-again', (ctx) => {
    const f = ctx.touchFace(ctx.face(faceRef));
    delete f.notAFace;
    f.personId = null;
    f.assignedBy = null;
    return { description, personIds: [], faceIds: [f.id] };
  });
}

/** Confirms faces belong to a person (pinned; a former rejection of that person is withdrawn). */
export function confirmFaces(library: PeopleLibrary, faceRefs: string[], personRef: string): Promise<OperationResult> {
  if (faceRefs.length === 0) throw new PeopleError('Confirm at least one face.');
  return decide(library, 'confirm', (ctx) => {
    const person = ctx.person(personRef);
    const faces = faceRefs.map((r) => ctx.face(r));
    const left = new Set<string>();
    for (const f of faces) {
      if (f.personId !== null && f.personId !== person.id) left.add(f.personId);
      pinTo(ctx, f, person.id);
    }
    const takenBack = takeBackGuessesOf(ctx, library, faces, person.id);
    const faceIds = faces.map((f) => f.id);
    return { description: `Confirmed ${plural(countedOnce(library, faceIds), 'face')} as ${personInWords(person)}.${guessesTakenBackInWords(takenBack, person)}`, personIds: [person.id, ...left], faceIds };
  });
}

/**
 * Splits a group that looked like two people (two-people.ts): `faceRefs`, all of the person's, become a new unnamed
 * group. They are not the person's, and the faces that stay are not the new group's: the clustering keeps the two
 * apart, and neither part is suggested for the other again. Only the new group's core is confirmed.
 */
export function splitPerson(library: PeopleLibrary, personRef: string, faceRefs: string[]): Promise<OperationResult> {
  if (faceRefs.length === 0) throw new PeopleError('Choose the faces to split off.');
  return decide(library, 'split', (ctx) => {
    const person = ctx.person(personRef);
    const faces = faceRefs.map((r) => ctx.face(r));
    const stranger = faces.find((f) => f.personId !== person.id);
    if (stranger) throw new PeopleError(`Face "${stranger.id}" is not one of ${personLabel(person)}'s faces.`);
    // The faces People shows: a resized copy's face is its original's, and goes or stays with it (decide).
    const own = withoutCopyFaces(library, ctx.facesOf(person.id));
    const faceIds = faces.map((f) => f.id);
    const count = countedOnce(library, faceIds);
    if (count >= own.length) throw new PeopleError(`That is every face of ${personLabel(person)}: leave some with them.`);
    const leaving = new Set(faceIds);
    const stay = own.filter((f) => !leaving.has(f.id));
    // The user said these faces are not the person, not that every one of them is one new person: only the new
    // group's core is pinned (groupApart). They are not the person, and the faces that stay are not the new group's
    // either: a recluster must not pull them over to it.
    const { group } = groupApart(ctx, library, faces);
    for (const f of stay) {
      ctx.touchFace(f);
      f.rejectedPersonIds = [...f.rejectedPersonIds, group.id];
    }
    for (const f of faces) {
      if (!f.rejectedPersonIds.includes(person.id)) f.rejectedPersonIds = [...f.rejectedPersonIds, person.id];
      uncoverLeavingFace(ctx, person.id, f.id);
    }
    return { description: `Split ${plural(count, 'face')} off ${personInWords(person)} into a new group.`, personIds: [person.id, group.id], faceIds };
  });
}

/**
 * "They are one person": a group whose faces looked like two people is not asked about again, and the faces of both
 * parts become the user's, as they said every one is the person. They stayed Familiar's guesses, so the page still
 * said "4 confirmed" and its Suggestions asked "Is this Leonard?" about the five faces just answered (QA). One face a
 * photo: where the person is confirmed already, or the part like the cover has a face, another face there is someone
 * else. Strays the question set aside were not shown, and stay guesses. Undo takes back the mark and the faces.
 */
export function keepAsOnePerson(library: PeopleLibrary, personRef: string): Promise<OperationResult> {
  const question = twoPeopleQuestion(library, resolvePerson(library.people.people, personRef).id);
  return decide(library, 'one-person', (ctx) => {
    const person = ctx.person(personRef);
    ctx.touchPerson(person.id);
    person.onePerson = true;
    const own = ctx.facesOf(person.id);
    const photosTaken = new Set(own.filter((f) => f.assignedBy === 'user').map((f) => f.photoId));
    const confirmed: FaceRecord[] = [];
    for (const id of [...(question?.stays ?? []), ...(question?.leaves ?? [])]) {
      const f = ctx.face(id);
      if (f.personId !== person.id || f.assignedBy === 'user' || f.rejectedPersonIds.includes(person.id) || photosTaken.has(f.photoId)) continue;
      photosTaken.add(f.photoId);
      pinTo(ctx, f, person.id);
      confirmed.push(f);
    }
    const more = confirmed.length > 0 ? `: ${plural(confirmed.length, 'more face')} confirmed` : '';
    return { description: `Kept ${personInWords(person)} as one person${more}.`, personIds: [person.id], faceIds: confirmed.map((f) => f.id) };
  });
}

/**
 * "Ask again": takes back "one person" (PersonRecord.onePerson: "Don't ask again", a name given "as one person", two
 * named people merged), however long ago, so the two-people question is asked again if the faces still look like two
 * people. Siblings kept as one by mistake are the mistake users complain of most, and only Undo, while it still
 * reached the answer, took it back. The faces "Don't ask again" confirmed (its decisions' faceIds, since the person was
 * last asked again) become Familiar's guesses again while they are still the person's and confirmed: that answer alone
 * vouched for them, and left confirmed the question would not be asked (two-people.ts: a part the user placed
 * whole is not asked about). Those of the part that stays (the person the cover shows) stay confirmed, as naming
 * that part would have confirmed them. Faces the user confirmed otherwise (named, confirmed, moved) stay confirmed.
 * Undo puts back the mark and the faces.
 */
/**
 * Whether decision `d` made face `faceId` a confirmed face of `personId` that was not one before it. A decision too old
 * to keep its state before (UNDO_DEPTH) is judged by its kind: a confirmation, a move or a name given to the face.
 */
function confirmedAnew(d: Decision, faceId: string, personId: string): boolean {
  if (!d.before) return d.kind === 'confirm' || d.kind === 'move' || d.kind === 'enrol';
  const was = d.before.faces.find((state) => state.id === faceId);
  return was !== undefined && (was.personId !== personId || was.assignedBy !== 'user');
}

export function askAgainIfTwoPeople(library: PeopleLibrary, personRef: string): Promise<OperationResult> {
  const target = resolvePerson(library.people.people, personRef);
  if (!target.onePerson) throw new PeopleError(`You have not said the faces of ${personLabel(target)} are one person: nothing to ask again.`);
  let confirmedByIt = new Set<string>();
  for (const d of library.people.decisions as Decision[]) {
    if (d.undoneAt !== null) continue;
    if (d.kind === 'ask-again' && d.personIds[0] === target.id) confirmedByIt = new Set();
    else if (d.kind === 'one-person' && d.personIds[0] === target.id) for (const id of d.faceIds) confirmedByIt.add(id);
    // A later decision that put a face in them confirmed (a No then a Yes, a move back) is the user's own word on it:
    // it stays as they left it (a review: a face confirmed by hand after "Don't ask again" was unconfirmed by Ask
    // again). Not one that found it confirmed there already, as naming the group does for all of its faces.
    else for (const id of d.faceIds) if (confirmedAnew(d, id, target.id)) confirmedByIt.delete(id);
  }
  return decide(library, 'ask-again', (ctx) => {
    const person = ctx.person(personRef);
    ctx.touchPerson(person.id);
    delete person.onePerson;
    let unconfirmed: FaceRecord[] = [];
    for (const f of ctx.facesOf(person.id)) {
      if (f.assignedBy !== 'user' || !confirmedByIt.has(f.id)) continue;
      ctx.touchFace(f).assignedBy = 'cluster';
      unconfirmed.push(f);
    }
    const question = twoPeopleQuestionOf(library, person, ctx.facesOf(person.id));
    // The part like the cover is the person, whatever the other part is: confirmed still.
    const stays = new Set(question?.stays ?? []);
    for (const f of unconfirmed) if (stays.has(f.id)) f.assignedBy = 'user';
    unconfirmed = unconfirmed.filter((f) => !stays.has(f.id));
    const count = countedOnce(library, unconfirmed.map((f) => f.id));
    const them = count === 1 ? 'it' : 'them';
    const said = question
      ? `. Their faces look like two people: ${plural(question.leaves.length, 'face')} could split off` +
        (count === 0 ? '.' : ` (${count === question.leaves.length ? (count === 1 ? 'it is' : 'all are') : `${count} are`} unconfirmed again: only "Don't ask again" had confirmed ${them}).`)
      : `${count === 0 ? '' : `: ${plural(count, 'face')} only "Don't ask again" had confirmed ${count === 1 ? 'is' : 'are'} unconfirmed again`}. Familiar does not ask now: their faces do not look like two people, or you confirmed the faces of both parts yourself.`;
    return { description: `Took back "one person" for ${personInWords(person)}${said}`, personIds: [person.id], faceIds: unconfirmed.map((f) => f.id) };
  });
}

export function hidePerson(library: PeopleLibrary, personRef: string, hidden: boolean): Promise<OperationResult> {
  return hidePeople(library, [personRef], hidden);
}

/**
 * Hides (or shows) several people, People's "Hide" on a selection, as one decision, so one undo takes it all back. One
 * decision each, undone by as many undos, took back whatever was decided in between instead (another window, the CLI),
 * as deleting several did (deletePeople).
 */
export async function hidePeople(library: PeopleLibrary, personRefs: readonly string[], hidden: boolean): Promise<OperationResult> {
  if (personRefs.length === 0) throw new PeopleError(`Give at least one person to ${hidden ? 'hide' : 'show'}.`);
  return decide(library, hidden ? 'hide' : 'show', (ctx) => {
    // A person given twice (by name and by id) counts once.
    const people = [...new Map(personRefs.map((ref) => ctx.person(ref)).map((p) => [p.id, p])).values()];
    // Nothing to do is said, not logged: an empty decision's undo said "hidden again" of someone it left shown (QA).
    if (people.every((p) => Boolean(p.hidden) === hidden)) {
      throw new PeopleError(`${peopleInWords(people)} ${people.length === 1 ? 'is' : 'are'} ${hidden ? 'hidden' : 'shown'} already.`);
    }
    const faces: FaceRecord[] = [];
    const pinned: string[] = [];
    for (const person of people) {
      ctx.touchPerson(person.id);
      person.hidden = hidden;
      const theirs = ctx.facesOf(person.id);
      // A hidden group must stay the same group after a recluster, so its faces become the user's; shown again, those
      // the hide pinned and nothing since decided are Familiar's guesses again.
      if (hidden) {
        for (const f of theirs) {
          if (f.assignedBy === 'user') continue;
          pinTo(ctx, f, person.id);
          pinned.push(f.id);
        }
      } else {
        for (const f of pinnedByHidesSinceShown(ctx, person.id)) {
          ctx.touchFace(f);
          f.assignedBy = 'cluster';
        }
      }
      faces.push(...theirs);
    }
    if (pinned.length > 0) ctx.keep.pinnedByHide = pinned;
    return { description: `${hidden ? 'Hid' : 'Showed'} ${peopleInWords(people)}.`, personIds: people.map((p) => p.id), faceIds: faces.map((f) => f.id) };
  });
}

/**
 * The faces the person's hides since they were last shown (not undone) pinned to them that are still theirs,
 * confirmed, and that no decision after the hide has been about: a face the user confirmed, named or moved while they
 * were hidden is the user's word. Every hide since, as a hide of several people lists those hidden already too, and
 * pins none of their faces (a review: Show then took nothing back).
 */
function pinnedByHidesSinceShown(ctx: DecisionContext, personId: string): FaceRecord[] {
  const decisions = decisionsOf(ctx.tx);
  const guesses = new Set<string>();
  /** The faces the decisions after the one looked at were about. */
  const decidedAfter = new Set<string>();
  for (let i = decisions.length - 1; i >= 0; i--) {
    const d = decisions[i];
    if (d.undoneAt !== null) continue;
    if (d.personIds.includes(personId)) {
      if (d.kind === 'show') break;
      if (d.kind === 'hide') for (const id of d.pinnedByHide ?? pinnedByOlderHide(d)) if (!decidedAfter.has(id)) guesses.add(id);
    }
    // A hide or show lists every face of its people, and decides nothing about any of them. Of another decision, the
    // faces it changed (its `before`, kept for the last UNDO_DEPTH): a rename lists every face of the person and
    // changes none (a review: Show kept the pins of a person renamed while hidden). Older, every face it lists.
    if (d.kind !== 'hide' && d.kind !== 'show') for (const id of d.before ? d.before.faces.map((state) => state.id) : d.faceIds) decidedAfter.add(id);
  }
  if (guesses.size === 0) return [];
  return ctx.facesOf(personId).filter((f) => guesses.has(f.id) && f.assignedBy === 'user');
}

/**
 * Sets or clears a person's birthday (preload/birthdays.ts: a whole date, a month or a year, as ISO text). It dates
 * their faces: the photo viewer says how old they were, and the person page points at photos taken before it, which
 * are someone else's (a sibling's baby photos) or a camera's clock set wrong. Undoable as any decision.
 */
export function setBirthday(library: PeopleLibrary, personRef: string, birthday: string | null, today: string = latestToday()): Promise<OperationResult> {
  if (birthday !== null) {
    const reading = readBirthday(birthday, today, 'en');
    if ('problem' in reading) throw new PeopleError(reading.problem);
    birthday = reading.birthday;
  }
  const target = resolvePerson(library.people.people, personRef);
  // A person's, not a group's: a group Familiar made may be two people, and a regrouping remakes groups (the app asks
  // for a name first too). Clearing stays possible, for a birthday an older build kept on a group.
  if (target.name === null && birthday !== null) throw new PeopleError('Name this group first: a birthday is a person\'s.');
  // The birthday it has already: nothing changes, and nothing goes on the undo list (a script may set it twice).
  if ((target.birthday ?? null) === birthday) {
    const description = birthday === null ? `${target.name !== null ? `"${target.name}"` : 'This group'} has no birthday.` : `The birthday of ${personInWords(target)} is ${birthdayInWords(birthday, 'en')} already.`;
    return Promise.resolve({ description, personIds: [target.id], faceIds: [], decisionId: null });
  }
  return decide(library, 'birthday', (ctx) => {
    const person = ctx.person(personRef);
    ctx.touchPerson(person.id);
    if (birthday === null) delete person.birthday;
    else person.birthday = birthday;
    const description = birthday === null ? `Cleared the birthday of ${personInWords(person)}.` : `Set the birthday of ${personInWords(person)} to ${birthdayInWords(birthday, 'en')}.`;
    return { description, personIds: [person.id], faceIds: [] };
  });
}

/**
 * The faces a hide logged by an older build pinned, which it did not list (Decision.pinnedByHide): those its `before`
 * shows as Familiar's guesses (QA: Show kept an older hide's guesses confirmed). A hide now that pinned nothing lists
 * none, and its `before` holds no face. Nothing once `before` is dropped (older than UNDO_DEPTH).
 */
function pinnedByOlderHide(hide: Decision): string[] {
  return (hide.before?.faces ?? []).filter((state) => state.assignedBy !== 'user').map((state) => state.id);
}

export function setCover(library: PeopleLibrary, personRef: string, faceRef: string): Promise<OperationResult> {
  return decide(library, 'cover', (ctx) => {
    const person = ctx.person(personRef);
    const face = ctx.face(faceRef);
    if (face.personId !== person.id) throw new PeopleError(`Face ${face.id} is not one of ${personLabel(person)}'s faces; confirm it first.`);
    ctx.touchPerson(person.id);
    person.coverFaceId = face.id;
    pinTo(ctx, face, person.id);
    const takenBack = takeBackGuessesOf(ctx, library, [face], person.id);
    return { description: `Chose a new cover for ${personInWords(person)}.${guessesTakenBackInWords(takenBack, person)}`, personIds: [person.id], faceIds: [face.id] };
  });
}

/**
 * Deletes a person (or group): its faces become unknown faces, grouped at once as an import groups its new faces
 * (assignNewFaces: placed with a person they look like, else grouped among themselves), and "Who is this?" asks about
 * them, as the app counts them. They were pinned unknown, as "Don't ask about this face" pins them: no grouping took
 * them and the app's count and queue left them out, while `familiar people` counted them (QA: "0 faces in no group"
 * against "11 unknown faces"); then they waited as single faces until something regrouped (QA: ten faces of one
 * person, ten questions). What the user said of each face stays. Undo gives them back to the person; a group the
 * grouping made of them alone goes (undoLast).
 *
 * The grouping moves only the faces the delete released. It used to pull the unknown faces near them into its groups
 * too, a face the user had answered "not Tony" among them, and Undo, which puts back what the decision changed, left
 * those in a group nobody made (QA: wrong faces that are hard to remove). A delete is about the person's faces: the
 * faces the user left unknown stay as they were, grouped by the next regrouping as any unknown face, so the delete
 * and its undo touch nothing else (tests/main/people/delete-person-undo.test.ts).
 *
 * An unnamed group is no one the user knows: deleting it says "not this group", and released, its faces formed the
 * same group again at once, and at every Regroup or import after (QA: deleted groups came back). Its faces are set
 * aside as "Don't ask about this face" sets them (ignoreFaces: pinned unknown), so no grouping, placement, suggestion
 * or "Who is this?" brings them back; the user may still name any of them, or move it to someone, which pins it there.
 */
export function deletePerson(library: PeopleLibrary, personRef: string): Promise<OperationResult> {
  return deletePeople(library, [personRef]);
}

/**
 * Deletes several people (People's "Delete…" on a selection) as one decision, so one undo puts every one of them back.
 * One delete each, undone by as many undos, took back whatever else was decided in between instead (another window,
 * the CLI, an import naming faces): the app's Undo would undo the wrong thing. Their faces are grouped after as one
 * person's are: among themselves, no other face moves.
 */
export async function deletePeople(library: PeopleLibrary, personRefs: readonly string[]): Promise<OperationResult> {
  const done = await deleteDecision(library, personRefs);
  await assignNewFaces(library, done.faceIds, { amongThemselves: true });
  return done;
}

function deleteDecision(library: PeopleLibrary, personRefs: readonly string[]): Promise<OperationResult> {
  if (personRefs.length === 0) throw new PeopleError('Give at least one person to delete.');
  return decide(library, 'delete', (ctx) => {
    // A person given twice (by name and by id) is deleted once.
    const gone = [...new Map(personRefs.map((ref) => ctx.person(ref)).map((p) => [p.id, p])).values()];
    // Every position is remembered before any goes, so undo puts each back where it was, not where it was after the
    // others went.
    for (const person of gone) ctx.touchPerson(person.id);
    const faces = gone.flatMap((person) => ctx.facesOf(person.id));
    const groups = new Set(gone.filter((p) => p.name === null).map((p) => p.id));
    const asideIds: string[] = [];
    const releasedIds: string[] = [];
    for (const f of faces) {
      ctx.touchFace(f);
      // A deleted group's faces pinned unknown (isPinnedUnknown), a person's released to be grouped again.
      const aside = groups.has(f.personId!);
      (aside ? asideIds : releasedIds).push(f.id);
      f.personId = null;
      f.assignedBy = aside ? 'user' : null;
    }
    // Counted as People counts faces: a resized copy's face is its original's (countedOnce).
    const [setAside, released] = [countedOnce(library, asideIds), countedOnce(library, releasedIds)];
    const goneIds = new Set(gone.map((p) => p.id));
    for (let i = ctx.people.length - 1; i >= 0; i--) if (goneIds.has(ctx.people[i].id)) ctx.people.splice(i, 1);
    const unnamed = groups.size === 1 ? 'the group' : 'the groups';
    const description =
      setAside === 0
        ? `Deleted ${peopleInWords(gone)}; ${plural(released, 'face')} no longer ${released === 1 ? 'has' : 'have'} a name.`
        : released === 0
          ? `Deleted ${peopleInWords(gone)}: Familiar will not group or ask about ${gone.length === 1 ? 'its' : 'their'} ${plural(setAside, 'face')} again.`
          : `Deleted ${peopleInWords(gone)}; ${plural(released, 'face')} no longer ${released === 1 ? 'has' : 'have'} a name, and Familiar will not group or ask about the ${plural(setAside, 'face')} of ${unnamed} again.`;
    return {
      description,
      personIds: [...goneIds],
      faceIds: faces.map((f) => f.id),
    };
  });
}

/**
 * Records that the user marked a face by drawing a box around it, so that Undo takes the face out again (QA: Undo right
 * after marking a face took back an older, unrelated name).
 */
export function recordAddedFace(library: PeopleLibrary, faceId: string, description: string): Promise<OperationResult> {
  return decide(library, 'add-face', () => ({ description, personIds: [], faceIds: [faceId] }));
}

/**
 * Records the faces a names read found where other apps marked faces and named no one (main/people/xmp-names.ts), when
 * it named none, so that Undo takes them out again, as it does a read's named faces.
 */
export function recordFacesFound(library: PeopleLibrary, faceIds: readonly string[], source: string): Promise<OperationResult> {
  return decide(library, 'import-names', (ctx) => {
    ctx.keep.namesRead = { facesNamed: 0, answers: 0, source };
    ctx.keep.facesAdded = [...faceIds];
    return { description: `Added ${plural(faceIds.length, 'face')} Familiar had missed, where other apps marked faces in ${source}.`, personIds: [], faceIds: [...faceIds] };
  });
}

/**
 * Undoes the most recent decision not yet undone. Returns its description (null when there is none), and `message`:
 * what came back, in words (undone-words.ts), which the app and `familiar undo` say.
 */
export function undoLast(
  library: PeopleLibrary,
  options: { onlyIfLatestIs?: DecisionKind; onlyIfLatestId?: string } = {},
): Promise<{
  undone: string | null;
  message: string | null;
  personIds: string[];
  faceIds: string[];
  kind?: DecisionKind;
  namesRead?: Decision['namesRead'];
  releasedRows?: number[];
}> {
  return library.transaction((tx) => {
    const decisions = decisionsOf(tx);
    const last = decisions.findLast((d) => d.undoneAt === null);
    if (!last) return { undone: null, message: null, personIds: [], faceIds: [] };
    // A removal of photos cannot be undone, and undo does not reach past it: the user asked to take it back, not an
    // older decision they may not remember (QA: undo right after a removal took back a merge made before it). Said,
    // with how to get the photos back; a decision whose faces a removal took lies behind that removal.
    if (last.kind === 'remove' || last.facesRemoved) {
      return { undone: null, message: `Nothing undone: ${stopsUndoInWords(last, library)}`, personIds: [], faceIds: [] };
    }
    // An Undo button tied to one change (the names import) must not take back something the user did since.
    if (options.onlyIfLatestIs && last.kind !== options.onlyIfLatestIs) {
      throw new PeopleError(`Your latest change is "${last.description}", made since; undo takes changes back newest first.`);
    }
    // The Undo of one decision's toast, and a decision made since in another window (the app and `familiar serve` in
    // a browser): taking back the latest would take back that one, not the toast's (QA, two tabs).
    if (options.onlyIfLatestId !== undefined && last.id !== options.onlyIfLatestId) {
      const asked = decisions.find((d) => d.id === options.onlyIfLatestId);
      if (asked && asked.undoneAt !== null) throw new PeopleError(`"${asked.description}" was undone already, in another window perhaps.`);
      const what = asked ? `"${asked.description}" was not undone` : 'Nothing undone';
      throw new PeopleError(`${what}: "${last.description}" was decided since, in another window perhaps, and undo takes changes back newest first.`);
    }
    if (!last.before) throw new PeopleError(`The last decision ("${last.description}") is too old to undo.`);
    // What undo takes back, as it is now, kept for Redo (redo.ts): read before anything changes.
    const peopleNow = tx.people.people as PersonRecord[];
    // What came back, as the user reads it (the name given is still on the person).
    const message = undoneInWords(last, peopleNow, library);
    const positionNow = new Map(peopleNow.map((p, i) => [p.id, i]));
    const redo: RedoState = {
      faces: last.before.faces.flatMap((state) => {
        const f = library.face(state.id);
        return f ? [snapshotFace(f)] : [];
      }),
      people: last.before.people.map(({ id }) => {
        const at = positionNow.get(id);
        return { id, record: at === undefined ? null : structuredClone(peopleNow[at]), position: at ?? -1 };
      }),
      order: 1 + decisions.reduce((most, d) => Math.max(most, d.redo?.order ?? 0), 0),
      decisionsAtUndo: decisions.length,
    };
    // The faces it added (a face the user marked; those a names import kept where tags named a face) leave again; the
    // caller gives their vector rows back (undo.ts).
    const gone = new Set(last.kind === 'add-face' ? last.faceIds : (last.facesAdded ?? []));
    const releasedRows = takeOutFaces(tx, library, gone);
    const people = tx.people.people as PersonRecord[];
    /** People the decision made (a new person, a group of a split) that the undo takes away. */
    const takenAway = new Set<string>();
    for (const { id, record } of last.before.people) {
      const index = people.findIndex((p) => p.id === id);
      if (record === null && index >= 0) {
        people.splice(index, 1);
        takenAway.add(id);
      } else if (record !== null && index >= 0) people[index] = structuredClone(record);
    }
    // Removed people go back where they were (in ascending position, so earlier re-insertions stay put).
    const removed = last.before.people.filter((s) => s.record !== null && !people.some((p) => p.id === s.id)).sort((a, b) => a.position - b.position);
    for (const { record, position } of removed) people.splice(Math.min(position, people.length), 0, structuredClone(record!));
    const personIds = new Set(people.map((p) => p.id));
    /** The groups the faces are in before they go back: one made of them alone after the decision is left empty. */
    const leaving = new Set<string>();
    const changed: FaceRecord[] = [];
    for (const state of last.before.faces) {
      const f = library.face(state.id);
      if (!f || gone.has(f.id)) continue;
      changed.push(f);
      if (f.personId !== null && f.personId !== state.personId) leaving.add(f.personId);
      // A person the clustering removed since then cannot come back through a face: the face returns to unknown.
      const personGone = state.personId !== null && !personIds.has(state.personId);
      f.personId = personGone ? null : state.personId;
      f.assignedBy = personGone ? null : state.assignedBy;
      f.rejectedPersonIds = [...state.rejectedPersonIds];
      setNotAFace(f, state.notAFace);
    }
    // Faces placed with a person it takes away since the decision (an import's, a regrouping's) are not the decision's
    // own: they become unknown faces, and a redo puts them back (a code review found them left in a person that was
    // gone, missing from every list until the next regrouping).
    const decisionsFaces = new Set(last.before.faces.map((f) => f.id));
    const released: string[] = [];
    for (const f of library.faces) {
      if (f.personId === null || !takenAway.has(f.personId) || decisionsFaces.has(f.id) || gone.has(f.id)) continue;
      redo.faces.push(snapshotFace(f));
      f.personId = null;
      f.assignedBy = null;
      changed.push(f);
      released.push(f.id);
    }
    tx.put('faces', changed);
    // Copies it linked are parted again, or those it parted linked again.
    if (last.copies) tx.put('photos', setCopyLinks(last.copies, !last.copies.made, (id) => library.photo(id)));
    // A group the grouping right after the decision made of the faces it released (deletePerson), emptied now, goes:
    // nobody named, hid or chose a cover for it, and it was not there before the decision.
    const decided = new Set(last.before.people.map((p) => p.id));
    const holding = new Set<string>();
    for (const f of library.faces) if (f.personId !== null) holding.add(f.personId);
    for (const id of holding) leaving.delete(id);
    const emptied = (p: PersonRecord) => leaving.has(p.id) && !decided.has(p.id) && p.name === null && !p.hidden && p.coverFaceId === null && p.birthday === undefined;
    const emptiedGroups = people.filter(emptied);
    for (const p of emptiedGroups) redo.people.push({ id: p.id, record: structuredClone(p), position: positionNow.get(p.id) ?? people.length });
    // An unnamed group put back whose faces a removal of photos took since has none to come back: it stays gone.
    const backEmpty = new Set(removed.filter(({ record }) => record!.name === null && !holding.has(record!.id)).map((s) => s.id));
    if (emptiedGroups.length > 0 || backEmpty.size > 0) tx.people.people = people.filter((p) => !emptied(p) && !backEmpty.has(p.id));
    last.undoneAt = nowIso();
    last.redo = redo;
    // Everyone and every face it changed back, the emptied groups too: the "may be two people" marks check only these.
    const personIdsChanged = [...new Set([...last.personIds, ...last.before.people.map((p) => p.id), ...emptiedGroups.map((p) => p.id)])];
    const faceIdsChanged = [...new Set([...last.faceIds, ...last.before.faces.map((f) => f.id), ...released])];
    return { undone: last.description, message, personIds: personIdsChanged, faceIds: faceIdsChanged, kind: last.kind, namesRead: last.namesRead, releasedRows };
  });
}

/**
 * Takes the faces a removal of photos took (main/library/remove-folder.ts) out of the decisions undo can still take
 * back: a photo imported again gets the same face ids, and undo must not change its faces after what was said of
 * the ones removed. A decision left with none of its faces is marked facesRemoved: undo passes over it, saying so.
 * `folder`: the folder removed, null for photos forgotten as missing. Changes `decisions` in place.
 */
export function forgetRemovedFaces(decisions: unknown[], gone: ReadonlySet<string>, folder: string | null): void {
  for (const decision of decisions as Decision[]) {
    const before = decision.before;
    if (before === null || decision.undoneAt !== null || decision.facesRemoved) continue;
    const faceIds = decision.faceIds.filter((id) => !gone.has(id));
    const faces = before.faces.filter((f) => !gone.has(f.id));
    if (faceIds.length === decision.faceIds.length && faces.length === before.faces.length) continue;
    decision.faceIds = faceIds;
    before.faces = faces;
    if (faceIds.length === 0 && faces.length === 0) decision.facesRemoved = { folder };
  }
}

/**
 * Why undo stops at `d`, the latest decision not undone (undoLast), and how to get back what it took: a removal of
 * photos, or a decision whose faces a removal took.
 */
function stopsUndoInWords(d: Decision, library: Pick<PeopleLibrary, 'photos'>): string {
  const quoted = `"${d.description.replace(/\.$/, '')}"`;
  if (d.kind !== 'remove') {
    const where = d.facesRemoved?.folder === null ? 'forgotten as missing from disk' : 'taken out of the library with their folder';
    return `the photos of your latest change, ${quoted}, were ${where} since, and undo does not reach past that.`;
  }
  const what = `your latest change, ${quoted}, cannot be undone, and undo does not reach past it.`;
  const removal = d.removal;
  // Logged before `removal` was: said as it was then.
  if (!removal) {
    return /photos stay/.test(d.description)
      ? `${what} Import the folder again to add it back.`
      : `${what} Importing the photos again brings them back, but not the names and answers given on their faces.`;
  }
  const { folder } = removal;
  if (folder !== null && library.photos.some((p) => p.paths.some((path) => isInside(folder, path)))) return `${what} Its folder was imported again since.`;
  // A removal that forgot only copies' paths.
  if (removal.photos === 0) return `${what} Import the folder again to add it back.`;
  const how = folder === null ? 'Importing the photos again from where they are now' : 'Importing the folder again';
  const comingBack = decisionsComingBack(removal);
  const kept = comingBack > 0 ? `, with what you said of ${plural(comingBack, 'face')} (names, confirmations, "not this person")` : '';
  const other = removal.decisionsKept > 0 ? 'other face' : 'face';
  const notOnDisk = notOnDiskSentence(removal);
  if (!notOnDisk) return `${what} ${how} brings the photos back${kept}${removal.decisionsLost > 0 ? `; what you said of ${plural(removal.decisionsLost, other)} is lost` : ''}.`;
  // Photos no longer on disk said apart, before what is lost, "other" to both (a review: "brings the photos back" of
  // photos none of which was on disk).
  const back = (removal.photosNotOnDisk ?? 0) < removal.photos ? ` ${how} brings back the photos still on disk${kept}.` : '';
  const lost = removal.decisionsLost > 0 ? ` What you said of ${plural(removal.decisionsLost, other)} is lost.` : '';
  return `${what}${back} ${notOnDisk}${lost}`;
}

/**
 * Points the decision log at faces that took over from others: a photo another app rewrote gets new face ids that
 * inherit the old faces' names (main/library/import.ts), and undo must still find them. Changes `decisions` in place.
 */
export function renameFacesInDecisions(decisions: unknown[], renamed: ReadonlyMap<string, string>): void {
  if (renamed.size === 0) return;
  const to = (id: string) => renamed.get(id) ?? id;
  for (const decision of decisions as Decision[]) {
    decision.faceIds = decision.faceIds.map(to);
    if (decision.pinnedByHide) decision.pinnedByHide = decision.pinnedByHide.map(to);
    for (const away of decision.mergedAway ?? []) {
      for (const face of [...away.faces, ...away.rejectedBy]) face.id = to(face.id);
      if (away.record.coverFaceId) away.record.coverFaceId = to(away.record.coverFaceId);
    }
    for (const state of [decision.before, decision.redo]) {
      if (!state) continue;
      for (const face of state.faces) face.id = to(face.id);
      for (const { record } of state.people) if (record?.coverFaceId) record.coverFaceId = to(record.coverFaceId);
    }
  }
}

/** The decision log, newest first. */
export function decisionLog(library: Pick<PeopleLibrary, 'people'>): Decision[] {
  return [...(library.people.decisions as Decision[])].reverse();
}

export { resolveFace };

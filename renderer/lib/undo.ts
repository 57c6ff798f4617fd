// Undo from anywhere (Ctrl+Z, a toast's Undo button): takes back the last decisions, says what it undid, and tells
// every screen that people and photos changed. One place, so each way of undoing answers the same.
import type { CallName } from '../../preload/contract.js';
import type { FamiliarClient } from './api.js';
import { toasts, type LiveState } from './live.svelte.js';
import { redoDecisions } from './redo.js';

/** What one Undo takes back (undoDecisions); without either id, the latest decision, whichever it is (Ctrl+Z). */
export interface UndoOptions {
  /** What several decisions were, in the words of the toast that counted them ("Marked 3 faces as not "Leonard""). */
  said?: string;
  /**
   * The toast's own decision (OperationResult.decisionId): nothing is undone unless it is still the latest, as another
   * window may have decided since (QA, two tabs: a toast's Undo took back the other's name). null: it changed nothing.
   */
  decisionId?: string | null;
  /**
   * Instead, for a toast of several decisions: each one's id, oldest first. Each step takes back its own or stops; an
   * answer that changed nothing (null) is no step. (undefined, an id an engine did not give: the latest, whichever.)
   */
  decisionIds?: ReadonlyArray<string | null | undefined>;
}

/** The decision each step of an undo is tied to, latest first (undefined: the latest, whichever it is). */
function stepsOf({ decisionId, decisionIds }: UndoOptions): Array<string | undefined> {
  if (decisionIds) return decisionIds.filter((id) => id !== null).map((id) => id ?? undefined).reverse();
  return decisionId === null ? [] : [decisionId];
}

/**
 * Undoes the last decisions (UndoOptions), and says what came back in the engine's words for it
 * (main/people/undone-words.ts): "Undone: Deleted "Rose Leslie"; 3 faces no longer have a name." read as the opposite
 * (QA). Several decisions counted by their toast are said once, in its words, instead of each one's sentence.
 */
export async function undoDecisions(client: FamiliarClient, live: LiveState, options: UndoOptions = {}): Promise<void> {
  const steps = stepsOf(options);
  // The toast of an answer that changed nothing: its Undo would take back an older decision (a review).
  if (steps.length === 0) {
    toasts.dismissDecisions();
    toasts.show('That changed nothing, so there is nothing of it to undo.');
    return;
  }
  const undone: string[] = [];
  live.decisionSent();
  try {
    /** Said when nothing more was taken back: why (a removal of photos, which undo cannot take back nor reach past). */
    let nothingUndone: string | null = null;
    for (const [i, id] of steps.entries()) {
      let answer;
      try {
        answer = await client.call('undo', id !== undefined ? { onlyIfLatestId: id } : {});
      } catch (error) {
        // Part-way (another window decided between two of the toast's): what was taken back is said, and why no more.
        if (i === 0) throw error;
        nothingUndone = error instanceof Error ? error.message : String(error);
        break;
      }
      if (answer.undone === null) {
        nothingUndone = answer.message;
        break;
      }
      undone.push(answer.message ?? answer.undone);
    }
    // The toast of the decision just taken back (and its Undo, which would now take back an older one) goes.
    toasts.dismissDecisions();
    // The toast's count holds only when every answer it counted was a decision (one that changed nothing is no step).
    const summed = options.said && steps.length > 1 && undone.length === steps.length && !options.decisionIds?.includes(null);
    // Its Redo makes them all again, in case the undo went one step too far (QA retyped two names).
    const redo = undone.length ? { label: 'Redo', run: () => void redoDecisions(client, live, undone.length) } : undefined;
    const stoppedBy = undone.length && nothingUndone ? ` ${nothingUndone}` : '';
    toasts.show(undone.length ? (summed ? `Undid: ${options.said}.` : undone.join(' ') + stoppedBy) : (nothingUndone ?? 'Nothing to undo.'), 'info', redo);
  } catch (error) {
    toasts.error(error);
  } finally {
    live.decisionAnswered('people', 'photos');
    // A toast's Undo button goes with its toast, and the focus with it: the screen puts it back where the user was.
    window.dispatchEvent(new CustomEvent<UndoneDetail>(UNDONE_EVENT, { detail: { undone: undone.length } }));
  }
}

/**
 * A change the user made that Ctrl+Z cannot take back (a setting saved, another model version chosen, a training or an
 * import started): the engine's undo history holds only decisions about faces and people, so Ctrl+Z would reach past
 * it and silently take back an older, unrelated decision (QA: rolling the recogniser back, then Ctrl+Z, took back
 * "confirming 1 face as Tom Hanks"). The first Ctrl+Z after one says so instead; the next takes back the decision.
 * `what`: the change, as "Your last change (…)" reads it; `howBack`: how to take it back by hand.
 * `{ engineStops: true }`: a removal of photos, which the engine logs: its undo stops there for good, saying why and
 * how to get the photos back (main/people/decisions.ts undoLast), so Ctrl+Z asks it and reaches nothing past it.
 */
export type NotUndoable = SaidHere | { engineStops: true };
/** A change Ctrl+Z cannot take back that the app says itself (NotUndoable). */
export type SaidHere = { what: string; howBack: string };

/**
 * Every call that changes the library, sorted: a decision Ctrl+Z takes back, or a change it cannot, with what to say
 * of it. Calls in neither change nothing; a test holds every call of the contract to one of the three, so a new one
 * cannot slip past.
 */
export const UNDOABLE_CALLS: ReadonlySet<CallName> = new Set<CallName>([
  'people.rename', 'people.merge', 'people.hide', 'people.setCover', 'people.setBirthday', 'people.delete', 'people.split', 'people.together',
  'people.keepAsOne', 'people.askAgain', 'people.separate', 'faces.name', 'faces.move', 'faces.reject', 'faces.confirm', 'faces.ignore',
  'faces.notAFace',
  'faces.addDrawn', 'unknown.answer', 'unknown.samePersonAnswer', 'names.import', 'photos.notCopy', 'undo', 'redo',
]);
const fromTraining = 'choose the version you had before under Versions in Training';
export const NOT_UNDOABLE_CALLS: Partial<Record<CallName, NotUndoable>> = {
  'settings.set': { what: 'the settings you saved', howBack: 'change them back in Settings' },
  'models.use': { what: 'the model version you chose', howBack: fromTraining },
  'training.embedder.start': { what: 'training the recogniser', howBack: fromTraining },
  'training.autoencoder.start': { what: 'training the face studio', howBack: fromTraining },
  'import.start': { what: 'the import', howBack: 'remove the folder in Import if it was the wrong one' },
  'import.lookAgain': { what: 'looking again for missed faces', howBack: 'in “Who is this?”, choose “Don’t ask about this face” for a face it found that you do not want' },
  'recluster.start': { what: 'regrouping the faces', howBack: 'your names and corrections were kept; to sort the rest differently, change the grouping setting and regroup again' },
  'library.stopWatching': { what: 'no longer watching a folder', howBack: 'import the folder again to watch it' },
  'names.export': { what: 'writing the names beside the photos', howBack: 'the tags written stay for other apps' },
  // The library does not change, but files were written: Ctrl+Z right after says so, rather than undo an older decision.
  'photos.copyTo': { what: 'copying photos to a folder', howBack: 'the copies stay in that folder; delete them there if you do not want them' },
  // The engine's undo stops at a removal of photos and says so: Ctrl+Z asks it (QA: it reached past the removal and
  // took back an older merge). A folder that held none is not logged there: followChanges says it here.
  'library.removeFolder': { engineStops: true },
  'library.removeMissing': { engineStops: true },
};

/** Per client: the last change Ctrl+Z cannot take back, until a decision is made after it or Ctrl+Z has said so. */
const lastNotUndoable = new WeakMap<FamiliarClient, SaidHere>();
const followed = new WeakSet<FamiliarClient>();

/** Follows what the user changes through `client`, for undoLastChange (App calls it once). */
export function followChanges(client: FamiliarClient): void {
  if (followed.has(client)) return;
  followed.add(client);
  // What removing each folder would take, as last asked (the Remove dialog asks first).
  const plans = new Map<string, { photos: number; photosKeptElsewhere: number }>();
  client.onAnswered((call) => {
    if (call.name === 'library.folderRemovalPlan' && call.args) plans.set(call.args.path, call.result);
    if (UNDOABLE_CALLS.has(call.name)) lastNotUndoable.delete(client);
    const change = NOT_UNDOABLE_CALLS[call.name];
    if (change && 'engineStops' in change) lastNotUndoable.delete(client);
    else if (change) lastNotUndoable.set(client, change);
    // A folder that held no photo of the library: only its watching stopped, which the engine does not log.
    const plan = call.name === 'library.removeFolder' && call.args ? plans.get(call.args.path) : undefined;
    if (call.name === 'library.removeFolder' && call.args && plan?.photos === 0 && plan.photosKeptElsewhere === 0) {
      lastNotUndoable.set(client, { what: `taking ${call.args.path} out of the library`, howBack: 'import the folder again to watch it' });
    }
  });
}

/**
 * Says in the screen's own words what the change just made was ("the grouping setting"), in place of the call's
 * general words. Call it right after the call that made it.
 */
export function noteNotUndoable(client: FamiliarClient, change: SaidHere): void {
  lastNotUndoable.set(client, change);
}

/**
 * Ctrl+Z and "Undo last change": takes back the last thing the user did. When that was a change undo cannot take back,
 * says so and how to reverse it, and undoes nothing: the next Ctrl+Z (or the toast's button) takes back the decision
 * before it. A toast's own Undo button calls undoDecisions: it names the decision it takes back.
 */
export async function undoLastChange(client: FamiliarClient, live: LiveState): Promise<void> {
  const change = lastNotUndoable.get(client);
  if (!change) return undoDecisions(client, live);
  lastNotUndoable.delete(client);
  toasts.show(
    `Your last change (${change.what}) can't be undone with Ctrl+Z: ${change.howBack}. Press Ctrl+Z again to take back the change you made before it.`,
    'info',
    { label: 'Undo the one before', run: () => void undoDecisions(client, live) },
  );
}

/** Dispatched on `window` after every undo and redo (lib/focus.ts: screens return the focus on it). */
export const UNDONE_EVENT = 'familiar-undone';

/** How many decisions the undo took back, or the redo made again: a queue goes back to their items. */
export type UndoneDetail = { undone?: number; redone?: number };

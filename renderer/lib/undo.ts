// Undo from anywhere (Ctrl+Z, a toast's Undo button): takes back the last decisions, says what it undid, and tells
// every screen that people and photos changed. One place, so each way of undoing answers the same.
import type { FamiliarClient } from './api.js';
import { toasts, type LiveState } from './live.svelte.js';
import { redoDecisions } from './redo.js';

/**
 * Undoes the last `decisions` (an answer that made several, such as "Neither" in Which one?, is one step), and says
 * what came back in the engine's words for it (main/people/undone-words.ts): "Undone: Deleted "Rose Leslie"; 3 faces
 * no longer have a name." read as the opposite (QA). `said`: what several decisions were, in the words of the toast
 * that counted them ("3 faces not Leonard"), to say once instead of each one's sentence.
 */
export async function undoDecisions(client: FamiliarClient, live: LiveState, decisions = 1, said?: string): Promise<void> {
  const undone: string[] = [];
  try {
    for (let i = 0; i < decisions; i++) {
      const { message } = await client.call('undo');
      if (message) undone.push(message);
    }
    // The toast of the decision just taken back (and its Undo, which would now take back an older one) goes.
    toasts.dismissDecisions();
    const summed = said && decisions > 1 && undone.length === decisions;
    // Its Redo makes them all again, in case the undo went one step too far (QA retyped two names).
    const redo = undone.length ? { label: 'Redo', run: () => void redoDecisions(client, live, undone.length) } : undefined;
    toasts.show(undone.length ? (summed ? `Undid: ${said}.` : undone.join(' ')) : 'Nothing to undo.', 'info', redo);
  } catch (error) {
    toasts.error(error);
  } finally {
    live.changes.people++;
    live.changes.photos++;
    // A toast's Undo button goes with its toast, and the focus with it: the screen puts it back where the user was.
    window.dispatchEvent(new CustomEvent<UndoneDetail>(UNDONE_EVENT, { detail: { undone: undone.length } }));
  }
}

/** Dispatched on `window` after every undo and redo (lib/focus.ts: screens return the focus on it). */
export const UNDONE_EVENT = 'familiar-undone';

/** How many decisions the undo took back, or the redo made again: a queue goes back to their items. */
export type UndoneDetail = { undone?: number; redone?: number };

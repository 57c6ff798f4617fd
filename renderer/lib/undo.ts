// Undo from anywhere (Ctrl+Z, a toast's Undo button): takes back the last decisions, says what it undid, and tells
// every screen that people and photos changed. One place, so each way of undoing answers the same.
import type { FamiliarClient } from './api.js';
import { toasts, type LiveState } from './live.svelte.js';

/**
 * Undoes the last `decisions` (an answer that made several, such as "Neither" in Which one?, is one step). `said`:
 * what they were, in the words of the toast that counted them ("3 faces not Leonard"), for the "Undone:" toast to
 * say once instead of each decision's own sentence.
 */
export async function undoDecisions(client: FamiliarClient, live: LiveState, decisions = 1, said?: string): Promise<void> {
  const undone: string[] = [];
  try {
    for (let i = 0; i < decisions; i++) {
      const { undone: description } = await client.call('undo');
      if (description) undone.push(description);
    }
    // The toast of the decision just taken back (and its Undo, which would now take back an older one) goes.
    toasts.dismissDecisions();
    toasts.show(undone.length ? `Undone: ${said && undone.length === decisions ? `${said}.` : undone.join(' ')}` : 'Nothing to undo.');
  } catch (error) {
    toasts.error(error);
  } finally {
    live.changes.people++;
    live.changes.photos++;
    // A toast's Undo button goes with its toast, and the focus with it: the screen puts it back where the user was.
    window.dispatchEvent(new Event(UNDONE_EVENT));
  }
}

/** Dispatched on `window` after every undo (lib/focus.ts: screens return the focus on it). */
export const UNDONE_EVENT = 'familiar-undone';

// Redo from anywhere (Ctrl+Shift+Z or Ctrl+Y, an "Undone" toast's Redo button): makes the undone decisions again, says
// so, and tells every screen that people and photos changed, as undo does (lib/undo.ts). QA pressed Ctrl+Z once too
// often and had to type two names again.
import type { FamiliarClient } from './api.js';
import { toasts, type LiveState } from './live.svelte.js';
import { undoDecisions, UNDONE_EVENT, type UndoneDetail } from './undo.js';

/**
 * Redoes the last `decisions` undone (as many as the undo took back in one step). The engine refuses once something
 * was decided since the undo, and says so.
 */
export async function redoDecisions(client: FamiliarClient, live: LiveState, decisions = 1): Promise<void> {
  const redone: string[] = [];
  /** Each decision made again, oldest first: the toast's Undo takes back these or nothing (another window may decide). */
  const decisionIds: Array<string | null | undefined> = [];
  live.decisionSent();
  try {
    for (let i = 0; i < decisions; i++) {
      const { redone: description, decisionId } = await client.call('redo');
      if (description === null) break;
      redone.push(description);
      decisionIds.push(decisionId);
    }
    // The "Undone" toast's Redo is used up, and a decision's Undo would now take back the decision made again.
    toasts.dismissDecisions();
    toasts.show(
      redone.length ? `Redone: ${redone.join(' ')}` : 'Nothing to redo.',
      'info',
      redone.length ? { label: 'Undo', run: () => void undoDecisions(client, live, { decisionIds }) } : undefined,
    );
  } catch (error) {
    toasts.error(error);
  } finally {
    live.decisionAnswered('people', 'photos');
    // The Redo button goes with its toast: the screen puts the focus back where the user was, as after an undo.
    window.dispatchEvent(new CustomEvent<UndoneDetail>(UNDONE_EVENT, { detail: { redone: redone.length } }));
  }
}

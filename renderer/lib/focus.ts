import { tick } from 'svelte';

// Where keyboard focus went. A control that had it can vanish (a toast's Undo button, a card merged away, a button
// disabled while its action runs): the browser then puts focus on the page itself, and the next arrow key or Enter
// does nothing. Screens check this after such a change and put focus back where the user was.

/**
 * True when nothing on the page has focus (the document body, or nothing at all), or only the screen's region itself
 * (#content: "Skip to content" and the section keys put it there), which is no control either.
 */
export function focusWasLost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body || active === document.documentElement || active.id === 'content';
}

const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * Keeps Tab and Shift+Tab inside a dialog (`aria-modal` promises it; QA: Tab walked on through the app behind the
 * backdrop). Call from a keydown handler; does nothing for other keys.
 */
export function keepTabInside(event: KeyboardEvent, container: HTMLElement | undefined | null): void {
  if (event.key !== 'Tab' || !container) return;
  const focusable = Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => !el.hasAttribute('disabled') && !el.closest('[hidden], [inert]') && el.getClientRects().length > 0,
  );
  // jsdom lays nothing out: there every candidate counts.
  const candidates = focusable.length ? focusable : Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => !el.hasAttribute('disabled'));
  if (!candidates.length) {
    event.preventDefault();
    return;
  }
  const first = candidates[0];
  const last = candidates[candidates.length - 1];
  const active = document.activeElement;
  const inside = active instanceof Node && container.contains(active);
  if (!inside || (event.shiftKey && (active === first || active === container)) || (!event.shiftKey && active === last)) {
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  }
}

/**
 * Puts the focus on `target` once the page has drawn, if it was lost meanwhile: a button disabled while its action runs
 * drops the focus to the page (QA: after Interpolate, Save or "Read names", Tab started again from the top).
 */
export async function returnFocusIfLost(target: () => HTMLElement | null | undefined): Promise<void> {
  await tick();
  if (focusWasLost()) target()?.focus();
}

/** The dialogs open over the app, in the order they opened: the last is on top. */
const dialogsOpen: object[] = [];

/**
 * Registers a dialog as it is made (call it in the component's script, and `close` in an $effect's teardown, so keys
 * heard before its first effect are its already). Keys heard on the window
 * belong to the dialog on top alone: each dialog and each screen listens on the window, and a dialog opened over the
 * photo viewer ("?") heard its Escape after the viewer had closed on it, and a screen's Y or N answered a suggestion
 * behind the shortcuts or the delete dialog (QA).
 */
export function dialogOpened(): { isOnTop: () => boolean; close: () => void } {
  const dialog = {};
  dialogsOpen.push(dialog);
  return {
    isOnTop: () => dialogsOpen[dialogsOpen.length - 1] === dialog,
    close: () => {
      const at = dialogsOpen.indexOf(dialog);
      if (at >= 0) dialogsOpen.splice(at, 1);
    },
  };
}

/** True while a dialog is open over the screen: a screen's own keys wait (dialogOpened). */
export function aDialogIsOpen(): boolean {
  return dialogsOpen.length > 0;
}

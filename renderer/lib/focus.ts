// Where keyboard focus went. A control that had it can vanish (a toast's Undo button, a card merged away, a button
// disabled while its action runs): the browser then puts focus on the page itself, and the next arrow key or Enter
// does nothing. Screens check this after such a change and put focus back where the user was.

/** True when nothing on the page has focus (the document body, or nothing at all). */
export function focusWasLost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body || active === document.documentElement;
}

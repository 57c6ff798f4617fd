// Arrow keys between the choices of a radio group or a tab list. ARIA's patterns make such a group one Tab stop (the
// chosen item has tabindex 0, the others -1) that the arrows move through, choosing as they go: without them, a
// keyboard user met every filter, tab and face of a picker as a Tab stop of its own (25 in a studio picker).

const ITEMS = '[role="radio"], [role="tab"]';

/**
 * The group's keydown handler: ←/↑ and →/↓ move to the previous or next choice (wrapping), Home and End to the first
 * or last, focusing it and choosing it with a click. Other keys pass on. The key is taken (preventDefault), so a
 * screen's own arrow keys (a queue's previous and next) do not act on it too.
 */
export function arrowsBetweenChoices(event: KeyboardEvent): void {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  const group = event.currentTarget;
  if (!(group instanceof HTMLElement) || !(event.target instanceof HTMLElement)) return;
  const items = Array.from(group.querySelectorAll<HTMLElement>(ITEMS)).filter((item) => !item.hasAttribute('disabled'));
  const from = items.indexOf(event.target.closest<HTMLElement>(ITEMS) as HTMLElement);
  if (from < 0) return;
  let to: number;
  if (event.key === 'ArrowRight' || event.key === 'ArrowDown') to = (from + 1) % items.length;
  else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') to = (from - 1 + items.length) % items.length;
  else if (event.key === 'Home') to = 0;
  else if (event.key === 'End') to = items.length - 1;
  else return;
  event.preventDefault();
  items[to].focus();
  if (to !== from) items[to].click();
}

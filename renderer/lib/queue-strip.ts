// The strip of items along the bottom of a one-at-a-time queue (Who is this?, Which one?). It is wider than the
// window once the queue holds a dozen items, and → / ← moved the cursor off its visible part (UX review at 900x600):
// the strip follows the cursor, with a neighbour or two in view on each side so the user sees what comes next.

/** Room kept on each side of the current item, in pixels (about one item of the strip). */
const MARGIN = 64;

/**
 * Scrolls `strip` sideways, as little as it takes, so its `index`th item is in view with MARGIN beside it. The
 * strip's stylesheet decides whether that is smooth (app.css, off for reduced motion).
 */
export function keepInStrip(strip: HTMLElement | undefined, index: number): void {
  const item = strip?.children[index];
  if (!strip || !(item instanceof HTMLElement)) return;
  const stripBox = strip.getBoundingClientRect();
  const itemBox = item.getBoundingClientRect();
  // Where the item is along the strip's content, whatever the strip's scroll.
  const start = itemBox.left - stripBox.left + strip.scrollLeft;
  const end = start + itemBox.width;
  const room = Math.min(MARGIN, Math.max(0, (strip.clientWidth - itemBox.width) / 2));
  if (start - room < strip.scrollLeft) strip.scrollLeft = Math.max(0, start - room);
  else if (end + room > strip.scrollLeft + strip.clientWidth) strip.scrollLeft = end + room - strip.clientWidth;
  // The strip is one Tab stop, its current item (the screens give the others tabindex -1). Focus on it follows the
  // cursor, so ← and → walk the strip from the keyboard as they do the queue.
  const active = document.activeElement;
  if (active instanceof HTMLElement && strip.contains(active) && !item.contains(active)) item.querySelector<HTMLElement>('button')?.focus({ preventScroll: true });
}

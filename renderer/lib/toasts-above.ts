// Toasts sit at the bottom of the window, beside the sidebar. A screen with a strip of faces along its bottom (the queues of
// "Who is this?" and "Which one?") would have its last faces covered for seconds after every answer, so while such
// a strip is on screen the toasts rise above it. Raised, they reach the answers of a queue's card in a small window
// (QA, 640x400: the toast after an answer covered the first choice): given the card, they end before it. Unless that
// leaves them too little room: a narrow window sets the card under the photo, and a toast squeezed beside it wrapped to
// five lines with its × outside it (QA, 480x800). Then they take the width, above the card where it starts low enough to
// leave a toast room under the screen's header (over the photo), else above the strip: above the strip alone, a toast
// lay over the answers of a card under the photo (QA, under 700 px wide).

const BOTTOM = '--toasts-bottom';
const END = '--toasts-end';
const GAP = 12;
/** The least room left of the card that toasts end before it in: a message and its Undo on one or two lines. */
const MIN_ROOM = 240;
/** How far down the window a card under the photo must start for the toasts to go above it: the header and a toast. */
const MIN_TOP = 160;

/** What the toasts keep clear of besides the strip: the element (a queue's card) they end to the left of. */
export interface ToastsAboveOptions {
  leftOf?: string;
}

/** Svelte action for a bottom strip: keeps the toasts above the element while it is mounted, following its size. */
export function keepToastsAbove(element: HTMLElement, options: ToastsAboveOptions = {}): { destroy(): void } {
  const root = element.ownerDocument.documentElement;
  let observedCard: Element | null = null;
  const place = () => {
    const top = element.getBoundingClientRect().top;
    let above = Math.max(0, Math.round(window.innerHeight - top)) + GAP;
    // Read each time: the card comes and goes with its question.
    const card = options.leftOf ? element.ownerDocument.querySelector(options.leftOf) : null;
    // Under the photo, the card's top moves with its height (the photo gives way) and as the screen scrolls.
    if (card !== observedCard) {
      if (observedCard) observer?.unobserve(observedCard);
      if (card) observer?.observe(card);
      observedCard = card;
    }
    const cardBox = card?.getBoundingClientRect() ?? null;
    const end = cardBox ? Math.round(cardBox.left) - GAP : null;
    // The strip runs from the screen's left edge, where the toasts start (Toasts.svelte: 20 px in).
    if (end !== null && end - (element.getBoundingClientRect().left + 20) >= MIN_ROOM) root.style.setProperty(END, `${end}px`);
    else {
      root.style.removeProperty(END);
      if (cardBox && cardBox.top >= MIN_TOP && cardBox.top < top) above = Math.max(above, Math.round(window.innerHeight - cardBox.top) + GAP);
    }
    root.style.setProperty(BOTTOM, `${above}px`);
  };
  const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(place);
  place();
  observer?.observe(element);
  window.addEventListener('resize', place);
  // Capture: the screen scrolls in an element of its own, not the window.
  window.addEventListener('scroll', place, { capture: true, passive: true });
  return {
    destroy() {
      observer?.disconnect();
      window.removeEventListener('resize', place);
      window.removeEventListener('scroll', place, { capture: true });
      root.style.removeProperty(BOTTOM);
      root.style.removeProperty(END);
    },
  };
}

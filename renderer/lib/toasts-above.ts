// Toasts sit at the bottom of the window, beside the sidebar. A screen with a strip of faces along its bottom (the queues of
// "Who is this?" and "Which one?") would have its last faces covered for seconds after every answer, so while such
// a strip is on screen the toasts rise above it.

const PROPERTY = '--toasts-bottom';
const GAP = 12;

/** Svelte action for a bottom strip: keeps the toasts above the element while it is mounted, following its size. */
export function keepToastsAbove(element: HTMLElement): { destroy(): void } {
  const root = element.ownerDocument.documentElement;
  const place = () => {
    const top = element.getBoundingClientRect().top;
    const above = Math.max(0, Math.round(window.innerHeight - top)) + GAP;
    root.style.setProperty(PROPERTY, `${above}px`);
  };
  place();
  const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(place);
  observer?.observe(element);
  window.addEventListener('resize', place);
  return {
    destroy() {
      observer?.disconnect();
      window.removeEventListener('resize', place);
      root.style.removeProperty(PROPERTY);
    },
  };
}

// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { keepInStrip } from '../../renderer/lib/queue-strip.js';

/** A strip 300 px wide of 20 items 60 px apart; jsdom has no layout, so each box is what a browser would say. */
function strip(): HTMLElement {
  const ol = document.createElement('ol');
  Object.defineProperty(ol, 'clientWidth', { value: 300 });
  ol.getBoundingClientRect = () => ({ left: 0, right: 300, top: 0, bottom: 60, width: 300, height: 60 }) as DOMRect;
  for (let i = 0; i < 20; i++) {
    const li = document.createElement('li');
    li.getBoundingClientRect = () => ({ left: i * 60 - ol.scrollLeft, width: 56, top: 0, height: 56 }) as DOMRect;
    ol.append(li);
  }
  return ol;
}

describe('keepInStrip', () => {
  it('scrolls the strip as little as it takes to show the current item with room beside it, either way', () => {
    const ol = strip();
    keepInStrip(ol, 2);
    expect(ol.scrollLeft).toBe(0);
    keepInStrip(ol, 10);
    // Item 10 ends at 656: in view with 64 px after it.
    expect(ol.scrollLeft).toBe(656 + 64 - 300);
    keepInStrip(ol, 9);
    expect(ol.scrollLeft).toBe(420);
    keepInStrip(ol, 4);
    expect(ol.scrollLeft).toBe(240 - 64);
  });

  it('does nothing without a strip or past its end', () => {
    expect(() => keepInStrip(undefined, 3)).not.toThrow();
    const ol = strip();
    keepInStrip(ol, 99);
    expect(ol.scrollLeft).toBe(0);
  });
});

// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { keepToastsAbove } from '../../renderer/lib/toasts-above.js';

describe('keepToastsAbove', () => {
  it('raises the toasts above a bottom strip while it is mounted, and lets them down after', () => {
    const strip = document.createElement('ol');
    strip.getBoundingClientRect = () => ({ top: window.innerHeight - 90 }) as DOMRect;
    document.body.append(strip);
    const root = document.documentElement;
    const action = keepToastsAbove(strip);
    expect(root.style.getPropertyValue('--toasts-bottom')).toBe('102px');
    action.destroy();
    expect(root.style.getPropertyValue('--toasts-bottom')).toBe('');
  });

  it("ends the toasts before a queue's card, so a toast after an answer leaves the answers clear (QA, 640x400)", () => {
    const strip = document.createElement('ol');
    strip.getBoundingClientRect = () => ({ top: window.innerHeight - 90, left: 56 }) as DOMRect;
    const card = document.createElement('aside');
    card.className = 'queue-ask';
    card.getBoundingClientRect = () => ({ left: 356 }) as DOMRect;
    document.body.append(strip, card);
    const root = document.documentElement;
    const action = keepToastsAbove(strip, { leftOf: '.queue-ask' });
    expect(root.style.getPropertyValue('--toasts-end')).toBe('344px');
    action.destroy();
    expect(root.style.getPropertyValue('--toasts-end')).toBe('');
    expect(root.style.getPropertyValue('--toasts-bottom')).toBe('');
  });

  it('gives the toasts the width when the card leaves them too little room, as under the photo in a narrow window', () => {
    // QA at 480x800: beside the card's left edge a toast had 160 px, wrapped to five lines, its × drawn outside it.
    document.body.replaceChildren();
    const strip = document.createElement('ol');
    strip.getBoundingClientRect = () => ({ top: window.innerHeight - 90, left: 56 }) as DOMRect;
    const card = document.createElement('aside');
    card.className = 'queue-ask';
    card.getBoundingClientRect = () => ({ left: 80 }) as DOMRect;
    document.body.append(strip, card);
    const root = document.documentElement;
    const action = keepToastsAbove(strip, { leftOf: '.queue-ask' });
    expect(root.style.getPropertyValue('--toasts-end')).toBe('');
    expect(root.style.getPropertyValue('--toasts-bottom')).toBe('102px');
    action.destroy();
  });
});

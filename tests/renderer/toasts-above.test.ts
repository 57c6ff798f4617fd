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
    strip.getBoundingClientRect = () => ({ top: window.innerHeight - 90 }) as DOMRect;
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
});

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
});

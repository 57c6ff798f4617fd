// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';

async function freshPreferences() {
  vi.resetModules();
  return (await import('../../renderer/lib/preferences.svelte.js')).preferences;
}

describe('preferences', () => {
  it('read the person page order a previous run stored, and ignore anything else there', async () => {
    localStorage.setItem('familiar.personFaceOrder', 'least-alike');
    expect((await freshPreferences()).personFaceOrder).toBe('least-alike');
    localStorage.setItem('familiar.personFaceOrder', '<script>');
    expect((await freshPreferences()).personFaceOrder).toBe('confirmed-first');
  });

  it('read the People list order a previous run stored, and ignore anything else there', async () => {
    expect((await freshPreferences()).peopleOrder).toBe('most-faces');
    localStorage.setItem('familiar.peopleOrder', 'name');
    expect((await freshPreferences()).peopleOrder).toBe('name');
    localStorage.setItem('familiar.peopleOrder', 'toString');
    expect((await freshPreferences()).peopleOrder).toBe('most-faces');
  });

  it('fall back to the defaults and still work for the session when storage is refused', async () => {
    const refuse = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    const get = vi.spyOn(Storage.prototype, 'getItem').mockImplementation(refuse);
    const set = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(refuse);
    try {
      vi.resetModules();
      const module = await import('../../renderer/lib/preferences.svelte.js');
      expect(module.preferences.personFaceOrder).toBe('confirmed-first');
      module.setPersonFaceOrder('least-alike');
      expect(module.preferences.personFaceOrder).toBe('least-alike');
      expect(module.preferences.peopleOrder).toBe('most-faces');
      module.setPeopleOrder('name');
      expect(module.preferences.peopleOrder).toBe('name');
    } finally {
      get.mockRestore();
      set.mockRestore();
    }
  });
});
